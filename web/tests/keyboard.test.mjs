// The README's tour without a mouse: sign in, find an activity (search, then the map's table as
// a filter), open it, and record one through the form, with page.keyboard only (Tab, Shift+Tab,
// Enter, Space, typing). Every step checks where the focus is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };
const WORD = 'Quetzaltenango';

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const seed = [
    { organization_id: 'unodc', titles: `${WORD} shelter network for migrants`, type: 'operational_programme', themes: ['smuggling'], countries: ['GT'], status: 2 },
    { organization_id: 'ilo', titles: `${WORD} labour inspection pilot`, type: 'technical_assistance', themes: ['labour-migration'], countries: ['MX'], status: 2 },
    { organization_id: 'worldbank', titles: 'Remittance prices in West Africa', type: 'research', themes: ['remittances'], countries: ['NG'], status: 3 },
  ];
  for (const body of seed) {
    const r = await admin.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await app?.stop();
});

/** What has the focus: tag, then its accessible text (aria-label, label, or own text). */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    const label = e.getAttribute('aria-label') || (e.labels && e.labels[0]?.textContent) || e.textContent || '';
    return `${e.tagName.toLowerCase()} ${label.replace(/\s+/g, ' ').trim()}`;
  });
}

/** Presses `key` until the focus is on what `want` matches (at most `max` presses). */
async function pressUntil(page, key, want, max = 60) {
  let now = await focused(page);
  for (let i = 0; i < max && !want.test(now); i++) {
    await page.keyboard.press(key);
    now = await focused(page);
  }
  assert.match(now, want, `focus after pressing ${key}`);
  await assertFocusVisible(page);
  return now;
}

/** The focused element shows it: an outline (HTML) or a darker, thicker edge (a map country). */
async function assertFocusVisible(page) {
  const style = await page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { svg: e instanceof SVGElement, outline: s.outlineStyle, width: s.outlineWidth, stroke: s.strokeWidth };
  });
  if (style.svg) assert.notEqual(style.stroke, '0.5px', 'a focused country is outlined');
  else assert.ok(style.outline !== 'none' && style.width !== '0px', `focus outline ${style.outline} ${style.width}`);
}

/** Waits until the focus is on what `want` matches (focus moves after a client-side navigation). */
async function focusSettles(page, want) {
  const until = Date.now() + 5000;
  let now = await focused(page);
  while (!want.test(now) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    now = await focused(page);
  }
  assert.match(now, want);
}

test('keyboard only: sign in, find an activity, open it, and record one', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.locator('main h1').waitFor();

  // The first Tab reaches the skip link, then the header's Sign in.
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'a Skip to content');
  await pressUntil(page, 'Tab', /^a Sign in$/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/signin/);
  await focusSettles(page, /^h1 Sign in$/);
  assert.equal(await page.title(), 'Sign in · GMG Hub');

  await pressUntil(page, 'Tab', /^input E-mail/);
  await page.keyboard.type(FP.email);
  await page.keyboard.press('Tab');
  assert.match(await focused(page), /^input Password/);
  await page.keyboard.type(FP.password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await focusSettles(page, /^h1 /);

  // To the activities: back up into the header with Shift+Tab.
  await pressUntil(page, 'Shift+Tab', /^a Activities$/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/activities$/);
  await focusSettles(page, /^h1 Activities$/);
  assert.equal(await page.title(), 'Activities · GMG Hub');
  await page.getByTestId('world-map').waitFor();

  // A text search: the focus stays in the search box while the list updates.
  await pressUntil(page, 'Tab', /^input Text$/);
  await page.keyboard.type(WORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`q=${WORD}`));
  const table = page.getByTestId('activities');
  await table.locator('tr', { hasText: 'labour inspection pilot' }).waitFor();
  assert.equal(await focused(page), 'input Text');

  // The map's table: open it with Enter and filter by Guatemala with Space.
  await pressUntil(page, 'Tab', /^summary The map as a table$/, 200);
  await page.keyboard.press('Enter');
  await page.getByTestId('map-table').getByRole('button', { name: 'Guatemala' }).waitFor();
  await pressUntil(page, 'Tab', /^button Guatemala$/, 5);
  await page.keyboard.press('Space');
  await page.waitForURL(/country=GT/);
  await table.locator('tr', { hasText: 'labour inspection pilot' }).waitFor({ state: 'detached' });
  assert.equal(await table.locator('tbody tr').count(), 1);
  assert.equal(await focused(page), 'button Guatemala');
  assert.equal(await page.getByTestId('map-table').getByRole('button', { name: 'Guatemala' }).getAttribute('aria-pressed'), 'true');

  // Open the activity: its page's heading takes the focus.
  await pressUntil(page, 'Tab', /^a Quetzaltenango shelter network for migrants$/, 40);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/activities\/\d+$/);
  await focusSettles(page, new RegExp(`^h1 ${WORD} shelter network for migrants$`));

  // Record an activity: back to the list, then its link.
  await pressUntil(page, 'Shift+Tab', /^a Activities$/);
  await page.keyboard.press('Enter');
  await focusSettles(page, /^h1 Activities$/);
  await pressUntil(page, 'Tab', /^a Record an activity$/, 5);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/activities\/new$/);
  await focusSettles(page, /^h1 Record an activity$/);
  await page.getByTestId('activity-form').waitFor();

  const title = 'Keyboard-only migrant helpdesk in Tapachula';
  await pressUntil(page, 'Tab', /^input Title \(English\)$/);
  await page.keyboard.type(title);
  await pressUntil(page, 'Tab', /^select Type$/);
  await page.keyboard.type('Research');
  assert.equal(await page.getByTestId('activity-form').getByLabel('Type', { exact: true }).inputValue(), 'research');
  await pressUntil(page, 'Tab', /^input Health and HIV$/);
  await page.keyboard.press('Space');
  await pressUntil(page, 'Tab', /^input Countries$/);
  await page.keyboard.type('Mexi');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Remove Mexico' }).waitFor();
  assert.equal(await focused(page), 'input Countries', 'the focus stays in the countries box');
  await pressUntil(page, 'Tab', /^button Record activity$/, 80);
  await page.keyboard.press('Enter');

  await page.waitForURL(/\/activities\/\d+$/);
  await focusSettles(page, new RegExp(`^h1 ${title}$`));
  const id = Number(/\/activities\/(\d+)$/.exec(page.url())[1]);
  const stored = await new Client(app.url).get(`/api/v1/activities/${id}`);
  assert.equal(stored.json.type, 'research');
  assert.deepEqual(stored.json.countries, ['MX']);
  assert.deepEqual(stored.json.themes, ['health-hiv']);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('keyboard only: the countries on the map are reachable with Tab and filter with Enter', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  await page.getByTestId('world-map').waitFor();
  await page.locator('.world-map path[data-country="GT"][role="button"]').waitFor();
  await pressUntil(page, 'Tab', /^input Text$/);
  await pressUntil(page, 'Tab', /^path Guatemala: 1 activity$/, 80);
  await page.keyboard.press('Enter');
  await page.waitForURL(/country=GT/);
  const guatemala = page.locator('.world-map path[data-country="GT"]');
  assert.equal(await guatemala.getAttribute('aria-pressed'), 'true');
  await page.getByTestId('activities').locator('tr', { hasText: 'shelter network' }).waitFor();
  // The URL changes before the filtered list arrives: wait for the list itself.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="activities"] tbody tr').length === 1);
  assert.equal(await page.getByTestId('activities').locator('tbody tr').count(), 1);
  assert.match(await focused(page), /^path Guatemala/);
  // Enter again takes the filter off.
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.search.includes('country='));
  await page.close();
});

test('every menu link, followed with Enter, moves the focus to the new page heading and retitles the tab', async () => {
  const page = await app.newPage({ width: 1366, height: 900 });
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  // [link, the menu it is in (null: the bar itself), heading, title]
  const ADMIN = 'Administration';
  const KNOWLEDGE = 'Knowledge and engagement';
  const pages = [
    ['Activities', null, /^h1 Activities$/, 'Activities · GMG Hub'],
    ['Chair', null, /^h1 /, 'Chair · GMG Hub'],
    ['Initiatives', KNOWLEDGE, /^h1 /, 'Initiatives · GMG Hub'],
    ['Membership', ADMIN, /^h1 /, 'Membership · GMG Hub'],
    ['Themes', ADMIN, /^h1 /, 'Themes · GMG Hub'],
    ['Users', ADMIN, /^h1 /, 'Users · GMG Hub'],
    ['Audit log', ADMIN, /^h1 /, 'Audit log · GMG Hub'],
    ['API tokens', null, /^h1 /, 'API tokens · GMG Hub'],
    ['Home', null, /^h1 /, 'GMG Hub'],
  ];
  for (const [link, menu, heading, title] of pages) {
    if (menu) {
      // Back to the menu's button, Enter opens it, Tab goes on into its links.
      await pressUntil(page, 'Shift+Tab', new RegExp(`^button ${menu}$`), 300);
      await page.keyboard.press('Enter');
      assert.equal(await page.getByRole('button', { name: menu }).getAttribute('aria-expanded'), 'true');
      await pressUntil(page, 'Tab', new RegExp(`^a ${link}$`), 10);
    } else {
      await pressUntil(page, 'Shift+Tab', new RegExp(`^a ${link}$`), 300);
    }
    await page.keyboard.press('Enter');
    // The new page's title first: several headings match /^h1 /, so the previous page's could
    // still hold the focus when focusSettles looks.
    await page.waitForFunction((t) => document.title === t, title, { timeout: 5000 }).catch(() => {});
    await focusSettles(page, heading);
    assert.equal(await page.title(), title, `title after ${link}`);
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('main h1')), true, `focus on the h1 after ${link}`);
    assert.equal(await page.locator('#admin-nav').isVisible(), false, `the Administration menu is closed after ${link}`);
    assert.equal(await page.locator('#knowledge-nav').isVisible(), false, `the Knowledge and engagement menu is closed after ${link}`);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the Administration menu: Escape closes it and gives the focus back to its button; a click outside or tabbing away closes it', async () => {
  const page = await app.newPage({ width: 1366, height: 900 });
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  // Signing in lands on the home page (a navigation closes the menu): wait for it first.
  await page.waitForURL(`${app.url}/`);
  // And for the home page's own requests: a late re-render must not close the menu under the test.
  await page.waitForLoadState('networkidle');
  const button = page.getByRole('button', { name: 'Administration' });
  const list = page.locator('#admin-nav');
  assert.equal(await button.getAttribute('aria-controls'), 'admin-nav');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await list.isVisible(), false);
  // Keyboard: to the button, Space opens it, into a link, Escape closes and returns the focus.
  await button.focus();
  await page.keyboard.press('Space');
  await list.waitFor();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await pressUntil(page, 'Tab', /^a Users$/, 10);
  await page.keyboard.press('Escape');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await list.isVisible(), false);
  assert.equal(await focused(page), 'button Administration');
  // Tabbing past its last link closes it.
  await page.keyboard.press('Enter');
  await pressUntil(page, 'Tab', /^a Audit log$/, 10);
  await page.keyboard.press('Tab');
  assert.equal(await list.isVisible(), false);
  // A click elsewhere closes it, and leaves the focus alone.
  await button.click();
  await list.waitFor();
  await page.locator('main h1').click();
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await list.isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the Administration menu is for the secretariat and administrators only', async () => {
  const page = await app.newPage({ width: 1366, height: 900 });
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Administration' }).count(), 0);
  await signIn(page, app.url, FP.email, FP.password);
  await page.getByRole('link', { name: 'API tokens' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Administration' }).count(), 0);
  await page.context().close();
});

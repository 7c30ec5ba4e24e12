// Layout for small and ordinary screens: on a phone (390 px) the activities become cards, the
// filters fold away so the map is near the top, and the map is tall enough to use; at 1,366 px
// the main menu fits on one line and the Administration menu opens inside the window, in Arabic
// too; no page scrolls sideways on a phone, in English or in Arabic; the password rule shows
// before any failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, Client, ADMIN_EMAIL, ADMIN_PASSWORD, expectNoAxeViolations, openAdminMenu, expectDirection } from './helpers.mjs';

let app;
let positionId;
let meetingId;
before(async () => {
  app = await startApp();
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const seed = [
    { organization_id: 'ilo', titles: 'Fair recruitment corridor Nepal–Gulf', type: 'technical_assistance', themes: ['labour-migration'], countries: ['NP', 'QA', 'SA', 'AE'], starts_on: '2021-03-01', ends_on: '2026-02-28', status: 2 },
    { organization_id: 'worldbank', titles: 'Remittance prices in West Africa', type: 'research', themes: ['remittances'], regions: ['011'], countries: ['NG', 'GH', 'SN'], status: 3 },
  ];
  for (const body of seed) {
    const r = await admin.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
  }
  const position = await admin.post('/api/v1/positions', { title: 'Joint position on the portability of social security entitlements', text: 'The members call for bilateral and multilateral agreements.', lead_org: 'iom' });
  assert.equal(position.status, 201, position.text);
  positionId = JSON.parse(position.text).id;
  const meeting = await admin.post('/api/v1/meetings', { title: 'Principals meeting on international migration governance', starts_local: '2030-03-12T10:00', ends_local: '2030-03-12T12:00', time_zone: 'Europe/Zurich' });
  assert.equal(meeting.status, 201, meeting.text);
  meetingId = JSON.parse(meeting.text).id;
});
after(async () => {
  await app?.stop();
});

test('on a phone (390 px): cards, folded filters, the map near the top and at least 260 px tall', async () => {
  const page = await app.newPage({ width: 390, height: 844 });
  await page.goto(`${app.url}/activities`);
  await page.getByTestId('world-map').waitFor();
  const table = page.getByTestId('activities');
  await table.locator('tr', { hasText: 'Remittance prices' }).waitFor();

  // The filters are folded into a panel that says how many are chosen, and open on demand.
  const panel = page.getByTestId('filter-panel');
  assert.equal(await panel.evaluate((d) => d.open), false, 'filters folded on a phone');
  assert.equal(await page.getByLabel('Theme').isVisible(), false);
  await panel.locator('summary').click();
  await page.getByLabel('Theme').waitFor();
  await panel.locator('summary').click();
  assert.equal(await page.getByLabel('Theme').isVisible(), false);

  // The map starts within the first screen and is tall enough to use.
  const map = await page.getByTestId('world-map').boundingBox();
  assert.ok(map.y < 700, `map starts at ${map.y} px`);
  assert.ok(map.height >= 260, `map is ${map.height} px tall`);
  // It scrolls sideways inside its own box, with a visible cue; the page itself does not.
  await page.getByText('Swipe sideways to see the whole map.').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);

  // The activities are cards no wider than the screen, each cell labelled with its column.
  const card = await table.locator('tr', { hasText: 'Remittance prices' }).boundingBox();
  assert.ok(card.width <= 390, `a card is ${card.width} px wide`);
  assert.equal(await table.locator('thead').isVisible(), false);
  const label = await table.locator('td[data-label="Organisation"]').first().evaluate((td) => getComputedStyle(td, '::before').content);
  assert.equal(label, '"Organisation: "');
  await expectNoAxeViolations(page, 'activities on a phone');
  await panel.locator('summary').click();
  await expectNoAxeViolations(page, 'activities on a phone, filters open');
  await page.goto(app.url);
  await page.locator('.card').first().waitFor();
  await expectNoAxeViolations(page, 'home on a phone');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.locator('#site-nav').getByRole('link', { name: 'Chair' }).waitFor();
  await expectNoAxeViolations(page, 'home on a phone, menu open');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('on a wide screen the filters are open and the map has a table beside it', async () => {
  const page = await app.newPage({ width: 1366, height: 900 });
  await page.goto(`${app.url}/activities`);
  await page.getByTestId('world-map').waitFor();
  assert.equal(await page.getByTestId('filter-panel').evaluate((d) => d.open), true);
  await page.getByLabel('Theme').waitFor();
  assert.equal(await page.getByText('Swipe sideways to see the whole map.').isVisible(), false);
  await page.context().close();
});

test('at 1,366 px the admin menu fits on one line', async () => {
  const page = await app.newPage({ width: 1366, height: 900 });
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Administration' }).waitFor();
  const tops = await page.locator('#site-nav > ul > li').evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().top)));
  assert.equal(tops.length, 10, 'eight links (API tokens among them), the Knowledge and engagement menu (Initiatives among its links) and the Administration menu');
  assert.equal(new Set(tops).size, 1, `menu items on rows at ${tops.join(', ')}`);
  // The header is one bar: the menu and the sign-out button share the line with the brand.
  const bar = await page.locator('.site-header .bar').boundingBox();
  assert.ok(bar.height < 70, `header is ${bar.height} px tall`);
  // The Administration menu opens below its button, over the page, inside the window.
  const list = await openAdminMenu(page);
  const button = await page.getByRole('button', { name: 'Administration' }).boundingBox();
  const box = await list.boundingBox();
  assert.ok(box.y >= button.y + button.height - 1, 'the list is below the button');
  assert.ok(box.x >= 0 && box.x + box.width <= 1366, `the list is inside the window (${box.x}, ${box.width})`);
  assert.equal((await page.locator('.site-header .bar').boundingBox()).height, bar.height, 'opening it does not push the header');
  await expectNoAxeViolations(page, 'header, Administration menu open');
  await page.context().close();
});

for (const [lang, width, menu, admin, audit] of [
  ['en', 390, 'Menu', 'Administration', 'Audit log'],
  ['ar', 390, 'القائمة', 'الإدارة', 'سجل التدقيق'],
  ['ar', 1366, null, 'الإدارة', 'سجل التدقيق'],
]) {
  test(`the Administration menu at ${width} px in ${lang}: inside the window, on the reading side`, async () => {
    const page = await app.newPage({ width, height: 800, locale: lang });
    // Signed in through the API (the sign-in helper names English labels); the browser's
    // language is the page's, since the account has none remembered.
    const r = await page.request.post(`${app.url}/api/v1/session`, { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(r.status(), 200);
    await page.goto(app.url);
    await expectDirection(page, lang);
    if (menu) await page.getByRole('button', { name: menu, exact: true }).click();
    const button = page.locator('#site-nav').getByRole('button', { name: admin });
    await button.click();
    const link = page.locator('#admin-nav').getByRole('link', { name: audit });
    await link.waitFor();
    const list = await page.locator('#admin-nav').boundingBox();
    const b = await button.boundingBox();
    assert.ok(list.x >= 0 && list.x + list.width <= width + 0.5, `the list is inside the window (${list.x}, ${list.width})`);
    if (lang === 'ar') {
      // Right to left, the list hangs from the button's right edge.
      assert.ok(Math.abs(list.x + list.width - (b.x + b.width)) < 2 || width <= 640, `list ${list.x}+${list.width}, button ${b.x}+${b.width}`);
    }
    const scroll = await page.evaluate(() => document.querySelector('.site-header').scrollWidth);
    assert.ok(scroll <= width, `the header is no wider than the window (${scroll} px)`);
    await expectNoAxeViolations(page, `header, Administration menu open, ${lang}, ${width} px`);
    await link.click();
    await page.waitForURL(/\/audit$/);
    assert.equal(await page.locator('#admin-nav').isVisible(), false, 'a followed link closes the menu');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

/**
 * How far the page scrolls sideways (scrollWidth beyond clientWidth; 0 when it does not) and, when
 * it does, the outermost elements that stand outside the window and are not inside a box that
 * scrolls or clips, to name in the failure (an RTL page scrolls to the left, so both sides count).
 */
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const overflow = root.scrollWidth - width;
    if (overflow <= 0) return { overflow, culprits: [] };
    // Inside a box that scrolls sideways, unless positioned (its containing block may be outside).
    const contained = (e) => {
      if (getComputedStyle(e).position === 'absolute') return false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const culprits = [];
    for (const e of document.querySelectorAll('main *, header *, footer *')) {
      const b = e.getBoundingClientRect();
      if (b.width === 0 || (b.left >= -0.5 && b.right <= width + 0.5) || contained(e)) continue;
      if (e.classList.contains('skip')) continue; // the skip link waits off screen until focused
      culprits.push(`${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).trim().split(/\s+/).join('.')}` : ''} [${Math.round(b.left)}, ${Math.round(b.right)}]`);
      if (culprits.length === 6) break;
    }
    // A list item set in the other direction than its list puts its marker on the side without padding.
    for (const li of document.querySelectorAll('main li')) {
      const s = getComputedStyle(li);
      if (s.display === 'list-item' && s.listStylePosition === 'outside' && s.direction !== getComputedStyle(li.parentElement).direction) {
        culprits.push(`the marker of ${li.parentElement.tagName.toLowerCase()}.${li.parentElement.className} > li (${s.direction} in ${getComputedStyle(li.parentElement).direction})`);
        break;
      }
    }
    return { overflow, culprits };
  });
}

for (const lang of ['en', 'ar']) {
  test(`no page scrolls sideways at 390 px in ${lang}`, async () => {
    const page = await app.newPage({ width: 390, height: 844, locale: lang });
    // Signed in as the administrator, so that every page (coherence, membership) is there to see.
    const r = await page.request.post(`${app.url}/api/v1/session`, { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(r.status(), 200);
    const pages = [
      ['/', '.purposes li'],
      ['/activities', '[data-testid="world-map"]'],
      ['/stats', null],
      ['/coherence', null],
      ['/meetings', null],
      [`/meetings/${meetingId}`, null],
      ['/positions', null],
      [`/positions/${positionId}`, null],
      ['/initiatives', null],
      ['/chair', null],
      ['/admin/members', null],
      ['/members/iom', null],
    ];
    const wide = [];
    for (const [path, ready] of pages) {
      await page.goto(`${app.url}${path}`);
      await page.locator('main h1').first().waitFor();
      if (ready) await page.locator(ready).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('.loading, .map-placeholder'));
      if (path === '/') await expectDirection(page, lang);
      const { overflow, culprits } = await sidewaysOverflow(page);
      if (overflow > 0) wide.push(`${path}: ${overflow} px wider than the window; outside it: ${culprits.join(', ') || '(none found)'}`);
    }
    assert.deepEqual(wide, [], `pages that scroll sideways at 390 px in ${lang}:\n${wide.join('\n')}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('the password rule shows before any failure, linked to the field', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/admin/users`);
  await page.getByTestId('users').waitFor();
  await page.getByRole('button', { name: 'Create a user' }).click();
  const input = page.getByLabel('Initial password');
  const hint = await page.locator(`[id="${await input.getAttribute('aria-describedby')}"]`).textContent();
  assert.match(hint, /At least 10 characters/);

  // A short one is refused: the error is announced (role=alert) and tied to the field, beside the rule.
  const create = page.locator('form', { has: page.getByRole('heading', { name: 'New user' }) });
  await create.getByLabel('Name').fill('Sid Short');
  await create.getByLabel('E-mail').fill('sid@example.org');
  await create.getByLabel('Role').selectOption('stakeholder');
  await input.fill('short');
  await create.getByRole('button', { name: 'Create user' }).click();
  await create.getByRole('alert').waitFor();
  await page.waitForFunction(() => document.querySelector('input[type=password][aria-invalid=true]'));
  const described = (await input.getAttribute('aria-describedby')).split(' ');
  assert.equal(described.length, 2, 'the rule and the problem');
  const problem = await page.locator(`[id="${described[1]}"]`).textContent();
  assert.match(problem, /at least 10 characters/);
  await create.getByRole('button', { name: 'Cancel' }).click();

  const row = page.getByTestId('users').locator('tr', { hasText: ADMIN_EMAIL });
  await row.getByRole('button', { name: /Edit/ }).click();
  const pw = page.getByLabel('New password');
  const ids = (await pw.getAttribute('aria-describedby')).split(' ');
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  assert.ok(texts.some((t) => /At least 10 characters/.test(t)), texts.join(' | '));
  await page.context().close();
});

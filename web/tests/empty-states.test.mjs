// Empty states (issue 9, "empty states everywhere say what to do next"): every list or section
// that can be empty says what it means for the reader's role and offers the next step (a link
// or button when the reader may act; what to do instead when not), with no axe violation.
// The server starts with an empty activity map, so these states are the first-run ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations, ADMIN_EMAIL, ADMIN_PASSWORD, expectDirection } from './helpers.mjs';

const FP = { email: 'fp.empty@iom.int', name: 'Ina Empty', role: 'focal_point', org: 'iom', password: 'iom-empty-states-pw-1' };
let app, bare;

before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  // An activity with no description, partner or budget, public: its page's empty sections.
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const created = await admin.post('/api/v1/activities', {
    organization_id: 'iom', titles: [{ lang: 'en', text: 'Bare activity' }], type: 'research', visibility: 'public',
    themes: [], countries: [], regions: [], status: 2,
  });
  assert.equal(created.status, 201, created.text);
  bare = created.json.id;
});
after(async () => {
  await app?.stop();
});

const empty = (page, id) => page.getByTestId(id);

test('signed out: the activities list, a search, filters, the chair and a member page say what a visitor can do', async () => {
  const page = await app.newPage();
  // The activity map holds one public activity; filters that exclude it.
  await page.goto(`${app.url}/activities?theme=remittances&country=NP`);
  const none = empty(page, 'no-activities');
  await none.waitFor();
  assert.match(await none.textContent(), /2 filters narrow the list: Theme, Country\./);
  await none.getByRole('button', { name: 'Remove “Country”' }).waitFor();
  await none.getByRole('button', { name: 'Clear all filters' }).waitFor();
  await expectNoAxeViolations(page, 'activities, no match, signed out');
  await none.getByRole('button', { name: 'Remove “Theme”' }).click();
  await page.waitForURL((u) => !u.search.includes('theme=') && u.search.includes('country=NP'));

  // A search whose names became filters offers the words as typed.
  await page.goto(`${app.url}/activities?q=${encodeURIComponent('remittances africa')}`);
  await page.getByTestId('read-as-filters').waitFor();
  const literal = page.getByTestId('search-literally');
  await literal.waitFor();
  assert.match(await literal.textContent(), /remittances africa/);
  await expectNoAxeViolations(page, 'activities, search read as filters found nothing');
  await literal.click();
  await page.waitForURL(/literal=1/);
  assert.match(await empty(page, 'no-activities').textContent(), /Nothing found for “remittances africa”\.[\s\S]*every word/);

  // The licence beside the downloads: none configured, in the reader's words.
  assert.match(await page.getByTestId('data-licence').textContent(), /Licence of the data: no licence is stated yet/);

  // No chair on a date before the first meeting: no admin buttons for a visitor.
  await page.goto(`${app.url}/chair?date=2000-01-01`);
  const noChair = empty(page, 'no-chair');
  await noChair.waitFor();
  assert.match(await noChair.textContent(), /No one chairs on 1 Jan 2000[\s\S]*Try another date/);
  assert.equal(await noChair.getByRole('button').count(), 0);
  await expectNoAxeViolations(page, 'chair, no chair on the date, signed out');

  // IOM has no activity a visitor sees but the public one; UNHCR none: sign in to see more.
  await page.goto(`${app.url}/members/unhcr`);
  const noActs = empty(page, 'no-activities');
  await noActs.waitFor();
  assert.match(await noActs.textContent(), /Visitors see public activities only/);
  await noActs.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.match(await empty(page, 'no-focal-points').textContent(), /accounts that sign in for UNHCR are not listed/);
  await expectNoAxeViolations(page, 'member page, no activities and no focal points, signed out');

  // An activity without description, partners or budget.
  await page.goto(`${app.url}/activities/${bare}`);
  const noDesc = empty(page, 'no-description');
  await noDesc.waitFor();
  assert.match(await noDesc.textContent(), /IOM gave no description/);
  await noDesc.getByRole('link', { name: 'See the page of IOM' }).waitFor();
  assert.match(await empty(page, 'no-partners').textContent(), /IOM named no partner/);
  assert.match(await page.getByTestId('no-budget').textContent(), /IOM did not give a budget/);
  assert.equal(await page.getByRole('link', { name: 'Add a description' }).count(), 0);
  await expectNoAxeViolations(page, 'activity page, empty sections, signed out');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a focal point: record or import, add a focal point, create a first token', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities?type=policy_dialogue`);
  await empty(page, 'no-activities').waitFor();
  await page.goto(`${app.url}/activities/${bare}`);
  const noDesc = empty(page, 'no-description');
  await noDesc.getByRole('link', { name: 'Add a description' }).waitFor();
  await empty(page, 'no-partners').getByRole('link', { name: 'Add partners' }).waitFor();
  await page.getByTestId('no-budget').getByRole('link', { name: 'Add the budget' }).waitFor();
  await expectNoAxeViolations(page, 'activity page, empty sections, its focal point');

  await page.goto(`${app.url}/members/iom`);
  const fps = empty(page, 'no-focal-points');
  await fps.waitFor();
  assert.match(await fps.textContent(), /You act for this organisation: add yourself .* with "Add a focal point"/);
  await page.getByTestId('focal-points').getByRole('button', { name: 'Add a focal point' }).click();
  await page.getByRole('heading', { name: 'New focal point' }).waitFor();
  await expectNoAxeViolations(page, 'member page, own organisation, focal point');

  await page.goto(`${app.url}/tokens`);
  const noTokens = empty(page, 'no-tokens');
  await noTokens.waitFor();
  assert.match(await noTokens.textContent(), /You have no API tokens\.[\s\S]*without your password/);
  await expectNoAxeViolations(page, 'tokens, none, focal point');
  await noTokens.getByRole('button', { name: 'Create your first token' }).click();
  // The token name field takes the focus (in an effect, just after the click's render).
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'name', null, { timeout: 5000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a member of another organisation sees why a list is empty, and no action', async () => {
  const member = { email: 'member.empty@unhcr.org', name: 'Mem Ber', role: 'member', org: 'unhcr', password: 'unhcr-member-pw-12' };
  addUser(app.server.db, member);
  const page = await app.newPage();
  await signIn(page, app.url, member.email, member.password);
  await page.goto(`${app.url}/members/unhcr`);
  const noActs = empty(page, 'no-activities');
  await noActs.waitFor();
  assert.match(await noActs.textContent(), /its focal points record them/);
  await noActs.getByRole('link', { name: 'See all activities' }).waitFor();
  await expectNoAxeViolations(page, 'member page, no activities, member');
  await page.context().close();
});

test('an administrator: plan the chair, clear audit and user filters, empty timeline', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/chair?date=2000-01-01`);
  const noChair = empty(page, 'no-chair');
  await noChair.waitFor();
  await expectNoAxeViolations(page, 'chair, no chair on the date, administrator');
  await noChair.getByRole('button', { name: 'Add a rotation plan' }).click();
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('#rotation-form')), 'the rotation form has the focus');

  // A timeline before the first meeting: no terms, and a way to every term.
  await page.getByLabel('From').fill('1990-01-01');
  await page.getByLabel('To', { exact: true }).fill('1995-01-01');
  await page.getByRole('button', { name: 'Show terms' }).click();
  const noTerms = empty(page, 'no-terms');
  await noTerms.waitFor();
  assert.match(await noTerms.textContent(), /No one chairs between 1 Jan 1990 and 1 Jan 1995/);
  await expectNoAxeViolations(page, 'chair, empty timeline, administrator');
  await noTerms.getByRole('button', { name: 'Since the first meeting' }).click();
  await page.getByTestId('schedule').waitFor();

  await page.goto(`${app.url}/audit?entity_id=999999999`);
  const noAudit = empty(page, 'no-audit-match');
  await noAudit.waitFor();
  assert.match(await noAudit.textContent(), /No entry matches these filters/);
  await expectNoAxeViolations(page, 'audit, nothing under the filter, administrator');
  await noAudit.getByRole('button', { name: 'Clear', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/audit' && u.search === '');

  await page.goto(`${app.url}/admin/users`);
  await page.getByTestId('users').waitFor();
  await page.getByLabel('Filter').fill('zz-nobody-zz');
  const noUsers = empty(page, 'no-users');
  await noUsers.waitFor();
  assert.match(await noUsers.textContent(), /No user matches “zz-nobody-zz”/);
  await expectNoAxeViolations(page, 'users, no match, administrator');
  await noUsers.getByRole('button', { name: 'Clear the filter' }).click();
  await page.getByTestId('users').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the licence an administrator configured shows beside the downloads, its address a link', async () => {
  const licensed = await startApp({ serverArgs: ['--data-licence', 'CC BY 4.0 https://creativecommons.org/licenses/by/4.0/', '--public-url', 'https://hub.example.org'] });
  try {
    const page = await licensed.newPage();
    await page.goto(`${licensed.url}/activities`);
    const licence = page.getByTestId('data-licence');
    await licence.waitFor();
    assert.match(await licence.textContent(), /^Licence of the data: CC BY 4\.0 https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/$/);
    assert.equal(await licence.getByRole('link').getAttribute('href'), 'https://creativecommons.org/licenses/by/4.0/');
    await empty(page, 'no-activities').getByRole('link', { name: 'Sign in' }).waitFor();
    await expectNoAxeViolations(page, 'activities, none yet, licence configured, signed out');
    await page.context().close();
  } finally {
    await licensed.stop();
  }
});

// Lists the seeded hub never leaves empty (themes, members, the audit log, a member's history):
// the server's answers are emptied in the browser, so the page meets what a new installation
// with nothing in it would answer.
test('admin tables, the audit log and a member history with nothing in them', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const emptyList = (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [], next_cursor: null, total: 0 }) });
  const focusIn = (id) => page.evaluate((box) => !!document.activeElement?.closest(`#${box}`), id);

  await page.route(/\/api\/v1\/themes(\?|$)/, emptyList);
  await page.goto(`${app.url}/admin/themes`);
  const noThemes = empty(page, 'no-themes');
  await noThemes.waitFor();
  assert.match(await noThemes.textContent(), /No themes yet\.[\s\S]*add the first theme/);
  await expectNoAxeViolations(page, 'themes admin, none');
  await noThemes.getByRole('button', { name: 'Add a theme' }).click();
  assert.ok(await focusIn('add-theme-form'), 'the new theme form has the focus');

  await page.route(/\/api\/v1\/organizations\?/, emptyList);
  await page.goto(`${app.url}/admin/members`);
  const noOrgs = empty(page, 'no-orgs');
  await noOrgs.waitFor();
  await expectNoAxeViolations(page, 'members admin, none');
  await noOrgs.getByRole('button', { name: 'Admit a member' }).click();
  assert.ok(await focusIn('admit-form'), 'the admit form (or its button) has the focus');

  await page.route(/\/api\/v1\/audit\?/, emptyList);
  await page.goto(`${app.url}/audit`);
  const noAudit = empty(page, 'no-audit');
  await noAudit.waitFor();
  assert.match(await noAudit.textContent(), /Nothing is recorded yet\.[\s\S]*who made it and when/);
  await expectNoAxeViolations(page, 'audit log, empty');

  await page.route(/\/api\/v1\/organizations\/unhcr$/, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    await route.fulfill({ response, json: { ...json, memberships: [] } });
  });
  await page.goto(`${app.url}/members/unhcr`);
  const noHistory = empty(page, 'no-history');
  await noHistory.waitFor();
  assert.match(await noHistory.textContent(), /Record when UNHCR joined/);
  await noHistory.getByRole('link', { name: 'Open the Membership page' }).waitFor();
  await expectNoAxeViolations(page, 'member page, no membership history, administrator');
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // A visitor reading the same empty history is told who keeps it, with no action.
  const visitor = await app.newPage();
  await visitor.route(/\/api\/v1\/organizations\/unhcr$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), memberships: [] } });
  });
  await visitor.goto(`${app.url}/members/unhcr`);
  const history = empty(visitor, 'no-history');
  await history.waitFor();
  assert.match(await history.textContent(), /The GMG secretariat keeps the membership record of UNHCR/);
  assert.equal(await history.getByRole('link').count(), 0);
  await visitor.context().close();
});

test('empty states speak the reader\'s language: French, and Arabic right to left', async () => {
  const fr = await app.newPage({ locale: 'fr-FR' });
  await fr.goto(`${app.url}/activities?theme=remittances&country=NP`);
  const none = empty(fr, 'no-activities');
  await none.waitFor();
  assert.match(await none.textContent(), /2 filtres restreignent la liste/);
  await none.getByRole('button', { name: 'Retirer « Pays »' }).waitFor();
  assert.match(await fr.getByTestId('data-licence').textContent(), /Licence des données : aucune licence/);
  await expectNoAxeViolations(fr, 'activities, no match, French');
  await fr.context().close();

  const ar = await app.newPage({ locale: 'ar' });
  await ar.goto(`${app.url}/chair?date=2000-01-01`);
  const noChair = empty(ar, 'no-chair');
  await noChair.waitFor();
  await expectDirection(ar, 'ar');
  assert.match(await noChair.textContent(), /لا أحد يتولى الرئاسة/);
  await expectNoAxeViolations(ar, 'chair, no chair on the date, Arabic');
  await ar.context().close();
});

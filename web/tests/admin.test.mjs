// The admin and secretariat pages: users, membership, audit log, API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, ADMIN_EMAIL, ADMIN_PASSWORD, openAdminMenu } from './helpers.mjs';

const SEC = { email: 'sec@example.org', name: 'Sam Secretariat', role: 'secretariat', password: 'secretariat-pass-1' };

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, SEC);
});
after(async () => {
  await app?.stop();
});

test('an admin creates a user, changes the role, and deactivates the user', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/admin/users`);
  await page.getByTestId('users').waitFor();
  await page.getByRole('button', { name: 'Create a user' }).click();
  const create = page.locator('form', { has: page.getByRole('heading', { name: 'New user' }) });
  await create.getByLabel('Name').fill('Uma Undp');
  await create.getByLabel('E-mail').fill('uma@example.org');
  await create.getByLabel('Role').selectOption('member');
  await create.getByLabel('Organisation').selectOption('undp');
  await create.getByLabel('Initial password').fill('uma-initial-pass-1');
  await create.getByRole('button', { name: 'Create user' }).click();
  await page.getByText('Created uma@example.org.').waitFor();
  const row = page.getByTestId('users').locator('tr', { hasText: 'uma@example.org' });
  await row.waitFor();
  assert.match(await row.textContent(), /UNDP/);

  await row.getByRole('button', { name: /Edit/ }).click();
  const edit = page.locator('form', { has: page.getByRole('heading', { name: 'Edit uma@example.org' }) });
  await edit.getByLabel('Role').selectOption('focal_point');
  await edit.getByRole('button', { name: 'Save user' }).click();
  await page.getByText('Saved uma@example.org.').waitFor();
  await row.getByText('Focal point').waitFor();

  page.once('dialog', (d) => d.accept());
  await row.getByRole('button', { name: /Deactivate/ }).click();
  await page.getByText('Deactivated uma@example.org.').waitFor();
  await row.getByText('deactivated').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the secretariat admits a member, records it leaving and re-admits it', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  // The secretariat sees Membership and Audit log, not Users.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await openAdminMenu(page);
  await nav.getByRole('link', { name: 'Membership' }).click();
  assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
  await page.getByTestId('orgs').waitFor();

  await page.getByRole('button', { name: 'Admit a new member' }).click();
  const admit = page.locator('form', { has: page.getByRole('heading', { name: 'Admit a new member' }) });
  await admit.getByLabel('Id', { exact: true }).fill('unitar');
  await admit.getByLabel('Acronym').fill('UNITAR');
  await admit.getByLabel('Name', { exact: true }).fill('United Nations Institute for Training and Research');
  await admit.getByLabel('Mandate and migration work').fill('UNITAR trains officials on migration law and policy.');
  await admit.getByLabel('Joined on').fill('2007-01-15');
  await admit.getByRole('button', { name: 'Admit member' }).click();
  await page.getByText('Admitted UNITAR.').waitFor();
  const row = page.getByTestId('orgs').locator('tr', { hasText: 'UNITAR' });

  await row.getByRole('button', { name: /Record leaving/ }).click();
  const leave = page.locator('form', { has: page.getByRole('heading', { name: 'Record UNITAR leaving the GMG' }) });
  await leave.getByText(/began on 15 Jan 2007/).waitFor();
  await leave.getByLabel('Left on').fill('2010-06-30');
  await leave.getByRole('button', { name: 'Record leaving' }).click();
  await page.getByText('Recorded UNITAR leaving.').waitFor();
  await row.getByText('former').waitFor();

  await row.getByRole('button', { name: /Re-admit/ }).click();
  const readmit = page.locator('form', { has: page.getByRole('heading', { name: 'Re-admit UNITAR' }) });
  await readmit.getByLabel('Joined on').fill('2012-01-01');
  await readmit.getByRole('button', { name: 'Re-admit' }).click();
  await page.getByText('Re-admitted UNITAR.').waitFor();
  await row.getByText('current').waitFor();

  // The member page shows both membership periods.
  await row.getByRole('link', { name: 'UNITAR' }).click();
  await page.getByRole('heading', { level: 1, name: /UNITAR/ }).waitFor();
  const history = page.locator('table', { hasText: 'Joined' });
  assert.equal(await history.locator('tbody tr').count(), 2);

  // Rules broken are shown next to the form: the same id again.
  await page.goto(`${app.url}/admin/members`);
  await page.getByRole('button', { name: 'Admit a new member' }).click();
  await admit.getByLabel('Id', { exact: true }).fill('unitar');
  await admit.getByLabel('Acronym').fill('UNITAR');
  await admit.getByLabel('Name', { exact: true }).fill('Duplicate');
  await admit.getByLabel('Mandate and migration work').fill('Duplicate.');
  await admit.getByRole('button', { name: 'Admit member' }).click();
  await admit.getByTestId('error').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the audit log shows changes with before and after, page by page', async () => {
  // Make more than one page of entries (the page size is 50).
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  for (let i = 0; i < 26; i++) {
    const r = await admin.post('/api/v1/tokens', { name: `bulk ${i}` });
    assert.equal(r.status, 201, r.text);
    const d = await admin.del(`/api/v1/tokens/${r.json.id}`);
    assert.ok(d.status < 300, d.text);
  }
  const g = await admin.get('/api/v1/organizations/ilo');
  const p = await admin.patch('/api/v1/organizations/ilo', { website: 'https://www.ilo.org/migration' }, { headers: { 'if-match': g.headers.get('etag') } });
  assert.equal(p.status, 200, p.text);

  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  await page.goto(`${app.url}/audit`);
  const entries = page.getByTestId('audit').locator('li');
  await entries.first().waitFor();
  const firstPage = await entries.count();
  assert.ok(firstPage >= 50, `a full first page (${firstPage})`);
  await page.getByRole('button', { name: 'Load older entries' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit"] > li').length > n, firstPage);

  await page.getByLabel('Record id').fill('ilo');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/entity_id=ilo/);
  const ilo = page.getByTestId('audit').locator('li', { hasText: 'https://www.ilo.org/migration' });
  await ilo.first().waitFor();
  await ilo.first().locator('td.after', { hasText: 'https://www.ilo.org/migration' }).first().waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the audit log reads out changes in words, links records, and picks the kind of record', async () => {
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const long = `Decent work for migrant domestic workers. ${'More detail. '.repeat(40)}The end.`;
  const created = await admin.post('/api/v1/activities', {
    organization_id: 'ilo', titles: [{ lang: 'en', text: 'Domestic workers corridor' }], descriptions: [{ lang: 'en', text: 'Short.' }],
    type: 'training', themes: ['labour-migration'], countries: ['NP'], starts_on: '2025-01-01', status: 2, visibility: 'public',
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const changed = await admin.patch(`/api/v1/activities/${id}`, { titles: [{ lang: 'en', text: 'Domestic workers corridor, phase 2' }], descriptions: [{ lang: 'en', text: long }], countries: ['NP', 'QA'] },
    { headers: { 'if-match': created.headers.get('etag') } });
  assert.equal(changed.status, 200, changed.text);
  assert.equal((await admin.post('/api/v1/tokens', { name: 'audit picker' })).status, 201);

  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  await page.goto(`${app.url}/audit`);
  await page.getByTestId('audit').locator('li').first().waitFor();
  // The picker lists the kinds of record the log holds; picking one filters by its exact name.
  const picker = page.getByLabel('Kind of record');
  await picker.locator('option', { hasText: /^activity$/ }).waitFor({ state: 'attached' });
  assert.equal(await picker.locator('option', { hasText: 'API token' }).evaluate((o) => o.value), 'api_token', 'kinds in words');
  await picker.selectOption('activity');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/entity=activity/);
  const entry = page.getByTestId('audit').locator('li', { hasText: 'changed activity' }).filter({ hasText: 'phase 2' }).first();
  await entry.waitFor();
  // A readable difference: the field in words, before and after as text, not JSON.
  const title = entry.locator('tr', { has: page.getByRole('rowheader', { name: 'Titles', exact: true }) });
  assert.equal((await title.locator('td.before').textContent()).trim(), 'Domestic workers corridor (en)');
  assert.equal((await title.locator('td.after').textContent()).trim(), 'Domestic workers corridor, phase 2 (en)');
  const countries = entry.locator('tr', { has: page.getByRole('rowheader', { name: 'Countries', exact: true }) });
  assert.equal((await countries.locator('td.after').textContent()).trim(), 'NP; QA');
  assert.doesNotMatch(await entry.textContent(), /[{}"]|"lang"/, 'no raw JSON');
  assert.equal(await entry.locator('tr', { has: page.getByRole('rowheader', { name: 'Version' }) }).count(), 0, 'bookkeeping fields left out');
  // A long text is shortened, with a way to read it all.
  const description = entry.locator('tr', { has: page.getByRole('rowheader', { name: 'Descriptions', exact: true }) }).locator('td.after');
  const more = description.locator('summary');
  assert.match(await more.textContent(), /… \(show all \d+ characters\)$/);
  assert.equal(await description.locator('.full-value').isVisible(), false);
  await more.click();
  assert.match(await description.locator('.full-value').textContent(), /The end\. \(en\)$/);
  // The record is named by its title and links to its page.
  const link = entry.getByTestId('audit-record');
  assert.equal((await link.textContent()).trim(), `Domestic workers corridor, phase 2 (${id})`);
  await link.click();
  await page.waitForURL(new RegExp(`/activities/${id}$`));
  await page.getByRole('heading', { name: 'Domestic workers corridor, phase 2' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('any signed-in user creates a token (shown once), uses it, and revokes it', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill('nightly import');
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByTestId('new-token');
  await shown.waitFor();
  const token = await shown.getByLabel('Token').inputValue();
  assert.match(token, /^gmg_/);
  const row = page.getByTestId('tokens').locator('tr', { hasText: 'nightly import' });
  await row.waitFor();
  assert.ok(!(await page.getByTestId('tokens').textContent()).includes(token), 'the list never shows the secret');

  const script = new Client(app.url);
  script.bearer = token;
  assert.equal((await script.get('/api/v1/tokens')).status, 200);

  page.once('dialog', (d) => d.accept());
  await row.getByRole('button', { name: /Revoke/ }).click();
  await page.getByText('Revoked "nightly import".').waitFor();
  assert.equal(await page.getByTestId('new-token').count(), 0, 'the secret is gone from the page');
  assert.equal((await script.get('/api/v1/tokens')).status, 401);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

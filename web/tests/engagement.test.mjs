// Stakeholders and engagement (issue 13) in the browser against the real server: the public
// directory of the seeded regional consultative processes, filtered by kind; a state's own
// account records a request for support with the form; the secretariat routes it to IOM; IOM's
// focal point answers; the state's account follows it to "Answered"; another state's account
// is told there is no such request; axe on each page. Waits for data on screen, never for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations } from './helpers.mjs';

const PASS = 'engagement-test-password-1';
const SEC = { email: 'sec.engagement@example.org', name: 'Sam Secretariat', role: 'secretariat', password: PASS };
const FP_IOM = { email: 'fp.iom.engagement@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: PASS };
const MEX = { email: 'delegate.mex@example.org', name: 'Mara Delegate', role: 'stakeholder', password: PASS };
const CHL = { email: 'delegate.chl@example.org', name: 'Carlos Delegate', role: 'stakeholder', password: PASS };

let app;
before(async () => {
  app = await startApp();
  for (const u of [SEC, FP_IOM, MEX, CHL]) addUser(app.server.db, u);
  const sec = new Client(app.url);
  await sec.signIn(SEC.email, SEC.password);
  for (const [country, account] of [['MEX', MEX], ['CHL', CHL]]) {
    const s = await sec.post('/api/v1/stakeholders', { kind: 'state', country });
    assert.equal(s.status, 201, s.text);
    assert.equal((await sec.post(`/api/v1/stakeholders/${s.json.id}/accounts`, { email: account.email })).status, 201);
  }
});
after(async () => {
  await app?.stop();
});

test('the public directory lists the regional consultative processes and filters by kind', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/stakeholders`);
  await page.getByRole('heading', { level: 1, name: 'Stakeholders' }).waitFor();
  const table = page.getByTestId('stakeholders');
  await table.getByRole('link', { name: 'Colombo Process' }).waitFor();
  await page.getByLabel('Kind', { exact: true }).selectOption('state');
  await table.getByRole('link', { name: 'Mexico' }).waitFor();
  await table.getByRole('link', { name: 'Colombo Process' }).waitFor({ state: 'detached' });
  await expectNoAxeViolations(page, 'stakeholder directory');
  await table.getByRole('link', { name: 'Mexico' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mexico' }).waitFor();
  assert.equal(await page.getByTestId('contacts').count(), 0, 'no contacts for the public');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a state records a request; the secretariat routes it; the member's focal point answers", async () => {
  const state = await app.newPage();
  await signIn(state, app.url, MEX.email, MEX.password);
  await state.goto(`${app.url}/support-requests`);
  await state.getByRole('heading', { level: 1, name: 'Support requests' }).waitFor();
  const form = state.getByTestId('request-form');
  await form.getByLabel('Request', { exact: true }).fill('Help with a migration profile');
  await form.getByRole('button', { name: 'Record a request' }).click();
  const row = state.getByTestId('requests').getByRole('link', { name: 'Help with a migration profile' });
  await row.waitFor();
  await expectNoAxeViolations(state, 'request tracker');
  await row.click();
  await state.getByRole('heading', { level: 1, name: 'Help with a migration profile' }).waitFor();
  const path = new URL(state.url()).pathname;

  const sec = await app.newPage();
  await signIn(sec, app.url, SEC.email, SEC.password);
  await sec.goto(`${app.url}${path}`);
  const route = sec.getByTestId('route-form');
  await route.getByLabel('GMG member').selectOption('iom');
  await route.getByRole('button', { name: 'Route to this member' }).click();
  await sec.getByTestId('request-status').getByText('Routed').waitFor();
  await expectNoAxeViolations(sec, 'request page, secretariat');

  const fp = await app.newPage();
  await signIn(fp, app.url, FP_IOM.email, FP_IOM.password);
  await fp.goto(`${app.url}${path}`);
  const answer = fp.getByTestId('answer-form');
  await answer.getByLabel('Answer', { exact: true }).fill('IOM will send two experts.');
  await answer.getByRole('button', { name: 'Answer for your organisation' }).click();
  await fp.getByTestId('request-status').getByText('Answered').waitFor();

  await state.reload();
  await state.getByTestId('routes').getByText('IOM will send two experts.').waitFor();
  await state.getByTestId('request-status').getByText('Answered').waitFor();

  const other = await app.newPage();
  await signIn(other, app.url, CHL.email, CHL.password);
  await other.goto(`${app.url}${path}`);
  await other.getByRole('heading', { level: 1, name: 'No such request' }).waitFor();
  for (const p of [state, sec, fp]) assert.deepEqual(p.problems, []);
  for (const p of [state, sec, fp, other]) await p.context().close();
});

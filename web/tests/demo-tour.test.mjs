// The newcomer's tour of the demo (issue 12: "a secretariat can run a meeting cycle and an
// endorsement round end to end in the browser"), against the real server after `gmg demo
// load`: a new focal point goes from the meetings to a past demo meeting, to the position in its
// endorsement round (the matrix, the stand form), and to the demo initiative, whose linked
// meetings and positions are named links that lead back to them, with its follow-up actions.
// The public sees the same initiative without the positions it may not read. Only what a user
// sees is asserted; waits for data on screen, never for time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations } from './helpers.mjs';
import { runGmg } from '../../tests/lib/server.mjs';

const NEWCOMER = { email: 'new.fp@unodc.example.org', name: 'Nadia Newcomer', role: 'focal_point', org: 'unodc', password: 'demo-tour-password-1' };
const INITIATIVE = 'Demo: Joint work on migration data';
const IN_ROUND = 'Demo: Statement on the human rights of migrants at borders';
const ADOPTED = 'Demo: Common position on fair and ethical recruitment';

let app;
let missing = '';
before(async () => {
  app = await startApp();
  addUser(app.server.db, NEWCOMER);
  const demo = runGmg(['demo', 'load', '--db', app.server.db]);
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  const r = await new Client(app.url).get('/api/v1/initiatives/demo-migration-data');
  if (r.status !== 200) missing = `this server has no demo initiative (${r.status})`;
});
after(async () => {
  await app?.stop();
});

test('a newcomer tours the demo: meetings, a position in its endorsement round, an initiative and its links', async (t) => {
  if (missing) return t.skip(missing);
  const page = await app.newPage();
  await signIn(page, app.url, NEWCOMER.email, NEWCOMER.password);

  // Meetings: the demo's past meetings, one opened.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
  const past = page.getByTestId('past');
  const meetingLink = past.getByRole('link', { name: /^Demo:/ }).first();
  const meetingTitle = (await meetingLink.textContent()).trim();
  await meetingLink.click();
  await page.getByTestId('meeting').getByRole('heading', { level: 1, name: meetingTitle }).waitFor();
  await page.getByTestId('meeting-status').first().waitFor();

  // Positions: the one in its endorsement round, with the members' stands so far.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Positions', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Common positions' }).waitFor();
  const row = page.getByTestId('positions-list').locator('tr', { hasText: IN_ROUND });
  assert.match(await row.textContent(), /Endorsement round/);
  await row.getByRole('link', { name: IN_ROUND }).click();
  await page.getByRole('heading', { level: 1, name: IN_ROUND }).waitFor();
  await page.getByTestId('round').waitFor();
  await page.locator('[data-testid="matrix"] tr[data-org="iom"][data-stand="endorse"]').waitFor();
  await page.getByTestId('stand-form').waitFor(); // UNODC has not stood yet: it may

  // The initiative: its linked meetings and positions by name, and its follow-up actions.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Positions', exact: true }).click();
  await page.getByTestId('positions-page').getByRole('link', { name: 'Initiatives' }).click();
  await page.getByRole('heading', { level: 1, name: 'Initiatives' }).waitFor();
  await page.getByTestId('initiatives').getByRole('link', { name: INITIATIVE }).click();
  await page.getByRole('heading', { level: 1, name: INITIATIVE }).waitFor();
  const meetings = page.getByTestId('linked-meetings');
  await meetings.getByRole('link', { name: /^Demo:/ }).first().waitFor();
  const positions = page.getByTestId('linked-positions');
  for (const title of [IN_ROUND, ADOPTED]) await positions.getByRole('link', { name: title }).waitFor();
  assert.match(await positions.textContent(), /Endorsement round/);
  const followUp = page.getByTestId('followup');
  await followUp.getByText("Demo: collect members' comments on the common position").waitFor();
  assert.equal(await followUp.locator('tbody tr').count(), 3);
  await expectNoAxeViolations(page, 'demo initiative');

  // Its links lead to what they name.
  await meetings.getByRole('link', { name: /^Demo:/ }).first().click();
  await page.getByTestId('meeting').waitFor();
  await page.goBack();
  await page.getByTestId('linked-positions').getByRole('link', { name: IN_ROUND }).click();
  await page.getByRole('heading', { level: 1, name: IN_ROUND }).waitFor();
  await page.getByTestId('round').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the public sees the demo initiative with its meetings and only the positions it may read', async (t) => {
  if (missing) return t.skip(missing);
  const page = await app.newPage();
  await page.goto(`${app.url}/initiatives`);
  await page.getByTestId('initiatives').getByRole('link', { name: INITIATIVE }).click();
  await page.getByRole('heading', { level: 1, name: INITIATIVE }).waitFor();
  await page.getByTestId('linked-meetings').getByRole('link', { name: /^Demo:/ }).first().waitFor();
  const positions = page.getByTestId('linked-positions');
  await positions.getByRole('link', { name: ADOPTED }).waitFor();
  assert.equal(await positions.getByText(IN_ROUND).count(), 0, 'a position in its round is not public');
  assert.equal(await page.getByTestId('followup').count(), 0);
  await expectNoAxeViolations(page, 'demo initiative, public');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

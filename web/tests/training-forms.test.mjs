// The training forms in the browser against the real server: a focal point creates a course
// through "New course", edits its title, adds a session (a date error first: shown beside its
// field, nothing created), then edits the session's capacity; axe on the forms. A participant
// sees no "New course" and the route shows the app's "Not available" page. Waits for data on
// screen, never only for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations } from './helpers.mjs';

const PASS = 'training-forms-password-1';
const FP = { email: 'fp.iom.forms@example.org', name: 'Farid Focal', role: 'focal_point', org: 'iom', password: PASS };
const P = { email: 'p.forms@example.org', name: 'Pia Participant', role: 'stakeholder', password: PASS };
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

let app;
let hasTraining = false;
before(async () => {
  app = await startApp();
  for (const u of [FP, P]) addUser(app.server.db, u);
  hasTraining = (await new Client(app.url).get('/api/v1/training/courses')).status === 200;
});
after(async () => {
  await app?.stop();
});

test('training forms: a focal point creates and edits a course, adds and edits a session', async (t) => {
  if (!hasTraining) return t.skip('the training routes are not in this build');
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/training`);
  await page.getByRole('link', { name: 'New course' }).click();
  const form = page.getByTestId('course-form');
  await page.getByRole('heading', { level: 1, name: 'New course' }).waitFor();
  const iom = form.getByRole('checkbox', { name: 'International Organization for Migration' });
  await iom.waitFor();
  assert.ok(await iom.isChecked(), "the focal point's own organisation is ticked");
  await form.getByLabel('Title').fill('Border screening basics');
  await form.getByLabel('Topic').selectOption('refugee_protection');
  await form.getByLabel('Description').fill('Screening and referral at borders.');
  await expectNoAxeViolations(page, 'the new course form');
  await form.getByRole('button', { name: 'Create the course' }).click();
  await page.getByRole('heading', { level: 1, name: 'Border screening basics' }).waitFor();
  const id = new URL(page.url()).pathname.split('/').pop();

  await page.getByRole('link', { name: 'Edit the course' }).click();
  await page.getByRole('heading', { level: 1, name: 'Edit the course' }).waitFor();
  await form.getByLabel('Title').fill('Border screening and referral');
  await form.getByRole('button', { name: 'Save the course' }).click();
  await page.getByRole('heading', { level: 1, name: 'Border screening and referral' }).waitFor();

  // A session whose end comes before its start: the server's problem beside "Ends on", the
  // keyboard on that field, and no session created.
  await page.getByRole('button', { name: 'Add a session' }).click();
  const add = page.getByTestId('session-form');
  await add.getByLabel('Starts on').fill(day(30));
  await add.getByLabel('Ends on').fill(day(29));
  await add.getByLabel('Registration deadline').fill(day(20));
  await add.getByLabel('City', { exact: true }).fill('Nairobi');
  await add.getByLabel('Country').fill('ken');
  await add.getByLabel('Audience').selectOption('government_officials');
  await add.getByLabel('Language').selectOption('fr');
  await add.getByLabel('Capacity (seats)').fill('25');
  await add.getByRole('button', { name: 'Add the session' }).click();
  const ends = add.getByLabel('Ends on');
  await add.locator('.field-error', { hasText: 'must not come before the start date' }).waitFor();
  assert.equal(await ends.getAttribute('aria-invalid'), 'true');
  assert.ok(await ends.evaluate((el) => el === document.activeElement), 'the first field in error has the focus');
  await expectNoAxeViolations(page, 'the session form with an error');
  const api = new Client(app.url);
  assert.equal((await api.get(`/api/v1/training/courses/${id}`)).json.sessions.length, 0, 'nothing created');

  await ends.fill(day(31));
  await add.getByRole('button', { name: 'Add the session' }).click();
  await page.getByText('Session added.').waitFor();
  const card = page.getByTestId('session').filter({ hasText: 'Nairobi' });
  await card.getByText('0 of 25 seats taken').waitFor();
  const saved = (await api.get(`/api/v1/training/courses/${id}`)).json.sessions[0];
  assert.deepEqual([saved.place.country, saved.language, saved.audience], ['KEN', 'fr', 'government_officials']);

  await card.getByRole('button', { name: /^Edit session/ }).click();
  const edit = card.getByTestId('session-form');
  await edit.getByLabel('Capacity (seats)').fill('30');
  await edit.getByRole('button', { name: 'Save the session' }).click();
  await page.getByText('Session saved.').waitFor();
  await card.getByText('0 of 30 seats taken').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('training forms: a participant has no "New course" and the route is not available', async (t) => {
  if (!hasTraining) return t.skip('the training routes are not in this build');
  const page = await app.newPage();
  await signIn(page, app.url, P.email, P.password);
  await page.goto(`${app.url}/training`);
  await page.getByRole('heading', { level: 1, name: 'Training and capacity building' }).waitFor();
  await page.getByTestId('courses').or(page.getByTestId('no-courses')).first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'New course' }).count(), 0);
  await page.goto(`${app.url}/training/courses/new`);
  await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  assert.equal(await page.getByTestId('course-form').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

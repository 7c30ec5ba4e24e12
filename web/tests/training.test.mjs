// Training and capacity building (issue 13) in the browser against the real server: the
// catalogue filtered by topic, a participant joining a full session's wait list and seeing
// "Wait list #1", an organiser marking attendance on a started session, the report page; axe on
// each. Waits for data on screen, never only for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations } from './helpers.mjs';

const PASS = 'training-test-password-1';
const FP_IOM = { email: 'fp.iom.training@example.org', name: 'Ines Organiser', role: 'focal_point', org: 'iom', password: PASS };
const P1 = { email: 'p1.training@example.org', name: 'Pablo Participant', role: 'stakeholder', password: PASS };
const P2 = { email: 'p2.training@example.org', name: 'Paula Participant', role: 'stakeholder', password: PASS };

let app;
let hasTraining = false;
let course;
before(async () => {
  app = await startApp();
  for (const u of [FP_IOM, P1, P2]) addUser(app.server.db, u);
  hasTraining = (await new Client(app.url).get('/api/v1/training/courses')).status === 200;
  if (!hasTraining) return;
  const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
  const fp = new Client(app.url);
  await fp.signIn(FP_IOM.email, FP_IOM.password);
  course = (await fp.post('/api/v1/training/courses', { title: 'Refugee protection at borders', topic: 'refugee_protection', description: 'Screening and referral.', organizers: ['iom'] })).json;
  const full = (await fp.post(`/api/v1/training/courses/${course.id}/sessions`, { starts_on: day(20), ends_on: day(21), city: 'Nairobi', country: 'KEN', audience: 'government_officials', language: 'en', capacity: 1, registration_deadline: day(15) })).json;
  const started = (await fp.post(`/api/v1/training/courses/${course.id}/sessions`, { starts_on: day(0), ends_on: day(1), online: true, audience: 'government_officials', language: 'fr', capacity: 10, registration_deadline: day(0) })).json;
  const p2 = new Client(app.url);
  await p2.signIn(P2.email, P2.password);
  assert.equal((await p2.post(`/api/v1/training/sessions/${full.id}/registrations`)).status, 201);
  assert.equal((await p2.post(`/api/v1/training/sessions/${started.id}/registrations`)).status, 201);
});
after(async () => {
  await app?.stop();
});

test('training: a participant finds a course by topic and joins the wait list of a full session', async (t) => {
  if (!hasTraining) return t.skip('the training routes are not in this build');
  const page = await app.newPage();
  await signIn(page, app.url, P1.email, P1.password);
  await page.goto(`${app.url}/training`);
  await page.getByRole('heading', { level: 1, name: 'Training and capacity building' }).waitFor();
  await page.getByLabel('Topic').selectOption('refugee_protection');
  await page.getByTestId('courses').getByRole('link', { name: 'Refugee protection at borders' }).click();
  await page.getByRole('heading', { level: 1, name: 'Refugee protection at borders' }).waitFor();
  const full = page.getByTestId('session').filter({ hasText: 'Nairobi' });
  await full.getByText('1 of 1 seats taken').waitFor();
  await full.getByRole('button', { name: 'Join the wait list' }).click();
  await full.getByTestId('my-registration').getByText('Wait list #1').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Participants' }).count(), 0, 'participants are for organisers');
  await expectNoAxeViolations(page, 'a course, a participant on the wait list');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('training: an organiser marks attendance; the report shows the member', async (t) => {
  if (!hasTraining) return t.skip('the training routes are not in this build');
  const page = await app.newPage();
  await signIn(page, app.url, FP_IOM.email, FP_IOM.password);
  await page.goto(`${app.url}/training/courses/${course.id}`);
  const started = page.getByTestId('session').filter({ hasText: 'Online' });
  await started.getByRole('button', { name: 'Participants' }).click();
  const list = started.getByTestId('participants');
  await list.getByText(P2.email).waitFor();
  await list.getByLabel(`Attendance of ${P2.name}`).selectOption('attended');
  await list.getByRole('button', { name: 'Save attendance' }).click();
  await started.getByText('Attendance saved.').waitFor();
  await expectNoAxeViolations(page, 'a course, its organiser');

  await page.goto(`${app.url}/training/report`);
  await page.getByRole('heading', { level: 1, name: 'Training report' }).waitFor();
  const row = page.getByTestId('report-orgs').getByRole('row', { name: /International Organization for Migration/ });
  await row.getByText('100%').waitFor();
  await expectNoAxeViolations(page, 'the training report');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

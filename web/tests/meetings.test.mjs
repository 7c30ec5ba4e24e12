// Meetings, minutes and actions (issue 12) in the browser against the real meetings module
// (meetings-flow.mjs has the scenario). A server without the meetings API (GET /api/v1/meetings
// answers 404), or without minutes and actions (GET /api/v1/actions), skips the tests that need
// it, saying so; meetings-ui.test.mjs runs the same scenario with the
// API's answers given by the test.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client } from './helpers.mjs';
import { meetingScenario, SEC, IOM, UNHCR } from './meetings-flow.mjs';

let app;
let missing = {};
// An organisation the scenario gives no action: the home page's counts test has it to itself.
const ILO = { email: 'fp.ilo.meet@gmg.test', name: 'Ilona ILO', role: 'focal_point', org: 'ilo', password: 'ilo-password-123' };

before(async () => {
  app = await startApp();
  for (const u of [SEC, IOM, UNHCR, ILO]) addUser(app.server.db, u);
  for (const [needs, path] of [['meetings', '/api/v1/meetings'], ['minutes', '/api/v1/actions']]) {
    const r = await fetch(`${app.url}${path}`);
    if (r.status === 404) missing[needs] = `this server has no ${needs} API (${path} answers 404)`;
  }
});
after(async () => {
  await app?.stop();
});

meetingScenario({
  app: () => app,
  skip: (needs) => missing.meetings || (needs === 'minutes' && missing.minutes) || false,
  signInAs: (page, u) => signIn(page, app.url, u.email, u.password),
  async createAction(body) {
    const sec = new Client(app.url);
    await sec.signIn(SEC.email, SEC.password);
    const made = await sec.post('/api/v1/actions', body);
    assert.equal(made.status, 201, made.text);
    return made.json.id;
  },
  async checkFeed(url, title) {
    const r = await fetch(url);
    assert.equal(r.status, 200);
    // The exact header is tests/e2e/ical.test.mjs's to check.
    assert.match(r.headers.get('content-type') ?? '', /text\/calendar/);
    const text = (await r.text()).replace(/\r\n[ \t]/g, ''); // unfolded (RFC 5545 3.1)
    assert.ok(text.includes(`SUMMARY:${title}`), 'the planned meeting is in the feed');
  },
  async expectRefused(u, actionId) {
    const c = new Client(app.url);
    await c.signIn(u.email, u.password);
    const current = await c.get(`/api/v1/actions/${actionId}`);
    assert.equal(current.status, 200, current.text);
    const refused = await c.patch(`/api/v1/actions/${actionId}`, { status: 'done' }, { headers: { 'if-match': current.headers.get('etag') ?? current.json.etag ?? '' } });
    assert.equal(refused.status, 403, refused.text);
    const note = await c.post(`/api/v1/actions/${actionId}/notes`, { text: 'Not ours' });
    assert.equal(note.status, 403, note.text);
  },
});

test("the home page lists its organisation's first 8 actions and counts them all from the API's totals", async (c) => {
  if (missing.meetings || missing.minutes) return c.skip(missing.meetings || missing.minutes);
  const sec = new Client(app.url);
  await sec.signIn(SEC.email, SEC.password);
  const day = (n) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);
  // Twelve open or in progress, nine of them overdue, and one done: more than the panel lists.
  const made = [];
  for (let i = 0; i < 13; i++) {
    const body = { title: `ILO follow-up ${i + 1}`, owner_org: 'ilo', due_date: day(i < 9 ? -20 + i : 10 + i), status: i === 12 ? 'done' : i % 3 === 0 ? 'in_progress' : 'open' };
    const r = await sec.post('/api/v1/actions', body);
    assert.equal(r.status, 201, r.text);
    made.push(r.json.id);
  }
  const page = await app.newPage();
  const asked = [];
  page.on('request', (req) => {
    if (/\/api\/v1\/organizations\/ilo\/actions/.test(req.url())) asked.push(new URL(req.url()).searchParams.get('limit'));
  });
  await signIn(page, app.url, ILO.email, ILO.password);
  await page.goto(`${app.url}/`);
  const mine = page.getByTestId('my-actions');
  await mine.getByTestId('my-actions-summary').getByText('12 open actions, 9 overdue').waitFor();
  assert.ok(asked.length > 0 && asked.every((l) => l === '8'), `the panel asks for the eight it lists: ${asked}`);
  const rows = mine.locator('li[data-action]');
  assert.equal(await rows.count(), 8);
  // Soonest due first: the first eight overdue ones, in due order.
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => Number(e.dataset.action))), made.slice(0, 8));
  assert.equal(await mine.locator('li.overdue').count(), 8);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

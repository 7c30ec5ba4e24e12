// Meetings, minutes and actions (issue 12) in the browser against the real meetings module
// (meetings-flow.mjs has the scenario). A server without the meetings API (GET /api/v1/meetings
// answers 404), or without minutes and actions (GET /api/v1/actions), skips the tests that need
// it, saying so; meetings-ui.test.mjs runs the same scenario with the
// API's answers given by the test.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client } from './helpers.mjs';
import { meetingScenario, SEC, IOM, UNHCR } from './meetings-flow.mjs';

let app;
let missing = {};

before(async () => {
  app = await startApp();
  for (const u of [SEC, IOM, UNHCR]) addUser(app.server.db, u);
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

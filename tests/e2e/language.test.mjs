// The web-app language remembered with the account (issue 9): PATCH /api/v1/session
// {"language": …} sets it for the signed-in user, GET /session and the user JSON return it, it
// survives signing out and in, the change is audited, and anything outside the UN's six is
// refused naming the field. Runs on SQLite, or PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const MEMBER = { email: 'staff@unhcr.org', name: 'UNHCR Staff', role: 'member', org: 'unhcr', password: 'unhcr-member-pw' };
let server;

before(async () => {
  server = await startServer();
  addUser(server.db, MEMBER);
});
after(async () => { await server.stop(); });

async function signedIn() { const c = new Client(server.url); await c.signIn(MEMBER.email, MEMBER.password); return c; }

test('a user has no language until they pick one; the pick survives signing out and in', async () => {
  const c = await signedIn();
  assert.equal((await c.get('/api/v1/session')).json.user.language, null);

  const r = await c.patch('/api/v1/session', { language: 'fr' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.language, 'fr');
  assert.equal(r.json.csrf_token, c.csrf);

  assert.equal((await c.del('/api/v1/session')).status, 204);
  const again = new Client(server.url);
  const user = await again.signIn(MEMBER.email, MEMBER.password);
  assert.equal(user.language, 'fr');
  assert.equal((await again.get('/api/v1/session')).json.user.language, 'fr');

  const admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const seen = await admin.get(`/api/v1/users/${user.id}`);
  assert.equal(seen.json.language, 'fr');
  const audit = await admin.get(`/api/v1/audit?entity=user&entity_id=${user.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((e) => e.after?.language === 'fr'), audit.text);

  const cleared = await again.patch('/api/v1/session', { language: null });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.user.language, null);
});

test('only en, fr, es, ar, zh, ru are accepted, with a 422 naming the field', async () => {
  const c = await signedIn();
  for (const body of [{ language: 'de' }, { language: 'FR' }, { language: 7 }, {}, { language: 'fr', other: 1 }]) {
    const r = await c.patch('/api/v1/session', body);
    assert.ok(r.status === 422 || r.status === 400, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_argument');
  }
  const r = await c.patch('/api/v1/session', { language: 'de' });
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['language']);
  for (const lang of ['en', 'es', 'ar', 'zh', 'ru']) {
    assert.equal((await c.patch('/api/v1/session', { language: lang })).json.user.language, lang);
  }
});

test('without the CSRF token, or signed out, the language cannot be set', async () => {
  const c = await signedIn();
  const noCsrf = await c.patch('/api/v1/session', { language: 'es' }, { headers: { 'x-csrf-token': 'wrong' } });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  const anonymous = await new Client(server.url).patch('/api/v1/session', { language: 'es' });
  assert.equal(anonymous.status, 401, anonymous.text);
});

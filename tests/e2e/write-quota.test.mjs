// End-to-end: the write quota (docs/security.md "Write quota", docs/operations.md): a token
// bucket per signed-in user, and per client address for the anonymous, for POST, PUT, PATCH and
// DELETE. The server runs with a small quota (--writes-per-minute 1 --write-burst 3: a token a
// minute, so nothing refills while the test runs): the fourth write of a user is 429 with
// Retry-After and the standard error body, and changes nothing; another user, and reads, go on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const FP = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const PREFS = '/api/v1/notifications/preferences';
let server;

before(async () => {
  server = await startServer({ args: ['--writes-per-minute', '1', '--write-burst', '3'] });
  addUser(server.db, FP);
});
after(async () => { await server?.stop(); });

function assertQuotaAnswer(r) {
  assert.equal(r.status, 429, r.text);
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.equal(r.json.error.code, 'resource_exhausted');
  assert.deepEqual(r.json.error.details.map((d) => [d.field, d.rule, d.args]), [['', 'too_many_writes', { per_minute: '1', burst: '3' }]]);
}

test('the flags are documented in serve --help', () => {
  const r = runGmg(['serve', '--help']);
  assert.match(r.stdout, /--writes-per-minute/);
  assert.match(r.stdout, /--write-burst/);
});

test('a user: a burst of 3 writes, then 429 with Retry-After, nothing changed; another user and reads go on', async () => {
  // Two sign-ins from this address: two of the address's three anonymous writes.
  const admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const fp = new Client(server.url);
  await fp.signIn(FP.email, FP.password);
  for (const hour of [1, 2, 3]) {
    const r = await admin.request('PUT', PREFS, { body: { digest_hour: hour } });
    assert.equal(r.status, 200, r.text);
  }
  assertQuotaAnswer(await admin.request('PUT', PREFS, { body: { digest_hour: 9 } }));
  assertQuotaAnswer(await admin.del('/api/v1/session'));
  assert.equal((await admin.get(PREFS)).json.digest_hour, 3, 'the refused write changed nothing');
  assert.equal((await admin.get('/api/v1/session')).status, 200, 'reads are not counted; still signed in');
  // Another user has a bucket of its own.
  const other = await fp.request('PUT', PREFS, { body: { digest_hour: 5 } });
  assert.equal(other.status, 200, other.text);
  assert.equal((await fp.get(PREFS)).json.digest_hour, 5);
});

test('the anonymous: per client address', async () => {
  const anon = new Client(server.url);
  // The address spent two writes on the sign-ins above: one left, then 429.
  const first = await anon.post('/api/v1/session', {});
  assert.equal(first.status, 400, first.text);
  assertQuotaAnswer(await anon.post('/api/v1/session', {}));
  assertQuotaAnswer(await anon.post('/api/v1/session', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }));
});

// Two `gmg serve` instances on one PostgreSQL database: a write through A empties B's anonymous
// response cache at once (Database::Subscribe, LISTEN/NOTIFY), not after the cache's one-second
// expiry. Needs GMG_TEST_PG_URL (an admin URL; scripts/pg-cluster.sh start DIR prints it); skipped
// without it unless GMG_REQUIRE_PG=1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const adminUrl = process.env.GMG_TEST_PG_URL || '';
const skip = adminUrl || process.env.GMG_REQUIRE_PG === '1' ? false : 'needs GMG_TEST_PG_URL';
const dbName = `gmg_e2e_cache_${process.pid}`;
let a;
let b;

function psql(statement) {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-Atqc', statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${statement}: ${r.stderr || r.error}`);
}

function databaseUrl() {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

before(async () => {
  if (skip) return;
  psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  psql(`CREATE DATABASE ${dbName}`);
  // One after the other: the first migrates and seeds, the second finds it done.
  a = await startServer({ db: databaseUrl() });
  b = await startServer({ db: databaseUrl() });
});

after(async () => {
  await a?.stop();
  await b?.stop();
  if (!skip) psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

const mandateOf = (list, id) => list.json.items.find((o) => o.id === id)?.mandate;

test('an edit through A is read at once from B\'s anonymous cached list', { skip }, async () => {
  // Signing in (a slow password hash) and reading the ETag come first, outside the window.
  const admin = new Client(a.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const iom = await admin.get('/api/v1/organizations/iom');
  const mandate = `Edited through A at ${Date.now()}`;

  // B caches the list; its entry was stored after warmStart, so it cannot expire before
  // warmStart + 1000 ms.
  const anonymous = new Client(b.url);
  const warmStart = Date.now();
  const warm = await anonymous.get('/api/v1/organizations');
  assert.equal(warm.status, 200);
  assert.ok(mandateOf(warm, 'iom'));
  assert.notEqual(mandateOf(warm, 'iom'), mandate);
  const cached = await anonymous.get('/api/v1/organizations');  // from B's cache
  assert.equal(cached.headers.get('etag'), warm.headers.get('etag'));

  const edited = await admin.patch('/api/v1/organizations/iom', { mandate },
    { headers: { 'if-match': iom.headers.get('etag') } });
  assert.equal(edited.status, 200, edited.text);

  // The notification travels A → PostgreSQL → B's listener: B may answer the old list for a
  // moment, so it is asked again every 10 ms, at most 20 times (~200 ms), no sleep of a second.
  let seen = null;
  let seenAt = 0;
  for (let i = 0; i < 20 && seen !== mandate; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    seen = mandateOf(await anonymous.get('/api/v1/organizations'), 'iom');
    seenAt = Date.now();
  }
  assert.equal(seen, mandate, `B still answered the old list ${seenAt - warmStart} ms after warming`);
  // B decided before the answer arrived, so before its entry could expire: the notification
  // emptied the cache, not the expiry.
  assert.ok(seenAt - warmStart < 1000, `B caught up only ${seenAt - warmStart} ms after warming`);
});

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
  const anonymous = new Client(b.url);
  const warm = await anonymous.get('/api/v1/organizations');
  assert.equal(warm.status, 200);
  const old = mandateOf(warm, 'iom');
  assert.ok(old);
  // The same answer again within the second: from B's cache (same body, same ETag).
  const cached = await anonymous.get('/api/v1/organizations');
  assert.equal(cached.headers.get('etag'), warm.headers.get('etag'));

  const admin = new Client(a.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const iom = await admin.get('/api/v1/organizations/iom');
  const mandate = `Edited through A at ${Date.now()}`;
  const edited = await admin.patch('/api/v1/organizations/iom', { mandate },
    { headers: { 'if-match': iom.headers.get('etag') } });
  assert.equal(edited.status, 200, edited.text);

  // The notification travels A → PostgreSQL → B's listener: allow it ~200 ms, far below the
  // cache's 1 s expiry, so a pass cannot come from the expiry.
  const started = Date.now();
  let seen = null;
  for (let i = 0; i < 20 && seen !== mandate; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    seen = mandateOf(await anonymous.get('/api/v1/organizations'), 'iom');
  }
  const waited = Date.now() - started;
  assert.equal(seen, mandate, `B still answered the old list after ${waited} ms`);
  assert.ok(waited < 500, `B caught up only after ${waited} ms`);
});

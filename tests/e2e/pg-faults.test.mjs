// PostgreSQL faults (issue 8, "Bad input and faults"): a wrong or unreachable URL, a wrong
// password, a database of a newer schema, and PostgreSQL going away while the server runs.
// Clear errors, no password echoed, 503 during an outage (never 500 or a crash), recovery by
// itself, nothing half-written. PostgreSQL only; the outage tests run on a cluster of their own
// (scripts/pg-cluster.sh in a temporary folder), so other tests' cluster is never disturbed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer, runGmg, newPgDatabase, pgDatabaseUrl, pgSkipReason, markNewerSchema, pgAdminUrl, redactPasswords,
} from '../lib/server.mjs';
import { freePort } from '../lib/nginx.mjs';
import { adminToken, createActivity, activitiesByTitle, listAll } from '../lib/load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const clusterScript = path.join(root, 'scripts/pg-cluster.sh');
const skip = pgSkipReason();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What a failed command must not print: any password of the URLs it was given.
function assertNoPassword(r, ...passwords) {
  for (const p of passwords) {
    assert.ok(!r.stderr.includes(p) && !r.stdout.includes(p), `the password is echoed:\n${redactPasswords(r.stderr)}`);
  }
}
// A command that refused cleanly: an exit status (not a signal, not a sanitizer report).
function assertCleanFailure(r) {
  assert.ok(r.status !== null && r.status !== 0, `exit status ${r.status}`);
  assert.doesNotMatch(r.stderr, /AddressSanitizer|runtime error|terminate called|Segmentation/);
}
const withPassword = (url, password) => { const u = new URL(url); u.password = password; return u.toString(); };

test('an unreachable server: gmg migrate and gmg serve say so and exit, without the password', { skip }, async () => {
  const port = await freePort();  // nothing listens there
  const url = `postgresql://gmg:secret-unreachable-pw@127.0.0.1:${port}/gmg`;
  for (const args of [['migrate', '--db', url], ['serve', '--db', url, '--port', '0']]) {
    const r = runGmg(args);
    assertCleanFailure(r);
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1|${port}`), `names the server: ${redactPasswords(r.stderr)}`);
    assert.match(r.stderr, /connect|refused|reach/i);
    assertNoPassword(r, 'secret-unreachable-pw');
  }
  const env = runGmg(['migrate'], { env: { GMG_DB: url } });
  assertCleanFailure(env);
  assertNoPassword(env, 'secret-unreachable-pw');
});

test('a wrong password and a missing database: clear errors, no password echoed', { skip }, () => {
  const d = newPgDatabase();
  try {
    const right = new URL(d.url).password;
    const wrong = withPassword(d.url, 'not-the-right-password');
    for (const args of [['migrate', '--db', wrong], ['serve', '--db', wrong, '--port', '0']]) {
      const r = runGmg(args);
      assertCleanFailure(r);
      assert.match(r.stderr, /password|authentication/i, redactPasswords(r.stderr));
      assertNoPassword(r, 'not-the-right-password', right);
    }
    const missing = pgDatabaseUrl(`gmg_e2e_missing_${process.pid}`);
    const r = runGmg(['migrate', '--db', missing]);
    assertCleanFailure(r);
    assert.match(r.stderr, /does not exist/, redactPasswords(r.stderr));
    assertNoPassword(r, right);
  } finally { d.drop(); }
});

test('a database of a newer schema is refused by serve and by migrate', { skip }, () => {
  const d = newPgDatabase();
  try {
    assert.equal(runGmg(['migrate', '--db', d.url]).status, 0);
    markNewerSchema(d.url);
    for (const args of [['serve', '--db', d.url, '--port', '0'], ['migrate', '--db', d.url]]) {
      const r = runGmg(args);
      assertCleanFailure(r);
      assert.match(r.stderr, /newer/, redactPasswords(r.stderr));
    }
  } finally { d.drop(); }
});

// ---- PostgreSQL going away while the server runs: a cluster of this file's own.
let clusterDir;
let clusterUrl;
const cluster = (...args) => execFileSync(clusterScript, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
before(async () => {
  if (skip) return;
  clusterDir = mkdtempSync(path.join(tmpdir(), 'gmg-pg-faults-'));
  const line = cluster('start', clusterDir, String(await freePort()));
  clusterUrl = /GMG_TEST_PG_URL=(\S+)/.exec(line)[1];
});
after(() => {
  if (!clusterDir) return;
  try { cluster('stop', clusterDir); } finally { rmSync(clusterDir, { recursive: true, force: true }); }
});

// A fresh database on the fault cluster, migrated, with a server on it and an admin token.
async function serverOnFaultCluster() {
  const d = newPgDatabase(clusterUrl);
  const server = await startServer({ db: d.url });
  const token = await adminToken(server.url, 'faults');
  return { d, server, token };
}
const get = async (url, p, token) => {
  try {
    const r = await fetch(url + p, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, retryAfter: r.headers.get('retry-after'), text: await r.text() };
  } catch (e) { return { status: 0, text: String(e.cause ?? e) }; }
};

test('PostgreSQL down: reads and writes get 503 with Retry-After, the server lives, and recovers by itself', { skip, timeout: 120000 }, async () => {
  const { d, server, token } = await serverOnFaultCluster();
  try {
    assert.equal((await get(server.url, '/api/v1/activities?limit=1', token)).status, 200);
    cluster('halt', clusterDir);
    try {
      for (const p of ['/api/v1/activities?limit=1', '/api/v1/session', '/api/v1/organizations/iom']) {
        const r = await get(server.url, p, token);
        assert.equal(r.status, 503, `${p}: ${r.status} ${r.text}`);
        assert.ok(Number(r.retryAfter) > 0, `${p}: Retry-After`);
        assert.equal(JSON.parse(r.text).error.code, 'unavailable');
      }
      const w = await createActivity(server.url, token, 'written-during-outage');
      assert.equal(w.status, 503, w.text);
      assert.equal((await get(server.url, '/healthz', token)).status === 0, false, 'the server still answers');
    } finally { cluster('start', clusterDir); }
    // Back: requests succeed again without restarting gmg (bounded wait for the pool to reconnect).
    let ok = null;
    for (let i = 0; i < 100 && !ok; i++) {
      const r = await get(server.url, '/api/v1/activities?limit=1', token);
      assert.ok(r.status === 200 || r.status === 503, `${r.status} ${r.text}`);
      if (r.status === 200) ok = r; else await sleep(100);
    }
    assert.ok(ok, 'the server recovered by itself');
    const w = await createActivity(server.url, token, 'written-after-outage');
    assert.equal(w.status, 201, w.text);
    assert.equal(server.proc.exitCode, null, 'no crash');
    const present = await activitiesByTitle(server.url, token, 'written-');
    assert.deepEqual([...present.keys()], ['written-after-outage'], 'the refused write is not stored');
  } finally { await server.stop(); d.drop(); }
});

test('PostgreSQL restarted under writers and an import: only 2xx or 503, nothing half-written', { skip, timeout: 180000 }, async () => {
  const { d, server, token } = await serverOnFaultCluster();
  try {
    const acked = new Map();
    const statuses = {};
    let stop = false;
    const writer = async (w) => {
      for (let n = 0; n < 5000 && !stop; n++) {
        const r = await createActivity(server.url, token, `restart-${w}-${n}`);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 201) acked.set(`restart-${w}-${n}`, r.id);
        else if (r.status === 503) await sleep(50);
        else throw new Error(`answer ${r.status}: ${r.text}`);
      }
    };
    const N = 1500;
    const xml = ['<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'];
    for (let i = 0; i < N; i++) {
      xml.push(`<iati-activity><iati-identifier>XM-DAC-47066-RST-${i}</iati-identifier>`
        + '<reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>'
        + `<title><narrative>restart-import ${i}</narrative></title><activity-status code="2"/>`
        + '<recipient-country code="MX"/><sector vocabulary="1" code="24050"/></iati-activity>\n');
    }
    xml.push('</iati-activities>\n');
    const writing = Promise.all([0, 1, 2].map(writer));
    await sleep(500);
    const importing = fetch(`${server.url}/api/v1/activities/import`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: xml.join(''),
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
    await sleep(300);
    cluster('restart', clusterDir);
    await sleep(1500);
    stop = true;
    await writing;
    const imported = await importing;
    assert.ok(imported.status === 200 || imported.status === 503, `import: ${imported.status} ${imported.text.slice(0, 300)}`);
    assert.equal(server.proc.exitCode, null, 'no crash');
    for (const s of Object.keys(statuses)) assert.ok(s === '201' || s === '503', `statuses ${JSON.stringify(statuses)}`);

    // Recovered by itself, then: every acknowledged write is there, whole (its text, its country,
    // its audit line); the import is all there or not at all.
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = (await get(server.url, '/api/v1/activities?limit=1', token)).status === 200;
      if (!back) await sleep(100);
    }
    assert.ok(back, 'recovered by itself');
    const present = await activitiesByTitle(server.url, token, 'restart-');
    for (const [title, id] of acked) assert.equal(present.get(title), id, `${title} acknowledged`);
    const created = new Set((await listAll(server.url, token, '/api/v1/audit?entity=activity'))
      .filter((e) => e.action === 'create').map((e) => e.entity_id));
    for (const [title, id] of present) {
      if (title.startsWith('restart-import')) continue;
      const one = JSON.parse((await get(server.url, `/api/v1/activities/${id}`, token)).text);
      assert.equal(one.titles[0].text, title);
      assert.deepEqual(one.countries, ['NP'], `${title} has its country`);
      assert.ok(created.has(String(id)), `${title} has its audit line`);
    }
    const fromImport = [...present.keys()].filter((t) => t.startsWith('restart-import ')).length;
    assert.ok(fromImport === 0 || fromImport === N, `the import is all or nothing: ${fromImport} of ${N}`);
    if (imported.status === 200) assert.equal(fromImport, N);
  } finally { await server.stop(); d.drop(); }
});

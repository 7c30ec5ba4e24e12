// End-to-end: `gmg migrate-data` copies a whole installation SQLite → PostgreSQL → SQLite,
// prints rows and checksums per table, and refuses a destination that holds data; `gmg backup`
// of the PostgreSQL database is a SQLite installation with the same data.
// Needs GMG_TEST_ENGINE=postgres and GMG_TEST_PG_URL (an admin URL of a throwaway cluster:
// scripts/pg-cluster.sh); skips without them unless GMG_REQUIRE_PG=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGmg, pgSkipReason } from '../lib/server.mjs';

const adminUrl = process.env.GMG_TEST_PG_URL;
// Once per `make test`: in the PostgreSQL pass of the suite (GMG_TEST_ENGINE=postgres).
const skip = pgSkipReason();

function psql(sql) {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// "table rows rows sum sum ok" lines of a migrate-data report, by table.
function report(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+([0-9a-f]{16}) ([0-9a-f]{16}) (ok|MISMATCH)$/.exec(line);
    if (m) out[m[1]] = { source: Number(m[2]), copied: Number(m[3]), from: m[4], to: m[5], verdict: m[6] };
  }
  return out;
}

test('migrate-data: SQLite → PostgreSQL → SQLite keeps every row, refuses a non-empty destination; backup of PostgreSQL', { skip }, () => {
  assert.ok(adminUrl, 'GMG_REQUIRE_PG=1 but GMG_TEST_PG_URL is unset');
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-migrate-data-'));
  const dbname = `gmg_e2e_md_${process.pid}`;
  const pgUrl = withDatabase(adminUrl, dbname);
  const password = new URL(adminUrl).password;
  psql(`DROP DATABASE IF EXISTS ${dbname}`);
  psql(`CREATE DATABASE ${dbname}`);
  try {
    const first = path.join(dir, 'first.db');
    const back = path.join(dir, 'back.db');
    const demo = runGmg(['demo', 'load', '--db', first]);
    assert.equal(demo.status, 0, demo.stderr);
    const user = runGmg(['user', 'add', '--db', first, '--email', 'sec@gmg.org', '--name', 'Sec', '--role', 'secretariat'],
      { env: { GMG_PASSWORD: 'a-long-password-1' } });
    assert.equal(user.status, 0, user.stderr);

    const there = runGmg(['migrate-data', '--from', first, '--to', pgUrl]);
    assert.equal(there.status, 0, there.stderr + there.stdout);
    if (password) assert.ok(!(there.stdout + there.stderr).includes(password), 'the password is never printed');
    assert.match(there.stdout, /every table matches/);
    const toPg = report(there.stdout);
    assert.ok(toPg.users && toPg.activities && toPg.organizations, there.stdout);
    assert.equal(toPg.users.copied, 2, "the demo's ILO delegate (positions) and the one user added");
    for (const [table, r] of Object.entries(toPg)) {
      assert.equal(r.verdict, 'ok', table);
      assert.equal(r.source, r.copied, table);
      assert.equal(r.from, r.to, table);
    }

    const again = runGmg(['migrate-data', '--from', first, '--to', pgUrl]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already holds rows/);

    const home = runGmg(['migrate-data', '--from', pgUrl, '--to', back]);
    assert.equal(home.status, 0, home.stderr + home.stdout);
    const toSqlite = report(home.stdout);
    assert.deepEqual(Object.keys(toSqlite).sort(), Object.keys(toPg).sort());
    for (const [table, r] of Object.entries(toPg)) assert.equal(toSqlite[table].to, r.from, table);

    // `gmg backup` on PostgreSQL writes a SQLite installation of its own.
    const backup = path.join(dir, 'backup.db');
    const bk = runGmg(['backup', '--db', pgUrl, backup]);
    assert.equal(bk.status, 0, bk.stderr + bk.stdout);
    if (password) assert.ok(!(bk.stdout + bk.stderr).includes(password), 'the password is never printed');

    // The copies serve the same data: the same IATI export from each file.
    const exported = (db) => {
      const r = runGmg(['export', 'iati', '--db', db]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.replace(/generated-datetime="[^"]*"/, '');
    };
    const original = exported(first);
    assert.equal(exported(back), original);
    assert.equal(exported(backup), original);
  } finally {
    psql(`DROP DATABASE IF EXISTS ${dbname} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
});

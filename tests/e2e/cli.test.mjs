// End-to-end: the `gmg` command line and the server's life cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGmg, startServer, Client } from '../lib/server.mjs';

function tempDb() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-cli-'));
  return { dir, db: path.join(dir, 'gmg.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('every subcommand has --help', () => {
  for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['user', 'add', '--help'], ['backup', '--help']]) {
    const r = runGmg(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /Usage|Options/);
  }
});

test('gmg migrate, user add (GMG_PASSWORD or stdin), backup', () => {
  const t = tempDb();
  try {
    const m = runGmg(['migrate', '--db', t.db]);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /schema version \d+/);
    const a = runGmg(['user', 'add', '--db', t.db, '--email', 'sec@gmg.org', '--name', 'Sec', '--role', 'secretariat'], { env: { GMG_PASSWORD: 'from-the-environment' } });
    assert.equal(a.status, 0, a.stderr);
    const b = runGmg(['user', 'add', '--db', t.db, '--email', 'fp@ilo.org', '--name', 'FP', '--role', 'focal_point', '--org', 'ilo'], { input: 'typed-on-stdin-pw\n' });
    assert.equal(b.status, 0, b.stderr);
    const badRole = runGmg(['user', 'add', '--db', t.db, '--email', 'x@y.org', '--name', 'X', '--role', 'king'], { input: 'long-password-1\n' });
    assert.notEqual(badRole.status, 0);
    const badOrg = runGmg(['user', 'add', '--db', t.db, '--email', 'x@y.org', '--name', 'X', '--role', 'member', '--org', 'unicef'], { input: 'long-password-1\n' });
    assert.notEqual(badOrg.status, 0);
    assert.match(badOrg.stderr, /organization_id/);
    const weak = runGmg(['user', 'add', '--db', t.db, '--email', 'x@y.org', '--name', 'X', '--role', 'member', '--org', 'ilo'], { input: 'short\n' });
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /at least 10/);
    const copy = path.join(t.dir, 'copy.db');
    const bk = runGmg(['backup', '--db', t.db, copy]);
    assert.equal(bk.status, 0, bk.stderr);
    assert.equal(execFileSync('sqlite3', [copy, 'SELECT count(*) FROM users'], { encoding: 'utf8' }).trim(), '2');
  } finally { t.done(); }
});

test('first start creates admin@localhost with a generated password printed once', async () => {
  const t = tempDb();
  try {
    const s = await startServer({ db: t.db, env: { GMG_ADMIN_PASSWORD: '' } });
    const m = /created the first administrator admin@localhost with password (\S+)/.exec(s.output());
    assert.ok(m, s.output());
    const c = new Client(s.url);
    await c.signIn('admin@localhost', m[1]);
    await s.stop();
    const again = await startServer({ db: t.db });
    assert.doesNotMatch(again.output(), /created the first administrator/);
    await again.stop();
  } finally { t.done(); }
});

test('SIGTERM stops the server gracefully', async () => {
  const s = await startServer();
  const c = new Client(s.url);
  assert.equal((await c.get('/healthz')).status, 200);
  s.proc.kill('SIGTERM');
  const r = await s.exited;
  assert.equal(r.code, 0);
  assert.match(s.output(), /stopped/);
  await s.stop();
});

test('start-up on a database from a newer schema version refuses with a clear message', () => {
  const t = tempDb();
  try {
    assert.equal(runGmg(['migrate', '--db', t.db]).status, 0);
    execFileSync('sqlite3', [t.db, "INSERT INTO schema_version VALUES (99, 0, 'future')"]);
    const r = runGmg(['serve', '--db', t.db, '--port', '0']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /schema version 99.*newer gmg/);
  } finally { t.done(); }
});

test('a port in use is a clear error', async () => {
  const s = await startServer();
  try {
    const port = new URL(s.url).port;
    const r = runGmg(['serve', '--db', path.join(s.dir, 'other.db'), '--port', port]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot listen/);
  } finally { await s.stop(); }
  assert.equal(existsSync(s.dir), false);
});

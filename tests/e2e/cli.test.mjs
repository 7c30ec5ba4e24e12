// End-to-end: the `gmg` command line and the server's life cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGmg, startServer, Client, newDatabase, markNewerSchema } from '../lib/server.mjs';

// A fresh database of the test engine (a file, or a PostgreSQL database) and a folder.
function tempDb() {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-cli-'));
  const d = newDatabase(dir);
  return { dir, db: d.db, done: () => { rmSync(dir, { recursive: true, force: true }); d.drop(); } };
}

test('every subcommand has --help', () => {
  for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['user', 'add', '--help'], ['backup', '--help']]) {
    const r = runGmg(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /Usage|Options/);
  }
});

test('gmg migrate, user add (GMG_PASSWORD or stdin), backup', async () => {
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
    // The copy serves: both users sign in with their passwords, and an administrator added to
    // the copy finds them the only other users.
    const admin = runGmg(['user', 'add', '--db', copy, '--email', 'root@gmg.org', '--name', 'Root', '--role', 'admin'], { env: { GMG_PASSWORD: 'copy-admin-password' } });
    assert.equal(admin.status, 0, admin.stderr);
    const s = await startServer({ db: copy });
    try {
      for (const [email, password] of [['sec@gmg.org', 'from-the-environment'], ['fp@ilo.org', 'typed-on-stdin-pw']]) {
        await new Client(s.url).signIn(email, password);
      }
      const root = new Client(s.url);
      await root.signIn('root@gmg.org', 'copy-admin-password');
      const users = await root.get('/api/v1/users');
      assert.deepEqual(users.json.items.map((u) => u.email).sort(), ['fp@ilo.org', 'root@gmg.org', 'sec@gmg.org']);
    } finally { await s.stop(); }
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
    markNewerSchema(t.db);
    const r = runGmg(['serve', '--db', t.db, '--port', '0']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /schema version 99.*newer gmg/);
  } finally { t.done(); }
});

test('a port in use is a clear error', async () => {
  const s = await startServer();
  try {
    const port = new URL(s.url).port;
    const r = runGmg(['serve', '--db', s.db, '--port', port]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot listen/);
  } finally { await s.stop(); }
  assert.equal(existsSync(s.dir), false);
});

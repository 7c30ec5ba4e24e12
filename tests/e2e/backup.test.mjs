// Backup and restore: `gmg backup` on the database a server is writing to, restore (serve the
// copy), compare. The copy must be one consistent snapshot: every write acknowledged before the
// backup started, and exactly the commits up to some moment — no later one, no gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gmgBin, runGmg, startServer, engine } from '../lib/server.mjs';
import { adminToken, runWriters, activitiesByTitle, sqlite } from '../lib/load.mjs';

const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// It compares the SQLite copy with the live SQLite file row by row.
test('gmg backup while 4 writers run: the restored copy is a consistent snapshot',
  { timeout: 120000, skip: engine !== 'sqlite' && 'SQLite only: compares two SQLite files' }, async (t) => {
  const server = await startServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-backup-'));
  const copy = path.join(dir, 'copy.db');
  try {
    const token = await adminToken(server.url, 'backup');
    const acked = new Map();
    let stop = false;
    const writing = runWriters({ url: server.url, token, writers: 4, prefix: 'bk', shouldStop: () => stop,
      maxPerWriter: 5000, onAck: ({ title, id }) => acked.set(title, id) });
    await sleep(800);
    const ackedBefore = new Map(acked);
    // Asynchronously, so the writers go on while the backup runs.
    const { stdout } = await run(gmgBin, ['backup', '--db', server.db, copy]);
    assert.match(stdout, /wrote /);
    const ackedAfterBackup = acked.size;
    await sleep(300);
    stop = true;
    const w = await writing;
    assert.deepEqual(Object.keys(w.statuses), ['201'], `writers: ${JSON.stringify(w.statuses)}`);
    t.diagnostic(`${ackedBefore.size} acknowledged before the backup, ${ackedAfterBackup} when it ended, ${acked.size} in all`);
    assert.ok(ackedAfterBackup > ackedBefore.size, 'writes were acknowledged while the backup ran');

    assert.equal(sqlite(copy, 'PRAGMA integrity_check'), 'ok');
    // Restore: serve the copy. The same token and data answer.
    const restored = await startServer({ db: copy });
    try {
      const inCopy = await activitiesByTitle(restored.url, token, 'bk-');
      for (const [title, id] of ackedBefore) assert.equal(inCopy.get(title), id, `${title} acknowledged before the backup`);
      // A snapshot: every acknowledged write up to the copy's last id is there, none after it.
      const maxId = Math.max(...inCopy.values());
      const expected = [...acked].filter(([, id]) => id <= maxId).map(([title]) => title).sort();
      assert.deepEqual([...inCopy.keys()].sort(), expected);
      assert.ok(acked.size > inCopy.size, 'writes after the backup are not in it');
      // Row counts equal the live database's up to the same point.
      const maxAudit = sqlite(copy, 'SELECT max(id) FROM audit_log');
      for (const q of [`SELECT count(*) FROM activities WHERE id <= ${maxId}`, `SELECT count(*) FROM audit_log WHERE id <= ${maxAudit}`,
        `SELECT count(*) FROM activity_texts WHERE activity_id <= ${maxId}`, 'SELECT count(*) FROM users', 'SELECT count(*) FROM organizations']) {
        assert.equal(sqlite(copy, q), sqlite(server.db, q), q);
      }
      assert.equal(sqlite(copy, 'SELECT count(*) FROM audit_log'), sqlite(server.db, `SELECT count(*) FROM audit_log WHERE id <= ${maxAudit}`));

      const auth = { headers: { authorization: `Bearer ${token}` } };
      const list = await (await fetch(`${restored.url}/api/v1/activities?limit=1`, auth)).json();
      assert.equal(list.total, inCopy.size);
      const [title, id] = [...ackedBefore][0];
      const one = await (await fetch(`${restored.url}/api/v1/activities/${id}`, auth)).json();
      assert.equal(one.titles[0].text, title);
    } finally { await restored.stop(); }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gmg backup refuses an existing file and a missing database, and changes neither', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-backup-'));
  try {
    const db = path.join(dir, 'gmg.db');
    assert.equal(runGmg(['migrate', '--db', db]).status, 0);
    const copy = path.join(dir, 'copy.db');
    assert.equal(runGmg(['backup', '--db', db, copy]).status, 0);
    const before = statSync(copy);
    const again = runGmg(['backup', '--db', db, copy]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /copy\.db already exists; a backup never overwrites/);
    assert.equal(statSync(copy).mtimeMs, before.mtimeMs);

    const missing = path.join(dir, 'nowhere.db');
    const none = runGmg(['backup', '--db', missing, path.join(dir, 'other.db')]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no database at .*nowhere\.db/);
    assert.equal(existsSync(missing), false, 'the missing database is not created');
    assert.equal(existsSync(path.join(dir, 'other.db')), false);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

// Crash test: concurrent writers, SIGKILL at a random moment, restart; every write the server
// acknowledged (201) must be there, whole (its audit entry too), and integrity_check must be ok.
// GMG_CRASH_KILLS=20 for the full form (`make test` runs 3). GMG_CRASH_SEED makes the kill
// moments repeatable; each round's moment is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, engine, newDatabase } from '../lib/server.mjs';
import { adminToken, runWriters, activitiesByTitle, listAll, sqlite } from '../lib/load.mjs';

const KILLS = Number(process.env.GMG_CRASH_KILLS || 3);
const WRITERS = 4;
let seed = Number(process.env.GMG_CRASH_SEED || Date.now() % 100000);
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };

test(`every acknowledged write survives SIGKILL (${KILLS} kills, ${WRITERS} writers)`, { timeout: KILLS * 60000 }, async (t) => {
  t.diagnostic(`seed ${seed}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-crash-'));
  const database = newDatabase(dir);  // a SQLite file, or a PostgreSQL database
  const db = database.db;
  const acked = new Map();  // title → id, for every 201
  let token = null;
  let totalFailed = 0;
  try {
    for (let round = 0; round < KILLS; round++) {
      const server = await startServer({ db });
      token ??= await adminToken(server.url, 'crash');
      const killAfterMs = 300 + Math.floor(random() * 1700);
      let killed = false;
      const writing = runWriters({
        url: server.url, token, writers: WRITERS, prefix: `crash-${round}`,
        shouldStop: () => killed, onAck: ({ title, id }) => acked.set(title, id),
      });
      await new Promise((r) => setTimeout(r, killAfterMs));
      server.proc.kill('SIGKILL');
      killed = true;
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL', `round ${round}: the server was killed, not stopped`);
      const w = await writing;
      totalFailed += w.failed;
      rmSync(server.dir, { recursive: true, force: true });
      t.diagnostic(`round ${round}: killed after ${killAfterMs} ms; ${w.acked} acknowledged, statuses ${JSON.stringify(w.statuses)}`);
      for (const [status, n] of Object.entries(w.statuses)) {
        assert.ok(status === '201' || status === '0', `round ${round}: ${n} answers ${status} (only 201 or no answer expected)`);
      }
    }
    // Restart once more (the server recovers the WAL), then read the file as it is.
    const server = await startServer({ db });
    try {
      if (engine === 'sqlite') {
        assert.equal(sqlite(db, 'PRAGMA integrity_check'), 'ok');
        assert.equal(sqlite(db, 'PRAGMA foreign_key_check'), '');
      }
      const present = await activitiesByTitle(server.url, token, 'crash-');
      const lost = [...acked].filter(([title, id]) => present.get(title) !== id);
      const created = new Set((await listAll(server.url, token, '/api/v1/audit?entity=activity'))
        .filter((e) => e.action === 'create').map((e) => e.entity_id));
      const orphans = String([...present.values()].filter((id) => !created.has(String(id))).length);
      t.diagnostic(`${acked.size} acknowledged writes, ${lost.length} lost, ${present.size} present, ${totalFailed} unanswered`);
      assert.ok(acked.size > 0, 'the writers got some writes acknowledged');
      assert.deepEqual(lost, [], 'every acknowledged write is present with its id');
      assert.equal(orphans, '0', 'every activity present has its audit entry (one transaction)');
    } finally { await server.stop(); }
  } finally { rmSync(dir, { recursive: true, force: true }); database.drop(); }
});

// Power loss is not a crash: only an fsync of the WAL before the answer makes a write survive
// it (synchronous=FULL). strace counts the WAL's fsyncs; with synchronous=NORMAL there are none
// until a checkpoint, and this test fails.
// strace must be installed and allowed to trace (ptrace may be forbidden in a container).
const strace = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;
test('each acknowledged write is fsynced to the WAL before its answer',
  { skip: (engine !== 'sqlite' && 'SQLite only: its WAL') || (!strace && 'no strace') }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-fsync-'));
  const log = path.join(dir, 'strace.log');
  const server = await startServer({ db: path.join(dir, 'gmg.db'), wrap: ['strace', '-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync', '-o', log] });
  try {
    const token = await adminToken(server.url, 'fsync');
    const walSyncs = () => readFileSync(log, 'utf8').split('\n').filter((l) => /-wal>\)/.test(l)).length;
    const before = walSyncs();
    const WRITES = 20;
    const w = await runWriters({ url: server.url, token, writers: 1, prefix: 'fsync', maxPerWriter: WRITES });
    assert.equal(w.acked, WRITES);
    assert.ok(walSyncs() - before >= WRITES, `${walSyncs() - before} WAL fsyncs for ${WRITES} acknowledged writes`);
  } finally {
    const gmg = readFileSync(`/proc/${server.proc.pid}/task/${server.proc.pid}/children`, 'utf8').trim().split(' ')[0];
    if (gmg) process.kill(Number(gmg), 'SIGTERM');
    await server.exited;
    rmSync(server.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

// Soak, short form (bench/soak/run.mjs is the full one): 16 well-behaved connections doing
// reads, searches, writes and exports for 8 s beside idle clients, then beside slow clients too.
// Asserts what a user would: no well-behaved request fails or waits more than 5 s, and the
// server's memory is flat after warm-up (the bound: rssVerdict in bench/soak/run.mjs).
// GMG_SOAK_SECONDS / GMG_SOAK_CONNECTIONS / GMG_SOAK_ACTIVITIES make it longer or wider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, runGmg } from '../lib/server.mjs';
import { adminToken } from '../lib/load.mjs';
import { generateIati, runSoak, formatReport } from '../../bench/soak/run.mjs';

const SECONDS = Number(process.env.GMG_SOAK_SECONDS || 8);
const CONNECTIONS = Number(process.env.GMG_SOAK_CONNECTIONS || 16);
// Enough that a full IATI export (~4 MB) does not fit in a socket's buffers: a client that
// stops reading then holds the server's sending side.
const ACTIVITIES = Number(process.env.GMG_SOAK_ACTIVITIES || 5000);
const TIMEOUT_MS = 5000;

let dir;
let seededDb;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gmg-soak-'));
  seededDb = path.join(dir, 'seed.db');
  writeFileSync(path.join(dir, 'seed.xml'), generateIati(ACTIVITIES));
  const imp = runGmg(['import', 'iati', '--db', seededDb, path.join(dir, 'seed.xml')]);
  assert.equal(imp.status, 0, imp.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function soak(t, name, { idle, slow }) {
  const db = path.join(dir, `${name}.db`);
  copyFileSync(seededDb, db);
  // AddressSanitizer holds freed memory in a quarantine (256 MiB by default) that would read as
  // growth; a small one keeps RSS about the server's own memory.
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=8'].filter(Boolean).join(':');
  const server = await startServer({ db, env: { ASAN_OPTIONS: asan } });
  try {
    const token = await adminToken(server.url, 'soak');
    const r = await runSoak({ port: Number(new URL(server.url).port), pid: server.proc.pid, token, seeded: ACTIVITIES,
      connections: CONNECTIONS, durationS: SECONDS, warmupS: Math.max(2, Math.round(SECONDS / 4)), idle, slow, timeoutMs: TIMEOUT_MS });
    for (const line of formatReport(r).split('\n')) t.diagnostic(line);
    assert.equal(r.errors, 0, `well-behaved requests failed: ${r.errorSamples.join('; ')}`);
    for (const kind of ['read', 'search', 'write', 'export']) assert.ok(r.kinds[kind].ok > 0, `${kind} requests were answered`);
    assert.ok(r.rssVerdict.ok, `RSS not flat: ${JSON.stringify(r.rssVerdict)}`);
    assert.equal(server.proc.exitCode, null, 'the server is still running');
  } finally { await server.stop(); }
}

test(`soak: ${CONNECTIONS} connections for ${SECONDS} s beside 4 idle clients`, { timeout: (SECONDS + 120) * 1000 },
  (t) => soak(t, 'idle', { idle: 4, slow: 0 }));

// Six clients that send their request byte by byte and then read a full export 64 KiB every
// 2 s: more than the four background threads that send downloads.
test(`soak: ${CONNECTIONS} connections for ${SECONDS} s beside 4 idle and 6 slow clients`, {
  timeout: (SECONDS + 120) * 1000,
  todo: process.env.GMG_SOAK_STRICT ? false
    : 'issue 7 defect 5: slow readers hold the download threads; exports by other clients wait > 5 s',
}, (t) => soak(t, 'slow', { idle: 4, slow: 6 }));

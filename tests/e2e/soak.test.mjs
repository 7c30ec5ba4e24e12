// Soak, short form (bench/soak/run.mjs is the full one): 16 well-behaved connections doing
// reads, searches, writes and exports for 8 s beside idle and slow clients. Asserts what a user
// would: no well-behaved request fails, and the server's memory is flat after warm-up.
// GMG_SOAK_SECONDS / GMG_SOAK_CONNECTIONS make it longer or wider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, runGmg } from '../lib/server.mjs';
import { adminToken } from '../lib/load.mjs';
import { generateIati, runSoak, formatReport } from '../../bench/soak/run.mjs';

const SECONDS = Number(process.env.GMG_SOAK_SECONDS || 8);
const CONNECTIONS = Number(process.env.GMG_SOAK_CONNECTIONS || 16);
const ACTIVITIES = 500;

test(`soak: ${CONNECTIONS} connections for ${SECONDS} s with idle and slow clients`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-soak-'));
  const db = path.join(dir, 'gmg.db');
  writeFileSync(path.join(dir, 'seed.xml'), generateIati(ACTIVITIES));
  const imp = runGmg(['import', 'iati', '--db', db, path.join(dir, 'seed.xml')]);
  assert.equal(imp.status, 0, imp.stderr);
  // AddressSanitizer holds freed memory in a quarantine (256 MiB by default) that would read as
  // growth; a small one keeps RSS about the server's own memory.
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=8'].filter(Boolean).join(':');
  const server = await startServer({ db, env: { ASAN_OPTIONS: asan } });
  try {
    const token = await adminToken(server.url, 'soak');
    const r = await runSoak({ port: Number(new URL(server.url).port), pid: server.proc.pid, token, seeded: ACTIVITIES,
      connections: CONNECTIONS, durationS: SECONDS, warmupS: Math.max(2, Math.round(SECONDS / 4)), idle: 4, slow: 2 });
    for (const line of formatReport(r).split('\n')) t.diagnostic(line);
    assert.equal(r.errors, 0, `well-behaved requests failed: ${r.errorSamples.join('; ')}`);
    for (const kind of ['read', 'search', 'write', 'export']) assert.ok(r.kinds[kind].ok > 0, `${kind} requests were answered`);
    assert.ok(r.rssVerdict.ok, `RSS not flat: ${JSON.stringify(r.rssVerdict)}`);
    assert.equal(server.proc.exitCode, null, 'the server is still running');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

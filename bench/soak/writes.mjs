#!/usr/bin/env node
// The cost of durability: single-row writes over HTTP (POST /api/v1/activities, one transaction
// each) with SQLite's synchronous=NORMAL and =FULL (what gmg uses: the WAL is fsynced before
// every answer), one client and four; then one bulk import (one transaction) under each.
//
//   node bench/soak/writes.mjs [--writes 1000] [--activities 5000] [--rounds 2] [--gmg build/release/gmg]
//
// GMG_SQLITE_SYNCHRONOUS=NORMAL is a hidden switch for this measurement only. Prints Markdown;
// measures only (exit 2 when it cannot set up).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIati } from './run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const a = {};
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
process.env.GMG_BIN = path.resolve(a.gmg || process.env.GMG_BIN || path.join(root, 'build/release/gmg'));
const { startServer, gmgBin } = await import('../../tests/lib/server.mjs');
const { adminToken, createActivity, percentile } = await import('../../tests/lib/load.mjs');
const WRITES = Number(a.writes ?? 1000);
const ACTIVITIES = Number(a.activities ?? 5000);
const ROUNDS = Number(a.rounds ?? 2);

// N writes from CLIENTS concurrent clients; resolves to {rps, p50, p99} (ms).
async function writes(url, token, n, clients, label) {
  const ms = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < n) {
      const r = await createActivity(url, token, `${label} ${next++}`);
      if (r.status !== 201) throw new Error(`write: ${r.status} ${r.text}`);
      ms.push(r.ms);
    }
  }));
  return { rps: n / ((performance.now() - t0) / 1000), p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function measure(mode, xml, dir) {
  const env = { GMG_SQLITE_SYNCHRONOUS: mode };
  const server = await startServer({ db: path.join(dir, `${mode}.db`), env });
  let one;
  let four;
  try {
    const token = await adminToken(server.url, 'writes');
    await writes(server.url, token, 50, 1, 'warm-up');
    one = await writes(server.url, token, WRITES, 1, 'one');
    four = await writes(server.url, token, WRITES, 4, 'four');
  } finally { await server.stop(); }
  const db = path.join(dir, `${mode}-import.db`);
  const t0 = performance.now();
  const r = spawnSync(gmgBin, ['import', 'iati', '--db', db, xml], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const importS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`import: ${r.stderr}`);
  rmSync(db, { force: true });
  return { one, four, importS };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'gmg-writes-'));
try {
  const xml = path.join(dir, 'import.xml');
  writeFileSync(xml, generateIati(ACTIVITIES));
  const results = { NORMAL: [], FULL: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['NORMAL', 'FULL']) results[mode].push(await measure(mode, xml, dir));
  }
  const f = (v) => v.toFixed(1);
  console.log(`# Write durability cost: ${gmgBin}\n`);
  console.log(`\`node bench/soak/writes.mjs ${process.argv.slice(2).join(' ')}\` — ${WRITES} writes per row, `
    + `${ACTIVITIES}-activity import, ${ROUNDS} rounds (each figure is a round's), nproc ${os.cpus().length}, `
    + `${new Date().toISOString()}, tmp on ${os.tmpdir()}\n`);
  console.log('| synchronous | 1 client writes/s | p50 ms | p99 ms | 4 clients writes/s | p50 ms | p99 ms | import s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [mode, rs] of Object.entries(results)) {
    for (const r of rs) {
      console.log(`| ${mode} | ${f(r.one.rps)} | ${f(r.one.p50)} | ${f(r.one.p99)} | ${f(r.four.rps)} | ${f(r.four.p50)} | ${f(r.four.p99)} | ${r.importS.toFixed(2)} |`);
    }
  }
} catch (e) {
  console.error(`writes: ${e.message}`);
  process.exitCode = 2;
} finally { rmSync(dir, { recursive: true, force: true }); }

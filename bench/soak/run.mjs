#!/usr/bin/env node
// Load and soak: a mixed read/search/write/export load from well-behaved clients, alongside idle
// clients (connect, send nothing) and slow clients (send the request byte by byte, read the
// answer slowly), against one `gmg serve` on 127.0.0.1. Reports errors for the well-behaved
// clients (must be 0), requests/s, p50 and p99 by kind, and the server's RSS every second.
//
//   node bench/soak/run.mjs [--duration 60] [--connections 64] [--idle 16] [--slow 8]
//                           [--activities 5000] [--warmup 10] [--gmg build/release/gmg]
//                           [--mix read=45,search=25,write=20,export=10]   (weights; 0 drops a kind)
//
// Prints a Markdown report; exits 1 when a well-behaved request failed or RSS broke the bound
// (see rssVerdict), 2 when it cannot set up. tests/e2e/soak.test.mjs runs a short form.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const COUNTRIES = ['MX', 'GT', 'HN', 'SV', 'NP', 'BD', 'QA', 'KW', 'PH', 'LK', 'LY', 'NE', 'ML', 'SN', 'GH', 'NG',
  'KE', 'ET', 'SO', 'AF', 'IQ', 'SY', 'TR', 'JO', 'LB', 'CO', 'VE', 'EC', 'PE', 'MA', 'TN', 'EG', 'UA', 'MD'];
const WORDS = ('migrant workers recruitment remittances corridor protection asylum return reintegration diaspora '
  + 'skills trafficking smuggling border data census survey refugees displacement labour rights health women youth '
  + 'training research dialogue policy capacity governance integration community livelihoods resilience climate').split(' ');
const ORGS = [['XM-DAC-41302', 'ILO'], ['XM-DAC-47066', 'IOM'], ['XM-DAC-41114', 'UNDP'], ['XM-DAC-41121', 'UNHCR'],
  ['XM-DAC-41128', 'UNODC'], ['44000', 'World Bank']];

// A deterministic pseudo-random generator (the load is the same from run to run).
export function seeded(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

// An IATI 2.03 file of N activities (the shape bench/activities/run.py generates, smaller texts).
export function generateIati(n, seed = 7) {
  const rnd = seeded(seed);
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="2026-11-28T00:00:00Z">\n'];
  for (let i = 0; i < n; i++) {
    const [ref, name] = ORGS[i % ORGS.length];
    const words = Array.from({ length: 6 }, () => pick(rnd, WORDS));
    const start = 2005 + Math.floor(rnd() * 22);
    parts.push(`<iati-activity default-currency="USD" last-updated-datetime="2026-01-01T00:00:00Z">`
      + `<iati-identifier>${ref}-SOAK-${i}</iati-identifier>`
      + `<reporting-org ref="${ref}" type="40"><narrative>${name}</narrative></reporting-org>`
      + `<title><narrative>${words.slice(0, 4).join(' ')} ${i}</narrative></title>`
      + `<description type="1"><narrative>${words.join(' ')} ${words.reverse().join(' ')}.</narrative></description>`
      + `<participating-org role="4" ref="${ref}"><narrative>${name}</narrative></participating-org>`
      + `<activity-status code="${1 + Math.floor(rnd() * 4)}"/>`
      + `<activity-date type="1" iso-date="${start}-01-01"/>`
      + `<recipient-country code="${pick(rnd, COUNTRIES)}"/><recipient-country code="${pick(rnd, COUNTRIES)}"/>`
      + `<sector vocabulary="1" code="15190"/></iati-activity>\n`);
  }
  parts.push('</iati-activities>\n');
  return parts.join('');
}

// One HTTP request on AGENT; the body is read to the end. Resolves to {status, bytes, ms, error}
// (status 0 and error set when the connection failed or TIMEOUT_MS passed without an answer).
function request(agent, port, method, p, { headers = {}, body, timeoutMs, localAddress }) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => { if (!done) { done = true; resolve({ ms: performance.now() - t0, ...r }); } };
    const req = http.request({ host: HOST, port, method, path: p, agent, headers, localAddress }, (res) => {
      let bytes = 0;
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => finish({ status: res.statusCode, bytes }));
      res.on('error', (e) => finish({ status: 0, bytes, error: e.code || e.message }));
    });
    req.setTimeout(timeoutMs, () => { req.destroy(new Error('timeout')); });
    req.on('error', (e) => finish({ status: 0, bytes: 0, error: e.code || e.message }));
    req.end(body);
  });
}

// The mix of well-behaved requests: [kind, weight, (rnd, ctx) → {method, path, headers, body}].
function requestMix() {
  const auth = (ctx, rnd) => (rnd() < 0.5 ? { authorization: `Bearer ${ctx.token}` } : {});
  return [
    ['read', 45, (rnd, ctx) => {
      const r = rnd();
      if (r < 0.4) return { path: `/api/v1/activities?limit=20&country=${pick(rnd, COUNTRIES)}`, headers: auth(ctx, rnd) };
      if (r < 0.8) return { path: `/api/v1/activities/${1 + Math.floor(rnd() * ctx.seeded)}`, headers: auth(ctx, rnd) };
      if (r < 0.9) return { path: '/api/v1/activities/map', headers: auth(ctx, rnd) };
      return { path: '/api/v1/organizations', headers: auth(ctx, rnd) };
    }],
    ['search', 25, (rnd, ctx) => ({ path: `/api/v1/search?q=${pick(rnd, WORDS)}&limit=20`, headers: auth(ctx, rnd) })],
    ['write', 20, (rnd, ctx) => ({
      method: 'POST', path: '/api/v1/activities',
      headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ organization_id: 'ilo', titles: [{ lang: 'en', text: `soak ${pick(rnd, WORDS)} ${ctx.writes++}` }],
        type: 'technical_assistance', themes: ['labour-migration'], countries: [pick(rnd, COUNTRIES)], status: 2, visibility: 'public' }),
    })],
    ['export', 10, (rnd, ctx) => {
      const format = rnd() < 0.5 ? 'csv' : 'iati.xml';
      const gzip = rnd() < 0.5 ? { 'accept-encoding': 'gzip' } : {};
      return { path: `/api/v1/activities.${format}?country=${pick(rnd, COUNTRIES)}`, headers: { ...auth(ctx, rnd), ...gzip } };
    }],
  ];
}

// Each client connects to 127.0.0.1 from its own loopback address (Linux routes all of
// 127.0.0.0/8 to lo), as distinct users would: well-behaved connections from 127.0.1.1-16 (four
// each at 64), idle clients from 127.0.2.*, slow ones from 127.0.3.*. So per-address limits and
// fair queues in the server see several clients, and the slow ones apart from the rest.
const source = (group, i) => `127.0.${group}.${1 + (i % 250)}`;

// A client that opens a connection and sends nothing; reconnects when the server closes it.
async function idleClient(port, until, stats, localAddress) {
  for (let i = 0; i < 1000 && Date.now() < until; i++) {
    await new Promise((resolve) => {
      const s = net.connect({ port, host: HOST, localAddress });
      stats.idleConnections++;
      const timer = setTimeout(() => s.destroy(), Math.max(0, until - Date.now()));
      s.on('close', () => { clearTimeout(timer); if (Date.now() < until) stats.idleClosedByServer++; resolve(); });
      s.on('error', () => {});
    });
  }
}

// A client that sends its request one byte every BYTE_MS and reads the answer one chunk every
// READ_MS (a full IATI export: the largest answer there is).
async function slowClient(port, until, stats, localAddress, { byteMs = 10, readMs = 2000 } = {}) {
  const req = Buffer.from(`GET /api/v1/activities.iati.xml HTTP/1.1\r\nHost: ${HOST}\r\nUser-Agent: slow\r\n\r\n`);
  for (let i = 0; i < 1000 && Date.now() < until; i++) {
    await new Promise((resolve) => {
      const s = net.connect({ port, host: HOST, localAddress });
      stats.slowConnections++;
      let sent = 0;
      const timers = [];
      const end = () => { timers.forEach(clearInterval); s.destroy(); resolve(); };
      timers.push(setTimeout(end, Math.max(0, until - Date.now())));
      timers.push(setInterval(() => { if (sent < req.length && !s.destroyed) s.write(req.subarray(sent, ++sent)); }, byteMs));
      s.on('data', (d) => { stats.slowBytes += d.length; s.pause(); });
      timers.push(setInterval(() => s.resume(), readMs));
      s.on('close', end);
      s.on('error', () => {});
    });
  }
}

// RSS verdict: after WARMUP_S, the samples are cut in thirds; the last third's maximum must stay
// within first third's maximum × 1.10 + SLACK_KIB (default 8 MiB: growth a cache or an allocator
// arena settling explains; a leak proportional to requests does not fit in it over a minute).
export function rssVerdict(samples, warmupS, slackKiB = 8192) {
  const after = samples.filter((s) => s.t >= warmupS).map((s) => s.kib);
  const third = Math.floor(after.length / 3);
  if (third < 1) return { ok: false, reason: 'too few RSS samples after warm-up' };
  const firstMax = Math.max(...after.slice(0, third));
  const lastMax = Math.max(...after.slice(after.length - third));
  const limit = Math.round(firstMax * 1.10 + slackKiB);
  return { ok: lastMax <= limit, firstMax, lastMax, limit };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

// Runs the load against a server at PORT (process PID, for RSS) with the bearer TOKEN and SEEDED
// activities (ids 1..SEEDED exist). Resolves to the raw figures; formatReport prints them.
export async function runSoak({ port, pid, token, seeded: seededCount, connections = 64, durationS = 60,
  warmupS = 10, idle = 16, slow = 8, timeoutMs = 10000, seed = 1, cooldownS = 5, weights, rssSlackKiB = 8192 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const ctx = { token, seeded: seededCount, writes: 0 };
  const mix = requestMix().map(([kind, w, make]) => [kind, weights?.[kind] ?? w, make]).filter(([, w]) => w > 0);
  const totalWeight = mix.reduce((a, [, w]) => a + w, 0);
  const byKind = Object.fromEntries(mix.map(([k]) => [k, { ms: [], errors: {} }]));
  const errorSamples = [];
  const stats = { idleConnections: 0, idleClosedByServer: 0, slowConnections: 0, slowBytes: 0 };
  const start = Date.now();
  const until = start + durationS * 1000;
  const rss = [];
  const sampler = setInterval(() => {
    const kib = readRss(pid);
    if (kib !== null) rss.push({ t: Math.round((Date.now() - start) / 1000), kib });
  }, 1000);
  rss.push({ t: 0, kib: readRss(pid) });

  const worker = async (w) => {
    const rnd = seeded(seed * 1000 + w);
    for (let n = 0; n < 1e7 && Date.now() < until; n++) {
      let x = rnd() * totalWeight;
      const [kind, , make] = mix.find(([, wt]) => (x -= wt) < 0) ?? mix[0];
      const r = make(rnd, ctx);
      const res = await request(agent, port, r.method || 'GET', r.path,
        { headers: r.headers, body: r.body, timeoutMs, localAddress: source(1, w % 16) });
      const k = byKind[kind];
      if (res.status >= 200 && res.status < 300) { k.ms.push(res.ms); continue; }
      const key = res.error || String(res.status);
      k.errors[key] = (k.errors[key] ?? 0) + 1;
      if (errorSamples.length < 10) errorSamples.push(`${r.method || 'GET'} ${r.path} → ${key} after ${Math.round(res.ms)} ms`);
    }
  };
  await Promise.all([
    ...Array.from({ length: connections }, (_, w) => worker(w)),
    ...Array.from({ length: idle }, (_, i) => idleClient(port, until, stats, source(2, i))),
    ...Array.from({ length: slow }, (_, i) => slowClient(port, until, stats, source(3, i))),
  ]);
  const elapsedS = (Date.now() - start) / 1000;
  agent.destroy();
  // A few seconds more of samples, without load: transient memory goes, a leak stays.
  const loadSamples = rss.length;
  await new Promise((r) => setTimeout(r, cooldownS * 1000));
  clearInterval(sampler);
  const after = rss.splice(loadSamples);
  const breakdown = rssBreakdown(pid);
  const kinds = {};
  let errors = 0;
  for (const [kind, k] of Object.entries(byKind)) {
    k.ms.sort((a, b) => a - b);
    const nErr = Object.values(k.errors).reduce((a, b) => a + b, 0);
    errors += nErr;
    kinds[kind] = { ok: k.ms.length, rps: k.ms.length / elapsedS, p50: percentile(k.ms, 50), p99: percentile(k.ms, 99), errors: k.errors, nErr };
  }
  return { elapsedS, kinds, errors, errorSamples, stats, rss, after, breakdown, rssVerdict: rssVerdict(rss, warmupS, rssSlackKiB), connections, idle, slow, durationS, warmupS };
}

// RssAnon / RssFile / RssShmem of the server (heap vs the memory-mapped database), as text.
function rssBreakdown(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['RssAnon', 'RssFile', 'RssShmem'].map((k) => `${k} ${(Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1]) / 1024).toFixed(1)} MiB`).join(', ');
  } catch { return 'gone'; }
}

// The server's own resident memory (RssAnon) in KiB, or null once it has gone. Not VmRSS: that
// also counts the pages of the memory-mapped database file (SQLite's mmap), which grow as more
// of the file is read or written, are the kernel's to reclaim, and are no leak.
function readRss(pid) {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

// The report as Markdown lines.
export function formatReport(r) {
  const ms = (v) => (v === null ? '–' : v.toFixed(1));
  const mib = (k) => (k / 1024).toFixed(1);
  const lines = [
    `| kind | ok | req/s | p50 ms | p99 ms | errors |`, `|---|---:|---:|---:|---:|---|`];
  let total = 0;
  for (const [kind, k] of Object.entries(r.kinds)) {
    total += k.ok;
    lines.push(`| ${kind} | ${k.ok} | ${k.rps.toFixed(1)} | ${ms(k.p50)} | ${ms(k.p99)} | ${k.nErr ? JSON.stringify(k.errors) : 0} |`);
  }
  lines.push(`| all | ${total} | ${(total / r.elapsedS).toFixed(1)} | | | ${r.errors} |`, '');
  const v = r.rssVerdict;
  const first = r.rss.find((s) => s.t >= r.warmupS);
  lines.push(`Well-behaved clients: ${r.connections} connections for ${r.elapsedS.toFixed(1)} s; errors: **${r.errors}**.`);
  lines.push(`Idle clients: ${r.idle} (${r.stats.idleConnections} connections, ${r.stats.idleClosedByServer} closed by the server); `
    + `slow clients: ${r.slow} (${r.stats.slowConnections} connections, ${mib(r.stats.slowBytes / 1024)} MiB read).`);
  lines.push(`RSS (anonymous): ${mib(r.rss[0].kib)} MiB at the start, ${first ? mib(first.kib) : '–'} MiB after the ${r.warmupS} s warm-up, `
    + `${mib(r.rss[r.rss.length - 1].kib)} MiB at the end; max first third ${v.firstMax ? mib(v.firstMax) : '–'} MiB, `
    + `last third ${v.lastMax ? mib(v.lastMax) : '–'} MiB, bound ${v.limit ? mib(v.limit) : '–'} MiB: **${v.ok ? 'flat' : 'NOT flat'}**.`);
  lines.push(`RSS samples (MiB, 1 s apart): ${r.rss.map((s) => mib(s.kib)).join(' ')}; `
    + `after the load: ${r.after.map((s) => mib(s.kib)).join(' ')} (${r.breakdown})`);
  if (r.errorSamples.length) lines.push('', 'First errors:', ...r.errorSamples.map((e) => `- ${e}`));
  return lines.join('\n');
}

function args(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  return o;
}

async function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const a = args(process.argv.slice(2));
  process.env.GMG_BIN = path.resolve(a.gmg || process.env.GMG_BIN || path.join(root, 'build/release/gmg'));
  const { startServer, runGmg } = await import('../../tests/lib/server.mjs');
  const { adminToken } = await import('../../tests/lib/load.mjs');
  const n = Number(a.activities ?? 5000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gmg-soak-'));
  const db = path.join(dir, 'gmg.db');
  let server;
  try {
    const file = path.join(dir, 'seed.xml');
    writeFileSync(file, generateIati(n));
    const imp = runGmg(['import', 'iati', '--db', db, file]);
    if (imp.status !== 0) throw new Error(`import failed: ${imp.stderr}`);
    server = await startServer({ db });
    const token = await adminToken(server.url, 'soak');
    const port = Number(new URL(server.url).port);
    const opts = { port, pid: server.proc.pid, token, seeded: n, connections: Number(a.connections ?? 64),
      durationS: Number(a.duration ?? 60), warmupS: Number(a.warmup ?? 10), idle: Number(a.idle ?? 16), slow: Number(a.slow ?? 8),
      weights: a.mix ? Object.fromEntries(a.mix.split(',').map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])])) : undefined };
    const r = await runSoak(opts);
    console.log(`# Soak: ${process.env.GMG_BIN}\n`);
    console.log(`\`node bench/soak/run.mjs ${process.argv.slice(2).join(' ')}\` — ${n} seeded activities, `
      + `nproc ${os.cpus().length}, ${os.cpus()[0]?.model ?? ''}, ${new Date().toISOString()}\n`);
    console.log(formatReport(r));
    process.exitCode = r.errors === 0 && r.rssVerdict.ok ? 0 : 1;
  } catch (e) {
    console.error(`soak: ${e.message}`);
    process.exitCode = 2;
  } finally {
    if (server) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

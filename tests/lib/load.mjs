// Helpers for the crash, backup and soak tests and bench/soak/: writers that record what the
// server acknowledged, the server's memory, percentiles, lists read through the API, and the
// sqlite3 shell for a SQLite file's integrity.
// Everything talks to 127.0.0.1 only and every loop is bounded by a count or a deadline.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './server.mjs';

// Runs one SQL statement with the sqlite3 shell on the SQLite file DB; returns its output, trimmed.
// Only for what no API shows: the file's own integrity (crash and backup tests, SQLite only).
export function sqlite(db, query) {
  return execFileSync('sqlite3', [db, query], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
}

// The server's resident memory in KiB (VmRSS of /proc/PID/status), or null once it has gone.
export function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}

// The P-th percentile (0–100) of VALUES (need not be sorted); null when there are none.
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// Signs in as the test administrator at URL and mints an API token (a bearer client needs no
// CSRF token and its answers bypass the anonymous cache). Returns the token.
export async function adminToken(url, name = 'load') {
  const c = new Client(url);
  await c.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const r = await c.post('/api/v1/tokens', { name });
  if (r.status !== 201 && r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return r.json.token;
}

// The smallest valid activity, titled TITLE (unique titles let a test find each write again).
export function activityBody(title, org = 'ilo') {
  return {
    organization_id: org, titles: [{ lang: 'en', text: title }], type: 'technical_assistance',
    themes: ['labour-migration'], countries: ['NP'], status: 2, visibility: 'public',
  };
}

// Creates one activity titled TITLE with the bearer TOKEN. Resolves to {status, id, ms};
// status 0 when the connection failed (no answer: not acknowledged).
export async function createActivity(url, token, title, org) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(activityBody(title, org)),
    });
    const text = await res.text();
    let id = null;
    if (res.status === 201) id = JSON.parse(text).id;
    return { status: res.status, id, ms: performance.now() - t0, text };
  } catch (e) {
    return { status: 0, id: null, ms: performance.now() - t0, text: String(e.cause ?? e) };
  }
}

// Runs WRITERS concurrent loops creating activities titled `${prefix}-${writer}-${n}` until
// shouldStop() is true, a connection fails, or maxPerWriter writes each. Every 201 is passed
// to onAck({title, id}) the moment it arrives. Resolves to {acked, failed, statuses}.
export async function runWriters({ url, token, writers = 4, prefix, shouldStop = () => false,
  maxPerWriter = 100000, onAck = () => {}, org }) {
  const statuses = {};
  let acked = 0;
  let failed = 0;
  const loop = async (w) => {
    for (let n = 0; n < maxPerWriter && !shouldStop(); n++) {
      const title = `${prefix}-${w}-${n}`;
      const r = await createActivity(url, token, title, org);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 201) { acked++; onAck({ title, id: r.id }); continue; }
      failed++;
      if (r.status === 0) return;  // the server is gone
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => loop(w)));
  return { acked, failed, statuses };
}

// Every item of the list at PATH (e.g. /api/v1/audit?entity=activity) on the server at URL, read
// with the bearer TOKEN, following the cursor (bounded: 1,000 pages of 500).
export async function listAll(url, token, p) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 1000; page++) {
    const sep = p.includes('?') ? '&' : '?';
    const res = await fetch(`${url}${p}${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    items.push(...body.items);
    cursor = body.next_cursor;
    if (!cursor) return items;
  }
  throw new Error(`GET ${p}: more than 1,000 pages`);
}

// The activities whose title starts with PREFIX, as a Map title → id, as the server at URL lists
// them to the bearer TOKEN (an administrator's: every activity not archived).
export async function activitiesByTitle(url, token, prefix) {
  const map = new Map();
  for (const a of await listAll(url, token, '/api/v1/activities')) {
    if (a.title.startsWith(prefix)) map.set(a.title, a.id);
  }
  return map;
}

// Helpers for the crash, backup and soak tests and bench/soak/: writers that record what the
// server acknowledged, the server's memory, percentiles and the sqlite3 shell.
// Everything talks to 127.0.0.1 only and every loop is bounded by a count or a deadline.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './server.mjs';

// Runs one SQL statement with the sqlite3 shell on DB; returns its output, trimmed.
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

// The activities whose title starts with PREFIX in DB, as a Map title → id (sqlite3 shell).
export function activitiesByTitle(db, prefix) {
  const out = sqlite(db, `SELECT id || '|' || title FROM activities WHERE title LIKE '${prefix.replace(/'/g, "''")}%'`);
  const map = new Map();
  for (const line of out ? out.split('\n') : []) {
    const bar = line.indexOf('|');
    map.set(line.slice(bar + 1), Number(line.slice(0, bar)));
  }
  return map;
}

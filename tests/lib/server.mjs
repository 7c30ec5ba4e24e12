// Starts the real `gmg` binary for end-to-end tests and gives a small HTTP client.
// The binary is $GMG_BIN or build/debug/gmg (the ASan+UBSan build that `make test` makes).
//
// Engine: GMG_TEST_ENGINE=postgres (with GMG_TEST_PG_URL, an admin URL such as
// postgresql://gmg:pw@127.0.0.1:54325/postgres, which `scripts/pg-cluster.sh` prints) gives every
// server and every `newDatabase()` a fresh PostgreSQL database gmg_e2e_<pid>_<n>, created with
// `psql` and dropped when the server stops; anything else (the default) a fresh SQLite file.
// A database is named by what `--db` takes, so `server.db` goes to the CLI (`gmg … --db`) as is.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const gmgBin = process.env.GMG_BIN || path.join(root, 'build/debug/gmg');
export const ADMIN_EMAIL = 'admin@localhost';
export const ADMIN_PASSWORD = 'admin-password-for-tests';

export const engine = process.env.GMG_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const pgAdminUrl = process.env.GMG_TEST_PG_URL || '';
const requirePg = process.env.GMG_REQUIRE_PG === '1';
// What every gmg the tests start gets first in its environment (a test's own env and the
// caller's override it): password hashes at libsodium's minimum cost, which a test build of gmg
// (GMG_TEST_HOOKS) accepts and a release build ignores. The suites make hundreds of users and
// sign-ins; at the interactive cost (64 MiB each) they spent over a third of their time hashing.
const TEST_ENV = { GMG_TEST_PASSWORD_HASH: 'minimum' };

// Runs one SQL statement through `psql` on the admin URL (or `url`); returns its output, trimmed.
export function psql(statement, url = pgAdminUrl) {
  if (!url) throw new Error('GMG_TEST_PG_URL is not set (scripts/pg-cluster.sh start DIR prints it)');
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atqc', statement], { encoding: 'utf8' });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql ${JSON.stringify(statement)}: ${redactPasswords(r.stderr)}`);
  return r.stdout.trim();
}

// The URL of database NAME on the cluster of `adminUrl` (same user, password, host and port).
export function pgDatabaseUrl(name, adminUrl = pgAdminUrl) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

let pgDatabases = 0;
const undropped = new Map();  // name → admin URL, dropped when the test process exits
process.on('exit', () => {
  for (const [name, adminUrl] of undropped) {
    spawnSync('psql', [adminUrl, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  }
});
// psql(statement, url), again every 100 ms for up to 5 s while PostgreSQL says a database it
// needs alone is still in use (a gmg that has just exited: its backends end a moment later).
function psqlWhenFree(statement, url) {
  for (let attempt = 0; ; ++attempt) {
    try {
      return psql(statement, url);
    } catch (e) {
      if (attempt >= 50 || !/being accessed by other users/.test(e.message)) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

// The database the servers' fresh PostgreSQL databases are copied from: migrated and seeded
// once by this gmg binary (named after its size and time), then kept on the cluster for every
// later test process. CREATE DATABASE … TEMPLATE takes 0.26 s where migrating an empty
// database takes 0.79 s, and the suite starts about 80 servers. Made under a temporary name
// and renamed, so two processes making it at once cannot leave a half-made one.
let pgTemplate;
function pgServerTemplate(adminUrl) {
  if (pgTemplate) return pgTemplate;
  const { size, mtimeMs } = statSync(gmgBin);
  const name = `gmg_tpl_${size}_${Math.round(mtimeMs)}`;
  const exists = () => psql(`SELECT count(*) FROM pg_database WHERE datname = '${name}'`, adminUrl) === '1';
  if (!exists()) {
    const making = `${name}_${process.pid}`;
    psql(`CREATE DATABASE ${making}`, adminUrl);
    try {
      const r = runGmg(['migrate', '--db', pgDatabaseUrl(making, adminUrl)]);
      if (r.status !== 0) throw new Error(`gmg migrate of the template: ${redactPasswords(r.stderr)}`);
      if (!exists()) psqlWhenFree(`ALTER DATABASE ${making} RENAME TO ${name}`, adminUrl);
    } finally {
      psqlWhenFree(`DROP DATABASE IF EXISTS ${making} WITH (FORCE)`, adminUrl);
    }
  }
  pgTemplate = name;
  return name;
}

// A fresh PostgreSQL database on the cluster of `adminUrl`: {url, name, drop()}; empty, or with
// `migrated` as this gmg's `migrate` leaves one (schema and seed, no accounts).
export function newPgDatabase(adminUrl = pgAdminUrl, { migrated = false } = {}) {
  const name = `gmg_e2e_${process.pid}_${++pgDatabases}`;
  if (migrated) psqlWhenFree(`CREATE DATABASE ${name} TEMPLATE ${pgServerTemplate(adminUrl)}`, adminUrl);
  else psql(`CREATE DATABASE ${name}`, adminUrl);
  undropped.set(name, adminUrl);
  return {
    url: pgDatabaseUrl(name, adminUrl),
    name,
    // FORCE: a server killed on purpose may leave its connections for the backend to notice.
    drop: () => { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, adminUrl); undropped.delete(name); },
  };
}

// A fresh database of the test engine for `--db`: a file in DIR, or a new PostgreSQL database
// (empty, or `migrated`: see newPgDatabase). Returns {db, drop()}.
export function newDatabase(dir, { migrated = false } = {}) {
  if (engine !== 'postgres') return { db: path.join(dir, 'gmg.db'), drop() {} };
  const d = newPgDatabase(pgAdminUrl, { migrated });
  return { db: d.url, drop: d.drop };
}

// TEXT with the password of every postgresql:// URL in it replaced by ***.
export const redactPasswords = (text) => String(text).replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');

export const isPgUrl = (db) => /^postgres(ql)?:\/\//.test(db);

// Stands in for a newer gmg having migrated DB: records a schema version this gmg does not know,
// with the engine's own client. The one place a test writes behind gmg's back: no gmg command
// makes a database newer than itself. (Follows schema_migrations of store/migrations.cc.)
export function markNewerSchema(db) {
  const statement = "INSERT INTO schema_migrations (module, version, description, applied_at) "
    + "VALUES ('auth', 99, 'from the future', 0)";
  if (isPgUrl(db)) psql(statement, db);
  else {
    const r = spawnSync('sqlite3', [db, statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  }
}

let pgProbe;
// Why a PostgreSQL-only test cannot run here, or false when it can: GMG_TEST_PG_URL set, psql
// present, and the binary migrates a PostgreSQL database (it has the engine). With
// GMG_REQUIRE_PG=1 (CI) the answer is always false, so a missing engine fails the test instead.
export function pgSkipReason({ onlyEngine = true } = {}) {
  if (onlyEngine && engine !== 'postgres') return 'PostgreSQL only (GMG_TEST_ENGINE=postgres)';
  if (requirePg) return false;
  if (pgProbe !== undefined) return pgProbe;
  pgProbe = false;
  if (!pgAdminUrl) pgProbe = 'GMG_TEST_PG_URL is not set';
  else if (spawnSync('psql', ['--version']).status !== 0) pgProbe = 'psql is not installed';
  else {
    try {
      const d = newPgDatabase();
      try {
        const r = runGmg(['migrate', '--db', d.url]);
        const tables = psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", d.url);
        if (r.status !== 0 || Number(tables) === 0) pgProbe = `this gmg has no PostgreSQL engine (${redactPasswords(r.stderr.trim()).slice(0, 200)})`;
      } finally { d.drop(); }
    } catch (e) { pgProbe = `PostgreSQL unreachable: ${redactPasswords(e.message)}`; }
  }
  return pgProbe;
}

// Runs `gmg ARGS…` to completion; returns {status, stdout, stderr}.
export function runGmg(args, { env = {}, input } = {}) {
  const r = spawnSync(gmgBin, args, {
    env: { ...TEST_ENV, ...process.env, ...env },
    input,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts `gmg serve` on a free port and a fresh database of the test engine (on PostgreSQL a
// copy of the migrated template: newPgDatabase), or on `db`, which stays; `wrap` (e.g.
// ['strace', …]) runs the server under another program.
// Returns {url, db, dir, proc, output(), stop()}.
export async function startServer({ web, db, env = {}, args = [], wrap = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-e2e-'));
  const fresh = db ? null : newDatabase(dir, { migrated: true });
  const dbPath = db || fresh.db;
  // The write quota (docs/security.md) is off unless a test sets it: many tests write fast.
  const quota = args.includes('--writes-per-minute') || args.includes('--write-burst') ? [] : ['--writes-per-minute', '0'];
  const argv = ['serve', '--db', dbPath, '--port', '0', ...quota, ...args];
  if (web) argv.push('--web', web);
  const [program, ...programArgs] = [...wrap, gmgBin, ...argv];
  const proc = spawn(program, programArgs, {
    env: { ...TEST_ENV, ...process.env, GMG_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const cleanUp = () => { rmSync(dir, { recursive: true, force: true }); fresh?.drop(); };
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  }).catch((e) => { proc.kill('SIGKILL'); cleanUp(); throw e; });
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    db: dbPath,
    dir,
    proc,
    exited,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      cleanUp();
      return r;
    },
  };
}

// fetch, again once when a kept-alive connection turned out closed before the request went out.
// The tests run the CLI with spawnSync, which blocks this process's event loop: a CLI run longer
// than the server's idle timeout (30 s, e.g. `gmg demo load` under ASan on a loaded machine)
// lets the server close the pooled connection without undici noticing, and the next request
// on it fails with "other side closed" although the server never saw it.
async function fetchOnce(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = e?.cause?.code;
    // undici's "fetch failed" hides why; the test's report should say.
    if (e?.cause) e.message += ` (${init.method} ${url}: ${code ?? ''} ${e.cause.message ?? ''})`;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
    return fetch(url, init);
  }
}

// A cookie-keeping client, like a browser tab. `signIn` stores the CSRF token and sends it on writes.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.bearer = null; }

  async request(method, p, { body, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
    const res = await fetchOnce(this.base + p, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      // `__Host-gmg_session` when the server runs with --secure-cookies, else `gmg_session`.
      const m = /((?:__Host-)?gmg_session)=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[2] ? `${m[1]}=${m[2]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(p, o) { return this.request('GET', p, o); }
  post(p, body, o = {}) { return this.request('POST', p, { ...o, body }); }
  patch(p, body, o = {}) { return this.request('PATCH', p, { ...o, body }); }
  del(p, o) { return this.request('DELETE', p, o); }

  async signIn(email, password) {
    const r = await this.post('/api/v1/session', { email, password });
    if (r.status !== 200) throw new Error(`sign-in ${email} failed: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    return r.json.user;
  }
}

// Creates a user through the CLI (`gmg user add`), password on standard input.
export function addUser(db, { email, name, role, org, password }) {
  const args = ['user', 'add', '--db', db, '--email', email, '--name', name, '--role', role];
  if (org) args.push('--org', org);
  const r = runGmg(args, { input: `${password}\n` });
  if (r.status !== 0) throw new Error(`gmg user add failed: ${r.stderr}`);
  return r;
}

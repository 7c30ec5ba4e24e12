// Notifications (issue 12): the in-app API (one's own notifications, unread count, mark read,
// preferences; the administrators' outbox view) and e-mail through a REAL SMTP server started
// here (Debian's python3-aiosmtpd, tests/lib/smtp-sink.py), read back with Python's e-mail
// parser: subject, To, UTF-8 body. SMTP down → the message stays pending with its error; a
// restart of gmg loses nothing; once the server is up it is delivered. STARTTLS required with
// a throwaway self-signed certificate (openssl) trusted through --smtp-ca-file, and refused
// against a server that offers none. Runs on SQLite, or PostgreSQL with GMG_TEST_ENGINE=postgres.
//
// What happened is written here as NotificationService::Enqueue writes it (an event, inbox
// rows, an outbox row), straight into the database while gmg is stopped or between requests:
// until the meetings and positions modules report real events, no route creates one (and no
// test-only route is added). notification_service_test.cc covers Enqueue itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer, Client, addUser, newDatabase, psql, engine, ADMIN_EMAIL, ADMIN_PASSWORD,
} from '../lib/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sinkScript = path.join(here, '../lib/smtp-sink.py');
const PYTHON = '/usr/bin/python3';  // Debian's, which has aiosmtpd

const FP = { email: 'fp@iom.int', name: 'Amina Diallo', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const MEMBER = { email: 'member@iom.int', name: 'Luis Pérez', role: 'member', org: 'iom', password: 'iom-member-pw' };

let dir;
let database;
let smtpPort;
let server;
const userIds = {};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn() until it returns a truthy value, at most `ms`.
async function until(fn, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

// One SQL statement on the test database (either engine).
function sql(statement) {
  if (engine === 'postgres') return psql(statement, database.db);
  const r = spawnSync(PYTHON, ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1], timeout=30)\nr=c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r[0][0] if r else "")', database.db, statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite: ${r.stderr}`);
  return r.stdout.trim();
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

// The rows Enqueue writes for one e-mail notification to `user` (the inbox, SMTP-down and TLS
// tests use fixed texts; the real-event test goes through the actions API).
function recordNotification(user, { kind, params, link, subject, body, to }) {
  const now = Math.floor(Date.now() / 1000);
  const event = sql(`INSERT INTO notification_events (kind, params, link, entity, entity_id, created_at) VALUES (${q(kind)}, ${q(JSON.stringify(params))}, ${q(link)}, 'position', 7, ${now}) RETURNING id`);
  const inbox = sql(`INSERT INTO notifications (user_id, event_id, read_at, created_at) VALUES (${user}, ${event}, NULL, ${now}) RETURNING id`);
  if (subject) {
    sql(`INSERT INTO email_outbox (user_id, to_address, subject, body, created_at, attempts, next_attempt_at, status, last_error) VALUES (${user}, ${q(to)}, ${q(subject)}, ${q(body)}, ${now}, 0, ${now}, 'pending', '') RETURNING id`);
  }
  return Number(inbox);
}

async function startSink(port, mailDir, tls) {
  const args = [sinkScript, '--port', String(port), '--dir', mailDir];
  if (tls) args.push('--cert', tls.cert, '--key', tls.key);
  const proc = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${out}`)), 20000);
    proc.stdout.on('data', (d) => { out += d; if (out.includes('ready')) { clearTimeout(timer); resolve(); } });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`SMTP sink exited ${code}: ${out}`)); });
  });
  proc.removeAllListeners('exit');
  return { proc, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) };
}

const received = (mailDir) => readdirSync(mailDir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(path.join(mailDir, f), 'utf8')));

function smtpArgs(port, { starttls = 'off', ca } = {}) {
  const args = ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-from', 'GMG Hub <hub@example.org>',
    '--smtp-starttls', starttls, '--smtp-retry-base-seconds', '1', '--smtp-timeout', '10',
    '--public-url', 'https://hub.example.org'];
  if (ca) args.push('--smtp-ca-file', ca);
  return args;
}

async function admin() { const c = new Client(server.url); await c.signIn(ADMIN_EMAIL, ADMIN_PASSWORD); return c; }
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gmg-notify-'));
  database = newDatabase(dir);
  smtpPort = await freePort();  // nothing listens there yet: SMTP is down
  server = await startServer({ db: database.db, args: smtpArgs(smtpPort) });
  for (const [key, u] of Object.entries({ fp: FP, member: MEMBER })) {
    const r = addUser(database.db, u);
    userIds[key] = Number(/created user (\d+)/.exec(r.stdout)[1]);
  }
});

after(async () => {
  await server?.stop();
  database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('the inbox: one\'s own notifications in one\'s language, the unread count, marking read', async () => {
  const params = { position: 'Droits des travailleurs migrants', deadline: '2026-12-10T16:00:00Z', rule: 'consensus' };
  const mine = recordNotification(userIds.fp, { kind: 'round_opened', params, link: '/positions/7' });
  const theirs = recordNotification(userIds.member, { kind: 'round_opened', params, link: '/positions/7' });
  const fp = await as(FP);
  assert.equal((await fp.patch('/api/v1/session', { language: 'fr' })).status, 200);

  const count = await fp.get('/api/v1/notifications/count');
  assert.equal(count.status, 200, count.text);
  assert.deepEqual(count.json, { unread: 1 });
  const list = await fp.get('/api/v1/notifications?unread=1');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, 1);
  const [n] = list.json.items;
  assert.equal(n.id, mine);
  assert.equal(n.kind, 'round_opened');
  assert.equal(n.title, 'Cycle d\'approbation ouvert : Droits des travailleurs migrants');
  assert.match(n.body, /au plus tard le 2026-12-10 16:00 UTC/);
  assert.equal(n.link, '/positions/7');
  assert.equal(n.read, false);

  // Another user's id is not one's own: nothing changes.
  const other = await fp.post('/api/v1/notifications/read', { ids: [theirs] });
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.marked, 0);
  const member = await as(MEMBER);
  assert.equal((await member.get('/api/v1/notifications/count')).json.unread, 1);
  assert.equal((await member.get('/api/v1/notifications')).json.items[0].title,
    'Endorsement round opened: Droits des travailleurs migrants');

  const read = await fp.post('/api/v1/notifications/read', { all: true });
  assert.deepEqual(read.json, { marked: 1, unread: 0 });
  assert.equal((await fp.get('/api/v1/notifications?unread=1')).json.total, 0);
  assert.equal((await fp.get('/api/v1/notifications')).json.items[0].read, true);
  assert.equal((await fp.post('/api/v1/notifications/read', {})).status, 400);
  assert.equal((await fp.post('/api/v1/notifications/read', { ids: ['x'] })).status, 400);
  assert.equal((await new Client(server.url).get('/api/v1/notifications')).status, 401);

  const audit = await (await admin()).get('/api/v1/audit?entity=notifications');
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.items.length, 1);  // the read that changed something
});

test('preferences: defaults, a change (audited), refusals naming the field', async () => {
  const fp = await as(FP);
  const r = await fp.get('/api/v1/notifications/preferences');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    kinds: { round_opened: 'email', round_deadline_soon: 'email', round_outcome: 'email', minutes_circulated: 'inapp', action_assigned: 'email', action_overdue: 'inapp' },
    digest_hour: 7,
  });
  const put = await fp.request('PUT', '/api/v1/notifications/preferences', { body: { kinds: { minutes_circulated: 'digest', round_opened: 'none' }, digest_hour: 6 } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.kinds.minutes_circulated, 'digest');
  assert.equal(put.json.kinds.round_opened, 'none');
  assert.equal(put.json.digest_hour, 6);
  // Someone else's are untouched.
  assert.equal((await (await as(MEMBER)).get('/api/v1/notifications/preferences')).json.kinds.round_opened, 'email');

  const bad = await fp.request('PUT', '/api/v1/notifications/preferences', { body: { kinds: { round_opened: 'pigeon', nonsense: 'email' } } });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(bad.json.error.details.map((d) => d.field).sort(), ['kinds.nonsense', 'kinds.round_opened']);
  // More kinds than there are: 422 before any is looked at (security review of issue 12).
  const kinds = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`kind_${i}`, 'email']));
  const flood = await fp.request('PUT', '/api/v1/notifications/preferences', { body: { kinds } });
  assert.equal(flood.status, 422, flood.text);
  assert.deepEqual(flood.json.error.details.map((d) => [d.field, d.rule, d.args.max]), [['kinds', 'too_many', '6']]);
  const seven = { ...put.json.kinds, nonsense: 'email' };
  assert.equal(Object.keys(seven).length, 7);
  assert.equal((await fp.request('PUT', '/api/v1/notifications/preferences', { body: { kinds: seven } })).status, 422);
  // The error answer lists at most 20 details and counts the rest.
  const fields = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`unknown_${i}`, 1]));
  const wide = await fp.request('PUT', '/api/v1/notifications/preferences', { body: fields });
  assert.equal(wide.status, 400, wide.text);
  assert.equal(wide.json.error.details.length, 20);
  assert.equal(wide.json.error.details_total, 25);
  const hour = await fp.request('PUT', '/api/v1/notifications/preferences', { body: { digest_hour: 24 } });
  assert.equal(hour.status, 400, hour.text);
  assert.equal(hour.json.error.details[0].field, 'digest_hour');
  const audit = await (await admin()).get('/api/v1/audit?entity=notification_preferences');
  assert.equal(audit.json.items.length, 1);
});

test('SMTP down: the mail stays pending with its error; after a restart it is delivered, in UTF-8', async () => {
  const subject = 'Cycle d\'approbation ouvert : « Droits des travailleurs migrants » — الهجرة';
  const body = 'Bonjour Amina,\n\nUn cycle d\'approbation est ouvert.\n.\n..deux points\nFin — ünïcödé\n';
  recordNotification(userIds.fp, { kind: 'round_opened', params: { position: 'P' }, link: '/positions/7', subject, body, to: FP.email });

  const a = await admin();
  const fpOutbox = await (await as(FP)).get('/api/v1/notifications/outbox');
  assert.equal(fpOutbox.status, 403);
  const retrying = await until(async () => {
    const r = await a.get('/api/v1/notifications/outbox');
    assert.equal(r.status, 200, r.text);
    return r.json.retrying_items.length === 1 ? r.json : null;
  }, 20000, 'a failed attempt');
  assert.equal(retrying.smtp_configured, true);
  assert.equal(retrying.pending, 1);
  assert.equal(retrying.sent, 0);
  assert.ok(retrying.retrying_items[0].attempts >= 1);
  assert.match(retrying.retrying_items[0].last_error, /SMTP: .*(connect|refused)/i);

  // gmg stops with the message unsent; the SMTP server comes up; gmg starts again.
  await server.stop();
  const mailDir = mkdtempSync(path.join(dir, 'mail-'));
  const sink = await startSink(smtpPort, mailDir);
  try {
    server = await startServer({ db: database.db, args: smtpArgs(smtpPort) });
    const [mail] = await until(() => { const m = received(mailDir); return m.length ? m : null; }, 30000, 'the message');
    assert.equal(mail.subject, subject);
    assert.equal(mail.to, FP.email);
    assert.deepEqual(mail.rcpt_tos, [FP.email]);
    assert.equal(mail.mail_from, 'hub@example.org');
    assert.equal(mail.from, 'GMG Hub <hub@example.org>');
    assert.equal(mail.content_type, 'text/plain');
    assert.equal(mail.charset, 'utf-8');
    assert.equal(mail.body.replaceAll('\r\n', '\n'), body);  // dot lines intact
    assert.match(mail.message_id, /^<gmg-outbox-\d+-\d+@example\.org>$/);
    assert.ok(mail.date.endsWith('+0000'), mail.date);
    const done = await until(async () => {
      const r = (await admin()).get('/api/v1/notifications/outbox');
      const j = (await r).json;
      return j.sent === 1 ? j : null;
    }, 10000, 'the row marked sent');
    assert.equal(done.pending, 0);
    assert.equal(done.failed, 0);
    await sleep(1500);
    assert.equal(received(mailDir).length, 1, 'sent once');
  } finally {
    await sink.stop();
  }
});

test('a real event: an action the secretariat assigns to IOM reaches its focal point and member by e-mail and in the app', async () => {
  const mailDir = mkdtempSync(path.join(dir, 'mail-event-'));
  const sink = await startSink(smtpPort, mailDir);
  try {
    const a = await admin();
    const due = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    const title = 'Map labour migration data';
    const created = await a.post('/api/v1/actions', { title, owner_org: 'iom', due_date: due });
    assert.equal(created.status, 201, created.text);
    const mails = await until(() => {
      const m = received(mailDir).filter((x) => x.subject.includes(title));
      return m.length >= 2 ? m : null;
    }, 30000, 'the action_assigned e-mails');
    assert.deepEqual(mails.map((m) => m.to).sort(), [FP.email, MEMBER.email].sort(), 'the owner organisation\'s focal point and member, once each');
    const inbox = await (await as(MEMBER)).get('/api/v1/notifications?unread=1');
    const n = inbox.json.items.find((x) => x.kind === 'action_assigned');
    assert.ok(n, inbox.text);
    assert.match(n.title, new RegExp(title));
    assert.match(n.link, /^\/actions/);
  } finally {
    await sink.stop();
  }
});

test('STARTTLS required: delivered over TLS to a server whose certificate --smtp-ca-file trusts; refused without it', async () => {
  const certDir = mkdtempSync(path.join(dir, 'tls-'));
  const cert = path.join(certDir, 'cert.pem');
  const key = path.join(certDir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);

  const tlsPort = await freePort();
  const mailDir = mkdtempSync(path.join(dir, 'mail-tls-'));
  const sink = await startSink(tlsPort, mailDir, { cert, key });
  const plainPort = await freePort();
  const plainDir = mkdtempSync(path.join(dir, 'mail-plain-'));
  const plain = await startSink(plainPort, plainDir);
  try {
    await server.stop();
    server = await startServer({ db: database.db, args: smtpArgs(tlsPort, { starttls: 'required', ca: cert }) });
    recordNotification(userIds.member, { kind: 'action_assigned', params: { action: 'A' }, link: '/actions', subject: 'Nueva acción para su organización: A', body: 'Hola, Luis:\n\nAcción.\n', to: MEMBER.email });
    const [mail] = await until(() => { const m = received(mailDir); return m.length ? m : null; }, 30000, 'the message over TLS');
    assert.equal(mail.tls, true);
    assert.equal(mail.subject, 'Nueva acción para su organización: A');
    assert.equal(mail.to, MEMBER.email);

    // Required STARTTLS against a server that offers none: refused, recorded, nothing sent.
    await server.stop();
    server = await startServer({ db: database.db, args: smtpArgs(plainPort, { starttls: 'required' }) });
    recordNotification(userIds.member, { kind: 'action_overdue', params: { action: 'B' }, link: '/actions', subject: 'Acción vencida: B', body: 'B\n', to: MEMBER.email });
    const a = await admin();
    const retrying = await until(async () => {
      const r = await a.get('/api/v1/notifications/outbox');
      return r.json.retrying_items.length ? r.json.retrying_items[0] : null;
    }, 20000, 'the refused attempt');
    assert.match(retrying.last_error, /SSL|TLS|STARTTLS/i);
    assert.equal(received(plainDir).length, 0);
  } finally {
    await sink.stop();
    await plain.stop();
  }
});

test('gmg serve refuses SMTP settings it cannot use, naming the flag', async () => {
  const { runGmg } = await import('../lib/server.mjs');
  const r = runGmg(['serve', '--db', path.join(dir, 'never.db'), '--port', '0', '--smtp-url', 'smtp://127.0.0.1:25', '--smtp-from', 'nobody']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--smtp-from/);
  const s = runGmg(['serve', '--db', path.join(dir, 'never.db'), '--port', '0', '--smtp-url', 'http://mail', '--smtp-from', 'hub@example.org']);
  assert.equal(s.status, 1);
  assert.match(s.stderr, /--smtp-url/);
});

// Several instances as one (issue 8): two `gmg serve` on one PostgreSQL database behind nginx
// (round-robin upstream). Sessions, sign-in limits, the one-import-at-a-time rule and what each
// instance reads live in the database, so it does not matter which instance answers.
// PostgreSQL only (GMG_TEST_ENGINE=postgres with GMG_TEST_PG_URL; `make test` runs it so).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, runGmg, newPgDatabase, pgSkipReason, ADMIN_EMAIL, ADMIN_PASSWORD,
} from '../lib/server.mjs';
import { startNginx, haveNginx } from '../lib/nginx.mjs';
import { adminToken, createActivity, activitiesByTitle } from '../lib/load.mjs';

const skip = pgSkipReason() || (!haveNginx && 'nginx is not installed');
let database;
let a;  // instance A
let b;  // instance B
let proxy;  // nginx before both

const start = (env = {}) => startServer({ db: database.url, args: ['--trusted-proxy', '127.0.0.1'], env });

before(async () => {
  if (skip) return;
  database = newPgDatabase();
  const m = runGmg(['migrate', '--db', database.url]);
  assert.equal(m.status, 0, m.stderr);
  a = await start();
  b = await start();
  proxy = await startNginx([a.url, b.url]);
});
after(async () => {
  await proxy?.stop();
  await a?.stop();
  await b?.stop();
  database?.drop();
});

async function signedIn(url, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const c = new Client(url);
  await c.signIn(email, password);
  return c;
}
// The same browser (cookie and CSRF token) talking to another instance.
function sameSessionOn(url, c) {
  const other = new Client(url);
  Object.assign(other, { cookie: c.cookie, csrf: c.csrf });
  return other;
}
const activity = (title, extra = {}) => ({
  organization_id: 'ilo', titles: [{ lang: 'en', text: title }], type: 'technical_assistance',
  themes: ['labour-migration'], countries: ['NP'], status: 2, visibility: 'public', ...extra,
});

test('a session made on A works on B: reads, writes with its CSRF token, and sign-out ends it on both', { skip }, async () => {
  const onA = await signedIn(a.url);
  const onB = sameSessionOn(b.url, onA);
  const me = await onB.get('/api/v1/session');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.email, ADMIN_EMAIL);
  const created = await onB.post('/api/v1/activities', activity('Cross-instance session write'));
  assert.equal(created.status, 201, created.text);
  const noCsrf = await onB.post('/api/v1/activities', activity('Without the token'), { headers: { 'x-csrf-token': '' } });
  assert.equal(noCsrf.status, 403);
  assert.equal((await onB.del('/api/v1/session')).status, 204);
  assert.equal((await onA.get('/api/v1/session')).status, 401, 'signed out on B, gone on A');
  // Through nginx, whichever instance answers, one sign-in serves every request.
  const viaProxy = await signedIn(proxy.url);
  for (let i = 0; i < 6; i++) assert.equal((await viaProxy.get('/api/v1/session')).status, 200, `request ${i}`);
});

test('a write on A is read on B at once: by id, in lists, in the search catalog; edits and archiving too', { skip }, async () => {
  const onA = await signedIn(a.url);
  const onB = await signedIn(b.url);
  const word = `quetzalcross${Date.now() % 100000}`;
  const created = await onA.post('/api/v1/activities', activity(`Corridor ${word} study`));
  assert.equal(created.status, 201, created.text);
  const { id } = created.json;

  const got = await onB.get(`/api/v1/activities/${id}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.title, `Corridor ${word} study`);
  assert.ok((await onB.get('/api/v1/activities?organization=ilo&limit=500')).json.items.some((x) => x.id === id), 'in B\'s list');
  const found = await onB.get(`/api/v1/search?q=${word}`);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.json.items.map((x) => x.activity.id), [id], 'B\'s search catalog has A\'s new activity');
  assert.equal((await new Client(b.url).get(`/api/v1/search?q=${word}`)).json.total, 1, 'anonymous search on B');

  const edited = await onB.patch(`/api/v1/activities/${id}`, { titles: [{ lang: 'en', text: `Corridor ${word} revised` }] },
    { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await onA.get(`/api/v1/activities/${id}`)).json.title, `Corridor ${word} revised`, 'B\'s edit read on A');
  assert.equal((await onA.get(`/api/v1/search?q=revised+${word}`)).json.total, 1, 'and searched on A');
  const stale = await onA.patch(`/api/v1/activities/${id}`, { status: 3 }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(stale.status, 412, 'A knows B changed it');

  assert.equal((await onA.del(`/api/v1/activities/${id}`)).status, 204);
  assert.equal((await onB.get(`/api/v1/activities/${id}`)).status, 404, 'archived on A, gone on B');
  assert.equal((await onB.get(`/api/v1/search?q=${word}`)).json.total, 0, 'and from B\'s search');
});

test('the sign-in rate limit counts across instances: failures split over A and B trip it', { skip }, async () => {
  const admin = await signedIn(a.url);
  const user = { email: 'spread@ilo.org', name: 'Spread', role: 'member', organization_id: 'ilo', password: 'spread-user-password' };
  assert.equal((await admin.post('/api/v1/users', user)).status, 201);
  // Five free failures per (address, account): three land on A, two on B.
  for (const [i, s] of [a, b, a, b, a].entries()) {
    const r = await new Client(s.url).post('/api/v1/session', { email: user.email, password: 'not-the-password' });
    assert.equal(r.status, 401, `failure ${i + 1}`);
  }
  // B saw two failures itself; the sixth attempt waits on either instance, even with the password.
  for (const s of [b, a]) {
    const r = await new Client(s.url).post('/api/v1/session', { email: user.email, password: user.password });
    assert.equal(r.status, 429, r.text);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  }
});

// An IATI file of N activities of IOM with identifiers XM-DAC-47066-<tag>-<i>.
function iatiFile(tag, n) {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'];
  for (let i = 0; i < n; i++) {
    parts.push(`<iati-activity><iati-identifier>XM-DAC-47066-${tag}-${i}</iati-identifier>`
      + '<reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>'
      + `<title><narrative>Queued import ${tag} number ${i}</narrative></title>`
      + '<activity-status code="2"/><activity-date type="2" iso-date="2021-01-01"/>'
      + '<recipient-country code="MX"/><sector vocabulary="1" code="24050"/></iati-activity>\n');
  }
  parts.push('</iati-activities>\n');
  return parts.join('');
}

test('two imports at once, one to each instance: both succeed, one after the other', { skip }, async () => {
  const N = 400;
  const onA = await signedIn(a.url);
  const onB = await signedIn(b.url);
  const upload = async (c, tag) => {
    const r = await c.request('POST', '/api/v1/activities/import', { raw: iatiFile(tag, N), headers: { 'content-type': 'application/xml' } });
    return { r, tag, done: performance.now() };
  };
  const results = await Promise.all([upload(onA, 'QA'), upload(onB, 'QB')]);
  for (const { r, tag } of results) {
    assert.equal(r.status, 200, `${tag}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json.created, N, tag);
  }
  // One import at a time across instances: the activities of one import all come before the
  // other's (no interleaving), and the import whose activities came first answered first.
  const ids = Object.fromEntries(await Promise.all(results.map(async ({ tag }) => {
    const token = await adminToken(a.url, `ids-${tag}`);
    const byTitle = await activitiesByTitle(a.url, token, `Queued import ${tag} `);
    assert.equal(byTitle.size, N, tag);
    return [tag, [...byTitle.values()].sort((x, y) => x - y)];
  })));
  const [first, second] = ids.QA[0] < ids.QB[0] ? ['QA', 'QB'] : ['QB', 'QA'];
  assert.ok(ids[first].at(-1) < ids[second][0], `${first}'s activities all precede ${second}'s: no interleaving`);
  const doneAt = Object.fromEntries(results.map(({ tag, done }) => [tag, done]));
  assert.ok(doneAt[first] <= doneAt[second], `${second} waited for ${first}`);
});

test('an instance killed mid-way loses no acknowledged write; the other goes on', { skip, timeout: 120000 }, async () => {
  // A third instance to kill, so A and B stay for the other tests.
  const victim = await start();
  const token = await adminToken(victim.url, 'kill');
  const acked = new Map();
  const statuses = {};
  let stop = false;
  let killed = false;
  const writer = async (w) => {
    for (let n = 0; n < 5000 && !stop; n++) {
      // Alternate between the victim and B, as a round-robin proxy would.
      const url = n % 2 === 0 ? victim.url : b.url;
      const title = `kill-${w}-${n}`;
      const r = await createActivity(url, token, title);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 201) acked.set(title, r.id);
      else if (!(r.status === 0 && killed && url === victim.url)) throw new Error(`${url} answered ${r.status}: ${r.text}`);
    }
  };
  const writing = Promise.all([0, 1, 2, 3].map(writer));
  for (let i = 0; i < 400 && acked.size < 40; i++) await new Promise((r) => setTimeout(r, 25));
  killed = true;
  victim.proc.kill('SIGKILL');
  const exit = await victim.exited;
  assert.equal(exit.signal, 'SIGKILL');
  const before = acked.size;
  for (let i = 0; i < 400 && acked.size < before + 40; i++) await new Promise((r) => setTimeout(r, 25));
  stop = true;
  await writing;
  await victim.stop();
  assert.ok(acked.size >= before + 40, `B went on writing: ${before} → ${acked.size} (${JSON.stringify(statuses)})`);
  const present = await activitiesByTitle(b.url, token, 'kill-');
  const lost = [...acked].filter(([title, id]) => present.get(title) !== id);
  assert.deepEqual(lost, [], 'every acknowledged write is there with its id');
});

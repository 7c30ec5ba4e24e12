// End-to-end: training and capacity building (issue 13): the catalogue, courses by the
// secretariat or a co-organising focal point (another agency's focal point gets 403), sessions
// validated, registrations with capacity and a wait list (duplicates 409, the deadline, a
// cancellation promoting the wait list), capacity changes, attendance, participant lists for
// organisers only, the report (JSON and CSV), search, demo data. Runs on SQLite, and on
// PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const P1 = { email: 'one@ministry.example', name: 'Participant One', role: 'stakeholder', password: 'participant-one-pw' };
const P2 = { email: 'two@ministry.example', name: 'Participant Two', role: 'stakeholder', password: 'participant-two-pw' };
const P3 = { email: 'three@ministry.example', name: 'Participant Three', role: 'stakeholder', password: 'participant-three-pw' };

before(async () => {
  server = await startServer();
  for (const u of [SEC, FP_IOM, FP_ILO, P1, P2, P3]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
const course = (extra) => ({ title: 'Counter-trafficking for labour inspectors', topic: 'counter_trafficking', description: 'Indicators of forced labour.', organizers: ['iom'], ...extra });
const session = (extra) => ({ starts_on: day(10), ends_on: day(12), city: 'Nairobi', country: 'KEN', audience: 'government_officials', language: 'en', capacity: 2, registration_deadline: day(9), ...extra });
const put = (c, p, body) => c.request('PUT', p, { body });

async function newSession(extra = {}) {
  const fp = await as(FP_IOM);
  const c = await fp.post('/api/v1/training/courses', course());
  assert.equal(c.status, 201, c.text);
  const s = await fp.post(`/api/v1/training/courses/${c.json.id}/sessions`, session(extra));
  assert.equal(s.status, 201, s.text);
  return { course: c.json, session: s.json };
}

test('training: courses by the secretariat or a co-organising focal point; others 403; bad input 422', async () => {
  const sec = await as(SEC);
  const fp = await as(FP_IOM);
  const ilo = await as(FP_ILO);
  assert.equal((await anon().post('/api/v1/training/courses', course())).status, 401);
  const notOwn = await ilo.post('/api/v1/training/courses', course());
  assert.equal(notOwn.status, 403, notOwn.text);
  assert.equal(notOwn.json.error.details[0].rule, 'not_own_organization');
  const badTopic = await sec.post('/api/v1/training/courses', course({ topic: 'cooking' }));
  assert.equal(badTopic.status, 422);
  assert.equal(badTopic.json.error.details[0].field, 'topic');
  const unknown = await sec.post('/api/v1/training/courses', course({ organizers: ['nobody'] }));
  assert.equal(unknown.json.error.details[0].rule, 'unknown_organization');
  const none = await sec.post('/api/v1/training/courses', course({ organizers: [] }));
  assert.equal(none.status, 422);

  const created = await fp.post('/api/v1/training/courses', course({ organizers: ['iom', 'unodc'] }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.may_manage, true);
  assert.deepEqual(created.json.organizers.map((o) => o.id), ['iom', 'unodc']);
  assert.equal(created.json.organizers[0].name, 'International Organization for Migration');
  const path = `/api/v1/training/courses/${created.json.id}`;
  const etag = created.headers.get('etag');
  assert.equal((await ilo.patch(path, { title: 'x' }, { headers: { 'if-match': etag } })).status, 403);
  const edited = await fp.patch(path, { title: 'Counter-trafficking (advanced)' }, { headers: { 'if-match': etag } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await fp.patch(path, { title: 'y' }, { headers: { 'if-match': etag } })).status, 412);
  const pub = await anon().get(path);
  assert.equal(pub.status, 200);
  assert.equal(pub.json.may_manage, false);

  // A co-organiser adds organisations but removes none: removing one is the secretariat's.
  const v2 = edited.headers.get('etag');
  const dropped = await fp.patch(path, { organizers: ['iom'] }, { headers: { 'if-match': v2 } });
  assert.equal(dropped.status, 403, dropped.text);
  assert.deepEqual([dropped.json.error.details[0].rule, dropped.json.error.details[0].args], ['not_own_organization', { value: 'unodc' }]);
  const added = await fp.patch(path, { organizers: ['iom', 'unodc', 'ilo'] }, { headers: { 'if-match': v2 } });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual(added.json.organizers.map((o) => o.id), ['ilo', 'iom', 'unodc']);
  assert.equal((await fp.patch(path, { organizers: ['iom', 'unodc'] }, { headers: { 'if-match': added.headers.get('etag') } })).status, 403);
  const removed = await sec.patch(path, { organizers: ['iom', 'unodc'] }, { headers: { 'if-match': added.headers.get('etag') } });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.json.organizers.map((o) => o.id), ['iom', 'unodc']);
  assert.equal((await anon().get('/api/v1/training/courses/999999')).status, 404);

  // Sessions: validated, organisers only.
  const sessions = `${path}/sessions`;
  assert.equal((await ilo.post(sessions, session())).status, 403);
  const cases = [
    [{ ends_on: day(8) }, 'ends_on', 'before_start'],
    [{ registration_deadline: day(11) }, 'registration_deadline', 'after_start'],
    [{ country: 'ZZZ' }, 'country', 'unknown_country'],
    [{ language: 'zz' }, 'language', 'invalid_language'],
    [{ audience: 'everyone' }, 'audience', 'not_in_list'],
    [{ capacity: 0 }, 'capacity', 'out_of_range'],
    [{ capacity: 10001 }, 'capacity', 'out_of_range'],
  ];
  for (const [extra, field, rule] of cases) {
    const r = await fp.post(sessions, session(extra));
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    assert.deepEqual([r.json.error.details[0].field, r.json.error.details[0].rule], [field, rule]);
  }
  const online = await fp.post(sessions, session({ online: true, city: undefined, country: undefined }));
  assert.equal(online.status, 201, online.text);
  assert.deepEqual(online.json.place, { online: true });
  assert.equal((await anon().get(path)).json.sessions.length, 1);
});

test('registrations: confirmed, then the wait list with its position; duplicates 409; cancel promotes', async () => {
  const { course: c, session: s } = await newSession();
  const regs = `/api/v1/training/sessions/${s.id}/registrations`;
  const [p1, p2, p3] = [await as(P1), await as(P2), await as(P3)];
  assert.equal((await anon().post(regs)).status, 401);
  const r1 = await p1.post(regs);
  assert.equal(r1.status, 201, r1.text);
  assert.equal(r1.json.status, 'confirmed');
  assert.equal(r1.json.email, P1.email);
  const dup = await p1.post(regs);
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.json.error.details[0].rule, 'already_registered');
  assert.equal((await p2.post(regs)).json.status, 'confirmed');
  const r3 = await p3.post(regs);
  assert.equal(r3.json.status, 'waitlisted');
  assert.equal(r3.json.wait_position, 1);
  const seats = (await anon().get(`/api/v1/training/courses/${c.id}`)).json.sessions[0];
  assert.deepEqual([seats.confirmed, seats.waitlisted, seats.seats_left], [2, 1, 0]);

  // Participant lists: the organisers and the secretariat only.
  assert.equal((await p1.get(regs)).status, 403);
  assert.equal((await (await as(FP_ILO)).get(regs)).status, 403);
  const list = await (await as(FP_IOM)).get(regs);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((r) => r.email), [P1.email, P2.email, P3.email]);
  assert.equal((await (await as(SEC)).get(regs)).status, 200);

  // Capacity: below the confirmed count refused; nothing changed.
  const fp = await as(FP_IOM);
  const lower = await fp.patch(`/api/v1/training/sessions/${s.id}`, { capacity: 1 });
  assert.equal(lower.status, 422, lower.text);
  assert.equal(lower.json.error.details[0].rule, 'below_confirmed');
  assert.equal((await anon().get(`/api/v1/training/courses/${c.id}`)).json.sessions[0].capacity, 2);

  // Own registrations; another participant may not cancel them; cancelling promotes the first waiting.
  const mine = await p3.get('/api/v1/training/registrations/mine');
  assert.deepEqual(mine.json.items.map((r) => [r.status, r.wait_position]), [['waitlisted', 1]]);
  assert.equal((await p2.del(`/api/v1/training/registrations/${r1.json.id}`)).status, 403);
  const cancel = await p1.del(`/api/v1/training/registrations/${r1.json.id}`);
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.promoted, r3.json.id);
  assert.equal((await p3.get('/api/v1/training/registrations/mine')).json.items[0].status, 'confirmed');
  assert.equal((await p1.del(`/api/v1/training/registrations/${r1.json.id}`)).status, 409);

  // A named participant, by an organiser only.
  const named = { name: 'Amina Diallo', email: 'amina@interior.example', organization: 'Ministry of the Interior' };
  assert.equal((await p2.post(regs, named)).status, 403);
  const byOrganiser = await fp.post(regs, named);
  assert.equal(byOrganiser.status, 201, byOrganiser.text);
  assert.equal(byOrganiser.json.status, 'waitlisted');
  const raised = await fp.patch(`/api/v1/training/sessions/${s.id}`, { capacity: 3 });
  assert.equal(raised.status, 200, raised.text);
  assert.deepEqual([raised.json.confirmed, raised.json.waitlisted], [3, 0]);
});

test('registrations: refused after the deadline; attendance once started, by organisers', async () => {
  const { session: closed } = await newSession({ starts_on: day(-2), ends_on: day(-1), registration_deadline: day(-3) });
  const late = await (await as(P1)).post(`/api/v1/training/sessions/${closed.id}/registrations`);
  assert.equal(late.status, 422, late.text);
  assert.equal(late.json.error.details[0].rule, 'registration_closed');

  const { session: s } = await newSession({ starts_on: day(0), ends_on: day(1), registration_deadline: day(0) });
  const regs = `/api/v1/training/sessions/${s.id}/registrations`;
  const r1 = (await (await as(P1)).post(regs)).json;
  const fp = await as(FP_IOM);
  const attendance = `/api/v1/training/sessions/${s.id}/attendance`;
  assert.equal((await put(await as(FP_ILO), attendance, { marks: [{ registration: r1.id, attendance: 'attended' }] })).status, 403);
  const bad = await put(fp, attendance, { marks: [{ registration: r1.id, attendance: 'late' }] });
  assert.equal(bad.status, 422, bad.text);
  const ok = await put(fp, attendance, { marks: [{ registration: r1.id, attendance: 'attended' }] });
  assert.equal(ok.status, 204, ok.text);
  const list = (await fp.get(regs)).json.items;
  assert.equal(list[0].attendance, 'attended');
  const cancel = await (await as(P1)).del(`/api/v1/training/registrations/${r1.id}`);
  assert.equal(cancel.status, 422);
  assert.equal(cancel.json.error.details[0].rule, 'session_started');

  const { session: future } = await newSession();
  const r2 = (await (await as(P2)).post(`/api/v1/training/sessions/${future.id}/registrations`)).json;
  const early = await put(fp, `/api/v1/training/sessions/${future.id}/attendance`, { marks: [{ registration: r2.id, attendance: 'absent' }] });
  assert.equal(early.status, 422);
  assert.equal(early.json.error.details[0].rule, 'session_not_started');
});

test('training: catalogue filters, report in JSON and CSV, search', async () => {
  const all = await anon().get('/api/v1/training/courses?topic=counter_trafficking');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.items.length >= 1);
  assert.ok(all.json.items.every((c) => c.topic === 'counter_trafficking'));
  assert.equal((await anon().get('/api/v1/training/courses?topic=cooking')).status, 400);
  assert.equal((await anon().get('/api/v1/training/courses?language=zz')).status, 400);
  assert.equal((await anon().get('/api/v1/training/courses?language=ar')).json.total, 0);
  const report = await anon().get('/api/v1/training/report');
  assert.equal(report.status, 200, report.text);
  const iom = report.json.by_organization.find((o) => o.organization.id === 'iom');
  assert.ok(iom.courses >= 4 && iom.registrations >= 1, JSON.stringify(iom));
  assert.equal(iom.attendance_rate, 1);
  assert.equal(report.json.by_topic.length, 6);
  const csv = await anon().get('/api/v1/training/report?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.text, /^kind,key,name,courses,/);
  assert.match(csv.text, /organization,iom,International Organization for Migration,/);
  const hits = await anon().get('/api/v1/training/search?q=TRAFFICKING&limit=5');
  assert.equal(hits.status, 200, hits.text);
  assert.ok(hits.json.items.length >= 1);
  assert.equal(hits.json.items[0].kind, 'training_course');
  assert.equal((await anon().get('/api/v1/training/search?q=x&limit=1000')).status, 400);
});

test('demo: six labelled courses, one per topic, with a wait list and attendance, loaded once', async () => {
  const demo = await startServer();
  try {
    const r = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const again = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(again.status, 0, again.stderr);
    const c = new Client(demo.url);
    const list = (await c.get('/api/v1/training/courses')).json;
    assert.equal(list.total, 6);
    assert.ok(list.items.every((x) => x.title.startsWith('Demo:')));
    assert.equal(new Set(list.items.map((x) => x.topic)).size, 6);
    const sessions = list.items.flatMap((x) => x.sessions);
    const today = day(0);
    assert.ok(sessions.some((s) => s.starts_on < today && s.attended > 0));
    assert.ok(sessions.some((s) => s.starts_on > today && s.waitlisted > 0 && s.seats_left === 0));
  } finally {
    await demo.stop();
  }
});

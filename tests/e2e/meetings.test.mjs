// End-to-end: the meetings module (issue 12) through the API of the real binary: a series made
// from its rule, a meeting in a time zone, its agenda, papers (typed by content), attendance,
// and the refusals the contract names. Runs on SQLite, and on PostgreSQL with
// GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const STAKEHOLDER = { email: 'ngo@example.org', name: 'NGO', role: 'stakeholder', password: 'stakeholder-pw-123' };

before(async () => {
  server = await startServer();
  for (const u of [FP_IOM, FP_ILO, STAKEHOLDER]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const asAdmin = () => as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
function ok(r, status, what) { assert.equal(r.status, status, `${what}: ${r.text.slice(0, 400)}`); return r.json; }

const PDF = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n';
// The first bytes of a Windows executable ("MZ", the DOS stub), named like a PDF.
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);

test('a series with a rule makes its meetings in local time; the link is for signed-in members only', async () => {
  const admin = await asAdmin();
  const series = ok(await admin.post('/api/v1/meeting-series', {
    name: 'Principals', level: 'principals', time_zone: 'Europe/Zurich', place: 'Geneva',
    link: 'https://meet.example.org/principals', rule: 'FREQ=MONTHLY;INTERVAL=6;COUNT=3',
    first_local: '2030-03-14T10:00', duration_minutes: 180,
  }), 201, 'series');
  assert.equal(series.meetings_count, 3);
  assert.equal(series.rule, 'FREQ=MONTHLY;INTERVAL=6;COUNT=3');
  const list = ok(await anon().get(`/api/v1/meetings?series=${series.id}`), 200, 'meetings');
  assert.equal(list.total, 3);
  const [march, september] = list.items;
  assert.equal(march.starts_local, '2030-03-14T10:00');
  assert.equal(march.starts_at, '2030-03-14T09:00:00Z', 'CET');
  assert.equal(september.starts_at, '2030-09-14T08:00:00Z', 'CEST');
  assert.equal(march.ends_local, '2030-03-14T13:00');
  assert.equal(march.chair_from_rotation, true);
  assert.ok(march.chair.id && march.chair.name);
  assert.match(march.uid, /@gmg-hub$/);
  assert.equal(march.series.name, 'Principals');
  assert.equal('link' in march, false, 'no link for anonymous');
  const st = await as(STAKEHOLDER);
  assert.equal('link' in ok(await st.get(`/api/v1/meetings/${march.id}`), 200, 'stakeholder'), false);
  const fp = await as(FP_IOM);
  assert.equal(ok(await fp.get(`/api/v1/meetings/${march.id}`), 200, 'fp').link, 'https://meet.example.org/principals');

  // Skipping September cancels that occurrence (a new iCal sequence).
  const r = await admin.get(`/api/v1/meeting-series/${series.id}`);
  const patched = ok(await admin.patch(`/api/v1/meeting-series/${series.id}`, { exceptions: ['2030-09-14T10:00'] },
    { headers: { 'if-match': r.headers.get('etag') } }), 200, 'exceptions');
  assert.deepEqual(patched.exceptions, ['2030-09-14T10:00']);
  const skipped = ok(await anon().get(`/api/v1/meetings/${september.id}`), 200, 'september');
  assert.equal(skipped.status, 'cancelled');
  assert.equal(skipped.sequence, 1);
  const stale = await admin.patch(`/api/v1/meeting-series/${series.id}`, { description: 'x' }, { headers: { 'if-match': r.headers.get('etag') } });
  assert.equal(stale.status, 412);

  const bad = await admin.post('/api/v1/meeting-series', { name: 'Too many', level: 'working', time_zone: 'UTC', rule: 'FREQ=DAILY;COUNT=90', first_local: '2030-01-01T10:00' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.details[0].field, 'rule');
  assert.equal(bad.json.error.details[0].rule, 'recurrence_rule');
});

test('time zones: an unknown zone and a local time skipped by daylight saving are refused (422)', async () => {
  const admin = await asAdmin();
  const unknown = await admin.post('/api/v1/meetings', { title: 'X', starts_local: '2030-05-01T10:00', ends_local: '2030-05-01T11:00', time_zone: 'Europe/Geneva' });
  assert.equal(unknown.status, 422, unknown.text);
  assert.equal(unknown.json.error.details[0].field, 'time_zone');
  // New York moves from 02:00 to 03:00 on 10 March 2030: 02:30 does not exist there.
  const gap = await admin.post('/api/v1/meetings', { title: 'X', starts_local: '2030-03-10T02:30', ends_local: '2030-03-10T04:00', time_zone: 'America/New_York' });
  assert.equal(gap.status, 422, gap.text);
  assert.equal(gap.json.error.details[0].field, 'starts_local');
  const none = ok(await admin.get('/api/v1/meetings?from=2030-03-10&to=2030-05-01'), 200, 'list');
  assert.equal(none.items.filter((m) => m.title === 'X').length, 0, 'nothing written');
});

test('agenda, papers and attendance of a meeting, with the access rules and the cancelled meeting', async () => {
  const admin = await asAdmin();
  const meeting = ok(await admin.post('/api/v1/meetings', {
    title: 'Working group on data', starts_local: '2030-04-02T14:00', ends_local: '2030-04-02T17:00',
    time_zone: 'Africa/Nairobi', place: 'UN Gigiri',
  }), 201, 'meeting');
  assert.equal(meeting.starts_at, '2030-04-02T11:00:00Z');
  const base = `/api/v1/meetings/${meeting.id}`;
  const opening = ok(await admin.post(`${base}/agenda`, { title: 'Opening' }), 201, 'item 1');
  const data = ok(await admin.post(`${base}/agenda`, { title: 'Migration data', presenter_org: 'iom', purposes: [1, 2] }), 201, 'item 2');
  assert.equal(data.presenter.id, 'iom');
  assert.deepEqual(data.purposes, [1, 2]);
  assert.equal((await admin.post(`${base}/agenda`, { title: 'Bad', purposes: [42] })).status, 422);
  ok(await admin.post(`${base}/agenda/order`, { ids: [data.id, opening.id] }), 200, 'order');
  const agenda = ok(await anon().get(`${base}/agenda`), 200, 'agenda');
  assert.deepEqual(agenda.items.map((i) => i.title), ['Migration data', 'Opening']);

  // Papers: IOM presents the item, so IOM's focal point adds a paper; ILO's may not.
  const fpIom = await as(FP_IOM);
  const fpIlo = await as(FP_ILO);
  const paperPath = `${base}/papers?title=${encodeURIComponent('Background note')}&file_name=note.pdf&agenda_item_id=${data.id}`;
  const paper = ok(await fpIom.request('POST', paperPath, { raw: PDF, headers: { 'content-type': 'application/pdf' } }), 201, 'pdf');
  assert.equal(paper.media_type, 'application/pdf');
  assert.equal(paper.organization_id, 'iom');
  assert.equal(paper.size, PDF.length);
  const other = await fpIlo.request('POST', paperPath, { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  assert.equal(other.status, 403, other.text);
  const exe = await fpIom.request('POST', `${base}/papers?title=Agenda&file_name=agenda.pdf&agenda_item_id=${data.id}`,
    { raw: EXE, headers: { 'content-type': 'application/pdf' } });
  assert.equal(exe.status, 415, exe.text);
  // Title and file name outside a JSON body are checked as text (422), and the stored name says
  // what the content is, with no bidi override to disguise it (security review of issue 12).
  const upload = (query) => fpIom.request('POST', `${base}/papers?agenda_item_id=${data.id}&${query}`, { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  for (const [query, field, rule] of [['title=a%01b', 'title', 'control_characters'], ['title=caf%E9', 'title', 'not_utf8'],
    ['title=T&file_name=a%0Ab.pdf', 'file_name', 'control_characters'], ['title=T&file_name=%C2%85.pdf', 'file_name', 'control_characters'],
    [`title=${'x'.repeat(301)}`, 'title', 'too_long']]) {
    const r = await upload(query);
    assert.equal(r.status, 422, `${query}: ${r.text}`);
    assert.deepEqual(r.json.error.details.map((d) => [d.field, d.rule]), [[field, rule]], query);
  }
  const disguised = ok(await upload(`title=Invoice&file_name=${encodeURIComponent('invoice\u202Efdp.exe')}`), 201, 'disguised');
  assert.equal(disguised.file_name, 'invoicefdp.exe.pdf');
  const got = await fpIlo.get(`${base}/papers/${disguised.id}`);
  assert.match(got.headers.get('content-disposition'), /^attachment; filename="invoicefdp\.exe\.pdf"; filename\*=UTF-8''invoicefdp\.exe\.pdf$/);
  ok(await admin.del(`${base}/papers/${disguised.id}`), 204, 'remove');
  const link = ok(await admin.post(`${base}/papers`, { title: 'Report', url: 'https://www.example.org/report.pdf' }), 201, 'link');
  assert.equal(link.url, 'https://www.example.org/report.pdf');

  const file = await fpIlo.get(`${base}/papers/${paper.id}`);
  assert.equal(file.status, 200);
  assert.equal(file.text, PDF);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.match(file.headers.get('content-disposition'), /^attachment; filename="note.pdf"/);
  assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  assert.equal((await anon().get(`${base}/papers/${paper.id}`)).status, 401);
  assert.equal((await (await as(STAKEHOLDER)).get(`${base}/papers`)).status, 403);
  const withPapers = ok(await fpIlo.get(`${base}/agenda`), 200, 'agenda with papers');
  assert.equal(withPapers.items[0].papers[0].id, paper.id);
  assert.deepEqual(ok(await anon().get(`${base}/agenda`), 200, 'public agenda').items[0].papers, []);

  // Attendance: each organisation its own rows.
  const rows = ok(await fpIom.request('PUT', `${base}/attendance`, { body: { organization_id: 'iom', people: [
    { person: 'Director General', level: 'executive_head' }, { person: 'Data officer', level: 'working' }] } }), 200, 'attendance');
  assert.equal(rows.items.length, 2);
  assert.equal(rows.items[0].organization.id, 'iom');
  const refused = await fpIlo.request('PUT', `${base}/attendance`, { body: { organization_id: 'iom', people: [] } });
  assert.equal(refused.status, 403, refused.text);
  ok(await fpIlo.request('PUT', `${base}/attendance`, { body: { organization_id: 'ilo', people: [{ person: 'Specialist', level: 'senior' }] } }), 200, 'ilo');
  assert.equal(ok(await admin.get(`${base}/attendance`), 200, 'all').items.length, 3);

  // Cancelled: the agenda is closed (409).
  const current = await admin.get(base);
  const cancelled = ok(await admin.patch(base, { status: 'cancelled' }, { headers: { 'if-match': current.headers.get('etag') } }), 200, 'cancel');
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.sequence, 1);
  const late = await admin.post(`${base}/agenda`, { title: 'Late item' });
  assert.equal(late.status, 409, late.text);
  const held = await admin.patch(base, { status: 'held' }, { headers: { 'if-match': cancelled.etag } });
  assert.equal(held.status, 409, held.text);

  const audit = ok(await admin.get(`/api/v1/audit?entity=meeting&entity_id=${meeting.id}`), 200, 'audit');
  assert.deepEqual(audit.items.map((e) => e.action).sort(), ['create', 'update']);
});

test('postponing a meeting creates the new one and links it', async () => {
  const admin = await asAdmin();
  const m = ok(await admin.post('/api/v1/meetings', { title: 'Task force', starts_local: '2030-06-03T09:00', ends_local: '2030-06-03T10:00', time_zone: 'UTC' }), 201, 'meeting');
  const r = await admin.get(`/api/v1/meetings/${m.id}`);
  const moved = ok(await admin.patch(`/api/v1/meetings/${m.id}`, { status: 'postponed', starts_local: '2030-07-01T09:00', ends_local: '2030-07-01T10:00' },
    { headers: { 'if-match': r.headers.get('etag') } }), 200, 'postpone');
  assert.equal(moved.status, 'postponed');
  assert.equal(moved.starts_local, '2030-06-03T09:00');
  const next = ok(await anon().get(`/api/v1/meetings/${moved.postponed_to}`), 200, 'new meeting');
  assert.equal(next.status, 'planned');
  assert.equal(next.starts_at, '2030-07-01T09:00:00Z');
  assert.notEqual(next.uid, moved.uid);
});

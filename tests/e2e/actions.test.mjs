// End-to-end: action items (owner organisation, due date, status, progress notes) and an
// organisation's open and overdue actions, over HTTP against the real binary (either engine).
// docs/meetings.md "Decisions and actions".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
let admin;
let fpIlo;
let memberIlo;
let fpIom;
let stakeholder;
const anon = () => new Client(server.url);
const USERS = {
  fpIlo: { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' },
  memberIlo: { email: 'member@ilo.org', name: 'ILO member', role: 'member', org: 'ilo', password: 'ilo-member-pw-123' },
  fpIom: { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' },
  stake: { email: 'someone@example.org', name: 'Someone', role: 'stakeholder', password: 'stakeholder-pw-123' },
};
const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

async function as(user) {
  const c = new Client(server.url);
  await c.signIn(user.email, user.password);
  return c;
}

before(async () => {
  server = await startServer();
  for (const u of Object.values(USERS)) addUser(server.db, u);
  admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  fpIlo = await as(USERS.fpIlo);
  memberIlo = await as(USERS.memberIlo);
  fpIom = await as(USERS.fpIom);
  stakeholder = await as(USERS.stake);
});
after(async () => { await server?.stop(); });

test('actions: create, progress by the owner, notes, the home-page list', async () => {
  const created = await admin.post('/api/v1/actions', { title: 'Send the survey figures', owner_org: 'ilo', due_date: day(10) });
  assert.equal(created.status, 201, created.text);
  const a = created.json;
  assert.deepEqual(a.owner, { id: 'ilo', name: 'International Labour Organization' });
  assert.equal(a.status, 'open');
  assert.equal(a.overdue, false);
  assert.equal(a.meeting, null);
  const late = await admin.post('/api/v1/actions', { title: 'Comment on the note', owner_org: 'ilo', due_date: day(-3) });
  assert.equal(late.json.overdue, true);
  await admin.post('/api/v1/actions', { title: 'Finished', owner_org: 'ilo', due_date: day(-30), status: 'done' });
  await admin.post('/api/v1/actions', { title: 'IOM task', owner_org: 'iom', due_date: day(5) });

  // Creating is for staff only; reading for staff and members' staff.
  assert.equal((await fpIlo.post('/api/v1/actions', { title: 'x', owner_org: 'ilo', due_date: day(1) })).status, 403);
  assert.equal((await anon().get(`/api/v1/actions/${a.id}`)).status, 401);
  assert.equal((await stakeholder.get(`/api/v1/actions/${a.id}`)).status, 403);
  assert.equal((await stakeholder.get('/api/v1/actions')).status, 403);
  const got = await fpIom.get(`/api/v1/actions/${a.id}`);
  assert.equal(got.status, 200);
  const etag = got.headers.get('etag');

  // Another organisation's focal point may not update it; the owner's may, with If-Match.
  assert.equal((await fpIom.patch(`/api/v1/actions/${a.id}`, { status: 'in_progress' }, { headers: { 'if-match': etag } })).status, 403);
  assert.equal((await fpIom.post(`/api/v1/actions/${a.id}/notes`, { text: 'ours?' })).status, 403);
  assert.equal((await fpIlo.patch(`/api/v1/actions/${a.id}`, { status: 'in_progress' })).status, 400);
  assert.equal((await fpIlo.patch(`/api/v1/actions/${a.id}`, { due_date: day(40) }, { headers: { 'if-match': etag } })).status, 403);
  const started = await fpIlo.patch(`/api/v1/actions/${a.id}`, { status: 'in_progress' }, { headers: { 'if-match': etag } });
  assert.equal(started.status, 200, started.text);
  assert.equal(started.json.status, 'in_progress');
  assert.equal((await fpIlo.patch(`/api/v1/actions/${a.id}`, { status: 'done' }, { headers: { 'if-match': etag } })).status, 412);
  const badStatus = await admin.patch(`/api/v1/actions/${a.id}`, { status: 'finished' }, { headers: { 'if-match': started.headers.get('etag') } });
  assert.equal(badStatus.status, 422);

  // A note may change the status.
  const note = await memberIlo.post(`/api/v1/actions/${a.id}/notes`, { text: 'Figures sent', status: 'done' });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.json.status, 'done');
  const notes = await fpIom.get(`/api/v1/actions/${a.id}/notes`);
  assert.equal(notes.json.items.length, 1);
  const after = await admin.get(`/api/v1/actions/${a.id}`);
  assert.equal(after.json.status, 'done');
  assert.equal(after.json.notes_count, 1);

  // The organisation's open and overdue actions.
  const home = await fpIlo.get('/api/v1/organizations/ilo/actions');
  assert.equal(home.status, 200, home.text);
  assert.equal(home.json.total, 1);
  assert.equal(home.json.overdue, 1);
  assert.equal(home.json.items[0].id, late.json.id);
  assert.equal((await anon().get('/api/v1/organizations/ilo/actions')).status, 401);
  assert.equal((await stakeholder.get('/api/v1/organizations/ilo/actions')).status, 403);
  assert.equal((await admin.get('/api/v1/organizations/nope/actions')).status, 404);

  // Lists and filters.
  const overdue = await admin.get('/api/v1/actions?overdue=1');
  assert.deepEqual(overdue.json.items.map((x) => x.id), [late.json.id]);
  const ilo = await admin.get('/api/v1/actions?organization=ilo&limit=2');
  assert.equal(ilo.json.total, 3);
  assert.equal(ilo.json.items.length, 2);
  assert.ok(ilo.json.next_cursor);
  assert.equal((await admin.get('/api/v1/actions?status=finished')).status, 400);
});

test('actions: references are checked (422) and audited', async () => {
  const unknownOrg = await admin.post('/api/v1/actions', { title: 'x', owner_org: 'nope', due_date: day(1) });
  assert.equal(unknownOrg.status, 422);
  assert.equal(unknownOrg.json.error.details[0].field, 'owner_org');
  const unknownMeeting = await admin.post('/api/v1/actions', { title: 'x', owner_org: 'ilo', due_date: day(1), meeting_id: 987654 });
  assert.equal(unknownMeeting.status, 422);
  const badDate = await admin.post('/api/v1/actions', { title: 'x', owner_org: 'ilo', due_date: '2026-02-30' });
  assert.equal(badDate.status, 400);
  const unknownInitiative = await admin.post('/api/v1/actions', { title: 'x', owner_org: 'ilo', due_date: day(1), initiative_id: 987654 });
  assert.equal(unknownInitiative.status, 422, 'the initiatives module says there is no such initiative');
  assert.equal(unknownInitiative.json.error.details[0].field, 'initiative_id');
  // A follow-up action of the 2006 High-level Dialogue (seeded by the initiatives module).
  const hld = (await admin.get('/api/v1/initiatives/hld-2006')).json;
  const ok = await admin.post('/api/v1/actions', { title: 'Audited', owner_org: 'unhcr', due_date: day(3), initiative_id: hld.id });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.initiative_id, hld.id);
  const byInit = await admin.get(`/api/v1/actions?initiative=${hld.id}`);
  assert.equal(byInit.json.items.length, 1);
  const audit = await admin.get(`/api/v1/audit?entity=action&entity_id=${ok.json.id}`);
  assert.equal(audit.json.items.length, 1, audit.text);
});

test("actions: an organisation's open actions, soonest due first across both statuses, cut at ?limit", async () => {
  // Open and in-progress actions interleaved by due date, two due the same day, and a done one.
  const make = async (due, status = 'open') => {
    const r = await admin.post('/api/v1/actions', { title: `UNFPA ${due} ${status}`, owner_org: 'unfpa', due_date: day(due), status });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const soon = await make(4, 'in_progress');
  const late1 = await make(-5);
  const sameDay = await make(4);
  await make(-40, 'done');
  const late2 = await make(-2, 'in_progress');
  const later = await make(9);
  const all = await fpIlo.get('/api/v1/organizations/unfpa/actions');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json.items.map((x) => x.id), [late1, late2, soon, sameDay, later]);
  // The home page asks for the few it shows; total and overdue still count them all.
  const page = await fpIlo.get('/api/v1/organizations/unfpa/actions?limit=3');
  assert.deepEqual(page.json.items.map((x) => x.id), [late1, late2, soon]);
  assert.equal(page.json.total, 5);
  assert.equal(page.json.overdue, 2);
  assert.deepEqual(page.json.items.map((x) => x.overdue), [true, true, false]);
  // An organisation without actions: an empty page, not a 404.
  const none = await admin.get('/api/v1/organizations/ohchr/actions?limit=8');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual([none.json.items, none.json.total, none.json.overdue], [[], 0, 0]);
});

// End-to-end: minutes of a meeting (draft → circulated → approved and locked), their versions
// and comments, and decisions against the agenda, over HTTP against the real binary (either
// engine: GMG_TEST_ENGINE=postgres). docs/meetings.md "Minutes".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
let admin;
let fpIlo;
let stakeholder;
const anon = () => new Client(server.url);
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const STAKE = { email: 'someone@example.org', name: 'Someone', role: 'stakeholder', password: 'stakeholder-pw-123' };

async function as(user) {
  const c = new Client(server.url);
  await c.signIn(user.email, user.password);
  return c;
}
const put = (c, p, body, headers = {}) => c.request('PUT', p, { body, headers });
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function newMeeting(title) {
  const r = await admin.post('/api/v1/meetings', {
    title, starts_local: '2026-03-10T10:00', ends_local: '2026-03-10T12:00', time_zone: 'Europe/Zurich', chair_org: 'iom',
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  server = await startServer();
  for (const u of [FP_ILO, STAKE]) addUser(server.db, u);
  admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  fpIlo = await as(FP_ILO);
  stakeholder = await as(STAKE);
});
after(async () => { await server?.stop(); });

test('minutes: draft, versions, circulate, comment, approve, locked', async () => {
  const id = await newMeeting('Minutes cycle');
  const base = `/api/v1/meetings/${id}/minutes`;
  assert.equal((await admin.get(base)).status, 404);
  const first = await put(admin, base, { text: '# Minutes\n\nDraft one.', note: 'first draft' });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.status, 'draft');
  const etag1 = first.headers.get('etag');
  // Drafts: members' staff yes, stakeholders and the public no; nobody but staff writes.
  assert.equal((await fpIlo.get(base)).status, 200);
  assert.equal((await stakeholder.get(base)).status, 403);
  assert.equal((await anon().get(base)).status, 401);
  assert.equal((await anon().get(`${base}/versions/1`)).status, 401);
  assert.equal((await put(fpIlo, base, { text: 'x' }, { 'if-match': etag1 })).status, 403);
  // If-Match: required once minutes exist, stale refused.
  assert.equal((await put(admin, base, { text: 'x' })).status, 400);
  assert.equal((await put(admin, base, { text: 'x' }, { 'if-match': '"v999"' })).status, 412);
  const big = await put(admin, base, { text: 'a'.repeat(200 * 1024 + 1) }, { 'if-match': etag1 });
  assert.equal(big.status, 422, big.text);
  const second = await put(admin, base, { text: '# Minutes\n\nDraft two.', note: 'corrections' }, { 'if-match': etag1 });
  assert.equal(second.status, 200, second.text);
  assert.deepEqual(second.json.versions.map((v) => v.note), ['first draft', 'corrections']);
  assert.equal((await admin.get(`${base}/versions/1`)).json.text, '# Minutes\n\nDraft one.');
  // Circulation: the deadline must be an hour ahead at least.
  const etag2 = second.headers.get('etag');
  const soon = await admin.post(`${base}/circulate`, { comments_until: iso(Date.now() + 30 * 60e3) }, { headers: { 'if-match': etag2 } });
  assert.equal(soon.status, 422, soon.text);
  assert.equal(soon.json.error.details[0].field, 'comments_until');
  const bad = await admin.post(`${base}/circulate`, { comments_until: 'tomorrow' }, { headers: { 'if-match': etag2 } });
  assert.equal(bad.status, 400);
  // No comments on a draft.
  assert.equal((await fpIlo.post(`${base}/comments`, { text: 'early' })).status, 409);
  const circ = await admin.post(`${base}/circulate`, { comments_until: iso(Date.now() + 2 * 3600e3) }, { headers: { 'if-match': etag2 } });
  assert.equal(circ.status, 200, circ.text);
  assert.equal(circ.json.status, 'circulated');
  const comment = await fpIlo.post(`${base}/comments`, { text: 'Para 2: add the ILO survey.' });
  assert.equal(comment.status, 201, comment.text);
  assert.equal(comment.json.organization_id, 'ilo');
  assert.equal((await stakeholder.post(`${base}/comments`, { text: 'me too' })).status, 403);
  assert.equal((await anon().get(`${base}/comments`)).status, 401);
  assert.equal((await admin.get(`${base}/comments`)).json.items.length, 1);
  // Approve: locked, public.
  const approved = await admin.post(`${base}/approve`, undefined, { headers: { 'if-match': circ.headers.get('etag') } });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.status, 'approved');
  const locked = await put(admin, base, { text: 'changed' }, { 'if-match': approved.headers.get('etag') });
  assert.equal(locked.status, 409);
  assert.match(locked.json.error.message, /minutes approved on \d{4}-\d{2}-\d{2} are locked/);
  assert.equal((await fpIlo.post(`${base}/comments`, { text: 'late' })).status, 409);
  const pub = await anon().get(base);
  assert.equal(pub.status, 200);
  assert.equal(pub.json.text, '# Minutes\n\nDraft two.');
  // Outside the GMG only the approved text: its version alone, no earlier draft (security.md).
  assert.deepEqual(pub.json.versions.map((v) => v.number), [2]);
  assert.equal((await anon().get(`${base}/versions/2`)).json.text, '# Minutes\n\nDraft two.');
  assert.equal((await anon().get(`${base}/versions/1`)).status, 401);
  assert.equal((await anon().get(`${base}/versions/3`)).status, 401);
  const outsider = await stakeholder.get(base);
  assert.deepEqual(outsider.json.versions.map((v) => v.number), [2]);
  assert.equal((await stakeholder.get(`${base}/versions/1`)).status, 403);
  assert.equal((await fpIlo.get(base)).json.versions.length, 2);
  assert.equal((await fpIlo.get(`${base}/versions/1`)).json.text, '# Minutes\n\nDraft one.');
  // The audit trail has each step.
  const audit = await admin.get(`/api/v1/audit?entity=minutes&entity_id=${id}`);
  assert.equal(audit.status, 200);
  assert.ok(audit.json.items.length >= 5, audit.text);
});

test('decisions: against the meeting own agenda items only; public read, staff write', async () => {
  const id = await newMeeting('Decisions');
  const other = await newMeeting('Other');
  const item = await admin.post(`/api/v1/meetings/${id}/agenda`, { title: 'Data' });
  assert.equal(item.status, 201, item.text);
  const foreign = await admin.post(`/api/v1/meetings/${other}/agenda`, { title: 'Elsewhere' });
  const path = `/api/v1/meetings/${id}/decisions`;
  const d = await admin.post(path, { text: 'Agreed to publish the note.', agenda_item_id: item.json.id });
  assert.equal(d.status, 201, d.text);
  const wrong = await admin.post(path, { text: 'x', agenda_item_id: foreign.json.id });
  assert.equal(wrong.status, 422, wrong.text);
  assert.equal(wrong.json.error.details[0].field, 'agenda_item_id');
  assert.equal((await fpIlo.post(path, { text: 'x' })).status, 403);
  assert.equal((await anon().post(path, { text: 'x' })).status, 401);
  const list = await anon().get(path);
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 1);
  const patched = await admin.patch(`${path}/${d.json.id}`, { text: 'Reworded', agenda_item_id: null });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.agenda_item_id, null);
  assert.equal((await admin.del(`${path}/${d.json.id}`)).status, 204);
  assert.equal((await admin.get(path)).json.items.length, 0);
});

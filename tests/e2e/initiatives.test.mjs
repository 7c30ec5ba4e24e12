// End-to-end: initiatives (issue 12): the two seeded records of history, the secretariat
// recording and editing an initiative, members' contributions (own organisation only), links
// (validated: an unknown meeting is refused), stale If-Match, demo data. Runs on SQLite, and on
// PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-point-pw' };

before(async () => {
  server = await startServer();
  for (const u of [SEC, FP_IOM, FP_UNHCR]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const paper = (extra) => ({ kind: 'paper', title: 'Remittance corridors', date: '2006-08-01', url: 'https://example.org/p.pdf', ...extra });

test('initiatives: the two of the Terms of Reference are seeded, public, by id or slug', async () => {
  const r = await anon().get('/api/v1/initiatives');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 2);
  const titles = r.json.items.map((i) => i.title);
  assert.deepEqual(titles, [
    'Follow-up to the report of the Global Commission on International Migration (2005)',
    'High-level Dialogue on International Migration and Development (2006)',
  ]);
  const hld = r.json.items[1];
  assert.equal(hld.status, 'concluded');
  assert.deepEqual(hld.links, { meetings: [], positions: [] });
  const bySlug = await anon().get('/api/v1/initiatives/hld-2006');
  assert.equal(bySlug.status, 200);
  assert.equal(bySlug.json.id, hld.id);
  assert.equal(bySlug.headers.get('etag'), '"v1"');
  assert.equal((await anon().get('/api/v1/initiatives/nothing-here')).status, 404);
});

test('initiatives: the secretariat records and edits one; If-Match is checked; others get 403', async () => {
  const sec = await as(SEC);
  const fp = await as(FP_IOM);
  const body = { slug: 'gfmd-2007', title: 'Global Forum on Migration and Development (2007)', started_on: '2007-07-09' };
  assert.equal((await fp.post('/api/v1/initiatives', body)).status, 403);
  assert.equal((await anon().post('/api/v1/initiatives', body)).status, 401);
  const created = await sec.post('/api/v1/initiatives', body);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'open');
  assert.equal(created.headers.get('location'), `/api/v1/initiatives/${created.json.id}`);
  assert.equal((await sec.post('/api/v1/initiatives', body)).status, 409);
  const etag = created.headers.get('etag');
  const changed = await sec.patch('/api/v1/initiatives/gfmd-2007', { status: 'concluded', ended_on: '2007-07-10' }, { headers: { 'if-match': etag } });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.ended_on, '2007-07-10');
  assert.notEqual(changed.headers.get('etag'), etag);
  const stale = await sec.patch('/api/v1/initiatives/gfmd-2007', { title: 'x' }, { headers: { 'if-match': etag } });
  assert.equal(stale.status, 412, stale.text);
  const backwards = await sec.patch('/api/v1/initiatives/gfmd-2007', { ended_on: '2001-01-01' }, { headers: { 'if-match': changed.headers.get('etag') } });
  assert.equal(backwards.status, 422);
  assert.equal(backwards.json.error.details[0].field, 'ended_on');
  assert.equal((await fp.patch('/api/v1/initiatives/gfmd-2007', { title: 'x' }, { headers: { 'if-match': changed.headers.get('etag') } })).status, 403);
});

test('contributions: a focal point for its own organisation, never for another; bad url 422', async () => {
  const fp = await as(FP_IOM);
  const own = await fp.post('/api/v1/initiatives/hld-2006/contributions', paper({ organization_id: 'iom' }));
  assert.equal(own.status, 201, own.text);
  assert.deepEqual(own.json.organization, { id: 'iom', name: 'International Organization for Migration' });
  const forOther = await fp.post('/api/v1/initiatives/hld-2006/contributions', paper({ organization_id: 'unhcr' }));
  assert.equal(forOther.status, 403, forOther.text);
  const badUrl = await fp.post('/api/v1/initiatives/hld-2006/contributions', paper({ url: 'javascript:alert(1)' }));
  assert.equal(badUrl.status, 422, badUrl.text);
  assert.equal(badUrl.json.error.details[0].field, 'url');
  const badKind = await fp.post('/api/v1/initiatives/hld-2006/contributions', paper({ kind: 'rumour' }));
  assert.equal(badKind.status, 422);
  assert.equal((await anon().post('/api/v1/initiatives/hld-2006/contributions', paper())).status, 401);

  const sec = await as(SEC);
  const forUnhcr = await sec.post('/api/v1/initiatives/hld-2006/contributions', paper({ organization_id: 'unhcr', kind: 'event', title: 'Side event' }));
  assert.equal(forUnhcr.status, 201, forUnhcr.text);
  const list = await anon().get('/api/v1/initiatives/hld-2006/contributions');
  assert.equal(list.status, 200);
  assert.equal(list.json.total, 2);
  assert.equal((await anon().get('/api/v1/initiatives/hld-2006')).json.contributions_count, 2);

  // Removing: the contributing organisation or the secretariat.
  const other = await as(FP_UNHCR);
  assert.equal((await other.del(`/api/v1/initiatives/hld-2006/contributions/${own.json.id}`)).status, 403);
  assert.equal((await fp.del(`/api/v1/initiatives/hld-2006/contributions/${own.json.id}`)).status, 204);
  assert.equal((await sec.del(`/api/v1/initiatives/hld-2006/contributions/${forUnhcr.json.id}`)).status, 204);
  assert.equal((await anon().get('/api/v1/initiatives/hld-2006/contributions')).json.total, 0);

  const audit = await (await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).get('/api/v1/audit?entity=contribution');
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.items.length, 4, 'two created, two deleted');
});

test('links: an unknown meeting or position is refused (422), nothing changes', async () => {
  const sec = await as(SEC);
  const unknown = await sec.request('PUT', '/api/v1/initiatives/hld-2006/links', { body: { meetings: [424242], positions: [] } });
  assert.equal(unknown.status, 422, unknown.text);
  assert.equal(unknown.json.error.details[0].field, 'meetings');
  assert.equal(unknown.json.error.details[0].rule, 'unknown_meeting');
  const wrongType = await sec.request('PUT', '/api/v1/initiatives/hld-2006/links', { body: { meetings: ['x'] } });
  assert.equal(wrongType.status, 400);
  const fp = await as(FP_IOM);
  assert.equal((await fp.request('PUT', '/api/v1/initiatives/hld-2006/links', { body: { meetings: [] } })).status, 403);
  // A real meeting and a real position (the meetings and positions modules say they exist).
  const meeting = await sec.post('/api/v1/meetings', { title: 'Follow-up of the Dialogue', starts_local: '2031-05-09T10:00', ends_local: '2031-05-09T12:00', time_zone: 'Europe/Zurich' });
  assert.equal(meeting.status, 201, meeting.text);
  const position = await sec.post('/api/v1/positions', { title: 'On the Dialogue', text: 'Text.', lead_org: 'iom' });
  assert.equal(position.status, 201, position.text);
  const before = await sec.get('/api/v1/initiatives/hld-2006');
  const linked = await sec.request('PUT', '/api/v1/initiatives/hld-2006/links', { body: { meetings: [meeting.json.id], positions: [position.json.id] } });
  assert.equal(linked.status, 200, linked.text);
  assert.deepEqual(linked.json.links.meetings.map((m) => m.id), [meeting.json.id]);
  assert.deepEqual(linked.json.links.positions.map((p) => p.id), [position.json.id]);
  // The links name what they point to, and the change is a new version (a new ETag).
  assert.equal(linked.json.version, before.json.version + 1);
  assert.notEqual(linked.headers.get('etag'), before.headers.get('etag'));
  assert.deepEqual(linked.json.links.meetings[0], {
    id: meeting.json.id, href: `/api/v1/meetings/${meeting.json.id}`, title: 'Follow-up of the Dialogue', starts_at: meeting.json.starts_at, status: 'planned',
  });
  assert.deepEqual(linked.json.links.positions[0], { id: position.json.id, href: `/api/v1/positions/${position.json.id}`, title: 'On the Dialogue', status: 'draft' });
  // The public sees the meeting but not the draft position: left out, not even its id.
  for (const path of ['/api/v1/initiatives/hld-2006', '/api/v1/initiatives']) {
    const anon = await new Client(server.url).get(path);
    assert.equal(anon.status, 200, anon.text);
    const hld = anon.json.items ? anon.json.items.find((i) => i.slug === 'hld-2006') : anon.json;
    assert.deepEqual(hld.links.meetings.map((m) => m.title), ['Follow-up of the Dialogue']);
    assert.deepEqual(hld.links.positions, [], path);
  }
  const insider = await (await as(FP_IOM)).get('/api/v1/initiatives/hld-2006');
  assert.deepEqual(insider.json.links.positions.map((p) => p.title), ['On the Dialogue']);
  const emptied = await sec.request('PUT', '/api/v1/initiatives/hld-2006/links', { body: { meetings: [], positions: [] } });
  assert.equal(emptied.status, 200, emptied.text);
  assert.deepEqual(emptied.json.links, { meetings: [], positions: [] });
});

test('demo: labelled contributions by several members, loaded once', async () => {
  // A server of its own: the load takes long enough for an idle keep-alive connection to the
  // first server to be closed under the client.
  const demo = await startServer();
  try {
    const r = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const c = new Client(demo.url);
    const list = await c.get('/api/v1/initiatives/hld-2006/contributions');
    assert.ok(list.json.total >= 4, list.text);
    assert.ok(list.json.items.every((x) => x.title.startsWith('Demo:')));
    assert.ok(new Set(list.json.items.map((x) => x.organization.id)).size >= 3);
    const follow = await c.get('/api/v1/initiatives/gcim-follow-up/contributions');
    assert.ok(follow.json.items.some((x) => x.kind === 'commitment'));
    const again = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await c.get('/api/v1/initiatives/hld-2006')).json.contributions_count, list.json.total);
    // The demo initiative links the demo's meetings and positions and has follow-up actions.
    const own = (await c.get('/api/v1/initiatives/demo-migration-data')).json;
    assert.ok(own.title.startsWith('Demo:'), own.title);
    assert.ok(own.links.meetings.length >= 1 && own.links.meetings.every((m) => m.title.startsWith('Demo:')), JSON.stringify(own.links));
    assert.ok(own.links.positions.length >= 1 && own.links.positions.every((p) => p.title.startsWith('Demo:')), JSON.stringify(own.links));
    addUser(demo.db, SEC);
    const sec = new Client(demo.url);
    await sec.signIn(SEC.email, SEC.password);
    const actions = await sec.get(`/api/v1/actions?initiative=${own.id}`);
    assert.equal(actions.status, 200, actions.text);
    assert.equal(actions.json.items.length, 3, actions.text);
    assert.ok(actions.json.items.every((a) => a.title.startsWith('Demo:')));
  } finally {
    await demo.stop();
  }
});

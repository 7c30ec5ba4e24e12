// End-to-end: the one search (issue 13, docs/search.md): GET /api/v1/search/all over activities, the
// library, meetings, positions, dataflows, stakeholders, people, organisations, training,
// research and initiatives; each area's visibility kept (a members-only activity and a draft
// position are found by the members' staff, not by the public, as are draft minutes); counts per
// kind; narrowing by kind; a write found by the next search; bad queries refused. Runs on
// SQLite, and on PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };

before(async () => {
  server = await startServer();
  for (const u of [SEC, FP_IOM]) addUser(server.db, u);
  const sec = await as(SEC);
  const made = [
    await sec.post('/api/v1/activities', { organization_id: 'ilo', titles: 'Zephyrine labour corridor', type: 'research', countries: ['NP'], visibility: 'public' }),
    await sec.post('/api/v1/activities', { organization_id: 'ilo', titles: 'Zephyrine members briefing', type: 'research', countries: ['NP'], visibility: 'members' }),
    await sec.post('/api/v1/positions', { title: 'Zephyrine draft position', text: 'Draft.', lead_org: 'iom' }),
    await sec.post('/api/v1/meetings', { title: 'Zephyrine coordination meeting', starts_local: '2031-05-09T10:00', ends_local: '2031-05-09T12:00', time_zone: 'Europe/Zurich' }),
    await sec.post('/api/v1/library/items', { kind: 'publication', title: 'Remittances along the Zephyrine route', organization_id: 'iom', year: 2021, language: 'en', abstract: 'A long study. '.repeat(40) + 'The zephyrine corridor carries remittances.' }),
  ];
  for (const r of made) assert.ok(r.status === 201, r.text);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const kinds = (r) => Object.fromEntries(r.json.facets.kind.map((f) => [f.value, f.count]));

test('search: one query finds every area the reader may see, ranked, with a count per kind', async () => {
  const r = await anon().get('/api/v1/search/all?q=Zephyrine');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.query, 'Zephyrine');
  const found = r.json.items.map((h) => `${h.kind}:${h.title}`).sort();
  assert.deepEqual(found, ['activity:Zephyrine labour corridor', 'library:Remittances along the Zephyrine route', 'meeting:Zephyrine coordination meeting']);
  assert.equal(r.json.total, 3);
  const counts = kinds(r);
  assert.deepEqual(Object.keys(counts), ['activity', 'library', 'meeting', 'position', 'dataflow', 'stakeholder', 'person', 'organization', 'training', 'research', 'initiative']);
  assert.equal(counts.activity, 1, 'the members-only activity is not shown to the public');
  assert.equal(counts.position, 0, 'nor is the draft position');
  const lib = r.json.items.find((h) => h.kind === 'library');
  assert.match(lib.href, /^\/library\/\d+$/);
  assert.match(lib.snippet, /zephyrine corridor/, 'the snippet is cut around the match');
  assert.ok(lib.snippet.length < 260, lib.snippet);
  for (const h of r.json.items) assert.ok(h.score > 0 && h.score <= 1, `${h.kind} score ${h.score} normalised`);

  const fp = await as(FP_IOM);
  const inside = await fp.get('/api/v1/search/all?q=zephyrine');
  assert.equal(inside.status, 200, inside.text);
  assert.equal(kinds(inside).activity, 2, 'a member sees the members-only activity');
  assert.equal(kinds(inside).position, 1, 'and the draft position');
  assert.ok(inside.json.items.some((h) => h.kind === 'position' && /^\/positions\/\d+$/.test(h.href)));
});

test('search: narrowed to a kind, paged; the counts still cover every kind', async () => {
  const fp = await as(FP_IOM);
  const r = await fp.get('/api/v1/search/all?q=zephyrine&kind=activity&limit=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].kind, 'activity');
  assert.equal(r.json.total, 2);
  assert.ok(r.json.next_cursor, 'a second page');
  const next = await fp.get(`/api/v1/search/all?q=zephyrine&kind=activity&limit=1&cursor=${r.json.next_cursor}`);
  assert.equal(next.status, 200, next.text);
  assert.equal(next.json.items.length, 1);
  assert.notEqual(next.json.items[0].id, r.json.items[0].id);
  assert.equal(next.json.next_cursor, null);
  assert.equal(kinds(next).meeting, 1);
  const two = await fp.get('/api/v1/search/all?q=zephyrine&kind=meeting,library');
  assert.deepEqual(two.json.items.map((h) => h.kind).sort(), ['library', 'meeting']);
});

test('search: a meeting is found by its minutes as soon as they are saved, drafts by the GMG\'s staff only', async () => {
  const sec = await as(SEC);
  const fp = await as(FP_IOM);
  const meetingsFound = async (c) => kinds(await c.get('/api/v1/search/all?q=quillberry')).meeting;
  assert.equal(await meetingsFound(fp), 0, 'nothing yet (and the meetings are now kept in memory)');
  const found = await anon().get('/api/v1/search/all?q=zephyrine&kind=meeting');
  const id = found.json.items[0].id;
  const saved = await sec.request('PUT', `/api/v1/meetings/${id}/minutes`, { body: { text: 'Agreed: the Quillberry survey goes ahead.', note: 'draft' } });
  assert.equal(saved.status, 201, saved.text);
  assert.equal(await meetingsFound(fp), 1, 'a member\'s staff finds the draft minutes at once');
  assert.equal(await meetingsFound(anon()), 0, 'the public does not');
  const hit = (await fp.get('/api/v1/search/all?q=quillberry')).json.items[0];
  assert.match(hit.snippet, /Quillberry survey/);
});

test('search: organisations and dataflow-free queries; every word must match', async () => {
  const r = await anon().get('/api/v1/search/all?q=International%20Organization%20Migration');
  assert.equal(r.status, 200, r.text);
  const iom = r.json.items.find((h) => h.kind === 'organization' && h.id === 'iom');
  assert.ok(iom, JSON.stringify(r.json.items.map((h) => h.id)));
  assert.equal(iom.href, '/members/iom');
  const none = await anon().get('/api/v1/search/all?q=zephyrine%20nonexistentword');
  assert.equal(none.status, 200);
  assert.equal(none.json.total, 0);
  assert.ok(none.json.facets.kind.every((f) => f.count === 0));
});

test('search: bad queries are refused, naming the parameter', async () => {
  const cases = [
    ['', 400, 'q', 'required'],
    ['?q=', 400, 'q', 'required'],
    ['?q=%21%3F', 400, 'q', 'required'],
    [`?q=${'a'.repeat(201)}`, 422, 'q', 'too_long'],
    ['?q=x&kind=novel', 400, 'kind', 'not_in_list'],
    ['?q=x&limit=0', 400, 'limit', 'out_of_range'],
    ['?q=x&limit=101', 400, 'limit', 'out_of_range'],
    ['?q=x&cursor=p5000', 400, 'cursor', 'out_of_range'],
    [`?q=x&kind=${Array(21).fill('activity').join(',')}`, 400, 'kind', 'too_many'],
  ];
  for (const [query, status, field, rule] of cases) {
    const r = await anon().get(`/api/v1/search/all${query}`);
    assert.equal(r.status, status, `${query}: ${r.text}`);
    assert.equal(r.json.error.details[0].field, field, query);
    assert.equal(r.json.error.details[0].rule, rule, query);
  }
});

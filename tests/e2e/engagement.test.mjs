// End-to-end: stakeholders and engagement (issue 13, docs/engagement.md): the seeded regional
// consultative processes, states from the codelist (an unknown code refused, nothing changed),
// contacts for GMG insiders only, interactions by visibility, stakeholder accounts linked by
// e-mail that see only their own state's requests, routing and answering (another agency's
// focal point refused), allowed status transitions only, demo data. Runs on SQLite, and on
// PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const MEM_IOM = { email: 'member@iom.int', name: 'IOM member', role: 'member', org: 'iom', password: 'iom-member-pw-123' };
const MEX = { email: 'delegate@mex.example', name: 'Mexico delegate', role: 'stakeholder', password: 'mexico-delegate-pw' };
const CHL = { email: 'delegate@chl.example', name: 'Chile delegate', role: 'stakeholder', password: 'chile-delegate-pw' };

before(async () => {
  server = await startServer();
  for (const u of [SEC, FP_IOM, FP_ILO, MEM_IOM, MEX, CHL]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const rule = (r) => r.json?.error?.details?.[0] ?? {};

// The states of the tests, made once by the secretariat, each with its account linked.
let states;
async function statesOnce() {
  if (states) return states;
  const sec = await as(SEC);
  const mexico = await sec.post('/api/v1/stakeholders', { kind: 'state', country: 'MEX' });
  assert.equal(mexico.status, 201, mexico.text);
  const chile = await sec.post('/api/v1/stakeholders', { kind: 'state', country: 'chl', description: 'Chile.' });
  assert.equal(chile.status, 201, chile.text);
  assert.equal((await sec.post(`/api/v1/stakeholders/${mexico.json.id}/accounts`, { email: MEX.email })).status, 201);
  assert.equal((await sec.post(`/api/v1/stakeholders/${chile.json.id}/accounts`, { email: CHL.email })).status, 201);
  states = { mexico: mexico.json, chile: chile.json };
  return states;
}

test('engagement: the regional consultative processes are seeded and public; the directory filters', async () => {
  const r = await anon().get('/api/v1/stakeholders?kind=regional_consultative_process');
  assert.equal(r.status, 200, r.text);
  const names = r.json.items.map((s) => s.name);
  for (const n of ['Colombo Process', 'Budapest Process', 'Bali Process', 'Puebla Process (Regional Conference on Migration)', 'Abu Dhabi Dialogue']) {
    assert.ok(names.includes(n), `${n} in ${names}`);
  }
  const europe = await anon().get('/api/v1/stakeholders?region=Europe');
  assert.ok(europe.json.items.every((s) => s.region === 'Europe'));
  assert.ok(europe.json.items.some((s) => s.name === 'Budapest Process'));
  const regions = await anon().get('/api/v1/stakeholder-regions');
  assert.ok(regions.json.items.includes('Asia'), regions.text);
  const search = await anon().get('/api/v1/stakeholders?q=bali');
  assert.deepEqual(search.json.items.map((s) => s.name), ['Bali Process']);
  const bad = await anon().get('/api/v1/stakeholders?kind=club');
  assert.equal(bad.status, 422);
  assert.equal(rule(bad).field, 'kind');
});

test('engagement: a state comes from the codelist; an unknown code is refused naming the field, nothing changed', async () => {
  const { mexico } = await statesOnce();
  assert.equal(mexico.name, 'Mexico');
  assert.equal(mexico.country, 'MEX');
  const sec = await as(SEC);
  const before = (await anon().get('/api/v1/stakeholders')).json.total;
  const unknown = await sec.post('/api/v1/stakeholders', { kind: 'state', country: 'XXA' });
  assert.equal(unknown.status, 422, unknown.text);
  assert.equal(rule(unknown).field, 'country');
  assert.equal(rule(unknown).rule, 'unknown_country');
  const twice = await sec.post('/api/v1/stakeholders', { kind: 'state', country: 'MEX' });
  assert.equal(twice.status, 409, twice.text);
  assert.equal((await (await as(FP_IOM)).post('/api/v1/stakeholders', { kind: 'civil_society', name: 'X' })).status, 403);
  assert.equal((await anon().post('/api/v1/stakeholders', { kind: 'civil_society', name: 'X' })).status, 401);
  assert.equal((await anon().get('/api/v1/stakeholders')).json.total, before);
  // Edited with If-Match.
  const path = `/api/v1/stakeholders/${mexico.id}`;
  const etag = (await anon().get(path)).headers.get('etag');
  const edited = await sec.patch(path, { website: 'https://www.gob.mx' }, { headers: { 'if-match': etag } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await sec.patch(path, { website: '' }, { headers: { 'if-match': etag } })).status, 412);
});

test('engagement: contacts are personal data for GMG insiders only', async () => {
  const { mexico } = await statesOnce();
  const sec = await as(SEC);
  const path = `/api/v1/stakeholders/${mexico.id}/contacts`;
  const added = await sec.post(path, { name: 'Ana Pérez', title: 'Director', email: 'ana@sre.example', phone: '+52 55 1234 5678' });
  assert.equal(added.status, 201, added.text);
  const badMail = await sec.post(path, { name: 'B', email: 'nope' });
  assert.equal(badMail.status, 422);
  assert.equal(rule(badMail).field, 'email');
  assert.equal((await (await as(MEM_IOM)).get(path)).json.items[0].name, 'Ana Pérez');
  assert.equal((await (await as(MEX)).get(path)).status, 403);
  assert.equal((await anon().get(path)).status, 401);
});

test('engagement: interactions are seen by their visibility; a member logs only those it took part in', async () => {
  const { mexico, chile } = await statesOnce();
  const sec = await as(SEC);
  const log = async (visibility, stakeholder) => {
    const r = await sec.post('/api/v1/stakeholder-interactions', {
      date: '2026-11-01', kind: 'consultation', summary: `${visibility} with ${stakeholder.name}`, visibility, stakeholders: [stakeholder.id], members: ['iom'],
    });
    assert.equal(r.status, 201, r.text);
  };
  await log('public', mexico);
  await log('shared', mexico);
  await log('internal', mexico);
  await log('shared', chile);
  const seen = async (c) => (await c.get(`/api/v1/stakeholder-interactions?stakeholder=${mexico.id}`)).json.items.map((i) => i.visibility).sort();
  assert.deepEqual(await seen(anon()), ['public']);
  assert.deepEqual(await seen(await as(MEX)), ['public', 'shared']);
  assert.deepEqual(await seen(await as(CHL)), ['public']);
  assert.deepEqual(await seen(await as(MEM_IOM)), ['internal', 'public', 'shared']);
  const body = { date: '2026-11-02', kind: 'briefing', summary: 'A briefing', stakeholders: [mexico.id], members: ['iom'] };
  assert.equal((await (await as(FP_IOM)).post('/api/v1/stakeholder-interactions', body)).status, 201);
  assert.equal((await (await as(FP_ILO)).post('/api/v1/stakeholder-interactions', body)).status, 403);
  const unknown = await sec.post('/api/v1/stakeholder-interactions', { ...body, stakeholders: [999999] });
  assert.equal(unknown.status, 422);
  assert.equal(rule(unknown).rule, 'unknown_stakeholder');
});

test('engagement: a state requests support; routed, answered by each member, closed; others refused', async () => {
  const { mexico, chile } = await statesOnce();
  const mex = await as(MEX);
  const me = await mex.get('/api/v1/my-stakeholder');
  assert.equal(me.json.stakeholder.id, mexico.id);
  const created = await mex.post('/api/v1/support-requests', { title: 'Help with a migration profile' });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'received');
  assert.equal(created.json.stakeholder.id, mexico.id);
  const path = `/api/v1/support-requests/${created.json.id}`;
  // Chile's account neither reads nor learns it exists; nor records for Mexico.
  const chl = await as(CHL);
  assert.equal((await chl.get(path)).status, 404);
  assert.equal((await chl.get('/api/v1/support-requests')).json.total, 0);
  assert.equal((await chl.post('/api/v1/support-requests', { stakeholder_id: mexico.id, title: 'x' })).status, 403);
  assert.equal((await (await as(FP_IOM)).post('/api/v1/support-requests', { stakeholder_id: chile.id, title: 'x' })).status, 403);

  const sec = await as(SEC);
  const bad = await sec.post(`${path}/routes`, { organizations: ['nosuch'] });
  assert.equal(bad.status, 422);
  assert.equal(rule(bad).rule, 'unknown_organization');
  const routed = await sec.post(`${path}/routes`, { organizations: ['iom', 'ilo'] });
  assert.equal(routed.status, 200, routed.text);
  assert.equal(routed.json.status, 'routed');

  const ilo = await as(FP_ILO);
  const other = await ilo.post(`${path}/answers`, { organization_id: 'iom', response: 'accepted', answer: 'x' });
  assert.equal(other.status, 403, other.text);
  assert.equal((await (await as(MEM_IOM)).post(`${path}/answers`, { response: 'accepted', answer: 'x' })).status, 403);
  const iomAnswer = await (await as(FP_IOM)).post(`${path}/answers`, { response: 'accepted', answer: 'IOM will help.' });
  assert.equal(iomAnswer.status, 200, iomAnswer.text);
  assert.equal(iomAnswer.json.status, 'in_progress');
  const last = await ilo.post(`${path}/answers`, { response: 'declined', answer: 'Not in our mandate.' });
  assert.equal(last.json.status, 'answered');
  const seenByState = await mex.get(path);
  assert.deepEqual(seenByState.json.routes.map((r) => [r.organization.id, r.response]), [['ilo', 'declined'], ['iom', 'accepted']]);

  const back = await sec.post(`${path}/status`, { status: 'received' });
  assert.equal(back.status, 422);
  assert.equal(rule(back).rule, 'invalid_transition');
  assert.equal((await sec.get(path)).json.status, 'answered', 'the refused transition changed nothing');
  assert.equal((await mex.post(`${path}/status`, { status: 'closed' })).status, 403);
  assert.equal((await sec.post(`${path}/status`, { status: 'closed' })).json.status, 'closed');
});

test('engagement: accounts are linked by e-mail, stakeholder role only', async () => {
  const { chile } = await statesOnce();
  const sec = await as(SEC);
  const path = `/api/v1/stakeholders/${chile.id}/accounts`;
  const notStakeholder = await sec.post(path, { email: FP_IOM.email });
  assert.equal(notStakeholder.status, 422);
  assert.equal(rule(notStakeholder).rule, 'not_a_stakeholder_account');
  assert.equal((await sec.post(path, { email: 'nobody@example.org' })).status, 422);
  assert.equal((await sec.post(path, { email: CHL.email })).status, 409);
  const list = await sec.get(path);
  assert.deepEqual(list.json.items.map((a) => a.email), [CHL.email]);
});

test('engagement demo: labelled organisations, interactions with the processes, two requests, loaded once', async () => {
  const demo = await startServer();
  try {
    const r = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const again = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(again.status, 0, again.stderr);
    const c = new Client(demo.url);
    const all = (await c.get('/api/v1/stakeholders?q=Demo:')).json.items;
    assert.equal(all.length, 4, JSON.stringify(all.map((s) => s.name)));
    assert.deepEqual(new Set(all.map((s) => s.kind)), new Set(['civil_society', 'employers_organization', 'workers_organization']));
    const shown = (await c.get('/api/v1/stakeholder-interactions')).json.items;
    assert.ok(shown.length >= 2 && shown.every((i) => i.visibility === 'public' && i.summary.startsWith('Demo:')));
    addUser(demo.db, SEC);
    const sec = new Client(demo.url);
    await sec.signIn(SEC.email, SEC.password);
    const requests = (await sec.get('/api/v1/support-requests')).json.items;
    assert.deepEqual(requests.map((x) => x.status).sort(), ['answered', 'routed']);
    assert.ok(requests.every((x) => x.title.startsWith('Demo:')));
  } finally {
    await demo.stop();
  }
});

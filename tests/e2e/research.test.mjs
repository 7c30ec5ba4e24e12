// End-to-end: the research network and staff exchanges (issue 13, docs/research.md): the
// directory and its developing-country share (0 of 0 when empty), who adds and edits what,
// researchers' public profiles and e-mail addresses, bad input refused with rule codes and
// nothing changed, exchanges seen by GMG insiders only with their status transitions (an
// agreement takes the side that did not propose it; If-Match; user_id no account oracle), demo
// data.
// Runs on SQLite, and on PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-point-pw' };
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const MEMBER_IOM = { email: 'staff@iom.int', name: 'IOM staff', role: 'member', org: 'iom', password: 'iom-member-pw-1234' };
const STAKEHOLDER = { email: 'someone@example.org', name: 'Stakeholder', role: 'stakeholder', password: 'stakeholder-pw-123' };

before(async () => {
  server = await startServer();
  for (const u of [SEC, FP_IOM, FP_UNHCR, FP_ILO, MEMBER_IOM, STAKEHOLDER]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const put = (c, path, body) => c.request('PUT', path, { body });
const detail = (r) => r.json?.error?.details?.[0] ?? {};

test('research: an empty network reports 0 of 0, then counts by development group', async () => {
  const empty = await anon().get('/api/v1/research/share');
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json.institutions, {
    total: 0, developing: { count: 0, share: 0 }, ldc: { count: 0, share: 0 }, lldc: { count: 0, share: 0 }, sids: { count: 0, share: 0 },
  });
  const sec = await as(SEC);
  for (const [name, country] of [['Kathmandu institute', 'NPL'], ['Suva university', 'FJI'], ['Berlin institute', 'DEU'], ['Nairobi centre', 'KEN']]) {
    const r = await sec.post('/api/v1/research/institutions', { name, country, type: 'university' });
    assert.equal(r.status, 201, r.text);
  }
  const share = (await anon().get('/api/v1/research/share')).json;
  assert.equal(share.institutions.total, 4);
  assert.deepEqual(share.institutions.developing, { count: 3, share: 0.75 });
  assert.equal(share.institutions.ldc.count, 1);
  assert.equal(share.institutions.lldc.count, 1);
  assert.equal(share.institutions.sids.count, 1);
  const nepal = (await anon().get('/api/v1/research/institutions?country=NPL')).json.items;
  assert.equal(nepal.length, 1);
  assert.deepEqual(nepal[0].groups, { developing: true, ldc: true, lldc: true, sids: false });
  assert.equal(nepal[0].country_name, 'Nepal');
});

test('research: focal points add institutions and edit their own; another agency gets 403; bad input changes nothing', async () => {
  const iom = await as(FP_IOM);
  const created = await iom.post('/api/v1/research/institutions', { name: 'IOM partner institute', country: 'PHL', type: 'think_tank', website: 'https://example.org' });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.added_by, 'iom');
  const path = `/api/v1/research/institutions/${created.json.id}`;
  const edit = { name: 'Renamed institute', country: 'PHL', type: 'think_tank' };
  assert.equal((await put(await as(FP_UNHCR), path, edit)).status, 403);
  assert.equal((await put(await as(MEMBER_IOM), path, edit)).status, 403);
  assert.equal((await put(anon(), path, edit)).status, 401);
  assert.equal((await (await as(STAKEHOLDER)).post('/api/v1/research/institutions', edit)).status, 403);
  // If-Match: the ETag a read gave; a second editor holding the old one gets 412, nothing changed.
  const read = await anon().get(path);
  assert.equal(read.headers.get('etag'), '"v1"');
  const ok = await iom.request('PUT', path, { body: edit, headers: { 'if-match': read.headers.get('etag') } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.name, 'Renamed institute');
  assert.equal(ok.json.version, 2);
  assert.equal(ok.headers.get('etag'), '"v2"');
  const stale = await (await as(SEC)).request('PUT', path, { body: { ...edit, name: 'Lost' }, headers: { 'if-match': '"v1"' } });
  assert.equal(stale.status, 412, stale.text);
  assert.equal((await anon().get(path)).json.name, 'Renamed institute');
  const before = (await anon().get('/api/v1/research/institutions')).json.total;
  for (const [body, field, rule] of [
    [{ name: 'X', country: 'XYZ', type: 'university' }, 'country', 'unknown_country'],
    [{ name: 'X', country: 'NP', type: 'university' }, 'country', 'unknown_country'],
    [{ name: 'X', country: 'NPL', type: 'college' }, 'type', 'not_in_list'],
    [{ name: 'X', country: 'NPL', type: 'ngo', website: 'javascript:alert(1)' }, 'website', 'invalid_url'],
  ]) {
    const r = await iom.post('/api/v1/research/institutions', body);
    assert.equal(r.status, 422, r.text);
    assert.equal(detail(r).field, field);
    assert.equal(detail(r).rule, rule);
  }
  assert.equal((await anon().get('/api/v1/research/institutions')).json.total, before);
});

test('research: researchers — public profiles for everyone, e-mail for GMG insiders only', async () => {
  const sec = await as(SEC);
  const inst = (await sec.post('/api/v1/research/institutions', { name: 'Pacific centre', country: 'FJI', type: 'university' })).json;
  const open = await sec.post('/api/v1/research/researchers', { name: 'Open Researcher', institution_id: inst.id, email: 'open@example.org', themes: ['climate mobility'], languages: ['en', 'fj'], public_profile: true });
  assert.equal(open.status, 201, open.text);
  const hidden = await sec.post('/api/v1/research/researchers', { name: 'Hidden Researcher', institution_id: inst.id, email: 'hidden@example.org' });
  assert.equal(hidden.status, 201, hidden.text);
  const pub = (await anon().get(`/api/v1/research/researchers?institution=${inst.id}`)).json.items;
  assert.deepEqual(pub.map((r) => r.name), ['Open Researcher']);
  assert.equal(pub[0].email, undefined);
  assert.equal((await anon().get(`/api/v1/research/researchers/${hidden.json.id}`)).status, 404);
  assert.equal((await (await as(STAKEHOLDER)).get(`/api/v1/research/researchers/${hidden.json.id}`)).status, 404);
  const insider = (await (await as(MEMBER_IOM)).get(`/api/v1/research/researchers?institution=${inst.id}`)).json.items;
  assert.deepEqual(insider.map((r) => r.email), ['hidden@example.org', 'open@example.org']);
  const bad = await sec.post('/api/v1/research/researchers', { name: 'X', institution_id: inst.id, languages: ['english'] });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(detail(bad).rule, 'invalid_language');
  const unknown = await sec.post('/api/v1/research/researchers', { name: 'X', institution_id: 999999 });
  assert.equal(detail(unknown).rule, 'unknown_institution');
  assert.equal((await anon().get('/api/v1/research/researchers?institution=abc')).status, 400);
});

test('research: joint projects are edited by their organisations\' focal points only', async () => {
  const iom = await as(FP_IOM);
  const body = { title: 'Recruitment costs', started_on: '2026-01-01', ended_on: '2026-12-31', status: 'active', organizations: ['iom', 'ilo'] };
  const created = await iom.post('/api/v1/research/projects', body);
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.organizations, ['ilo', 'iom']);
  const path = `/api/v1/research/projects/${created.json.id}`;
  assert.equal((await put(await as(FP_ILO), path, { ...body, title: 'By ILO' })).status, 200);
  const other = await put(await as(FP_UNHCR), path, { ...body, title: 'By UNHCR' });
  assert.equal(other.status, 403, other.text);
  assert.equal((await anon().get(path)).json.title, 'By ILO');
  assert.equal((await (await as(FP_UNHCR)).post('/api/v1/research/projects', body)).status, 403);
  const notMember = await iom.post('/api/v1/research/projects', { ...body, organizations: ['iom', 'nobody'] });
  assert.equal(notMember.status, 422);
  assert.equal(detail(notMember).rule, 'not_gmg_member');
  const backwards = await iom.post('/api/v1/research/projects', { ...body, ended_on: '2025-01-01' });
  assert.equal(detail(backwards).rule, 'before_start');

  // A co-owner adds organisations but removes none: dropping the IOM is the secretariat's.
  const ilo = await as(FP_ILO);
  const dropped = await put(ilo, path, { ...body, organizations: ['ilo'] });
  assert.equal(dropped.status, 403, dropped.text);
  assert.deepEqual([detail(dropped).field, detail(dropped).rule, detail(dropped).args], ['organizations', 'not_own_organization', { value: 'iom' }]);
  assert.deepEqual((await anon().get(path)).json.organizations, ['ilo', 'iom']);
  const added = await put(ilo, path, { ...body, organizations: ['ilo', 'iom', 'unhcr'] });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual(added.json.organizations, ['ilo', 'iom', 'unhcr']);
  const removed = await put(await as(SEC), path, { ...body, organizations: ['ilo', 'unhcr'] });
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.json.organizations, ['ilo', 'unhcr']);
});

test('exchanges: GMG insiders only; either organisation edits; a third agency gets 403; transitions checked', async () => {
  const ilo = await as(FP_ILO);
  const body = { kind: 'secondment', from_organization: 'ilo', to_organization: 'iom', person_name: 'A. Specialist', started_on: '2027-01-01', ended_on: '2027-12-31', purpose: 'Fair recruitment' };
  assert.equal((await (await as(FP_UNHCR)).post('/api/v1/exchanges', body)).status, 403);
  const created = await ilo.post('/api/v1/exchanges', body);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'proposed');
  const path = `/api/v1/exchanges/${created.json.id}`;
  assert.equal((await anon().get('/api/v1/exchanges')).status, 401);
  assert.equal((await (await as(STAKEHOLDER)).get(path)).status, 403);
  assert.equal((await (await as(MEMBER_IOM)).get(path)).status, 200);
  assert.equal((await (await as(FP_UNHCR)).patch(path, { status: 'agreed' })).status, 403);
  const skip = await ilo.patch(path, { status: 'completed' });
  assert.equal(skip.status, 422, skip.text);
  assert.equal(detail(skip).rule, 'invalid_transition');
  assert.equal((await (await as(FP_IOM)).patch(path, { status: 'agreed' })).json.status, 'agreed');
  for (const [change, field, rule] of [
    [{ to_organization: 'ilo' }, 'to_organization', 'same_organization'],
    [{ to_organization: 'nobody' }, 'to_organization', 'not_gmg_member'],
    [{ ended_on: '2026-01-01' }, 'ended_on', 'before_start'],
    [{ kind: 'holiday' }, 'kind', 'not_in_list'],
  ]) {
    const r = await (await as(SEC)).post('/api/v1/exchanges', { ...body, ...change });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual([detail(r).field, detail(r).rule], [field, rule]);
  }
  assert.equal((await (await as(SEC)).get('/api/v1/exchanges')).json.total, 1);
});

test('exchanges: the proposing side does not agree alone; If-Match guards edits; user_id reveals no accounts', async () => {
  const ilo = await as(FP_ILO);
  const iom = await as(FP_IOM);
  const body = { kind: 'loan', from_organization: 'ilo', to_organization: 'iom', person_name: 'B. Expert', started_on: '2027-03-01', ended_on: '2027-09-30' };
  const created = await ilo.post('/api/v1/exchanges', body);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.proposed_by, 'ilo');
  assert.equal(created.headers.get('etag'), '"v1"');
  const path = `/api/v1/exchanges/${created.json.id}`;
  const alone = await ilo.patch(path, { status: 'agreed' });
  assert.equal(alone.status, 403, alone.text);
  assert.deepEqual([detail(alone).field, detail(alone).rule, detail(alone).args], ['status', 'other_party_agrees', { value: 'iom' }]);
  assert.equal((await iom.get(path)).json.status, 'proposed');

  // Optimistic concurrency: an edit with a stale ETag is refused and changes nothing.
  const etag = (await iom.get(path)).headers.get('etag');
  const edited = await ilo.patch(path, { purpose: 'Labour migration statistics' }, { headers: { 'if-match': etag } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.version, 2);
  assert.equal(edited.headers.get('etag'), '"v2"');
  const stale = await iom.patch(path, { status: 'agreed' }, { headers: { 'if-match': etag } });
  assert.equal(stale.status, 412, stale.text);
  assert.equal((await iom.get(path)).json.status, 'proposed');
  const agreed = await iom.patch(path, { status: 'agreed' }, { headers: { 'if-match': edited.headers.get('etag') } });
  assert.equal(agreed.status, 200, agreed.text);
  assert.equal(agreed.json.status, 'agreed');
  assert.equal((await ilo.patch(path, { status: 'in_progress' })).json.status, 'in_progress');

  // Proposed by the secretariat: either side's focal point agrees.
  const bySec = await (await as(SEC)).post('/api/v1/exchanges', body);
  assert.equal(bySec.json.proposed_by, null);
  assert.equal((await ilo.patch(`/api/v1/exchanges/${bySec.json.id}`, { status: 'agreed' })).status, 200);

  // user_id: an account of either organisation; any other answers as one that does not exist.
  const iomMember = (await (await as(MEMBER_IOM)).get('/api/v1/session')).json.user.id;
  const unhcrFocal = (await (await as(FP_UNHCR)).get('/api/v1/session')).json.user.id;
  const stakeholder = (await (await as(STAKEHOLDER)).get('/api/v1/session')).json.user.id;
  const linked = await ilo.post('/api/v1/exchanges', { ...body, user_id: iomMember });
  assert.equal(linked.status, 201, linked.text);
  assert.equal(linked.json.user_id, iomMember);
  const missing = await ilo.post('/api/v1/exchanges', { ...body, user_id: 999999 });
  assert.equal(missing.status, 422, missing.text);
  for (const id of [unhcrFocal, stakeholder]) {
    const r = await ilo.post('/api/v1/exchanges', { ...body, user_id: id });
    assert.equal(r.status, missing.status, r.text);
    assert.deepEqual([detail(r).field, detail(r).rule, detail(r).problem], [detail(missing).field, detail(missing).rule, detail(missing).problem]);
    assert.equal(r.json.error.message.replace(String(id), 'N'), missing.json.error.message.replace('999999', 'N'));
  }
  assert.equal((await (await as(SEC)).post('/api/v1/exchanges', { ...body, user_id: unhcrFocal })).status, 201);
});

test('demo: labelled institutions across regions, researchers, two projects, three exchanges, once', async () => {
  const demo = await startServer();
  try {
    for (let i = 0; i < 2; i++) {
      const r = runGmg(['demo', 'load', '--db', demo.db]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
    const c = new Client(demo.url);
    const insts = (await c.get('/api/v1/research/institutions')).json;
    assert.equal(insts.total, 10);
    assert.ok(insts.items.every((i) => i.name.startsWith('Demo:')));
    const share = (await c.get('/api/v1/research/share')).json;
    assert.equal(share.institutions.developing.count, 8);
    assert.ok(share.institutions.ldc.count >= 2 && share.institutions.sids.count >= 2);
    assert.equal((await c.get('/api/v1/research/projects')).json.total, 2);
    assert.ok((await c.get('/api/v1/research/researchers')).json.total >= 5);
  } finally {
    await demo.stop();
  }
});

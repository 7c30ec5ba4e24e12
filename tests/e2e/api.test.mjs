// End-to-end: the real `gmg` binary on a free port, spoken to over HTTP like any client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
const METRICS_TOKEN = 'scraper-secret-for-tests';
const FP_IOM = { email: 'fp@iom.int', name: 'IOM Focal Point', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const SECRETARIAT = { email: 'sec@gmg.org', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-1' };
const MEMBER = { email: 'staff@unhcr.org', name: 'UNHCR Staff', role: 'member', org: 'unhcr', password: 'unhcr-member-pw' };


before(async () => {
  server = await startServer({ env: { GMG_METRICS_TOKEN: METRICS_TOKEN } });
  for (const u of [FP_IOM, SECRETARIAT, MEMBER]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }

test('system routes: healthz, metrics, openapi with every route, security headers', async () => {
  const c = anon();
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.json.status, 'ok');
  assert.match(h.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(h.headers.get('x-content-type-options'), 'nosniff');
  const doc = (await c.get('/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  for (const [method, path] of [['get', '/api/v1/organizations'], ['patch', '/api/v1/organizations/{id}'],
    ['get', '/api/v1/chair'], ['get', '/api/v1/chair/schedule'], ['post', '/api/v1/session'],
    ['post', '/api/v1/tokens'], ['get', '/api/v1/audit'], ['get', '/healthz'], ['get', '/metrics']]) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path} in openapi.json`);
  }
  assert.equal((await c.get('/metrics')).status, 401, 'metrics are private (issue 7, item 14)');
  assert.equal((await (await as(MEMBER)).get('/metrics')).status, 403);
  const wrong = await c.get('/metrics', { headers: { authorization: 'Bearer not-the-token' } });
  assert.equal(wrong.status, 401);
  const m = await c.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /text\/plain/);
  assert.match(m.text, /gmg_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
  assert.match(m.text, /gmg_http_request_duration_seconds_bucket/);
});

test('HEAD answers as GET would, without the body; a wrong method gets 405 with Allow', async () => {
  const c = anon();
  const get = await c.get('/api/v1/organizations');
  const head = await c.request('HEAD', '/api/v1/organizations');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  for (const h of ['content-length', 'etag', 'content-type', 'content-encoding', 'cache-control']) {
    assert.equal(head.headers.get(h), get.headers.get(h), h);
  }
  assert.ok(Number(head.headers.get('content-length')) > 0);
  const denied = await c.request('HEAD', '/api/v1/audit');
  assert.equal(denied.status, 401, 'HEAD is checked as GET is');
  assert.equal(denied.text, '');
  assert.equal((await c.request('HEAD', '/no/such/thing')).status, 404);
  const wrong = await c.request('PUT', '/api/v1/organizations');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET, HEAD, POST');
});

test('the seeded GMG: ten members, purposes, history, UNCTAD chairs the first meeting', async () => {
  const c = anon();
  const orgs = await c.get('/api/v1/organizations');
  assert.equal(orgs.status, 200);
  assert.equal(orgs.json.total, 10);
  assert.deepEqual(orgs.json.items.map((o) => o.id).sort(),
    ['ilo', 'iom', 'ohchr', 'unctad', 'undesa', 'undp', 'unfpa', 'unhcr', 'unodc', 'worldbank']);
  assert.ok(orgs.headers.get('etag'));
  const again = await c.get('/api/v1/organizations', { headers: { 'if-none-match': orgs.headers.get('etag') } });
  assert.equal(again.status, 304);
  const page = await c.get('/api/v1/organizations?limit=4');
  assert.equal(page.json.items.length, 4);
  const page2 = await c.get(`/api/v1/organizations?limit=4&cursor=${page.json.next_cursor}`);
  assert.equal(page2.json.items.length, 4);
  assert.notEqual(page2.json.items[0].id, page.json.items[0].id);

  const about = (await c.get('/api/v1/about')).json;
  assert.equal(about.purposes.length, 12);
  assert.ok(about.history.some((h) => h.date === '2006-05-09' && /UNCTAD/.test(h.text)));
  assert.ok(about.history.some((h) => h.date_label === 'April 2003'));

  const chair = await c.get('/api/v1/chair?date=2006-05-09');
  assert.equal(chair.status, 200);
  assert.equal(chair.json.organization.id, 'unctad');
  assert.equal(chair.json.source, 'rotation');
  const sched = await c.get('/api/v1/chair/schedule?from=2006-05-09&to=2008-12-31');
  assert.equal(sched.json.items[0].organization.acronym, 'UNCTAD');
  assert.ok(sched.json.items.length >= 5);
  assert.equal((await c.get('/api/v1/chair?date=2006-02-30')).status, 400);
  assert.equal((await c.get('/api/v1/chair?date=2001-01-01')).status, 404);
  assert.equal((await c.get('/api/v1/chair/schedule?from=2006-01-01&to=2300-01-01')).status, 400);

  const iom = await c.get('/api/v1/organizations/iom');
  assert.equal(iom.json.acronym, 'IOM');
  assert.equal(iom.json.iati_org_id, 'XM-DAC-47066');
  assert.equal(iom.json.member_since, '2006-05-09');
  assert.equal((await c.get('/api/v1/organizations/unicef')).status, 404);
});

test('sign in and out: cookie flags, no user enumeration, signed-out sessions open nothing', async () => {
  const c = anon();
  const res = await c.post('/api/v1/session', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal(res.json.user.role, 'admin');
  c.csrf = res.json.csrf_token;
  assert.equal((await c.get('/api/v1/session')).json.user.email, ADMIN_EMAIL);

  const wrong = await anon().post('/api/v1/session', { email: ADMIN_EMAIL, password: 'not the password' });
  const unknown = await anon().post('/api/v1/session', { email: 'ghost@nowhere.org', password: 'not the password' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.json, unknown.json);

  const stale = c.cookie;
  assert.equal((await c.del('/api/v1/session')).status, 204);
  const replay = new Client(server.url);
  replay.cookie = stale;
  assert.equal((await replay.get('/api/v1/session')).status, 401);

  // A secretariat's ended session opens nothing. (That a session ends at its lifetime is
  // AuthServiceTest.ASessionEndsAtTheEndOfItsLifetime, on a stepped clock.)
  const d = await as(SECRETARIAT);
  assert.equal((await d.get('/api/v1/audit')).status, 200);
  const kept = d.cookie;
  assert.equal((await d.del('/api/v1/session')).status, 204);
  const ended = new Client(server.url);
  ended.cookie = kept;
  assert.equal((await ended.get('/api/v1/session')).status, 401);
  assert.equal((await ended.get('/api/v1/audit')).status, 401);
});

test('sign-in is rate limited per account with Retry-After', async () => {
  const user = { email: 'limited@ilo.org', name: 'L', role: 'member', org: 'ilo', password: 'limited-user-pw' };
  addUser(server.db, user);
  for (let i = 0; i < 5; i++) {
    assert.equal((await anon().post('/api/v1/session', { email: user.email, password: 'wrong-password' })).status, 401);
  }
  const r = await anon().post('/api/v1/session', { email: user.email, password: user.password });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal(r.json.error.code, 'resource_exhausted');
});

test('bad input gets a 4xx JSON error and changes nothing', async () => {
  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const before = await admin.get('/api/v1/organizations/iom');
  const etag = before.headers.get('etag');
  const audits = (await admin.get('/api/v1/audit?limit=1')).json.total;

  const malformed = await admin.request('PATCH', '/api/v1/organizations/iom', { raw: '{"mandate": ', headers: { 'content-type': 'application/json', 'if-match': etag } });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json.error.message, /line 1, column/);
  const unknownField = await admin.patch('/api/v1/organizations/iom', { mandate: 'x', colour: 'red' }, { headers: { 'if-match': etag } });
  assert.equal(unknownField.status, 400);
  assert.deepEqual(unknownField.json.error.details, [{ field: 'colour', problem: 'is not a known field', rule: 'unknown_field', args: {} }]);
  const wrongType = await admin.patch('/api/v1/organizations/iom', { mandate: 42 }, { headers: { 'if-match': etag } });
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.json.error.details[0].field, 'mandate');
  const notJson = await admin.request('PATCH', '/api/v1/organizations/iom', { raw: 'mandate=x', headers: { 'content-type': 'text/plain', 'if-match': etag } });
  assert.equal(notJson.status, 415);
  const noIfMatch = await admin.patch('/api/v1/organizations/iom', { mandate: 'x' });
  assert.equal(noIfMatch.status, 400);
  assert.equal(noIfMatch.json.error.details[0].field, 'If-Match');
  const stale = await admin.patch('/api/v1/organizations/iom', { mandate: 'x' }, { headers: { 'if-match': '"v999"' } });
  assert.equal(stale.status, 412);
  const big = await admin.patch('/api/v1/organizations/iom', { mandate: 'x'.repeat(2 * 1024 * 1024) }, { headers: { 'if-match': etag } });
  assert.equal(big.status, 413);
  const badDate = await admin.post('/api/v1/organizations', { id: 'unicef', name: 'UNICEF', acronym: 'UNICEF', mandate: 'm', joined_on: '2020-02-31' });
  assert.equal(badDate.status, 400);
  assert.equal(badDate.json.error.details[0].field, 'joined_on');
  const badOrg = await admin.post('/api/v1/users', { email: 'x@y.org', name: 'X', role: 'member', organization_id: 'unicef', password: 'long-password-1' });
  assert.equal(badOrg.status, 422);
  const noCsrf = await admin.patch('/api/v1/organizations/iom', { mandate: 'x' }, { headers: { 'if-match': etag, 'x-csrf-token': '' } });
  assert.equal(noCsrf.status, 403);
  const anonymousWrite = await anon().patch('/api/v1/organizations/iom', { mandate: 'x' }, { headers: { 'if-match': etag } });
  assert.equal(anonymousWrite.status, 401);

  const after = await admin.get('/api/v1/organizations/iom');
  assert.equal(after.json.mandate, before.json.mandate);
  assert.equal(after.headers.get('etag'), etag);
  assert.equal((await admin.get('/api/v1/audit?limit=1')).json.total, audits, 'no rejected write reached the audit log');
  const users = await admin.get('/api/v1/users?limit=500');
  assert.equal(users.json.next_cursor, null, 'one page holds every user');
  assert.equal(users.json.items.filter((u) => u.email === 'x@y.org').length, 0);
});

test('a focal point edits its own organisation and focal points, and gets 403 on another', async () => {
  const fp = await as(FP_IOM);
  const iom = await fp.get('/api/v1/organizations/iom');
  const ok = await fp.patch('/api/v1/organizations/iom', { mandate: 'IOM works for humane and orderly migration (edited).' }, { headers: { 'if-match': iom.headers.get('etag') } });
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.json.mandate, /edited/);
  const again = await fp.patch('/api/v1/organizations/iom', { mandate: 'second' }, { headers: { 'if-match': iom.headers.get('etag') } });
  assert.equal(again.status, 412, 'the old ETag is stale now');
  const rename = await fp.patch('/api/v1/organizations/iom', { name: 'Renamed' }, { headers: { 'if-match': ok.headers.get('etag') } });
  assert.equal(rename.status, 403);

  const unhcr = await fp.get('/api/v1/organizations/unhcr');
  const denied = await fp.patch('/api/v1/organizations/unhcr', { mandate: 'hijacked' }, { headers: { 'if-match': unhcr.headers.get('etag') } });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.error.code, 'permission_denied');
  assert.equal((await fp.post('/api/v1/organizations/unhcr/focal-points', { name: 'X', email: 'x@unhcr.org' })).status, 403);

  const added = await fp.post('/api/v1/organizations/iom/focal-points', { name: 'Amina Diallo', title: 'Migration Policy Officer', email: 'adiallo@iom.int' });
  assert.equal(added.status, 201);
  assert.match(added.headers.get('location'), /\/api\/v1\/organizations\/iom\/focal-points\/\d+/);
  const fpId = added.json.id;
  const one = await anon().get(`/api/v1/organizations/iom/focal-points/${fpId}`);
  assert.equal(one.status, 200);
  assert.equal(one.headers.get('etag'), added.headers.get('etag'));
  assert.notEqual((await fp.get('/api/v1/organizations/iom')).headers.get('etag'), ok.headers.get('etag'),
    'adding a focal point is a new version of the organisation');
  const edited = await fp.patch(`/api/v1/organizations/iom/focal-points/${fpId}`, { phone: '+41 22 717 9111' }, { headers: { 'if-match': added.headers.get('etag') } });
  assert.equal(edited.status, 200);
  const publicList = await anon().get('/api/v1/organizations/iom/focal-points');
  assert.equal(publicList.json.items[0].name, 'Amina Diallo');
  assert.equal(publicList.json.items[0].email, undefined, 'contacts only for signed-in users');
  assert.equal((await fp.get('/api/v1/organizations/iom/focal-points')).json.items[0].email, 'adiallo@iom.int');
  assert.equal((await fp.del(`/api/v1/organizations/iom/focal-points/${fpId}`)).status, 204);
  assert.equal((await anon().get('/api/v1/organizations/iom/focal-points')).json.total, 0);

  const member = await as(MEMBER);
  const u = await member.get('/api/v1/organizations/unhcr');
  assert.equal((await member.patch('/api/v1/organizations/unhcr', { mandate: 'x' }, { headers: { 'if-match': u.headers.get('etag') } })).status, 403,
    'staff who are not the focal point cannot edit');
});

test('membership administration keeps history; only staff may do it', async () => {
  const sec = await as(SECRETARIAT);
  const fp = await as(FP_IOM);
  const body = { id: 'unicef', name: "United Nations Children's Fund", acronym: 'UNICEF', mandate: 'Children on the move.', joined_on: '2010-01-01', website: 'https://www.unicef.org' };
  assert.equal((await fp.post('/api/v1/organizations', body)).status, 403);
  const admitted = await sec.post('/api/v1/organizations', body);
  assert.equal(admitted.status, 201, admitted.text);
  assert.equal(admitted.headers.get('location'), '/api/v1/organizations/unicef');
  assert.equal((await sec.post('/api/v1/organizations', body)).status, 409);
  assert.equal((await anon().get('/api/v1/organizations')).json.total, 11);

  const mid = admitted.json.memberships[0].id;
  const etag = admitted.headers.get('etag');
  assert.equal((await sec.patch(`/api/v1/organizations/unicef/memberships/${mid}`, { left_on: '2014-12-31' })).status, 400, 'If-Match required');
  const left = await sec.patch(`/api/v1/organizations/unicef/memberships/${mid}`, { left_on: '2014-12-31', note: 'left the group' }, { headers: { 'if-match': etag } });
  assert.equal(left.status, 200);
  const now = (await sec.get('/api/v1/organizations/unicef')).headers.get('etag');
  assert.notEqual(now, etag, 'the organisation changed with its membership');
  assert.equal((await sec.patch(`/api/v1/organizations/unicef/memberships/${mid}`, { left_on: '2015-12-31' }, { headers: { 'if-match': etag } })).status, 412);
  assert.equal((await sec.patch(`/api/v1/organizations/unicef/memberships/${mid}`, { left_on: '2015-12-31' }, { headers: { 'if-match': now } })).status, 409);
  const former = await anon().get('/api/v1/organizations?status=former');
  assert.deepEqual(former.json.items.map((o) => o.id), ['unicef']);
  const back = await sec.post('/api/v1/organizations/unicef/memberships', { joined_on: '2016-03-01' });
  assert.equal(back.status, 201);
  const detail = (await anon().get('/api/v1/organizations/unicef')).json;
  assert.equal(detail.memberships.length, 2);
  assert.equal(detail.status, 'current');
  assert.equal(detail.memberships[0].left_on, '2014-12-31');
});

test('chair rotation and overrides are administered by admins and shape the schedule', async () => {
  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const sec = await as(SECRETARIAT);
  const plan = { starts_on: '2040-01-01', term_months: 12, order: ['iom', 'ilo', 'unhcr'] };
  assert.equal((await sec.post('/api/v1/chair/rotations', plan)).status, 403);
  assert.equal((await admin.post('/api/v1/chair/rotations', { ...plan, order: ['iom', 'nobody'] })).status, 422);
  assert.equal((await admin.post('/api/v1/chair/rotations', plan)).status, 201);
  assert.equal((await anon().get('/api/v1/chair?date=2040-06-01')).json.organization.id, 'iom');
  assert.equal((await anon().get('/api/v1/chair?date=2041-06-01')).json.organization.id, 'ilo');
  const ov = await admin.post('/api/v1/chair/overrides', { starts_on: '2041-03-01', ends_on: '2041-04-30', organization_id: 'unfpa', reason: 'ILO asked UNFPA to chair during its centenary preparations' });
  assert.equal(ov.status, 201, ov.text);
  const during = (await anon().get('/api/v1/chair?date=2041-04-01')).json;
  assert.equal(during.organization.id, 'unfpa');
  assert.equal(during.source, 'override');
  const sched = (await anon().get('/api/v1/chair/schedule?from=2041-01-01&to=2041-12-31')).json.items;
  assert.deepEqual(sched.map((t) => t.organization.id), ['ilo', 'unfpa', 'ilo']);
  assert.equal((await admin.del(`/api/v1/chair/overrides/${ov.json.id}`)).status, 204);
  assert.equal((await anon().get('/api/v1/chair?date=2041-04-01')).json.organization.id, 'ilo');
  assert.equal((await anon().get('/api/v1/chair/rotations')).json.items[0].starts_on, '2040-01-01');

  // A later plan: previewed (nothing saved), added with upper-case ids, then withdrawn.
  // (Under the 2040 plan, 2045 is UNHCR's year.)
  const later = { starts_on: '2045-01-01', term_months: 6, order: ['IOM', ' Unhcr '] };
  const preview = await admin.post('/api/v1/chair/rotations/preview?from=2045-01-01&to=2045-12-31', later);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(preview.json.items.map((t) => t.organization.id), ['iom', 'unhcr']);
  assert.equal((await anon().get('/api/v1/chair?date=2045-02-01')).json.organization.id, 'unhcr');
  assert.equal((await sec.post('/api/v1/chair/rotations/preview', later)).status, 403);
  const added = await admin.post('/api/v1/chair/rotations', later);
  assert.equal(added.status, 201, added.text);
  assert.deepEqual(added.json.order, ['iom', 'unhcr']);
  assert.equal((await anon().get('/api/v1/chair?date=2045-02-01')).json.organization.id, 'iom');
  assert.equal((await sec.del(`/api/v1/chair/rotations/${added.json.id}`)).status, 403);
  const withdrawn = await admin.del(`/api/v1/chair/rotations/${added.json.id}`);
  assert.equal(withdrawn.status, 200, withdrawn.text);
  assert.ok(withdrawn.json.withdrawn_at);
  assert.equal((await admin.del(`/api/v1/chair/rotations/${added.json.id}`)).status, 409);
  assert.equal((await anon().get('/api/v1/chair?date=2045-02-01')).json.organization.id, 'unhcr');
  const started = (await anon().get('/api/v1/chair/rotations')).json.items.find((r) => r.starts_on < '2026-01-01');
  assert.equal((await admin.del(`/api/v1/chair/rotations/${started.id}`)).status, 409);
  const audit = (await admin.get(`/api/v1/audit?entity=chair_rotation&entity_id=${added.json.id}`)).json.items;
  assert.deepEqual(audit.map((e) => e.action).sort(), ['create', 'withdraw']);
});

test('users: admin manages them; others get 403; deactivation ends access', async () => {
  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const fp = await as(FP_IOM);
  assert.equal((await fp.get('/api/v1/users')).status, 403);
  assert.equal((await fp.post('/api/v1/users', { email: 'a@b.org', name: 'A', role: 'admin', password: 'long-password-1' })).status, 403);
  const created = await admin.post('/api/v1/users', { email: 'new.fp@unodc.org', name: 'New FP', role: 'focal_point', organization_id: 'unodc', password: 'unodc-focal-pw' });
  assert.equal(created.status, 201, created.text);
  const list = await admin.get('/api/v1/users?limit=2');
  assert.equal(list.json.items.length, 2);
  assert.ok(list.json.next_cursor);
  const u = await as({ email: 'new.fp@unodc.org', password: 'unodc-focal-pw' });
  const role = await admin.patch(`/api/v1/users/${created.json.id}`, { role: 'member' }, { headers: { 'if-match': created.headers.get('etag') } });
  assert.equal(role.status, 200);
  assert.equal(role.json.role, 'member');
  assert.equal((await u.get('/api/v1/session')).status, 401, 'a role change ends existing sessions');
  assert.equal((await admin.del(`/api/v1/users/${created.json.id}`)).status, 204);
  assert.equal((await anon().post('/api/v1/session', { email: 'new.fp@unodc.org', password: 'unodc-focal-pw' })).status, 401);
});

test('API tokens: create, use as Bearer without CSRF, list without secret, revoke', async () => {
  const fp = await as(FP_IOM);
  const created = await fp.post('/api/v1/tokens', { name: 'nightly sync', expires_in_days: 30 });
  assert.equal(created.status, 201);
  assert.match(created.json.token, /^gmg_/);
  const script = new Client(server.url);
  script.bearer = created.json.token;
  assert.equal((await script.get('/api/v1/session')).json.user.email, FP_IOM.email);
  const iom = await script.get('/api/v1/organizations/iom');
  const w = await script.patch('/api/v1/organizations/iom', { website: 'https://www.iom.int/' }, { headers: { 'if-match': iom.headers.get('etag') } });
  assert.equal(w.status, 200, w.text);
  const listed = await fp.get('/api/v1/tokens');
  assert.equal(listed.json.items[0].name, 'nightly sync');
  assert.equal(listed.json.items[0].token, undefined);
  assert.equal((await fp.del(`/api/v1/tokens/${created.json.id}`)).status, 204);
  assert.equal((await script.get('/api/v1/session')).status, 401);
  const bogus = new Client(server.url);
  bogus.bearer = 'gmg_not-a-token';
  assert.equal((await bogus.get('/api/v1/organizations')).status, 401);
});

test('audit log: every write with before/after, readable by admin and secretariat only', async () => {
  const sec = await as(SECRETARIAT);
  const fp = await as(FP_IOM);
  assert.equal((await fp.get('/api/v1/audit')).status, 403);
  assert.equal((await anon().get('/api/v1/audit')).status, 401);
  const log = await sec.get('/api/v1/audit?entity=organization&entity_id=iom');
  assert.equal(log.status, 200);
  const update = log.json.items.find((e) => e.action === 'update');
  assert.ok(update, 'the focal point\'s edit is in the log');
  assert.equal(update.actor.email, FP_IOM.email);
  assert.notEqual(update.before.mandate, undefined);
  assert.notEqual(update.after.mandate, undefined);
  const page = await sec.get('/api/v1/audit?limit=2');
  assert.equal(page.json.items.length, 2);
  const next = await sec.get(`/api/v1/audit?limit=2&cursor=${page.json.next_cursor}`);
  assert.ok(next.json.items[0].id < page.json.items[1].id + 1);
  // The whole log, as the secretariat reads it, names no password hash.
  let cursor = null;
  for (let pages = 0; pages < 100; pages++) {
    const all = await sec.get(`/api/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.doesNotMatch(all.text, /password_hash|argon2/);
    cursor = all.json.next_cursor;
    if (!cursor) break;
  }
  assert.equal(cursor, null);
});

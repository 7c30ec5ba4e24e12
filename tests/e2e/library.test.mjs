// End-to-end: the knowledge library (issue 13, docs/library.md): items by focal points (own
// organisation only) and the secretariat, search with BM25 ranking, snippets and facets,
// stemming, best practices through review (never by their submitter), files typed by content
// and stored once per hash, safe downloads, bad input refused, demo data. Runs on SQLite, and
// on PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg } from '../lib/server.mjs';

let server;
const SEC = { email: 'sec@gmg.example', name: 'Secretariat', role: 'secretariat', password: 'secretariat-pw-123' };
const SEC2 = { email: 'sec2@gmg.example', name: 'Secretariat 2', role: 'secretariat', password: 'secretariat-pw-456' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-point-pw' };
const PDF = '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n';

before(async () => {
  server = await startServer();
  for (const u of [SEC, SEC2, FP_IOM, FP_UNHCR]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const item = (extra) => ({ kind: 'publication', title: 'Remittance corridors in Central America', year: 2021, language: 'en',
  authors: ['Ana Pérez'], countries: ['GTM', 'MEX'], abstract: 'How remittances reach households.', ...extra });
const put = (c, p, body) => c.request('PUT', p, { body });

test('library: a focal point adds for its own organisation; search ranks, marks and counts', async () => {
  const fp = await as(FP_IOM);
  const made = await fp.post('/api/v1/library/items', item());
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.status, 'published');
  assert.equal(made.json.organization_id, 'iom');
  assert.equal(made.headers.get('location'), made.json.href);
  const other = await fp.post('/api/v1/library/items', item({ title: 'Labour markets', abstract: 'Remittances appear once among wages, contracts, recruitment and employment.', countries: ['PHL'] }));
  assert.equal(other.status, 201, other.text);
  assert.equal((await fp.post('/api/v1/library/items', item({ organization_id: 'unhcr' }))).status, 403);
  assert.equal((await anon().post('/api/v1/library/items', item())).status, 401);

  const r = await anon().get('/api/v1/library/items?q=remittance');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 2);
  assert.equal(r.json.items[0].id, made.json.id);
  assert.ok(r.json.items[0].score < r.json.items[1].score);
  assert.match(r.json.items[0].title_html, /<mark>Remittance<\/mark>/);
  assert.match(r.json.items[1].snippet_html, /<mark>Remittances<\/mark>/);
  assert.deepEqual(r.json.facets.country.find((f) => f.value === 'GTM'), { value: 'GTM', count: 1 });
  assert.deepEqual(r.json.facets.kind, [{ value: 'publication', count: 2 }]);
  const filtered = await anon().get('/api/v1/library/items?q=remittances&country=PHL');
  assert.equal(filtered.json.total, 1);
  assert.equal(filtered.json.items[0].id, other.json.id);
  assert.equal((await anon().get('/api/v1/library/items?limit=1000')).status, 400);
});

test('library: stemming in English, French and Spanish', async () => {
  const sec = await as(SEC);
  for (const [title, language] of [['Protection des réfugiés au Sahel', 'fr'], ['Derechos de los trabajadores migrantes', 'es'], ['Recruiting seasonal workers', 'en']]) {
    const r = await sec.post('/api/v1/library/items', item({ title, language, organization_id: 'unhcr', abstract: '' }));
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await anon().get('/api/v1/library/items?q=refugies')).json.total, 1);
  assert.equal((await anon().get('/api/v1/library/items?q=trabajador')).json.total, 1);
  assert.equal((await anon().get('/api/v1/library/items?q=recruited%20seasonal')).json.total, 1);
});

test('library: edit and withdraw by the owner or the secretariat; another agency gets 403', async () => {
  const fp = await as(FP_IOM);
  const other = await as(FP_UNHCR);
  const made = (await fp.post('/api/v1/library/items', item({ title: 'Ours to edit' }))).json;
  assert.equal((await put(other, made.href, item({ title: 'Taken' }))).status, 403);
  assert.equal((await other.post(`${made.href}/withdraw`)).status, 403);
  const edited = await put(fp, made.href, item({ title: 'Ours, edited' }));
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.version, 2);
  const stale = await fp.request('PUT', made.href, { body: item(), headers: { 'if-match': '"v1"' } });
  assert.equal(stale.status, 412);
  const sec = await as(SEC);
  assert.equal((await sec.post(`${made.href}/withdraw`)).status, 200);
  assert.equal((await anon().get(made.href)).status, 404);
  assert.equal((await fp.get(made.href)).json.status, 'withdrawn');
});

test('library: best practices are reviewed, never by their submitter; hidden until published', async () => {
  const sec = await as(SEC);
  const sec2 = await as(SEC2);
  const fp = await as(FP_IOM);
  const other = await as(FP_UNHCR);
  const bp = await sec.post('/api/v1/library/items', item({ kind: 'best_practice', title: 'Good practice: one-stop migrant centres', organization_id: 'iom' }));
  assert.equal(bp.status, 201, bp.text);
  assert.equal(bp.json.status, 'in_review');
  const href = bp.json.href;
  assert.equal((await anon().get(href)).status, 404);
  assert.equal((await other.get(href)).status, 404);
  assert.equal((await fp.get(href)).status, 200);
  assert.equal((await anon().get('/api/v1/library/items?q=centres')).json.total, 0);
  const queue = await sec2.get('/api/v1/library/review-queue');
  assert.equal(queue.status, 200);
  assert.ok(queue.json.items.some((i) => i.id === bp.json.id));
  assert.equal((await fp.get('/api/v1/library/review-queue')).json.total, 0);

  const own = await sec.post(`${href}/review`, { decision: 'approve' });
  assert.equal(own.status, 403, own.text);
  assert.equal(own.json.error.details[0].rule, 'own_submission');
  assert.equal((await fp.post(`${href}/review`, { decision: 'approve' })).status, 403);
  const noReason = await sec2.post(`${href}/review`, { decision: 'reject' });
  assert.equal(noReason.status, 422);
  assert.equal(noReason.json.error.details[0].field, 'reason');
  assert.equal((await anon().get(href)).status, 404);  // nothing changed
  const approved = await sec2.post(`${href}/review`, { decision: 'approve' });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.status, 'published');
  assert.equal((await anon().get(href)).status, 200);
  assert.equal((await sec2.post(`${href}/review`, { decision: 'approve' })).status, 409);

  // A designated reviewer (not staff) reviews too.
  const { id } = await new Client(server.url).signIn(FP_UNHCR.email, FP_UNHCR.password);
  assert.equal((await fp.request('PUT', `/api/v1/library/reviewers/${id}`)).status, 403);
  assert.equal((await sec.request('PUT', `/api/v1/library/reviewers/${id}`)).status, 204);
  const second = (await fp.post('/api/v1/library/items', item({ kind: 'best_practice', title: 'Good practice: pre-departure training' }))).json;
  // Calling it a publication does not skip the review.
  const skip = await put(fp, second.href, item({ kind: 'publication', title: 'Good practice: pre-departure training' }));
  assert.equal(skip.status, 422, skip.text);
  assert.equal(skip.json.error.details[0].rule, 'invalid_transition');
  assert.equal((await anon().get(second.href)).status, 404);
  const self = await new Client(server.url).signIn(FP_IOM.email, FP_IOM.password);
  assert.equal((await sec.request('PUT', `/api/v1/library/reviewers/${self.id}`)).status, 204);
  const ownReview = await fp.post(`${second.href}/review`, { decision: 'approve' });
  assert.equal(ownReview.status, 403, ownReview.text);
  assert.equal(ownReview.json.error.details[0].rule, 'own_submission');
  const rejected = await other.post(`${second.href}/review`, { decision: 'reject', reason: 'Add the evaluation.' });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.json.reject_reason, 'Add the evaluation.');
});

test('library: files typed by content, stored once, downloaded under a safe name', async () => {
  const fp = await as(FP_IOM);
  const up = await fp.request('POST', '/api/v1/library/files?file_name=report.pdf', { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.media_type, 'application/pdf');
  const again = await fp.request('POST', '/api/v1/library/files?file_name=copy.pdf', { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  assert.equal(again.status, 200);
  assert.equal(again.json.sha256, up.json.sha256);
  assert.equal(again.json.existed, true);
  const fake = await fp.request('POST', '/api/v1/library/files?file_name=report.pdf', { raw: 'plain text pretending\n', headers: { 'content-type': 'application/pdf' } });
  assert.equal(fake.status, 422, fake.text);
  assert.equal(fake.json.error.details[0].rule, 'content_mismatch');
  const exe = await fp.request('POST', '/api/v1/library/files?file_name=setup.exe', { raw: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(exe.status, 422);
  const huge = await fp.request('POST', '/api/v1/library/files?file_name=big.txt', { raw: Buffer.alloc(21 * 1024 * 1024, 0x61), headers: { 'content-type': 'text/plain' } });
  assert.equal(huge.status, 413);

  // Another organisation neither attaches IOM's file by its hash nor learns that IOM holds it.
  const unhcr = await as(FP_UNHCR);
  const stolen = await unhcr.post('/api/v1/library/items', item({ title: 'Not ours', file_sha256: up.json.sha256 }));
  assert.equal(stolen.status, 422, stolen.text);
  assert.equal(stolen.json.error.details[0].rule, 'unknown_file');
  const theirs = await unhcr.request('POST', '/api/v1/library/files?file_name=same.pdf', { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  assert.equal(theirs.json.existed, false, theirs.text);
  assert.equal((await unhcr.post('/api/v1/library/items', item({ title: 'Ours now', file_sha256: up.json.sha256 }))).status, 201);

  const broken = await fp.post('/api/v1/library/items', item({ title: 'With a broken name', file_sha256: up.json.sha256, file_name: 'Report\r\nSet-Cookie: x.pdf' }));
  assert.equal(broken.status, 422, broken.text);
  assert.deepEqual(broken.json.error.details.map((d) => `${d.field}:${d.rule}`), ['file_name:control_characters']);
  const made = await fp.post('/api/v1/library/items', item({ title: 'With a file', file_sha256: up.json.sha256, file_name: 'Report "final".pdf' }));
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.submitted_by > 0, true, 'its focal point sees who submitted it');
  const read = await anon().get(made.json.href);
  assert.equal(read.json.submitted_by, null, 'an anonymous reader does not');
  assert.equal(made.json.file.media_type, 'application/pdf');
  const dl = await anon().get(`${made.json.href}/file`);
  assert.equal(dl.status, 200);
  assert.equal(dl.text, PDF);
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="Report final\.pdf"/);
});

test('library: bad input is refused with every rule, nothing stored', async () => {
  const fp = await as(FP_IOM);
  const before = (await anon().get('/api/v1/library/items')).json.total;
  const r = await fp.post('/api/v1/library/items', item({ kind: 'novel', year: 2024, language: 'xx1', countries: ['ZZZ'], themes: ['astrology'], organizations: ['nobody'], url: 'javascript:alert(1)', file_sha256: 'f'.repeat(64) }));
  assert.equal(r.status, 422, r.text);
  const rules = r.json.error.details.map((d) => `${d.field}:${d.rule}`);
  for (const want of ['kind:not_in_list', 'language:invalid_language', 'countries:unknown_country', 'themes:unknown_theme', 'organizations:unknown_organization', 'url:invalid_url', 'file_sha256:unknown_file']) {
    assert.ok(rules.includes(want), `${want} in ${rules}`);
  }
  assert.equal((await fp.post('/api/v1/library/items', item({ year: 1200 }))).status, 400);
  assert.equal((await anon().get('/api/v1/library/items')).json.total, before);
});

test('library demo: a dozen labelled items of each kind, one best practice in review, loaded once', async () => {
  const demo = await startServer();
  try {
    const r = runGmg(['demo', 'load', '--db', demo.db]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const c = new Client(demo.url);
    const all = await c.get('/api/v1/library/items?limit=100');
    assert.equal(all.status, 200, all.text);
    assert.ok(all.json.items.every((i) => i.title.startsWith('Demo:')));
    const kinds = Object.fromEntries(all.json.facets.kind.map((f) => [f.value, f.count]));
    assert.deepEqual(kinds, { best_practice: 11, policy_brief: 12, publication: 12, research_finding: 12, training_material: 12 });
    assert.ok(all.json.facets.theme.length >= 2);
    assert.equal(runGmg(['demo', 'load', '--db', demo.db]).status, 0);
    assert.equal((await c.get('/api/v1/library/items?limit=1')).json.total, all.json.total);
    addUser(demo.db, SEC);
    const sec = new Client(demo.url);
    await sec.signIn(SEC.email, SEC.password);
    assert.equal((await sec.get('/api/v1/library/review-queue')).json.total, 1);
  } finally {
    await demo.stop();
  }
});

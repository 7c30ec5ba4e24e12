// End-to-end: the statistics JSON API (issue 11) with the real UN DESA and UNHCR tables of
// ../shared/reference/migration: upload with inference (dry run → confirm the structure with
// PUT → upload), browse, chart data, Excel, history; who may upload; CSRF; a rejected upload
// leaves the data as it was. Both engines (GMG_TEST_ENGINE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const REFERENCE = new URL('../../../shared/reference/migration/', import.meta.url);
const DESA_FILE = 'UN_MigrantStockByOriginAndDestination_2019_clean.csv';
const UNHCR_FILE = 'unhcr_2020.csv';
const DESA = readFileSync(new URL(DESA_FILE, REFERENCE));
const UNHCR = readFileSync(new URL(UNHCR_FILE, REFERENCE));

const DESA_MEMBER = { email: 'stats@un.org', name: 'DESA statistician', role: 'member', org: 'undesa', password: 'desa-member-pw-1' };
const UNHCR_FP = { email: 'fp@unhcr.org', name: 'UNHCR focal point', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-pw-1' };
const IOM_MEMBER = { email: 'staff@iom.int', name: 'IOM staff', role: 'member', org: 'iom', password: 'iom-member-pw-12' };

let server;
before(async () => {
  server = await startServer();
  for (const u of [DESA_MEMBER, UNHCR_FP, IOM_MEMBER]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const admin = () => as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
const upload = (c, flow, body, q = '', headers = {}) => c.request('POST', `/api/v1/stats/flows/${flow}/uploads${q}`,
  { raw: body, headers: { 'content-type': 'text/csv', ...headers } });
const put = (c, flow, body, headers = {}) => c.request('PUT', `/api/v1/stats/flows/${flow}`, { body, headers });
const problemsOf = (r) => JSON.stringify(r.json?.problems?.slice(0, 5) ?? r.text.slice(0, 300));

// The codes of a dimension, from a flow's structure.
function codesOf(flow, dim) {
  const d = flow.structure.dimensions.find((x) => x.id === dim);
  assert.ok(d, `dimension ${dim} in ${flow.structure.dimensions.map((x) => x.id)}`);
  return flow.structure.codelists.find((cl) => cl.id === d.codelist).codes;
}
// A v1.5 key fixing some dimensions ({REF_AREA: 'DEU'}), the others open.
const keyOf = (flow, fixed) => flow.structure.dimensions.map((d) => fixed[d.id] ?? '').join('.');

test('UN DESA wide table: inferred (dry run), confirmed with PUT, then uploaded; browse and provenance', async () => {
  const desa = await as(DESA_MEMBER);
  const dry = await upload(desa, 'UNDESA/MIGRANT_STOCK', DESA, `?infer=1&dry_run=1&file_name=${DESA_FILE}`);
  assert.equal(dry.status, 200, dry.text.slice(0, 500));
  assert.equal(dry.json.applied, false, 'a dry run stores nothing');
  assert.equal(dry.json.release, null);
  assert.equal(dry.json.problem_count, 0, problemsOf(dry));
  const inference = dry.json.inference;
  assert.ok(inference, 'the inference is shown for confirmation');
  const dims = inference.structure.dimensions.map((d) => d.id);
  assert.ok(dims.includes('REF_AREA') && dims.includes('COUNTERPART_AREA'), dims.join(','));
  assert.ok(inference.preview_observations > 100000, `${inference.preview_observations} observations`);
  assert.ok(Array.isArray(inference.notes));
  assert.equal((await anon().get('/api/v1/stats/flows/UNDESA/MIGRANT_STOCK')).status, 404, 'nothing stored');

  const saved = await put(desa, 'UNDESA/MIGRANT_STOCK', {
    name: 'International migrant stock by origin and destination',
    description: 'UN DESA, International Migrant Stock 2019 (public table)',
    structure: inference.structure, mapping: inference.mapping,
  });
  assert.equal(saved.status, 200, saved.text.slice(0, 500));
  assert.ok(saved.json.mapping, 'the mapping is kept for later uploads');
  assert.deepEqual(saved.json.releases, []);

  const applied = await upload(desa, 'UNDESA/MIGRANT_STOCK', DESA, `?file_name=${DESA_FILE}&note=First%20upload`);
  assert.equal(applied.status, 200, applied.text.slice(0, 500));
  assert.equal(applied.json.applied, true, problemsOf(applied));
  assert.equal(applied.json.release.number, 1);
  assert.equal(applied.json.observations, inference.preview_observations);

  const list = await anon().get('/api/v1/stats/flows');
  assert.equal(list.status, 200);
  const item = list.json.items.find((f) => f.agency === 'UNDESA' && f.id === 'MIGRANT_STOCK');
  assert.ok(item, 'listed');
  assert.equal(item.provider, 'undesa');
  assert.ok(item.observations > 100000 && item.series > 1000, `${item.observations} obs, ${item.series} series`);
  assert.equal(item.first_period, '1990');
  assert.equal(item.last_period, '2019');
  assert.equal(item.current.number, 1);
  assert.match(item.updated_at, /^\d{4}-\d\d-\d\dT/);

  const flow = (await anon().get('/api/v1/stats/flows/UNDESA/MIGRANT_STOCK')).json;
  assert.equal(flow.releases.length, 1);
  const [release] = flow.releases;
  assert.equal(release.file_name, DESA_FILE);
  assert.match(release.sha256, /^[0-9a-f]{64}$/);
  assert.equal(release.user_name, DESA_MEMBER.name);
  assert.equal(release.note, 'First upload');
  assert.equal(release.status, 'current');
  assert.match(release.created_at, /Z$/);
});

test('UNHCR long table: inferred and applied in one step; MEASURE from the two value columns', async () => {
  const fp = await as(UNHCR_FP);
  const r = await upload(fp, 'UNHCR/REFUGEES', UNHCR, `?infer=1&name=Refugees%20and%20asylum-seekers&file_name=${UNHCR_FILE}`);
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.equal(r.json.applied, true, problemsOf(r));
  assert.ok(r.json.observations > 150000, `${r.json.observations}`);
  const flow = (await anon().get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  assert.equal(flow.name, 'Refugees and asylum-seekers');
  const measures = codesOf(flow, 'MEASURE').map((c) => c.id);
  assert.ok(measures.includes('REFUGEES') && measures.includes('ASYLUM_SEEKERS'), measures.join(','));
});

test('chart data: periods once, values aligned; lastN, periods, aggregates; Excel download', async () => {
  const c = anon();
  const flow = (await c.get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  const germany = codesOf(flow, 'REF_AREA').find((x) => x.name === 'Germany');
  const key = keyOf(flow, { REF_AREA: germany.id, MEASURE: 'REFUGEES' });
  const base = `/api/v1/stats/flows/UNHCR/REFUGEES/data?key=${encodeURIComponent(key)}`;
  const r = await c.get(`${base}&startPeriod=2010`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const d = r.json;
  assert.ok(d.periods.length >= 10 && d.periods.every((p) => p >= '2010'), d.periods.join(','));
  assert.deepEqual([...d.periods].sort(), d.periods, 'chronological');
  assert.ok(d.series.length > 20, `${d.series.length} origins`);
  for (const s of d.series) {
    assert.equal(s.values.length, d.periods.length);
    assert.equal(s.key.length, flow.structure.dimensions.length);
    assert.equal(s.names.length, s.key.length);
    assert.equal(s.derived, false);
  }
  const refArea = d.dimensions.find((x) => x.id === 'REF_AREA');
  assert.deepEqual(refArea.values, [{ id: germany.id, name: 'Germany' }]);
  const counted = d.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  assert.equal(d.observations, counted);

  const last = (await c.get(`${base}&lastN=2`)).json;
  assert.ok(last.series.length > 0);
  for (const s of last.series) {
    const kept = s.values.filter((v) => v !== null).length;
    assert.ok(kept >= 1 && kept <= 2, `lastN=2 keeps at most two per series: ${kept}`);
  }

  const agg = await c.get(`/api/v1/stats/flows/UNHCR/REFUGEES/data?key=${encodeURIComponent(keyOf(flow, { MEASURE: 'REFUGEES' }))}&aggregate=region&lastN=1&startPeriod=2019`);
  assert.equal(agg.status, 200, agg.text.slice(0, 300));
  assert.ok(agg.json.series.some((s) => s.derived), 'regional aggregates are marked derived');

  const none = await c.get(`${base}&startPeriod=1950&endPeriod=1960`);
  assert.equal(none.status, 200, 'no observation matches: an empty chart, not an error');
  assert.deepEqual(none.json.series, []);

  const xlsx = await fetch(`${server.url}${base.replace('/data?', '/data.xlsx?')}&startPeriod=2018`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip (xlsx) file');

  for (const bad of [`${base}&startPeriod=soon`, `${base}&lastN=0`, '/api/v1/stats/flows/UNHCR/REFUGEES/data?key=A.B.C.D.E.F.G',
    `${base}&aggregate=galaxy`, `/api/v1/stats/flows/UNHCR/REFUGEES/data?key=${'A+'.repeat(5000)}A`]) {
    const b = await c.get(bad);
    assert.equal(b.status, 400, `${bad.slice(0, 120)}: ${b.text.slice(0, 200)}`);
    assert.ok(b.json?.error, 'the JSON error shape');
  }
  assert.equal((await c.get('/api/v1/stats/flows/UNHCR/NOTHING/data')).status, 404);
  assert.equal((await c.get('/api/v1/stats/flows/UNHCR/NOTHING')).status, 404);
});

test('who may upload: anonymous 401, another agency 403, cookie writes need the CSRF token', async () => {
  const small = 'Year,Dest,Afghanistan\n2019,France,1\n';
  const noone = await upload(anon(), 'UNDESA/MIGRANT_STOCK', small);
  assert.equal(noone.status, 401);
  const iom = await as(IOM_MEMBER);
  assert.equal((await upload(iom, 'UNDESA/MIGRANT_STOCK', small)).status, 403, "another organisation's dataflow");
  const structure = {
    id: 'DSD_X', dimensions: [{ id: 'REF_AREA', name: 'Area', codelist: 'CL_AREA' }],
    codelists: [{ id: 'CL_AREA', name: 'Areas', codes: [{ id: 'BF', name: 'Burkina Faso' }] }],
  };
  assert.equal((await put(iom, 'UNHCR/ANOTHER', { name: 'x', structure })).status, 403, "another agency's name");
  assert.equal((await iom.del('/api/v1/stats/flows/UNDESA/MIGRANT_STOCK')).status, 403, 'deleting is for admins');
  const desa = await as(DESA_MEMBER);
  const noCsrf = await upload(desa, 'UNDESA/MIGRANT_STOCK', small, '', { 'x-csrf-token': 'wrong' });
  assert.equal(noCsrf.status, 403, 'a cookie write without the CSRF token');
  const flow = (await anon().get('/api/v1/stats/flows/UNDESA/MIGRANT_STOCK')).json;
  assert.equal(flow.releases.length, 1, 'no refused upload made a release');
});

test('a rejected upload leaves the data unchanged; a re-upload keeps the previous release in history', async () => {
  const fp = await as(UNHCR_FP);
  const before = (await anon().get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  const broken = `year,orig,dest,refugees,asylum_seekers\n2020,SYR,DEU,12,3\n2020,SYR,ATLANTIS,5,1\n2020,SYR,FRA,many,2\n`;
  const r = await upload(fp, 'UNHCR/REFUGEES', broken, '?file_name=broken.csv');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.applied, false);
  assert.ok(r.json.problem_count >= 2, problemsOf(r));
  for (const p of r.json.problems) {
    assert.ok(p.line >= 3, `line named: ${JSON.stringify(p)}`);
    assert.ok(p.column, `column named: ${JSON.stringify(p)}`);
    assert.ok(p.rule && p.message);
  }
  const binary = await upload(fp, 'UNHCR/REFUGEES', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]), '?file_name=x.png');
  assert.equal(binary.status, 400, binary.text.slice(0, 300));
  const empty = await upload(fp, 'UNHCR/REFUGEES', '');
  assert.equal(empty.status, 400);
  // The release's note and file name arrive as query parameters: checked like a JSON body's text.
  const control = await upload(fp, 'UNHCR/REFUGEES', UNHCR, `?file_name=${UNHCR_FILE}&note=a%01b`);
  assert.equal(control.status, 422, control.text.slice(0, 300));
  assert.equal(control.json.error.details[0].field, 'note');
  assert.equal(control.json.error.details[0].rule, 'control_characters');
  const badUtf8 = await upload(fp, 'UNHCR/REFUGEES', UNHCR, '?file_name=%C3%28.csv');
  assert.equal(badUtf8.status, 422, badUtf8.text.slice(0, 300));
  assert.equal(badUtf8.json.error.details[0].rule, 'not_utf8');
  const afterwards = (await anon().get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  assert.equal(afterwards.observations, before.observations);
  assert.deepEqual(afterwards.releases.map((x) => x.number), before.releases.map((x) => x.number));

  const again = await upload(fp, 'UNHCR/REFUGEES', UNHCR, `?file_name=${UNHCR_FILE}&note=Re-upload`);
  assert.equal(again.status, 200, again.text.slice(0, 300));
  assert.equal(again.json.applied, true, problemsOf(again));
  assert.equal(again.json.release.number, 2);
  assert.equal(again.json.added + again.json.replaced + again.json.deleted, 0, 'the same file changes nothing');
  const flow = (await anon().get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  assert.deepEqual(flow.releases.map((x) => [x.number, x.status]), [[2, 'current'], [1, 'superseded']]);
  const germany = codesOf(flow, 'REF_AREA').find((x) => x.name === 'Germany');
  const key = encodeURIComponent(keyOf(flow, { REF_AREA: germany.id }));
  const now = (await anon().get(`/api/v1/stats/flows/UNHCR/REFUGEES/data?key=${key}&startPeriod=2019`)).json;
  const then = (await anon().get(`/api/v1/stats/flows/UNHCR/REFUGEES/data?key=${key}&startPeriod=2019&release=1`)).json;
  assert.deepEqual(then.series, now.series, 'release 1 is still readable');
  assert.equal((await anon().get(`/api/v1/stats/flows/UNHCR/REFUGEES/data?release=9`)).status, 404);
});

// The mapping an inferred upload saves accepts the same file again (rows with an empty origin
// included), without inferring anew.
test('a re-upload through the saved mapping accepts what the inferred upload accepted', async () => {
  const fp = await as(UNHCR_FP);
  const r = await upload(fp, 'UNHCR/REFUGEES', UNHCR, `?dry_run=1&file_name=${UNHCR_FILE}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.problem_count, 0, problemsOf(r));
  assert.equal(r.json.applied, false, 'a dry run');
  assert.equal(r.json.inference, null, 'the saved mapping, not a new inference');
});

test('an administrator deletes a dataflow with its history', async () => {
  const a = await admin();
  const structure = {
    id: 'DSD_TMP', dimensions: [{ id: 'REF_AREA', name: 'Area', codelist: 'CL_AREA' }],
    codelists: [{ id: 'CL_AREA', name: 'Areas', codes: [{ id: 'BF', name: 'Burkina Faso' }] }],
  };
  assert.equal((await put(a, 'IOM/TMP', { name: 'Temporary', structure })).status, 200);
  const up = await upload(a, 'IOM/TMP', 'DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nIOM:TMP(1.0),BF,2020,7\n');
  assert.equal(up.json?.applied, true, up.text.slice(0, 300));
  assert.equal((await a.del('/api/v1/stats/flows/IOM/TMP')).status, 204);
  assert.equal((await anon().get('/api/v1/stats/flows/IOM/TMP')).status, 404);
  assert.equal((await anon().get('/sdmx/data/IOM,TMP/all')).status, 404);
});

test('/embed/stats is the one page other sites may frame', async () => {
  const web = mkdtempSync(path.join(tmpdir(), 'gmg-web-'));
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>GMG Hub</title><div id="app"></div>');
  const s = await startServer({ web });
  try {
    const c = new Client(s.url);
    const embed = await c.get('/embed/stats?flow=UNHCR,REFUGEES&chart=line');
    assert.equal(embed.status, 200);
    assert.match(embed.text, /GMG Hub/, "the web app's page");
    assert.equal(embed.headers.get('x-frame-options'), null);
    assert.match(embed.headers.get('content-security-policy'), /frame-ancestors \*/);
    assert.match(embed.headers.get('content-security-policy'), /script-src 'self'/);
    const page = await c.request('HEAD', '/stats');
    assert.equal(page.status, 200, "HEAD of the web app's page");
    assert.equal(page.text, '');
    assert.equal(page.headers.get('etag'), (await c.get('/stats')).headers.get('etag'));
    for (const p of ['/stats', '/embed/stats/more', '/', '/api/v1/stats/flows']) {
      const r = await c.get(p);
      assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, p);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
    }
  } finally {
    await s.stop();
    rmSync(web, { recursive: true, force: true });
  }
});

// End-to-end: the coherence gaps (need from UN DESA and UNHCR figures against the activities
// that cover each place) and the mandate map (stated themes against activities), through the
// API and the CLI. Runs on SQLite, and on PostgreSQL with GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-point-pw' };
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };

const REFERENCE = new URL('../../../shared/reference/migration/', import.meta.url).pathname;

before(async () => {
  server = await startServer();
  addUser(server.db, FP_UNHCR);
  addUser(server.db, FP_IOM);
});

// Need comes from the statistics module's dataflows: load the two public tables the default
// need configuration names, as a statistician would.
function loadStatistics() {
  for (const [file, flow] of [['UN_MigrantStockByOriginAndDestination_2019_clean.csv', 'UNDESA:MIGRANT_STOCK'],
    ['unhcr_2020.csv', 'UNHCR:REFUGEES']]) {
    const r = runGmg(['stats', 'import', REFERENCE + file, '--flow', flow, '--infer', '--db', server.db]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
}

test('gaps: without statistics there is no need, and the answer names the missing indicators', async () => {
  const g = await gaps(anon(), '?level=country');
  assert.equal(g.total, 0);
  assert.deepEqual(g.sources, []);
  assert.ok(g.missing.includes('unhcr_refugees'), JSON.stringify(g.missing));
  loadStatistics();
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const activity = (title, extra) => ({
  organization_id: 'unhcr', titles: title, descriptions: 'Gaps test.', type: 'operational_programme',
  themes: ['refugee-protection'], countries: [], regions: [], status: 2, visibility: 'public', ...extra,
});
async function gaps(client, q = '') {
  const r = await client.get(`/api/v1/coherence/gaps${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const cellOf = (g, theme, area) => g.cells.find((c) => c.theme === theme && c.area === area);

test('gaps: the neediest uncovered places rank first; activities close them; sources are named', async () => {
  const before = await gaps(anon(), '?level=country&theme=refugee-protection&limit=5000');
  assert.equal(before.level, 'country');
  assert.ok(before.total > 150, `cells for most countries, got ${before.total}`);
  assert.deepEqual(before.sources.map((s) => s.id), ['UNDESA:MIGRANT_STOCK', 'UNHCR:REFUGEES']);
  assert.deepEqual(before.missing, []);
  const tr = cellOf(before, 'refugee-protection', 'TR');
  assert.equal(tr.need, 1, 'Türkiye hosts the most refugees (UNHCR 2020)');
  assert.deepEqual(tr.indicators, [
    { id: 'unhcr_refugees', value: 3579531, year: 2020 },
    { id: 'unhcr_asylum_seekers', value: 328257, year: 2020 },
  ]);
  for (let i = 1; i < before.cells.length; i++) assert.ok(before.cells[i - 1].gap >= before.cells[i].gap, 'ranked by gap');
  for (const c of before.cells) assert.ok(c.gap >= 0 && c.gap <= 1 && c.need >= 0 && c.need <= 1);

  const fp = await as(FP_UNHCR);
  for (const a of [
    activity('Protection in Türkiye', { countries: ['TR'] }),
    activity('Asylum systems in Türkiye and Germany', { countries: ['TR', 'DE'] }),
    activity('Eastern Africa protection (own eyes only)', { regions: ['014'], visibility: 'organization' }),
  ]) {
    const r = await fp.post('/api/v1/activities', a);
    assert.equal(r.status, 201, r.text);
  }
  const after = await gaps(anon(), '?level=country&theme=refugee-protection&limit=5000');
  assert.equal(cellOf(after, 'refugee-protection', 'TR').coverage, 2);
  assert.equal(cellOf(after, 'refugee-protection', 'TR').gap, 0, 'covered beyond its fair share');
  assert.equal(cellOf(after, 'refugee-protection', 'KE').weighted_coverage, 0, 'a private activity is not counted for the public');
  const own = await gaps(fp, '?level=country&theme=refugee-protection&limit=5000');
  assert.equal(cellOf(own, 'refugee-protection', 'KE').weighted_coverage, 0.5, 'its own organisation sees it: half, recorded for a region');

  const regions = await gaps(anon(), '?theme=refugee-protection');
  assert.equal(regions.level, 'region');
  assert.deepEqual(regions.cells.map((c) => c.area).sort(), ['002', '009', '019', '142', '150']);
  assert.equal(cellOf(regions, 'refugee-protection', '142').coverage, 2);
  assert.equal(cellOf(regions, 'refugee-protection', '150').coverage, 1);

  const africa = await gaps(anon(), '?level=country&region=002&limit=3');
  assert.equal(africa.cells.length, 3);
  assert.ok(africa.total > 3 * 19);

  const heat = await gaps(anon(), '?limit=5000');
  assert.equal(heat.total, 5 * 19, 'every theme × region');

  for (const [q, field] of [['?level=galaxy', 'level'], ['?region=999', 'region'], ['?theme=astrology', 'theme'], ['?limit=0', 'limit']]) {
    const r = await anon().get(`/api/v1/coherence/gaps${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.error.details[0].field, field);
  }
});

test('mandates: stated themes against activities; only the organisation (or staff) changes them, audited', async () => {
  const r = await anon().get('/api/v1/coherence/mandates');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 10, 'the ten members');
  const unhcr = r.json.items.find((i) => i.organization_id === 'unhcr');
  assert.equal(unhcr.organization_name, 'UNHCR');
  const protection = unhcr.themes.find((t) => t.theme === 'refugee-protection');
  assert.equal(protection.stated, true);
  assert.equal(protection.activities, 2, 'the two public refugee-protection activities');
  assert.equal(protection.countries, 2);
  assert.equal(unhcr.themes.find((t) => t.theme === 'remittances').stated, false);
  assert.deepEqual(r.json.items.find((i) => i.organization_id === 'unodc').themes.filter((t) => t.stated).map((t) => t.theme).sort(), ['smuggling', 'trafficking']);

  const iom = await as(FP_IOM);
  const denied = await iom.request('PUT', '/api/v1/coherence/mandates/unhcr', { body: { themes: ['diaspora'] } });
  assert.equal(denied.status, 403, denied.text);
  assert.equal((await anon().request('PUT', '/api/v1/coherence/mandates/unhcr', { body: { themes: [] } })).status, 401);

  const fp = await as(FP_UNHCR);
  const bad = await fp.request('PUT', '/api/v1/coherence/mandates/unhcr', { body: { themes: ['refugee-protection', 'astrology'] } });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(bad.json.error.details.map((d) => [d.field, d.rule]), [['themes', 'unknown_theme']]);
  const malformed = await fp.request('PUT', '/api/v1/coherence/mandates/unhcr', { body: { themes: 'refugee-protection' } });
  assert.equal(malformed.status, 400, malformed.text);

  const ok = await fp.request('PUT', '/api/v1/coherence/mandates/unhcr', { body: { themes: ['refugee-protection', 'statelessness'] } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.themes.filter((t) => t.stated).map((t) => t.theme).sort(), ['refugee-protection', 'statelessness']);
  const one = await anon().get('/api/v1/coherence/mandates?organization=unhcr&theme=statelessness');
  assert.deepEqual(one.json.items.map((i) => [i.organization_id, i.themes.map((t) => [t.theme, t.stated])]), [['unhcr', [['statelessness', true]]]]);
  assert.equal((await anon().get('/api/v1/coherence/mandates?organization=nobody')).status, 404);

  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const log = await admin.get('/api/v1/audit?entity=coherence_mandate&entity_id=unhcr');
  assert.equal(log.status, 200, log.text);
  assert.equal(log.json.items.length, 1, 'the refused writes left nothing');
  assert.equal(log.json.items[0].action, 'update');
});

test('need: everyone reads which statistics weigh which theme; only an administrator changes it, audited', async () => {
  const r = await anon().get('/api/v1/coherence/need');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.indicators.map((i) => i.id),
    ['undesa_migrant_stock', 'undesa_emigrants', 'unhcr_refugees', 'unhcr_asylum_seekers', 'unhcr_refugees_abroad']);
  for (const i of r.json.indicators) assert.ok(i.countries > 150, `${i.id}: ${i.countries} countries`);
  assert.deepEqual(r.json.missing, []);
  assert.deepEqual(r.json.themes['refugee-protection'], [{ indicator: 'unhcr_refugees', weight: 0.6 }, { indicator: 'unhcr_asylum_seekers', weight: 0.4 }]);

  const config = { indicators: r.json.indicators.map(({ countries, ...i }) => i), themes: r.json.themes };
  const only = { ...config, themes: { ...config.themes, 'refugee-protection': [{ indicator: 'unhcr_asylum_seekers', weight: 1 }] } };
  const fp = await as(FP_UNHCR);
  assert.equal((await fp.request('PUT', '/api/v1/coherence/need', { body: only })).status, 403);
  assert.equal((await anon().request('PUT', '/api/v1/coherence/need', { body: only })).status, 401);
  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  for (const [body, field] of [
    [{ ...config, themes: { remittances: [{ indicator: 'nope', weight: 1 }] } }, 'themes.remittances[0].indicator'],
    [{ ...config, themes: { astrology: [{ indicator: 'undesa_emigrants', weight: 1 }] } }, 'themes.astrology'],
    [{ ...config, themes: { remittances: [{ indicator: 'undesa_emigrants', weight: 0 }] } }, 'themes.remittances[0].weight'],
    [{ indicators: 'all' }, 'indicators'],
  ]) {
    const bad = await admin.request('PUT', '/api/v1/coherence/need', { body });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.details[0].field, field);
  }
  const ok = await admin.request('PUT', '/api/v1/coherence/need', { body: only });
  assert.equal(ok.status, 200, ok.text);
  const tr = cellOf(await gaps(anon(), '?level=country&theme=refugee-protection&limit=5000'), 'refugee-protection', 'TR');
  assert.deepEqual(tr.indicators, [{ id: 'unhcr_asylum_seekers', value: 328257, year: 2020 }]);
  // An indicator pointing at a dataflow nobody loaded: listed as missing, the others still count.
  const ghost = { indicators: [...config.indicators, { id: 'ghost', name: 'Ghost', agency: 'ILO', flow_id: 'NOTHING', area_dimension: 'REF_AREA', filters: {} }], themes: config.themes };
  const withGhost = await admin.request('PUT', '/api/v1/coherence/need', { body: ghost });
  assert.equal(withGhost.status, 200, withGhost.text);
  assert.deepEqual(withGhost.json.missing, ['ghost']);
  assert.equal((await admin.request('PUT', '/api/v1/coherence/need', { body: config })).status, 200);
  const log = await admin.get('/api/v1/audit?entity=coherence_need&entity_id=1');
  assert.equal(log.json.items.length, 3, 'three changes, the refused ones left nothing');
});

test('gmg coherence gaps prints the same cells in the shell', () => {
  const r = runGmg(['coherence', 'gaps', '--db', server.db, '--format', 'json', '--level', 'country', '--theme', 'refugee-protection']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.level, 'country');
  assert.equal(out.cells.find((c) => c.area === 'TR').need, 1);
  const table = runGmg(['coherence', 'gaps', '--db', server.db, '--level', 'region']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /UNHCR/);
});

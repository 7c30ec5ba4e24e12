// End-to-end: the activity map over HTTP and the CLI, against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, addUser, runGmg, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';
import { unzip } from '../lib/matrix.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.GMG_SHARED_DIR || path.resolve(here, '../../../shared');
const example = readFileSync(path.join(shared, 'reference/iati/example-activity-2.03.xml'), 'utf8');
const schema = path.join(shared, 'reference/iati/iati-activities-schema.xsd');

let server;
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-pw-1' };
let watcher;  // the administrator's session that reads what is stored

before(async () => {
  server = await startServer();
  for (const u of [FP_ILO, FP_UNHCR]) addUser(server.db, u);
  watcher = new Client(server.url);
  await watcher.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
});

// What is stored, as the administrator reads it: the activities (private ones included) and
// the audit lines of activity writes and of imports (every write leaves one in its transaction).
async function stored() {
  const total = async (p) => {
    const r = await watcher.get(p);
    assert.equal(r.status, 200, r.text);
    return r.json.total;
  };
  return JSON.stringify({
    activities: await total('/api/v1/activities?limit=1'),
    activity_writes: await total('/api/v1/audit?entity=activity&limit=1'),
    imports: await total('/api/v1/audit?entity=iati_file&limit=1'),
    organizations: await total('/api/v1/organizations?status=all&limit=1'),
  });
}
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const body = (extra = {}) => ({
  organization_id: 'ilo', titles: [{ lang: 'en', text: 'Fair recruitment corridor' }, { lang: 'fr', text: 'Corridor de recrutement équitable' }],
  descriptions: 'Zero recruitment fees for migrant workers between Nepal and Qatar.', type: 'technical_assistance',
  themes: ['labour-migration'], purposes: [4, 9], dimensions: ['labour_rights'], countries: ['NP', 'QA'],
  starts_on: '2021-01-01', ends_on: '2024-12-31', status: 2, budget: { amount: 250000, currency: 'USD' },
  partners: [{ organization_id: 'iom', name: 'IOM', role: 'implementing' }], contact: { name: 'A. Person', email: 'a@ilo.org' },
  links: [{ url: 'https://www.ilo.org/fair-recruitment', title: 'Fair recruitment initiative' }], visibility: 'public', ...extra,
});

test('a focal point records, finds, maps, edits and archives its activity; others get 403', async () => {
  const fp = await as(FP_ILO);
  const created = await fp.post('/api/v1/activities', body());
  assert.equal(created.status, 201, created.text);
  assert.match(created.headers.get('location'), /^\/api\/v1\/activities\/\d+$/);
  const id = created.json.id;
  assert.equal(created.json.organization.acronym, 'ILO');

  const list = await anon().get('/api/v1/activities?country=np&theme=labour-migration');
  assert.equal(list.json.total, 1);
  assert.equal((await anon().get('/api/v1/activities?region=145')).json.total, 1, 'Western Asia includes Qatar');
  assert.equal((await anon().get('/api/v1/activities?region=150')).json.total, 0);
  assert.equal((await anon().get('/api/v1/activities?from=2025-01-01')).json.total, 0);
  const map = await anon().get('/api/v1/activities/map');
  assert.deepEqual(map.json.items.map((i) => i.country).sort(), ['NP', 'QA']);
  assert.equal(map.json.items[0].count, 1);

  const search = await anon().get('/api/v1/search?q=recruiting');
  assert.equal(search.status, 200);
  assert.equal(search.json.total, 1, 'stemming: recruiting ~ recruitment');
  assert.match(search.json.items[0].title_html, /<mark>/);
  assert.equal(search.json.facets.organization.ilo, 1);

  const unhcr = await as(FP_UNHCR);
  const one = await unhcr.get(`/api/v1/activities/${id}`);
  assert.equal((await unhcr.patch(`/api/v1/activities/${id}`, { status: 3 }, { headers: { 'if-match': one.headers.get('etag') } })).status, 403);
  assert.equal((await unhcr.post('/api/v1/activities', body())).status, 403);
  assert.equal((await unhcr.del(`/api/v1/activities/${id}`)).status, 403);

  const edited = await fp.patch(`/api/v1/activities/${id}`, { status: 3, themes: ['labour-migration', 'human-rights'] }, { headers: { 'if-match': created.headers.get('etag') } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.status_name, 'finalisation');
  assert.equal(edited.json.titles.length, 2, 'fields not sent are kept');
  assert.equal((await fp.patch(`/api/v1/activities/${id}`, { status: 4 }, { headers: { 'if-match': created.headers.get('etag') } })).status, 412);

  const log = await (await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).get(`/api/v1/audit?entity=activity&entity_id=${id}`);
  assert.deepEqual(log.json.items.map((e) => e.action), ['update', 'create']);

  assert.equal((await fp.del(`/api/v1/activities/${id}`)).status, 204);
  assert.equal((await anon().get(`/api/v1/activities/${id}`)).status, 404);
  assert.equal((await anon().get('/api/v1/search?q=recruitment')).json.total, 0);
});

test('search reads names of places and themes, in several languages, as filters and says so', async () => {
  const fp = await as(FP_ILO);
  const nigeria = await fp.post('/api/v1/activities', body({ titles: 'Cheaper transfers home', descriptions: 'Digital channels for migrant workers.', themes: ['remittances'], countries: ['NG'], starts_on: null, ends_on: null }));
  assert.equal(nigeria.status, 201, nigeria.text);
  const elsewhere = await fp.post('/api/v1/activities', body({ titles: 'Cheaper transfers to Asia', descriptions: 'Digital channels.', themes: ['remittances'], countries: ['NP'], starts_on: null, ends_on: null }));
  assert.equal(elsewhere.status, 201, elsewhere.text);
  try {
    // Neither word is in the texts: before, nothing was found and nothing said why.
    const r = await anon().get('/api/v1/search?q=remittances+africa');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.interpreted, [{ words: 'remittances', filter: 'theme', code: 'remittances' }, { words: 'africa', filter: 'region', code: '002' }]);
    assert.equal(r.json.text, '');
    assert.deepEqual(r.json.items.map((i) => i.activity.id), [nigeria.json.id]);
    // In French and Spanish, with the other words still searched as text.
    const fr = await anon().get(`/api/v1/search?q=${encodeURIComponent('transfers envois de fonds Afrique de l’Ouest')}`);
    assert.deepEqual(fr.json.interpreted.map((t) => t.code), ['remittances', '011']);
    assert.equal(fr.json.text, 'transfers');
    assert.deepEqual(fr.json.items.map((i) => i.activity.id), [nigeria.json.id]);
    assert.match(fr.json.items[0].title_html, /<mark>/);
    const es = await anon().get(`/api/v1/search?q=${encodeURIComponent('remesas Nepal')}`);
    assert.deepEqual(es.json.items.map((i) => i.activity.id), [elsewhere.json.id]);
    // ?literal=1 searches the words as typed.
    const literal = await anon().get('/api/v1/search?q=remittances+africa&literal=1');
    assert.deepEqual(literal.json.interpreted, []);
    assert.equal(literal.json.total, 0);
  } finally {
    for (const a of [nigeria, elsewhere]) assert.equal((await fp.del(`/api/v1/activities/${a.json.id}`)).status, 204);
  }
});

test('bad activities get 400/422 naming the field and change nothing', async () => {
  const fp = await as(FP_ILO);
  const before = await stored();
  const cases = [
    [body({ ends_on: '2020-01-01' }), 422, 'ends_on'],
    [body({ countries: ['XX'] }), 422, 'countries'],
    [body({ themes: ['space'] }), 422, 'themes'],
    [body({ budget: { amount: 10, currency: 'EURO' } }), 422, 'budget'],
    [body({ organization_id: 'unhcr' }), 403, null],
    [body({ starts_on: '2021-02-30' }), 400, 'starts_on'],
    [body({ colour: 'red' }), 400, 'colour'],
    [body({ countries: 'NP' }), 400, 'countries'],
  ];
  for (const [payload, status, field] of cases) {
    const r = await fp.post('/api/v1/activities', payload);
    assert.equal(r.status, status, `${JSON.stringify(payload).slice(0, 80)} → ${r.text}`);
    if (field) assert.ok(r.json.error.details.some((d) => d.field === field), r.text);
  }
  assert.equal(await stored(), before);
  assert.equal((await anon().get('/api/v1/activities?country=XX')).status, 400);
  assert.equal((await anon().get('/api/v1/activities?sort=random')).status, 400);
});

test('visibility: members-only and own-organisation activities', async () => {
  const fp = await as(FP_ILO);
  const own = await fp.post('/api/v1/activities', body({ visibility: 'organization', titles: 'Internal planning note' }));
  const members = await fp.post('/api/v1/activities', body({ visibility: 'members', titles: 'Members briefing' }));
  assert.equal(own.status, 201);
  assert.equal((await anon().get(`/api/v1/activities/${members.json.id}`)).status, 404);
  const unhcr = await as(FP_UNHCR);
  assert.equal((await unhcr.get(`/api/v1/activities/${members.json.id}`)).status, 200);
  assert.equal((await unhcr.get(`/api/v1/activities/${own.json.id}`)).status, 404);
  assert.equal((await fp.get(`/api/v1/activities/${own.json.id}`)).status, 200);
  const csv = await anon().get('/api/v1/activities.csv');
  assert.doesNotMatch(csv.text, /Internal planning note|Members briefing/);
});

test('downloads: CSV, Excel and IATI XML that validates against the official schema', async () => {
  const fp = await as(FP_ILO);
  await fp.post('/api/v1/activities', body({ titles: '=HYPERLINK("http://evil") and, a "quoted" title' }));
  const csv = await anon().get('/api/v1/activities.csv?organization=ilo');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /^id,page,organization,organization_name,title,description,type,type_name,/);
  const raw = Buffer.from(await (await fetch(`${server.url}/api/v1/activities.csv`)).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so spreadsheets read accents');
  assert.match(csv.text, /"'=HYPERLINK\(""http:\/\/evil""\) and, a ""quoted"" title"/, 'formula neutralised, quotes doubled');
  const xlsx = await fetch(`${server.url}/api/v1/activities.xlsx?organization=ilo`);
  assert.equal(xlsx.status, 200);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip');
  const xml = await anon().get('/api/v1/activities.iati.xml');
  assert.equal(xml.status, 200);
  assert.equal(xml.headers.get('transfer-encoding'), 'chunked', 'streamed');
  assert.equal(xml.headers.get('content-encoding'), 'gzip', 'compressed as it streams (fetch asks for gzip and inflates)');
  const identity = await anon().get('/api/v1/activities.iati.xml', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(identity.headers.get('content-encoding'), null);
  // The same document either way (but for the second it was generated in).
  const undated = (t) => t.replace(/generated-datetime="[^"]*"/, '');
  assert.equal(undated(identity.text), undated(xml.text));
  const file = path.join(server.dir, 'export.xml');
  writeFileSync(file, xml.text);
  execFileSync('xmllint', ['--noout', '--schema', schema, file], { stdio: 'pipe' });
  assert.match(xml.text, /<iati-activities version="2.03"/);
});

// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  return rows;
}

test('downloads explain themselves: names beside codes, the whole description, a link, dates, source and licence', async () => {
  const fp = await as(FP_ILO);
  const description = `Line one, with a comma and "quotes".\nLine two: ${'long text '.repeat(300)}end.`;
  const created = await fp.post('/api/v1/activities', body({
    titles: 'Remittance corridors of Sub-Saharan Africa', descriptions: description, regions: ['202'],
    themes: ['labour-migration'], partners: [{ name: 'World Bank', role: 'funding' }, { organization_id: 'iom', name: 'IOM', role: 'implementing' }],
    budget: { amount: 1234567.5, currency: 'EUR' },
  }));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const themeName = (await anon().get('/api/v1/themes')).json.items.find((t) => t.id === 'labour-migration').name;

  const csv = await anon().get('/api/v1/activities.csv?organization=ilo');
  assert.equal(csv.headers.get('x-data-source'), 'GMG Hub - Global Migration Group');
  assert.match(csv.headers.get('x-data-licence'), /licence/i);
  const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
  assert.ok(rows.every((r) => r.length === header.length), 'every row has every column');
  const row = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === String(id))[i]]));
  assert.equal(row.page, `/activities/${id}`);
  assert.equal(row.organization_name, 'International Labour Organization');
  assert.equal(row.description, description, 'the whole description, line breaks and quotes kept');
  assert.equal(row.type, 'technical_assistance');
  assert.equal(row.type_name, 'Technical assistance');
  assert.equal(row.themes, 'labour-migration');
  assert.equal(row.theme_names, themeName);
  assert.equal(row.countries, 'NP;QA');
  assert.equal(row.country_names, 'Nepal; Qatar');
  assert.equal(row.regions, '202');
  assert.equal(row.region_names, 'Sub-Saharan Africa');
  assert.equal(row.status, '2');
  assert.equal(row.status_name, 'Implementation');
  assert.equal(row.starts_on, '2021-01-01');
  assert.equal(row.budget, '1234567.5');
  assert.equal(row.currency, 'EUR');
  assert.equal(row.partners, 'World Bank (funds it); IOM (carries it out)');
  assert.equal(row.source, 'GMG Hub — Global Migration Group');
  assert.equal(row.licence, csv.headers.get('x-data-licence'));

  const xlsx = await fetch(`${server.url}/api/v1/activities.xlsx?organization=ilo&status=2`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('x-data-source'), 'GMG Hub - Global Migration Group');
  const files = unzip(Buffer.from(await xlsx.arrayBuffer()));
  const workbook = files['xl/workbook.xml'].toString();
  assert.match(workbook, /<sheet name="Activities"[^>]*\/><sheet name="About"/);
  const sheet = files['xl/worksheets/sheet1.xml'].toString();
  const cells = (r) => Object.fromEntries([...r.matchAll(/<c r="([A-Z]+)\d+"( s="(\d+)")?( t="(\w+)")?>([\s\S]*?)<\/c>/g)].map((m) => [m[1], { style: m[3], type: m[5], xml: m[6] }]));
  const col = (name) => String.fromCharCode(65 + header.indexOf(name));
  const ourRow = [...sheet.matchAll(/<row r="\d+"[^>]*>([\s\S]*?)<\/row>/g)].map((m) => cells(m[1])).find((c) => c.A.xml === `<v>${id}</v>`);
  assert.ok(ourRow, 'the activity is a row, its id a number');
  assert.equal(ourRow[col('starts_on')].xml, '<v>44197</v>', '2021-01-01 as an Excel date serial');
  assert.equal(ourRow[col('starts_on')].type, undefined, 'a date is a number cell, not text');
  assert.ok(ourRow[col('starts_on')].style, 'with a date format');
  assert.equal(ourRow[col('budget')].xml, '<v>1234567.5</v>');
  assert.equal(ourRow[col('currency')].xml, '<is><t>EUR</t></is>');
  assert.match(ourRow[col('region_names')].xml, /Sub-Saharan Africa/);
  assert.match(ourRow[col('description')].xml, /Line two: long text/);
  assert.match(files['xl/styles.xml'].toString(), /formatCode="yyyy-mm-dd"/);
  const about = files['xl/worksheets/sheet2.xml'].toString();
  for (const text of ['Source', 'GMG Hub — Global Migration Group', 'Licence', 'Filters', 'organization=ilo; status=2', 'Extracted at (UTC)', 'Rows', 'region_names']) {
    assert.ok(about.includes(text), `About holds ${text}`);
  }
  const rowsInSheet = [...sheet.matchAll(/<row r=/g)].length - 1;
  assert.match(about, new RegExp(`<is><t>Rows</t></is></c><c r="B\\d+"><v>${rowsInSheet}</v>`), 'the row count');
});

test('IATI upload: dry run, import, re-import updates, bad files change nothing', async () => {
  const fp = await as(FP_UNHCR);
  const admin = await as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const migration = example.replace('<sector vocabulary="2" code="111" percentage="50" />', '<sector vocabulary="1" code="93010" percentage="50" />');
  const upload = (c, xml, q = '') => c.request('POST', `/api/v1/activities/import${q}`, { raw: xml, headers: { 'content-type': 'application/xml' } });

  assert.equal((await upload(fp, migration)).status, 403, 'a focal point imports only its own organisation');
  const before = await stored();
  const preview = await upload(admin, migration, '?dry_run=1');
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.created, 1);
  assert.equal(await stored(), before);
  const real = await upload(admin, migration);
  assert.equal(real.json.created, 1);
  assert.equal(real.json.items[0].line, 8, 'the line of <iati-activity> in the file');
  // The publisher's sectors (any vocabulary, with shares) and its transaction are kept as written.
  const id = real.json.items[0].activity_id;
  const got = await admin.get(`/api/v1/activities/${id}`);
  assert.deepEqual(got.json.sectors.map((s) => [s.vocabulary, s.code, s.percentage]), [['1', '93010', 50], ['2', '112', 50], ['99', 'A1', 100]]);
  assert.equal(got.json.sectors[2].vocabulary_uri, 'http://example.com/vocab.html');
  assert.equal(got.json.transactions.length, 1);
  const tx = got.json.transactions[0];
  assert.deepEqual([tx.type, tx.date, tx.value, tx.currency, tx.provider.ref, tx.receiver.activity_id, tx.aid_types.length],
    ['1', '2012-01-01', 1000, 'EUR', 'BB-BBB-123456789', 'AA-AAA-123456789-1234', 2]);
  const exported = (await admin.get('/api/v1/activities.iati.xml?scope=partners')).text;
  assert.match(exported, /<sector code="93010" vocabulary="1" percentage="50"\/>/);
  assert.match(exported, /<transaction ref="1234" humanitarian="1">/);
  assert.doesNotMatch(exported, /=""/, 'no empty attribute');
  // A PATCH that leaves sectors out keeps them; one with a share over 100 is refused by rule.
  const patched = await admin.patch(`/api/v1/activities/${id}`, { status: 3 }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.sectors.length, 3);
  assert.equal(patched.json.transactions.length, 1);
  const over = await admin.patch(`/api/v1/activities/${id}`, { sectors: [{ vocabulary: '1', code: '15190', percentage: 150 }] }, { headers: { 'if-match': patched.headers.get('etag') } });
  assert.equal(over.status, 422, over.text);
  assert.ok(over.json.error.details.some((d) => d.field === 'sectors' && d.rule === 'out_of_range'), over.text);
  await admin.patch(`/api/v1/activities/${id}`, { status: 2 }, { headers: { 'if-match': patched.headers.get('etag') } });
  const again = await upload(admin, migration);
  assert.equal(again.json.unchanged, 1, 'the same file again changes nothing (issue 7, defect 6)');
  assert.equal(again.json.created, 0);
  const partner = await anon().get('/api/v1/organizations?status=partner');
  assert.equal(partner.json.total, 1);
  assert.equal((await anon().get('/api/v1/activities?scope=partners')).json.total, 1);

  const count = await stored();
  const bad = [
    ['hello', 400, /line 1/],
    ['<html><body/></html>', 400, /not IATI.*<html>/],
    [example.replace('version="2.03"', 'version="1.05"'), 400, /1\.05/],
    [example.slice(0, example.length / 2), 400, /line \d+/],
    ['<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><iati-activities version="2.03">&lol2;</iati-activities>', 400, /DOCTYPE/],
    [migration.replace('<recipient-country code="AF"', '<recipient-country code="QQ"'), 422, /line \d+.*QQ/],
  ];
  for (const [xml, status, message] of bad) {
    const r = await upload(admin, xml);
    assert.equal(r.status, status, r.text);
    assert.match(r.json.error.message, message);
  }
  assert.equal(await stored(), count);
  assert.equal((await admin.request('POST', '/api/v1/activities/import', { raw: migration, headers: { 'content-type': 'text/plain' } })).status, 415);
  const huge = await upload(admin, `<iati-activities version="2.03">${' '.repeat(65 * 1024 * 1024)}</iati-activities>`);
  assert.equal(huge.status, 413);
});

test('CLI: demo load, import iati (the running server searches it at once), export iati validates', async () => {
  const demo = runGmg(['demo', 'load', '--db', server.db]);
  assert.equal(demo.status, 0, demo.stderr);
  assert.match(demo.stdout, /loaded \d+ demo records/);
  assert.match(runGmg(['demo', 'load', '--db', server.db]).stdout, /already there/);
  const file = path.join(server.dir, 'in.xml');
  writeFileSync(file, example.replace('<sector vocabulary="2" code="112" percentage="50" />', '<sector vocabulary="1" code="24050" percentage="50" />')
    .replaceAll('AA-AAA-123456789-ABC123', 'AA-AAA-123456789-CLI1').replace('<narrative>Activity title</narrative>', '<narrative>Seasonal orchard workers</narrative>'));
  const signedIn = await as(FP_UNHCR);  // not the anonymous answer cache
  assert.equal((await signedIn.get('/api/v1/search?q=orchard')).json.total, 0);
  const imp = runGmg(['import', 'iati', '--db', server.db, file]);
  assert.equal(imp.status, 0, imp.stderr);
  assert.match(imp.stdout, /created 1, updated 0, skipped 0/);
  // Another process wrote: the server's search catalog follows the change log.
  const found = await signedIn.get('/api/v1/search?q=orchard');
  assert.equal(found.json.total, 1);
  assert.equal(found.json.items[0].activity.iati_identifier, 'AA-AAA-123456789-CLI1');
  assert.equal(Object.values(found.json.facets.organization).reduce((a, b) => a + b, 0), 1);
  const broken = path.join(server.dir, 'broken.xml');
  writeFileSync(broken, 'not xml at all');
  const bad = runGmg(['import', 'iati', '--db', server.db, broken]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /line 1.*nothing imported/);
  const out = path.join(server.dir, 'out.xml');
  const exp = runGmg(['export', 'iati', '--db', server.db, '--out', out]);
  assert.equal(exp.status, 0, exp.stderr);
  execFileSync('xmllint', ['--noout', '--schema', schema, out], { stdio: 'pipe' });
  assert.match(readFileSync(out, 'utf8'), /\[Demo\]/);
});

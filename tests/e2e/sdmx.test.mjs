// End-to-end: the SDMX REST API as an SDMX client uses it (issue 11): v1.5 keys with '+' and
// wildcards, v2.0 c[…] filters, structure queries, every format parsed back (SDMX-CSV columns,
// SDMX-JSON, SDMX-ML well-formed), content negotiation, and the SDMX errors 100/140/406 with
// their HTTP statuses. A small hand-made dataflow gives exact answers; the UNHCR table of
// ../shared/reference/migration gives real ones. Both engines (GMG_TEST_ENGINE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const REFERENCE = new URL('../../../shared/reference/migration/', import.meta.url);
let server;
let admin;

// IOM:SMALL: REF_AREA × SEX × years 2000–2003, values known.
const SMALL = {
  agency: 'IOM', id: 'DSD_SMALL', version: '1.0', name: 'Small test structure',
  dimensions: [
    { id: 'REF_AREA', name: 'Reference area', codelist: 'CL_AREA' },
    { id: 'SEX', name: 'Sex', codelist: 'CL_SEX' },
  ],
  time_dimension: 'TIME_PERIOD', attributes: [], primary_measure: 'OBS_VALUE',
  codelists: [
    { agency: 'IOM', id: 'CL_AREA', version: '1.0', name: 'Areas', codes: [
      { id: 'BF', name: 'Burkina Faso' }, { id: 'ML', name: 'Mali' }, { id: 'NE', name: 'Niger' }] },
    { agency: 'IOM', id: 'CL_SEX', version: '1.0', name: 'Sex', codes: [
      { id: 'F', name: 'Female' }, { id: 'M', name: 'Male' }] },
  ],
  concepts: [{ id: 'REF_AREA', name: 'Reference area' }, { id: 'SEX', name: 'Sex' },
    { id: 'TIME_PERIOD', name: 'Time' }, { id: 'OBS_VALUE', name: 'Value' }],
};
const AREAS = ['BF', 'ML', 'NE'];
const SEXES = ['F', 'M'];
const YEARS = [2000, 2001, 2002, 2003];
// The value of one observation: area index × 1000 + sex index × 100 + year − 2000.
const value = (a, s, y) => AREAS.indexOf(a) * 1000 + SEXES.indexOf(s) * 100 + (y - 2000);
function smallCsv() {
  const rows = ['DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE'];
  for (const a of AREAS) for (const s of SEXES) for (const y of YEARS) rows.push(`IOM:SMALL(1.0),${a},${s},${y},${value(a, s, y)}`);
  return `${rows.join('\n')}\n`;
}

async function as(email, password) { const c = new Client(server.url); await c.signIn(email, password); return c; }
const upload = (c, path, body, q = '') => c.request('POST', `/api/v1/stats/flows/${path}/uploads${q}`,
  { raw: body, headers: { 'content-type': 'text/csv' } });
const put = (c, path, body) => c.request('PUT', `/api/v1/stats/flows/${path}`, { body });

before(async () => {
  server = await startServer();
  admin = await as(ADMIN_EMAIL, ADMIN_PASSWORD);
  const saved = await put(admin, 'IOM/SMALL', { name: 'Small flow', description: 'Hand-made for the SDMX tests', structure: SMALL });
  assert.equal(saved.status, 200, saved.text);
  const small = await upload(admin, 'IOM/SMALL', smallCsv(), '?file_name=small.csv');
  assert.equal(small.status, 200, small.text);
  assert.equal(small.json.applied, true, small.text);
  assert.equal(small.json.observations, 24);
  const unhcr = await upload(admin, 'UNHCR/REFUGEES', readFileSync(new URL('unhcr_2020.csv', REFERENCE)),
    '?infer=1&name=Refugees%20and%20asylum-seekers&file_name=unhcr_2020.csv');
  assert.equal(unhcr.status, 200, unhcr.text);
  assert.equal(unhcr.json.applied, true, JSON.stringify(unhcr.json.problems?.slice(0, 5)));
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);

// SDMX-CSV text → {header, rows: [{column: value}]} (no quoted commas in these answers' codes).
function parseCsv(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
  const split = (line) => {
    const out = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  return { header, rows: lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i], v]))) };
}

// Well-formed XML: one root, every tag closed in order, attributes quoted.
function assertWellFormedXml(text) {
  const body = text.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const stack = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  let last = 0;
  let m;
  while ((m = tag.exec(body)) !== null) {
    assert.ok(!/[<>]/.test(body.slice(last, m.index)), `stray markup before ${m[0]}`);
    last = tag.lastIndex;
    if (m[1]) assert.equal(stack.pop(), m[2], `closing ${m[2]}`);
    else if (!m[4]) { if (stack.length === 0) roots++; stack.push(m[2]); } else if (stack.length === 0) roots++;
  }
  assert.ok(!/[<>]/.test(body.slice(last)), 'stray markup at the end');
  assert.equal(stack.length, 0, `unclosed ${stack.join(', ')}`);
  assert.equal(roots, 1, 'one root element');
}

test('v1.5 keys: + for OR, empty positions and all; each row is the stored observation', async () => {
  const r = await anon().get('/sdmx/data/IOM,SMALL,1.0/BF+ML.F?format=csvfile');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /application\/vnd\.sdmx\.data\+csv/);
  const { header, rows } = parseCsv(r.text);
  assert.equal(header[0], 'DATAFLOW');
  for (const col of ['REF_AREA', 'SEX', 'TIME_PERIOD', 'OBS_VALUE']) assert.ok(header.includes(col), `column ${col}`);
  assert.equal(rows.length, 2 * 4);
  for (const row of rows) {
    assert.ok(['BF', 'ML'].includes(row.REF_AREA));
    assert.equal(row.SEX, 'F');
    assert.equal(Number(row.OBS_VALUE), value(row.REF_AREA, row.SEX, Number(row.TIME_PERIOD)));
  }
  const wildcard = parseCsv((await anon().get('/sdmx/data/IOM,SMALL/.M?format=csvfile')).text);
  assert.equal(wildcard.rows.length, 3 * 4);
  const all = parseCsv((await anon().get('/sdmx/data/SMALL/all?format=csvfile')).text);
  assert.equal(all.rows.length, 24, 'the flow id alone, and all');
  const none = parseCsv((await anon().get('/sdmx/data/IOM,SMALL?format=csvfile')).text);
  assert.equal(none.rows.length, 24, 'no key: everything');
});

test('periods, firstN/lastN, detail and updatedAfter narrow the answer', async () => {
  const c = anon();
  const periods = parseCsv((await c.get('/sdmx/data/IOM,SMALL/BF.F?format=csvfile&startPeriod=2001&endPeriod=2002')).text);
  assert.deepEqual(periods.rows.map((r) => r.TIME_PERIOD).sort(), ['2001', '2002']);
  const last = parseCsv((await c.get('/sdmx/data/IOM,SMALL/BF.F?format=csvfile&lastNObservations=1')).text);
  assert.deepEqual(last.rows.map((r) => r.TIME_PERIOD), ['2003']);
  const first = parseCsv((await c.get('/sdmx/data/IOM,SMALL/BF.?format=csvfile&firstNObservations=2')).text);
  assert.equal(first.rows.length, 4, 'two per series, two series');
  const future = await c.get('/sdmx/data/IOM,SMALL/all?format=csvfile&updatedAfter=2150-01-01T00:00:00Z');
  assert.equal(future.status, 404, 'nothing changed after that date: SDMX 100');
  const past = await c.get('/sdmx/data/IOM,SMALL/all?format=csvfile&updatedAfter=2000-01-01T00:00:00%2B01:00');
  assert.equal(past.status, 200);
  const keys = await c.get('/sdmx/data/IOM,SMALL/all?format=jsondata&detail=serieskeysonly');
  assert.equal(keys.status, 200, keys.text);
  JSON.parse(keys.text);
});

test('v2.0: * wildcards and c[DIM] filters with operators', async () => {
  const c = anon();
  const r = await c.get('/sdmx/v2/data/dataflow/IOM/SMALL/1.0/*.F?format=csvfile');
  assert.equal(r.status, 200, r.text);
  assert.equal(parseCsv(r.text).rows.length, 12);
  const filtered = await c.get('/sdmx/v2/data/dataflow/IOM/SMALL/~?format=csvfile&c[REF_AREA]=NE&c[TIME_PERIOD]=ge:2001+le:2002');
  assert.equal(filtered.status, 200, filtered.text);
  const rows = parseCsv(filtered.text).rows;
  assert.equal(rows.length, 2 * 2);
  assert.ok(rows.every((x) => x.REF_AREA === 'NE' && ['2001', '2002'].includes(x.TIME_PERIOD)));
  const orFilter = await c.get('/sdmx/v2/data/dataflow/*/SMALL/*/*?format=csvfile&c%5BREF_AREA%5D=BF,ML&c%5BSEX%5D=M');
  assert.equal(parseCsv(orFilter.text).rows.length, 2 * 4);
  const ne = await c.get('/sdmx/v2/data/dataflow/IOM/SMALL/1.0?format=csvfile&c[REF_AREA]=ne:BF');
  assert.equal(parseCsv(ne.text).rows.length, 16);
});

test('every format parses back: SDMX-CSV 1.0/2.0, SDMX-JSON 1.0/2.0, SDMX-ML 2.1, plain CSV', async () => {
  const c = anon();
  const csv2 = await c.get('/sdmx/data/IOM,SMALL/BF.F?format=sdmx-csv2');
  assert.equal(csv2.status, 200, csv2.text);
  const h2 = parseCsv(csv2.text);
  assert.equal(h2.header[0], 'STRUCTURE');
  assert.equal(h2.rows.length, 4);
  for (const format of ['jsondata', 'sdmx-json2']) {
    const j = await c.get(`/sdmx/data/IOM,SMALL/BF.F?format=${format}`);
    assert.equal(j.status, 200, `${format}: ${j.text.slice(0, 200)}`);
    assert.match(j.headers.get('content-type'), /json/);
    const doc = JSON.parse(j.text);
    assert.ok(doc.dataSets ?? doc.data?.dataSets, `${format} has data sets`);
  }
  const xml = await c.get('/sdmx/data/IOM,SMALL/BF.F?format=structurespecificdata');
  assert.equal(xml.status, 200, xml.text);
  assert.match(xml.headers.get('content-type'), /xml/);
  assertWellFormedXml(xml.text);
  assert.match(xml.text, /StructureSpecificData/);
  const plain = await c.get('/sdmx/data/IOM,SMALL/BF.F?format=plaincsv');
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('content-type'), /text\/csv/);
  assert.equal(parseCsv(plain.text).rows.length, 4);
  const labels = await c.get('/sdmx/data/IOM,SMALL/BF.F?format=sdmx-csv2&labels=both');
  assert.match(labels.text, /Burkina Faso/, 'labels=both names the codes');
});

test('content negotiation by Accept, and 406 when nothing offered is served', async () => {
  const c = anon();
  const csv = await c.get('/sdmx/data/IOM,SMALL/BF.F', { headers: { accept: 'application/vnd.sdmx.data+csv;version=1.0.0' } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /csv/);
  const json = await c.get('/sdmx/data/IOM,SMALL/BF.F', { headers: { accept: 'application/vnd.sdmx.data+json;version=1.0.0' } });
  assert.match(json.headers.get('content-type'), /json/);
  JSON.parse(json.text);
  const def = await c.get('/sdmx/data/IOM,SMALL/BF.F');
  assert.equal(def.status, 200, 'no Accept: the SDMX default');
  const none = await c.get('/sdmx/data/IOM,SMALL/BF.F', { headers: { accept: 'image/png' } });
  assert.equal(none.status, 406);
  const structure = await c.get('/sdmx/dataflow/IOM/SMALL', { headers: { accept: 'image/png' } });
  assert.equal(structure.status, 406);
});

test('SDMX errors: 404 (100), 400 (140) for malformed keys, periods, bounds and filters', async () => {
  const c = anon();
  const missing = await c.get('/sdmx/data/IOM,NO_SUCH_FLOW/all?format=jsondata');
  assert.equal(missing.status, 404);
  assert.match(missing.text, /100/);
  const nothing = await c.get('/sdmx/data/IOM,SMALL/BF.F?startPeriod=1990&endPeriod=1995&format=jsondata');
  assert.equal(nothing.status, 404, 'no observations match: SDMX 100');
  for (const q of [
    '/sdmx/data/IOM,SMALL/BF.F.X',  // three positions, two dimensions
    '/sdmx/data/IOM,SMALL/BF+.F',  // an empty code in a + list
    '/sdmx/data/IOM,SMALL/B%3CF.F',  // a character outside the key alphabet
    '/sdmx/data/IOM,SMALL,1.0,9/all',  // four parts in the flow reference
    '/sdmx/data/IOM,SMALL/all?startPeriod=yesterday',
    '/sdmx/data/IOM,SMALL/all?firstNObservations=0',
    '/sdmx/data/IOM,SMALL/all?lastNObservations=99999999999',
    '/sdmx/data/IOM,SMALL/all?updatedAfter=last-week',
    '/sdmx/data/IOM,SMALL/all?detail=everything',
    `/sdmx/data/IOM,SMALL/${'A.'.repeat(5000)}A`,
    '/sdmx/v2/data/dataflow/IOM/SMALL/1.0?c[REF_AREA]=zz:BF',
    `/sdmx/v2/data/dataflow/IOM/SMALL/1.0?${Array.from({ length: 51 }, (_, i) => `c[SEX]=F${i}`).join('&')}`,
  ]) {
    const r = await c.get(`${q}${q.includes('?') ? '&' : '?'}format=jsondata`);
    assert.equal(r.status, 400, `${q}: ${r.text.slice(0, 200)}`);
    assert.match(r.text, /140/, q);
    JSON.parse(r.text);
  }
  const xml = await c.get('/sdmx/data/IOM,SMALL/BF.F.X');
  assert.equal(xml.status, 400);
  assertWellFormedXml(xml.text);
  const type = await c.get('/sdmx/widgets/IOM');
  assert.equal(type.status, 404);
  const ok = await c.get('/healthz');
  assert.equal(ok.status, 200, 'the server lives on');
});

test('structure queries (v1 and v2): dataflow, datastructure, codelist, conceptscheme, references', async () => {
  const c = anon();
  const flows = await c.get('/sdmx/dataflow/all/all/latest?format=sdmx-json');
  assert.equal(flows.status, 200, flows.text);
  const flowsText = flows.text;
  JSON.parse(flowsText);
  assert.match(flowsText, /SMALL/);
  assert.match(flowsText, /REFUGEES/);
  const one = await c.get('/sdmx/dataflow/IOM/SMALL/1.0?references=all');
  assert.equal(one.status, 200, one.text);
  assertWellFormedXml(one.text);
  assert.match(one.text, /CL_AREA/, 'references=all brings the codelists');
  assert.doesNotMatch(one.text, /REFUGEES/);
  const codelist = await c.get('/sdmx/codelist/IOM/CL_SEX');
  assert.equal(codelist.status, 200, codelist.text);
  assertWellFormedXml(codelist.text);
  assert.match(codelist.text, /Female/);
  assert.doesNotMatch(codelist.text, /Burkina/, 'only the codelist asked for');
  const dsd = await c.get('/sdmx/datastructure/IOM/DSD_SMALL');
  assert.equal(dsd.status, 200, dsd.text);
  assertWellFormedXml(dsd.text);
  const concepts = await c.get('/sdmx/conceptscheme/IOM');
  assert.equal(concepts.status, 200, concepts.text);
  assertWellFormedXml(concepts.text);
  const v2 = await c.get('/sdmx/v2/structure/dataflow/*/SMALL/~?format=sdmx-json2');
  assert.equal(v2.status, 200, v2.text);
  JSON.parse(v2.text);
  assert.equal((await c.get('/sdmx/codelist/IOM/CL_NOTHING')).status, 404);
  assert.equal((await c.get('/sdmx/dataflow/IOM/SMALL?references=cousins')).status, 400);
  // An SDMX-ML and an SDMX-JSON client asking the same URL each get their own (the cache
  // keeps answers apart by Accept).
  const asXml = await c.get('/sdmx/dataflow/IOM', { headers: { accept: 'application/vnd.sdmx.structure+xml;version=2.1' } });
  const asJson = await c.get('/sdmx/dataflow/IOM', { headers: { accept: 'application/vnd.sdmx.structure+json;version=1.0.0' } });
  assert.match(asXml.headers.get('content-type'), /xml/);
  assert.match(asJson.headers.get('content-type'), /json/);
});

test('the real UNHCR table: one destination, its origins, a chosen measure', async () => {
  const c = anon();
  const flow = (await c.get('/api/v1/stats/flows/UNHCR/REFUGEES')).json;
  const dims = flow.structure.dimensions.map((d) => d.id);
  assert.ok(dims.includes('REF_AREA') && dims.includes('COUNTERPART_AREA'), dims.join(','));
  const codes = (dim) => flow.structure.codelists.find((cl) => cl.id === flow.structure.dimensions.find((d) => d.id === dim).codelist).codes;
  const germany = codes('REF_AREA').find((x) => /^Germany$/i.test(x.name));
  assert.ok(germany, 'Germany among the destinations');
  const key = dims.map((d) => (d === 'REF_AREA' ? germany.id : '')).join('.');
  const r = await c.get(`/sdmx/data/UNHCR,REFUGEES/${key}?format=csvfile&startPeriod=2015&endPeriod=2020`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const rows = parseCsv(r.text).rows;
  assert.ok(rows.length > 50, `${rows.length} observations for Germany 2015–2020`);
  assert.ok(rows.every((x) => x.REF_AREA === germany.id && Number(x.TIME_PERIOD) >= 2015 && Number(x.TIME_PERIOD) <= 2020));
  const syria = codes('COUNTERPART_AREA').find((x) => /Syria/i.test(x.name));
  const fromSyria = rows.filter((x) => x.COUNTERPART_AREA === syria.id && x.TIME_PERIOD === '2020');
  assert.ok(fromSyria.some((x) => Number(x.OBS_VALUE) > 500000), 'Syrian refugees in Germany, 2020: over 500,000 (572,818)');
});

test('the answer size limit is the operator\'s (gmg serve --max-answer-observations): 413, SDMX 510, with a hint', async () => {
  const small = await startServer({ args: ['--max-answer-observations', '10'] });
  try {
    const c = new Client(small.url);
    await c.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.equal((await put(c, 'IOM/SMALL', { name: 'Small flow', structure: SMALL })).status, 200);
    const up = await c.request('POST', '/api/v1/stats/flows/IOM/SMALL/uploads?file_name=small.csv',
      { raw: smallCsv(), headers: { 'content-type': 'text/csv' } });
    assert.equal(up.json.applied, true, up.text);
    const all = await new Client(small.url).get('/sdmx/data/IOM,SMALL/all?format=jsondata');
    assert.equal(all.status, 413, all.text);
    assert.match(all.text, /510/);
    assert.match(all.text, /24 observations/);
    assert.match(all.text, /10/);
    const one = await new Client(small.url).get('/sdmx/data/IOM,SMALL/BF.F?format=csvfile');
    assert.equal(one.status, 200, one.text);
    assert.equal(one.text.trim().split('\n').length, 5, 'a header and four years');
  } finally {
    await small.stop();
  }
});

test('per_capita: values per 1,000 population of another flow, matched across country codings', async () => {
  // IOM:POP gives the population by M49 code (854 Burkina Faso, 466 Mali; none for Niger).
  const POP = {
    ...SMALL, id: 'DSD_POP', name: 'Population',
    dimensions: [{ id: 'REF_AREA', name: 'Reference area', codelist: 'CL_M49' }],
    codelists: [{ agency: 'IOM', id: 'CL_M49', version: '1.0', name: 'M49 areas', codes: [
      { id: '854', name: 'Burkina Faso' }, { id: '466', name: 'Mali' }] }],
    concepts: SMALL.concepts.filter((c) => c.id !== 'SEX'),
  };
  assert.equal((await put(admin, 'IOM/POP', { name: 'Population', structure: POP })).status, 200);
  const csv = 'DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nIOM:POP(1.0),854,2000,500\nIOM:POP(1.0),854,2001,4\n' +
    'IOM:POP(1.0),466,2000,2000\nIOM:POP(1.0),466,2001,1001\n';
  const up = await upload(admin, 'IOM/POP', csv, '?file_name=pop.csv');
  assert.equal(up.json?.applied, true, up.text);

  const c = new Client(server.url);
  const r = await c.get('/api/v1/stats/flows/IOM/SMALL/data?key=BF%2BML%2BNE.F&startPeriod=2000&endPeriod=2001&per_capita=IOM:POP');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(r.json.periods, ['2000', '2001']);
  const byArea = Object.fromEntries(r.json.series.map((s) => [s.key[0], s]));
  // value(a, F, y) / population × 1000: BF 0/500, 1/4; ML 1000/2000, 1001/1001; NE no population.
  assert.deepEqual(byArea.BF.values, [0, 250]);
  assert.deepEqual(byArea.ML.values, [500, 1000]);
  assert.ok(!byArea.NE || byArea.NE.values.every((v) => v === null), 'no population, no rate');
  assert.ok(r.json.series.every((s) => s.derived), 'rates are derived series');

  const sdmxCsv = await c.get('/sdmx/data/IOM,SMALL/ML.F?startPeriod=2000&endPeriod=2000&per_capita=IOM,POP&format=csvfile');
  assert.equal(sdmxCsv.status, 200, sdmxCsv.text.slice(0, 300));
  assert.match(sdmxCsv.text, /,ML,F,2000,500(\r?\n|,)/);

  const share = await c.get('/api/v1/stats/flows/IOM/SMALL/data?key=ML.F&startPeriod=2000&endPeriod=2000&per_capita=IOM:POP&per_capita_per=100');
  assert.deepEqual(share.json.series.map((s) => s.values), [[50]], 'the share in percent: 1000 of 2000');
  const missing = await c.get('/sdmx/data/IOM,SMALL/ML.F?per_capita=IOM:NOPE');
  assert.equal(missing.status, 404, 'no such population flow: SDMX 100');
  const badDim = await c.get('/sdmx/data/IOM,SMALL/ML.F?per_capita=IOM:POP&per_capita_dimension=COUNTRY');
  assert.equal(badDim.status, 403, 'no such dimension in the population flow: SDMX 150');
  assert.equal((await c.get('/sdmx/data/IOM,SMALL/ML.F?per_capita=A,B,C,D')).status, 400);
});

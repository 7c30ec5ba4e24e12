// The statistics pages (issue 11) with the statistics API's answers given by the test
// (page.route) in the contract's shapes (/work/notes/stats-contract.md, docs/api.md): the
// dataflows list, a dataflow's structure, releases and explorer (query in the address, a time
// series, the largest origins, flows between regions, a map and a table, each chart with its data
// as a table), the download, link and embed addresses, the embedded chart alone, and an upload
// through the UI (inferred structure edited and confirmed, rejected rows a page at a time, the
// release replacing the previous one); French and Arabic at phone width; axe on each page.
// The rest of the app (session, sign-in, GET /codelists) is the real server's.
// stats.test.mjs runs the same pages against the real statistics module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, expectNoAxeViolations, expectFocusVisibleOnEveryStop, expectDirection } from './helpers.mjs';

const FP = { email: 'stat.iom@example.org', name: 'Sara Statistician', role: 'focal_point', org: 'iom', password: 'iom-statistician-pass-1' };

const RELEASE_2 = { number: 2, status: 'current', provider: 'iom', file_name: 'stock-2020.csv', sha256: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12', format: 'csv', observations: 12, changed: 3, user_name: 'Sara Statistician', created_at: '2026-11-30T10:00:00Z', note: 'Revised 2019' };
const RELEASE_1 = { ...RELEASE_2, number: 1, status: 'superseded', file_name: 'stock.csv', sha256: '99'.repeat(32), observations: 12, changed: 12, created_at: '2026-11-29T09:00:00Z', note: '' };
const SUMMARY = { agency: 'IOM', id: 'MIGRANT_STOCK', version: '1.0', name: 'International migrant stock', description: 'Test copy of a UN DESA table.', provider: 'iom', series: 4, observations: 12, first_period: '2000', last_period: '2020', updated_at: '2026-11-30T10:00:00Z', current: RELEASE_2 };
const AREAS = [
  { id: '900', name: 'World', parent: '' },
  { id: 'DEU', name: 'Germany', parent: '' },
  { id: 'FRA', name: 'France', parent: '' },
  { id: 'MAR', name: 'Morocco', parent: '' },
  { id: 'TUR', name: 'Turkey', parent: '' },
  { id: 'SCG', name: 'Serbia and Montenegro', parent: '' },
];
const FLOW = {
  ...SUMMARY,
  structure: {
    agency: 'IOM',
    id: 'DSD_MIGRANT_STOCK',
    version: '1.0',
    name: 'Migrant stock',
    dimensions: [
      { id: 'REF_AREA', name: 'Destination', codelist: 'CL_AREA' },
      { id: 'COUNTERPART_AREA', name: 'Origin', codelist: 'CL_AREA' },
    ],
    attributes: [{ id: 'OBS_STATUS', name: 'Status', codelist: '', attachment: 'Observation' }],
    time_dimension: 'TIME_PERIOD',
    primary_measure: 'OBS_VALUE',
    codelists: [{ id: 'CL_AREA', name: 'Areas', codes: AREAS }],
  },
  mapping: null,
  releases: [RELEASE_2, RELEASE_1],
};
const DATA = {
  periods: ['2000', '2010', '2020'],
  dimensions: [
    { id: 'REF_AREA', name: 'Destination', values: [{ id: 'DEU', name: 'Germany' }, { id: 'FRA', name: 'France' }] },
    { id: 'COUNTERPART_AREA', name: 'Origin', values: [{ id: 'TUR', name: 'Turkey' }, { id: 'MAR', name: 'Morocco' }, { id: 'SCG', name: 'Serbia and Montenegro' }] },
  ],
  series: [
    { key: ['DEU', 'TUR'], names: ['Germany', 'Turkey'], derived: false, values: [1500000, 1600000, 1700000] },
    { key: ['DEU', 'SCG'], names: ['Germany', 'Serbia and Montenegro'], derived: false, values: [300000, 200000, null] },
    { key: ['FRA', 'MAR'], names: ['France', 'Morocco'], derived: false, values: [800000, 900000, 1000000] },
    { key: ['FRA', 'TUR'], names: ['France', 'Turkey'], derived: false, values: [200000, 250000, 300000] },
  ],
  observations: 11,
};

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
});
after(async () => {
  await app?.stop();
});

const json = (route, status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

/** Answers the statistics API for `page`; returns what it was asked. */
async function fakeStats(page, { flow = FLOW, flows = [SUMMARY], uploads = () => ({}), onPut, data = () => [200, DATA] } = {}) {
  const calls = { data: [], uploads: [], puts: [] };
  await page.route(/\/api\/v1\/stats\//, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const p = url.pathname;
    if (p === '/api/v1/stats/flows') return json(route, 200, { items: flows });
    if (/\/data$/.test(p)) {
      calls.data.push(url.searchParams);
      return json(route, ...data(url.searchParams));
    }
    if (/\/uploads$/.test(p)) {
      calls.uploads.push({ params: url.searchParams, body: req.postData(), type: req.headers()['content-type'], csrf: req.headers()['x-csrf-token'] });
      return json(route, 200, uploads(url.searchParams, calls.uploads.length));
    }
    if (req.method() === 'PUT') {
      calls.puts.push({ body: req.postDataJSON(), csrf: req.headers()['x-csrf-token'] });
      return json(route, 200, onPut ? onPut(req.postDataJSON()) : flow);
    }
    if (/^\/api\/v1\/stats\/flows\/[^/]+\/[^/]+$/.test(p)) return typeof flow === 'function' ? json(route, ...flow(calls)) : json(route, 200, flow);
    return route.fallback();
  });
  return calls;
}

test('the dataflows list: name, provider, periods, observations and the last release with who and which file; axe', async () => {
  const page = await app.newPage();
  await fakeStats(page);
  await page.goto(`${app.url}/stats`);
  await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
  const row = page.locator('tr[data-flow="IOM:MIGRANT_STOCK"]');
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.match(cells[0], /International migrant stock/);
  assert.match(cells[0], /IOM:MIGRANT_STOCK/);
  assert.equal(cells[1], 'IOM');
  assert.equal(cells[2], '2000–2020');
  assert.equal(cells[3], '12');
  assert.match(cells[4], /Release 2, 30 Nov 2026, 10:00 UTC/);
  assert.match(cells[4], /Sara Statistician · stock-2020\.csv/);
  // The header offers Statistics to everyone.
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).getAttribute('aria-current'), 'page');
  // Visitors get no upload button.
  assert.equal(await page.getByRole('link', { name: 'Upload statistics' }).count(), 0);
  await expectNoAxeViolations(page, 'stats list');
  await row.getByRole('link', { name: 'International migrant stock' }).click();
  await page.waitForURL(/\/stats\/IOM\/MIGRANT_STOCK/);
  await page.getByRole('heading', { level: 1, name: 'International migrant stock' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a dataflow: structure, releases with the replaced one kept, a time series with its data table, downloads, link and embed', async () => {
  const page = await app.newPage();
  const calls = await fakeStats(page);
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK`);
  await page.getByRole('heading', { level: 1, name: 'International migrant stock' }).waitFor();
  // The first view: the world's row of the first dimension (code 900), every origin.
  const chart = page.getByTestId('chart-line');
  await chart.waitFor();
  assert.equal(calls.data[0].get('key'), '900.');
  const svg = chart.locator('svg[role="img"]');
  const caption = await page.locator(`#${await svg.getAttribute('aria-labelledby')}`).textContent();
  assert.equal(caption, 'International migrant stock, 2000–2020');
  assert.equal(await svg.locator('path.line').count(), 4);
  // The line with a missing 2020 stops at 2010 (one piece, two points).
  assert.match(await svg.locator('path[data-series="Germany · Serbia and Montenegro"]').getAttribute('d'), /^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
  await chart.screenshot({ path: '/tmp/gmg-stats-line.png' });
  assert.deepEqual(await chart.getByTestId('chart-legend').locator('li').allTextContents(), ['Germany · Turkey', 'France · Morocco', 'France · Turkey', 'Germany · Serbia and Montenegro']);
  await chart.getByText("The chart's data as a table").click();
  const first = await chart.locator('details tbody tr').first().locator('th, td').allTextContents();
  assert.deepEqual(first, ['Germany · Turkey', '1,500,000', '1,600,000', '1,700,000']);

  // Structure and releases.
  const dims = await page.getByTestId('flow-dimensions').locator('tbody tr').allTextContents();
  assert.match(dims[0], /Destination \(reference area\)REF_AREACL_AREA6/);
  assert.match(dims[1], /OriginCOUNTERPART_AREACL_AREA6/);
  const rel = page.getByTestId('releases');
  assert.match(await rel.locator('tr[data-release="2"]').textContent(), /Current.*Sara Statistician.*stock-2020\.csv.*Revised 2019.*ab12cd34ef56…/);
  assert.match(await rel.locator('tr[data-release="1"]').textContent(), /Replaced \(in history\).*stock\.csv/);

  // Downloads of the same selection.
  assert.equal(await page.getByTestId('download-sdmx').getAttribute('href'), '/sdmx/data/IOM,MIGRANT_STOCK/900.?format=csvfile');
  assert.equal(await page.getByTestId('download-csv').getAttribute('href'), '/sdmx/data/IOM,MIGRANT_STOCK/900.?format=plaincsv');
  assert.equal(await page.getByTestId('download-xlsx').getAttribute('href'), '/api/v1/stats/flows/IOM/MIGRANT_STOCK/data.xlsx?key=900.');
  // Link and embed.
  assert.equal(await page.getByTestId('share-link').inputValue(), `${app.url}/stats/IOM/MIGRANT_STOCK?d.REF_AREA=900`);
  const embed = await page.getByTestId('share-embed').inputValue();
  assert.match(embed, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/stats\?flow=IOM%2CMIGRANT_STOCK&amp;d.REF_AREA=900" title="International migrant stock" width="720" height="480" loading="lazy"><\/iframe>$/);
  await expectNoAxeViolations(page, 'stats flow, time series');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the query builder: codes chosen by searching, periods and aggregates go into the address and the API query; Back undoes', async () => {
  const page = await app.newPage();
  const calls = await fakeStats(page);
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK`);
  await page.getByTestId('chart-line').waitFor();
  const q = page.getByTestId('stats-query');
  // Remove the world, pick Germany and France as destinations, Turkey as origin.
  await q.getByRole('button', { name: 'Remove World' }).click();
  const dest = q.getByLabel('Destination (reference area)', { exact: true });
  await dest.fill('germ');
  await dest.press('Enter');
  await dest.fill('fra');
  await q.getByRole('button', { name: /France/ }).click();
  const origin = q.getByLabel('Origin', { exact: true });
  await origin.fill('TUR');
  await origin.press('Enter');
  await q.getByLabel('From period').fill('2000');
  await q.getByLabel('To period').fill('2020');
  await q.getByLabel('Regional aggregates').selectOption('region');
  await q.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/d\.COUNTERPART_AREA=TUR/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('d.REF_AREA'), 'DEU+FRA');
  assert.equal(url.searchParams.get('start'), '2000');
  assert.equal(url.searchParams.get('aggregate'), 'region');
  for (let i = 0; i < 100 && !calls.data.some((p) => p.get('key') === 'DEU+FRA.TUR'); i++) await page.waitForTimeout(50);
  const last = calls.data[calls.data.length - 1];
  assert.equal(last.get('key'), 'DEU+FRA.TUR');
  assert.equal(last.get('startPeriod'), '2000');
  assert.equal(last.get('endPeriod'), '2020');
  assert.equal(last.get('aggregate'), 'region');
  assert.equal(last.get('aggregate_dimension'), 'REF_AREA');
  assert.equal(await page.getByTestId('download-sdmx').getAttribute('href'), '/sdmx/data/IOM,MIGRANT_STOCK/DEU+FRA.TUR?startPeriod=2000&endPeriod=2020&aggregate=region&aggregate_dimension=REF_AREA&format=csvfile');
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('COUNTERPART_AREA'));
  // Every code of every dimension, on purpose: kept in the address, no key sent.
  await q.getByRole('button', { name: 'Clear the query' }).click();
  await page.waitForURL(/\?all=1$/);
  for (let i = 0; i < 100 && calls.data[calls.data.length - 1].get('key') !== null; i++) await page.waitForTimeout(50);
  assert.equal(calls.data[calls.data.length - 1].get('key'), null);
  assert.equal(await page.getByTestId('download-sdmx').getAttribute('href'), '/sdmx/data/IOM,MIGRANT_STOCK/all?format=csvfile');
  await page.context().close();
});

test('relative to the population of another flow (per 1,000 or a share): offered when there is one, sent to the API, the downloads and the address', async () => {
  const page = await app.newPage();
  const POPULATION = { ...SUMMARY, agency: 'UNDESA', id: 'POPULATION', name: 'Total population', provider: 'undesa' };
  const calls = await fakeStats(page, { flows: [SUMMARY, POPULATION] });
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?d.REF_AREA=DEU`);
  await page.getByTestId('chart-line').waitFor();
  const q = page.getByTestId('stats-query');
  const picker = q.getByLabel('Relative to the population of');
  await picker.waitFor();
  assert.deepEqual(await picker.locator('option').allTextContents(), ['None (values as given)', 'Total population (UNDESA:POPULATION)'], 'the flow itself is not offered');
  await picker.selectOption('UNDESA:POPULATION');
  await q.getByLabel('As', { exact: true }).selectOption('100');
  await q.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/per_capita=UNDESA%3APOPULATION&per=100/);
  for (let i = 0; i < 100 && !calls.data.some((p) => p.get('per_capita')); i++) await page.waitForTimeout(50);
  assert.equal(calls.data[calls.data.length - 1].get('per_capita'), 'UNDESA:POPULATION');
  assert.equal(calls.data[calls.data.length - 1].get('per_capita_per'), '100');
  assert.match(await page.getByTestId('stats-per-capita').textContent(), /^Shares in percent of the population of UNDESA:POPULATION/);
  assert.match(await page.getByTestId('download-sdmx').getAttribute('href'), /per_capita=UNDESA%3APOPULATION&per_capita_per=100&format=csvfile$/);
  await expectNoAxeViolations(page, 'stats flow, per capita');
  await page.context().close();
});

test('the largest origins, flows between regions, the map and the table, each with its data in words', async () => {
  const page = await app.newPage();
  await fakeStats(page);
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?d.REF_AREA=DEU%2BFRA`);
  await page.getByTestId('chart-line').waitFor();

  await page.getByRole('radio', { name: 'Largest values' }).check();
  const bar = page.getByTestId('chart-bar');
  await bar.waitFor();
  assert.match(new URL(page.url()).search, /chart=bar/);
  // Summed over destinations at the latest period (2020): Turkey 1.7M + 0.3M, Morocco 1M; Serbia and Montenegro has no 2020 value.
  assert.deepEqual(await bar.locator('details tbody tr').allTextContents(), ['Turkey2,000,000', 'Morocco1,000,000']);
  assert.match(await bar.locator('figcaption').textContent(), /the 2 largest by Origin, 2020/);
  assert.equal(await page.getByTestId('stats-summed').textContent(), 'Added up over the chosen codes of Destination (reference area): choose one code there to see it alone.');
  await page.getByLabel('Period', { exact: true }).selectOption('2000');
  await page.waitForURL(/period=2000/);
  assert.deepEqual(await bar.locator('details tbody tr').allTextContents(), ['Turkey1,700,000', 'Morocco800,000', 'Serbia and Montenegro300,000']);

  await page.getByRole('radio', { name: 'Flows between regions' }).check();
  const flow = page.getByTestId('chart-flow');
  await flow.waitFor();
  // Regions from GET /codelists: Asia (Turkey) and Africa (Morocco) to Europe (Germany, France); Serbia and Montenegro has none.
  const links = await flow.locator('details tbody tr').allTextContents();
  assert.deepEqual(links, ['AsiaEurope1,700,000', 'AfricaEurope800,000']);
  assert.equal(await flow.locator('path.band').count(), 2);
  await flow.screenshot({ path: '/tmp/gmg-stats-flow.png' });

  await page.getByRole('radio', { name: 'Map' }).check();
  const map = page.getByTestId('chart-map');
  await map.waitFor();
  assert.ok((await map.locator('path.country').count()) > 150);
  assert.equal(await map.locator('path.country.c5').count(), 1, 'the largest value is the darkest');
  assert.equal(await map.locator('path[data-code="TUR"]').getAttribute('class'), 'country c5');
  assert.match(await map.locator('path[data-code="TUR"] title').textContent(), /Turkey: 1,700,000/);
  assert.match(await map.textContent(), /Not on the map \(no shape\): Serbia and Montenegro/);
  await map.screenshot({ path: '/tmp/gmg-stats-map.png' });

  await page.getByRole('radio', { name: 'Table' }).check();
  const table = page.getByTestId('stats-table');
  await table.waitFor();
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['Destination (reference area)', 'Origin', '2000', '2010', '2020']);
  assert.equal(await table.locator('tbody tr').count(), 4);
  await expectNoAxeViolations(page, 'stats flow, table');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a table with rows for regions beside their countries (as UN DESA\'s): the one-period charts count each person once', async () => {
  const page = await app.newPage();
  const withRegion = {
    ...DATA,
    dimensions: [{ ...DATA.dimensions[0], values: [...DATA.dimensions[0].values, { id: '150', name: 'Europe' }] }, DATA.dimensions[1]],
    series: [...DATA.series, { key: ['150', 'TUR'], names: ['Europe', 'Turkey'], derived: false, values: [1700000, 1850000, 2000000] }],
  };
  await fakeStats(page, { data: () => [200, withRegion] });
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?all=1&chart=bar`);
  const bar = page.getByTestId('chart-bar');
  await bar.waitFor();
  assert.deepEqual(await bar.locator('details tbody tr').allTextContents(), ['Turkey2,000,000', 'Morocco1,000,000']);
  await page.getByRole('radio', { name: 'Map' }).check();
  await page.getByTestId('chart-map').waitFor();
  assert.match(await page.locator('path[data-code="TUR"] title').textContent(), /Turkey: 2,000,000/);
  await page.context().close();
});

test('keyboard: focus is visible on every Tab stop of a dataflow\'s page (query, view, chart boxes, downloads, share)', async () => {
  const page = await app.newPage();
  await fakeStats(page);
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?chart=bar`);
  await page.getByTestId('chart-bar').waitFor();
  const stops = await expectFocusVisibleOnEveryStop(page, 'stats flow');
  assert.ok(stops.length > 15, `only ${stops.length} stops`);
  await page.context().close();
});

test('no dataflow yet: the list says so, and offers the upload to one who may; an answer too large says how to narrow it', async () => {
  const visitor = await app.newPage();
  await fakeStats(visitor, { flows: [] });
  await visitor.goto(`${app.url}/stats`);
  await visitor.getByTestId('stats-empty').getByText('No statistics have been uploaded yet.').waitFor();
  assert.equal(await visitor.getByTestId('stats-empty').getByRole('link').count(), 0);
  await visitor.context().close();

  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await fakeStats(page, {
    flows: [],
    data: (q) => (q.get('key') ? [200, DATA] : [413, { error: { code: 'payload_too_large', message: 'the answer would hold 9000000 cells (series × periods), over the limit of 5000000: narrow the key', details: [] } }]),
  });
  await page.goto(`${app.url}/stats`);
  assert.equal(await page.getByTestId('stats-empty').getByRole('link', { name: 'Upload statistics' }).getAttribute('href'), '/stats/upload');
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?all=1`);
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.match(await error.textContent(), /The data could not be shown\..*over the limit of 5000000: narrow the key/);
  await page.context().close();
});

test('the embedded chart: only the chart, the source and a link to the full page', async () => {
  const page = await app.newPage({ width: 720, height: 480 });
  await fakeStats(page);
  await page.goto(`${app.url}/embed/stats?flow=IOM%2CMIGRANT_STOCK&d.REF_AREA=DEU%2BFRA&chart=bar`);
  await page.getByTestId('chart-bar').waitFor();
  assert.equal(await page.locator('header.site-header').count(), 0);
  assert.equal(await page.locator('footer').count(), 0);
  assert.equal(await page.getByTestId('stats-query').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Open the full data' }).getAttribute('href'), '/stats/IOM/MIGRANT_STOCK?d.REF_AREA=DEU%2BFRA&chart=bar');
  await expectNoAxeViolations(page, 'embedded chart');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

const CSV = 'Year,Destination,Turkey,Morocco\n2000,Germany,1500000,..\n2010,Germany,1600000,x1\n';

const INFERENCE = {
  structure: {
    agency: 'IOM',
    id: 'DSD_TEST_STOCK',
    version: '1.0',
    name: 'TEST_STOCK',
    dimensions: [
      { id: 'REF_AREA', name: 'Reference area', codelist: 'CL_REF_AREA' },
      { id: 'COUNTERPART_AREA', name: 'Counterpart area', codelist: 'CL_COUNTERPART_AREA' },
    ],
    attributes: [],
    time_dimension: 'TIME_PERIOD',
    primary_measure: 'OBS_VALUE',
    codelists: [
      { id: 'CL_REF_AREA', name: 'Areas', codes: [{ id: 'DEU', name: 'Germany', parent: '' }] },
      { id: 'CL_COUNTERPART_AREA', name: 'Areas', codes: [{ id: 'TUR', name: 'Turkey', parent: '' }, { id: 'MAR', name: 'Morocco', parent: '' }] },
    ],
    concepts: [
      { id: 'REF_AREA', name: 'Reference area' },
      { id: 'COUNTERPART_AREA', name: 'Counterpart area' },
    ],
  },
  mapping: {
    delimiter: ',',
    header_line: 1,
    columns: ['Year', 'Destination', 'Turkey', 'Morocco'],
    roles: [
      { kind: 'time', dimension: '', measure: '' },
      { kind: 'dimension', dimension: 'REF_AREA', measure: '' },
      { kind: 'wide_values', dimension: 'COUNTERPART_AREA', measure: '' },
      { kind: 'wide_values', dimension: 'COUNTERPART_AREA', measure: '' },
    ],
    wide_dimension: 'COUNTERPART_AREA',
    missing_markers: ['..'],
    constants: [],
  },
  notes: [
    { column: 'Destination', rule: 'area_names', message: "column 'Destination' holds 1 area name" },
    { column: 'Turkey', rule: 'areas_as_columns', message: '2 columns are areas' },
  ],
  preview_observations: 4,
};
const report = (over) => ({ format: 'csv', applied: false, inference: null, rows: 2, observations: 4, added: 3, replaced: 0, deleted: 0, unchanged: 0, series: 2, problems: [], problem_count: 0, ignored_columns: [], release: null, ...over });
const PROBLEMS = Array.from({ length: 120 }, (_, i) => ({ line: i + 3, column: 'Morocco', rule: 'not_a_number', message: `'x${i + 1}' is not a number` }));

test('an upload through the UI: the inferred structure edited and confirmed, rejected rows a page at a time, nothing uploaded while any remain', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const calls = await fakeStats(page, {
    flow: () => [404, { error: { code: 'not_found', message: 'no such dataflow', details: [] } }],
    uploads: (params) => (params.get('infer') === '1' ? report({ inference: INFERENCE }) : report({ problems: PROBLEMS.slice(0, 100), problem_count: 120 })),
  });
  await page.goto(`${app.url}/stats`);
  await page.getByRole('link', { name: 'Upload statistics' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Upload statistics' }).waitFor();
  const form = page.getByTestId('stats-upload-form');
  assert.equal(await form.getByLabel('Agency').inputValue(), 'IOM');
  await form.getByLabel('Dataflow id').fill('TEST_STOCK');
  await form.getByLabel('Name', { exact: true }).fill('Test stock');
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  assert.equal(await form.getByRole('button', { name: 'Upload' }).isDisabled(), true);
  await form.getByRole('button', { name: 'Check the file' }).click();

  const inf = page.getByTestId('stats-inference');
  await inf.waitFor();
  const sent = calls.uploads[0];
  assert.equal(sent.params.get('infer'), '1');
  assert.equal(sent.params.get('dry_run'), '1');
  assert.equal(sent.params.get('file_name'), 'stock.csv');
  assert.equal(sent.params.get('name'), 'Test stock');
  assert.equal(sent.body, CSV, 'the file is sent as it is');
  assert.ok(sent.csrf, 'with the CSRF token');
  assert.match(await inf.textContent(), /would give 4 observations/);
  assert.deepEqual(await inf.getByTestId('stats-notes').locator('li').evaluateAll((l) => l.map((e) => e.dataset.rule)), ['area_names', 'areas_as_columns']);
  assert.match(await inf.getByTestId('stats-inferred-dimensions').textContent(), /REF_AREA.*1 code.*COUNTERPART_AREA.*2 codes \(TUR, MAR\)/);
  // The statistician renames the origin dimension and confirms.
  assert.equal(await inf.getByLabel('Role of column Year').inputValue(), 'time');
  await inf.getByLabel('Dimension of column Turkey').fill('ORIGIN');
  await inf.getByLabel('Dimension of column Morocco').fill('ORIGIN');
  await inf.getByRole('button', { name: 'Confirm the structure' }).click();
  await page.getByTestId('stats-problems').waitFor();
  assert.equal(calls.puts.length, 1);
  const put = calls.puts[0].body;
  assert.equal(put.name, 'Test stock');
  assert.deepEqual(put.structure.dimensions.map((d) => d.id), ['REF_AREA', 'ORIGIN']);
  assert.equal(put.structure.dimensions[1].codelist, 'CL_COUNTERPART_AREA');
  assert.equal(put.mapping.wide_dimension, 'ORIGIN');
  assert.deepEqual(put.mapping.roles.map((r) => r.dimension), ['', 'REF_AREA', 'ORIGIN', 'ORIGIN']);
  assert.deepEqual(put.mapping.missing_markers, ['..'], 'fields the page does not edit travel unchanged');
  assert.ok(calls.puts[0].csrf);
  assert.equal(calls.uploads[1].params.get('infer'), null, 'checked again under the saved mapping');

  // 120 problems, 100 listed, 50 a page.
  assert.match(await page.getByTestId('stats-outcome').textContent(), /120 problems: nothing would be stored/);
  const rows = page.getByTestId('stats-problems').locator('tbody tr');
  assert.equal(await rows.count(), 50);
  assert.deepEqual(await rows.first().locator('td').allTextContents(), ['3', 'Morocco', "Not a number: 'x1' is not a number"]);
  assert.equal(await page.getByTestId('stats-problems-page').textContent(), 'Rows 1–50 of 100 listed');
  await page.getByRole('button', { name: 'Next' }).click();
  assert.equal(await page.getByTestId('stats-problems-page').textContent(), 'Rows 51–100 of 100 listed');
  assert.equal(await rows.first().locator('td').first().textContent(), '53');
  assert.match(await page.getByTestId('stats-report').textContent(), /20 more problems are not listed/);
  assert.equal(await form.getByRole('button', { name: 'Upload' }).isDisabled(), true, 'nothing to upload while rows are rejected');
  await expectNoAxeViolations(page, 'stats upload, problems');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a re-upload of an existing dataflow: checked under its saved mapping, uploaded, the previous release kept in history', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const existing = { ...FLOW, mapping: INFERENCE.mapping, releases: [RELEASE_1], current: RELEASE_1 };
  const afterUpload = { ...FLOW, releases: [RELEASE_2, RELEASE_1] };
  const calls = await fakeStats(page, {
    flow: (c) => [200, c.uploads.some((u) => u.params.get('dry_run') !== '1') ? afterUpload : existing],
    uploads: (params) => (params.get('dry_run') === '1' ? report({ added: 0, replaced: 3, unchanged: 9 }) : report({ applied: true, added: 0, replaced: 3, unchanged: 9, release: RELEASE_2 })),
  });
  await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK`);
  await page.getByRole('link', { name: 'Upload a new release' }).click();
  const form = page.getByTestId('stats-upload-form');
  await page.getByTestId('stats-upload-existing').waitFor();
  assert.equal(await form.getByLabel('Dataflow id').inputValue(), 'MIGRANT_STOCK');
  assert.match(await page.getByTestId('stats-upload-existing').textContent(), /exists \(1 release\)/);
  assert.equal(await form.getByLabel(/Work out the structure/).isChecked(), false, 'a saved mapping: no inference');
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'stock-2020.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await form.getByLabel('Note on this release').fill('Revised 2019');
  await form.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('No problem found: the file can be uploaded.').waitFor();
  assert.match(await page.getByTestId('stats-counts').textContent(), /3 replaced, 0 deleted, 9 unchanged/);
  await form.getByRole('button', { name: 'Upload' }).click();
  await page.getByTestId('stats-after').waitFor();
  const real = calls.uploads[calls.uploads.length - 1].params;
  assert.equal(real.get('dry_run'), null);
  assert.equal(real.get('note'), 'Revised 2019');
  assert.match(await page.getByTestId('stats-outcome').textContent(), /Uploaded as release 2/);
  assert.match(await page.getByTestId('stats-after').textContent(), /Release 2 replaces release 1, which stays in the dataflow's history/);
  await page.getByRole('link', { name: 'Open the dataflow' }).click();
  await page.getByTestId('releases').waitFor();
  assert.match(await page.getByTestId('releases').locator('tr[data-release="1"]').textContent(), /Replaced \(in history\)/);
  await page.context().close();
});

test("French and Arabic at phone width: the explorer and the upload in the reader's language, Arabic right to left, no sideways scrolling; axe", async () => {
  for (const [lang, expect] of [
    ['fr', { title: 'Statistiques', explore: 'Explorer les données', upload: 'Verser des statistiques', dest: 'Destination (zone de référence)' }],
    ['ar', { title: 'الإحصاءات', explore: 'استكشاف البيانات', upload: 'رفع إحصاءات', dest: 'المقصد (المنطقة المرجعية)' }],
  ]) {
    const page = await app.newPage({ locale: lang, width: 390, height: 844 });
    const r = await page.request.post(`${app.url}/api/v1/session`, { data: { email: FP.email, password: FP.password } });
    assert.equal(r.status(), 200);
    await fakeStats(page);
    await page.goto(`${app.url}/stats/IOM/MIGRANT_STOCK?chart=bar`);
    await page.getByRole('heading', { level: 2, name: expect.explore }).waitFor();
    await page.getByTestId('chart-bar').waitFor();
    await expectDirection(page, lang);
    assert.equal(await page.getByTestId('stats-query').locator('[data-dimension="REF_AREA"] label').textContent(), expect.dest);
    // Country names in the reader's language (Intl), the flow's name kept in English and marked so.
    assert.equal(await page.locator('h1').getAttribute('lang'), 'en');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${lang}: the page scrolls sideways by ${overflow}px`);
    await expectNoAxeViolations(page, `stats flow, ${lang}, phone`);
    await page.screenshot({ path: `/tmp/gmg-stats-${lang}-phone.png`, fullPage: true });
    await page.goto(`${app.url}/stats/upload`);
    await page.getByRole('heading', { level: 1, name: expect.upload }).waitFor();
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow2 <= 0, `${lang}: the upload page scrolls sideways by ${overflow2}px`);
    await expectNoAxeViolations(page, `stats upload, ${lang}, phone`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

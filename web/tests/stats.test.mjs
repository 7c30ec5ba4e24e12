// The statistics pages against the real statistics module (issue 11): a focal point uploads a
// small wide CSV (UN DESA's shape: a year, a destination, one column per origin) through the
// page — inferred, confirmed, uploaded —; the explorer draws its time series and its map; the
// SDMX-CSV, CSV and Excel downloads answer with the uploaded figures; a re-upload replaces
// release 1 and keeps it in the releases table. stats-ui.test.mjs covers the states the server
// does not produce on demand. A server built without the statistics API (/api/v1/stats answers
// 404) skips these tests, saying so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, expectNoAxeViolations } from './helpers.mjs';
import { runGmg } from '../../tests/lib/server.mjs';

const FP = { email: 'stat.iom@example.org', name: 'Sara Statistician', role: 'focal_point', org: 'iom', password: 'iom-statistician-pass-1' };
const CSV_1 = 'Year,Destination,Turkey,Morocco,Algeria,Poland,Italy\r\n2000,Germany,1500000,..,20000,300000,600000\r\n2010,Germany,1600000,2000,25000,600000,550000\r\n2000,France,200000,800000,1300000,90000,380000\r\n2010,France,250000,900000,1400000,95000,300000\r\n';
const CSV_2 = CSV_1.replace('250000', '260000');

let app;
let skip = false;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  const r = await fetch(`${app.url}/api/v1/stats/flows`);
  skip = r.status === 404 ? 'this server has no statistics API (/api/v1/stats/flows answers 404)' : false;
});
after(async () => {
  await app?.stop();
});

/** Uploads `csv` as IOM:TEST_STOCK through the page; `infer`: the first upload (structure to confirm). */
async function uploadThroughPage(page, csv, { infer }) {
  await page.goto(`${app.url}/stats/upload?agency=IOM&id=TEST_STOCK`);
  const form = page.getByTestId('stats-upload-form');
  await form.getByLabel('Dataflow id').waitFor();
  if (infer) await form.getByLabel('Name', { exact: true }).fill('Test migrant stock');
  else await page.getByTestId('stats-upload-existing').waitFor();
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  assert.equal(await form.getByLabel(/Work out the structure/).isChecked(), infer);
  await form.getByRole('button', { name: 'Check the file' }).click();
  if (infer) {
    const inf = page.getByTestId('stats-inference');
    await inf.waitFor({ timeout: 20000 });
    assert.equal(await inf.getByLabel('Role of column Year').inputValue(), 'time');
    assert.equal(await inf.getByLabel('Role of column Turkey').inputValue(), 'wide_values');
    await inf.getByRole('button', { name: 'Confirm the structure' }).click();
  }
  await page.getByText('No problem found: the file can be uploaded.').waitFor({ timeout: 20000 });
  await form.getByRole('button', { name: 'Upload' }).click();
  await page.getByTestId('stats-after').waitFor({ timeout: 20000 });
}

test('a focal point uploads a wide CSV through the page; the explorer charts and maps it; the downloads hold its figures; a re-upload keeps release 1 in history', async (t) => {
  if (skip) return t.skip(skip);
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await uploadThroughPage(page, CSV_1, { infer: true });
  assert.match(await page.getByTestId('stats-after').textContent(), /release 1, the dataflow's first/);

  await page.getByRole('link', { name: 'Open the dataflow' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test migrant stock' }).waitFor();
  const chart = page.getByTestId('chart-line');
  await chart.waitFor({ timeout: 20000 });
  assert.ok((await chart.locator('path.line').count()) >= 1);
  await expectNoAxeViolations(page, 'stats flow (real server)');

  // Every destination: the downloads of that selection hold the uploaded figures.
  await page.getByTestId('stats-query').getByRole('button', { name: 'Clear the query' }).click();
  await page.waitForURL(/all=1/);
  await page.getByTestId('chart-line').waitFor();
  const sdmx = await page.request.get(app.url + (await page.getByTestId('download-sdmx').getAttribute('href')));
  assert.equal(sdmx.status(), 200);
  const sdmxText = await sdmx.text();
  assert.match(sdmxText, /DATAFLOW/);
  assert.match(sdmxText, /1500000/);
  const csv = await page.request.get(app.url + (await page.getByTestId('download-csv').getAttribute('href')));
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /FRA,France,DZA,Algeria,2000,1300000/);
  const xlsx = await page.request.get(app.url + (await page.getByTestId('download-xlsx').getAttribute('href')));
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK', 'an Excel file is a zip');

  // The map shades Turkey, the largest origin in 2010.
  await page.getByRole('radio', { name: 'Map' }).check();
  const map = page.getByTestId('chart-map');
  await map.waitFor({ timeout: 20000 });
  assert.equal(await map.locator('path[data-code="TUR"]').getAttribute('class'), 'country c5');

  await uploadThroughPage(page, CSV_2, { infer: false });
  assert.match(await page.getByTestId('stats-after').textContent(), /Release 2 replaces release 1/);
  await page.getByRole('link', { name: 'Open the dataflow' }).click();
  const releases = page.getByTestId('releases');
  await releases.waitFor();
  assert.match(await releases.locator('tr[data-release="2"]').textContent(), /Current/);
  assert.match(await releases.locator('tr[data-release="1"]').textContent(), /Replaced \(in history\)/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the list names the dataflow with its provider and release; the embedded chart shows it alone', async (t) => {
  if (skip) return t.skip(skip);
  const page = await app.newPage();
  await page.goto(`${app.url}/stats`);
  const row = page.locator('tr[data-flow="IOM:TEST_STOCK"]');
  await row.waitFor();
  assert.match(await row.textContent(), /Test migrant stock.*IOM.*2000–2010.*Release 2/);
  await page.goto(`${app.url}/embed/stats?flow=IOM%2CTEST_STOCK&all=1&chart=bar`);
  await page.getByTestId('chart-bar').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('header.site-header').count(), 0);
  await expectNoAxeViolations(page, 'embedded chart (real server)');
  await page.context().close();
});

test("the demo data: UN DESA's migrant stock and UNHCR's refugees listed with their source; a newcomer's first chart, the flows between regions and the map show real figures", async (t) => {
  if (skip) return t.skip(skip);
  const load = runGmg(['demo', 'load', '--db', app.server.db]);
  assert.equal(load.status, 0, load.stderr);
  const page = await app.newPage();
  await page.goto(`${app.url}/stats`);
  const desa = page.locator('tr[data-flow="UNDESA:MIGRANT_STOCK"]');
  await desa.waitFor();
  assert.match(await desa.textContent(), /1990–2019/);
  await page.locator('tr[data-flow="UNHCR:REFUGEES"]').waitFor();
  await desa.getByRole('link').first().click();
  const line = page.getByTestId('chart-line');
  await line.waitFor({ timeout: 30000 });
  assert.ok((await line.locator('path.line').count()) >= 1);
  assert.match(await page.getByTestId('releases').textContent(), /UN_MigrantStockByOriginAndDestination_2019_clean\.csv/);
  await line.screenshot({ path: '/tmp/gmg-stats-desa-line.png' });
  await expectNoAxeViolations(page, 'UN DESA migrant stock (demo)');
  // Every destination and origin: flows between regions and the map of the latest year.
  await page.getByTestId('stats-query').getByRole('button', { name: 'Clear the query' }).click();
  await page.waitForURL(/all=1/);
  await page.getByRole('radio', { name: 'Flows between regions' }).check();
  const flow = page.getByTestId('chart-flow');
  await flow.waitFor({ timeout: 30000 });
  assert.ok((await flow.locator('path.band').count()) >= 10, 'flows between the UN regions');
  await flow.screenshot({ path: '/tmp/gmg-stats-desa-flow.png' });
  await page.getByRole('radio', { name: 'Map' }).check();
  const map = page.getByTestId('chart-map');
  await map.waitFor({ timeout: 30000 });
  assert.ok((await map.locator('path.country.c1, path.country.c2, path.country.c3, path.country.c4, path.country.c5').count()) >= 100, 'most countries have a value');
  await map.screenshot({ path: '/tmp/gmg-stats-desa-map.png' });
  await page.goto(`${app.url}/stats/UNHCR/REFUGEES`);
  await page.getByTestId('chart-line').waitFor({ timeout: 30000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// "The map says the world is covered" (issue 9): an activity recorded for a region shaded every
// country of the region, even under the Africa filter. Now the map shades only the countries
// activities name, and regional and global activities are listed beside it (and in the map's
// table), each region a link that filters the list. Demo data (`gmg demo load`) has some.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, expectNoAxeViolations } from './helpers.mjs';
import { runGmg } from '../../tests/lib/server.mjs';

let app;

before(async () => {
  app = await startApp();
  const r = runGmg(['demo', 'load', '--db', app.server.db]);
  assert.equal(r.status, 0, r.stderr);
});
after(async () => {
  await app?.stop();
});

/** The countries the map shades (a count above 0), once it has drawn `expected` of them. */
async function shadedCountries(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="world-map"] path[data-country]')]
      .filter((p) => Number(p.getAttribute('data-count')) > 0)
      .map((p) => p.getAttribute('data-country'))
      .sort(),
  );
}

test('under the Africa filter, an Africa-wide demo activity shades no country and is listed beside the map', async () => {
  const api = new Client(app.url);
  const listed = await api.get('/api/v1/activities?region=002&limit=500');
  assert.equal(listed.status, 200, listed.text);
  const regional = listed.json.items.filter((a) => a.regions.includes('002') && a.countries.length === 0);
  assert.ok(regional.length >= 1, 'the demo data has an activity for Africa as a whole');
  // What may be shaded: the countries the activities under the filter name, nothing else.
  const named = [...new Set(listed.json.items.flatMap((a) => a.countries))].sort();

  const page = await app.newPage();
  await page.goto(`${app.url}/activities?region=002`);
  const regions = page.getByTestId('map-regions');
  const africa = regions.locator('li[data-region="002"]');
  await africa.waitFor();
  await page.locator('[data-testid="world-map"] path[data-country]').first().waitFor();
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="world-map"] path[data-country]')].filter((p) => Number(p.getAttribute('data-count')) > 0).length === n, named.length);
  assert.deepEqual(await shadedCountries(page), named);
  // Algeria: in Africa, named by no demo activity; before, the Africa-wide one shaded it.
  const algeria = page.locator('[data-testid="world-map"] path[data-country="DZ"]');
  assert.equal(await algeria.getAttribute('data-count'), '0');
  assert.match(await algeria.getAttribute('class'), /\bc0\b/);

  // Listed beside the map: the region, its count, a link that filters the list by it.
  await regions.getByRole('heading', { name: 'Regional' }).waitFor();
  assert.equal(await africa.getByRole('link').textContent(), 'Africa');
  assert.equal(await africa.getByRole('link').getAttribute('href'), '/activities?region=002');
  const count = Number(await africa.locator('.num').textContent());
  const counts = (await api.get('/api/v1/activities/map?region=002')).json;
  assert.equal(count, counts.regions.find((r) => r.region === '002').count);
  assert.equal(count, regional.length + listed.json.items.filter((a) => a.regions.includes('002') && a.countries.length > 0).length);
  assert.equal(await page.getByTestId('global-count').textContent(), String(counts.global));

  // And in the map's table alternative.
  const table = page.getByTestId('map-table');
  await table.locator('summary').click();
  const row = table.getByTestId('map-table-regions').locator('tr[data-region="002"]');
  await row.waitFor();
  assert.equal(await row.locator('th').textContent(), 'Africa');
  assert.equal(await row.locator('td').textContent(), String(count));
  assert.equal(await table.locator('tr[data-country="DZ"]').count(), 0);
  await expectNoAxeViolations(page, 'activities under the Africa filter, regional activities listed beside the map');
  assert.deepEqual(page.problems, []);
});

test('every region beside the unfiltered map is a link that filters the list; global ones are counted', async () => {
  const counts = (await new Client(app.url).get('/api/v1/activities/map')).json;
  assert.ok(counts.regions.length >= 3, JSON.stringify(counts.regions));
  assert.ok(counts.global >= 1);
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  const regions = page.getByTestId('map-regions');
  await regions.locator('li').first().waitFor();
  assert.equal(await regions.locator('li').count(), counts.regions.length);
  assert.equal(await page.getByTestId('global-count').textContent(), String(counts.global));
  // Asia: recorded for the region only; its link filters the list.
  await regions.locator('li[data-region="142"] a').click();
  await page.waitForURL(/[?&]region=142\b/);
  await page.getByTestId('activities').waitFor();
  await page.waitForFunction(() => document.querySelector('select[name="region"]')?.value === '142');
  await page.getByTestId('map-regions').locator('li[data-region="142"] a[aria-current="page"]').waitFor();
  assert.deepEqual(page.problems, []);
});

test('on a phone the regional list comes under the map', async () => {
  const page = await app.newPage({ width: 390, height: 844 });
  await page.goto(`${app.url}/activities?region=002`);
  await page.getByTestId('map-regions').locator('li[data-region="002"]').waitFor();
  const map = await page.locator('.map-scroll').boundingBox();
  const list = await page.getByTestId('map-summary').boundingBox();
  assert.ok(list.y >= map.y + map.height, `the list (top ${list.y}) is under the map (bottom ${map.y + map.height})`);
  assert.ok(list.width > 300, `the list takes the width (${list.width} px)`);
  await expectNoAxeViolations(page, 'activities on a phone, regional list under the map');
});

// The one search (issue 13, docs/search.md) in the browser against the real server: a visitor
// types words in the header's search box and lands on /search with results of several kinds,
// each linking to its page; the counts per kind narrow the list; a member finds the draft
// position the public does not; nothing found says so; axe; Arabic right to left. Waits for
// data on screen, never only for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations, expectDirection } from './helpers.mjs';

const PASS = 'search-test-password-1';
const SEC = { email: 'sec.search@example.org', name: 'Sol Search', role: 'secretariat', password: PASS };
const FP = { email: 'fp.search@example.org', name: 'Faye Search', role: 'focal_point', org: 'iom', password: PASS };

let app;
before(async () => {
  app = await startApp();
  for (const u of [SEC, FP]) addUser(app.server.db, u);
  const sec = new Client(app.url);
  await sec.signIn(SEC.email, SEC.password);
  for (const [path, body] of [
    ['/api/v1/activities', { organization_id: 'ilo', titles: 'Quillwort labour corridor', type: 'research', countries: ['NP'], visibility: 'public' }],
    ['/api/v1/meetings', { title: 'Quillwort coordination meeting', starts_local: '2031-05-09T10:00', ends_local: '2031-05-09T12:00', time_zone: 'Europe/Zurich' }],
    ['/api/v1/library/items', { kind: 'publication', title: 'Quillwort remittance study', organization_id: 'iom', year: 2021, language: 'en', abstract: 'Remittances along the quillwort corridor.' }],
    ['/api/v1/positions', { title: 'Quillwort draft position', text: 'Draft.', lead_org: 'iom' }],
  ]) {
    const r = await sec.post(path, body);
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await app?.stop();
});

test('search: the header box finds several kinds; counts narrow the list; a result opens its page', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/stats`);
  await page.waitForLoadState('networkidle');
  const box = page.getByRole('search', { name: "Search the GMG's work" }).getByRole('searchbox');
  await box.fill('quillwort');
  await box.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
  await page.getByTestId('search-summary').getByText('3 results for “quillwort”').waitFor();
  const hits = page.getByTestId('search-hits');
  assert.deepEqual((await hits.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.kind))).sort(), ['activity', 'library', 'meeting']);
  assert.equal(await page.getByLabel('Words to look for').inputValue(), 'quillwort');
  const facets = page.getByRole('navigation', { name: 'Narrow by kind' });
  await expectNoAxeViolations(page, 'search results, signed out');
  await facets.getByRole('link', { name: 'Meetings (1)' }).click();
  await page.getByTestId('search-summary').getByText('1 result for “quillwort”').waitFor();
  assert.equal(await facets.getByRole('link', { name: 'Meetings (1)' }).getAttribute('aria-current'), 'page');
  assert.match(page.url(), /\/search\?q=quillwort&kind=meeting$/);
  await hits.getByRole('link', { name: 'Quillwort coordination meeting' }).click();
  await page.getByRole('heading', { level: 1, name: 'Quillwort coordination meeting' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('search: a member finds the draft position the public does not; nothing found says so', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/search?q=quillwort%20draft`);
  const hits = page.getByTestId('search-hits');
  await hits.getByRole('link', { name: 'Quillwort draft position' }).waitFor();
  await page.getByLabel('Words to look for').fill('quillwort nowhere');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByTestId('search-none').waitFor();
  await expectNoAxeViolations(page, 'search, nothing found');
  await page.context().close();

  const anon = await app.newPage();
  await anon.goto(`${app.url}/search?q=quillwort%20draft`);
  await anon.getByTestId('search-none').waitFor();
  await anon.context().close();
});

test('search: in Arabic, right to left, at phone width, without sideways scrolling', async () => {
  const page = await app.newPage({ width: 390, height: 800, locale: 'ar' });
  await page.goto(`${app.url}/search?q=quillwort`);
  await expectDirection(page, 'ar');
  await page.getByRole('heading', { level: 1, name: 'البحث' }).waitFor();
  await page.getByTestId('search-hits').locator('li').nth(2).waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `the page is ${wide} px wide`);
  await expectNoAxeViolations(page, 'search results, Arabic, 390 px');
  await page.context().close();
});

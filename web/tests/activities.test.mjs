// The activity map: an IOM focal point records an activity through the form; it shows in the
// list, on the map, under region filters and in text search; another agency cannot edit it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, ADMIN_EMAIL, ADMIN_PASSWORD, openAdminMenu } from './helpers.mjs';

const IOM = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };
const UNHCR = { email: 'fp.unhcr@example.org', name: 'Omar Focal', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-point-pass-1' };
const SEC = { email: 'sec@example.org', name: 'Sam Secretariat', role: 'secretariat', password: 'secretariat-pass-1' };

// A word no other activity has, for the text search.
const WORD = 'Xochimilco';
const TITLE = `${WORD} corridor: health care for migrants in transit`;

let app;
let activityId;

before(async () => {
  app = await startApp();
  for (const u of [IOM, UNHCR, SEC]) addUser(app.server.db, u);
  // Some activities of other agencies, so the map and the table have more than one thing on them.
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const seed = [
    { organization_id: 'ilo', titles: 'Fair recruitment corridor Nepal–Gulf', type: 'technical_assistance', themes: ['labour-migration'], countries: ['NP', 'QA', 'SA', 'AE'], starts_on: '2021-03-01', ends_on: '2026-02-28', status: 2 },
    { organization_id: 'unhcr', titles: 'Asylum capacity in Southern Europe', type: 'training', themes: ['refugee-protection'], regions: ['039'], countries: ['DE'], status: 2 },
    { organization_id: 'undesa', titles: 'International migrant stock estimates', type: 'data_statistics', themes: ['migration-data'], is_global: true, status: 2 },
    { organization_id: 'worldbank', titles: 'Remittance prices in West Africa', type: 'research', themes: ['remittances'], regions: ['011'], countries: ['NG', 'GH', 'SN'], status: 3 },
    { organization_id: 'unodc', titles: 'Smuggling of migrants in Central America', type: 'normative', themes: ['smuggling'], countries: ['GT', 'HN', 'SV', 'MX', 'US'], status: 2 },
  ];
  for (const body of seed) {
    const r = await admin.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await app?.stop();
});

/** Waits until the table of /activities does (or does not) list the activity. */
async function waitListed(page, title, listed = true) {
  await page.waitForFunction(
    ([t, want]) => {
      const table = document.querySelector('[data-testid="activities"]');
      const none = [...document.querySelectorAll('main p')].some((p) => p.textContent === 'No activities match these filters.');
      if (!table && !none) return false;
      const has = !!table && table.textContent.includes(t);
      return has === want;
    },
    [title, listed],
  );
}

test('an IOM focal point records an activity through the form and lands on its page', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, IOM.email, IOM.password);
  await page.goto(`${app.url}/activities`);
  await page.getByRole('link', { name: 'Record an activity' }).click();
  await page.getByRole('heading', { level: 1, name: 'Record an activity' }).waitFor();
  const form = page.getByTestId('activity-form');
  // A focal point's organisation is fixed to their own.
  await form.getByText('International Organization for Migration (IOM)').waitFor();
  assert.equal(await form.getByLabel('Organisation').count(), 0);

  await form.getByLabel('Title (English)').fill(TITLE);
  await form.getByLabel('Description (English)').fill('Primary health care and referral for migrants crossing Mexico.');
  await form.getByLabel('Type', { exact: true }).selectOption('operational_programme');
  await form.getByLabel('Health and HIV').check();
  await form.getByLabel('Countries', { exact: true }).fill('Mexi');
  await form.getByRole('button', { name: /^Mexico \(MX\)/ }).click();
  await form.getByRole('button', { name: 'Remove Mexico' }).waitFor();
  await form.getByLabel('Start date').fill('2024-01-01');
  await form.getByLabel('End date').fill('2026-12-31');
  await form.getByLabel('Budget amount').fill('750000');
  await form.getByLabel('Currency').selectOption('EUR');
  await form.getByRole('button', { name: 'Record activity' }).click();

  await page.waitForURL(/\/activities\/\d+$/);
  activityId = Number(/\/activities\/(\d+)$/.exec(page.url())[1]);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal(await page.getByTestId('countries').textContent(), 'Mexico');
  await page.getByTestId('themes').getByText('Health and HIV').waitFor();
  assert.match(await page.getByTestId('budget').textContent(), /€750,000/);
  // Its own organisation's focal point may change it.
  await page.getByTestId('edit-activity').waitFor();
  await page.getByRole('button', { name: 'Archive' }).waitFor();

  const stored = await new Client(app.url).get(`/api/v1/activities/${activityId}`);
  assert.equal(stored.status, 200);
  assert.equal(stored.json.organization.id, 'iom');
  assert.deepEqual(stored.json.countries, ['MX']);
  assert.deepEqual(stored.json.themes, ['health-hiv']);
  assert.equal(stored.json.starts_on, '2024-01-01');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the activity is listed, Mexico is coloured on the map, and region filters keep or hide it', async () => {
  assert.ok(activityId, 'the first test recorded the activity');
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  await waitListed(page, TITLE);
  await page.getByTestId('total').getByText(/of 6 activities/).waitFor();

  // The map comes in its own chunk; Mexico has this activity and UNODC's.
  const mx = page.locator('[data-testid="world-map"] path[data-country="MX"]');
  await mx.waitFor();
  await page.waitForFunction(() => document.querySelector('path[data-country="MX"]')?.getAttribute('aria-label') === 'Mexico: 2 activities');
  assert.match(await mx.getAttribute('class'), /\bc[1-5]\b/, 'Mexico is shaded');
  assert.equal(await mx.locator('title').textContent(), 'Mexico: 2 activities');
  assert.match(await page.locator('path[data-country="BR"]').getAttribute('class'), /\bc0\b/, 'Brazil is not');
  assert.equal(await page.getByTestId('global-count').textContent(), '1');
  await page.screenshot({ path: '/tmp/gmg-activities.png', fullPage: true });

  // Latin America and the Caribbean keeps it; Europe hides it (and empties Mexico on the map).
  await page.getByLabel('Region').selectOption('419');
  await page.waitForURL(/[?&]region=419\b/);
  await waitListed(page, TITLE);
  await page.getByLabel('Region').selectOption('150');
  await page.waitForURL(/[?&]region=150\b/);
  await waitListed(page, TITLE, false);
  await page.getByRole('table').getByText('Asylum capacity in Southern Europe').waitFor();
  await page.waitForFunction(() => document.querySelector('path[data-country="MX"]')?.getAttribute('data-count') === '0');

  // The Back button returns to the previous filter.
  await page.goBack();
  await page.waitForURL(/[?&]region=419\b/);
  await waitListed(page, TITLE);
  assert.equal(await page.getByLabel('Region').inputValue(), '419');

  // Clicking a country on the map filters by it.
  await page.goto(`${app.url}/activities`);
  await page.locator('path[data-country="NP"][role="button"]').click();
  await page.waitForURL(/[?&]country=NP\b/);
  await waitListed(page, 'Fair recruitment corridor Nepal–Gulf');
  await waitListed(page, TITLE, false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a text search shows the activity with the match highlighted, and facet counts', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  await page.getByLabel('Text').fill(WORD.toLowerCase());
  await page.getByLabel('Text').press('Enter');
  await page.waitForURL(/[?&]q=xochimilco\b/);
  const mark = page.getByTestId('activities').locator('a mark');
  await mark.first().waitFor();
  assert.equal(await mark.first().textContent(), WORD);
  await page.getByTestId('total').getByText('Showing 1 of 1 activity.').waitFor();
  // Facet counts next to the filter options.
  const org = page.getByLabel('Organisation');
  assert.equal((await org.locator('option[value="iom"]').textContent()).trim(), 'IOM (1)');
  assert.equal((await org.locator('option[value="ilo"]').textContent()).trim(), 'ILO (0)');
  assert.equal((await page.getByLabel('Country').locator('option[value="MX"]').textContent()).trim(), 'Mexico (1)');
  await page.screenshot({ path: '/tmp/gmg-activities-search.png', fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a search naming a theme and a place becomes those filters, says so, and can search the words instead', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  await page.getByLabel('Text').fill('remittances west africa');
  await page.getByLabel('Text').press('Enter');
  await page.waitForURL(/theme=remittances/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('region'), '011');
  assert.equal(url.searchParams.get('q'), null);
  await page.getByTestId('read-as-filters').getByText(/named places or themes/).waitFor();
  await page.getByTestId('activities').getByText('Remittance prices in West Africa').waitFor();
  assert.equal(await page.getByLabel('Theme').inputValue(), 'remittances');
  // The words as typed: a text search, its matches highlighted, the filters not applied.
  await page.getByRole('link', { name: 'Search the words as text instead' }).click();
  await page.waitForURL(/literal=1/);
  await page.getByTestId('activities').locator('a mark').first().waitFor();
  assert.equal(new URL(page.url()).searchParams.get('theme'), null);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the download links carry the current filters', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/activities?region=419&q=${WORD}`);
  await waitListed(page, WORD);
  for (const [id, path] of [
    ['download-csv', '/api/v1/activities.csv'],
    ['download-xlsx', '/api/v1/activities.xlsx'],
    ['download-iati', '/api/v1/activities.iati.xml'],
  ]) {
    const link = page.getByTestId(id);
    const href = await link.getAttribute('href');
    const u = new URL(href, app.url);
    assert.equal(u.pathname, path);
    assert.equal(u.searchParams.get('region'), '419');
    assert.equal(u.searchParams.get('q'), WORD);
    assert.notEqual(await link.getAttribute('download'), null, `${id} is a download link`);
  }
  const csv = await new Client(app.url).get(new URL(await page.getByTestId('download-csv').getAttribute('href'), app.url).pathname + '?region=419&q=' + WORD);
  assert.equal(csv.status, 200);
  assert.match(csv.text, new RegExp(WORD));
  assert.doesNotMatch(csv.text, /Nepal/);
  await page.context().close();
});

test('a UNHCR focal point sees no Edit button on it, and the server refuses a PATCH from the page', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, UNHCR.email, UNHCR.password);
  await page.goto(`${app.url}/activities/${activityId}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByRole('heading', { name: 'Facts' }).waitFor();
  assert.equal(await page.getByTestId('edit-activity').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Archive' }).count(), 0);

  const status = await page.evaluate(async (id) => {
    const s = await (await fetch('/api/v1/session')).json();
    const g = await fetch(`/api/v1/activities/${id}`);
    const r = await fetch(`/api/v1/activities/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token, 'If-Match': g.headers.get('ETag') },
      body: JSON.stringify({ titles: 'Taken over by another agency' }),
    });
    return r.status;
  }, activityId);
  assert.equal(status, 403);
  const after_ = await new Client(app.url).get(`/api/v1/activities/${activityId}`);
  assert.equal(after_.json.title, TITLE);

  // The edit page itself explains instead of showing a form.
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  await page.getByText(/Only IOM's focal points/).waitFor();
  assert.equal(await page.getByTestId('activity-form').count(), 0);
  await page.context().close();
});

test('the form lists every problem at once in a summary that takes the focus, and the server\'s too', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, IOM.email, IOM.password);
  await page.goto(`${app.url}/activities/new`);
  const form = page.getByTestId('activity-form');
  // Required fields are marked and named before anything goes wrong.
  await form.getByText('Fields marked * are required: a title and the type.').waitFor();
  // An empty form with the dates the wrong way round and an empty partner row: one submit.
  await form.getByLabel('Start date').fill('2031-06-01');
  await form.getByLabel('End date').fill('2031-01-31');
  // A start after today makes the stage "planned" until one is chosen.
  assert.equal(await form.getByLabel('Stage').inputValue(), '1');
  await form.getByRole('button', { name: 'Add a partner' }).click();
  await form.getByRole('button', { name: 'Record activity' }).click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.deepEqual(await summary.locator('li').allTextContents(), [
    'Title: Give the activity a title.',
    'Type: Choose the type of activity.',
    'End date: The end date comes before the start date.',
    'Partners: Partner 1 needs a name (or remove the row).',
  ]);
  // The focus moves in an effect after rendering: wait for it (fails after 5 s).
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'error-summary', null, { timeout: 5000 });
  assert.match(await summary.getByRole('heading').textContent(), /There are 4 problems/);
  await summary.getByRole('link', { name: /^End date/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'date');
  assert.equal(await form.getByLabel('End date').getAttribute('aria-invalid'), 'true');
  assert.match(page.url(), /\/activities\/new$/);

  // Fixed in the browser; what only the server knows comes back in the same summary, all of it.
  await form.getByLabel('Title (English)').fill('An activity the server checks too');
  await form.getByLabel('Type', { exact: true }).selectOption('research');
  await form.getByLabel('End date').fill('2031-12-31');
  await form.getByLabel('Partner 1 name').fill('Ministry of Labour');
  await form.getByLabel('Budget amount').fill('100,000,000,000,000');
  await form.getByRole('button', { name: 'Add a link' }).click();
  await form.getByLabel('Link 1 address').fill('https://example.org/<report>');
  await form.getByRole('button', { name: 'Record activity' }).click();
  await summary.getByText(/^Links: /).waitFor();
  assert.deepEqual((await summary.locator('li').allTextContents()).map((t) => t.split(':')[0]), ['Budget amount', 'Links']);

  // "250,000" is a number people write.
  await form.getByLabel('Budget amount').fill('250,000');
  await form.getByLabel('Link 1 address').fill('https://example.org/report');
  await form.getByRole('button', { name: 'Record activity' }).click();
  await page.waitForURL(/\/activities\/\d+$/);
  const id = /\/activities\/(\d+)$/.exec(page.url())[1];
  const stored = (await new Client(app.url).get(`/api/v1/activities/${id}`)).json;
  assert.deepEqual(stored.budget, { amount: 250000, currency: 'USD' });
  assert.equal(stored.status, 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// Polls `read` until it returns `expected` (or 5 s pass) and returns its last value.
async function eventually(read, expected, ms = 5000) {
  const until = Date.now() + ms;
  let value = await read();
  while (value !== expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

test('the focal point edits the activity (PATCH with If-Match) and a stale edit is explained', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, IOM.email, IOM.password);
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  const form = page.getByTestId('activity-form');
  await form.getByRole('button', { name: 'Add another language (title)' }).click();
  await form.getByLabel('Title (French)').fill(`Corridor ${WORD} : santé des migrants en transit`);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`/activities/${activityId}$`));
  await page.getByText(`Corridor ${WORD} : santé des migrants en transit`).waitFor();

  // Someone else changes it while the form is open: the save gets 412 and the form reloads.
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  await form.getByLabel('Title (English)').fill('My change on an old copy');
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const cur = await admin.get(`/api/v1/activities/${activityId}`);
  const r = await admin.patch(`/api/v1/activities/${activityId}`, { status: 3 }, { headers: { 'if-match': cur.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('stale').waitFor();
  // The notice shows at once; the form then reloads with the current version.
  const reloaded = page.getByTestId('activity-form');
  assert.equal(await eventually(() => reloaded.getByLabel('Title (English)').inputValue(), TITLE), TITLE);
  assert.equal(await eventually(() => reloaded.getByLabel('Stage').inputValue(), '3'), '3');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the focal point gives the activity its IATI sectors in the form, changes them, and the IATI export carries them', async () => {
  assert.ok(activityId, 'the first test recorded the activity');
  const page = await app.newPage();
  await signIn(page, app.url, IOM.email, IOM.password);
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  const form = page.getByTestId('activity-form');
  await form.getByRole('button', { name: 'Add a sector' }).click();
  await form.getByRole('button', { name: 'Add a sector' }).click();
  assert.equal(await form.getByLabel('Vocabulary of sector 1').inputValue(), '1');
  // What the browser sees at once: a share over 100, a code twice, a row without a code.
  await form.getByLabel('Code of sector 1').fill('15190');
  await form.getByLabel('Share of sector 1 (%)').fill('160');
  await form.getByLabel('Code of sector 2').fill('15190');
  await form.getByRole('button', { name: 'Add a sector' }).click();
  await form.getByRole('button', { name: 'Save changes' }).click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.deepEqual(await summary.locator('li').allTextContents(), [
    'Sectors: The share of sector 1 must be a number from 0 to 100.',
    'Sectors: Sector 2 repeats code 15190 of the same vocabulary.',
    'Sectors: Sector 3 needs a code (or remove the row).',
  ]);
  assert.deepEqual((await new Client(app.url).get(`/api/v1/activities/${activityId}`)).json.sectors, []);

  await form.getByRole('button', { name: 'Remove sector 3' }).click();
  await form.getByLabel('Share of sector 1 (%)').fill('60');
  await form.getByLabel('Vocabulary of sector 2').selectOption('99');
  await form.getByLabel('Code of sector 2').fill('IOM-HEALTH');
  await form.getByLabel('Share of sector 2 (%)').fill('40');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`/activities/${activityId}$`));
  await page.getByTestId('sectors').waitFor();
  assert.deepEqual(await page.getByTestId('sectors').locator('li').allTextContents(), [
    'DAC sector 15190 (60 %)',
    "Publisher's own sector IOM-HEALTH (40 %)",
  ]);
  const stored = (await new Client(app.url).get(`/api/v1/activities/${activityId}`)).json;
  assert.deepEqual(
    stored.sectors.map((x) => [x.vocabulary, x.code, x.percentage]),
    [['1', '15190', 60], ['99', 'IOM-HEALTH', 40]],
  );
  const xml = (await new Client(app.url).get('/api/v1/activities.iati.xml?organization=iom')).text;
  assert.match(xml, /<sector code="15190" vocabulary="1" percentage="60"\/>/);
  assert.match(xml, /<sector code="IOM-HEALTH" vocabulary="99" percentage="40"\/>/);

  // The form opens with them, a row removed goes, and an edit elsewhere keeps the rest.
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  assert.equal(await form.getByLabel('Code of sector 2').inputValue(), 'IOM-HEALTH');
  assert.equal(await form.getByLabel('Share of sector 1 (%)').inputValue(), '60');
  await form.getByRole('button', { name: 'Remove sector 2' }).click();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`/activities/${activityId}$`));
  await page.getByTestId('sectors').getByText('DAC sector 15190 (60 %)').waitFor();
  assert.equal(await page.getByTestId('sectors').locator('li').count(), 1);

  // Sectors as an import leaves them (a share with more decimals than the form shows, a
  // vocabulary left out, a publisher's label) go back exactly as stored when the form saves.
  const iom = new Client(app.url);
  await iom.signIn(IOM.email, IOM.password);
  const imported = [
    { vocabulary: '', code: '15190', percentage: 33.3333333, narrative: '', vocabulary_uri: '' },
    { vocabulary: '10', code: 'protection', percentage: null, narrative: 'Protection cluster', vocabulary_uri: '' },
  ];
  const cur = await iom.get(`/api/v1/activities/${activityId}`);
  const r = await iom.patch(`/api/v1/activities/${activityId}`, { sectors: imported }, { headers: { 'if-match': cur.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);
  await page.goto(`${app.url}/activities/${activityId}/edit`);
  assert.equal(await form.getByLabel('Share of sector 1 (%)').inputValue(), '33.333');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`/activities/${activityId}$`));
  await page.getByTestId('sectors').getByText(/Protection cluster/).waitFor();
  assert.deepEqual((await iom.get(`/api/v1/activities/${activityId}`)).json.sectors, imported);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the secretariat adds, renames and archives a theme', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  await openAdminMenu(page);
  await page.getByRole('link', { name: 'Themes' }).click();
  await page.getByRole('heading', { level: 1, name: 'Themes' }).waitFor();
  const add = page.getByTestId('add-theme');
  await add.getByLabel('Name').fill('Climate and mobility');
  await add.getByLabel('Id').fill('climate-mobility');
  await add.getByRole('button', { name: 'Add theme' }).click();
  await page.getByText('Added “Climate and mobility”.').waitFor();
  const table = page.getByTestId('themes');
  await table.getByRole('button', { name: 'Rename Climate and mobility' }).click();
  await page.getByTestId('edit-theme').getByLabel('Name').fill('Climate change and human mobility');
  await page.getByTestId('edit-theme').getByRole('button', { name: 'Save theme' }).click();
  await page.getByText('Saved “Climate change and human mobility”.').waitFor();
  await table.getByRole('button', { name: 'Archive Climate change and human mobility' }).click();
  await page.getByText('Archived “Climate change and human mobility”.').waitFor();
  const themes = await new Client(app.url).get('/api/v1/themes');
  const t = themes.json.items.find((x) => x.id === 'climate-mobility');
  assert.equal(t.name, 'Climate change and human mobility');
  assert.equal(t.archived, true);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

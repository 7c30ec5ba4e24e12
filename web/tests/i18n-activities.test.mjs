// The activity pages in other languages (issue 9): the list, its filters and the map's table in
// French with plural counts and dates through Intl; an activity recorded in English and French
// shown in French to a French reader and in English with "(in English)" to a Spanish one (in
// the list, on its page and in search hits); the import page in Spanish; the list right to left
// in Arabic. axe finds nothing on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp, signIn, addUser, Client, expectNoAxeViolations, webDir, ADMIN_EMAIL, ADMIN_PASSWORD, expectDirection } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };

const BONDS_EN = 'Diaspora bonds for development';
const BONDS_FR = 'Obligations de la diaspora pour le développement';
const REMITTANCES = 'Remittance prices in West Africa';

let app;
let bondsId;

before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const seed = [
    {
      organization_id: 'iom',
      titles: [
        { lang: 'en', text: BONDS_EN },
        { lang: 'fr', text: BONDS_FR },
      ],
      descriptions: [
        { lang: 'en', text: 'Bonds sold to the diaspora finance local projects.' },
        { lang: 'fr', text: 'Des obligations vendues à la diaspora financent des projets locaux.' },
      ],
      type: 'research',
      countries: ['MX', 'GT'],
      regions: ['419'],
      starts_on: '2021-03-01',
      ends_on: '2024-02-29',
      status: 2,
    },
    { organization_id: 'worldbank', titles: REMITTANCES, type: 'research', regions: ['011'], countries: ['NG', 'GH', 'SN'], status: 3 },
    { organization_id: 'undesa', titles: 'International migrant stock estimates', type: 'data_statistics', is_global: true, status: 2 },
  ];
  for (const body of seed) {
    const r = await admin.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
    if (body.organization_id === 'iom') bondsId = r.json.id;
  }
});
after(async () => {
  await app?.stop();
});

/** A page in a fresh context whose browser asks for `locale` (navigator.languages, Accept-Language). */
async function newPage(locale, { width = 1280, height = 900 } = {}) {
  const context = await app.browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return page;
}

const row = (page, title) => page.getByTestId('activities').locator('tbody tr', { hasText: title });
const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

test('the activities page in French: filters, region and country names, plural counts, the map table and a date', async () => {
  const page = await newPage('fr-FR');
  await page.goto(`${app.url}/activities`);
  await page.getByRole('heading', { level: 1, name: 'Activités' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');

  // Filters: labels, options in French (countries through Intl, M49 regions from the catalogue).
  const filters = page.getByRole('search', { name: 'Filtrer les activités' });
  await filters.getByRole('button', { name: 'Rechercher' }).waitFor();
  const country = filters.getByLabel('Pays', { exact: true });
  await country.locator('option[value="MX"]').waitFor({ state: 'attached' });
  assert.equal(await country.locator('option[value="MX"]').textContent(), 'Mexique');
  assert.equal(await country.locator('option[value="DE"]').textContent(), 'Allemagne');
  const region = filters.getByLabel('Région', { exact: true });
  assert.equal(await region.locator('option[value="419"]').textContent(), 'Amérique latine et Caraïbes');
  assert.equal(await region.locator('option[value="202"]').textContent(), 'Afrique subsaharienne');
  assert.equal(await region.locator('optgroup').first().getAttribute('label'), 'Régions');
  assert.equal(await filters.getByLabel('Type', { exact: true }).locator('option[value="research"]').textContent(), 'Recherche');
  assert.equal(await filters.getByLabel('État d’avancement').locator('option[value="2"]').textContent(), 'En cours');
  assert.equal(await filters.getByLabel('Portée').locator('option[value=""]').textContent(), 'Membres et partenaires');
  assert.match(await text(page.getByTestId('filter-panel').locator('summary')), /^Filtres \(aucun choisi\)$/);

  // Counts with plurals, numbers through Intl.
  await page.getByTestId('activities').waitFor();
  assert.equal(await text(page.getByTestId('total')), '3 sur 3 activités affichées.');
  assert.equal(await text(page.getByTestId('map-summary').locator('p').first()), '1 activité mondiale');
  // Countries named are shaded (the regions 419 and 011 are listed beside the map instead).
  const [, shaded] = /(\d+) pays comptent des activités/.exec(await text(page.getByTestId('map-summary').locator('p.meta').last())) ?? [];
  assert.ok(Number(shaded) > 1, `countries with activities: ${shaded}`);

  // Cells: type, status, places and the period (months through Intl) in French.
  const bonds = row(page, BONDS_FR);
  assert.match(await text(bonds), /Recherche/);
  assert.match(await text(bonds), /En cours/);
  assert.match(await text(bonds), /Amérique latine et Caraïbes, Guatemala, Mexique/);
  assert.match(await text(bonds), /mars 2021 – févr\. 2024/);
  assert.equal(await page.getByTestId('activities').getByRole('columnheader', { name: 'Période' }).count(), 1);

  // The map's table: French headings and country names, a count per row.
  const table = page.getByTestId('map-table');
  await table.locator('summary').click();
  assert.equal(await text(table.locator('summary')), 'La carte sous forme de tableau');
  await table.getByRole('columnheader', { name: 'Pays' }).waitFor();
  await table.getByRole('columnheader', { name: 'Activités' }).first().waitFor();
  assert.equal(await table.locator('tbody tr[data-country]').count(), Number(shaded));
  assert.equal(await text(table.locator('tr[data-region="419"] th')), 'Amérique latine et Caraïbes');
  assert.match(await text(table.locator('tr[data-country="NG"] th')), /^Nig[eé]ria$/);
  assert.equal(await text(table.locator('tr[data-country="MX"] td')), '1');
  assert.equal(await page.locator('path[data-country="MX"]').getAttribute('aria-label'), 'Mexique : 1 activité');

  // Filtering keeps the language: the country picked by its French name.
  await country.selectOption('MX');
  await page.waitForURL(/country=MX/);
  await page.getByTestId('total').filter({ hasText: '1 sur 1 activité affichée.' }).waitFor();
  assert.match(await text(page.getByTestId('filter-panel').locator('summary')), /^Filtres \(1 choisi\)$/);

  await expectNoAxeViolations(page, 'activities in French');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a title and description in the reader’s language when there is one; otherwise the first, marked with its language and "(in English)"', async () => {
  // French reader: the French title in the list, no note; an English-only activity has the note.
  const fr = await newPage('fr-FR');
  await fr.goto(`${app.url}/activities`);
  await fr.getByTestId('activities').waitFor();
  const bonds = row(fr, BONDS_FR);
  assert.equal(await bonds.locator('.title-cell a span').getAttribute('lang'), 'fr');
  assert.equal(await bonds.getByTestId('lang-note').count(), 0);
  const remittances = row(fr, REMITTANCES);
  assert.equal(await remittances.locator('.title-cell a span').getAttribute('lang'), 'en');
  assert.equal(await text(remittances.getByTestId('lang-note')), '(en anglais)');

  // Its page: the French title and description, the dates through Intl.
  await bonds.getByRole('link', { name: BONDS_FR }).click();
  await fr.getByRole('heading', { level: 1, name: BONDS_FR }).waitFor();
  assert.equal(await fr.getByRole('heading', { level: 1 }).locator('span[lang]').getAttribute('lang'), 'fr');
  assert.equal(await fr.getByTestId('activity-page').getByTestId('lang-note').count(), 0);
  assert.equal(await fr.getByTestId('description').getAttribute('lang'), 'fr');
  assert.match(await text(fr.getByTestId('description')), /Des obligations vendues à la diaspora/);
  assert.equal(await text(fr.getByTestId('period')), '1 mars 2021 – 29 févr. 2024');
  await fr.getByRole('heading', { name: 'Titre dans chaque langue' }).waitFor();
  await fr.getByRole('heading', { name: 'Informations' }).waitFor();
  assert.equal(await fr.title(), `${BONDS_FR} · GMG Hub`);
  await expectNoAxeViolations(fr, 'an activity in French');
  assert.deepEqual(fr.problems, []);
  await fr.context().close();

  // Spanish reader: no Spanish title, so the first (English) one, marked lang="en", and said so.
  const es = await newPage('es-ES');
  await es.goto(`${app.url}/activities/${bondsId}`);
  const h1 = es.getByRole('heading', { level: 1 });
  await h1.filter({ hasText: BONDS_EN }).waitFor();
  assert.equal(await h1.locator('span[lang]').getAttribute('lang'), 'en');
  assert.equal(await text(h1.getByTestId('lang-note')), '(en inglés)');
  assert.equal(await es.getByTestId('description').getAttribute('lang'), 'en');
  await es.getByRole('heading', { name: 'Descripción' }).waitFor();
  await expectNoAxeViolations(es, 'an activity in Spanish (English title)');
  await es.context().close();

  // English reader: English, no note.
  const en = await newPage('en-GB');
  await en.goto(`${app.url}/activities/${bondsId}`);
  await en.getByRole('heading', { level: 1, name: BONDS_EN }).waitFor();
  assert.equal(await en.getByTestId('activity-page').locator('h1 [data-testid="lang-note"]').count(), 0);
  await en.context().close();
});

test('search hits keep the highlighted title of the first language and say which language it is', async () => {
  const page = await newPage('fr-FR');
  // literal=1: "diaspora" is also a theme's name, which a search would read as the theme filter.
  await page.goto(`${app.url}/activities?q=diaspora&literal=1`);
  await page.getByRole('heading', { name: '« diaspora »', exact: false }).waitFor();
  const hit = row(page, BONDS_EN);
  await hit.waitFor();
  assert.equal(await hit.locator('.title-cell a span mark').first().textContent(), 'Diaspora');
  assert.equal(await hit.locator('.title-cell a span').first().getAttribute('lang'), 'en');
  assert.equal(await text(hit.getByTestId('lang-note')), '(en anglais)');
  assert.equal(await page.getByLabel('Trier par').inputValue(), 'relevance');
  assert.equal(await page.getByLabel('Trier par').locator('option[value="relevance"]').textContent(), 'Pertinence');
  await expectNoAxeViolations(page, 'search results in French');
  await page.context().close();
});

test('the import page in Spanish: headings, labels, buttons and the preview in words', async () => {
  const page = await newPage('en-GB');
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities/import`);
  await page.getByRole('heading', { level: 1, name: 'Import activities from IATI' }).waitFor();
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('heading', { level: 1, name: 'Importar actividades desde IATI' }).waitFor();
  assert.equal(await page.title(), 'Importar actividades · GMG Hub');
  const file = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-I18N-0001</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Labour mobility partnership Philippines</narrative></title>
    <activity-status code="2"/>
    <recipient-country code="PH" percentage="100"/>
    <sector vocabulary="1" code="15190" percentage="100"/>
  </iati-activity>
</iati-activities>
`;
  await page.getByLabel('Archivo XML IATI').setInputFiles({ name: 'iom.xml', mimeType: 'application/xml', buffer: Buffer.from(file, 'utf8') });
  assert.equal(await page.getByRole('button', { name: 'Importar' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Vista previa' }).click();
  const report = page.getByTestId('import-report');
  await report.getByRole('heading', { level: 2, name: 'Vista previa' }).waitFor();
  assert.match(await text(page.getByTestId('import-outcome')), /^Importar este archivo crearía 1 actividad\. Aún no se ha guardado nada/);
  assert.match(await text(page.getByTestId('import-counts')), /por crear: 1; por actualizar: 0; por omitir: 0/);
  await report.getByRole('columnheader', { name: 'Identificador IATI' }).waitFor();
  await expectNoAxeViolations(page, 'import preview in Spanish');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the activities list in Arabic is laid out right to left, with its headings and filters in Arabic', async () => {
  const page = await newPage('ar');
  await page.goto(`${app.url}/activities`);
  await page.getByRole('heading', { level: 1, name: 'الأنشطة' }).waitFor();
  await expectDirection(page, 'ar');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  await page.getByRole('button', { name: 'بحث' }).waitFor();
  await page.getByLabel('البلد', { exact: true }).waitFor();
  const table = page.getByTestId('activities');
  await table.getByRole('columnheader', { name: 'العنوان' }).waitFor();
  assert.equal(await table.evaluate((t) => getComputedStyle(t).direction), 'rtl');
  // The title column is the first, so it stands at the right in a right-to-left table.
  const first = await table.locator('thead th').first().boundingBox();
  const last = await table.locator('thead th').last().boundingBox();
  assert.ok(first.x > last.x, `title column (${first.x}) right of the status column (${last.x})`);
  await expectNoAxeViolations(page, 'activities in Arabic');
  const dir = path.join(webDir, 'tests', 'output');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'activities-rtl-ar.png'), fullPage: false });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The server's rule codes in the reader's language (issue 9): an IATI import's reasons, warnings
// and refusal in French (with the line and column), and a governance form's refusal in French
// under its field, none of them marked English any more. axe on each state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, expectNoAxeViolations, ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

/** The admin signed in, in a browser whose only language is French. */
async function frenchAdmin() {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  await page.goto(`${app.url}/signin`);
  await page.locator('input[name=email]').fill(ADMIN_EMAIL);
  await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
  await page.locator('form[data-testid=signin-form] button[type=submit]').click();
  await page.getByTestId('user-name').waitFor();
  return page;
}

/** Text with every kind of space as a plain one (Intl writes narrow no-break spaces in French). */
const plain = (s) => (s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

// IOM reports a road project (skipped: no migration sector) with a tag that names no vocabulary.
const FILE = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="USD">
    <iati-identifier>XM-DAC-47066-FR-ROADS</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>
    <title><narrative>Road maintenance</narrative></title>
    <description><narrative>Roads.</narrative></description>
    <participating-org ref="XM-DAC-47066" role="4"><narrative>IOM</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2023-01-01"/>
    <recipient-country code="PH"/>
    <sector vocabulary="1" code="21020"/>
    <tag code="roads"/>
  </iati-activity>
</iati-activities>
`;
const TRUNCATED = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n  <iati-activity>\n    <title>';

async function choose(page, name, text) {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(text, 'utf8') });
}

test('an import preview in French: the reason and the warning translated from their codes; a refused file says where in French', async () => {
  const page = await frenchAdmin();
  await page.goto(`${app.url}/activities/import`);
  await page.getByRole('heading', { level: 1, name: 'Importer des activités depuis IATI' }).waitFor();
  await choose(page, 'roads.xml', FILE);
  await page.getByRole('button', { name: 'Aperçu' }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const row = page.getByTestId('import-items').locator('tbody tr').first();
  const reason = row.locator('td').nth(3);
  assert.equal(plain(await reason.textContent()), 'Aucun secteur ni cible des ODD liés aux migrations (par exemple CAD 15190, 24050 ou 72010 ; ODD 10.7).');
  assert.equal(await reason.locator('[lang=en]').count(), 0, 'no English left in the reason');
  const warnings = page.getByTestId('import-warnings');
  assert.equal(plain(await warnings.locator('li').first().textContent()), "Ligne 13, tag: N'a pas d'attribut vocabulary.");
  assert.equal(await warnings.locator('[lang=en]').count(), 0, 'no English left in the warnings');
  await expectNoAxeViolations(page, 'import preview with a translated reason and warning, French');

  await choose(page, 'cut.xml', TRUNCATED);
  await page.getByRole('button', { name: 'Aperçu' }).click();
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.match(plain(await error.textContent()), /^Le fichier n.a pas été importé\.Ligne 4, colonne \d+ : title Le fichier s'arrête avant la fin de cet élément \(il a peut-être été tronqué\)\.$/);
  assert.equal(await error.locator('[lang=en]').count(), 0);
  await expectNoAxeViolations(page, 'import refused with a translated rule, French');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('admitting a member in French: the server\'s rule shown in French under the field and in the summary', async () => {
  const page = await frenchAdmin();
  await page.goto(`${app.url}/admin/members`);
  await page.getByRole('button', { name: 'Admettre un nouveau membre' }).click();
  await page.getByLabel('Identifiant', { exact: true }).fill('9lives');
  await page.getByLabel('Sigle', { exact: true }).fill('NINE');
  await page.getByLabel('Nom', { exact: true }).fill('Nine Lives');
  await page.getByLabel('Mandat et travaux sur les migrations').fill('Cats on the move.');
  await page.getByRole('button', { name: 'Admettre le membre' }).click();
  const error = page.getByTestId('error');
  await error.waitFor();
  const expected = 'doit compter de 2 à 32 lettres minuscules, chiffres ou traits d\'union, et commencer par une lettre (le sigle, p. ex. unicef)';
  const id = page.getByLabel('Identifiant', { exact: true });
  assert.equal(await id.getAttribute('aria-invalid'), 'true');
  const describedBy = (await id.getAttribute('aria-describedby')).split(' ').find((x) => x.endsWith('-err'));
  const under = page.locator(`[id="${describedBy}"]`);
  assert.equal(plain(await under.textContent()), expected);
  assert.equal(await under.getAttribute('lang'), null, 'translated: not marked English');
  assert.match(plain(await error.textContent()), new RegExp(`^Non admis\\. .*id ${expected.replace(/[().]/g, '\\$&')}$`));
  assert.equal(await error.locator('[lang=en]').count(), 0);
  await expectNoAxeViolations(page, 'members admin, refused admission in French');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

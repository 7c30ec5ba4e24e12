// The admin pages in other languages (issue 9): users, membership, themes and API tokens in
// French (headings, buttons, labels, notices, confirm() texts, dates), the users page in Arabic
// right to left, and axe on each. The English names are tested by admin.test.mjs and the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, addUser, expectNoAxeViolations, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.mjs';

const FP = { email: 'fp@iom.int', name: 'IOM Focal Point', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const STAFF = { email: 'staff@undp.org', name: 'Ulla Undp', role: 'member', org: 'undp', password: 'undp-member-staff-pw' };

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  addUser(app.server.db, STAFF);
  // The focal point picked Spanish for their account; the member staff never picked one.
  const fp = new Client(app.url);
  await fp.signIn(FP.email, FP.password);
  const r = await fp.patch('/api/v1/session', { language: 'es' });
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await app?.stop();
});

/**
 * The admin signed in, in a browser whose only language is `locale` (so the app starts in it
 * without anything stored). The sign-in form is filled by field names, not by labels.
 */
async function adminPage(locale) {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  await page.goto(`${app.url}/signin`);
  await page.locator('input[name=email]').fill(ADMIN_EMAIL);
  await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
  await page.locator('form[data-testid=signin-form] button[type=submit]').click();
  await page.getByTestId('user-name').waitFor(); // signed in: the header names the person
  return page;
}

const html = (page, attr) => page.evaluate((a) => document.documentElement.getAttribute(a), attr);

test('users in French: headings, buttons, columns, each account\'s language, the forms and their errors', async () => {
  const page = await adminPage('fr-FR');
  await page.goto(`${app.url}/admin/users`);
  await page.getByRole('heading', { level: 1, name: 'Utilisateurs' }).waitFor();
  assert.equal(await html(page, 'lang'), 'fr');
  assert.equal(await page.title(), 'Utilisateurs · GMG Hub');
  const table = page.getByTestId('users');
  await table.waitFor();
  await page.getByRole('heading', { level: 2, name: /^Tous les utilisateurs \(\d+\)$/ }).waitFor();
  const headers = await table.locator('thead th').allTextContents();
  assert.deepEqual(headers.slice(0, 7), ['Nom', 'Adresse e-mail', 'Rôle', 'Organisation', 'Langue', 'Statut', 'Créé le']);

  // The account's language, named in French; null = follows the browser.
  const fpRow = table.locator('tr', { hasText: FP.email });
  assert.match(await fpRow.textContent(), /Point focal.*IOM.*espagnol.*actif/);
  assert.match(await table.locator('tr', { hasText: STAFF.email }).textContent(), /Personnel d'un membre.*UNDP.*suit le navigateur/);
  await fpRow.getByRole('button', { name: `Modifier ${FP.email}` }).waitFor();
  await fpRow.getByRole('button', { name: `Désactiver ${FP.email}` }).waitFor();

  // The filter says how many match, with a French plural.
  await page.getByLabel('Filtrer').fill('iom.int');
  await page.getByText('1 utilisateur correspond au filtre.').waitFor();
  await page.getByLabel('Filtrer').fill('example.invalid');
  await page.getByText('0 utilisateur correspond au filtre.').waitFor();
  await page.getByLabel('Filtrer').fill('espagnol'); // the language as shown matches too
  await page.getByText('1 utilisateur correspond au filtre.').waitFor();
  assert.equal(await table.locator('tbody tr').count(), 1);
  assert.match(await table.locator('tbody tr').textContent(), /fp@iom\.int/);
  await page.getByLabel('Filtrer').fill('');
  await expectNoAxeViolations(page, 'users in French');

  // The create form, sent empty: its labels, the password rule and the error title in French.
  await page.getByRole('button', { name: 'Créer un utilisateur' }).click();
  const create = page.locator('form', { has: page.getByRole('heading', { name: 'Nouvel utilisateur' }) });
  const password = create.getByLabel('Mot de passe initial');
  const hint = await page.locator(`[id="${await password.getAttribute('aria-describedby')}"]`).textContent();
  assert.equal(hint, 'Au moins 10 caractères.');
  assert.equal(await create.getByLabel('Rôle').locator('option[value="focal_point"]').textContent(), 'Point focal');
  assert.equal(await create.getByLabel('Organisation').locator('option[value=""]').textContent(), '— aucune —');
  await create.getByText('Les points focaux et le personnel des membres relèvent d\'une seule organisation.').waitFor();
  await create.getByRole('button', { name: 'Créer l\'utilisateur' }).click();
  const alert = create.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^Non créé\. /);
  await expectNoAxeViolations(page, 'users in French, create form with errors');
  await create.getByRole('button', { name: 'Annuler' }).click();

  // The edit form shows the account's language (only its owner changes it).
  await fpRow.getByRole('button', { name: `Modifier ${FP.email}` }).click();
  const edit = page.locator('form', { has: page.getByRole('heading', { name: `Modifier ${FP.email}` }) });
  await edit.getByLabel('Actif (peut se connecter)').waitFor();
  assert.match(await edit.getByTestId('user-language').textContent(), /^Langue : espagnol\./);
  await edit.getByLabel('Nouveau mot de passe').waitFor();
  await edit.getByRole('button', { name: 'Enregistrer l\'utilisateur' }).click(); // nothing changed: closes
  await edit.waitFor({ state: 'detached' });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('membership in French: statuses, buttons, the leaving form with a French date, axe', async () => {
  const page = await adminPage('fr-FR');
  await page.goto(`${app.url}/admin/members`);
  await page.getByRole('heading', { level: 1, name: 'Membres' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Membres actuels et anciens' }).waitFor();
  const table = page.getByTestId('orgs');
  await table.waitFor();
  assert.deepEqual((await table.locator('thead th').allTextContents()).slice(0, 4), ['Membre', 'Statut', 'Membre depuis', 'Départ le']);
  const iom = table.locator('tr', { has: page.getByRole('link', { name: 'IOM', exact: true }) });
  assert.match(await iom.textContent(), /actuel/);
  await page.getByRole('button', { name: 'Admettre un nouveau membre' }).waitFor();
  await expectNoAxeViolations(page, 'membership in French');

  await iom.getByRole('button', { name: 'Enregistrer le départ de IOM' }).click();
  const leave = page.locator('form', { has: page.getByRole('heading', { name: 'Enregistrer le départ de IOM du GMG' }) });
  await leave.getByText(/^La période d'adhésion en cours a commencé le \d{1,2} \S+ \d{4}\.$/).waitFor();
  await leave.getByLabel('Date de départ').waitFor();
  await leave.getByRole('button', { name: 'Enregistrer le départ' }).waitFor();
  await expectNoAxeViolations(page, 'membership in French, leaving form');
  await leave.getByRole('button', { name: 'Annuler' }).click();

  await page.getByRole('button', { name: 'Admettre un nouveau membre' }).click();
  const admit = page.locator('form', { has: page.getByRole('heading', { name: 'Admettre un nouveau membre' }) });
  await admit.getByLabel('Sigle').waitFor();
  await admit.getByLabel('Mandat et travaux sur les migrations').waitFor();
  await admit.getByRole('button', { name: 'Admettre le membre' }).click();
  assert.match(await admit.getByRole('alert').textContent(), /^Non admis\. /);
  await expectNoAxeViolations(page, 'membership in French, admit form with errors');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('themes in French: add, rename and archive with French notices, axe', async () => {
  const page = await adminPage('fr-FR');
  await page.goto(`${app.url}/admin/themes`);
  await page.getByRole('heading', { level: 1, name: 'Thèmes' }).waitFor();
  await page.getByRole('heading', { level: 2, name: /^Tous les thèmes \(\d+\)$/ }).waitFor();
  const add = page.getByTestId('add-theme');
  await add.getByRole('heading', { name: 'Ajouter un thème' }).waitFor();
  await add.getByLabel('Nom').fill('Mobilité et climat');
  await add.getByLabel('Identifiant').fill('climat-mobilite');
  await add.getByRole('button', { name: 'Ajouter le thème' }).click();
  await page.getByText('« Mobilité et climat » a été ajouté.').waitFor();
  await expectNoAxeViolations(page, 'themes in French');

  const table = page.getByTestId('themes');
  await table.getByRole('button', { name: 'Renommer Mobilité et climat' }).click();
  const edit = page.getByTestId('edit-theme');
  await edit.getByRole('heading', { name: 'Renommer « Mobilité et climat »' }).waitFor();
  await expectNoAxeViolations(page, 'themes in French, rename form');
  await edit.getByRole('button', { name: 'Annuler' }).click();

  await table.getByRole('button', { name: 'Archiver Mobilité et climat' }).click();
  await page.getByText('« Mobilité et climat » a été archivé.').waitFor();
  await table.locator('tr', { hasText: 'climat-mobilite' }).getByText('archivé', { exact: true }).waitFor();
  await table.getByRole('button', { name: 'Rétablir Mobilité et climat' }).waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('API tokens in French: the lede with its code, the new secret, the confirm() text, axe', async () => {
  const page = await adminPage('fr-FR');
  await page.goto(`${app.url}/tokens`);
  await page.getByRole('heading', { level: 1, name: 'Jetons d\'API' }).waitFor();
  const lede = page.locator('p.lede');
  assert.equal(
    (await lede.textContent()).replace(/\s+/g, ' ').trim(),
    'Les scripts et autres systèmes utilisent un jeton à la place de votre mot de passe : envoyez-le sous la forme Authorization: Bearer gmg_…. ' +
      'Un jeton agit avec votre rôle ; révoquez-le lorsqu\'il n\'est plus nécessaire. Changer de mot de passe révoque tous vos jetons.',
  );
  assert.equal(await lede.locator('code').textContent(), 'Authorization: Bearer gmg_…');
  await page.getByText('Vous n\'avez aucun jeton d\'API.').waitFor();
  assert.equal(await page.getByLabel('Expire dans (jours)').inputValue(), '90');
  await page.getByText('365 au maximum ; vide, c\'est 90.').waitFor();
  await expectNoAxeViolations(page, 'tokens in French');

  await page.getByLabel('Nom').fill('import nocturne');
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  const secret = page.getByTestId('new-token');
  await secret.getByRole('heading', { name: 'Votre nouveau jeton « import nocturne »' }).waitFor();
  await secret.getByText('Copiez-le maintenant : il n\'est affiché qu\'une seule fois.').waitFor();
  assert.match(await secret.getByLabel('Jeton').inputValue(), /^gmg_/);
  await secret.getByRole('button', { name: 'Je l\'ai copié' }).waitFor();
  const row = page.getByTestId('tokens').locator('tr', { hasText: 'import nocturne' });
  assert.match(await row.textContent(), /\d{1,2} \S+ \d{4}/, 'dates through Intl in French');
  await expectNoAxeViolations(page, 'tokens in French, new secret shown');

  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    d.accept();
  });
  await row.getByRole('button', { name: 'Révoquer import nocturne' }).click();
  await page.getByText('Le jeton « import nocturne » a été révoqué.').waitFor();
  assert.equal(asked, 'Révoquer le jeton « import nocturne » ? Les scripts qui l\'utilisent cessent aussitôt de fonctionner.');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('users and tokens in Arabic: right to left, translated heading, button and columns, axe', async () => {
  const page = await adminPage('ar');
  await page.goto(`${app.url}/admin/users`);
  await page.getByRole('heading', { level: 1, name: 'المستخدمون' }).waitFor();
  assert.equal(await html(page, 'dir'), 'rtl');
  assert.equal(await html(page, 'lang'), 'ar');
  const table = page.getByTestId('users');
  await table.waitFor();
  assert.equal(await table.locator('thead th').nth(4).textContent(), 'اللغة');
  assert.match(await table.locator('tr', { hasText: FP.email }).textContent(), /الإسبانية/);
  await page.getByRole('button', { name: 'إنشاء مستخدم' }).click();
  await page.getByRole('heading', { name: 'مستخدم جديد' }).waitFor();
  await page.getByRole('button', { name: 'إنشاء المستخدم' }).waitFor();
  // Right to left: the table's first column stands to the right of its second.
  const first = await table.locator('thead th').nth(0).boundingBox();
  const second = await table.locator('thead th').nth(1).boundingBox();
  assert.ok(first.x > second.x, `first column (${first.x}) right of the second (${second.x})`);
  await expectNoAxeViolations(page, 'users in Arabic');

  await page.goto(`${app.url}/tokens`);
  await page.getByRole('heading', { level: 1, name: 'رموز واجهة البرمجة' }).waitFor();
  await page.getByRole('button', { name: 'إنشاء الرمز' }).waitFor();
  // The header to send stays left to right inside the Arabic sentence.
  assert.equal(await page.locator('p.lede code').getAttribute('dir'), 'ltr');
  await expectNoAxeViolations(page, 'tokens in Arabic');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

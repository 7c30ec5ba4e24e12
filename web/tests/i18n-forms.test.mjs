// The activity form, the chair page and a member page in other languages (issue 9): the form's
// problems in French with a plural and the focus on them, budgets written the French way, the
// server's problems in French from their rule codes (summary and field lines), English only for a
// rule the catalogue lacks, marked lang="en"; the rotation picker and its preview in Spanish; a
// member page in French; the chair page right to left in Arabic. axe on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp, signIn, addUser, Client, webDir, expectNoAxeViolations, ADMIN_EMAIL, ADMIN_PASSWORD, expectDirection } from './helpers.mjs';

const IOM = { email: 'fp.iom.i18n@example.org', name: 'Inès Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-fr' };

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, IOM);
});
after(async () => {
  await app?.stop();
});

/** A page in a fresh context; `locale` sets navigator.languages and Accept-Language. */
async function newPage(locale = 'en-GB') {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return page;
}

/** Signs in (the sign-in page in English), then picks `lang` in the header's switcher. */
async function signInAs(page, user, lang) {
  await signIn(page, app.url, user.email, user.password);
  await page.getByLabel('Language').selectOption(lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Text with every kind of space as a plain one (Intl writes narrow no-break spaces in French). */
const plain = (s) => (s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
// Waits (up to 5 s) until the element with data-testid `id` has the focus: the form moves it in
// an effect after rendering, so an immediate read can race it. Fails the test on timeout.
const expectFocusOn = (page, id) =>
  page.waitForFunction((want) => document.activeElement?.getAttribute('data-testid') === want, id, { timeout: 5000 });

test('the activity form in French: every problem in French, counted with a plural, focus on the summary; French budgets; the server\'s problems in French by their rule codes', async () => {
  const page = await newPage();
  await signInAs(page, IOM, 'fr');
  await page.goto(`${app.url}/activities/new`);
  await page.getByRole('heading', { level: 1, name: 'Enregistrer une activité' }).waitFor();
  const form = page.getByTestId('activity-form');
  await form.getByText('Les champs marqués * sont obligatoires : un titre et le type.', { exact: false }).waitFor();
  // The examples are written as French readers write numbers.
  const hint = plain(await form.getByTestId('budget-amount').locator('xpath=following-sibling::small[contains(@class,"hint")]').textContent());
  assert.equal(hint, 'Par exemple 250 000 ou 1 500,50. Laissez vide si le montant n\'est pas connu.');

  // Empty form: two problems, in French, plural.
  await form.getByRole('button', { name: 'Enregistrer l\'activité' }).click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.equal(plain(await summary.getByRole('heading').textContent()), 'Il y a 2 problèmes à corriger avant d\'enregistrer');
  await expectFocusOn(page, 'error-summary');
  assert.deepEqual((await summary.locator('li').allTextContents()).map(plain), ['Titre : Donnez un titre à l\'activité.', 'Type : Choisissez le type d\'activité.']);
  // Written by the browser in French: no lang="en" on them.
  assert.equal(await summary.locator('[lang="en"]').count(), 0);
  const typeProblem = form.locator('small.field-error', { hasText: 'Choisissez le type d\'activité.' });
  assert.notEqual(await typeProblem.getAttribute('lang'), 'en');
  assert.equal(await form.getByLabel('Type', { exact: true }).getAttribute('aria-invalid'), 'true');
  await expectNoAxeViolations(page, 'activity form in French with problems');

  // One problem left: singular.
  await form.getByLabel('Titre (anglais)').fill('Conseil en matière de retour');
  await form.getByRole('button', { name: 'Enregistrer l\'activité' }).click();
  await summary.getByRole('heading', { name: /Il y a 1 problème à corriger/ }).waitFor();
  await expectFocusOn(page, 'error-summary');

  // What only the server checks (a budget above 10^13: a 422 with rule out_of_range) comes back
  // in French, in the summary and under the field alike, from the rule's code and args.
  await form.getByLabel('Type', { exact: true }).selectOption('research');
  await form.getByLabel('Montant du budget').fill('100 000 000 000 000');
  await form.getByRole('button', { name: 'Enregistrer l\'activité' }).click();
  await summary.getByText(/^Montant du budget/).waitFor();
  assert.equal(plain(await summary.getByRole('heading').textContent()), 'Il y a 1 problème à corriger avant d\'enregistrer');
  await expectFocusOn(page, 'error-summary');
  assert.deepEqual((await summary.locator('li').allTextContents()).map(plain), ['Montant du budget : doit être compris entre 0 et 10 000 000 000 000']);
  assert.equal(await summary.locator('[lang]').count(), 0, 'translated: not marked English');
  const budgetProblem = form.locator('small.field-error', { hasText: 'doit être compris entre 0 et' });
  assert.equal(await budgetProblem.count(), 1);
  assert.equal(plain(await budgetProblem.textContent()), 'doit être compris entre 0 et 10 000 000 000 000');
  assert.equal(await budgetProblem.getAttribute('lang'), null);
  await expectNoAxeViolations(page, 'activity form in French with a server problem');
  // The summary's item still leads to its field.
  await summary.getByRole('link', { name: /^Montant du budget/ }).click();
  await expectFocusOn(page, 'budget-amount');

  // A rule the catalogue does not know stays the server's English, marked so (WCAG 3.1.2); one
  // it knows is French, in a field the browser does not check (the server's answer, forced).
  await page.route('**/api/v1/activities', (route) =>
    route.request().method() !== 'POST'
      ? route.fallback()
      : route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'invalid_argument',
              message: 'the activity breaks 2 rules',
              details: [
                { field: 'themes', problem: "'oceans' is not a theme", rule: 'unknown_theme', args: { value: 'oceans' } },
                { field: 'visibility', problem: 'is closed to new activities', rule: 'visibility_closed_for_test' },
              ],
            },
          }),
        }),
  );
  await form.getByRole('button', { name: 'Enregistrer l\'activité' }).click();
  await summary.getByText(/^Thèmes/).waitFor();
  assert.equal(plain(await summary.getByRole('heading').textContent()), 'Il y a 2 problèmes à corriger avant d\'enregistrer');
  await expectFocusOn(page, 'error-summary');
  assert.deepEqual((await summary.locator('li').allTextContents()).map(plain), [
    'Thèmes : « oceans » n\'est pas un thème',
    'Qui peut la voir : is closed to new activities',
  ]);
  const english = summary.locator('li span[lang="en"]');
  assert.equal(await english.count(), 1);
  assert.equal(await english.textContent(), 'is closed to new activities');
  assert.equal(await form.locator('small.field-error[data-field="themes"]').textContent(), '« oceans » n\'est pas un thème');
  await expectNoAxeViolations(page, 'activity form in French with the server\'s rule codes');
  await page.unroute('**/api/v1/activities');

  // "1 500,50" is a number French readers write.
  await form.getByLabel('Montant du budget').fill('1 500,50');
  await form.getByRole('button', { name: 'Enregistrer l\'activité' }).click();
  await page.waitForURL(/\/activities\/\d+$/);
  const id = /\/activities\/(\d+)$/.exec(page.url())[1];
  const stored = (await new Client(app.url).get(`/api/v1/activities/${id}`)).json;
  assert.deepEqual(stored.budget, { amount: 1500.5, currency: 'USD' });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the chair page in Spanish: the rotation picker\'s buttons and the preview of the timeline', async () => {
  const page = await newPage();
  await signInAs(page, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, 'es');
  await page.goto(`${app.url}/chair`);
  await page.getByRole('heading', { level: 1, name: 'Presidencia del GMG' }).waitFor();
  await page.getByRole('heading', { name: 'Quién preside en una fecha' }).waitFor();
  await page.getByTestId('schedule').waitFor();
  const form = page.getByTestId('rotation-form');
  await form.getByRole('heading', { name: 'Nuevo plan de rotación' }).waitFor();
  await form.getByLabel('Empieza el').fill('2100-01-01');
  await form.getByLabel('Mandato (meses)').fill('12');

  const order = form.getByTestId('rotation-order').locator('li');
  while ((await order.count()) > 0) await order.first().getByRole('button', { name: /^Quitar .+ del orden$/ }).click();
  await form.getByText('Todavía no hay ningún miembro en el orden: añada uno abajo.').waitFor();
  for (const org of ['ilo', 'iom']) {
    await form.getByLabel('Añadir un miembro').selectOption(org);
    await form.getByRole('button', { name: 'Añadir al orden' }).click();
  }
  assert.equal(await form.getByRole('button', { name: 'Subir ILO un puesto' }).isDisabled(), true);
  assert.equal(await form.getByRole('button', { name: 'Bajar IOM un puesto' }).isDisabled(), true);
  await form.getByRole('button', { name: 'Subir IOM un puesto' }).click();
  assert.deepEqual((await order.allTextContents()).map((t) => t.trim().split(/\s/)[0]), ['IOM', 'ILO']);

  await form.getByRole('button', { name: 'Previsualizar la cronología' }).click();
  const preview = form.getByTestId('rotation-preview');
  await preview.getByRole('heading', { name: 'Con este plan' }).waitFor();
  const terms = (await preview.locator('li').allTextContents()).map(plain);
  assert.match(terms[0], /^IOM 1 ene\.? 2100 – 31 dic\.? 2100/);
  assert.match(terms[1], /^ILO 1 ene\.? 2101/);
  assert.equal(await page.getByRole('button', { name: 'Añadir el plan de rotación' }).count(), 1);
  await expectNoAxeViolations(page, 'chair page in Spanish with a preview');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a member page in French: its activities and why no focal point is listed', async () => {
  const fp = new Client(app.url);
  await fp.signIn(IOM.email, IOM.password);
  const title = `Retour et réintégration ${Date.now()}`;
  const r = await fp.post('/api/v1/activities', { organization_id: 'iom', titles: title, type: 'training', status: 2 });
  assert.equal(r.status, 201, r.text);

  const page = await newPage('fr-FR');
  await page.goto(`${app.url}/members/iom`);
  await page.getByRole('heading', { level: 1, name: /IOM/ }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Mandat et travaux sur les migrations' }).waitFor();
  assert.match(plain(await page.locator('.facts').textContent()), /Membre depuis\s*\d{1,2} \S+ \d{4}/);
  const acts = page.getByTestId('org-activities');
  await acts.getByRole('heading', { name: 'Activités' }).waitFor();
  await acts.getByRole('link', { name: title }).waitFor();
  assert.match(plain(await acts.locator('li', { hasText: title }).locator('.meta').textContent()), /^\(.+, mise à jour le \d{1,2} \S+ \d{4}\)$/);
  await acts.getByRole('link', { name: /^(1 activité|Les \d+ activités) de IOM$/ }).waitFor();
  // A visitor sees no "record" link.
  assert.equal(await acts.getByRole('link', { name: 'Enregistrer une activité' }).count(), 0);

  const people = page.getByTestId('focal-points');
  await people.getByRole('heading', { name: 'Points focaux' }).waitFor();
  const empty = page.getByTestId('no-focal-points');
  await empty.getByText('Aucun point focal de IOM n\'est encore publié.').waitFor();
  assert.match(plain(await empty.textContent()), /les comptes qui se connectent pour IOM n'y figurent pas\. Le secrétariat du GMG peut vous mettre en relation\./);
  await expectNoAxeViolations(page, 'member page in French');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the chair page in Arabic is right to left (screenshot saved)', async () => {
  const page = await newPage('ar');
  await page.goto(`${app.url}/chair`);
  await page.getByRole('heading', { level: 1, name: 'رئاسة الفريق العالمي المعني بالهجرة' }).waitFor();
  await expectDirection(page, 'ar');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  await page.getByRole('heading', { name: 'الجدول الزمني' }).waitFor();
  await page.getByRole('button', { name: 'عرض الولايات' }).waitFor();
  await page.getByTestId('schedule').waitFor();
  // The heading's words stand at the right of the page, not the left.
  const { textLeft, textRight, width } = await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('main h1'));
    const r = range.getBoundingClientRect();
    return { textLeft: r.left, textRight: r.right, width: document.documentElement.clientWidth };
  });
  assert.ok(textRight > width / 2 && textLeft > width / 4, `heading text on the right (${textLeft}–${textRight} of ${width})`);
  // Time runs right to left: an earlier term's bar stands to the right of a later one's.
  const bars = page.getByTestId('schedule').locator('.term-bar');
  const first = await bars.first().boundingBox();
  const last = await bars.last().boundingBox();
  assert.ok(first.x > last.x, `earlier term (x=${first.x}) right of a later one (x=${last.x})`);
  await expectNoAxeViolations(page, 'chair page in Arabic');
  const dir = path.join(webDir, 'tests', 'output');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'chair-rtl-ar.png'), fullPage: false });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

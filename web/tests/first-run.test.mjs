// The first run explains itself (issue 9): the welcome and tour on a first visit, by keyboard,
// remembered once dismissed, back from "Take the tour", in the reader's language; the Help
// link leads to the guide's part about the page; axe finds nothing on the tour or the guide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, expectNoAxeViolations, ADMIN_EMAIL, ADMIN_PASSWORD, expectDirection } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, { email: 'fp@iom.int', name: 'IOM Focal Point', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' });
});
after(async () => {
  await app?.stop();
});

// The dialog is named by its heading, which changes with each stop: find it by test id, and its
// name by role where it matters.
const tour = (page) => page.getByTestId('tour');
const focusedText = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

test('a first visit shows the welcome and the tour; keyboard through it; dismissed, it stays away; Take the tour brings it back', async () => {
  const page = await app.newPage({ firstRun: true });
  await page.goto(app.url);
  await page.getByRole('dialog', { name: 'Welcome to GMG Hub' }).waitFor();
  const dialog = tour(page);
  // What the hub is for each role, the visitor's line marked as theirs.
  for (const role of ['Visitor', 'Member staff', 'Focal point', 'Secretariat', 'Administrator']) {
    await dialog.getByText(role, { exact: false }).first().waitFor();
  }
  assert.match(await dialog.locator('.mine').textContent(), /Visitor \(you\)/);
  // Focus is in the dialog, on its heading.
  assert.equal(await focusedText(page), 'Welcome to GMG Hub');
  await expectNoAxeViolations(page, 'the tour, welcome');

  // Keyboard only: Tab to "Start the tour", Enter; then Tab to "Next" through the stops.
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(page), 'Start the tour');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'The activities map' }).waitFor();
  assert.equal(await focusedText(page), 'The activities map', 'focus on the new step heading');
  assert.match(await dialog.textContent(), /Step 2 of 8/);
  const titles = ['The activities map'];
  for (let i = 0; i < 8 && titles.length < 7; i++) {
    // Tab until "Next" (past the step's links and Back).
    let name = '';
    for (let k = 0; k < 6 && name !== 'Next'; k++) {
      await page.keyboard.press('Tab');
      name = await focusedText(page);
    }
    assert.equal(name, 'Next');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.activeElement?.id === 'tour-h' && document.activeElement.textContent !== n, titles.at(-1));
    titles.push(await focusedText(page));
  }
  // A visitor's stops: no audit log.
  assert.deepEqual(titles, ['The activities map', "A member's page", 'The chair', 'Meetings, minutes and actions', 'Common positions', 'Recording and importing activities', 'Help on every page']);
  await expectNoAxeViolations(page, 'the tour, last stop');
  // Tab stays inside the modal dialog.
  for (let k = 0; k < 8; k++) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('dialog')), 'focus left the dialog');
  }
  // Escape closes it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByRole('dialog').count(), 0);

  // Reload: not shown again.
  await page.reload();
  await page.getByRole('heading', { name: 'Members', level: 2 }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('dialog').count(), 0, 'the tour opened again after it was dismissed');

  // "Take the tour" in the footer brings it back; closing returns focus to that button.
  const take = page.locator('footer').getByRole('button', { name: 'Take the tour' });
  await take.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Welcome to GMG Hub' }).waitFor();
  assert.equal(await focusedText(page), 'Welcome to GMG Hub');
  await dialog.getByRole('button', { name: 'Close the tour' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'take-tour');

  // The home page invites newcomers to the tour and the guide.
  await page.getByTestId('tour-invite').getByRole('button', { name: 'Take the tour' }).click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.context().close();
});

test('a tour stop link takes the reader there and closes the tour', async () => {
  const page = await app.newPage({ firstRun: true });
  await page.goto(`${app.url}/chair`);
  const dialog = page.getByRole('dialog', { name: 'Welcome to GMG Hub' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Start the tour' }).click();
  await page.getByRole('dialog').getByRole('link', { name: 'Open the activities map' }).click();
  await page.waitForURL(`${app.url}/activities`);
  assert.equal(await page.getByRole('dialog').count(), 0);
  await page.getByRole('heading', { name: 'Activities', level: 1 }).waitFor();
  await page.context().close();
});

test('signed in, the tour opens once for that user, with the stops of their role', async () => {
  const page = await app.newPage({ firstRun: true });
  await page.goto(`${app.url}/signin`);
  // The visitor's tour first; dismissed.
  await page.getByRole('dialog', { name: 'Welcome to GMG Hub' }).waitFor();
  await page.keyboard.press('Escape');
  await signIn(page, app.url, 'fp@iom.int', 'iom-focal-point-pw');
  // A focal point's first visit: their own tour, their role marked, their organisation's page.
  await page.getByRole('dialog', { name: 'Welcome to GMG Hub' }).waitFor();
  const dialog = tour(page);
  assert.match(await dialog.locator('.mine').textContent(), /Focal point \(you\)/);
  await dialog.getByRole('button', { name: 'Start the tour' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('link', { name: "Your organisation's page" }).waitFor();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('link', { name: 'Open the actions' }).waitFor();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByText(/you give your organisation's stand/).waitFor();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('link', { name: 'Record an activity' }).waitFor();
  await dialog.getByRole('link', { name: 'Import from an IATI file' }).waitFor();
  await dialog.getByRole('button', { name: 'Close the tour' }).click();
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('dialog').count(), 0);
  await page.context().close();
});

test('staff get the audit log stop', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.locator('footer').getByRole('button', { name: 'Take the tour' }).click();
  await page.getByRole('dialog', { name: 'Welcome to GMG Hub' }).waitFor();
  const dialog = tour(page);
  assert.match(await dialog.locator('.mine').textContent(), /Administrator \(you\)/);
  for (let i = 0; i < 7; i++) await dialog.getByRole('button', { name: /Start the tour|Next/ }).click();
  await page.getByRole('dialog', { name: 'The audit log' }).getByRole('link', { name: 'Open the audit log' }).waitFor();
  await page.context().close();
});

test('a French visitor sees the welcome and tour in French', async () => {
  const page = await app.newPage({ firstRun: true, locale: 'fr-FR' });
  await page.goto(app.url);
  const dialog = page.getByRole('dialog', { name: 'Bienvenue dans GMG Hub' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Visiteur \(vous\)/);
  await dialog.getByRole('button', { name: 'Commencer la visite' }).click();
  await page.getByRole('dialog', { name: 'La carte des activités' }).waitFor();
  assert.match(await page.getByRole('dialog').textContent(), /Étape 2 sur 8/);
  await expectNoAxeViolations(page, 'the tour in French');
  await page.getByRole('dialog').getByRole('button', { name: 'Fermer la visite' }).click();
  await page.locator('footer').getByRole('button', { name: 'Faire la visite' }).waitFor();
  await page.getByRole('link', { name: 'Aide' }).waitFor();
  await page.context().close();
});

test('the Help link on /activities opens the activities part of the guide; axe clean', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/activities`);
  await page.getByRole('heading', { name: 'Activities', level: 1 }).waitFor();
  const help = page.getByRole('link', { name: 'Help', exact: true });
  assert.equal(await help.getAttribute('href'), '/help/visitors#find-activities');
  await help.click();
  await page.waitForURL(`${app.url}/help/visitors#find-activities`);
  const section = page.getByRole('heading', { name: 'Finding activities', level: 2 });
  await section.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'find-activities');
  assert.ok(await section.isVisible());
  assert.match(await page.title(), /Guide for visitors/);
  await expectNoAxeViolations(page, 'the guide, visitors');

  // Links between parts stay in the app; the parts are listed.
  await page.getByRole('navigation', { name: 'Parts of the guide' }).getByRole('link', { name: 'The guide' }).click();
  await page.getByRole('heading', { name: 'The GMG Hub guide', level: 1 }).waitFor();
  await expectNoAxeViolations(page, 'the guide, contents (a table of roles)');
  await page.getByTestId('guide').getByRole('link', { name: 'Focal points' }).click();
  await page.getByRole('heading', { name: 'Guide for focal points', level: 1 }).waitFor();
  await page.context().close();
});

test('the guide follows the reader\'s language: every part in French, Spanish and Arabic', async () => {
  const page = await app.newPage({ locale: 'fr-FR' });
  await page.goto(`${app.url}/activities/import`);
  // Signed out, the import page asks to sign in; its Help link still leads to the import guide.
  const help = page.getByRole('link', { name: 'Aide', exact: true });
  assert.equal(await help.getAttribute('href'), '/help/focal-points#import');
  await help.click();
  await page.getByRole('heading', { name: 'Importer des activités depuis un fichier IATI' }).waitFor();
  assert.equal(await page.getByTestId('guide').getAttribute('lang'), 'fr');
  assert.equal(await page.getByTestId('guide-in-english').count(), 0);
  // Every part is in French, reached through the list of parts (no reload).
  const parts = page.getByRole('navigation', { name: 'Parties du guide' });
  const french = { 'Le guide': 'Le guide de GMG Hub', Visiteurs: 'Guide des visiteurs', 'Points focaux': 'Guide des points focaux', 'Le secrétariat': 'Guide du secrétariat', Administrateurs: 'Guide des administrateurs' };
  for (const [link, heading] of Object.entries(french)) {
    await parts.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    assert.equal(await page.getByTestId('guide').getAttribute('lang'), 'fr', heading);
    assert.equal(await page.getByTestId('guide-in-english').count(), 0, heading);
  }
  await expectNoAxeViolations(page, 'the guide in French');
  // A link between parts leads to the same language's part and section.
  await page.getByTestId('guide').getByRole('link', { name: 'Qui peut faire quoi' }).click();
  await page.getByRole('heading', { name: 'Qui peut faire quoi', level: 2 }).waitFor();
  assert.equal(await page.getByTestId('guide').getAttribute('lang'), 'fr');
  // Changing the language on the guide shows the same part in the new language.
  await page.goto(`${app.url}/help/visitors#find-activities`);
  await page.getByRole('heading', { name: 'Trouver des activités', level: 2 }).waitFor();
  await page.getByLabel('Langue').selectOption('es');
  await page.getByRole('heading', { name: 'Guía para los visitantes', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Buscar actividades', level: 2 }).waitFor();
  assert.equal(await page.getByTestId('guide').getAttribute('lang'), 'es');
  const spanish = { 'La guía': 'La guía de GMG Hub', 'Puntos focales': 'Guía para los puntos focales', 'La secretaría': 'Guía para la secretaría', Administradores: 'Guía para los administradores' };
  for (const [link, heading] of Object.entries(spanish)) {
    await page.getByRole('navigation', { name: 'Partes de la guía' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    assert.equal(await page.getByTestId('guide').getAttribute('lang'), 'es', heading);
    assert.equal(await page.getByTestId('guide-in-english').count(), 0, heading);
  }
  await expectNoAxeViolations(page, 'the guide in Spanish');
  await page.context().close();

  // Every part in Arabic too, right to left, reached through the list of parts; a link between
  // parts stays in Arabic.
  const arabic = await app.newPage({ locale: 'ar' });
  await arabic.goto(`${app.url}/help`);
  await arabic.getByRole('heading', { name: 'دليل GMG Hub', level: 1 }).waitFor();
  await expectDirection(arabic, 'ar');
  const arabicParts = {
    الزوار: 'دليل الزوار',
    'جهات التنسيق': 'دليل جهات التنسيق',
    الأمانة: 'دليل الأمانة',
    المسؤولون: 'دليل المسؤولين',
    الاتساق: 'الاتساق: التداخلات والفجوات والولايات',
    الإحصاءات: 'الإحصاءات: التصفّح والرسم البياني والتنزيل والرفع',
    الاجتماعات: 'الاجتماعات والمحاضر والإجراءات',
    'المواقف المشتركة والإشعارات والمبادرات': 'المواقف المشتركة والإشعارات والمبادرات',
  };
  for (const [link, heading] of Object.entries(arabicParts)) {
    await arabic.getByRole('navigation', { name: 'أجزاء الدليل' }).getByRole('link', { name: link, exact: true }).click();
    await arabic.getByRole('heading', { name: heading, level: 1 }).waitFor();
    assert.equal(await arabic.getByTestId('guide').getAttribute('lang'), 'ar', heading);
    assert.equal(await arabic.getByTestId('guide-in-english').count(), 0, heading);
  }
  await expectNoAxeViolations(arabic, 'the guide in Arabic');
  await arabic.getByRole('navigation', { name: 'أجزاء الدليل' }).getByRole('link', { name: 'المسؤولون', exact: true }).click();
  await arabic.getByRole('heading', { name: 'دليل المسؤولين', level: 1 }).waitFor();
  await arabic.getByTestId('guide').getByRole('link', { name: 'من يستطيع فعل ماذا' }).click();
  await arabic.getByRole('heading', { name: 'من يستطيع فعل ماذا', level: 2 }).waitFor();
  assert.equal(await arabic.getByTestId('guide').getAttribute('lang'), 'ar');
  await arabic.context().close();
});

test('an Arabic visitor gets the tour in Arabic, right to left', async () => {
  const page = await app.newPage({ firstRun: true, locale: 'ar' });
  await page.goto(app.url);
  await page.getByRole('dialog', { name: 'مرحبًا بكم في GMG Hub' }).waitFor();
  await expectDirection(page, 'ar');
  assert.match(await tour(page).textContent(), /زائر \(أنت\)/);
  await expectNoAxeViolations(page, 'the tour in Arabic');
  await page.keyboard.press('Escape');
  await tour(page).waitFor({ state: 'hidden' });
  await page.context().close();
});

test('home with nothing to list says what to do next', async () => {
  // A hub with no members and no chair yet (as the API would answer before any is recorded).
  const page = await app.newPage();
  await page.route(/\/api\/v1\/organizations(\?|$)/, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [], next_cursor: null }) }));
  await page.route(/\/api\/v1\/chair(\?|$)/, (r) => r.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: 'no chair on this date' } }) }));
  await page.goto(app.url);
  await page.getByText('No member organisations yet. The secretariat admits members on the Membership page, once signed in.').waitFor();
  await page.getByTestId('chair-today').getByText('No one chairs today: no rotation plan covers this date.', { exact: false }).waitFor();
  assert.equal(await page.getByTestId('chair-today').getByRole('alert').count(), 0, 'no error box for an empty state');
  await expectNoAxeViolations(page, 'home, empty');
  await page.context().close();
});

// Accessibility kept by tests: axe-core (WCAG 2.1 A and AA) on every page and state, signed out
// and signed in. The keyboard-only tour and the phone layout have their own files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, ADMIN_EMAIL, ADMIN_PASSWORD, expectNoAxeViolations, expectFocusVisibleOnEveryStop } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };

const IATI = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-06-01T12:00:00Z">
  <iati-activity last-updated-datetime="2024-05-01T00:00:00Z" xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-A11Y-0001</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Labour mobility partnership Philippines</narrative></title>
    <participating-org ref="XM-DAC-47066" role="4" type="40"><narrative>IOM</narrative></participating-org>
    <activity-status code="2"/>
    <recipient-country code="PH" percentage="100"/>
    <sector vocabulary="1" code="15190" percentage="100"/>
  </iati-activity>
</iati-activities>
`;

let app;
let activityId;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const r = await admin.post('/api/v1/activities', {
    organization_id: 'iom',
    titles: 'Health care for migrants in transit',
    type: 'training',
    themes: ['labour-migration'],
    countries: ['MX', 'GT'],
    regions: ['419'],
    starts_on: '2024-01-01',
    ends_on: '2026-12-31',
    status: 2,
  });
  if (r.status !== 201) throw new Error(r.text);
  activityId = JSON.parse(r.text).id;
  await admin.post('/api/v1/activities', { organization_id: 'undesa', titles: 'Migrant stock estimates', type: 'data_statistics', themes: ['migration-data'], is_global: true, status: 2 });
});
after(async () => {
  await app?.stop();
});

/** Opens a page and waits until it has its heading and nothing is loading any more. */
async function open(page, path, ready) {
  await page.goto(`${app.url}${path}`);
  await settle(page, ready);
}

async function settle(page, ready) {
  await page.locator('main h1').first().waitFor();
  if (ready) await ready();
  await page.waitForFunction(() => !document.querySelector('.loading, .map-placeholder'));
}

const map = (page) => () => page.getByTestId('world-map').waitFor();

test('axe: every page signed out', async () => {
  const page = await app.newPage();
  await open(page, '/', () => page.locator('.card').first().waitFor());
  await expectNoAxeViolations(page, 'home, signed out');
  await open(page, '/members/iom');
  await expectNoAxeViolations(page, 'member, signed out');
  await open(page, '/chair', () => page.getByTestId('schedule').waitFor());
  await expectNoAxeViolations(page, 'chair, signed out');
  await open(page, '/activities', map(page));
  await expectNoAxeViolations(page, 'activities, signed out');
  await open(page, '/activities?region=419&q=migrants&sort=relevance', map(page));
  await expectNoAxeViolations(page, 'activities with filters and a search, signed out');
  await page.getByTestId('map-table').locator('summary').click();
  await page.getByTestId('map-table').getByRole('button', { name: 'Mexico' }).waitFor();
  await expectNoAxeViolations(page, 'activities with the map as a table');
  await open(page, `/activities/${activityId}`);
  await expectNoAxeViolations(page, 'an activity, signed out');
  await open(page, '/tokens');
  await expectNoAxeViolations(page, 'sign-in needed, signed out');
  await open(page, '/no/such/page');
  await expectNoAxeViolations(page, 'page not found');
  await open(page, '/signin');
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('error').waitFor();
  await expectNoAxeViolations(page, 'sign-in with an error');
  await page.context().close();
});

test('axe: the pages of a focal point (activities, the form empty and with errors, import preview)', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await open(page, '/', () => page.locator('.card').first().waitFor());
  await expectNoAxeViolations(page, 'home, signed in');
  await open(page, '/members/iom', () => page.getByTestId('edit-profile').waitFor());
  await expectNoAxeViolations(page, 'member page, its focal point signed in');
  await page.getByTestId('edit-profile').click();
  await page.getByTestId('profile-form').waitFor();
  await expectNoAxeViolations(page, 'member page, profile form open');
  await open(page, '/activities?country=MX', map(page));
  await expectNoAxeViolations(page, 'activities filtered by country, signed in');
  await open(page, `/activities/${activityId}`);
  await expectNoAxeViolations(page, 'an activity, signed in');
  await open(page, '/activities/new', () => page.getByTestId('activity-form').waitFor());
  await expectNoAxeViolations(page, 'activity form, empty');
  await page.getByRole('button', { name: 'Record activity' }).click();
  await page.getByTestId('error-summary').waitFor();
  await expectNoAxeViolations(page, 'activity form with errors');
  await open(page, '/activities/import');
  await page.getByLabel('IATI XML file').setInputFiles({ name: 'iom.xml', mimeType: 'application/xml', buffer: Buffer.from(IATI, 'utf8') });
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByText(/would be created|would create|new/i).first().waitFor();
  await expectNoAxeViolations(page, 'import preview');
  await open(page, '/tokens');
  await expectNoAxeViolations(page, 'tokens');
  await page.context().close();
});

test('axe: the admin pages (users, themes, members admin, audit, chair with its forms)', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await open(page, '/admin/users', () => page.getByTestId('users').waitFor());
  await expectNoAxeViolations(page, 'users');
  await page.getByRole('button', { name: 'Create a user' }).click();
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByTestId('error').first().waitFor();
  await expectNoAxeViolations(page, 'users, create form with errors');
  await open(page, '/admin/themes', () => page.locator('table, ul').first().waitFor());
  await expectNoAxeViolations(page, 'themes');
  await open(page, '/admin/members', () => page.locator('table').first().waitFor());
  await expectNoAxeViolations(page, 'members admin');
  await open(page, '/audit', () => page.locator('table').first().waitFor());
  await expectNoAxeViolations(page, 'audit');
  await open(page, '/chair', () => page.getByTestId('schedule').waitFor());
  await expectNoAxeViolations(page, 'chair, admin');
  await open(page, '/tokens');
  await expectNoAxeViolations(page, 'tokens, admin');
  await page.context().close();
});

test('axe: the helper does report a violation, with its id, target and help page', async () => {
  const page = await app.newPage();
  await open(page, '/chair', () => page.getByTestId('schedule').waitFor());
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'nameless';
    document.querySelector('main').append(b);
  });
  await assert.rejects(expectNoAxeViolations(page, 'chair with a nameless button'), (e) => {
    assert.match(e.message, /on chair with a nameless button/);
    assert.match(e.message, /button-name/);
    assert.match(e.message, /#nameless/);
    assert.match(e.message, /https:\/\/dequeuniversity\.com\/rules\/axe\//);
    return true;
  });
  // The focus check, likewise, sees a button whose outline is taken away.
  // (Through the CSSOM: the Content Security Policy refuses an inline <style>.)
  await page.evaluate(() => document.querySelector('main button[type=submit]').style.setProperty('outline', 'none', 'important'));
  await assert.rejects(expectFocusVisibleOnEveryStop(page, 'chair without outlines'), /focus not visible on chair without outlines \(1 of \d+ stops\)[^]*button "Show"/);
  await page.context().close();
});

test('focus is visible on every Tab stop of the main pages', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const pages = [
    ['/', 'home', () => page.locator('.card').first().waitFor()],
    ['/activities', 'activities', map(page)],
    [`/activities/${activityId}`, 'an activity'],
    ['/activities/new', 'the activity form', () => page.getByTestId('activity-form').waitFor()],
    ['/chair', 'chair', () => page.getByTestId('schedule').waitFor()],
    ['/members/iom', 'member', () => page.getByTestId('edit-profile').waitFor()],
    ['/tokens', 'tokens'],
  ];
  for (const [path, where, ready] of pages) {
    await open(page, path, ready);
    const stops = await expectFocusVisibleOnEveryStop(page, where);
    assert.ok(stops.length >= 8, `${where}: only ${stops.length} Tab stops`);
  }
  await page.context().close();
});

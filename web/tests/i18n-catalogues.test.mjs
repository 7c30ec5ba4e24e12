// Catalogues per language AND per page (issue 9, "Speed"): the home page fetches only the core
// and its own area; another page's area chunk (`assets/i18n-<lang>-<area>-<hash>.js`) is fetched
// when that page is shown, not before, and the page renders in the reader's language once it
// is in; a language change fetches the areas of the page on screen before switching.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startApp, webDir } from './helpers.mjs';

const catalogue = (lang) => JSON.parse(readFileSync(path.join(webDir, 'src', 'locales', `${lang}.json`), 'utf8'));
const en = catalogue('en');
const fr = catalogue('fr');
const es = catalogue('es');
const hasArea = (area) => Object.keys(en).some((id) => id.startsWith(`${area}.`));

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

/** A page whose `fetched` lists the catalogue chunks asked for, as `<lang>/<area>`, and `pages` the page chunks. */
async function newPage(locale) {
  const page = await app.newPage({ locale });
  page.fetched = [];
  page.pages = [];
  page.on('request', (r) => {
    const url = new URL(r.url()).pathname;
    const m = /^\/assets\/i18n-([a-z]{2})-([a-zA-Z0-9]+)-[\w-]{8}\.js$/.exec(url);
    if (m) page.fetched.push(`${m[1]}/${m[2]}`);
    else if (/^\/assets\/[\w-]+\.js$/.test(url)) page.pages.push(url.slice('/assets/'.length).replace(/-[\w-]{8}\.js$/, ''));
  });
  return page;
}

const nav = (page) => page.locator('#site-nav');

test('the home page in French fetches the French core and the home area, and no other page\'s', async () => {
  const page = await newPage('fr-FR');
  await page.goto(app.url);
  await page.getByRole('heading', { name: fr['home.issues'] }).waitFor();
  await nav(page).getByRole('link', { name: fr['shell.nav.home'] }).waitFor();
  assert.deepEqual([...new Set(page.fetched)].sort(), ['en/home', 'fr/core', 'fr/home']);
  for (const other of ['chair', 'users', 'members', 'activities', 'tokens', 'audit', 'themes']) {
    assert.ok(!page.fetched.some((f) => f.endsWith(`/${other}`)), `no ${other} area on the home page`);
    assert.ok(!page.pages.includes(other), `no ${other} page chunk on the home page`);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** Goes from the French home page to `href` by its link in the header; returns the chunks fetched on the way. */
async function navigateFromHome(page, linkName) {
  await page.goto(app.url);
  await nav(page).getByRole('link', { name: fr['shell.nav.home'] }).waitFor();
  await page.getByTestId('members').waitFor();
  const before = [...page.fetched];
  await nav(page).getByRole('link', { name: linkName }).click();
  return before;
}

test('navigating to the activities page in French fetches its areas then, not before, and shows it in French', async () => {
  const page = await newPage('fr-FR');
  const before = await navigateFromHome(page, fr['shell.nav.activities']);
  await page.getByRole('heading', { name: fr['activities.title'], level: 1 }).waitFor();
  for (const area of ['activities', 'labels', 'region', 'map']) {
    assert.ok(!before.includes(`fr/${area}`), `fr/${area} not fetched before`);
    assert.ok(page.fetched.includes(`fr/${area}`), `fr/${area} fetched with the page`);
    assert.ok(page.fetched.includes(`en/${area}`), `en/${area} fetched too (the fallback)`);
  }
  assert.ok(!page.fetched.some((f) => /\/(chair|users|tokens)$/.test(f)));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('navigating to the chair page in French fetches its catalogue chunk then, not before, and shows French text', async (t) => {
  if (!hasArea('chair')) {
    t.skip('the chair page has no catalogue area yet (chair.* not in en.json)');
    return;
  }
  const page = await newPage('fr-FR');
  const before = await navigateFromHome(page, fr['shell.nav.chair']);
  await page.getByRole('heading', { name: fr['chair.title'], level: 1 }).waitFor();
  assert.ok(!before.includes('fr/chair'), 'the chair area is not fetched before the chair page');
  assert.ok(page.fetched.includes('fr/chair'), 'the chair area is fetched with the chair page');
  assert.ok(!page.fetched.some((f) => /\/(users|tokens|themes)$/.test(f)));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('changing language on a page fetches that page\'s areas in the new language before switching', async () => {
  const page = await newPage('en-GB');
  await page.goto(`${app.url}/activities`);
  await page.getByRole('heading', { name: en['activities.title'], level: 1 }).waitFor();
  assert.ok(!page.fetched.some((f) => f.startsWith('es/')));
  await page.getByLabel(en['shell.language']).selectOption('es');
  await page.getByRole('heading', { name: es['activities.title'], level: 1 }).waitFor();
  await nav(page).getByRole('link', { name: es['shell.nav.home'] }).waitFor();
  for (const area of ['core', 'activities', 'labels', 'region', 'map']) assert.ok(page.fetched.includes(`es/${area}`), `es/${area} fetched`);
  // A page opened directly (not from home) in Spanish: its areas come with the first paint.
  await page.goto(`${app.url}/signin`);
  await page.getByRole('heading', { name: es['signin.title'], level: 1 }).waitFor();
  assert.ok(page.fetched.includes('es/signin'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The public home page and a member page, as an anonymous visitor sees them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './helpers.mjs';

const MEMBERS = [
  ['ilo', 'ILO'],
  ['iom', 'IOM'],
  ['unctad', 'UNCTAD'],
  ['undp', 'UNDP'],
  ['undesa', 'UNDESA'],
  ['unfpa', 'UNFPA'],
  ['ohchr', 'OHCHR'],
  ['unhcr', 'UNHCR'],
  ['unodc', 'UNODC'],
  ['worldbank', 'World Bank'],
];

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

test('home lists the 10 members, the 12 purposes, history and the chair today', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  const cards = page.getByTestId('members').locator('li');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 10);
  for (const [id, acronym] of MEMBERS) {
    const link = page.getByTestId(`member-${id}`);
    assert.match(await link.textContent(), new RegExp(acronym), `card for ${id}`);
    assert.equal(await link.getAttribute('href'), `/members/${id}`);
  }
  assert.equal(await page.locator('ol.purposes > li').count(), 12);
  assert.ok((await page.locator('ol.timeline > li').count()) >= 2, 'history has entries');
  assert.match(await page.locator('ol.timeline').textContent(), /2006/);
  assert.ok((await page.locator('ul.issues > li').count()) >= 1, 'issues listed');
  const chair = page.getByTestId('chair-today');
  await chair.locator('p.big a').waitFor();
  assert.ok((await chair.locator('p.big a').textContent()).trim().length > 0);
  await page.screenshot({ path: '/tmp/gmg-home.png', fullPage: true });
  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  await page.context().close();
});

test('a member card leads to the member page without reloading', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByTestId('member-unctad').click();
  await page.waitForURL(`${app.url}/members/unctad`);
  await page.getByRole('heading', { level: 1, name: /UNCTAD/ }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'client-side navigation');
  assert.ok((await page.getByTestId('mandate').textContent()).length > 40, 'mandate shown');
  assert.match(await page.locator('.facts').textContent(), /Member since/);
  await page.getByRole('heading', { name: 'Membership history' }).waitFor();
  await page.getByRole('heading', { name: 'Focal points' }).waitFor();
  // Anonymous visitors get no edit controls.
  assert.equal(await page.getByTestId('edit-profile').count(), 0);
  assert.equal(await page.getByRole('button', { name: /Add a focal point/ }).count(), 0);
  await page.goBack();
  await page.getByTestId('members').waitFor();
  await page.context().close();
});

test('a member page opened directly (deep link) and on a phone-sized screen', async () => {
  const page = await app.newPage({ width: 390, height: 844 });
  await page.goto(`${app.url}/members/worldbank`);
  await page.getByRole('heading', { level: 1, name: /World Bank/ }).waitFor();
  await page.getByRole('button', { name: 'Menu' }).waitFor();
  await page.screenshot({ path: '/tmp/gmg-member-phone.png', fullPage: true });
  const wide = await app.newPage();
  await wide.goto(`${app.url}/members/iom`);
  await wide.getByRole('heading', { level: 1, name: /IOM/ }).waitFor();
  await wide.getByRole('heading', { name: 'Focal points' }).waitFor();
  await wide.screenshot({ path: '/tmp/gmg-member.png', fullPage: true });
  assert.deepEqual([...page.problems, ...wide.problems], []);
  await page.context().close();
  await wide.context().close();
});

test('keyboard only: a member card opens with Enter and focus moves to the page heading', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.getByTestId('member-ohchr').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${app.url}/members/ohchr`);
  await page.getByRole('heading', { level: 1, name: /OHCHR/ }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await page.context().close();
});

test('an unknown member says so', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/members/nosuchorg`);
  await page.getByRole('heading', { name: 'No such member' }).waitFor();
  await page.context().close();
});

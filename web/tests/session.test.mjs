// Signing in and out through the browser app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, ADMIN_EMAIL, ADMIN_PASSWORD, openAdminMenu } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

test('a wrong password is refused with a message and no session', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/signin`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /wrong e-mail address or password/i);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  await page.context().close();
});

test('admin signs in, sees the admin pages, and signs out', async () => {
  const page = await app.newPage();
  await page.goto(app.url);
  // Anonymous: a sign-in link, no admin navigation.
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);

  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  // Back on the home page, the header names the user and offers the admin pages.
  await page.waitForURL(`${app.url}/`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'API tokens' }).waitFor();
  // The administration pages are under one menu, closed until asked for.
  assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
  await openAdminMenu(page);
  for (const name of ['Users', 'Membership', 'Themes', 'Audit log']) {
    await nav.getByRole('link', { name }).waitFor();
  }
  assert.match(await page.getByTestId('who').textContent(), /admin/);

  // A reload keeps the session (GET /api/v1/session on load).
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
  assert.equal(status, 401, 'the server no longer knows the session');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('pages for signed-in users ask anonymous visitors to sign in', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/tokens`);
  await page.getByRole('heading', { name: 'Sign in needed' }).waitFor();
  await page.goto(`${app.url}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.context().close();
});

test('after five wrong passwords the sixth attempt is told to wait, with the time', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/signin`);
  const email = 'nobody-in-particular@example.org';  // its own counter: other tests sign in as admin
  await page.getByLabel('E-mail').fill(email);
  const attempt = async (password) => {
    await page.getByLabel('Password').fill(password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    return response.status();
  };
  for (let i = 0; i < 5; ++i) assert.equal(await attempt(`wrong-password-${i}`), 401);
  assert.equal(await attempt('wrong-password-5'), 429);
  const alert = page.getByRole('alert');
  await alert.filter({ hasText: 'Too many sign-in attempts.' }).waitFor();
  assert.match(await alert.textContent(), /Try again in (about \d+ minutes|\d+ seconds)\./);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

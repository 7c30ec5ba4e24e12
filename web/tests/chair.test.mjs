// The chair page: who chairs on a date, and the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

test('UNCTAD chaired on 9 May 2006, the first meeting', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/chair`);
  await page.getByRole('heading', { name: 'Who chairs on a date' }).waitFor();
  await page.getByTestId('chair-date').fill('2006-05-09');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.waitForURL(/date=2006-05-09/);
  const result = page.getByTestId('chair-result');
  await result.getByText('9 May 2006').waitFor();
  assert.equal((await page.getByTestId('chair-acronym').textContent()).trim(), 'UNCTAD');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the date can be linked to, and the timeline shows terms', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/chair?date=2006-05-09`);
  await page.getByTestId('chair-acronym').waitFor();
  assert.equal((await page.getByTestId('chair-acronym').textContent()).trim(), 'UNCTAD');
  await page.getByRole('button', { name: 'Since the first meeting' }).click();
  const terms = page.getByTestId('schedule').locator('li');
  // The first term of the new range: the one of the first meeting.
  await terms.first().filter({ hasText: '9 May 2006' }).waitFor();
  assert.ok((await terms.count()) >= 2, 'several terms since 2006');
  assert.match(await terms.first().textContent(), /UNCTAD/);
  assert.ok((await page.locator('.term.current').count()) >= 1, 'today is marked');
  // Anonymous visitors do not get the admin forms.
  assert.equal(await page.getByRole('button', { name: 'Add rotation plan' }).count(), 0);
  await page.context().close();
});

test('an admin adds and removes an exception to the rotation', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/chair?date=2099-03-10`);
  await page.getByRole('heading', { name: 'New exception' }).waitFor();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'New exception' }) });
  await form.getByLabel('Starts on').fill('2099-03-01');
  await form.getByLabel('Ends on').fill('2099-03-31');
  await form.getByLabel('Chaired by').selectOption('unhcr');
  await form.getByLabel('Reason').fill('Test exception');
  await form.getByRole('button', { name: 'Add exception' }).click();
  await page.getByText('Exception added.').waitFor();
  await page.getByTestId('chair-result').getByText('Test exception').waitFor();
  assert.equal((await page.getByTestId('chair-acronym').textContent()).trim(), 'UNHCR');

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Remove exception from 1 Mar 2099' }).click();
  await page.getByText('Exception removed.').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="chair-result"]')?.textContent?.includes('Test exception'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an admin picks a rotation order, previews it, adds the plan and withdraws it; rewriting the past is refused', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/chair`);
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'New rotation plan' }) });
  await form.waitFor();
  // Before the current plan's start: refused, the field says why, nothing added.
  await form.getByLabel('Starts on').fill('2005-01-01');
  await form.getByRole('button', { name: 'Add rotation plan' }).click();
  await form.getByText('Not added.').waitFor();
  // The rule by its code (problem.after_latest_plan), its date as the reader reads dates.
  assert.match(await form.textContent(), /must be after the latest plan's start \(9 May 2006\)/);

  await form.getByLabel('Starts on').fill('2100-01-01');
  await form.getByLabel('Term (months)').fill('12');
  // The order is picked from the members, not typed: empty it, add ILO then IOM, move IOM up.
  const order = form.getByTestId('rotation-order').locator('li');
  while ((await order.count()) > 0) await order.first().getByRole('button', { name: /from the order/ }).click();
  for (const id of ['ilo', 'iom']) {
    await form.getByLabel('Add a member').selectOption(id);
    await form.getByRole('button', { name: 'Add to the order' }).click();
  }
  await form.getByRole('button', { name: 'Up move IOM earlier' }).click();
  assert.deepEqual((await order.allTextContents()).map((t) => t.trim().split(/\s/)[0]), ['IOM', 'ILO']);
  // The preview shows the resulting timeline and changes nothing.
  await form.getByRole('button', { name: 'Preview the timeline' }).click();
  const preview = form.getByTestId('rotation-preview');
  await preview.getByText('With this plan').waitFor();
  const terms = await preview.locator('li').allTextContents();
  assert.match(terms[0], /^IOM 1 Jan 2100/);
  assert.match(terms[1], /^ILO 1 Jan 2101/);
  assert.equal((await new Client(app.url).get('/api/v1/chair?date=2100-06-01')).json.organization.id !== 'iom', true);
  await form.getByRole('button', { name: 'Add rotation plan' }).click();
  await page.getByText('Rotation plan added.').waitFor();
  await page.getByText('From 1 Jan 2100, terms of 12 months: IOM → ILO').waitFor();

  await page.goto(`${app.url}/chair?date=2100-06-01`);
  await page.getByTestId('chair-acronym').waitFor();
  assert.equal((await page.getByTestId('chair-acronym').textContent()).trim(), 'IOM');
  await page.goto(`${app.url}/chair?date=2101-02-01`);
  await page.getByTestId('chair-result').getByText('1 Feb 2101').waitFor();
  assert.equal((await page.getByTestId('chair-acronym').textContent()).trim(), 'ILO');

  // A plan that has not started can be withdrawn; it stays listed, struck through.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Withdraw plan from 1 Jan 2100' }).click();
  await page.getByText('Rotation plan withdrawn.').waitFor();
  const plan = page.getByTestId('rotation-plan').filter({ hasText: '1 Jan 2100' });
  await plan.locator('del').waitFor();
  assert.match(await plan.textContent(), /withdrawn/);
  assert.equal(await plan.getByRole('button', { name: /Withdraw/ }).count(), 0);
  assert.notEqual((await new Client(app.url).get('/api/v1/chair?date=2100-06-01')).json.organization.id, 'iom');
  // The current plan, started long ago, offers no withdrawal.
  assert.equal(await page.getByRole('button', { name: 'Withdraw plan from 9 May 2006' }).count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

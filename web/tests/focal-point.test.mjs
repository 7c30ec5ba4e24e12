// A focal point of IOM edits IOM's profile, and cannot edit another member's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
});
after(async () => {
  await app?.stop();
});

test('the IOM focal point edits the IOM mandate and sees it saved', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/members/iom`);
  await page.getByRole('heading', { level: 1, name: /IOM/ }).waitFor();
  await page.getByTestId('edit-profile').click();
  const form = page.getByTestId('profile-form');
  // A focal point may change the mandate, website and executive head title only.
  assert.equal(await form.getByLabel('Acronym').count(), 0);
  const mandate = `IOM works for humane and orderly migration. Edited in a test at ${Date.now()}.`;
  await form.getByLabel('Mandate and migration work').fill(mandate);
  await form.getByRole('button', { name: 'Save profile' }).click();
  await page.getByRole('status').getByText(/Saved the changes/).waitFor();
  await page.getByTestId('mandate').getByText(mandate).waitFor();

  // Still there after a full reload, from the server.
  await page.reload();
  await page.getByTestId('mandate').getByText(mandate).waitFor();
  const api = await new Client(app.url).get('/api/v1/organizations/iom');
  assert.equal(api.json.mandate, mandate);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a stale edit (412) is explained and the latest version loaded', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/members/iom`);
  await page.getByTestId('edit-profile').click();
  const form = page.getByTestId('profile-form');
  await form.getByLabel('Mandate and migration work').fill('My change, made on an old copy.');

  // Meanwhile the secretariat (here: the admin) changes the profile.
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const current = await admin.get('/api/v1/organizations/iom');
  const theirs = `IOM mandate as changed by someone else at ${Date.now()}.`;
  const r = await admin.patch('/api/v1/organizations/iom', { mandate: theirs }, { headers: { 'if-match': current.headers.get('etag') } });
  assert.equal(r.status, 200, r.text);

  await form.getByRole('button', { name: 'Save profile' }).click();
  const stale = page.getByTestId('stale');
  await stale.waitFor();
  assert.match(await stale.textContent(), /someone else changed/i);
  await page.getByTestId('mandate').getByText(theirs).waitFor();
  assert.equal(await page.getByTestId('profile-form').getByLabel('Mandate and migration work').inputValue(), theirs);
  await page.context().close();
});

test('the IOM focal point adds, edits and removes an IOM focal point', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/members/iom`);
  await page.getByRole('button', { name: 'Add a focal point' }).click();
  const add = page.locator('form', { has: page.getByRole('heading', { name: 'New focal point' }) });
  await add.getByLabel('Name').fill('Amal Example');
  await add.getByLabel('Title').fill('Migration policy officer');
  await add.getByLabel('E-mail').fill('amal@example.org');
  await add.getByRole('button', { name: 'Add focal point' }).click();
  await page.getByText('Added Amal Example.').waitFor();
  const people = page.getByTestId('focal-points');
  await people.getByText('amal@example.org').waitFor();

  await people.getByRole('button', { name: 'Edit Amal Example' }).click();
  const edit = page.locator('form', { has: page.getByRole('heading', { name: 'Edit Amal Example' }) });
  await edit.getByLabel('Title').fill('Senior migration policy officer');
  await edit.getByRole('button', { name: 'Save focal point' }).click();
  await page.getByText('Saved Amal Example.').waitFor();
  await people.getByText('Senior migration policy officer').waitFor();

  page.once('dialog', (d) => d.accept());
  await people.getByRole('button', { name: 'Remove Amal Example' }).click();
  await page.getByText('Removed Amal Example.').waitFor();
  await people.getByText('amal@example.org').waitFor({ state: 'detached' });
  const listed = await new Client(app.url).get('/api/v1/organizations/iom/focal-points');
  assert.ok(!listed.json.items.some((f) => f.name === 'Amal Example'), 'archived, no longer listed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('on the UNHCR page the IOM focal point has no edit form, and the server refuses a PATCH', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/members/unhcr`);
  await page.getByRole('heading', { level: 1, name: /UNHCR/ }).waitFor();
  await page.getByRole('heading', { name: 'Focal points' }).waitFor();
  assert.equal(await page.getByTestId('edit-profile').count(), 0);
  assert.equal(await page.getByTestId('profile-form').count(), 0);
  // The header's search box is a form on every page; none in the page's own content.
  assert.equal(await page.locator('main form').count(), 0, 'no form at all in the page');
  assert.equal(await page.getByRole('button', { name: /Add a focal point|Edit|Remove/ }).count(), 0);

  // Going around the UI: the same PATCH from the page, with its session and CSRF token.
  const status = await page.evaluate(async () => {
    const s = await (await fetch('/api/v1/session')).json();
    const g = await fetch('/api/v1/organizations/unhcr');
    const r = await fetch('/api/v1/organizations/unhcr', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token, 'If-Match': g.headers.get('ETag') },
      body: JSON.stringify({ mandate: 'Hijacked by another agency.' }),
    });
    return r.status;
  });
  assert.equal(status, 403);
  const unhcr = await new Client(app.url).get('/api/v1/organizations/unhcr');
  assert.notEqual(unhcr.json.mandate, 'Hijacked by another agency.');
  await page.context().close();
});

test('sign-in brings the focal point to its organisation: its activities, and why no contact is listed', async () => {
  const fp = new Client(app.url);
  await fp.signIn(FP.email, FP.password);
  const title = `Return and reintegration counselling ${Date.now()}`;
  const r = await fp.post('/api/v1/activities', { organization_id: 'iom', titles: title, type: 'training', themes: ['return-reintegration'], status: 2 });
  assert.equal(r.status, 201, r.text);

  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.waitForURL(`${app.url}/members/iom`);
  await page.getByRole('link', { name: 'My organisation' }).waitFor();
  const acts = page.getByTestId('org-activities');
  await acts.getByRole('link', { name: title }).waitFor();
  await acts.getByRole('link', { name: 'Record an activity' }).waitFor();
  await acts.getByRole('link', { name: /^(All \d+ activities|1 activity) of IOM$/ }).click();
  await page.waitForURL(/\/activities\?organization=iom/);

  // With no published contact, the page says what the list is and what the focal point can do.
  const admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const listed = (await admin.get('/api/v1/organizations/iom/focal-points')).json.items;
  for (const p of listed) assert.equal((await admin.del(`/api/v1/organizations/iom/focal-points/${p.id}`)).status, 204);
  await page.goto(`${app.url}/members/iom`);
  const empty = page.getByTestId('no-focal-points');
  await empty.getByText('No focal point contact of IOM is published yet.').waitFor();
  assert.match(await empty.textContent(), /You act for this organisation/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The knowledge library (issue 13) in the browser against the real server: anyone searches and
// sees highlighted matches, facet counts that filter; a focal point adds an item with a file
// (typed by content on the server: a fake PDF is refused with the rule's message) and finds its
// download on the item's page; a best practice waits in the review queue until another
// reviewer approves it; axe, French and Arabic. Waits for data on screen, never only for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations, expectDirection } from './helpers.mjs';

const PASS = 'library-test-password-1';
const FP = { email: 'fp.library@example.org', name: 'Lia Library', role: 'focal_point', org: 'iom', password: PASS };
const SEC = { email: 'sec.library@example.org', name: 'Sam Secretariat', role: 'secretariat', password: PASS };
const PDF = '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n';

let app;
before(async () => {
  app = await startApp();
  for (const u of [FP, SEC]) addUser(app.server.db, u);
  const fp = new Client(app.url);
  await fp.signIn(FP.email, FP.password);
  const base = { kind: 'publication', year: 2022, language: 'en', countries: ['MEX'] };
  for (const [title, abstract, extra] of [
    ['Remittances and mobile money', 'Remittances sent through mobile wallets in rural areas.', {}],
    ['Labour mobility in the Pacific', 'Seasonal workers and remittances from Australia and New Zealand.', { countries: ['FJI'], kind: 'policy_brief' }],
    ['Protection des réfugiés', 'Mécanismes de protection des réfugiés.', { language: 'fr', countries: ['SEN'] }],
  ]) {
    const r = await fp.post('/api/v1/library/items', { ...base, title, abstract, ...extra });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await app?.stop();
});

test('library: search with highlighted matches and facets that filter', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/library`);
  await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
  await page.getByLabel('Search the library').fill('remittance');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByTestId('library-total').getByText('2 items').waitFor();
  assert.equal(await page.getByTestId('library-results').locator('mark').first().textContent(), 'Remittances');
  const facets = page.getByTestId('library-facets');
  await facets.getByRole('button', { name: 'Policy brief (1)' }).click();
  await page.getByTestId('library-total').getByText('1 item').waitFor();
  await page.getByTestId('library-results').getByRole('link', { name: /Labour mobility/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Labour mobility in the Pacific' }).waitFor();
  await expectNoAxeViolations(page, 'a library item, signed out');
  await page.goto(`${app.url}/library?q=refugies`);
  await page.getByTestId('library-total').getByText('1 item').waitFor();
  await expectNoAxeViolations(page, 'library search, signed out');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('library: a focal point adds an item with a file; a fake PDF is refused', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/library/new`);
  const form = page.getByTestId('library-form');
  await form.getByLabel('Title').fill('Migration data handbook');
  await form.getByLabel('Countries').fill('PHL, mex');
  await form.getByLabel('Abstract').fill('A handbook on migration statistics.');
  await form.getByTestId('library-file').setInputFiles({ name: 'handbook.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not really a PDF\n') });
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('alert').getByText('the file is named .pdf but its content is txt', { exact: true }).waitFor();
  await form.getByTestId('library-file').setInputFiles({ name: 'handbook.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name: 'Migration data handbook' }).waitFor();
  const download = page.getByTestId('library-download');
  assert.match(await download.textContent(), /handbook\.pdf/);
  const res = await page.request.get(app.url + (await download.getAttribute('href')));
  assert.equal(res.status(), 200);
  assert.equal(await res.text(), PDF);
  await expectNoAxeViolations(page, 'a library item, its focal point');
  assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), []);
  await page.context().close();
});

test('library: a best practice is approved from the review queue; French and Arabic', async () => {
  const fp = new Client(app.url);
  await fp.signIn(FP.email, FP.password);
  const bp = await fp.post('/api/v1/library/items', { kind: 'best_practice', title: 'One-stop centres for returning migrants', year: 2023, language: 'en' });
  assert.equal(bp.status, 201, bp.text);
  const anon = await new Client(app.url).get(bp.json.href);
  assert.equal(anon.status, 404);

  const page = await app.newPage();
  await signIn(page, app.url, SEC.email, SEC.password);
  await page.goto(`${app.url}/library/review`);
  await page.getByTestId('library-queue').getByRole('link', { name: 'One-stop centres for returning migrants' }).click();
  const form = page.getByTestId('library-review-form');
  await form.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByTestId('library-status').getByText('Published').waitFor();
  assert.equal((await new Client(app.url).get(bp.json.href)).status, 200);
  await page.context().close();

  const fr = await app.newPage({ locale: 'fr-FR' });
  await fr.goto(`${app.url}/library?q=centres`);
  await fr.getByRole('heading', { level: 1, name: 'Bibliothèque' }).waitFor();
  await fr.getByTestId('library-facets').getByRole('button', { name: 'Bonne pratique (1)' }).waitFor();
  await expectNoAxeViolations(fr, 'library in French');
  const ar = await app.newPage({ locale: 'ar' });
  await ar.goto(`${app.url}/library`);
  await ar.getByRole('heading', { level: 1, name: 'المكتبة' }).waitFor();
  await expectDirection(ar, 'ar');
  await expectNoAxeViolations(ar, 'library in Arabic');
  for (const p of [fr, ar]) {
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

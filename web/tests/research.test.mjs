// The research network and staff exchanges (issue 13) in the browser against the real server:
// the directory shows the share of the network in developing countries (0 of 0 when empty,
// then counts), a focal point adds an institution (a bad country refused with the field named),
// the knowledge menu leads there, and edits it (a stale edit refused with 412); exchanges: a
// focal point proposes one (and waits) and the other organisation agrees; anonymous visitors are
// not shown them; axe.
// Waits for data on screen, never only for URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations } from './helpers.mjs';

const PASS = 'research-test-password-1';
const FP_IOM = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: PASS };
const FP_ILO = { email: 'fp.ilo@example.org', name: 'Ilse Focal', role: 'focal_point', org: 'ilo', password: PASS };

let app;
const SIGN_IN_NEEDED = 'Sign in needed';
before(async () => {
  app = await startApp();
  for (const u of [FP_IOM, FP_ILO]) addUser(app.server.db, u);
});
after(async () => {
  await app?.stop();
});

test('research: the share indicator, a focal point adds an institution, bad input named', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/research`);
  const share = page.getByTestId('research-share');
  await share.locator('td[data-group="developing"]').first().filter({ hasText: '0 of 0' }).waitFor();
  await page.getByTestId('no-institutions').waitFor();
  await expectNoAxeViolations(page, 'research directory, empty');

  await signIn(page, app.url, FP_IOM.email, FP_IOM.password);
  // The home page's requests first: a late re-render would close the menu just opened.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Knowledge and engagement' }).click();
  await page.getByRole('link', { name: 'Research network' }).click();
  const form = page.getByTestId('institution-form');
  await form.getByLabel('Name').fill('Kathmandu institute for labour mobility');
  await form.getByLabel('Country').fill('XYZ');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.locator('.field-error', { hasText: 'is not a country code' }).waitFor();
  await form.getByLabel('Country').fill('npl');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('institutions').getByText('Kathmandu institute for labour mobility').waitFor();
  await share.locator('td[data-group="ldc"]').first().filter({ hasText: '1 of 1' }).waitFor();
  const row = page.getByTestId('institutions').locator('tr', { hasText: 'Kathmandu' });
  assert.match(await row.innerText(), /LDC/);
  await expectNoAxeViolations(page, 'research directory, one institution');

  // Editing: the row's Edit fills the form and moves the focus to it; Save sends PUT with
  // If-Match. Someone else's save in between (here through the API) gets 412: the form says so,
  // the list shows their version, and Edit again starts from it.
  await row.getByRole('button', { name: 'Edit Kathmandu institute for labour mobility' }).click();
  await form.getByRole('heading', { name: 'Edit Kathmandu institute for labour mobility' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'addi-h');
  assert.equal(await form.getByLabel('Country').inputValue(), 'NPL');
  await form.getByLabel('Name').fill('Kathmandu labour mobility institute');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('institutions').getByText('Kathmandu labour mobility institute').waitFor();
  await form.getByRole('heading', { name: 'Add an institution' }).waitFor();
  assert.equal(await form.getByLabel('Name').inputValue(), '');

  const renamed = page.getByTestId('institutions').locator('tr', { hasText: 'Kathmandu labour' });
  await renamed.getByRole('button', { name: /^Edit / }).click();
  const other = new Client(app.url);
  await other.signIn(FP_IOM.email, FP_IOM.password);
  const id = (await other.get('/api/v1/research/institutions')).json.items[0].id;
  const theirs = await other.request('PUT', `/api/v1/research/institutions/${id}`, {
    body: { name: 'Renamed by a colleague', country: 'NPL', type: 'university' },
    headers: { 'if-match': '"v2"' },
  });
  assert.equal(theirs.status, 200, theirs.text);
  await form.getByLabel('Name').fill('My late rename');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByTestId('stale').waitFor();
  await page.getByTestId('institutions').getByText('Renamed by a colleague').waitFor();
  assert.equal((await other.get(`/api/v1/research/institutions/${id}`)).json.name, 'Renamed by a colleague');
  await expectNoAxeViolations(page, 'research directory, a stale edit refused');
  await page.close();
});

test('exchanges: proposed by one focal point, agreed by the other; hidden from visitors', async () => {
  const page = await app.newPage();
  await page.goto(`${app.url}/exchanges`);
  await page.getByRole('heading', { level: 1, name: SIGN_IN_NEEDED }).waitFor();
  assert.equal(await page.getByTestId('exchanges').count(), 0);

  await signIn(page, app.url, FP_ILO.email, FP_ILO.password);
  await page.goto(`${app.url}/exchanges`);
  await page.getByTestId('no-exchanges').waitFor();
  const form = page.getByTestId('exchange-form');
  await form.getByLabel('Kind').selectOption('secondment');
  await form.getByLabel('From').selectOption('ilo');
  await form.getByLabel('To', { exact: true }).selectOption('iom');
  await form.getByLabel('Who').fill('Labour migration specialist');
  await form.getByLabel('Start').fill('2027-01-01');
  await form.getByLabel('End').fill('2027-12-31');
  await form.getByRole('button', { name: 'Save' }).click();
  const row = page.getByTestId('exchanges').locator('tr', { hasText: 'Labour migration specialist' });
  await row.getByText('Proposed').waitFor();
  // The proposing side waits for the other to agree: no "Mark agreed" for it, only "Cancel".
  await row.getByText('Awaiting IOM’s agreement').waitFor();
  assert.equal(await row.getByRole('button', { name: 'Mark agreed' }).count(), 0);
  assert.equal(await row.getByRole('button', { name: 'Cancel' }).count(), 1);
  await expectNoAxeViolations(page, 'exchanges');

  const other = await app.newPage();
  await signIn(other, app.url, FP_IOM.email, FP_IOM.password);
  await other.goto(`${app.url}/exchanges`);
  const theirs = other.getByTestId('exchanges').locator('tr', { hasText: 'Labour migration specialist' });
  await theirs.getByRole('button', { name: 'Mark agreed' }).click();
  await theirs.getByText('Agreed').waitFor();
  await other.close();

  const c = new Client(app.url);
  assert.equal((await c.get('/api/v1/exchanges')).status, 401);
  await page.close();
});

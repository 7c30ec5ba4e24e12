// The research network and staff exchanges (issue 13) in the browser against the real server:
// the directory shows the share of the network in developing countries (0 of 0 when empty,
// then counts), a focal point adds an institution (a bad country refused with the field named),
// the knowledge menu leads there, and edits it (a stale edit refused with 412); exchanges: a
// focal point proposes one (and waits) and the other organisation agrees; anonymous visitors are
// not shown them; researchers and joint projects added and edited from their forms (a focal point
// cannot take its organisation out of a project; another agency's focal point gets no Edit on
// what it may not change, and 403 from the API); axe.
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

test('research: a focal point adds and edits a researcher and a joint project; another agency may not', async () => {
  const api = new Client(app.url);
  await api.signIn(FP_IOM.email, FP_IOM.password);
  const inst = await api.request('POST', '/api/v1/research/institutions', { body: { name: 'Suva centre for Pacific mobility', country: 'FJI', type: 'research_institute' } });
  assert.equal(inst.status, 201, inst.text);

  const page = await app.newPage();
  await signIn(page, app.url, FP_IOM.email, FP_IOM.password);
  await page.goto(`${app.url}/research`);
  const rform = page.getByTestId('researcher-form');
  await rform.getByLabel('Name').fill('Asha Koirala');
  await rform.getByLabel('Institution').selectOption({ label: 'Suva centre for Pacific mobility' });
  await rform.getByLabel('E-mail').fill('asha@example.org');
  await rform.getByLabel('Expertise themes').fill('labour migration, climate mobility');
  await rform.getByLabel('Languages').fill('english');
  await rform.getByRole('button', { name: 'Save' }).click();
  // The server names the field; the form marks it and moves the focus there.
  await rform.locator('input[name="languages"][aria-invalid="true"]').waitFor();
  // (The focus moves in an effect, just after the field is marked.)
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'languages', null, { timeout: 5000 });
  await rform.getByLabel('Languages').fill('en, NE');
  await rform.getByLabel('Public profile').check();
  await rform.getByRole('button', { name: 'Save' }).click();
  const researcher = page.getByTestId('researchers').locator('li', { hasText: 'Asha Koirala' });
  await researcher.getByText('labour migration, climate mobility').waitFor();
  const stored = (await api.get('/api/v1/research/researchers')).json.items.find((r) => r.name === 'Asha Koirala');
  assert.deepEqual([stored.languages, stored.public_profile, stored.email], [['en', 'ne'], true, 'asha@example.org']);

  // Edit fills the form; a colleague's save in between makes Save a 412 that says so.
  await researcher.getByRole('button', { name: 'Edit Asha Koirala' }).click();
  await rform.getByRole('heading', { name: 'Edit Asha Koirala' }).waitFor();
  assert.equal(await rform.getByLabel('Languages').inputValue(), 'en, ne');
  await rform.getByLabel('Expertise themes').fill('labour migration, climate mobility, remittances');
  await rform.getByRole('button', { name: 'Save' }).click();
  await researcher.getByText('labour migration, climate mobility, remittances').waitFor();
  await researcher.getByRole('button', { name: 'Edit Asha Koirala' }).click();
  const theirs = await api.request('PUT', `/api/v1/research/researchers/${stored.id}`, {
    body: { name: 'Asha Koirala (PhD)', institution_id: inst.json.id, themes: ['labour migration'], languages: ['en'], public_profile: true },
    headers: { 'if-match': '"v2"' },
  });
  assert.equal(theirs.status, 200, theirs.text);
  await rform.getByLabel('Name').fill('Asha K.');
  await rform.getByRole('button', { name: 'Save' }).click();
  await rform.getByTestId('stale').waitFor();
  await page.getByTestId('researchers').getByText('Asha Koirala (PhD)').waitFor();

  // A joint project: the focal point's own organisation is in it and cannot be taken out.
  const pform = page.getByTestId('project-form');
  await pform.getByLabel('Title').fill('Pacific labour mobility survey');
  await pform.getByLabel('Start').fill('2027-02-01');
  const ownBox = pform.getByRole('checkbox', { name: 'International Organization for Migration' });
  assert.ok(await ownBox.isChecked());
  assert.ok(await ownBox.isDisabled());
  await pform.getByRole('checkbox', { name: 'International Labour Organization' }).check();
  await pform.getByRole('checkbox', { name: 'Suva centre for Pacific mobility' }).check();
  await pform.getByRole('button', { name: 'Save' }).click();
  const project = page.getByTestId('projects').locator('li', { hasText: 'Pacific labour mobility survey' });
  await project.getByText('Suva centre for Pacific mobility').waitFor();
  assert.match(await project.innerText(), /Planned/);
  await project.getByRole('button', { name: 'Edit Pacific labour mobility survey' }).click();
  await pform.getByRole('heading', { name: 'Edit Pacific labour mobility survey' }).waitFor();
  await pform.getByLabel('Status').selectOption('active');
  await pform.getByRole('button', { name: 'Save' }).click();
  await project.getByText(/Active/).waitFor();
  await expectNoAxeViolations(page, 'research directory, researcher and project forms');
  await page.close();

  // ILO's focal point: ILO is in the project (Edit), the researcher is IOM's (no Edit, 403).
  const ilo = await app.newPage();
  await signIn(ilo, app.url, FP_ILO.email, FP_ILO.password);
  await ilo.goto(`${app.url}/research`);
  const seen = ilo.getByTestId('researchers').locator('li', { hasText: 'Asha Koirala (PhD)' });
  await seen.waitFor();
  assert.equal(await seen.getByRole('button', { name: /^Edit / }).count(), 0);
  await ilo.getByTestId('projects').locator('li', { hasText: 'Pacific labour mobility survey' }).getByRole('button', { name: 'Edit Pacific labour mobility survey' }).click();
  // Both organisations already in it stay in it: their boxes are locked, and the hint says why.
  const iloForm = ilo.getByTestId('project-form');
  await iloForm.getByRole('heading', { name: 'Edit Pacific labour mobility survey' }).waitFor();
  // (Waited for: the form is filled from the project just after its heading shows.)
  for (const name of ['International Organization for Migration', 'International Labour Organization']) {
    await iloForm.getByRole('checkbox', { name, checked: true, disabled: true }).waitFor({ timeout: 5000 });
  }
  await iloForm.getByText('only the secretariat takes one out').waitFor();
  const iloApi = new Client(app.url);
  await iloApi.signIn(FP_ILO.email, FP_ILO.password);
  const refused = await iloApi.request('PUT', `/api/v1/research/researchers/${stored.id}`, {
    body: { name: 'Taken over', institution_id: inst.json.id },
  });
  assert.equal(refused.status, 403, refused.text);
  await ilo.close();
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

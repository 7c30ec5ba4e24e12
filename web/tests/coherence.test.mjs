// The Coherence page against the real engine (issue 10): the demo set and a few activities made
// here through the API, analysed by the server itself. A focal point of IOM sees IOM's findings
// first, reads why (the sentence, the waterfall's table), gives feedback; feedback on another
// agency's pair is refused (403) and the page offers no form for it; the activity form shows the
// likely overlaps while a duplicate of a demo activity is typed; French and Arabic; axe; phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client, expectNoAxeViolations, ADMIN_EMAIL, ADMIN_PASSWORD, expectDirection } from './helpers.mjs';
import { runGmg } from '../../tests/lib/server.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };

/** Two near-identical activities of IOM and UNODC, and two of ILO and UNHCR (no IOM). */
function pair(org, title, description, country, theme, type) {
  return {
    organization_id: org,
    titles: [{ lang: 'en', text: title }],
    descriptions: [{ lang: 'en', text: description }],
    type,
    themes: [theme],
    purposes: [],
    dimensions: [],
    countries: [country],
    regions: [],
    is_global: false,
    starts_on: '2024-01-01',
    ends_on: '2025-12-31',
    status: 2,
    budget: { amount: 500000, currency: 'USD' },
    partners: [],
    contact: { name: 'Desk', email: `desk@${org}.example` },
    links: [],
    visibility: 'public',
  };
}
const CT = 'Counter-trafficking training for border and immigration officials in Nigeria';
const CT_TEXT = 'Trains border guards, immigration officers and police in Lagos and Kano to identify and refer victims of trafficking, with a curriculum on victim screening and referral.';
const FR = 'Fair recruitment training for labour inspectors in Nepal';
const FR_TEXT = 'Trains labour inspectors and recruitment agency regulators in Kathmandu on fair recruitment, zero recruitment fees and complaint mechanisms for migrant workers.';

let app;
let admin;
const ids = {};
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  const demo = runGmg(['demo', 'load', '--db', app.server.db]);
  assert.equal(demo.status, 0, demo.stderr);
  admin = new Client(app.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  for (const [key, body] of Object.entries({
    iom: pair('iom', CT, CT_TEXT, 'NG', 'trafficking', 'training'),
    unodc: pair('unodc', `${CT} (UNODC)`, CT_TEXT, 'NG', 'trafficking', 'training'),
    ilo: pair('ilo', FR, FR_TEXT, 'NP', 'labour-migration', 'training'),
    unhcr: pair('unhcr', `${FR}: second cohort`, FR_TEXT, 'NP', 'labour-migration', 'training'),
  })) {
    const r = await admin.post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
    ids[key] = r.json.id;
  }
  // The server analyses in the background and follows the change log: wait (bounded) until it
  // has found both pairs.
  const want = [pairId(ids.iom, ids.unodc), pairId(ids.ilo, ids.unhcr)];
  for (let i = 0; i < 120; i++) {
    const r = await admin.get('/api/v1/coherence/overlaps?limit=200');
    if (r.status === 200 && r.json.status?.state === 'ready' && want.every((id) => r.json.items.some((f) => f.id === id))) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error('the server did not find the two planted pairs within 60 s');
});
after(async () => {
  await app?.stop();
});

function pairId(a, b) {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

test('the IOM focal point sees IOM\'s finding first, with the sentence, the shared places and the waterfall\'s table; no axe violations', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coherence' }).click();
  await page.getByRole('heading', { level: 1, name: 'Coherence' }).waitFor();
  const first = page.getByTestId('finding').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-id'), pairId(ids.iom, ids.unodc), 'IOM\'s own finding first');
  assert.equal(await first.getByTestId('finding-class').textContent(), 'Possible duplication');
  assert.match(await first.getByTestId('finding-sentence').textContent(), /Same kind of work \(Training\) on Trafficking in persons in Nigeria\./);
  assert.match(await first.getByTestId('shared').textContent(), /Shared placesNigeria/);
  // UNODC's focal point is one click away (its activity's contact).
  const unodc = first.getByTestId('pair-activity').filter({ hasText: 'UNODC' });
  assert.equal(await unodc.getByTestId('contact-link').getAttribute('href'), `mailto:desk@unodc.example?subject=${encodeURIComponent(`${CT} (UNODC)`)}`);

  await first.getByText('Why this score').click();
  const rows = first.getByTestId('waterfall-table').locator('tbody tr');
  assert.equal(await rows.count(), 10, 'the starting point, eight comparisons, the score');
  assert.equal(await rows.nth(1).locator('th').textContent(), 'Places');
  assert.equal(await rows.nth(1).locator('td').first().textContent(), 'same country');
  assert.equal(await first.locator('svg[role="img"]').count(), 1);
  await expectNoAxeViolations(page, 'coherence, IOM focal point');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('feedback as a focal point: saved, shown and in the API; another agency\'s pair offers no form and the API refuses it (403)', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const own = pairId(ids.iom, ids.unodc);
  await page.goto(`${app.url}/coherence/overlaps/${own}`);
  const form = page.getByTestId('feedback-form');
  await form.getByLabel('Confirmed duplication').check();
  await form.getByLabel('Comment (optional)').fill('Same course; we will merge the cohorts.');
  await form.getByRole('button', { name: 'Save feedback' }).click();
  await page.getByTestId('feedback-given').getByText(/Confirmed duplication, by Ines Focal/).waitFor();
  const saved = await admin.get(`/api/v1/coherence/overlaps/${own}`);
  assert.equal(saved.json.feedback.verdict, 'confirmed_duplication');
  assert.equal(saved.json.feedback.comment, 'Same course; we will merge the cohorts.');
  // Withdrawn, and gone from the API too.
  await form.getByRole('button', { name: 'Withdraw feedback' }).click();
  await page.getByTestId('feedback-status').getByText('Feedback withdrawn.').waitFor();
  assert.equal(await page.getByTestId('feedback-given').count(), 0);
  assert.equal((await admin.get(`/api/v1/coherence/overlaps/${own}`)).json.feedback, null);

  // ILO and UNHCR: visible to IOM's focal point, not theirs to judge.
  const other = pairId(ids.ilo, ids.unhcr);
  await page.goto(`${app.url}/coherence/overlaps/${other}`);
  await page.getByTestId('finding').waitFor();
  assert.equal(await page.getByTestId('feedback-form').count(), 0);
  assert.match(await page.getByTestId('feedback-who').textContent(), /focal points of the two organisations/);
  const fp = new Client(app.url);
  await fp.signIn(FP.email, FP.password);
  const refused = await fp.request('PUT', `/api/v1/coherence/overlaps/${other}/feedback`, { body: { verdict: 'unrelated', comment: '' } });
  assert.equal(refused.status, 403, refused.text);
  await page.context().close();
});

test('the activity form shows the likely overlaps while a duplicate of a demo activity is typed, with the contact one click away', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  const checks = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/coherence/check')) checks.push(r);
  });
  await page.goto(`${app.url}/activities/new`);
  const panel = page.getByTestId('overlaps-panel');
  await panel.waitFor();
  assert.equal(await page.getByTestId('overlaps-status').getAttribute('aria-live'), 'polite');
  // ILO's demo activity "Fair recruitment corridor South Asia–Gulf", typed again by IOM.
  await page.getByLabel('Title (English)').pressSequentially('Fair recruitment corridor South Asia–Gulf', { delay: 15 });
  await page
    .getByLabel('Description (English)')
    .fill('Pilots fair recruitment practices and zero recruitment fees with employers, recruiters and unions along the Nepal–Qatar and Bangladesh–Kuwait corridors.');
  await page.getByLabel('Type', { exact: true }).selectOption('technical_assistance');
  await page.getByLabel('Labour migration', { exact: true }).check();
  const countries = page.getByLabel('Countries', { exact: true });
  for (const [name, code] of [['Nepal', 'NP'], ['Qatar', 'QA']]) {
    await countries.fill(name);
    await page.getByRole('button', { name: new RegExp(`^${name} \\(${code}\\)`) }).click();
    await page.getByRole('button', { name: `Remove ${name}` }).waitFor();
  }
  await page.getByLabel('Start date').fill('2021-01-01');
  await page.getByLabel('End date').fill('2025-12-31');
  const item = panel.getByTestId('overlap-items').locator('li').filter({ hasText: 'Fair recruitment corridor South Asia–Gulf' });
  await item.waitFor({ timeout: 15000 });
  assert.match(await item.textContent(), /ILO/);
  assert.match(await page.getByTestId('overlaps-status').textContent(), /likely overlap/);
  const contact = item.getByTestId('contact-link');
  assert.match(await contact.getAttribute('href'), /^(mailto:|\/members\/ilo#fp-h)/);
  // Typing was debounced: far fewer checks than keystrokes.
  assert.ok(checks.length < 20, `${checks.length} checks`);
  await expectNoAxeViolations(page, 'activity form with likely overlaps');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('French and Arabic, at phone width: the finding in the reader\'s words, Arabic right to left, no sideways scrolling', async () => {
  for (const [lang, klass, heading] of [
    ['fr', 'Doublon possible', 'Cohérence'],
    ['ar', 'ازدواجية محتملة', 'الاتساق'],
  ]) {
    const page = await app.newPage({ locale: lang, width: 390, height: 844 });
    const r = await page.request.post(`${app.url}/api/v1/session`, { data: { email: FP.email, password: FP.password } });
    assert.equal(r.status(), 200);
    await page.goto(`${app.url}/coherence/overlaps/${pairId(ids.iom, ids.unodc)}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expectDirection(page, lang);
    const card = page.getByTestId('finding');
    assert.equal(await card.getByTestId('finding-class').textContent(), klass);
    assert.notEqual(await card.getByTestId('finding-sentence').textContent(), (await admin.get(`/api/v1/coherence/overlaps/${pairId(ids.iom, ids.unodc)}`)).json.summary);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${lang}): ${overflow}px`);
    await expectNoAxeViolations(page, `coherence finding, ${lang}, phone`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('the IATI import preview lists the likely overlaps of the file\'s activities, read in the browser', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities/import`);
  // IOM's file repeats ILO's demo activity "Fair recruitment corridor South Asia–Gulf", and has one unrelated activity.
  const file = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-COH-0001</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Fair recruitment corridor South Asia–Gulf</narrative></title>
    <description type="1"><narrative>Pilots fair recruitment practices and zero recruitment fees with employers, recruiters and unions along the Nepal–Qatar and Bangladesh–Kuwait corridors.</narrative></description>
    <activity-status code="2"/>
    <activity-date type="2" iso-date="2021-01-01"/>
    <activity-date type="3" iso-date="2025-12-31"/>
    <recipient-country code="NP" percentage="50"/>
    <recipient-country code="QA" percentage="50"/>
    <sector vocabulary="1" code="15190" percentage="100"/>
  </iati-activity>
  <iati-activity xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-COH-0002</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Road maintenance</narrative></title>
    <activity-status code="2"/>
    <recipient-country code="PH" percentage="100"/>
  </iati-activity>
</iati-activities>
`;
  await page.getByLabel('IATI XML file').setInputFiles({ name: 'iom.xml', mimeType: 'application/xml', buffer: Buffer.from(file, 'utf8') });
  await page.getByRole('button', { name: 'Preview' }).click();
  const box = page.getByTestId('import-overlaps');
  await box.getByText(/1 activity of the 2 checked may overlap/).waitFor({ timeout: 15000 });
  const listed = box.locator('.import-overlap');
  assert.equal(await listed.count(), 1);
  assert.match(await listed.locator('h3').textContent(), /Fair recruitment corridor South Asia–Gulf.*XM-DAC-47066-COH-0001/);
  assert.match(await listed.getByTestId('overlap-items').textContent(), /ILO/);
  await expectNoAxeViolations(page, 'import preview with likely overlaps');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the mandate map: IOM\'s focal point adds a stated theme of IOM (PUT), and may not edit another organisation\'s', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/coherence/mandates`);
  const map = page.getByTestId('mandate-map');
  await map.waitFor();
  assert.equal(await map.locator('tr[data-org="unhcr"]').getByRole('button').count(), 0);
  await map.locator('tr[data-org="iom"]').getByRole('button', { name: /Edit stated themes/ }).click();
  const form = page.getByTestId('mandate-form');
  const statelessness = form.getByLabel('Statelessness', { exact: true });
  const before = await statelessness.isChecked();
  await statelessness.setChecked(!before);
  await form.getByRole('button', { name: 'Save stated themes' }).click();
  await form.waitFor({ state: 'detached' });
  const after = await new Client(app.url).get('/api/v1/coherence/mandates');
  const iom = after.json.items.find((x) => x.organization_id === 'iom');
  assert.equal(iom.themes.some((x) => x.theme === 'statelessness' && x.stated), !before);
  await expectNoAxeViolations(page, 'mandate map after an edit');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the model: feedback counts when the administrator re-estimates, and the page says how it moved the weights', async () => {
  // A verdict on the ILO–UNHCR pair, given by the administrator through the API.
  const other = pairId(ids.ilo, ids.unhcr);
  const put = await admin.request('PUT', `/api/v1/coherence/overlaps/${other}/feedback`, { body: { verdict: 'confirmed_duplication', comment: 'one programme' } });
  assert.equal(put.status, 200, put.text);
  const page = await app.newPage();
  await signIn(page, app.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`${app.url}/coherence/model`);
  await page.getByTestId('model-weights').waitFor();
  assert.ok((await page.getByTestId('model-weights').locator('tbody tr').count()) > 8, 'the prior and every level');
  await page.getByRole('button', { name: 'Re-estimate from feedback' }).click();
  await page.getByText(/Re-estimated with \d+ verdicts?\./).waitFor({ timeout: 30000 });
  const model = (await admin.get('/api/v1/coherence/model')).json;
  assert.ok(model.labels_used >= 1, JSON.stringify(model.labels_used));
  await page.getByTestId('model-sentence').getByText(/Feedback adjusted the model: the re-estimation of .* used \d+ verdicts?/).waitFor();
  await expectNoAxeViolations(page, 'coherence model, administrator');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

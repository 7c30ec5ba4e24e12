// The IATI import page: preview (dry run) shows what would happen, Import does it, and a broken
// file is refused with the line and element named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser, Client } from './helpers.mjs';

const FP = { email: 'fp.iom@example.org', name: 'Ines Focal', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pass-1' };
const MEMBER = { email: 'staff.iom@example.org', name: 'Ivo Staff', role: 'member', org: 'iom', password: 'iom-member-pass-1' };

// IOM (XM-DAC-47066) reports two activities: one on labour migration (DAC 15190), one on roads.
const FILE = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-06-01T12:00:00Z">
  <iati-activity last-updated-datetime="2024-05-01T00:00:00Z" xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-WEBTEST-0001</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Labour mobility partnership Philippines</narrative></title>
    <description type="1"><narrative>Safe and regular labour migration pathways.</narrative></description>
    <participating-org ref="XM-DAC-47066" role="4" type="40"><narrative>IOM</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2023-01-01"/>
    <activity-date type="3" iso-date="2025-12-31"/>
    <recipient-country code="PH" percentage="100"/>
    <sector vocabulary="1" code="15190" percentage="100"/>
    <tag vocabulary="2" code="10"/>
    <tag vocabulary="3" code="10.7"/>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2023-06-01"/><value value-date="2023-06-01">2500.5</value><receiver-org><narrative>Philippine Overseas Employment Administration</narrative></receiver-org></transaction>
  </iati-activity>
  <iati-activity last-updated-datetime="2024-05-01T00:00:00Z" xml:lang="en" default-currency="USD">
    <iati-identifier>XM-DAC-47066-WEBTEST-0002</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Road maintenance</narrative></title>
    <activity-status code="2"/>
    <recipient-country code="PH" percentage="100"/>
    <sector vocabulary="1" code="21020" percentage="100"/>
  </iati-activity>
</iati-activities>
`;

const TRUNCATED = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n  <iati-activity>\n    <title>';

let app;
before(async () => {
  app = await startApp();
  addUser(app.server.db, FP);
  addUser(app.server.db, MEMBER);
});
after(async () => {
  await app?.stop();
});

async function choose(page, name, text) {
  await page.getByLabel('IATI XML file').setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(text, 'utf8') });
}

test('an IOM focal point previews an IATI file, then imports it', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities`);
  // The page's own link (an empty list offers a second one in its empty state, once loaded).
  await page.getByRole('link', { name: 'Import an IATI file' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Import activities from IATI' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import' }).isDisabled(), true, 'Import waits for a preview');

  await choose(page, 'iom.xml', FILE);
  await page.getByRole('button', { name: 'Preview' }).click();
  const report = page.getByTestId('import-report');
  await report.getByRole('heading', { name: 'Preview' }).waitFor();
  assert.match(await page.getByTestId('import-counts').textContent(), /1 would be created, 0 would be updated, 1 would be skipped/);
  assert.match(await page.getByTestId('import-outcome').textContent(), /^Importing this file would create 1 activity\. Nothing has been saved yet/);
  const rows = page.getByTestId('import-items').locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /^3XM-DAC-47066-WEBTEST-0001created/);
  assert.match(await rows.nth(1).textContent(), /^18XM-DAC-47066-WEBTEST-0002skipped.*migration-related/);
  assert.match(await page.getByTestId('import-warnings').textContent(), /Line 18/);
  // A dry run saves nothing.
  const none = await new Client(app.url).get('/api/v1/activities?q=Philippines');
  assert.equal(none.json.total, 0);

  await page.getByRole('button', { name: 'Import' }).click();
  await report.getByRole('heading', { name: 'Imported' }).waitFor();
  assert.match(await page.getByTestId('import-counts').textContent(), /1 were created, 0 were updated, 1 were skipped/);
  assert.equal(await page.getByTestId('import-outcome').textContent(), 'Imported: 1 activity was created.');
  const link = page.getByTestId('import-items').getByRole('link', { name: 'created' });
  await link.click();
  await page.getByRole('heading', { level: 1, name: 'Labour mobility partnership Philippines' }).waitFor();
  await page.getByText('XM-DAC-47066-WEBTEST-0001').waitFor();
  // Tags read as words, not "[object Object]" (SDG target 10.7 became the theme it maps to).
  assert.equal(await page.getByTestId('tags').textContent(), 'SDG goal 10');
  // The publisher's own sector and transaction, as published.
  assert.equal(await page.getByTestId('sectors').textContent(), 'DAC sector 15190 (100 %)');
  const transaction = page.getByTestId('transactions').locator('tbody tr');
  assert.equal(await transaction.count(), 1);
  assert.match(await transaction.textContent(), /^Disbursement.*2023.*\$2,500\.50.*— → Philippine Overseas Employment Administration$/);

  const listed = await new Client(app.url).get('/api/v1/activities?country=PH');
  assert.equal(listed.json.total, 1);
  assert.equal(listed.json.items[0].iati_identifier, 'XM-DAC-47066-WEBTEST-0001');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a file that would change nothing says so, offers no Import, and a real import says what it did', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities/import`);
  // Only the road activity: not migration-related, so it would be skipped.
  const roads = FILE.replace(/<iati-activity [^]*?<\/iati-activity>\n  /, '');
  await choose(page, 'roads.xml', roads);
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByTestId('import-report').getByRole('heading', { name: 'Preview' }).waitFor();
  assert.match(await page.getByTestId('import-outcome').textContent(), /^Importing this file would change nothing/);
  assert.equal(await page.getByRole('button', { name: 'Import' }).isDisabled(), true);
  await page.getByText('Importing this file would change nothing.').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// Issue 7, defect 4: a file over 1 MiB sent from the browser (which sends Content-Length) got 413.
test('a real-sized IATI file (over 2 MiB) previews and imports from the browser', async () => {
  const activities = [];
  for (let i = 0; i < 2500; i++) {
    activities.push(`  <iati-activity default-currency="USD">
    <iati-identifier>XM-DAC-47066-BIG-${i}</iati-identifier>
    <reporting-org ref="XM-DAC-47066" type="40"><narrative>International Organization for Migration</narrative></reporting-org>
    <title><narrative>Return and reintegration support, caseload ${i}</narrative></title>
    <description type="1"><narrative>${'Counselling, reintegration grants and referrals for returning migrants. '.repeat(6)}</narrative></description>
    <activity-status code="2"/>
    <recipient-country code="GT" percentage="100"/>
    <sector vocabulary="1" code="15190" percentage="100"/>
  </iati-activity>`);
  }
  const big = `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${activities.join('\n')}\n</iati-activities>\n`;
  assert.ok(Buffer.byteLength(big) > 2 * 1024 * 1024, `${Buffer.byteLength(big)} bytes`);
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities/import`);
  await choose(page, 'iom-big.xml', big);
  await page.getByRole('button', { name: 'Preview' }).click();
  const report = page.getByTestId('import-report');
  await report.getByRole('heading', { name: 'Preview' }).waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('import-counts').textContent(), /2,500 would be created/);
  await page.getByRole('button', { name: 'Import' }).click();
  await report.getByRole('heading', { name: 'Imported' }).waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('import-counts').textContent(), /2,500 were created/);
  const listed = await new Client(app.url).get('/api/v1/activities?country=GT&limit=1');
  assert.equal(listed.json.total, 2500);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a broken file is refused with its line and element, and nothing changes', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, FP.email, FP.password);
  await page.goto(`${app.url}/activities/import`);
  await choose(page, 'broken.xml', TRUNCATED);
  await page.getByRole('button', { name: 'Preview' }).click();
  const error = page.getByTestId('error');
  await error.waitFor();
  const text = await error.textContent();
  assert.match(text, /line 4/);
  assert.match(text, /title/);
  assert.equal(await page.getByTestId('import-report').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Import' }).isDisabled(), true);
  await page.context().close();
});

test('staff who do not report activities are told the page is not for them', async () => {
  const page = await app.newPage();
  await signIn(page, app.url, MEMBER.email, MEMBER.password);
  await page.goto(`${app.url}/activities/import`);
  await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
  assert.equal(await page.getByLabel('IATI XML file').count(), 0);
  await page.context().close();
});

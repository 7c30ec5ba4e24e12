// Issue 9: every message the server sends to a person carries a stable rule code with its args
// (docs/api.md, "Rules"), so the web app can say it in the reader's language: the IATI import's
// reasons, warnings and refusals (with line, column or activity), and the governance and
// account rules a form breaks (422 and 400 details, and the sign-in's 401).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

async function admin() {
  const c = new Client(server.url);
  await c.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  return c;
}
const upload = (c, xml, q = '') => c.request('POST', `/api/v1/activities/import${q}`, { raw: xml, headers: { 'content-type': 'application/xml' } });

function activity(id, { sector = '24050', extra = '' } = {}) {
  return `<iati-activity default-currency="USD"><iati-identifier>${id}</iati-identifier>
  <reporting-org ref="XM-DAC-47066" type="40"><narrative>IOM</narrative></reporting-org>
  <title><narrative>Remittance corridors ${id}</narrative></title>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2021-01-01"/><activity-date type="3" iso-date="2023-12-31"/>
  <recipient-country code="MX"/>
  <sector vocabulary="1" code="${sector}"/>${extra}
</iati-activity>`;
}
const file = (...activities) => `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${activities.join('\n')}\n</iati-activities>`;

/** The one detail of an error answer. */
function detail(res) {
  assert.ok(res.json?.error?.details?.length === 1, res.text);
  return res.json.error.details[0];
}

test('the import report: a skipped row and every warning carry a rule code and args; the English stays', async () => {
  const a = await admin();
  const res = await upload(a, file(activity('XM-DAC-47066-RC1'), activity('XM-DAC-47066-RC2', { sector: '21020', extra: '\n  <tag code="x"/>' })), '?dry_run=1');
  assert.equal(res.status, 200, res.text);
  const [created, skipped] = res.json.items;
  assert.equal(created.action, 'created');
  assert.equal(created.rule, undefined, 'a created row needs no reason');
  assert.equal(skipped.action, 'skipped');
  assert.equal(skipped.rule, 'no_migration_theme');
  assert.deepEqual(skipped.args, {});
  assert.match(skipped.reason, /migration-related/);
  assert.ok(res.json.warnings.length > 0);
  for (const w of res.json.warnings) {
    assert.ok(w.rule, JSON.stringify(w));
    assert.equal(typeof w.args, 'object');
    assert.ok(w.message && w.line > 0 && w.element, JSON.stringify(w));
  }
  const tag = res.json.warnings.find((w) => w.element === 'tag');
  assert.deepEqual({ rule: tag.rule, args: tag.args }, { rule: 'missing_attribute', args: { attribute: 'vocabulary' } });
  const description = res.json.warnings.find((w) => w.rule === 'missing_element');
  assert.equal(description.args.element, 'description');
});

test('a refused import names the rule with line and activity (422) or line and column (400)', async () => {
  const a = await admin();
  const bad = await upload(a, file(activity('XM-DAC-47066-RC3'), activity('XM-DAC-47066-RC4', { extra: '\n  <recipient-country code="ZZ"/>' })), '?dry_run=1');
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(detail(bad), {
    field: 'recipient-country',
    problem: "code 'ZZ' is not an ISO 3166-1 alpha-2 code",
    rule: 'unknown_country',
    args: { line: '11', identifier: 'XM-DAC-47066-RC4', value: 'ZZ' },
  });
  assert.match(bad.json.error.message, /^line 11 \(XM-DAC-47066-RC4\)/, 'the English message keeps the line');

  const cut = await upload(a, '<?xml version="1.0"?>\n<iati-activities version="2.03">\n  <iati-activity>\n    <title>', '?dry_run=1');
  assert.equal(cut.status, 400, cut.text);
  const d = detail(cut);
  assert.equal(d.rule, 'truncated');
  assert.equal(d.field, 'title');
  assert.equal(d.args.line, '4');
  assert.ok(Number(d.args.column) > 0);

  const old = await upload(a, '<iati-activities version="1.05"/>');
  assert.equal(old.status, 400);
  assert.deepEqual(detail(old).args, { line: '1', column: '1', version: '1.05' });
  assert.equal(detail(old).rule, 'unsupported_version');
});

test('governance and account rules: 422s and 400s carry rule and args, and the sign-in 401 too', async () => {
  const a = await admin();
  const org = await a.post('/api/v1/organizations', { id: '9lives', name: 'X', acronym: 'X', mandate: 'X', joined_on: '2020-01-01' });
  assert.equal(org.status, 422, org.text);
  assert.deepEqual(detail(org), { field: 'id', problem: detail(org).problem, rule: 'invalid_org_id', args: { min: '2', max: '32' } });

  const readmit = await a.post('/api/v1/organizations/iom/memberships', { joined_on: '2030-01-01' });
  assert.equal(readmit.status, 409, readmit.text);
  assert.equal(detail(readmit).field, '');
  assert.equal(detail(readmit).rule, 'already_member');
  assert.match(detail(readmit).args.since, /^\d{4}-\d{2}-\d{2}$/);

  const plan = await a.post('/api/v1/chair/rotations', { starts_on: '2000-01-01', term_months: 12, order: ['iom'] });
  assert.equal(plan.status, 422, plan.text);
  assert.equal(detail(plan).rule, 'after_latest_plan');
  const twice = await a.post('/api/v1/chair/rotations', { starts_on: '2050-01-01', term_months: 12, order: ['iom', 'IOM'] });
  assert.deepEqual({ rule: detail(twice).rule, args: detail(twice).args }, { rule: 'duplicate_value', args: { value: 'iom' } });

  const weak = await a.post('/api/v1/users', { email: 'weak@example.org', name: 'W', role: 'stakeholder', password: 'short' });
  assert.equal(weak.status, 422, weak.text);
  assert.deepEqual({ field: detail(weak).field, rule: detail(weak).rule, args: detail(weak).args }, { field: 'password', rule: 'too_short', args: { min: '10' } });
  const noOrg = await a.post('/api/v1/users', { email: 'fp@example.org', name: 'F', role: 'focal_point', password: 'long-enough-pw' });
  assert.equal(detail(noOrg).rule, 'required_for_role');

  const lang = await a.patch('/api/v1/session', { language: 'de' });
  assert.equal(lang.status, 400, lang.text);
  assert.deepEqual({ field: detail(lang).field, rule: detail(lang).rule }, { field: 'language', rule: 'not_in_list' });

  const token = await a.post('/api/v1/tokens', { name: 'script', expires_in_days: 9999 });
  assert.equal(token.status, 422, token.text);
  assert.equal(detail(token).rule, 'out_of_range');
  assert.equal(detail(token).args.min, '1');

  const wrong = await new Client(server.url).post('/api/v1/session', { email: ADMIN_EMAIL, password: 'not-the-password' });
  assert.equal(wrong.status, 401);
  assert.equal(detail(wrong).rule, 'wrong_credentials');
});

// End-to-end regressions for issue 7 on the IATI import and on who sees what: a re-import keeps
// what the file does not say (defect 6), warnings are bounded (7), a byte order mark alone is
// refused cleanly (13), "members" means current members on every path, and a focal point cannot
// probe another organisation's identifiers (14).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const FP_UNHCR = { email: 'fp@unhcr.org', name: 'UNHCR FP', role: 'focal_point', org: 'unhcr', password: 'unhcr-focal-pw-1' };
// p-ngo-x: the partner organisation an import of NGO-X's file records (IATI ref NGO-X).
const FP_PARTNER = { email: 'fp@ngo-x.org', name: 'NGO FP', role: 'focal_point', org: 'p-ngo-x', password: 'ngo-x-focal-pw-1' };
const FORMER = { email: 'staff@undp.org', name: 'UNDP staff', role: 'member', org: 'undp', password: 'undp-member-pw-1' };

before(async () => {
  server = await startServer();
  // A partner organisation (never a member): recorded by importing its file (its one activity
  // then archived); and UNDP as a former member, as the secretariat records a member leaving.
  const a = await admin();
  const partner = await upload(a, file(activity('NGO-X-SETUP', 'NGO-X')));
  assert.equal(partner.status, 200, partner.text);
  assert.equal((await a.del(`/api/v1/activities/${partner.json.items[0].activity_id}`)).status, 204);
  assert.equal((await a.get('/api/v1/organizations/p-ngo-x')).json.kind, 'partner');
  const undp = await a.get('/api/v1/organizations/undp');
  const left = await a.patch(`/api/v1/organizations/undp/memberships/${undp.json.memberships.at(-1).id}`,
    { left_on: '2020-12-31' }, { headers: { 'if-match': undp.headers.get('etag') } });
  assert.equal(left.status, 200, left.text);
  for (const u of [FP_ILO, FP_UNHCR, FP_PARTNER, FORMER]) addUser(server.db, u);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const admin = () => as({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
const upload = (c, xml, q = '') => c.request('POST', `/api/v1/activities/import${q}`, { raw: xml, headers: { 'content-type': 'application/xml' } });

function activity(id, orgRef, title = `Remittance corridors ${id}`, extra = '') {
  return `<iati-activity default-currency="USD"><iati-identifier>${id}</iati-identifier>
  <reporting-org ref="${orgRef}" type="40"><narrative>Reporter ${orgRef}</narrative></reporting-org>
  <title><narrative>${title}</narrative></title>
  <description type="1"><narrative>Lowering the cost of sending money home.</narrative></description>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2021-01-01"/><activity-date type="3" iso-date="2023-12-31"/>
  <recipient-country code="MX"/>
  <sector vocabulary="1" code="24050"/>${extra}
</iati-activity>`;
}
const file = (...activities) => `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${activities.join('\n')}\n</iati-activities>`;

test('a re-import keeps private, archived and hand-recorded parts, and says per activity what it changed', async () => {
  const a = await admin();
  const original = file(activity('XM-DAC-47066-RE1', 'XM-DAC-47066'), activity('XM-DAC-47066-RE2', 'XM-DAC-47066'));
  const first = await upload(a, original);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.created, 2);
  const [id1, id2] = first.json.items.map((i) => i.activity_id);

  const got = await a.get(`/api/v1/activities/${id1}`);
  const edited = await a.patch(`/api/v1/activities/${id1}`, {
    visibility: 'organization', contact: { name: 'R. Corridor', email: 'corridors@iom.int' },
    links: [{ url: 'https://example.org/by-hand', title: 'Recorded by hand' }], purposes: [3], type: 'research',
  }, { headers: { 'if-match': got.headers.get('etag') } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await a.del(`/api/v1/activities/${id2}`)).status, 204);
  assert.equal((await anon().get(`/api/v1/activities/${id1}`)).status, 404, 'private now');

  const retitled = original.replace('Remittance corridors XM-DAC-47066-RE1', 'Cheaper remittance corridors');
  for (const q of ['?dry_run=1', '']) {
    const again = await upload(a, retitled, q);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.updated, 1);
    assert.equal(again.json.kept_archived, 1);
    assert.deepEqual(again.json.items.map((i) => [i.iati_identifier, i.action, i.changed]),
      [['XM-DAC-47066-RE1', 'updated', ['titles']], ['XM-DAC-47066-RE2', 'kept_archived', []]], `report of ${q || 'the import'}`);
  }
  const after = await a.get(`/api/v1/activities/${id1}`);
  assert.equal(after.json.title, 'Cheaper remittance corridors');
  assert.equal(after.json.visibility, 'organization');
  assert.deepEqual(after.json.contact, { name: 'R. Corridor', email: 'corridors@iom.int' });
  assert.deepEqual(after.json.links.map((l) => l.url), ['https://example.org/by-hand']);
  assert.deepEqual(after.json.purposes, [3]);
  assert.equal(after.json.type, 'research');
  assert.equal((await anon().get(`/api/v1/activities/${id1}`)).status, 404, 'still private');
  assert.equal((await a.get(`/api/v1/activities/${id2}`)).status, 404, 'still archived');
  // Still there and still archived: its audit trail (an import is audited once per file) holds
  // the archiving and nothing after it, so no re-import wrote to it.
  const trail = await a.get(`/api/v1/audit?entity=activity&entity_id=${id2}`);
  assert.deepEqual(trail.json.items.map((e) => e.action), ['archive']);

  const same = await upload(a, retitled);
  assert.equal(same.json.unchanged, 1);
  assert.equal(same.json.items[0].action, 'unchanged');
  assert.equal((await a.get(`/api/v1/activities/${id1}`)).json.version, after.json.version, 'not written again');
});

test('warnings are capped and counted: a small file no longer makes a huge answer', async () => {
  const a = await admin();
  const noise = '<x/>'.repeat(250_000);  // ~1 MiB: one warning per 4 bytes
  const xml = file(activity('XM-DAC-47066-W1', 'XM-DAC-47066'), noise);
  const r = await upload(a, xml, '?dry_run=1');
  assert.equal(r.status, 200, r.text.slice(0, 500));
  assert.equal(r.json.warnings.length, 1000);
  assert.ok(r.json.warnings_total >= 250_000, String(r.json.warnings_total));
  assert.equal(r.json.warnings_truncated, true);
  assert.equal(r.json.items_total, 1);
  assert.equal(r.json.items_truncated, false);
  assert.ok(r.text.length < 200_000, `answer of ${r.text.length} bytes`);
});

test('a body of only a byte order mark (or with white space, or empty) is a 400, and the server lives on', async () => {
  const a = await admin();
  for (const body of ['\uFEFF', '\uFEFF \r\n\t', '']) {
    const r = await upload(a, body, '?dry_run=1');
    assert.equal(r.status, 400, JSON.stringify(body) + ' ' + r.text);
    assert.match(r.json.error.message, /not XML: the input is empty/);
  }
  assert.equal((await anon().get('/api/v1/activities')).status, 200);
});

test('"members" visibility: current members see it on every path; partners and former members on none', async () => {
  const ilo = await as(FP_ILO);
  const created = await ilo.post('/api/v1/activities', {
    organization_id: 'ilo', titles: [{ lang: 'en', text: 'Zebrafinch members briefing' }], type: 'policy_dialogue',
    themes: ['labour-migration'], countries: ['NP'], visibility: 'members',
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const paths = async (c) => {
    const seen = {};
    seen.get = (await c.get(`/api/v1/activities/${id}`)).status === 200;
    seen.list = (await c.get('/api/v1/activities?organization=ilo')).json.items.some((i) => i.id === id);
    seen.search = (await c.get('/api/v1/search?q=zebrafinch')).json.total === 1;
    seen.map = (await c.get('/api/v1/activities/map?organization=ilo')).json.items.some((i) => i.country === 'NP');
    seen.csv = /Zebrafinch/.test((await c.get('/api/v1/activities.csv?organization=ilo')).text);
    seen.iati = /Zebrafinch/.test((await c.get('/api/v1/activities.iati.xml?organization=ilo')).text);
    return seen;
  };
  const all = { get: true, list: true, search: true, map: true, csv: true, iati: true };
  const none = { get: false, list: false, search: false, map: false, csv: false, iati: false };
  assert.deepEqual(await paths(await as(FP_UNHCR)), all, 'a current member');
  assert.deepEqual(await paths(await admin()), all, 'an administrator');
  assert.deepEqual(await paths(await as(FP_PARTNER)), none, 'a partner organisation');
  assert.deepEqual(await paths(await as(FORMER)), none, 'a former member');
  assert.deepEqual(await paths(anon()), none, 'anonymous');
});

test("a focal point gets the same answer whether another organisation's identifier exists or not", async () => {
  const a = await admin();
  const secret = await upload(a, file(activity('XM-DAC-41302-SECRET', 'XM-DAC-41302')));
  assert.equal(secret.status, 200, secret.text);
  const id = secret.json.items[0].activity_id;
  const got = await a.get(`/api/v1/activities/${id}`);
  assert.equal((await a.patch(`/api/v1/activities/${id}`, { visibility: 'organization' }, { headers: { 'if-match': got.headers.get('etag') } })).status, 200);

  const fp = await as(FP_UNHCR);
  const probe = async (identifier) => {
    const r = await upload(fp, file(activity(identifier, 'XM-DAC-41121', 'Probe')), '?dry_run=1');
    return `${r.status} ${r.text.replaceAll(identifier, 'ID')}`;
  };
  const exists = await probe('XM-DAC-41302-SECRET');
  const absent = await probe('XM-DAC-41302-NOSUCH');
  assert.equal(exists, absent);
  assert.match(exists, /^422 .*must begin with your organisation's IATI identifier/);
  assert.match(await probe('XM-DAC-41121-OWN-1'), /^200 /, 'its own identifiers import');
});

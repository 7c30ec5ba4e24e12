// End-to-end: the coherence module over HTTP and the CLI, against the real binary (either
// engine: GMG_TEST_ENGINE=postgres). Findings appear once the server has analysed (in the
// background) and followed the activities recorded here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, addUser, runGmg, newDatabase, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

let server;
let admin;
const FP_IOM = { email: 'fp@iom.int', name: 'IOM FP', role: 'focal_point', org: 'iom', password: 'iom-focal-point-pw' };
const FP_UNODC = { email: 'fp@unodc.org', name: 'UNODC FP', role: 'focal_point', org: 'unodc', password: 'unodc-focal-point-pw' };
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };
const STAKEHOLDER = { email: 'someone@example.org', name: 'Someone', role: 'stakeholder', password: 'stakeholder-pw-123' };
const ids = {};

async function as(user) {
  const c = new Client(server.url);
  await c.signIn(user.email, user.password);
  return c;
}
const put = (c, p, body, o = {}) => c.request('PUT', p, { ...o, body });

const training = (org, extra = {}) => ({
  organization_id: org,
  titles: [{ lang: 'en', text: 'Training border officials on counter-trafficking in Nigeria' }],
  descriptions: [{ lang: 'en', text: 'Training courses for border guards and immigration officials on how to identify and refer victims of trafficking in persons at border crossings.' }],
  type: 'training', themes: ['trafficking'], countries: ['NG'], starts_on: '2024-01-01', ends_on: '2025-12-31', ...extra,
});

// Polls the list (as the administrator) until `done(list)`; at most 30 s.
async function waitFor(done, what) {
  for (let i = 0; i < 60; i++) {
    const r = await admin.get('/api/v1/coherence/overlaps?limit=500');
    assert.equal(r.status, 200, r.text);
    if (done(r.json)) return r.json;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const hasPair = (list, id) => list.items.some((f) => f.id === id);

before(async () => {
  server = await startServer();
  for (const u of [FP_IOM, FP_UNODC, FP_ILO, STAKEHOLDER]) addUser(server.db, u);
  admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const record = async (user, body) => {
    const r = await (await as(user)).post('/api/v1/activities', body);
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  ids.iom = await record(FP_IOM, training('iom'));
  ids.unodc = await record(FP_UNODC, training('unodc'));
  ids.ilo = await record(FP_ILO, {
    organization_id: 'ilo', titles: [{ lang: 'en', text: 'Household survey of remittance flows' }],
    descriptions: [{ lang: 'en', text: 'A statistical survey measuring remittances sent home.' }], type: 'data_statistics',
    themes: ['labour-migration'], countries: ['PH'], starts_on: '2019-01-01', ends_on: '2019-06-30',
  });
  ids.pair = `${Math.min(ids.iom, ids.unodc)}-${Math.max(ids.iom, ids.unodc)}`;
  await waitFor((l) => l.status.state === 'ready' && l.status.activities === 3 && hasPair(l, ids.pair), 'the finding');
});
after(async () => { await server.stop(); });

test('the list and one finding, for signed-in viewers only, in the contract\'s shape', async () => {
  assert.equal((await new Client(server.url).get('/api/v1/coherence/overlaps')).status, 401);
  const fp = await as(FP_UNODC);
  const list = await fp.get('/api/v1/coherence/overlaps?country=NG&class=duplication');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.status.state, 'ready');
  assert.equal(list.json.status.activities, 3);
  assert.ok(list.json.total >= 1);
  const f = list.json.items.find((x) => x.id === ids.pair);
  assert.ok(f, list.text);
  for (const k of ['class', 'probability', 'weight', 'prior_weight', 'text_similarity', 'cluster', 'cluster_size',
    'activities', 'contributions', 'shared', 'summary', 'feedback']) assert.ok(k in f, k);
  assert.deepEqual(f.activities.map((a) => a.organization_id).sort(), ['iom', 'unodc']);
  assert.deepEqual(f.contributions.map((c) => c.comparison),
    ['places', 'themes', 'period', 'type', 'text', 'sectors', 'partners', 'budget']);
  assert.ok(f.shared.countries.includes('NG'));
  assert.equal(f.feedback, null);
  assert.equal((await fp.get('/api/v1/coherence/overlaps?country=PH')).json.total, 0);
  assert.equal((await fp.get('/api/v1/coherence/overlaps?class=maybe')).status, 400);
  assert.equal((await fp.get('/api/v1/coherence/overlaps?min_score=2')).status, 400);

  const one = await fp.get(`/api/v1/coherence/overlaps/${ids.pair}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.id, ids.pair);
  const reversed = await fp.get(`/api/v1/coherence/overlaps/${Math.max(ids.iom, ids.unodc)}-${Math.min(ids.iom, ids.unodc)}`);
  assert.equal(reversed.json.id, ids.pair);
  assert.equal((await fp.get(`/api/v1/coherence/overlaps/${ids.iom}-${ids.ilo}`)).status, 404);
  assert.equal((await fp.get('/api/v1/coherence/overlaps/nonsense')).status, 404);
});

test('feedback: 200 for either organisation, 403 for a third, 404 off a finding, 422 bad verdict, CSRF', async () => {
  const path = `/api/v1/coherence/overlaps/${ids.pair}/feedback`;
  const ilo = await as(FP_ILO);
  assert.equal((await put(ilo, path, { verdict: 'unrelated' })).status, 403);
  const iom = await as(FP_IOM);
  const bad = await put(iom, path, { verdict: 'maybe' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.details[0].rule, 'not_in_list');
  assert.equal((await put(iom, `/api/v1/coherence/overlaps/${ids.iom}-${ids.ilo}/feedback`, { verdict: 'unrelated' })).status, 404);
  assert.equal((await put(iom, path, { verdict: 'dismissed' }, { headers: { 'x-csrf-token': 'wrong' } })).status, 403);
  assert.equal((await put(iom, path, { verdict: 'dismissed', extra: 1 })).status, 400);

  const given = await put(iom, path, { verdict: 'dismissed', comment: 'Different target groups' });
  assert.equal(given.status, 200, given.text);
  assert.equal(given.json.feedback.verdict, 'dismissed');
  assert.equal(given.json.feedback.by, 'IOM FP');
  assert.ok(!hasPair((await admin.get('/api/v1/coherence/overlaps')).json, ids.pair), 'a dismissed finding is hidden');
  assert.ok(hasPair((await admin.get('/api/v1/coherence/overlaps?feedback=dismissed')).json, ids.pair));
  const audit = await admin.get('/api/v1/audit?entity=coherence_feedback');
  assert.equal(audit.json.total, 1);

  const withdrawn = await (await as(FP_UNODC)).del(path);
  assert.equal(withdrawn.status, 200, withdrawn.text);
  assert.equal(withdrawn.json.feedback, null);
  assert.ok(hasPair((await admin.get('/api/v1/coherence/overlaps')).json, ids.pair));
});

test('check: a draft\'s likely overlaps with other organisations\' work, for staff only', async () => {
  const draft = { titles: 'Counter-trafficking training for border officials in Nigeria', type: 'training', themes: ['trafficking'], countries: ['NG'] };
  const ilo = await as(FP_ILO);
  const r = await ilo.post('/api/v1/coherence/check', { activity: draft });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items[0].index, 0);
  const found = r.json.items[0].overlaps.flatMap((f) => f.activities.map((a) => a.id));
  assert.ok(found.includes(ids.iom) || found.includes(ids.unodc), r.text);
  const many = await ilo.post('/api/v1/coherence/check', { activities: [draft, { titles: 'Something else entirely' }] });
  assert.equal(many.json.items.length, 2);
  assert.equal((await ilo.post('/api/v1/coherence/check', {})).status, 400);
  assert.equal((await (await as(STAKEHOLDER)).post('/api/v1/coherence/check', { activity: draft })).status, 403);
});

test('the model: read by anyone signed in, re-estimated by the secretariat or an administrator', async () => {
  const fp = await as(FP_IOM);
  const m = await fp.get('/api/v1/coherence/model');
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.labels_used, 0);
  assert.equal(m.json.estimated_at, null);
  assert.ok(m.json.levels.length > 0);
  assert.equal((await fp.post('/api/v1/coherence/model/estimate', {})).status, 403);
  assert.equal((await put(fp, `/api/v1/coherence/overlaps/${ids.pair}/feedback`, { verdict: 'confirmed_duplication' })).status, 200);
  const e = await admin.post('/api/v1/coherence/model/estimate', {});
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.labels_used, 1);
  assert.ok(e.json.estimated_at);
});

test('gmg coherence prints the findings as the secretariat sees them (json and table)', async () => {
  const json = runGmg(['coherence', '--db', server.db, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.ok(out.items.some((f) => f.id === ids.pair), json.stdout);
  assert.equal(out.status.state, 'ready');
  const table = runGmg(['coherence', '--db', server.db, '--country', 'NG', '--class', 'duplication']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /IOM: Training border officials/);
  assert.match(table.stdout, /1 findings? \(1 shown\)|findings/);
  const bad = runGmg(['coherence', '--db', server.db, '--class', 'maybe']);
  assert.notEqual(bad.status, 0);
});

test('gmg coherence on the demo data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmg-coherence-'));
  const d = newDatabase(dir);
  try {
    const loaded = runGmg(['demo', 'load', '--db', d.db]);
    assert.equal(loaded.status, 0, loaded.stderr);
    const r = runGmg(['coherence', '--db', d.db, '--format', 'json', '--limit', '5']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.status.activities > 0);
    assert.ok(out.items.length > 0, 'the demo has overlaps');
    for (const f of out.items) assert.notEqual(f.activities[0].organization_id, f.activities[1].organization_id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    d.drop();
  }
});

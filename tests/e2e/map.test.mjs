// End-to-end: GET /api/v1/activities/map keeps activities recorded for a region off the
// country counts and answers them in `regions`, under the same filters as the list (issue 9,
// "the map says the world is covered"). Runs on SQLite, and on PostgreSQL with
// GMG_TEST_ENGINE=postgres.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, addUser, runGmg } from '../lib/server.mjs';

let server;
const FP_ILO = { email: 'fp@ilo.org', name: 'ILO FP', role: 'focal_point', org: 'ilo', password: 'ilo-focal-point-pw' };

before(async () => {
  server = await startServer();
  addUser(server.db, FP_ILO);
});
after(async () => { await server.stop(); });

const anon = () => new Client(server.url);
async function as(user) { const c = new Client(server.url); await c.signIn(user.email, user.password); return c; }
const activity = (title, extra) => ({
  organization_id: 'ilo', titles: title, descriptions: 'Map test.', type: 'research', themes: ['remittances'],
  countries: [], regions: [], status: 2, visibility: 'public', ...extra,
});
async function map(client, q = '') {
  const r = await client.get(`/api/v1/activities/map${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const countries = (m) => Object.fromEntries(m.items.map((i) => [i.country, i.count]));
const regions = (m) => Object.fromEntries(m.regions.map((r) => [r.region, r.count]));

test('a regional activity is not counted under its countries, is in regions, and follows the filters', async () => {
  const fp = await as(FP_ILO);
  for (const a of [
    activity('Remittances across Africa', { regions: ['002'] }),
    activity('Labour mobility in Africa (own eyes only)', { regions: ['002'], themes: ['labour-migration'], visibility: 'organization' }),
    activity('Remittances to Kenya', { countries: ['KE'] }),
    activity('Skills partnerships in Asia', { regions: ['142'], themes: ['labour-migration'] }),
    activity('Remittance prices worldwide', { regions: ['001'] }),
  ]) {
    const r = await fp.post('/api/v1/activities', a);
    assert.equal(r.status, 201, r.text);
  }

  const all = await map(anon());
  assert.deepEqual(countries(all), { KE: 1 }, 'no African or Asian country shaded for a regional activity');
  assert.deepEqual(all.regions, [
    { region: '002', name: 'Africa', level: 'region', count: 1 },
    { region: '142', name: 'Asia', level: 'region', count: 1 },
  ]);
  assert.equal(all.global, 1, 'region 001 is stored as global');

  const africa = await map(anon(), '?region=002');
  assert.deepEqual(countries(africa), { KE: 1 });
  assert.deepEqual(regions(africa), { '002': 1 });
  assert.equal(africa.global, 0);

  // The filters apply to regional activities too: theme, visibility.
  assert.deepEqual(regions(await map(anon(), '?region=002&theme=labour-migration')), {});
  assert.deepEqual(regions(await map(fp, '?region=002&theme=labour-migration')), { '002': 1 }, 'its own organisation sees it');
  assert.deepEqual(regions(await map(fp, '?region=002')), { '002': 2 });
  assert.deepEqual(regions(await map(anon(), '?organization=iom')), {});

  // Filtering by a country still finds the activities of its regions (the list and the map
  // agree), but counts them under the region, not the country.
  const nigeria = await map(anon(), '?country=NG');
  assert.deepEqual(countries(nigeria), {});
  assert.deepEqual(regions(nigeria), { '002': 1 });
  assert.equal((await anon().get('/api/v1/activities?country=NG')).json.total, 1);
  const china = await map(anon(), '?country=CN');
  assert.deepEqual(regions(china), { 142: 1 });
});

test('the demo data has regional and global activities, and they shade no country', async () => {
  const r = runGmg(['demo', 'load', '--db', server.db]);
  assert.equal(r.status, 0, r.stderr);
  // Signed in: anonymous answers may come from the server's cache for up to a second after
  // a write from another process.
  const fp = await as(FP_ILO);
  const all = await map(fp);
  assert.ok(all.regions.length >= 3, JSON.stringify(all.regions));
  assert.ok(all.global >= 1);
  assert.ok(!all.regions.some((x) => x.region === '001'), 'the world is global, not a region');
  // Algeria is named by no demo activity: before, the Africa-wide ones shaded it.
  assert.equal(countries(all).DZ, undefined);
  const africa = await map(fp, '?region=002');
  assert.ok(regions(africa)['002'] >= 1, JSON.stringify(africa.regions));
  // Before, an Africa-wide activity shaded every African country; now only the named ones are.
  const inAfrica = (await anon().get('/api/v1/codelists')).json.regions.find((x) => x.code === '002').countries;
  const shaded = Object.keys(countries(africa)).length;
  assert.ok(shaded > 0 && shaded < inAfrica / 2, `${shaded} of ${inAfrica} African countries shaded`);
});

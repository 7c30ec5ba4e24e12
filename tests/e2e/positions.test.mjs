// Common positions end to end (issue 12, docs/positions.md): a position drafted, an endorsement
// round opened, stands (an objection needs a reason, one stand per organisation, a delegate
// recorded as such), the round closed when its deadline has passed — by a read even with no job —
// and the adopted position public. On PostgreSQL (GMG_TEST_ENGINE=postgres), two instances on one
// database both running the closing job: exactly one outcome and one audit entry.
// The deadline is moved into the past in the database (the server's clock cannot be driven from
// here; the unit tests drive the injected clock).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, Client, addUser, psql, isPgUrl, newPgDatabase, runGmg, pgSkipReason,
  ADMIN_EMAIL, ADMIN_PASSWORD,
} from '../lib/server.mjs';

const PASSWORD = 'a long password for positions';
let server;

function sql(db, statement) {
  if (isPgUrl(db)) return psql(statement, db);
  const r = spawnSync('sqlite3', [db, statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}
const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString();

async function as(url, email, password = PASSWORD) {
  const c = new Client(url);
  await c.signIn(email, password);
  return c;
}

async function users(db, url) {
  addUser(db, { email: 'fp.iom@example.org', name: 'IOM focal point', role: 'focal_point', org: 'iom', password: PASSWORD });
  addUser(db, { email: 'fp.unhcr@example.org', name: 'UNHCR focal point', role: 'focal_point', org: 'unhcr', password: PASSWORD });
  addUser(db, { email: 'm.unhcr@example.org', name: 'UNHCR delegate', role: 'member', org: 'unhcr', password: PASSWORD });
  return {
    admin: await as(url, ADMIN_EMAIL, ADMIN_PASSWORD),
    iom: await as(url, 'fp.iom@example.org'),
    unhcr: await as(url, 'fp.unhcr@example.org'),
    delegate: await as(url, 'm.unhcr@example.org'),
  };
}

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('a position from draft to adopted, with stands, a delegate and the deadline', async () => {
  const u = await users(server.db, server.url);
  const anonymous = new Client(server.url);
  const created = await u.iom.post('/api/v1/positions', { title: 'On fair recruitment', text: 'Members call for…', themes: ['labour'] });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal(created.json.lead.id, 'iom');
  assert.equal((await anonymous.get(`/api/v1/positions/${id}`)).status, 404, 'a draft is not public');

  const tooSoon = await u.iom.post(`/api/v1/positions/${id}/rounds`, { rule: 'silence', deadline: inDays(0.01) });
  assert.equal(tooSoon.status, 422, tooSoon.text);
  const opened = await u.iom.post(`/api/v1/positions/${id}/rounds`, { rule: 'silence', deadline: inDays(2) });
  assert.equal(opened.status, 201, opened.text);
  const r = opened.json.id;
  assert.equal((await u.admin.post(`/api/v1/positions/${id}/rounds`, { rule: 'consensus', deadline: inDays(2) })).status, 409);
  const stands = `/api/v1/positions/${id}/rounds/${r}/stands`;

  const noReason = await u.unhcr.post(stands, { stand: 'object' });
  assert.equal(noReason.status, 422, noReason.text);
  assert.equal((await u.iom.post(stands, { stand: 'endorse' })).status, 201);
  assert.equal((await u.iom.post(stands, { stand: 'abstain' })).status, 409, 'a second stand');
  assert.equal((await u.delegate.post(stands, { stand: 'endorse', organization_id: 'unhcr' })).status, 403, 'not delegated yet');

  // The focal point picks its colleague from its organisation's users (id, name, role only).
  const colleagues = await u.unhcr.get('/api/v1/organizations/unhcr/users');
  assert.equal(colleagues.status, 200, colleagues.text);
  const colleague = colleagues.json.items.find((x) => x.name === 'UNHCR delegate');
  assert.deepEqual(Object.keys(colleague).sort(), ['id', 'name', 'role']);
  assert.equal(colleague.role, 'member');
  assert.ok(colleagues.json.items.every((x) => x.name !== 'IOM focal point'), 'only its own organisation');
  assert.equal((await anonymous.get('/api/v1/organizations/unhcr/users')).status, 401);
  assert.equal((await u.iom.get('/api/v1/organizations/unhcr/users')).status, 403);
  assert.equal((await u.admin.get('/api/v1/organizations/no-such-org/users')).status, 404);
  assert.equal((await u.unhcr.get('/api/v1/organizations/no-such-org/users')).status, 404);
  const me = await u.delegate.get('/api/v1/session');
  assert.equal(colleague.id, me.json.user.id);
  const delegation = await u.unhcr.post('/api/v1/organizations/unhcr/delegations', { delegate_user_id: colleague.id, round_id: r });
  assert.equal(delegation.status, 201, delegation.text);
  assert.equal((await u.delegate.post(stands, { stand: 'endorse', organization_id: 'iom' })).status, 403, 'IOM did not delegate');
  const byDelegate = await u.delegate.post(stands, { stand: 'abstain', organization_id: 'unhcr' });
  assert.equal(byDelegate.status, 201, byDelegate.text);
  const row = byDelegate.json.matrix.find((m) => m.organization.id === 'unhcr');
  assert.equal(row.as_delegate, true);
  assert.equal(row.user_name, 'UNHCR delegate');
  assert.equal(byDelegate.json.matrix.length, 10);

  // The deadline passes; the first read closes the round (no need to wait for the job).
  sql(server.db, `UPDATE position_rounds SET deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${r}`);
  const closed = await u.admin.get(`/api/v1/positions/${id}/rounds/${r}`);
  assert.equal(closed.json.status, 'closed', closed.text);
  assert.equal(closed.json.outcome, 'adopted');
  assert.deepEqual(closed.json.tally, { endorse: 1, object: 0, abstain: 1, silent: 8 });
  assert.equal((await u.unhcr.post(stands, { stand: 'endorse' })).status, 409, 'after the deadline');
  const pub = await anonymous.get(`/api/v1/positions/${id}`);
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.json.status, 'adopted');
  assert.equal((await anonymous.get(`/api/v1/positions/${id}/versions`)).json.items.length, 1);
  const list = await anonymous.get('/api/v1/positions?status=adopted');
  assert.deepEqual(list.json.items.map((p) => p.id), [id]);
});

test('two instances on one PostgreSQL database close a due round exactly once', { skip: pgSkipReason() }, async () => {
  const database = newPgDatabase();
  const m = runGmg(['migrate', '--db', database.url]);
  assert.equal(m.status, 0, m.stderr);
  const a = await startServer({ db: database.url });
  const b = await startServer({ db: database.url });
  try {
    const admin = await as(a.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const rounds = [];
    for (let i = 0; i < 3; i++) {
      const p = await admin.post('/api/v1/positions', { title: `Twice ${i}`, text: 'T', lead_org: 'iom' });
      assert.equal(p.status, 201, p.text);
      const r = await admin.post(`/api/v1/positions/${p.json.id}/rounds`, { rule: 'silence', deadline: inDays(1) });
      assert.equal(r.status, 201, r.text);
      rounds.push(r.json.id);
    }
    psql(`UPDATE position_rounds SET deadline = ${Math.floor(Date.now() / 1000) - 1}`, database.url);
    // Both instances' jobs (every 5 s) race for them; read only the audit log (reads of a round
    // would close it themselves).
    const closes = async (r) => (await admin.get(`/api/v1/audit?entity=round&entity_id=${r}`)).json.items
      .filter((e) => e.action === 'close').length;
    for (let i = 0; i < 40; i++) {
      const counts = await Promise.all(rounds.map(closes));
      if (counts.every((c) => c > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await new Promise((resolve) => setTimeout(resolve, 6000));  // both jobs have run again
    for (const r of rounds) assert.equal(await closes(r), 1, `round ${r}`);
    const outcomes = psql('SELECT count(*) FROM position_rounds WHERE status = \'closed\' AND outcome IS NOT NULL', database.url);
    assert.equal(outcomes.trim(), '3');
  } finally {
    await a.stop();
    await b.stop();
    database.drop();
  }
});

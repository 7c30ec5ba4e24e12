// End-to-end: the iCalendar feeds (docs/meetings.md "iCalendar feeds"). Meetings are planned
// through the API — a monthly series in Europe/Zurich crossing both daylight-saving changes of
// 2027 and a New York meeting whose title has commas, semicolons, a newline and non-ASCII text —
// then the three feeds are fetched and parsed by an outside reader, Debian's python3-icalendar
// (spawned from here): events, TZIDs, the UTC instants python computes (through pytz and
// through the feed's own VTIMEZONE) against the server's starts_at, text round trips, no
// online link for the anonymous; attendance only on request, for insiders; ETag/304; range and
// lookup errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, addUser, ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

// Reads a calendar on standard input; checks the lines (<= 75 octets, CRLF) and prints JSON.
const PARSE = String.raw`
import json, sys
from icalendar import Calendar
data = sys.stdin.buffer.read()
lines = data.split(b'\r\n')
assert lines[-1] == b'', 'the calendar ends in CRLF'
assert all(len(l) <= 75 for l in lines), 'a line over 75 octets'
assert b'\n' not in data.replace(b'\r\n', b''), 'a bare LF'
cal = Calendar.from_ical(data.decode('utf-8'))
zones = {str(c['TZID']): c.to_tz() for c in cal.walk('VTIMEZONE')}
def instant(prop, value):
    tzid = prop.params.get('TZID')
    own = int(zones[tzid].localize(value.replace(tzinfo=None)).timestamp()) if tzid else None
    return tzid, int(value.timestamp()), own
events = []
for e in cal.walk('VEVENT'):
    tzid, start, start_own = instant(e['DTSTART'], e.decoded('DTSTART'))
    _, end, end_own = instant(e['DTEND'], e.decoded('DTEND'))
    fields = {k.lower(): str(e[k]) for k in ('UID', 'SUMMARY', 'LOCATION', 'DESCRIPTION', 'URL',
              'STATUS', 'SEQUENCE', 'X-GMG-CHAIR') if k in e}
    fields.update(tzid=tzid, start=start, start_vtimezone=start_own, end=end, end_vtimezone=end_own)
    events.append(fields)
print(json.dumps({'name': str(cal.get('X-WR-CALNAME', '')), 'method': str(cal.get('METHOD', '')),
                  'version': str(cal.get('VERSION', '')), 'zones': sorted(zones), 'events': events}))
`;

function parseIcal(text) {
  const r = spawnSync('/usr/bin/python3', ['-c', PARSE], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `python3-icalendar refused the feed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const TITLE = 'Budget, plans; review\nsecond line — Zürich 会议 😀 ' + Array(8).fill('long title').join(' ');
const PLACE = 'UN HQ; room 3, New York';
let server, admin, anon, stakeholder, seriesId, nyMeeting, meetings;

before(async () => {
  server = await startServer();
  admin = new Client(server.url);
  await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  anon = new Client(server.url);
  const STAKE = { email: 'someone@example.org', name: 'Someone', role: 'stakeholder', password: 'stakeholder-pw-123' };
  addUser(server.db, STAKE);
  stakeholder = new Client(server.url);
  await stakeholder.signIn(STAKE.email, STAKE.password);
  const series = await admin.post('/api/v1/meeting-series', {
    name: 'Principals, Zurich', level: 'principals', time_zone: 'Europe/Zurich', place: 'Zurich',
    link: 'https://meet.example/principals', rule: 'FREQ=MONTHLY;COUNT=12', first_local: '2027-01-20T10:00',
    duration_minutes: 120,
  });
  assert.equal(series.status, 201, series.text);
  seriesId = series.json.id;
  const ny = await admin.post('/api/v1/meetings', {
    title: TITLE, starts_local: '2027-03-20T09:30', ends_local: '2027-03-20T11:00',
    time_zone: 'America/New_York', place: PLACE, link: 'https://meet.example/ny', chair_org: 'unctad',
  });
  assert.equal(ny.status, 201, ny.text);
  nyMeeting = ny.json;
  const list = await admin.get(`/api/v1/meetings?from=2027-01-01&to=2027-12-31&limit=500`);
  assert.equal(list.status, 200, list.text);
  meetings = list.json.items;
  assert.equal(meetings.length, 13);
  // ILO attends the series' first meeting; IOM presents at the New York one.
  const first = meetings.find((m) => m.series?.id === seriesId);
  const att = await admin.request('PUT', `/api/v1/meetings/${first.id}/attendance`, {
    body: { organization_id: 'ilo', people: [{ person: 'A. Delegate', level: 'senior' }] },
  });
  assert.equal(att.status, 200, att.text);
  const item = await admin.post(`/api/v1/meetings/${nyMeeting.id}/agenda`, { title: 'Remittances', presenter_org: 'iom' });
  assert.equal(item.status, 201, item.text);
});

after(async () => { await server?.stop(); });

test('the whole feed: every meeting, at the instants the server stored, in their own zones', async () => {
  const r = await anon.get('/ical/meetings.ics?from=2027-01-01&to=2027-12-31');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.ok(r.headers.get('etag'));
  assert.ok(r.headers.get('last-modified'));
  const cal = parseIcal(r.text);
  assert.equal(cal.version, '2.0');
  assert.equal(cal.method, 'PUBLISH');
  assert.equal(cal.name, 'GMG meetings');
  assert.deepEqual(cal.zones, ['America/New_York', 'Europe/Zurich']);
  assert.equal(cal.events.length, meetings.length);
  const byUid = new Map(cal.events.map((e) => [e.uid, e]));
  for (const m of meetings) {
    const e = byUid.get(m.uid);
    assert.ok(e, `meeting ${m.id} is in the feed`);
    assert.equal(e.tzid, m.time_zone);
    const start = Date.parse(m.starts_at) / 1000;
    const end = Date.parse(m.ends_at) / 1000;
    assert.equal(e.start, start, `${m.uid}: python's instant (pytz) is the server's starts_at`);
    assert.equal(e.start_vtimezone, start, `${m.uid}: the feed's VTIMEZONE gives the same instant`);
    assert.equal(e.end, end);
    assert.equal(e.end_vtimezone, end);
  }
  // Zurich at 10:00 local: 09:00Z in winter, 08:00Z in summer (both changes of 2027 crossed).
  const zurich = cal.events.filter((e) => e.tzid === 'Europe/Zurich').map((e) => new Date(e.start * 1000).toISOString().slice(11, 16));
  // The 20th of each month: summer time from 28 March to 31 October, so April to October.
  assert.deepEqual(zurich, ['09:00', '09:00', '09:00', '08:00', '08:00', '08:00', '08:00', '08:00', '08:00', '08:00', '09:00', '09:00']);
  const ny = byUid.get(nyMeeting.uid);
  assert.equal(ny.summary, TITLE, 'commas, semicolons, the newline and non-ASCII text round-trip');
  assert.equal(ny.location, PLACE);
  assert.equal(ny.status, 'CONFIRMED');
  assert.match(ny.description, /Chair: United Nations Conference on Trade and Development/);
  assert.equal(ny.url, undefined, 'no online link for the anonymous');
  assert.ok(!r.text.includes('meet.example'));
});

test('signed-in staff see the online link; an unchanged feed answers 304', async () => {
  const r = await admin.get('/ical/meetings.ics?from=2027-01-01&to=2027-12-31');
  assert.equal(r.status, 200);
  const ny = parseIcal(r.text).events.find((e) => e.uid === nyMeeting.uid);
  assert.equal(ny.url, 'https://meet.example/ny');
  const first = await anon.get('/ical/meetings.ics?from=2027-01-01&to=2027-12-31');
  const again = await anon.get('/ical/meetings.ics?from=2027-01-01&to=2027-12-31', {
    headers: { 'if-none-match': first.headers.get('etag') },
  });
  assert.equal(again.status, 304);
});

test('one series, and 404 for a series that does not exist', async () => {
  const r = await anon.get(`/ical/series/${seriesId}.ics?from=2027-01-01&to=2027-12-31`);
  assert.equal(r.status, 200, r.text);
  const cal = parseIcal(r.text);
  assert.equal(cal.name, 'GMG meetings: Principals, Zurich');
  assert.equal(cal.events.length, 12);
  assert.deepEqual(cal.zones, ['Europe/Zurich']);
  assert.equal((await anon.get('/ical/series/999999.ics')).status, 404);
  assert.equal((await anon.get('/ical/series/abc.ics')).status, 404);
  assert.equal((await anon.get(`/ical/series/${seriesId}`)).status, 404);
});

test('an organisation: meetings it chairs or presents at; attended ones only on request, for insiders', async () => {
  const uids = async (org, client = anon, query = '') => {
    const r = await client.get(`/ical/organizations/${org}.ics?from=2027-01-01&to=2027-12-31${query}`);
    assert.equal(r.status, 200, r.text);
    return parseIcal(r.text).events.map((e) => e.uid);
  };
  const firstOfSeries = meetings.find((m) => m.series?.id === seriesId);
  assert.notEqual(firstOfSeries.chair.id, 'ilo', 'the test needs a meeting ILO only attends');
  // Attendance is not public (security.md): the public feed does not reveal it.
  assert.ok(!(await uids('ilo')).includes(firstOfSeries.uid), 'ILO attends: not public');
  assert.ok(!(await uids('ilo', admin)).includes(firstOfSeries.uid), 'not without asking');
  const attending = await admin.get('/ical/organizations/ilo.ics?from=2027-01-01&to=2027-12-31&attendance=1');
  assert.equal(attending.status, 200, attending.text);
  assert.ok(parseIcal(attending.text).events.some((e) => e.uid === firstOfSeries.uid), 'ILO attends');
  assert.ok(!attending.text.includes('A. Delegate') && !/senior/i.test(attending.text), 'no person, no level');
  assert.equal((await anon.get('/ical/organizations/ilo.ics?attendance=1')).status, 401);
  assert.equal((await stakeholder.get('/ical/organizations/ilo.ics?attendance=1')).status, 403);
  assert.equal((await admin.get('/ical/organizations/ilo.ics?attendance=maybe')).status, 400);
  assert.ok((await uids('iom')).includes(nyMeeting.uid), 'IOM presents');
  assert.ok((await uids('unctad')).includes(nyMeeting.uid), 'UNCTAD chairs');
  for (const m of meetings) {
    const chairs = await uids(m.chair.id);
    assert.ok(chairs.includes(m.uid), `${m.chair.id} chairs ${m.uid}`);
  }
  assert.equal((await anon.get('/ical/organizations/no-such-org.ics')).status, 404);
});

test('range: defaults, bounds and bad dates', async () => {
  const none = await anon.get('/ical/meetings.ics?from=2026-01-01&to=2026-01-31');
  assert.equal(none.status, 200);
  assert.equal(parseIcal(none.text).events.length, 0);
  const day = await anon.get('/ical/meetings.ics?from=2027-03-20&to=2027-03-20');
  const zurichMarch = meetings.find((m) => m.starts_local.startsWith('2027-03-20T10:00'));
  // 09:00Z in Zurich, then 13:30Z in New York (US summer time began on 14 March).
  assert.deepEqual(parseIcal(day.text).events.map((e) => e.uid), [zurichMarch.uid, nyMeeting.uid]);
  const bad = await anon.get('/ical/meetings.ics?from=2027-13-01');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.details[0].field, 'from');
  const backwards = await anon.get('/ical/meetings.ics?from=2027-02-01&to=2027-01-01');
  assert.equal(backwards.status, 400);
  assert.equal(backwards.json.error.details[0].field, 'to');
  const long = await anon.get('/ical/meetings.ics?from=2020-01-01&to=2030-01-02');
  assert.equal(long.status, 400);
  assert.match(long.text, /10 years/);
  const ten = await anon.get('/ical/meetings.ics?from=2020-01-01&to=2030-01-01');
  assert.equal(ten.status, 200);
  // Without a range: a year back to two ahead of today.
  const dflt = await anon.get('/ical/meetings.ics');
  assert.equal(dflt.status, 200);
  parseIcal(dflt.text);
});

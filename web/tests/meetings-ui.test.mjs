// The meetings pages with the meetings API's answers given by the test (page.route, in the
// contract's shapes: /work/notes/meet-contract.md, docs/meetings.md), so the pages are tested
// whether or not this server has the meetings module; meetings.test.mjs runs the same scenario
// (meetings-flow.mjs) against the real module. The rest of the app (session, sign-in,
// organisations, the Terms of Reference) is the real server's. The fake keeps what the pages
// write (meetings, agenda, papers, minutes and versions, actions and notes) and refuses what the
// contract refuses in this scenario: a paper that is not a PDF (415), an action written by
// another organisation (403).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, signIn, addUser } from './helpers.mjs';
import { meetingScenario, SEC, IOM, UNHCR } from './meetings-flow.mjs';

const NAMES = { iom: 'International Organization for Migration', unhcr: 'Office of the United Nations High Commissioner for Refugees', ilo: 'International Labour Organization' };
const ref = (id) => (id ? { id, name: NAMES[id] ?? id } : null);
const S = { meetings: [], agenda: [], papers: [], attendance: [], minutes: {}, versions: {}, comments: [], decisions: [], actions: [], notes: [] };
let seq = 100;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const instant = (local) => new Date(`${local}:00Z`).toISOString().replace(/\.\d+Z$/, 'Z'); // the fake reads local times as UTC
const list = (items) => ({ items, next_cursor: null, total: items.length });

const meetingJson = (m) => ({ ...m, series: null, chair: ref(m.chair_org), agenda_count: S.agenda.filter((a) => a.meeting_id === m.id).length, minutes_status: S.minutes[m.id]?.status ?? null, etag: `W/"${m.version}"` });
const agendaJson = (a) => ({ ...a, presenter: ref(a.presenter_org), papers: S.papers.filter((p) => p.agenda_item_id === a.id) });
function minutesJson(id) {
  const v = S.versions[id];
  return { ...S.minutes[id], text: v.at(-1).text, versions: v.map(({ number, user_name, note, created_at }) => ({ number, user_name, note, created_at })), etag: `W/"${S.minutes[id].version}"` };
}
function actionJson(a) {
  const m = S.meetings.find((x) => x.id === a.meeting_id);
  const overdue = ['open', 'in_progress'].includes(a.status) && a.due_date < now().slice(0, 10);
  return { ...a, owner: ref(a.owner_org), meeting: m ? { id: m.id, title: m.title } : null, overdue, notes_count: S.notes.filter((n) => n.action_id === a.id).length, etag: `W/"${a.version}"` };
}
const mayWriteAction = (u, a) => u.role === 'secretariat' || u.role === 'admin' || u.org === a.owner_org;

/** The fake meetings API: [status, body] for a request by `u` (null: anonymous). */
function answer(u, method, url, raw, type) {
  const body = type.includes('json') && raw.length ? JSON.parse(raw.toString()) : null;
  const r = url.pathname.slice('/api/v1'.length);
  const q = url.searchParams;
  let m;
  if (r === '/meeting-series') return [200, list([])];
  if (r === '/meetings' && method === 'GET') return [200, list(S.meetings.filter((x) => !q.get('status') || x.status === q.get('status')).map(meetingJson))];
  if (r === '/meetings') {
    const x = { id: ++seq, series_id: body.series_id, title: body.title, starts_local: body.starts_local, ends_local: body.ends_local, time_zone: body.time_zone, starts_at: instant(body.starts_local), ends_at: instant(body.ends_local), place: body.place, link: body.link, chair_org: body.chair_org ?? 'ilo', chair_from_rotation: !body.chair_org, status: 'planned', postponed_to: null, uid: `m${seq}@gmg.test`, sequence: 0, version: 1 };
    S.meetings.push(x);
    return [201, meetingJson(x)];
  }
  if ((m = /^\/meetings\/(\d+)$/.exec(r))) {
    const x = S.meetings.find((y) => y.id === +m[1]);
    return x ? [200, meetingJson(x)] : [404, { error: { code: 'not_found', message: 'No such meeting.' } }];
  }
  if ((m = /^\/meetings\/(\d+)\/agenda$/.exec(r))) {
    const id = +m[1];
    if (method === 'POST') {
      const a = { id: ++seq, meeting_id: id, position: S.agenda.filter((x) => x.meeting_id === id).length + 1, title: body.title, presenter_org: body.presenter_org, purposes: body.purposes, notes: body.notes };
      S.agenda.push(a);
      return [201, agendaJson(a)];
    }
    return [200, list(S.agenda.filter((x) => x.meeting_id === id).map(agendaJson))];
  }
  if (/^\/meetings\/\d+\/agenda\/order$/.test(r)) {
    body.ids.forEach((id, i) => (S.agenda.find((a) => a.id === id).position = i + 1));
    return [200, list([])];
  }
  if ((m = /^\/meetings\/(\d+)\/papers$/.exec(r))) {
    const id = +m[1];
    if (method === 'GET') return [200, list(S.papers.filter((p) => p.meeting_id === id))];
    if (!raw.subarray(0, 5).equals(Buffer.from('%PDF-'))) return [415, { error: { code: 'unsupported_media_type', message: 'Papers may be PDF, office documents, plain text, PNG or JPEG.' } }];
    const p = { id: ++seq, meeting_id: id, agenda_item_id: q.get('agenda_item_id') ? +q.get('agenda_item_id') : null, title: q.get('title'), url: null, file_name: q.get('file_name'), media_type: 'application/pdf', size: raw.length, sha256: '0'.repeat(64), organization_id: null, created_at: now(), href: `/api/v1/meetings/${id}/papers/${seq}` };
    S.papers.push(p);
    return [201, p];
  }
  if ((m = /^\/meetings\/(\d+)\/attendance$/.exec(r))) {
    const id = +m[1];
    if (method === 'PUT') {
      if (u.role === 'focal_point' && u.org !== body.organization_id) return [403, { error: { code: 'forbidden', message: 'Only your own organisation.' } }];
      S.attendance = S.attendance.filter((a) => !(a.meeting_id === id && a.organization_id === body.organization_id));
      for (const p of body.people) S.attendance.push({ meeting_id: id, organization_id: body.organization_id, ...p });
    }
    return [200, { items: S.attendance.filter((a) => a.meeting_id === id).map((a) => ({ organization: ref(a.organization_id), person: a.person, level: a.level })) }];
  }
  if ((m = /^\/meetings\/(\d+)\/minutes$/.exec(r))) {
    const id = +m[1];
    if (method === 'PUT') {
      if (S.minutes[id]?.status === 'approved') return [409, { error: { code: 'conflict', message: 'Approved minutes cannot change.' } }];
      S.minutes[id] ??= { status: 'draft', comments_until: null, approved_at: null, approved_by: null, current_version: 0, version: 0 };
      S.versions[id] ??= [];
      const n = ++S.minutes[id].current_version;
      S.minutes[id].version++;
      S.versions[id].push({ number: n, text: body.text, user_name: u.name, note: body.note, created_at: now() });
      return [200, minutesJson(id)];
    }
    if (!S.minutes[id] || (!u && S.minutes[id].status !== 'approved')) return [404, { error: { code: 'not_found', message: 'No minutes.' } }];
    return [200, minutesJson(id)];
  }
  if ((m = /^\/meetings\/(\d+)\/minutes\/versions\/(\d+)$/.exec(r))) return [200, S.versions[+m[1]][+m[2] - 1]];
  if ((m = /^\/meetings\/(\d+)\/minutes\/circulate$/.exec(r))) {
    assert.match(body.comments_until, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'an RFC 3339 instant');
    Object.assign(S.minutes[+m[1]], { status: 'circulated', comments_until: body.comments_until });
    return [200, minutesJson(+m[1])];
  }
  if ((m = /^\/meetings\/(\d+)\/minutes\/approve$/.exec(r))) {
    Object.assign(S.minutes[+m[1]], { status: 'approved', approved_at: now() });
    return [200, minutesJson(+m[1])];
  }
  if (/^\/meetings\/\d+\/minutes\/comments$/.test(r)) return [200, list([])];
  if (/^\/meetings\/\d+\/decisions$/.test(r)) return [200, list([])];
  if (r === '/actions') return [200, list(S.actions.map(actionJson).filter((a) => !q.get('meeting') || String(a.meeting_id) === q.get('meeting')))];
  if ((m = /^\/actions\/(\d+)$/.exec(r))) {
    const a = S.actions.find((x) => x.id === +m[1]);
    if (method === 'PATCH') {
      if (!mayWriteAction(u, a)) return [403, { error: { code: 'forbidden', message: 'Only the owner organisation updates this action.' } }];
      a.status = body.status;
      a.version++;
    }
    return [200, actionJson(a)];
  }
  if ((m = /^\/actions\/(\d+)\/notes$/.exec(r))) {
    const id = +m[1];
    if (method === 'POST') {
      if (!mayWriteAction(u, S.actions.find((x) => x.id === id))) return [403, { error: { code: 'forbidden', message: 'Only the owner organisation adds notes.' } }];
      const a = S.actions.find((x) => x.id === id);
      if (body.status) Object.assign(a, { status: body.status, version: a.version + 1 }); // a note may change the status
      S.notes.push({ id: ++seq, action_id: id, user_name: u.name, status: body.status ?? null, text: body.text, created_at: now() });
      return [201, S.notes.at(-1)];
    }
    return [200, list(S.notes.filter((n) => n.action_id === id))];
  }
  if ((m = /^\/organizations\/([^/]+)\/actions$/.exec(r))) {
    // Soonest due first, cut at ?limit (default 100); total and overdue count them all.
    const open = S.actions.map(actionJson).filter((a) => a.owner.id === m[1] && ['open', 'in_progress'].includes(a.status));
    open.sort((a, b) => a.due_date.localeCompare(b.due_date) || a.id - b.id);
    return [200, { ...list(open.slice(0, Number(q.get('limit') ?? 100))), total: open.length, overdue: open.filter((a) => a.overdue).length }];
  }
  return null;
}

/** Answers the meetings API's requests of `page`'s context as `u` would get them. */
async function fakeFor(context, u) {
  await context.route(/\/api\/v1\/(meetings|meeting-series|actions|organizations\/[^/]+\/actions)(\/|\?|$)/, async (route) => {
    const req = route.request();
    const a = answer(u, req.method(), new URL(req.url()), req.postDataBuffer() ?? Buffer.alloc(0), req.headers()['content-type'] ?? '');
    if (!a) return route.continue();
    await route.fulfill({ status: a[0], contentType: 'application/json', body: JSON.stringify(a[1]) });
  });
}

let app;
before(async () => {
  app = await startApp();
  for (const u of [SEC, IOM, UNHCR]) addUser(app.server.db, u);
  // Pages opened without signing in (the visitor, the phones) get the anonymous answers.
  const newPage = app.newPage.bind(app);
  app.newPage = async (opts) => {
    const page = await newPage(opts);
    await fakeFor(page.context(), null);
    return page;
  };
});
after(async () => {
  await app?.stop();
});

meetingScenario({
  app: () => app,
  skip: () => false,
  async signInAs(page, u) {
    await page.context().unrouteAll();
    await fakeFor(page.context(), u);
    await signIn(page, app.url, u.email, u.password);
  },
  async createAction(body) {
    S.actions.push({ id: ++seq, decision_id: null, initiative_id: null, description: '', status: 'open', created_at: now(), updated_at: now(), version: 1, ...body });
    return seq;
  },
  async expectRefused(u, actionId) {
    const a = S.actions.find((x) => x.id === actionId);
    assert.equal(answer(u, 'PATCH', new URL(`http://x/api/v1/actions/${actionId}`), Buffer.from('{"status":"done"}'), 'application/json')[0], 403);
    assert.notEqual(a.status, 'done');
  },
});

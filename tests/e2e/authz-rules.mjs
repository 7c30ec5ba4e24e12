// The documented authorisation rules of every route, as data: who may call it, on which
// records, and the answer everyone else gets. tests/e2e/authz-matrix.test.mjs asks the real
// server every route in its openapi.json × every principal × every object below and compares
// the answer with expected(); the matrix in docs/authorization.md is generated from this file
// (`node tests/e2e/authz-rules.mjs --write`).
//
// Sources: README.md "Security", docs/api.md "Conventions" and "Routes", docs/activities.md
// ("visibility", "Routes", "IATI in and out"), docs/statistics.md ("Access"), docs/notifications.md. Where the code and these disagree, this file
// follows the documents and the test fails.
//
// Adding a route: add its rule here (the test fails naming any operation of openapi.json
// without one, and any rule without an operation), then its recipe in RECIPES of the test.

// Organisations of the matrix: A and B are current members, P a partner (a non-member known
// from its IATI activities), F a former member.
export const ORGS = {
  A: { id: 'iom', status: 'current' },
  B: { id: 'unhcr', status: 'current' },
  P: { id: null, status: 'partner' },  // created by an IATI import; id known at run time
  F: { id: 'authz-former', status: 'former' },
};

// Who asks. `via`: none, cookie (with X-CSRF-Token on writes), token (Authorization: Bearer),
// cookie_without_csrf (a cookie session that does not send X-CSRF-Token), signed_out_cookie
// (the cookie of a session that signed out: anonymous, src/http/router.h), revoked_token
// (a bearer token its owner revoked: 401 on every route, even public ones, src/http/router.h),
// metrics_token (the monitoring scraper: `Authorization: Bearer <metrics token>`, the secret
// the server was started with, `--metrics-token` / GMG_METRICS_TOKEN).
export const PRINCIPALS = [
  { key: 'anonymous', role: null, org: null, via: 'none' },
  { key: 'admin', role: 'admin', org: null, via: 'cookie' },
  { key: 'secretariat', role: 'secretariat', org: null, via: 'cookie' },
  { key: 'focal_point_A', role: 'focal_point', org: 'A', via: 'cookie' },
  { key: 'focal_point_B', role: 'focal_point', org: 'B', via: 'cookie' },
  { key: 'member_A', role: 'member', org: 'A', via: 'cookie' },
  { key: 'stakeholder', role: 'stakeholder', org: null, via: 'cookie' },
  { key: 'member_partner', role: 'member', org: 'P', via: 'cookie' },
  { key: 'member_former', role: 'member', org: 'F', via: 'cookie' },
  { key: 'focal_point_A_token', role: 'focal_point', org: 'A', via: 'token' },
  { key: 'focal_point_A_no_csrf', role: 'focal_point', org: 'A', via: 'cookie_without_csrf' },
  { key: 'signed_out_cookie', role: null, org: null, via: 'signed_out_cookie', user: { role: 'focal_point', org: 'A' } },
  { key: 'revoked_token', role: null, org: null, via: 'revoked_token', user: { role: 'focal_point', org: 'A' } },
  // Tokens minted before their owner changed the password, or before an admin reset it: dead
  // (issue 7 #8, "revoke tokens with the password change and reset").
  { key: 'token_after_password_change', role: null, org: null, via: 'token_after_password_change', user: { role: 'focal_point', org: 'A' } },
  { key: 'token_after_admin_reset', role: null, org: null, via: 'token_after_admin_reset', user: { role: 'focal_point', org: 'A' } },
  // A stakeholder attached to organisation A is not its staff: it reads what the public reads.
  { key: 'stakeholder_A', role: 'stakeholder', org: 'A', via: 'cookie' },
  // The scraper reads /metrics and nothing else: its secret is not an API token, so on every
  // other route it is an unknown bearer token, 401 even where the public is admitted.
  { key: 'metrics_scraper', role: null, org: null, via: 'metrics_token' },
];

const DEAD_TOKENS = new Set(['revoked_token', 'token_after_password_change', 'token_after_admin_reset']);

// The records a route with an {id} (or a target organisation) is tried on. Activities carry
// an organisation and a visibility; `archived` ones are gone for everyone.
export const OBJECTS = {
  'org A': { org: 'A' },
  'org B': { org: 'B' },
  // A field only admin and secretariat change (name, acronym, iati_org_id): api.md.
  'org A, its name': { org: 'A', staffOnlyField: true },
  'activity A public': { org: 'A', visibility: 'public' },
  'activity A members': { org: 'A', visibility: 'members' },
  'activity A organization': { org: 'A', visibility: 'organization' },
  'activity A archived': { org: 'A', visibility: 'public', archived: true },
  'activity B public': { org: 'B', visibility: 'public' },
  'activity B members': { org: 'B', visibility: 'members' },
  'activity B organization': { org: 'B', visibility: 'organization' },
  'activity P organization': { org: 'P', visibility: 'organization' },
  // A's public activity given to B by a PATCH: the writer must write for both (activities.md:
  // "a focal point may only give its own").
  'activity A public, moved to B': { org: 'A', visibility: 'public', moveTo: 'B' },
  'focal point of A': { org: 'A', pathOrg: 'A' },
  'focal point of B': { org: 'B', pathOrg: 'B' },
  // B's focal point asked for under A's path: /organizations/iom/focal-points/{B's fid}.
  'focal point of B under A': { org: 'B', pathOrg: 'A' },
  'own user': { self: true },
  'other user': { self: false },
  'own token': { owner: 'self' },
  'other token': { owner: 'other' },
  'a former member': { org: 'new', status: 'former' },
  'a current membership': { org: 'new', status: 'current' },
  'an override': {},
  'a theme': {},
  // A finding of the coherence analysis: two overlapping activities of A and B. A viewer must
  // see both (docs/coherence.md).
  'finding A public, B public': { org: 'A', a: { org: 'A', visibility: 'public' }, b: { org: 'B', visibility: 'public' } },
  'finding A public, B organization': { org: 'A', a: { org: 'A', visibility: 'public' }, b: { org: 'B', visibility: 'organization' } },
  // A dataflow of the statistics module: its agency is its organisation's id in upper case
  // ("IOM" for A), its provider the organisation (docs/statistics.md).
  'dataflow of A': { org: 'A' },
  'dataflow of B': { org: 'B' },
  // Meetings (issue 12, docs/meetings.md): a planned meeting; agenda items presented by A or B
  // (papers go to an item: its presenter's staff may add them); papers added for A or B.
  'a meeting': {},
  'agenda item of A': { org: 'A' },
  'agenda item of B': { org: 'B' },
  'paper of A': { org: 'A' },
  'paper of B': { org: 'B' },
  // Meetings (issue 12, docs/meetings.md): minutes in each state, a decision, actions owned by
  // A and by B.
  'minutes draft': { minutes: 'draft' },
  'minutes circulated': { minutes: 'circulated' },
  'minutes approved': { minutes: 'approved' },
  // Approved minutes saved twice before approval: version 1 is a draft the public never reads.
  'minutes approved, an earlier version': { minutes: 'approved', earlierVersion: true },
  'a decision': {},
  'action of A': { org: 'A' },
  'action of B': { org: 'B' },
  // Initiatives (docs/initiatives.md): one made by the secretariat; contributions of A and B.
  'an initiative': {},
  'contribution of A': { org: 'A' },
  'contribution of B': { org: 'B' },
  // Research network and staff exchanges (docs/research.md): an institution and a researcher
  // added by A's or B's focal point, a joint project A or B is part of, an exchange between A or
  // B and a third member (ILO).
  'institution of A': { org: 'A' },
  'institution of B': { org: 'B' },
  'researcher of A': { org: 'A' },
  'researcher of B': { org: 'B' },
  'project of A': { org: 'A' },
  'project of B': { org: 'B' },
  'exchange of A': { org: 'A' },
  'exchange of B': { org: 'B' },
  // Stakeholders and engagement (docs/engagement.md): a state stakeholder made by the
  // administrator; a support request of that state routed to A and to B. The matrix's
  // stakeholder accounts are linked to no stakeholder: they see no request.
  'a stakeholder': {},
  'request routed to A': { org: 'A' },
  'request routed to B': { org: 'B' },
  // Common positions (docs/positions.md): led by A; one with an open round, one withdrawn
  // before it was adopted: neither is public (an adopted one is, also once withdrawn —
  // PositionServiceTest.AnAdoptedPositionWithdrawnLaterStaysPublic).
  // Training (docs/training.md): courses co-organised by A or B (made by the administrator),
  // and a registration of a named participant (not the caller) to a session of each.
  'course of A': { org: 'A' },
  'course of B': { org: 'B' },
  'registration in a course of A': { org: 'A' },
  'registration in a course of B': { org: 'B' },
  'position of A, in endorsement': { org: 'A', pathOrg: 'A', public: false, stage: 'endorsement' },
  'position of A, withdrawn': { org: 'A', pathOrg: 'A', public: false, stage: 'withdrawn' },
  // The library (docs/library.md): published items of A and B, a best practice of A in review
  // (submitted by the administrator).
  'library item of A': { org: 'A' },
  'library item of B': { org: 'B' },
  'best practice of A, in review': { org: 'A' },
};

// The activities every activity route is tried on, and that lists must show or hide.
export const ACTIVITY_OBJECTS = Object.keys(OBJECTS).filter((k) => k.startsWith('activity ') && !OBJECTS[k].moveTo);
const POSITIONS = ['position of A, in endorsement', 'position of A, withdrawn'];
export const FINDING_OBJECTS = Object.keys(OBJECTS).filter((k) => k.startsWith('finding '));

const isStaff = (p) => p.role === 'admin' || p.role === 'secretariat';
const signedIn = (p) => p.role !== null;
const orgStaff = (p) => p.role === 'focal_point' || p.role === 'member';
// Staff of an organisation that is a member today (Principal::IsMemberStaff): the meetings and
// positions modules' "insiders" leave out a partner's and a former member's focal points and
// members (docs/positions.md "Who").
const memberStaff = (p) => orgStaff(p) && ORGS[p.org]?.status === 'current';

// docs/activities.md, `visibility`: public (everyone), members (signed-in staff of GMG members
// and the secretariat), organization (its own organisation's staff, admin, secretariat).
// Archived activities are "gone from lists, search and map" and their GET is 404 for all.
export function canSee(p, a) {
  if (a.archived) return false;
  if (isStaff(p) || a.visibility === 'public') return true;
  if (!orgStaff(p)) return false;
  if (a.org === p.org) return true;
  if (a.visibility !== 'members') return false;
  return ORGS[p.org]?.status === 'current';
}

// A focal point writes only its own organisation's records; admin and secretariat write all.
const writesFor = (p, org) => isStaff(p) || (p.role === 'focal_point' && p.org === org);

// Who may call a route, once past its gate. Each returns the documented status for principal
// p on object o; `ok` is the route's success status. 401 = not signed in, 403 = signed in but
// not allowed, 404 = a record the principal may not know exists.
export const WHO = {
  anyone: { text: 'anyone', answer: (p, o, ok) => ok },
  signed_in: { text: 'signed in', answer: (p, o, ok) => (signedIn(p) ? ok : 401) },
  metrics: {
    text: 'admin, or the scraper with the metrics token (`Authorization: Bearer <metrics token>`)',
    answer: (p, o, ok) => (p.via === 'metrics_token' || p.role === 'admin' ? ok : !signedIn(p) ? 401 : 403),
  },
  staff: { text: 'admin, secretariat', answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) ? ok : 403) },
  admin: { text: 'admin', answer: (p, o, ok) => (!signedIn(p) ? 401 : p.role === 'admin' ? ok : 403) },
  own_focal_point: {
    text: "admin, secretariat, the organisation's own focal point",
    // The path names the organisation; a record of another organisation under it is 404.
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!writesFor(p, o.pathOrg ?? o.org)) return 403;
      if (o.staffOnlyField && !isStaff(p)) return 403;
      return o.pathOrg && o.pathOrg !== o.org ? 404 : ok;
    },
  },
  session_holder: {
    text: 'signed in with a session (a bearer token cannot make tokens: 403)',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : p.via === 'token' ? 403 : ok),
  },
  self_or_admin: {
    text: 'admin, or the user themself',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : p.role === 'admin' || o.self ? ok : 403),
  },
  token_owner_or_admin: {
    text: "the token's owner, admin (another user's token is 404)",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : p.role === 'admin' || o.owner === 'self' ? ok : 404),
  },
  activity_viewer: {
    text: 'anyone its visibility admits (else 404)',
    answer: (p, o, ok) => (canSee(p, o) ? ok : 404),
  },
  activity_writer: {
    text: "its organisation's focal point, admin, secretariat; 404 to whoever may not see it",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!canSee(p, o)) return 404;
      return writesFor(p, o.org) && (!o.moveTo || writesFor(p, o.moveTo)) ? ok : 403;
    },
  },
  activity_recorder: {
    text: "the target organisation's focal point, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : writesFor(p, o.org) ? ok : 403),
  },
  finding_viewer: {
    text: 'signed in, and may see both activities (else 404)',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : canSee(p, o.a) && canSee(p, o.b) ? ok : 404),
  },
  finding_judge: {
    text: "a focal point of either activity's organisation, admin, secretariat; 404 to whoever may not see both",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!canSee(p, o.a) || !canSee(p, o.b)) return 404;
      return writesFor(p, o.a.org) || writesFor(p, o.b.org) ? ok : 403;
    },
  },
  stats_uploader: {
    text: "staff (member, focal point) of the dataflow's organisation, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (orgStaff(p) && p.org === o.org) ? ok : 403),
  },
  // Meetings (docs/meetings.md): drafts, comments and actions are for staff and members' staff.
  meeting_insider: {
    text: "focal points and members of current members, admin, secretariat (others 403)",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || memberStaff(p) ? ok : 403),
  },
  minutes_reader: {
    text: 'anyone once approved; before: focal points and members of current members, admin, secretariat',
    answer: (p, o, ok) => (o.minutes === 'approved' ? ok : !signedIn(p) ? 401 : isStaff(p) || memberStaff(p) ? ok : 403),
  },
  // Security review of issue 12: outside the GMG only the approved text, never a draft version.
  minutes_version_reader: {
    text: 'anyone for the approved version of approved minutes; any other version: focal points and members of current members, admin, secretariat',
    answer: (p, o, ok) => (o.minutes === 'approved' && !o.earlierVersion ? ok : !signedIn(p) ? 401 : isStaff(p) || memberStaff(p) ? ok : 403),
  },
  commenter: {
    text: 'focal points and members of current members, admin, secretariat, while circulated (else 409)',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : !(isStaff(p) || memberStaff(p)) ? 403 : o.minutes === 'circulated' ? ok : 409),
  },
  org_staff: {
    text: "staff (focal point, member) of the record's organisation, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (orgStaff(p) && p.org === o.org) ? ok : 403),
  },
  // docs/initiatives.md: the secretariat for any member, a focal point or member of a current
  // member organisation for its own.
  contributor: {
    text: "its organisation's focal points and members (a current member), admin, secretariat",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (isStaff(p)) return ok;
      return orgStaff(p) && p.org === o.org && ORGS[p.org]?.status === 'current' ? ok : 403;
    },
  },
  // docs/library.md: the secretariat for any organisation, a focal point for its own.
  library_editor: {
    text: "its organisation's focal points, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (p.role === 'focal_point' && p.org === o.org) ? ok : 403),
  },
  library_uploader: {
    text: 'focal points, admin, secretariat',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || p.role === 'focal_point' ? ok : 403),
  },
  // The secretariat, admins and designated reviewers, never on their own submission (the
  // matrix's best practices are submitted by its fixture administrator, another user).
  library_reviewer: {
    text: 'admin, secretariat and designated reviewers, never on their own submission',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) ? ok : 403),
  },
  contribution_owner: {
    text: "its organisation's focal points and members, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (orgStaff(p) && p.org === o.org) ? ok : 403),
  },
  drafter: {
    text: 'focal points, members, admin, secretariat (not stakeholders)',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || orgStaff(p) ? ok : 403),
  },
  // docs/research.md: a focal point of a current member for its own organisation's records (the
  // institutions and researchers it added, the projects and exchanges it is part of); not its
  // members; the secretariat and administrators for all.
  research_focal_point: {
    text: "the focal point of a current member that is party to the record, admin, secretariat",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (isStaff(p)) return ok;
      return p.role === 'focal_point' && p.org === o.org && ORGS[p.org]?.status === 'current' ? ok : 403;
    },
  },
  research_adder: {
    text: 'focal points of current members, admin, secretariat',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (p.role === 'focal_point' && ORGS[p.org]?.status === 'current') ? ok : 403),
  },
  insider: {
    text: 'focal points and members of current members, admin, secretariat (others 403)',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || memberStaff(p) ? ok : 403),
  },
  position_reader: {
    text: 'anyone for adopted positions (also once withdrawn); else focal points and members of current members, admin, secretariat (else 404)',
    answer: (p, o, ok) => (o.public || isStaff(p) || memberStaff(p) ? ok : 404),
  },
  position_editor: {
    text: "the lead organisation's focal points and members, admin, secretariat; 404 to whoever may not see it",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!o.public && !isStaff(p) && !memberStaff(p)) return 404;
      return isStaff(p) || (memberStaff(p) && p.org === o.org) ? ok : 403;
    },
  },
  position_lead: {
    text: "the lead organisation's focal point, admin, secretariat; 404 to whoever may not see it",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!o.public && !isStaff(p) && !memberStaff(p)) return 404;
      return isStaff(p) || (p.role === 'focal_point' && p.org === o.org) ? ok : 403;
    },
  },
  stand_taker: {
    text: "the organisation's focal point (or a user it delegated); 404 to whoever may not see the position",
    answer: (p, o, ok) => {
      if (!signedIn(p)) return 401;
      if (!isStaff(p) && !memberStaff(p)) return 404;
      return p.role === 'focal_point' && p.org === o.org ? ok : 403;
    },
  },
  org_insider: {
    text: "the organisation's focal points and members, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (orgStaff(p) && p.org === o.org) ? ok : 403),
  },
  org_focal_point: {
    text: "the organisation's own focal point",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : p.role === 'focal_point' && p.org === o.org ? ok : 403),
  },
  // docs/engagement.md: an interaction is logged by the secretariat, or by the staff of a
  // current member that took part (`members` names it).
  interaction_logger: {
    text: 'admin, secretariat; focal points and members of a current member that took part',
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (memberStaff(p) && p.org === o.org) ? ok : 403),
  },
  // Recorded by the secretariat, or by a stakeholder account for its own state (the matrix's
  // stakeholder accounts are linked to none: 403).
  request_recorder: {
    text: "admin, secretariat; a stakeholder account linked to a state, for that state",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) ? ok : 403),
  },
  request_reader: {
    text: "focal points and members of current members, admin, secretariat; the requesting state's own accounts (else 404)",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || memberStaff(p) ? ok : 404),
  },
  request_answerer: {
    text: "the routed member's own focal point (of a current member), admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (p.role === 'focal_point' && memberStaff(p) && p.org === o.org) ? ok : 403),
  },
  // docs/training.md: a co-organising member's focal point manages its courses.
  course_organizer: {
    text: "a co-organising organisation's focal point (a current member), admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : isStaff(p) || (p.role === 'focal_point' && memberStaff(p) && p.org === o.org) ? ok : 403),
  },
  org_focal_point_or_staff: {
    text: "the organisation's own focal point, admin, secretariat",
    answer: (p, o, ok) => (!signedIn(p) ? 401 : writesFor(p, o.org) ? ok : 403),
  },
};

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

// Every route: `access` is the gate the route table declares (openapi's x-gmg-access), `who`
// the documented rule (a key of WHO), `ok` the success status, `objects` what it is tried on
// (keys of OBJECTS; none for routes without a record), `doc` where the rule is written.
// `list: 'activities'` also checks which fixture activities each principal's answer contains.
export const RULES = {
  'GET /healthz': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'GET /metrics': { access: 'metrics', who: 'metrics', ok: 200, doc: 'security.md (metrics token or admin)' },
  'GET /api/v1/openapi.json': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'GET /api/v1/about': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'GET /api/v1/search/all': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, search.md' },

  'POST /api/v1/session': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md (sign in)' },
  'GET /api/v1/session': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md' },
  'DELETE /api/v1/session': { access: 'signed_in', who: 'signed_in', ok: 204, doc: 'api.md' },
  'PATCH /api/v1/session': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md (the web-app language)' },
  'POST /api/v1/session/password': { access: 'signed_in', who: 'signed_in', ok: 204, doc: 'api.md' },

  'GET /api/v1/users': { access: 'admin', who: 'admin', ok: 200, doc: 'api.md' },
  'POST /api/v1/users': { access: 'admin', who: 'admin', ok: 201, doc: 'api.md' },
  'GET /api/v1/users/{id}': { access: 'signed_in', who: 'self_or_admin', ok: 200, objects: ['own user', 'other user'], doc: 'api.md' },
  'PATCH /api/v1/users/{id}': { access: 'admin', who: 'admin', ok: 200, objects: ['own user', 'other user'], doc: 'api.md' },
  'DELETE /api/v1/users/{id}': { access: 'admin', who: 'admin', ok: 204, objects: ['other user'], doc: 'api.md' },

  'GET /api/v1/organizations/{id}/users': { access: 'signed_in', who: 'org_insider', ok: 200, objects: ['org A', 'org B'], doc: 'api.md (an organisation\'s users)' },
  'GET /api/v1/tokens': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md (own tokens only)' },
  'POST /api/v1/tokens': { access: 'signed_in', who: 'session_holder', ok: 201, doc: 'api.md, security.md (tokens are made from a session)' },
  'DELETE /api/v1/tokens/{id}': { access: 'signed_in', who: 'token_owner_or_admin', ok: 204, objects: ['own token', 'other token'], doc: 'api.md, README "Security"' },

  'GET /api/v1/organizations': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'POST /api/v1/organizations': { access: 'staff', who: 'staff', ok: 201, doc: 'api.md' },
  'GET /api/v1/organizations/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['org A', 'org B'], doc: 'api.md' },
  'PATCH /api/v1/organizations/{id}': { access: 'signed_in', who: 'own_focal_point', ok: 200, objects: ['org A', 'org B', 'org A, its name'], doc: 'api.md' },
  'POST /api/v1/organizations/{id}/memberships': { access: 'staff', who: 'staff', ok: 201, objects: ['a former member'], doc: 'api.md' },
  'PATCH /api/v1/organizations/{id}/memberships/{mid}': { access: 'staff', who: 'staff', ok: 200, objects: ['a current membership'], doc: 'api.md' },
  'GET /api/v1/organizations/{id}/focal-points': { access: 'public', who: 'anyone', ok: 200, objects: ['org A'], doc: 'api.md (email and phone only for signed-in users)' },
  'POST /api/v1/organizations/{id}/focal-points': { access: 'signed_in', who: 'own_focal_point', ok: 201, objects: ['org A', 'org B'], doc: 'api.md' },
  'GET /api/v1/organizations/{id}/focal-points/{fid}': { access: 'public', who: 'anyone', ok: 200, objects: ['focal point of A'], doc: 'api.md' },
  'PATCH /api/v1/organizations/{id}/focal-points/{fid}': { access: 'signed_in', who: 'own_focal_point', ok: 200, objects: ['focal point of A', 'focal point of B', 'focal point of B under A'], doc: 'api.md' },
  'DELETE /api/v1/organizations/{id}/focal-points/{fid}': { access: 'signed_in', who: 'own_focal_point', ok: 204, objects: ['focal point of A', 'focal point of B', 'focal point of B under A'], doc: 'api.md' },

  'GET /api/v1/chair': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'GET /api/v1/chair/schedule': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'GET /api/v1/chair/rotations': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'POST /api/v1/chair/rotations': { access: 'admin', who: 'admin', ok: 201, doc: 'api.md' },
  'POST /api/v1/chair/rotations/preview': { access: 'admin', who: 'admin', ok: 200, doc: 'api.md (changes nothing)' },
  'DELETE /api/v1/chair/rotations/{id}': { access: 'admin', who: 'admin', ok: 200, objects: ['a plan not started'], doc: 'api.md' },
  'GET /api/v1/chair/overrides': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md' },
  'POST /api/v1/chair/overrides': { access: 'admin', who: 'admin', ok: 201, doc: 'api.md' },
  'DELETE /api/v1/chair/overrides/{id}': { access: 'admin', who: 'admin', ok: 204, objects: ['an override'], doc: 'api.md' },

  'GET /api/v1/activities': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md (sees what visibility allows)' },
  'POST /api/v1/activities': { access: 'signed_in', who: 'activity_recorder', ok: 201, objects: ['org A', 'org B'], doc: 'activities.md' },
  'GET /api/v1/activities/map': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md' },
  'GET /api/v1/activities.csv': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md' },
  'GET /api/v1/activities.xlsx': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md' },
  'GET /api/v1/activities.iati.xml': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md (what visibility allows)' },
  'POST /api/v1/activities/import': { access: 'signed_in', who: 'activity_recorder', ok: 200, objects: ['org A', 'org B'], doc: 'activities.md (a focal point imports what its organisation reports)' },
  'GET /api/v1/activities/{id}': { access: 'public', who: 'activity_viewer', ok: 200, objects: ACTIVITY_OBJECTS, doc: 'activities.md' },
  'PATCH /api/v1/activities/{id}': { access: 'signed_in', who: 'activity_writer', ok: 200, objects: [...ACTIVITY_OBJECTS, 'activity A public, moved to B'], doc: 'activities.md' },
  'DELETE /api/v1/activities/{id}': { access: 'signed_in', who: 'activity_writer', ok: 204, objects: ACTIVITY_OBJECTS, doc: 'activities.md' },
  'GET /api/v1/search': { access: 'public', who: 'anyone', ok: 200, list: 'activities', doc: 'activities.md' },

  'GET /api/v1/themes': { access: 'public', who: 'anyone', ok: 200, doc: 'activities.md' },
  'POST /api/v1/themes': { access: 'staff', who: 'staff', ok: 201, doc: 'activities.md' },
  'GET /api/v1/themes/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['a theme'], doc: 'activities.md' },
  'PATCH /api/v1/themes/{id}': { access: 'staff', who: 'staff', ok: 200, objects: ['a theme'], doc: 'activities.md' },
  'GET /api/v1/codelists': { access: 'public', who: 'anyone', ok: 200, doc: 'activities.md' },
  'GET /api/v1/downloads/terms': { access: 'public', who: 'anyone', ok: 200, doc: 'activities.md' },

  'GET /api/v1/coherence/gaps': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, coherence-gaps.md (coverage counts what the viewer may see)' },
  'GET /api/v1/coherence/need': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, coherence-gaps.md' },
  'PUT /api/v1/coherence/need': { access: 'admin', who: 'admin', ok: 200, doc: 'api.md, coherence-gaps.md (which statistics weigh which theme)' },
  'GET /api/v1/coherence/mandates': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, coherence-gaps.md' },
  'PUT /api/v1/coherence/mandates/{org}': { access: 'signed_in', who: 'own_focal_point', ok: 200, objects: ['org A', 'org B'], doc: 'api.md, coherence-gaps.md (an organisation states its own mandate)' },
  'GET /api/v1/coherence/overlaps': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'coherence.md (findings whose two activities the viewer may see)' },
  'GET /api/v1/coherence/overlaps/{id}': { access: 'signed_in', who: 'finding_viewer', ok: 200, objects: FINDING_OBJECTS, doc: 'coherence.md' },
  'PUT /api/v1/coherence/overlaps/{id}/feedback': { access: 'signed_in', who: 'finding_judge', ok: 200, objects: FINDING_OBJECTS, doc: 'coherence.md' },
  'DELETE /api/v1/coherence/overlaps/{id}/feedback': { access: 'signed_in', who: 'finding_judge', ok: 200, objects: FINDING_OBJECTS, doc: 'coherence.md' },
  'GET /api/v1/coherence/model': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'coherence.md' },
  'POST /api/v1/coherence/check': { access: 'signed_in', who: 'drafter', ok: 200, doc: 'coherence.md (changes nothing)' },
  // Common positions (issue 12; docs/positions.md).
  'GET /api/v1/positions': { access: 'public', who: 'anyone', ok: 200, doc: 'positions.md (non-public statuses only for insiders)' },
  'POST /api/v1/positions': { access: 'signed_in', who: 'insider', ok: 201, doc: 'positions.md (lead: own organisation)' },
  'GET /api/v1/positions/{id}': { access: 'public', who: 'position_reader', ok: 200, objects: POSITIONS, doc: 'positions.md' },
  'PATCH /api/v1/positions/{id}': { access: 'signed_in', who: 'position_editor', ok: 200, objects: ['position of A, in endorsement'], doc: 'positions.md (409 outside draft/consultation)' },
  'POST /api/v1/positions/{id}/withdraw': { access: 'signed_in', who: 'position_lead', ok: 200, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'GET /api/v1/positions/{id}/versions': { access: 'public', who: 'position_reader', ok: 200, objects: POSITIONS, doc: 'positions.md' },
  'POST /api/v1/positions/{id}/versions': { access: 'signed_in', who: 'position_editor', ok: 201, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'GET /api/v1/positions/{id}/versions/{n}': { access: 'public', who: 'position_reader', ok: 200, objects: POSITIONS, doc: 'positions.md' },
  'GET /api/v1/positions/{id}/comments': { access: 'signed_in', who: 'insider', ok: 200, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'POST /api/v1/positions/{id}/comments': { access: 'signed_in', who: 'insider', ok: 201, objects: ['position of A, in endorsement'], doc: 'positions.md (during the consultation)' },
  'GET /api/v1/positions/{id}/rounds': { access: 'public', who: 'position_reader', ok: 200, objects: POSITIONS, doc: 'positions.md' },
  'POST /api/v1/positions/{id}/rounds': { access: 'signed_in', who: 'position_lead', ok: 201, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'GET /api/v1/positions/{id}/rounds/{r}': { access: 'public', who: 'position_reader', ok: 200, objects: POSITIONS, doc: 'positions.md' },
  'POST /api/v1/positions/{id}/rounds/{r}/cancel': { access: 'staff', who: 'staff', ok: 200, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'POST /api/v1/positions/{id}/rounds/{r}/stands': { access: 'signed_in', who: 'stand_taker', ok: 201, objects: ['position of A, in endorsement'], doc: 'positions.md' },
  'GET /api/v1/organizations/{id}/delegations': { access: 'signed_in', who: 'org_insider', ok: 200, objects: ['org A', 'org B'], doc: 'positions.md' },
  'POST /api/v1/organizations/{id}/delegations': { access: 'signed_in', who: 'org_focal_point', ok: 201, objects: ['org A', 'org B'], doc: 'positions.md' },
  'DELETE /api/v1/organizations/{id}/delegations/{d}': { access: 'signed_in', who: 'org_focal_point_or_staff', ok: 200, objects: ['org A', 'org B'], doc: 'positions.md' },

  'GET /sdmx/data/{flow}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md (SDMX REST 1.5)' },
  'GET /sdmx/data/{flow}/{key}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /sdmx/v2/data/dataflow/{agency}/{id}/{version}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md (SDMX REST 2.0)' },
  'GET /sdmx/v2/data/dataflow/{agency}/{id}/{version}/{key}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /sdmx/{type}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md (structure queries)' },
  'GET /sdmx/{type}/{agency}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /sdmx/{type}/{agency}/{id}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /sdmx/{type}/{agency}/{id}/{version}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /sdmx/v2/structure/{type}/{agency}/{id}/{version}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /api/v1/stats/flows': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, statistics.md' },
  'GET /api/v1/stats/flows/{agency}/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['dataflow of A'], doc: 'api.md, statistics.md (provenance is public)' },
  'PUT /api/v1/stats/flows/{agency}/{id}': { access: 'signed_in', who: 'stats_uploader', ok: 200, objects: ['dataflow of A', 'dataflow of B'], doc: 'api.md, statistics.md (a member creates dataflows only under its own agency)' },
  'DELETE /api/v1/stats/flows/{agency}/{id}': { access: 'admin', who: 'admin', ok: 204, objects: ['dataflow of A'], doc: 'api.md, statistics.md' },
  'POST /api/v1/stats/flows/{agency}/{id}/uploads': { access: 'signed_in', who: 'stats_uploader', ok: 200, objects: ['dataflow of A', 'dataflow of B'], doc: 'api.md, statistics.md' },
  'GET /api/v1/stats/flows/{agency}/{id}/data': { access: 'public', who: 'anyone', ok: 200, objects: ['dataflow of A'], doc: 'api.md, statistics.md' },
  'GET /api/v1/stats/flows/{agency}/{id}/data.xlsx': { access: 'public', who: 'anyone', ok: 200, objects: ['dataflow of A'], doc: 'api.md, statistics.md' },

  // Meetings (issue 12): iCalendar feeds, public; the online link only for signed-in non-stakeholders.
  'GET /ical/meetings.ics': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md (iCalendar feeds)' },
  'GET /ical/series/{file}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md (iCalendar feeds; {file} is <id>.ics)' },
  'GET /ical/organizations/{file}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md (iCalendar feeds; {file} is <id>.ics)' },
  'GET /api/v1/meetings/{id}/minutes': { access: 'public', who: 'minutes_reader', ok: 200, objects: ['minutes draft', 'minutes circulated', 'minutes approved'], doc: 'meetings.md "Minutes"' },
  'PUT /api/v1/meetings/{id}/minutes': { access: 'staff', who: 'staff', ok: 200, objects: ['minutes draft'], doc: 'meetings.md "Minutes"' },
  'GET /api/v1/meetings/{id}/minutes/versions/{n}': { access: 'public', who: 'minutes_version_reader', ok: 200, objects: ['minutes draft', 'minutes approved', 'minutes approved, an earlier version'], doc: 'meetings.md "Minutes", security.md' },
  'POST /api/v1/meetings/{id}/minutes/circulate': { access: 'staff', who: 'staff', ok: 200, objects: ['minutes draft'], doc: 'meetings.md "Minutes"' },
  'POST /api/v1/meetings/{id}/minutes/approve': { access: 'staff', who: 'staff', ok: 200, objects: ['minutes draft'], doc: 'meetings.md "Minutes"' },
  'GET /api/v1/meetings/{id}/minutes/comments': { access: 'signed_in', who: 'meeting_insider', ok: 200, objects: ['minutes circulated', 'minutes approved'], doc: 'meetings.md "Minutes"' },
  'POST /api/v1/meetings/{id}/minutes/comments': { access: 'signed_in', who: 'commenter', ok: 201, objects: ['minutes circulated', 'minutes approved'], doc: 'meetings.md "Minutes"' },
  'GET /api/v1/meetings/{id}/decisions': { access: 'public', who: 'anyone', ok: 200, objects: ['a meeting'], doc: 'meetings.md "Decisions and actions"' },
  'POST /api/v1/meetings/{id}/decisions': { access: 'staff', who: 'staff', ok: 201, objects: ['a meeting'], doc: 'meetings.md "Decisions and actions"' },
  'PATCH /api/v1/meetings/{id}/decisions/{d}': { access: 'staff', who: 'staff', ok: 200, objects: ['a decision'], doc: 'meetings.md "Decisions and actions"' },
  'DELETE /api/v1/meetings/{id}/decisions/{d}': { access: 'staff', who: 'staff', ok: 204, objects: ['a decision'], doc: 'meetings.md "Decisions and actions"' },
  'GET /api/v1/actions': { access: 'signed_in', who: 'meeting_insider', ok: 200, doc: 'meetings.md "Decisions and actions"' },
  'POST /api/v1/actions': { access: 'staff', who: 'staff', ok: 201, doc: 'meetings.md "Decisions and actions"' },
  'GET /api/v1/actions/{id}': { access: 'signed_in', who: 'meeting_insider', ok: 200, objects: ['action of A'], doc: 'meetings.md "Decisions and actions"' },
  'PATCH /api/v1/actions/{id}': { access: 'signed_in', who: 'org_staff', ok: 200, objects: ['action of A', 'action of B'], doc: 'meetings.md "Decisions and actions" (status; other fields staff only)' },
  'GET /api/v1/actions/{id}/notes': { access: 'signed_in', who: 'meeting_insider', ok: 200, objects: ['action of A'], doc: 'meetings.md "Decisions and actions"' },
  'POST /api/v1/actions/{id}/notes': { access: 'signed_in', who: 'org_staff', ok: 201, objects: ['action of A', 'action of B'], doc: 'meetings.md "Decisions and actions"' },
  'GET /api/v1/organizations/{id}/actions': { access: 'signed_in', who: 'meeting_insider', ok: 200, objects: ['org A'], doc: 'meetings.md "Decisions and actions"' },
  'GET /api/v1/notifications': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, notifications.md (one\'s own only)' },
  'GET /api/v1/library/items': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, library.md (what the caller may see)' },
  'POST /api/v1/library/items': { access: 'signed_in', who: 'library_editor', ok: 201, objects: ['org A', 'org B'], doc: 'api.md, library.md (for its own organisation)' },
  'GET /api/v1/library/items/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['library item of A'], doc: 'api.md, library.md (published)' },
  'PUT /api/v1/library/items/{id}': { access: 'signed_in', who: 'library_editor', ok: 200, objects: ['library item of A', 'library item of B'], doc: 'api.md, library.md' },
  'POST /api/v1/library/items/{id}/withdraw': { access: 'signed_in', who: 'library_editor', ok: 200, objects: ['library item of A', 'library item of B'], doc: 'api.md, library.md' },
  'POST /api/v1/library/items/{id}/review': { access: 'signed_in', who: 'library_reviewer', ok: 200, objects: ['best practice of A, in review'], doc: 'api.md, library.md' },
  'GET /api/v1/library/items/{id}/file': { access: 'public', who: 'anyone', ok: 200, objects: ['library item of A'], doc: 'api.md, library.md (published)' },
  'POST /api/v1/library/files': { access: 'signed_in', who: 'library_uploader', ok: 201, doc: 'api.md, library.md' },
  'GET /api/v1/library/review-queue': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, library.md (empty for non-reviewers)' },
  'GET /api/v1/library/reviewers': { access: 'staff', who: 'staff', ok: 200, doc: 'api.md, library.md' },
  'PUT /api/v1/library/reviewers/{user}': { access: 'staff', who: 'staff', ok: 204, doc: 'api.md, library.md' },
  'DELETE /api/v1/library/reviewers/{user}': { access: 'staff', who: 'staff', ok: 204, doc: 'api.md, library.md' },
  'GET /api/v1/notifications/count': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, notifications.md (one\'s own only)' },
  'POST /api/v1/notifications/read': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, notifications.md (another user\'s ids are ignored)' },
  'GET /api/v1/notifications/preferences': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, notifications.md (one\'s own)' },
  'PUT /api/v1/notifications/preferences': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, notifications.md (one\'s own)' },
  'GET /api/v1/notifications/outbox': { access: 'admin', who: 'admin', ok: 200, doc: 'api.md, notifications.md (operations)' },

  'GET /api/v1/audit': { access: 'staff', who: 'staff', ok: 200, doc: 'api.md' },
  'GET /api/v1/audit/entities': { access: 'staff', who: 'staff', ok: 200, doc: 'api.md' },
  // Meetings (issue 12): series, meetings and agendas public (the link only for signed-in
  // non-stakeholders); papers and attendance for staff and members' staff.
  'GET /api/v1/meeting-series': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md' },
  'POST /api/v1/meeting-series': { access: 'staff', who: 'staff', ok: 201, doc: 'api.md, meetings.md' },
  'GET /api/v1/meeting-series/{id}': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md' },
  'PATCH /api/v1/meeting-series/{id}': { access: 'staff', who: 'staff', ok: 200, doc: 'api.md, meetings.md' },
  'DELETE /api/v1/meeting-series/{id}': { access: 'staff', who: 'staff', ok: 200, doc: 'api.md, meetings.md (archives)' },
  'GET /api/v1/research/institutions': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, research.md' },
  'POST /api/v1/research/institutions': { access: 'signed_in', who: 'research_adder', ok: 201, doc: 'api.md, research.md' },
  'GET /api/v1/research/institutions/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['institution of A'], doc: 'api.md, research.md' },
  'PUT /api/v1/research/institutions/{id}': { access: 'signed_in', who: 'research_focal_point', ok: 200, objects: ['institution of A', 'institution of B'], doc: 'api.md, research.md (the organisation that added it)' },
  'GET /api/v1/research/researchers': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, research.md (public profiles; all, with e-mail, for insiders)' },
  'POST /api/v1/research/researchers': { access: 'signed_in', who: 'research_adder', ok: 201, doc: 'api.md, research.md' },
  'GET /api/v1/research/researchers/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['researcher of A'], doc: 'api.md, research.md (a public profile)' },
  'PUT /api/v1/research/researchers/{id}': { access: 'signed_in', who: 'research_focal_point', ok: 200, objects: ['researcher of A', 'researcher of B'], doc: 'api.md, research.md (the organisation that added it)' },
  'GET /api/v1/research/projects': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, research.md' },
  'POST /api/v1/research/projects': { access: 'signed_in', who: 'research_focal_point', ok: 201, objects: ['org A', 'org B'], doc: 'api.md, research.md (its own organisation in it)' },
  'GET /api/v1/research/projects/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['project of A'], doc: 'api.md, research.md' },
  'PUT /api/v1/research/projects/{id}': { access: 'signed_in', who: 'research_focal_point', ok: 200, objects: ['project of A', 'project of B'], doc: 'api.md, research.md (its organisations)' },
  'GET /api/v1/research/share': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, research.md' },
  'GET /api/v1/exchanges': { access: 'signed_in', who: 'insider', ok: 200, doc: 'api.md, research.md' },
  'POST /api/v1/exchanges': { access: 'signed_in', who: 'research_focal_point', ok: 201, objects: ['org A', 'org B'], doc: 'api.md, research.md (either organisation)' },
  'GET /api/v1/exchanges/{id}': { access: 'signed_in', who: 'insider', ok: 200, objects: ['exchange of A'], doc: 'api.md, research.md' },
  'PATCH /api/v1/exchanges/{id}': { access: 'signed_in', who: 'research_focal_point', ok: 200, objects: ['exchange of A', 'exchange of B'], doc: 'api.md, research.md (either organisation)' },
  'GET /api/v1/meetings': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, meetings.md' },
  'POST /api/v1/meetings': { access: 'staff', who: 'staff', ok: 201, doc: 'api.md, meetings.md' },
  'GET /api/v1/meetings/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'PATCH /api/v1/meetings/{id}': { access: 'staff', who: 'staff', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'GET /api/v1/meetings/{id}/agenda': { access: 'public', who: 'anyone', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'POST /api/v1/meetings/{id}/agenda': { access: 'staff', who: 'staff', ok: 201, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'POST /api/v1/meetings/{id}/agenda/order': { access: 'staff', who: 'staff', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'PATCH /api/v1/meetings/{id}/agenda/{item}': { access: 'staff', who: 'staff', ok: 200, objects: ['agenda item of A'], doc: 'api.md, meetings.md' },
  'DELETE /api/v1/meetings/{id}/agenda/{item}': { access: 'staff', who: 'staff', ok: 204, objects: ['agenda item of A'], doc: 'api.md, meetings.md' },
  'GET /api/v1/meetings/{id}/papers': { access: 'signed_in', who: 'insider', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'POST /api/v1/meetings/{id}/papers': { access: 'signed_in', who: 'org_staff', ok: 201, objects: ['agenda item of A', 'agenda item of B'], doc: "api.md, meetings.md (the item's presenter organisation)" },
  'GET /api/v1/meetings/{id}/papers/{paper}': { access: 'signed_in', who: 'insider', ok: 200, objects: ['paper of A'], doc: 'api.md, meetings.md' },
  'DELETE /api/v1/meetings/{id}/papers/{paper}': { access: 'signed_in', who: 'org_staff', ok: 204, objects: ['paper of A', 'paper of B'], doc: 'api.md, meetings.md (the organisation that added it)' },
  'GET /api/v1/meetings/{id}/attendance': { access: 'signed_in', who: 'insider', ok: 200, objects: ['a meeting'], doc: 'api.md, meetings.md' },
  'PUT /api/v1/meetings/{id}/attendance': { access: 'signed_in', who: 'org_staff', ok: 200, objects: ['org A', 'org B'], doc: "api.md, meetings.md (an organisation's own rows)" },


  'GET /api/v1/initiatives': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, initiatives.md' },
  'POST /api/v1/initiatives': { access: 'staff', who: 'staff', ok: 201, doc: 'api.md, initiatives.md' },
  'GET /api/v1/initiatives/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['an initiative'], doc: 'api.md, initiatives.md (by id or slug)' },
  'PATCH /api/v1/initiatives/{id}': { access: 'staff', who: 'staff', ok: 200, objects: ['an initiative'], doc: 'api.md, initiatives.md' },
  'GET /api/v1/initiatives/{id}/contributions': { access: 'public', who: 'anyone', ok: 200, objects: ['an initiative'], doc: 'api.md, initiatives.md' },
  'POST /api/v1/initiatives/{id}/contributions': { access: 'signed_in', who: 'contributor', ok: 201, objects: ['org A', 'org B'], doc: 'api.md, initiatives.md (for its own organisation)' },
  'DELETE /api/v1/initiatives/{id}/contributions/{cid}': { access: 'signed_in', who: 'contribution_owner', ok: 204, objects: ['contribution of A', 'contribution of B'], doc: 'api.md, initiatives.md' },
  'PUT /api/v1/initiatives/{id}/links': { access: 'staff', who: 'staff', ok: 200, objects: ['an initiative'], doc: 'api.md, initiatives.md (ids checked by the meetings and positions modules)' },
  'GET /api/v1/training/courses': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, training.md' },
  'POST /api/v1/training/courses': { access: 'signed_in', who: 'course_organizer', ok: 201, objects: ['org A', 'org B'], doc: 'api.md, training.md (a course its organisation co-organises)' },
  'GET /api/v1/training/courses/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['course of A'], doc: 'api.md, training.md' },
  'PATCH /api/v1/training/courses/{id}': { access: 'signed_in', who: 'course_organizer', ok: 200, objects: ['course of A', 'course of B'], doc: 'api.md, training.md' },
  'POST /api/v1/training/courses/{id}/sessions': { access: 'signed_in', who: 'course_organizer', ok: 201, objects: ['course of A', 'course of B'], doc: 'api.md, training.md' },
  'PATCH /api/v1/training/sessions/{id}': { access: 'signed_in', who: 'course_organizer', ok: 200, objects: ['course of A', 'course of B'], doc: 'api.md, training.md' },
  'GET /api/v1/training/sessions/{id}/registrations': { access: 'signed_in', who: 'course_organizer', ok: 200, objects: ['course of A', 'course of B'], doc: 'api.md, training.md (names and e-mails: organisers only)' },
  'POST /api/v1/training/sessions/{id}/registrations': { access: 'signed_in', who: 'signed_in', ok: 201, objects: ['course of A'], doc: 'api.md, training.md (oneself, for a session of one\'s audience; a named participant: organisers)' },
  'PUT /api/v1/training/sessions/{id}/attendance': { access: 'signed_in', who: 'course_organizer', ok: 204, objects: ['course of A', 'course of B'], doc: 'api.md, training.md' },
  'GET /api/v1/training/registrations/mine': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'api.md, training.md' },
  'DELETE /api/v1/training/registrations/{id}': { access: 'signed_in', who: 'course_organizer', ok: 200, objects: ['registration in a course of A', 'registration in a course of B'], doc: 'api.md, training.md (also the participant themself)' },
  'GET /api/v1/training/report': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, training.md' },
  'GET /api/v1/training/search': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, training.md' },

  // Stakeholders and engagement (issue 13, docs/engagement.md).
  'GET /api/v1/stakeholders': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, engagement.md' },
  'POST /api/v1/stakeholders': { access: 'staff', who: 'staff', ok: 201, doc: 'api.md, engagement.md' },
  'GET /api/v1/stakeholder-regions': { access: 'public', who: 'anyone', ok: 200, doc: 'api.md, engagement.md' },
  'GET /api/v1/stakeholders/{id}': { access: 'public', who: 'anyone', ok: 200, objects: ['a stakeholder'], doc: 'api.md, engagement.md' },
  'PATCH /api/v1/stakeholders/{id}': { access: 'staff', who: 'staff', ok: 200, objects: ['a stakeholder'], doc: 'api.md, engagement.md' },
  'GET /api/v1/stakeholders/{id}/contacts': { access: 'signed_in', who: 'insider', ok: 200, objects: ['a stakeholder'], doc: 'engagement.md (personal data: GMG insiders)' },
  'POST /api/v1/stakeholders/{id}/contacts': { access: 'staff', who: 'staff', ok: 201, objects: ['a stakeholder'], doc: 'engagement.md' },
  'DELETE /api/v1/stakeholders/{id}/contacts/{cid}': { access: 'staff', who: 'staff', ok: 204, objects: ['a stakeholder'], doc: 'engagement.md' },
  'GET /api/v1/stakeholders/{id}/accounts': { access: 'staff', who: 'staff', ok: 200, objects: ['a stakeholder'], doc: 'engagement.md' },
  'POST /api/v1/stakeholders/{id}/accounts': { access: 'staff', who: 'staff', ok: 201, objects: ['a stakeholder'], doc: 'engagement.md' },
  'DELETE /api/v1/stakeholders/{id}/accounts/{uid}': { access: 'staff', who: 'staff', ok: 204, objects: ['a stakeholder'], doc: 'engagement.md' },
  'GET /api/v1/my-stakeholder': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'engagement.md' },
  'GET /api/v1/stakeholder-interactions': { access: 'public', who: 'anyone', ok: 200, doc: 'engagement.md (each sees what its visibility admits)' },
  'POST /api/v1/stakeholder-interactions': { access: 'signed_in', who: 'interaction_logger', ok: 201, objects: ['org A', 'org B'], doc: 'engagement.md' },
  'DELETE /api/v1/stakeholder-interactions/{id}': { access: 'staff', who: 'staff', ok: 204, objects: ['a stakeholder'], doc: 'engagement.md' },
  'GET /api/v1/support-requests': { access: 'signed_in', who: 'signed_in', ok: 200, doc: 'engagement.md (each sees the requests it may)' },
  'POST /api/v1/support-requests': { access: 'signed_in', who: 'request_recorder', ok: 201, objects: ['a stakeholder'], doc: 'engagement.md' },
  'GET /api/v1/support-requests/{id}': { access: 'signed_in', who: 'request_reader', ok: 200, objects: ['request routed to A'], doc: 'engagement.md (another stakeholder\'s: 404)' },
  'POST /api/v1/support-requests/{id}/routes': { access: 'staff', who: 'staff', ok: 200, objects: ['request routed to A'], doc: 'engagement.md' },
  'POST /api/v1/support-requests/{id}/answers': { access: 'signed_in', who: 'request_answerer', ok: 200, objects: ['request routed to A', 'request routed to B'], doc: 'engagement.md (another agency\'s: 403)' },
  'POST /api/v1/support-requests/{id}/status': { access: 'staff', who: 'staff', ok: 200, objects: ['request routed to A'], doc: 'engagement.md (allowed transitions only)' },
  // Last: a re-estimated model may score the matrix's findings differently (the matrix asks its
  // cases in this order, and the finding routes share the estimate's lock).
  'POST /api/v1/coherence/model/estimate': { access: 'staff', who: 'staff', ok: 200, doc: 'coherence.md' },
};

export const isWrite = (method) => WRITE_METHODS.has(method);

// The documented answer for principal p calling route `key` on object `objectName`: {status}.
export function expected(key, p, objectName) {
  const rule = RULES[key];
  const method = key.split(' ')[0];
  const o = objectName ? OBJECTS[objectName] : {};
  // A revoked (or otherwise dead) bearer token is refused wherever it is sent.
  if (DEAD_TOKENS.has(p.via)) return { status: 401 };
  // The metrics token opens the metrics route only; elsewhere it is an unknown bearer token.
  if (p.via === 'metrics_token' && rule.who !== 'metrics') return { status: 401 };
  // A cookie write without X-CSRF-Token is refused before anything else is looked at.
  if (isWrite(method) && p.via === 'cookie_without_csrf') return { status: 403 };
  return { status: WHO[rule.who].answer(p, o, rule.ok) };
}

// Which fixture activities (ACTIVITY_OBJECTS) a list, search, map or download must contain for p.
export function visibleActivities(p) {
  return ACTIVITY_OBJECTS.filter((name) => canSee(p, OBJECTS[name]));
}

// docs/authorization.md: the matrix as a table, generated from the rules above.
export function renderMarkdown() {
  const shortNames = {
    anonymous: 'anon', admin: 'admin', secretariat: 'sec', focal_point_A: 'fp A', focal_point_B: 'fp B',
    member_A: 'mem A', stakeholder: 'stake', member_partner: 'mem P', member_former: 'mem F',
    focal_point_A_token: 'fp A token', focal_point_A_no_csrf: 'fp A no CSRF', signed_out_cookie: 'signed out',
    revoked_token: 'revoked token', token_after_password_change: 'token, password changed',
    token_after_admin_reset: 'token, password reset', stakeholder_A: 'stake A', metrics_scraper: 'metrics scraper',
  };
  const lines = [];
  const head = ['route', 'object', ...PRINCIPALS.map((p) => shortNames[p.key])];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const [key, rule] of Object.entries(RULES)) {
    for (const obj of rule.objects ?? [null]) {
      const cells = PRINCIPALS.map((p) => String(expected(key, p, obj).status));
      lines.push(`| \`${key}\` | ${obj ?? ''} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

// docs/authorization.md holds renderMarkdown() between these markers; `node
// tests/e2e/authz-rules.mjs --write` puts it there, and the matrix test checks it is current.
export const DOC_BEGIN = '<!-- matrix:begin (generated by node tests/e2e/authz-rules.mjs --write) -->';
export const DOC_END = '<!-- matrix:end -->';
export const DOC_PATH = new URL('../../docs/authorization.md', import.meta.url);

// The document's text with the matrix between the markers replaced by the current one.
export function withMatrix(doc) {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin) throw new Error('docs/authorization.md lacks the matrix markers');
  return `${doc.slice(0, begin + DOC_BEGIN.length)}\n${renderMarkdown()}\n${doc.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--write') {
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(DOC_PATH, withMatrix(readFileSync(DOC_PATH, 'utf8')));
  } else {
    console.log(renderMarkdown());
  }
}

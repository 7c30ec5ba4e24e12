// The only way the app talks to the server: JSON over /api/v1 (docs/api.md).
// Holds the CSRF token in memory (never in storage) and sends it on every write.

export interface ErrorDetail {
  field: string;
  /** English, for developers; shown only when `rule` has no message in the catalogue. */
  problem: string;
  /** A stable code of the broken rule ("required", "too_long"…) with its values. */
  rule?: string;
  args?: Record<string, string>;
  /** The language of `problem` when the app wrote it in the reader's language (no rule). */
  lang?: string;
}

/** A failed request, carrying the server's error body when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly retryAfter: string | null;

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = [], retryAfter: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export interface Response<T> {
  data: T;
  status: number;
  etag: string | null;
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as it is (e.g. an XML file), with its Content-Type; instead of `body`. */
  raw?: { data: Blob | string; type: string };
  ifMatch?: string | null;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** For a write api.ts cannot make (an upload with progress, meetings.ts): the same token. */
export function getCsrfToken(): string | null {
  return csrfToken;
}

let onSessionLost: (() => void) | null = null;

/** Called when a request other than the session check answers 401 (the session has ended). */
export function setSessionLostHandler(fn: (() => void) | null): void {
  onSessionLost = fn;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<Response<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | Blob | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;

  let res: globalThis.Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      // The server sends Cache-Control: no-cache and ETags: the browser revalidates each time
      // and a 304 saves the body on slow connections.
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Could not reach the GMG Hub server. Check your connection and try again.');
  }

  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session' && csrfToken) {
      csrfToken = null;
      onSessionLost?.();
    }
    const err = (json as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? `The server answered ${res.status} ${res.statusText}.`,
      Array.isArray(err?.details) ? err!.details! : [],
      res.headers.get('Retry-After'),
    );
  }
  return { data: json as T, status: res.status, etag: res.headers.get('ETag') };
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, ifMatch: string | null, opts: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...opts, body, ifMatch }),
  del: <T = null>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  /** POST a non-JSON body (an IATI XML file for the import). */
  postRaw: <T>(path: string, data: Blob | string, type: string) => request<T>('POST', path, { raw: { data, type } }),
};

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- Shapes from docs/api.md ----

export type Role = 'admin' | 'secretariat' | 'focal_point' | 'member' | 'stakeholder';
export const ROLES: Role[] = ['admin', 'secretariat', 'focal_point', 'member', 'stakeholder'];

export interface User {
  id: string | number;
  email: string;
  name: string;
  role: Role;
  organization_id: string | null;
  active: boolean;
  created_at: string;
  /** The web-app language the user picked (en, fr, es, ar, zh, ru), or null: follow the browser. */
  language?: string | null;
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface List<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
}

export interface Organization {
  id: string;
  name: string;
  acronym: string;
  status: 'current' | 'former';
  mandate: string;
  member_since: string;
  left_on: string | null;
  website: string | null;
  iati_org_id: string | null;
  executive_head_title: string | null;
  updated_at: string;
}

export interface FocalPoint {
  id: number;
  organization_id: string;
  name: string;
  title: string;
  /** Only for signed-in users. */
  email?: string;
  phone?: string;
  since: string;
  /** Its ETag is "v<version>". */
  version: number;
}

export interface Membership {
  id: string | number;
  joined_on: string;
  left_on: string | null;
  note: string | null;
  version?: number;
}

export interface OrganizationDetail extends Organization {
  focal_points: FocalPoint[];
  memberships: Membership[];
}

export interface About {
  name: string;
  summary: string;
  purposes: { number: number; title: string; text: string }[];
  issues: { position: number; title: string; text: string }[];
  history: { date: string; title: string; text: string }[];
}

export interface OrgRef {
  id: string;
  name: string;
  acronym: string;
}

export interface Chair {
  date: string;
  organization: OrgRef;
  starts_on: string;
  ends_on: string;
  source: 'rotation' | 'override';
  reason: string | null;
}

export interface ChairTerm {
  starts_on: string;
  ends_on: string;
  organization: OrgRef;
  source: 'rotation' | 'override';
  reason: string | null;
}

export interface Rotation {
  id: string | number;
  starts_on: string;
  term_months: number;
  order: string[];
  created_at: string;
  /** Set when an admin withdrew the plan before it started; it no longer shapes the rotation. */
  withdrawn_at?: string | null;
}

export interface Override {
  id: string | number;
  starts_on: string;
  ends_on: string;
  organization_id?: string;
  organization?: OrgRef;
  reason: string | null;
}

export interface Token {
  id: string | number;
  name: string;
  created_at: string;
  expires_at: string | null;
  last_used_at?: string | null;
  token?: string;
}

export interface AuditEntry {
  id: string | number;
  at: string;
  actor: { id: string | number; email: string } | null;
  action: string;
  entity: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

/** Reads every page of a list (for small lists such as organisations or users). */
export async function listAll<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let i = 0; i < 50; i++) {
    const r: Response<List<T>> = await api.get<List<T>>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...(r.data.items ?? []));
    cursor = r.data.next_cursor;
    if (!cursor) break;
  }
  return out;
}

// ---- Activities (docs/activities.md) ----

export interface LangText {
  lang: string;
  text: string;
}

export type PartnerRole = 'funding' | 'accountable' | 'extending' | 'implementing';

export interface Partner {
  organization_id?: string | null;
  name: string;
  role: PartnerRole;
}

export type Visibility = 'public' | 'members' | 'organization';

/** What one records of an activity: the body of POST /activities (PATCH takes any subset). */
export interface ActivityInput {
  organization_id: string;
  titles: LangText[];
  descriptions: LangText[];
  type: string;
  themes: string[];
  purposes: number[];
  dimensions: string[];
  countries: string[];
  regions: string[];
  is_global: boolean;
  starts_on: string | null;
  ends_on: string | null;
  status: number;
  budget: { amount: number; currency: string } | null;
  partners: Partner[];
  contact: { name: string; email: string };
  links: { url: string; title: string }[];
  visibility: Visibility;
  /** Replaces the activity's sectors (left out: kept as they are). */
  sectors?: Sector[];
}

/** A classification as its publisher gave it (IATI sector, any vocabulary; "" means 1, DAC 5-digit). */
export interface Sector {
  vocabulary: string;
  code: string;
  percentage: number | null;
  narrative: string;
  vocabulary_uri: string;
}

/** provider-org / receiver-org of a transaction. */
export interface TransactionOrg {
  ref: string;
  type: string;
  activity_id: string;
  name: string;
}

/** An IATI transaction as imported (codes as written; "" = not given). */
export interface Transaction {
  /** IATI TransactionType 1..13. */
  type: string;
  date: string;
  value: number;
  /** "" = the activity's default currency. */
  currency: string;
  value_date: string | null;
  ref: string;
  humanitarian: string;
  description: string;
  provider: TransactionOrg | null;
  receiver: TransactionOrg | null;
  disbursement_channel: string;
  sectors: { vocabulary: string; code: string; vocabulary_uri: string; narrative: string }[];
  recipient_country: string;
  recipient_region: string;
  recipient_region_vocabulary: string;
  flow_type: string;
  finance_type: string;
  aid_types: { vocabulary: string; code: string; vocabulary_uri: string; narrative: string }[];
  tied_status: string;
}

/** An activity as the API answers: what was recorded, with the organisation spelled out. */
export interface Activity extends Omit<ActivityInput, 'organization_id'> {
  id: number;
  organization: { id: string; name: string; acronym: string; is_member: boolean };
  title: string;
  status_name: string;
  iati_identifier: string | null;
  source: string;
  /** IATI classifications kept besides sectors: vocabulary `tag-<n>` or `region-<n>`, and a code. */
  tags: { vocabulary: string; code: string }[];
  /** The publisher's sectors, in its order (imports; the form may send them too). */
  sectors: Sector[];
  /** The publisher's transactions (imports only). */
  transactions: Transaction[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Theme {
  id: string;
  name: string;
  description: string;
  position: number;
  archived: boolean;
  version: number;
}

export interface CountryCode {
  code: string;
  iso3: string;
  m49: number;
  name: string;
  region: string;
  subregion: string;
  intermediate: string;
}

export interface RegionCode {
  code: string;
  name: string;
  level: 'world' | 'region' | 'subregion' | 'intermediate' | 'group';
  countries: number;
}

export interface Codelists {
  countries: CountryCode[];
  regions: RegionCode[];
  currencies: { code: string; name: string }[];
  activity_types: string[];
  dimensions: string[];
  statuses: { code: number; name: string }[];
}

export interface MapCounts {
  /** Activities naming each country (only these are shaded). */
  items: { country: string; iso3: string; m49: number; name: string; count: number }[];
  /** Activities recorded for a region (M49 code, or LDC/LLDC/SIDS): listed beside the map. */
  regions: { region: string; name: string; level: string; count: number }[];
  global: number;
}

export interface SearchHit {
  activity: Activity;
  /** Server-escaped text with only <mark> added. */
  title_html: string;
  snippet_html: string;
  rank: number;
}

export type Facets = Partial<Record<'organization' | 'theme' | 'type' | 'status' | 'country', Record<string, number>>>;

export interface SearchResult extends List<SearchHit> {
  facets: Facets;
  /** Words of q read as filters (places, themes); absent or empty when none (or ?literal=1). */
  interpreted?: { words: string; filter: 'country' | 'region' | 'theme'; code: string }[];
  /** What of q was still searched as text. */
  text?: string;
}

export interface ImportReport {
  file_version: string;
  dry_run: boolean;
  created: number;
  updated: number;
  unchanged: number;
  kept_archived: number;
  skipped: number;
  /**
   * The first rows only (items_total counts all); `changed` names the fields an update changes.
   * `reason` is English; `rule` (with `args`) is its stable code, translated as `import.rule.<rule>`.
   */
  items: { line: number; iati_identifier: string; action: string; activity_id: number | null; reason: string; rule?: string; args?: Record<string, string>; changed: string[] }[];
  items_total: number;
  items_truncated: boolean;
  /** The first warnings only (warnings_total counts all); `message` English, `rule` + `args` its code. */
  warnings: { line: number; element: string; message: string; rule?: string; args?: Record<string, string> }[];
  warnings_total: number;
  warnings_truncated: boolean;
}

// Statistics (issue 11): the JSON API's shapes and calls (/api/v1/stats, docs/api.md), the
// explorer's query as it lives in the page's address, the download and embed addresses, and the
// names of areas in the reader's language. Shared by the /stats pages, the upload page and the
// embedded chart (/embed/stats).
import { api, type CountryCode, type User } from './api';
import { countryName, regionName } from './activities';
import { isStaff } from './session';

// ---- Shapes (the statistics contract) ----

export interface StatsRelease {
  number: number;
  status: 'current' | 'superseded' | string;
  provider: string;
  file_name: string;
  sha256: string;
  format: string;
  observations: number;
  changed: number;
  user_name: string;
  created_at: string;
  note: string;
}

export interface FlowSummary {
  agency: string;
  id: string;
  version: string;
  name: string;
  description: string;
  provider: string;
  series: number;
  observations: number;
  first_period: string;
  last_period: string;
  updated_at: string;
  current: StatsRelease | null;
}

export interface SdmxCode {
  id: string;
  name: string;
  parent?: string;
}

export interface SdmxCodelist {
  agency?: string;
  id: string;
  version?: string;
  name: string;
  codes: SdmxCode[];
}

export interface SdmxComponent {
  id: string;
  name: string;
  codelist: string;
  attachment?: string;
}

export interface DataStructure {
  agency?: string;
  id?: string;
  version?: string;
  name?: string;
  dimensions: SdmxComponent[];
  attributes: SdmxComponent[];
  time_dimension: string;
  primary_measure: string;
  codelists: SdmxCodelist[];
  concepts?: { id: string; name: string }[];
}

export const ROLE_KINDS = ['dimension', 'time', 'value', 'wide_values', 'attribute', 'ignored'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

export interface ColumnRole {
  kind: RoleKind;
  dimension: string;
  measure: string;
}

/** A column mapping (stats::ColumnMapping); fields the page does not edit travel unchanged. */
export interface ColumnMapping {
  columns: string[];
  roles: ColumnRole[];
  wide_dimension: string;
  [other: string]: unknown;
}

export interface Flow extends FlowSummary {
  structure: DataStructure;
  mapping: ColumnMapping | null;
  releases: StatsRelease[];
}

export interface StatsProblem {
  line: number;
  column: string;
  rule: string;
  message: string;
}

export interface InferenceNote {
  column: string;
  rule: string;
  message: string;
}

export interface StatsImportReport {
  format: string;
  applied: boolean;
  inference: { structure: DataStructure; mapping: ColumnMapping; notes: InferenceNote[]; preview_observations: number } | null;
  rows: number;
  observations: number;
  added: number;
  replaced: number;
  deleted: number;
  unchanged: number;
  series: number;
  problems: StatsProblem[];
  problem_count: number;
  ignored_columns: string[];
  release: StatsRelease | null;
}

export interface DataAnswer {
  periods: string[];
  dimensions: { id: string; name: string; values: { id: string; name: string }[] }[];
  series: { key: string[]; names: string[]; derived: boolean; values: (number | null)[] }[];
  observations: number;
}

// ---- Calls ----

const flowPath = (agency: string, id: string) => `/stats/flows/${encodeURIComponent(agency)}/${encodeURIComponent(id)}`;

export const loadFlows = () => api.get<{ items: FlowSummary[] }>('/stats/flows').then((r) => r.data.items);
export const loadFlow = (agency: string, id: string) => api.get<Flow>(flowPath(agency, id)).then((r) => r.data);
export const loadData = (agency: string, id: string, q: ExplorerQuery, dimensions: string[], signal?: AbortSignal) =>
  api.get<DataAnswer>(`${flowPath(agency, id)}/data${dataParams(q, dimensions)}`, { signal }).then((r) => r.data);
export const saveFlow = (agency: string, id: string, body: { name: string; description: string; structure: DataStructure; mapping?: ColumnMapping | null }) =>
  api.put<Flow>(flowPath(agency, id), body).then((r) => r.data);

export interface UploadOptions {
  infer: boolean;
  dryRun: boolean;
  name?: string;
  fileName: string;
  note?: string;
}

/** Sends a file as it is (the server reads CSV, SDMX-CSV and SDMX-ML) and returns the report. */
export function uploadFile(agency: string, id: string, file: Blob, o: UploadOptions) {
  const q = new URLSearchParams();
  if (o.infer) q.set('infer', '1');
  if (o.dryRun) q.set('dry_run', '1');
  if (o.name) q.set('name', o.name);
  q.set('file_name', o.fileName);
  if (o.note) q.set('note', o.note);
  const type = /\.xml$/i.test(o.fileName) ? 'application/xml' : 'text/csv';
  return api.postRaw<StatsImportReport>(`${flowPath(agency, id)}/uploads?${q}`, file, type).then((r) => r.data);
}

// ---- Who may upload (mirrors the server's rule; the server decides) ----

/** The agency a signed-in member of an organisation uploads under: its id in upper case. */
export const agencyOf = (u: User | null | undefined): string | null => (u?.organization_id ? u.organization_id.toUpperCase() : null);

/** Member or focal point of an organisation (their own agency), secretariat, admin. */
export function canUploadStats(u: User | null | undefined): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || ((u.role === 'member' || u.role === 'focal_point') && !!u.organization_id);
}

export function canUploadTo(u: User | null | undefined, agency: string): boolean {
  return canUploadStats(u) && (isStaff(u) || agencyOf(u) === agency.toUpperCase());
}

// ---- The explorer's query, kept in the address ----

export const CHARTS = ['line', 'bar', 'flow', 'map', 'table'] as const;
export type ChartKind = (typeof CHARTS)[number];
export const AGGREGATES = ['', 'world', 'region', 'subregion', 'intermediate'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
export const PER_SCALES = ['100', '1000', '100000'] as const;
export type PerScale = (typeof PER_SCALES)[number];

export interface ExplorerQuery {
  /** Chosen codes per dimension id (absent or empty: every code). */
  codes: Record<string, string[]>;
  start: string;
  end: string;
  aggregate: Aggregate;
  /** Per 1,000 population of this flow (`AGENCY:ID`), '' = the values as given. */
  perCapita: string;
  /** With perCapita: per how many people (100 = the share in percent). */
  per: PerScale;
  chart: ChartKind;
  /** For the bar chart and the map: which dimension's codes are compared. */
  by: string;
  /** For the bar chart, the map and the flow chart: the period shown ('' = the latest). */
  period: string;
  /** Every code of every dimension asked for on purpose (`all=1`), not a first visit. */
  all: boolean;
}

const DIM_PREFIX = 'd.';

/** The query in an address's parameters (`d.REF_AREA=FRA+DEU&start=1990&chart=line`). */
export function readQuery(search: URLSearchParams): ExplorerQuery {
  const codes: Record<string, string[]> = {};
  for (const [k, v] of search) {
    if (k.startsWith(DIM_PREFIX) && v) codes[k.slice(DIM_PREFIX.length)] = v.split('+').filter(Boolean);
  }
  const chart = search.get('chart') ?? 'line';
  const aggregate = search.get('aggregate') ?? '';
  return {
    codes,
    start: search.get('start') ?? '',
    end: search.get('end') ?? '',
    aggregate: (AGGREGATES as readonly string[]).includes(aggregate) ? (aggregate as Aggregate) : '',
    perCapita: /^[A-Za-z0-9_@$-]+:[A-Za-z0-9_@$-]+$/.test(search.get('per_capita') ?? '') ? (search.get('per_capita') as string) : '',
    per: (PER_SCALES as readonly string[]).includes(search.get('per') ?? '') ? (search.get('per') as PerScale) : '1000',
    chart: (CHARTS as readonly string[]).includes(chart) ? (chart as ChartKind) : 'line',
    by: search.get('by') ?? '',
    period: search.get('period') ?? '',
    all: search.get('all') === '1',
  };
}

/** The address parameters of a query (the inverse of readQuery), stable in order. */
export function writeQuery(q: ExplorerQuery, dimensions: string[]): URLSearchParams {
  const p = new URLSearchParams();
  for (const d of dimensions) if (q.codes[d]?.length) p.set(DIM_PREFIX + d, q.codes[d].join('+'));
  if (![...p.keys()].length) p.set('all', '1');
  if (q.start) p.set('start', q.start);
  if (q.end) p.set('end', q.end);
  if (q.aggregate) p.set('aggregate', q.aggregate);
  if (q.perCapita) p.set('per_capita', q.perCapita);
  if (q.perCapita && q.per !== '1000') p.set('per', q.per);
  if (q.chart !== 'line') p.set('chart', q.chart);
  if (q.by) p.set('by', q.by);
  if (q.period) p.set('period', q.period);
  return p;
}

/** The SDMX key of a query: codes joined by `+`, dimensions by `.`, empty = any (`FRA+DEU..`). */
export function sdmxKey(q: ExplorerQuery, dimensions: string[]): string {
  return dimensions.map((d) => (q.codes[d] ?? []).join('+')).join('.');
}

/** The country dimension the regional aggregates sum over: REF_AREA, else the first *_AREA. */
export function aggregateDimension(dimensions: string[]): string {
  return dimensions.includes('REF_AREA') ? 'REF_AREA' : (dimensions.find((d) => /AREA/.test(d)) ?? '');
}

/** The periods, aggregates and per-capita parameters both the data API and SDMX REST take. */
function derivedParams(q: ExplorerQuery, dimensions: string[], p: URLSearchParams): void {
  if (q.start) p.set('startPeriod', q.start);
  if (q.end) p.set('endPeriod', q.end);
  const dim = aggregateDimension(dimensions);
  if (q.aggregate) {
    p.set('aggregate', q.aggregate);
    if (dim) p.set('aggregate_dimension', dim);
  }
  if (q.perCapita && dim) {
    p.set('per_capita', q.perCapita);
    if (q.per !== '1000') p.set('per_capita_per', q.per);
  }
}

/** The data API's parameters for a query on a flow with these dimensions (key order). */
function dataParams(q: ExplorerQuery, dimensions: string[]): string {
  const p = new URLSearchParams();
  const key = sdmxKey(q, dimensions);
  if (key.replace(/\./g, '')) p.set('key', key);
  derivedParams(q, dimensions, p);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// ---- Downloads, link and embed ----

export interface Downloads {
  sdmxCsv: string;
  csv: string;
  xlsx: string;
}

/** The three downloads of what the explorer shows: SDMX-CSV, plain CSV and Excel. */
export function downloadLinks(agency: string, id: string, q: ExplorerQuery, dimensions: string[]): Downloads {
  const key = sdmxKey(q, dimensions);
  const sdmx = new URLSearchParams();
  derivedParams(q, dimensions, sdmx);
  const base = `/sdmx/data/${encodeURIComponent(agency)},${encodeURIComponent(id)}/${key.replace(/\./g, '') ? encodeURIComponent(key).replace(/%2B/g, '+') : 'all'}`;
  const withFormat = (f: string) => {
    const p = new URLSearchParams(sdmx);
    p.set('format', f);
    return `${base}?${p}`;
  };
  return { sdmxCsv: withFormat('csvfile'), csv: withFormat('plaincsv'), xlsx: `/api/v1${flowPath(agency, id)}/data.xlsx${dataParams(q, dimensions)}` };
}

/** The explorer's address (to share) and the embedded chart's (for an <iframe>). */
export function shareLinks(agency: string, id: string, q: ExplorerQuery, dimensions: string[]): { link: string; embed: string } {
  const params = writeQuery(q, dimensions);
  const s = params.toString();
  const link = `${location.origin}/stats/${encodeURIComponent(agency)}/${encodeURIComponent(id)}${s ? `?${s}` : ''}`;
  const e = new URLSearchParams({ flow: `${agency},${id}` });
  for (const [k, v] of params) e.set(k, v);
  return { link, embed: `${location.origin}/embed/stats?${e}` };
}

// ---- Area names in the reader's language ----

export interface Places {
  /** ISO 3166 alpha-3 → the country's codelist entry. */
  byIso3: Map<string, CountryCode>;
}

export function placesOf(countries: CountryCode[]): Places {
  return { byIso3: new Map(countries.filter((c) => c.iso3).map((c) => [c.iso3, c])) };
}

/**
 * A code's name for the reader: a country (ISO alpha-3) or an M49 region in the reader's
 * language where the app knows it, else the dataflow's own (English) name.
 */
export function codeName(places: Places | undefined, code: string, english: string): string {
  const c = places?.byIso3.get(code);
  if (c) return countryName(c.code, english || c.name);
  if (/^\d{3}$/.test(code)) return regionName(code, english);
  return english || code;
}

/** The UN M49 region (`002` Africa…) of an ISO alpha-3 country, or null (historical, unknown). */
export function regionOf(places: Places | undefined, code: string): string | null {
  return places?.byIso3.get(code)?.region || null;
}

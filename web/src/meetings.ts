// Meetings, minutes and actions (issue 12): the shapes of /api/v1/meetings…, /actions… and the
// iCal feeds (docs/meetings.md), who may do what (the access rules of the meetings module), and
// times shown in a meeting's zone and the reader's.
import { api, getCsrfToken, listAll, query, type List, type User } from './api';
import { formatLocale, formatMebibytes, formatNumber } from './format';
import { isStaff } from './session';
import './meetings.css';

export type MeetingStatus = 'planned' | 'held' | 'cancelled' | 'postponed';
export const MEETING_STATUSES: MeetingStatus[] = ['planned', 'held', 'cancelled', 'postponed'];
export type SeriesLevel = 'principals' | 'working' | 'task_force' | 'other';
export const SERIES_LEVELS: SeriesLevel[] = ['principals', 'working', 'task_force', 'other'];
export type AttendanceLevel = 'executive_head' | 'senior' | 'working' | 'observer';
export const ATTENDANCE_LEVELS: AttendanceLevel[] = ['executive_head', 'senior', 'working', 'observer'];
export type MinutesStatus = 'draft' | 'circulated' | 'approved';
export type ActionStatus = 'open' | 'in_progress' | 'done' | 'dropped';
export const ACTION_STATUSES: ActionStatus[] = ['open', 'in_progress', 'done', 'dropped'];

export interface Ref {
  id: string;
  name: string;
}

export interface Meeting {
  id: number;
  series: { id: number; name: string; level: SeriesLevel } | null;
  title: string;
  starts_local: string;
  ends_local: string;
  time_zone: string;
  starts_at: string;
  ends_at: string;
  place: string;
  /** Omitted for anonymous readers and stakeholders. */
  link?: string;
  chair: Ref;
  chair_from_rotation: boolean;
  status: MeetingStatus;
  postponed_to: number | null;
  uid: string;
  sequence: number;
  agenda_count: number;
  minutes_status: MinutesStatus | null;
  etag: string;
}

export interface Series {
  id: number;
  name: string;
  level: SeriesLevel;
  description: string;
  time_zone: string;
  place: string;
  link?: string;
  rule: string;
  first_local: string;
  duration_minutes: number;
  exceptions: string[];
  archived: boolean;
  next_meeting: Meeting | null;
  meetings_count: number;
  etag?: string;
}

export interface Paper {
  id: number;
  title: string;
  url: string | null;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  organization_id: string | null;
  created_at: string;
  href: string;
}

export interface AgendaItem {
  id: number;
  position: number;
  title: string;
  presenter: Ref | null;
  purposes: number[];
  notes: string;
  papers: Paper[];
}

export interface AttendanceRow {
  organization: Ref;
  person: string;
  level: AttendanceLevel;
}

export interface MinutesVersion {
  number: number;
  user_name: string;
  note: string;
  created_at: string;
  text?: string;
}

export interface Minutes {
  status: MinutesStatus;
  comments_until: string | null;
  approved_at: string | null;
  approved_by: string | number | null;
  current_version: number;
  text: string;
  versions: MinutesVersion[];
  etag: string;
}

export interface MinutesComment {
  id: number;
  version: number;
  user_name: string;
  organization_id: string | null;
  text: string;
  created_at: string;
}

export interface Decision {
  id: number;
  agenda_item_id: number | null;
  text: string;
  created_at: string;
}

export interface Action {
  id: number;
  meeting: { id: number; title: string } | null;
  decision_id: number | null;
  initiative_id: number | null;
  title: string;
  description: string;
  owner: Ref;
  due_date: string;
  status: ActionStatus;
  overdue: boolean;
  notes_count: number;
  created_at: string;
  updated_at: string;
  etag: string;
}

export interface ActionNote {
  id: number;
  user_name: string;
  status: ActionStatus | null;
  text: string;
  created_at: string;
}

// ---- Who may do what (the server decides; the app only hides what would be refused) ----

/** A signed-in user of a member organisation (focal point or member). */
export const isMemberStaff = (u: User | null | undefined): boolean => !!u && (u.role === 'focal_point' || u.role === 'member') && !!u.organization_id;
/** Papers, attendance, draft minutes and actions: staff and member staff. */
export const seesInternals = (u: User | null | undefined): boolean => isStaff(u) || isMemberStaff(u);
export const canPlan = isStaff;
/** Attendance rows of `org`: staff, or member staff of that organisation. */
export const canEditAttendance = (u: User | null | undefined, org: string): boolean => isStaff(u) || (isMemberStaff(u) && u!.organization_id === org);
/** A paper: staff, or member staff of the agenda item's presenter. */
export const canUploadPaper = (u: User | null | undefined, presenter: string | null | undefined): boolean =>
  isStaff(u) || (isMemberStaff(u) && !!presenter && u!.organization_id === presenter);
/** Status and progress notes of an action: staff, or member staff of its owner organisation. */
export const canUpdateAction = (u: User | null | undefined, a: Pick<Action, 'owner'>): boolean => isStaff(u) || (isMemberStaff(u) && u!.organization_id === a.owner.id);

// ---- Requests ----

export interface MeetingFilter {
  from?: string;
  to?: string;
  series?: string;
  status?: string;
  organization?: string;
}

export const loadMeetings = (f: MeetingFilter) => listAll<Meeting>(`/meetings${query({ ...f })}`);
export const loadSeries = () => listAll<Series>('/meeting-series');
export const loadMeeting = (id: string) => api.get<Meeting>(`/meetings/${encodeURIComponent(id)}`).then((r) => ({ ...r.data, etag: r.data.etag ?? r.etag ?? '' }));
export const loadAgenda = (id: string) => api.get<List<AgendaItem>>(`/meetings/${encodeURIComponent(id)}/agenda`).then((r) => r.data.items);
export const loadAttendance = (id: string) => api.get<{ items: AttendanceRow[] }>(`/meetings/${encodeURIComponent(id)}/attendance`).then((r) => r.data.items);
export const loadMinutes = (id: string) => api.get<Minutes>(`/meetings/${encodeURIComponent(id)}/minutes`).then((r) => ({ ...r.data, etag: r.data.etag ?? r.etag ?? '' }));
export const loadMinutesVersion = (id: string, n: number) => api.get<MinutesVersion & { text: string }>(`/meetings/${encodeURIComponent(id)}/minutes/versions/${n}`).then((r) => r.data);
export const loadDecisions = (id: string) => api.get<List<Decision>>(`/meetings/${encodeURIComponent(id)}/decisions`).then((r) => r.data.items);
export const loadActions = (f: { organization?: string; status?: string; overdue?: string; meeting?: string }) => listAll<Action>(`/actions${query(f)}`);
export const loadAction = (id: string) => api.get<Action>(`/actions/${encodeURIComponent(id)}`).then((r) => ({ ...r.data, etag: r.data.etag ?? r.etag ?? '' }));
export const loadActionNotes = (id: string | number) => api.get<List<ActionNote>>(`/actions/${id}/notes`).then((r) => r.data.items);
/** An organisation's open and in-progress actions, soonest due first: the first `limit` items, with
 * `total` (all its open and in-progress actions) and `overdue` counting them all. */
export interface OrgActions extends List<Action> {
  overdue: number;
}
export const loadOrgActions = (org: string, limit = 100) => api.get<OrgActions>(`/organizations/${encodeURIComponent(org)}/actions?limit=${limit}`).then((r) => r.data);

/** The largest paper the server takes (docs/meetings.md). */
export const MAX_PAPER_BYTES = 20 * 1024 * 1024;
/** File types the server takes, checked again by content there. */
export const PAPER_ACCEPT = '.pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.txt,.md,.png,.jpg,.jpeg';
const PAPER_EXTENSIONS = PAPER_ACCEPT.split(',');
export function paperTypeAllowed(name: string): boolean {
  const lower = name.toLowerCase();
  return PAPER_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Uploads a paper's raw bytes (POST /meetings/{id}/papers?title=&file_name=&agenda_item_id=) with
 * XMLHttpRequest, so the reader sees the progress; the CSRF token is the session's (api.ts).
 */
export function uploadPaper(meetingId: number, file: File, title: string, agendaItemId: number | null, onProgress: (fraction: number) => void): Promise<Paper> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = query({ title, file_name: file.name, agenda_item_id: agendaItemId ?? undefined });
    xhr.open('POST', `/api/v1/meetings/${meetingId}/papers${q}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new UploadError(0, 'network', ''));
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string } } | Paper | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Paper);
      else {
        const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
        reject(new UploadError(xhr.status, err?.code ?? `http_${xhr.status}`, err?.message ?? ''));
      }
    };
    xhr.send(file);
  });
}

export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---- iCal feeds (H-ical): public, absolute URLs to paste into a calendar ----

export function icalUrl(kind: 'all' | 'series' | 'organization', id?: string | number): string {
  const path = kind === 'all' ? '/ical/meetings.ics' : kind === 'series' ? `/ical/series/${encodeURIComponent(String(id))}.ics` : `/ical/organizations/${encodeURIComponent(String(id))}.ics`;
  return `${location.origin}${path}`;
}

// ---- Times ----

/** An instant in a zone: "Thu 10 Dec 2026, 17:00" (date and time, the UI's language). */
export function formatInZone(instant: string, timeZone: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  try {
    return new Intl.DateTimeFormat(formatLocale(), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(d);
  } catch {
    return instant; // a zone this browser does not know
  }
}

/** Only the time of day of an instant in a zone: "17:00". */
export function formatTimeInZone(instant: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(formatLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(instant));
  } catch {
    return instant;
  }
}

/** The reader's own zone (the browser's). */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The calendar date (YYYY-MM-DD) of an instant in the reader's zone. */
export function localDay(instant: string): string {
  const d = new Date(instant);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Today in the reader's zone, YYYY-MM-DD. */
export function today(): string {
  return localDay(new Date().toISOString());
}

/** The weeks of a month (YYYY-MM) as rows of 7 days (Monday first), null outside the month. */
export function monthGrid(month: string): (string | null)[][] {
  const [y, m] = month.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array(lead).fill(null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  const rows: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return rows;
}

/** YYYY-MM shifted by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Weekday names, Monday first, in the UI's language ("Mon"…). */
export function weekdayNames(): string[] {
  const f = new Intl.DateTimeFormat(formatLocale(), { weekday: 'short', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 1 Jan 2024: a Monday
}

// ---- Recurrence presets (the RRULE subset the server reads, meetings/recurrence.h) ----

export const RULE_PRESETS = ['none', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type RulePreset = (typeof RULE_PRESETS)[number];
const PRESET_RULES: Record<Exclude<RulePreset, 'none'>, string> = {
  monthly: 'FREQ=MONTHLY;INTERVAL=1',
  quarterly: 'FREQ=MONTHLY;INTERVAL=3',
  half_yearly: 'FREQ=MONTHLY;INTERVAL=6',
  yearly: 'FREQ=YEARLY;INTERVAL=1',
};

/** A rule from a preset and its bound (COUNT or UNTIL: the server refuses an unbounded rule). */
export function ruleOf(preset: RulePreset, count: number): string {
  if (preset === 'none') return '';
  return `${PRESET_RULES[preset]};COUNT=${count}`;
}

/** The preset a stored rule came from, or null for one written by hand. */
export function presetOf(rule: string): RulePreset | null {
  if (!rule) return 'none';
  const base = rule
    .split(';')
    .filter((p) => !/^(COUNT|UNTIL)=/.test(p))
    .join(';');
  const found = (Object.keys(PRESET_RULES) as Exclude<RulePreset, 'none'>[]).find((k) => PRESET_RULES[k] === base || PRESET_RULES[k].replace(';INTERVAL=1', '') === base);
  return found ?? null;
}

/** Zones offered in the forms: the browser's list when it has one. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Europe/Zurich', 'America/New_York'];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** A paper's size: "3 kB" under a mebibyte, else formatMebibytes ("4.2 MiB"). */
export function paperSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return formatMebibytes(bytes);
  return formatNumber(Math.max(1, Math.round(bytes / 1024)), { style: 'unit', unit: 'kilobyte' });
}

// Common positions, endorsement rounds, delegations, notifications and initiatives (issue 12):
// the shapes of the API (/work/notes/meet-contract.md, docs/positions.md) and small helpers the
// pages share. Words live under `positions.`, `notifications.` and `initiatives.`.
import { api, listAll, query, type List, type User } from './api';
import { isStaff } from './session';
import { formatLocale } from './format';
import './positions.css';

export type PositionStatus = 'draft' | 'consultation' | 'endorsement' | 'adopted' | 'not_adopted' | 'withdrawn';
export const POSITION_STATUSES: PositionStatus[] = ['draft', 'consultation', 'endorsement', 'adopted', 'not_adopted', 'withdrawn'];
export type Rule = 'consensus' | 'silence';
export type Stand = 'endorse' | 'object' | 'abstain';

export interface OrgName {
  id: string;
  name: string;
}

export interface MatrixRow {
  organization: OrgName;
  stand: Stand | null;
  reason: string;
  user_name: string;
  as_delegate: boolean;
  created_at: string | null;
  /** The organisation left the GMG during the round (it dropped out of the electorate). */
  left?: boolean;
}

export interface Tally {
  endorse: number;
  object: number;
  abstain: number;
  silent: number;
}

export interface Round {
  id: number;
  version_number: number;
  rule: Rule;
  deadline: string;
  opened_at: string;
  status: 'open' | 'closed' | 'cancelled';
  outcome: 'adopted' | 'not_adopted' | null;
  tally: Tally | null;
  closed_at: string | null;
  closed_by: string | null;
  matrix: MatrixRow[];
  my_organizations: string[];
}

export interface Position {
  id: number;
  title: string;
  themes: string[];
  lead: OrgName;
  status: PositionStatus;
  current_version: number;
  consultation_until: string | null;
  adopted_at: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string;
  text: string;
  open_round: Round | null;
  etag: string;
}

export interface Version {
  number: number;
  title: string;
  text: string;
  user_name: string;
  note: string;
  created_at: string;
}

export interface PositionComment {
  id: number;
  version: number;
  user_name: string;
  organization_id: string | null;
  text: string;
  created_at: string;
}

export interface Delegation {
  id: number;
  organization_id: string;
  delegate: { id: number; name: string };
  granted_by: number | string;
  round_id: number | null;
  created_at: string;
  revoked_at: string | null;
}

export interface AppNotification {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string;
  read: boolean;
  created_at: string;
}

export type Channel = 'inapp' | 'email' | 'digest' | 'none';
export const CHANNELS: Channel[] = ['inapp', 'email', 'digest', 'none'];
/** The kinds of notification (src/notifications/notification.h NotificationKind). */
export const NOTIFICATION_KINDS = ['round_opened', 'round_deadline_soon', 'round_outcome', 'minutes_circulated', 'action_assigned', 'action_overdue'] as const;

export interface Preferences {
  kinds: Record<string, Channel>;
  digest_hour: number;
}

// GET /organizations/{id}/users: an organisation's active users, for its own staff.
export interface OrganizationUser {
  id: number;
  name: string;
  role: 'admin' | 'secretariat' | 'focal_point' | 'member' | 'stakeholder';
}

export interface Initiative {
  id: number;
  slug: string;
  title: string;
  description: string;
  started_on: string;
  ended_on: string | null;
  status: 'open' | 'concluded';
  contributions_count: number;
  /** The contract's shape; a server may give only {id, href}. */
  links: { meetings: { id: number; href: string; title: string; starts_at: string; status: 'planned' | 'held' | 'cancelled' | 'postponed' }[]; positions: { id: number; href: string; title: string; status: PositionStatus }[] };
}

export type ContributionKind = 'paper' | 'event' | 'commitment';
export const CONTRIBUTION_KINDS: ContributionKind[] = ['paper', 'event', 'commitment'];

export interface Contribution {
  id: number;
  organization: OrgName;
  kind: ContributionKind;
  title: string;
  description: string;
  url: string;
  date: string;
  created_at: string;
}

export interface FollowUpAction {
  id: number;
  title: string;
  owner: OrgName;
  due_date: string;
  status: 'open' | 'in_progress' | 'done' | 'dropped';
  overdue: boolean;
}

/** Staff, focal points and members of an organisation: they read drafts and rounds. */
export function isMemberStaff(u: User | null | undefined): boolean {
  return !!u && (u.role === 'focal_point' || u.role === 'member') && !!u.organization_id;
}

export function readsDrafts(u: User | null | undefined): boolean {
  return isStaff(u) || isMemberStaff(u);
}

export function isLeadStaff(u: User | null | undefined, p: Position): boolean {
  return isStaff(u) || (isMemberStaff(u) && u!.organization_id === p.lead.id);
}

export function isLeadFocalPoint(u: User | null | undefined, p: Position): boolean {
  return isStaff(u) || (!!u && u.role === 'focal_point' && u.organization_id === p.lead.id);
}

export const positionPath = (id: number | string) => `/positions/${encodeURIComponent(String(id))}`;

export async function loadPositions(status: string, cursor: string | null): Promise<List<Position>> {
  const r = await api.get<List<Position>>(`/positions${query({ status, limit: 50, cursor })}`);
  return r.data;
}

export async function loadPosition(id: string): Promise<Position> {
  const r = await api.get<Position>(positionPath(id));
  return { ...r.data, etag: r.data.etag ?? r.etag ?? '' };
}

export const loadVersions = (id: string) => listAll<Version>(`${positionPath(id)}/versions`);
export const loadVersion = (id: string, n: number) => api.get<Version>(`${positionPath(id)}/versions/${n}`).then((r) => r.data);
export const loadComments = (id: string) => listAll<PositionComment>(`${positionPath(id)}/comments`);
export const loadRounds = (id: string) => listAll<Round>(`${positionPath(id)}/rounds`);
export const loadRound = (id: string, r: number) => api.get<Round>(`${positionPath(id)}/rounds/${r}`).then((x) => x.data);

/** The unread count for the header's bell. */
export const loadUnread = () => api.get<{ unread: number }>('/notifications/count').then((r) => r.data.unread);

/**
 * A `datetime-local` value (the viewer's own clock) as an RFC 3339 instant with the viewer's
 * offset ("2026-12-10T17:00:00+01:00"), so the server gets the instant the viewer picked.
 */
export function localToInstant(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

/** A Date as a `datetime-local` value in the viewer's clock. */
export function instantToLocal(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Time left until `deadline` in whole days, hours and minutes (never negative). */
export function timeLeft(deadline: string, now: number): { days: number; hours: number; minutes: number; past: boolean } {
  const ms = new Date(deadline).getTime() - now;
  const mins = Math.max(0, Math.floor(ms / 60000));
  return { days: Math.floor(mins / 1440), hours: Math.floor((mins % 1440) / 60), minutes: mins % 60, past: ms <= 0 };
}

/** An instant in the viewer's own time zone, with the zone's name ("10 Dec 2026, 17:00 CET"). */
export function formatLocalInstant(ts: string | null | undefined): string {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return new Intl.DateTimeFormat(formatLocale(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(d);
}

/** Tells the header's bell to ask again (after marking notifications read). */
export const NOTIFICATIONS_CHANGED = 'gmg:notifications-changed';
export function notificationsChanged(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}

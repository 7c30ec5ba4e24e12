// The coherence engine's answers (docs/api.md, "Coherence"; /work/notes contract of issue 10):
// findings of likely duplication or synergy between two organisations' activities, the model's
// weights, gaps and the mandate map. Shared by the Coherence page and the "likely overlaps"
// panels of the activity form and the IATI import preview; its words are in the `overlaps.` area.
import { api, query, type List, type User } from './api';
import { isStaff } from './session';
import { t, tMaybe } from './i18n';
import { formatNumber } from './format';

export type FindingClass = 'duplication' | 'synergy';
export const FINDING_CLASSES: FindingClass[] = ['duplication', 'synergy'];

export type Verdict = 'confirmed_duplication' | 'complementary' | 'unrelated' | 'dismissed';
export const VERDICTS: Verdict[] = ['confirmed_duplication', 'complementary', 'unrelated', 'dismissed'];

/** The comparisons, in the engine's order (the waterfall's rows). */
export const COMPARISONS = ['places', 'themes', 'period', 'type', 'text', 'sectors', 'partners', 'budget'] as const;

export interface FindingActivity {
  id: number;
  version: number;
  title: string;
  title_lang: string;
  organization_id: string;
  organization_name: string;
  type: string;
  countries: string[];
  regions: string[];
  is_global: boolean;
  starts_on: string | null;
  ends_on: string | null;
  contact_email?: string | null;
}

export interface Contribution {
  comparison: string;
  level: string;
  weight: number;
}

export interface Feedback {
  verdict: Verdict;
  comment: string;
  by: string;
  at: string;
}

export interface Finding {
  id: string;
  class: FindingClass;
  probability: number;
  weight: number;
  prior_weight: number;
  text_similarity: number;
  cluster: number;
  cluster_size: number;
  activities: [FindingActivity, FindingActivity];
  contributions: Contribution[];
  shared: {
    countries: string[];
    regions: string[];
    themes: string[];
    sectors: string[];
    partners: string[];
    period: { from: string | null; to: string | null } | null;
  };
  /** English (the CLI's sentence): shown only where the app cannot build its own. */
  summary: string;
  feedback: Feedback | null;
}

export interface AnalysisStatus {
  state: 'ready' | 'analysing';
  analysed_at?: string | null;
  activities?: number;
  findings?: number;
}

export interface FindingList extends List<Finding> {
  status?: AnalysisStatus;
}

/** The filters of GET /coherence/overlaps, kept in the page's address under the same names. */
export const OVERLAP_FILTERS = ['organization', 'country', 'region', 'theme', 'class', 'min_score', 'from', 'to', 'cluster', 'feedback'] as const;
export type OverlapFilter = (typeof OVERLAP_FILTERS)[number];
export type OverlapFilters = Record<OverlapFilter, string>;

export function readOverlapFilters(search: URLSearchParams): OverlapFilters {
  const f = {} as OverlapFilters;
  for (const k of OVERLAP_FILTERS) f[k] = (search.get(k) ?? '').trim();
  return f;
}

export function loadOverlaps(filters: Partial<OverlapFilters>, cursor?: string | null, limit = 20): Promise<FindingList> {
  return api.get<FindingList>(`/coherence/overlaps${query({ ...filters, limit, cursor: cursor ?? undefined })}`).then((r) => r.data);
}

export function loadFinding(id: string): Promise<Finding> {
  return api.get<Finding>(`/coherence/overlaps/${encodeURIComponent(id)}`).then((r) => r.data);
}

export function putFeedback(id: string, verdict: Verdict, comment: string): Promise<Finding> {
  return api.put<Finding>(`/coherence/overlaps/${encodeURIComponent(id)}/feedback`, { verdict, comment }).then((r) => r.data);
}

/** Withdraws the verdict; the finding as it is now (without feedback). */
export function deleteFeedback(id: string): Promise<Finding | null> {
  return api.del<Finding | null>(`/coherence/overlaps/${encodeURIComponent(id)}/feedback`).then((r) => r.data);
}

/** One draft's likely overlaps (POST /coherence/check): `index` is its place in the request. */
export interface CheckAnswer {
  items: { index: number; overlaps: Finding[] }[];
  /** "analysing" while the server has not finished its first analysis (the answer is then empty). */
  status?: AnalysisStatus;
}

/** The likely overlaps of one draft activity (a partial activity input), and whether the server is still analysing. */
export function checkDraft(activity: object, signal?: AbortSignal): Promise<{ findings: Finding[]; analysing: boolean }> {
  return api
    .post<CheckAnswer>('/coherence/check', { activity }, { signal })
    .then((r) => ({ findings: r.data.items[0]?.overlaps ?? [], analysing: r.data.status?.state === 'analysing' }));
}

/** The likely overlaps of up to 100 drafts at once (the import preview). */
export function checkDrafts(activities: object[], signal?: AbortSignal): Promise<CheckAnswer> {
  return api.post<CheckAnswer>('/coherence/check', { activities: activities.slice(0, 100) }, { signal }).then((r) => r.data);
}

// ---- Who may do what (mirrors the contract's access column; the server decides) ----

/** May ask for likely overlaps of a draft: staff of the hub (every signed-in role but stakeholders). */
export function canCheck(u: User | null | undefined): boolean {
  return !!u && u.active !== false && u.role !== 'stakeholder';
}

/** May give feedback on a finding: a focal point of either organisation, secretariat, admin. */
export function canGiveFeedback(u: User | null | undefined, f: Finding): boolean {
  if (!u || u.active === false) return false;
  if (isStaff(u)) return true;
  return u.role === 'focal_point' && f.activities.some((a) => a.organization_id === u.organization_id);
}

/** May re-estimate the model from the feedback. */
export const canEstimate = (u: User | null | undefined): boolean => isStaff(u) && u?.active !== false;

/** May change an organisation's stated mandate themes. */
export function canEditMandate(u: User | null | undefined, orgId: string): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || (u.role === 'focal_point' && u.organization_id === orgId);
}

// ---- Words ----

export const classLabel = (c: FindingClass): string => (c === 'synergy' ? t('overlaps.class.synergy') : t('overlaps.class.duplication'));

/** 0.973 → `97%`. */
export const percent = (p: number): string => formatNumber(p, { style: 'percent', maximumFractionDigits: 0 });

export function verdictLabel(v: string): string {
  return tMaybe(`overlaps.verdict.${v}`) ?? v.replace(/_/g, ' ');
}

/** Where to reach the other organisation: its activity's contact, else its page's focal points. */
export function contactHref(a: FindingActivity, subject?: string): string {
  if (a.contact_email) return `mailto:${a.contact_email}${subject ? `?subject=${encodeURIComponent(subject)}` : ''}`;
  return `/members/${encodeURIComponent(a.organization_id)}#fp-h`;
}

/**
 * The activity of the pair that is not the draft's (`draftId`: 0 for a new one) nor, when both
 * are recorded, the viewer's organisation's (`orgId`).
 */
export function otherOf(f: Finding, draftId: number, orgId?: string | null): FindingActivity {
  const [a, b] = f.activities;
  if (a.id === draftId) return b;
  if (b.id === draftId) return a;
  return orgId && a.organization_id === orgId ? b : a;
}

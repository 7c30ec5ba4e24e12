// Shared by the activity pages: the filters (kept in the address with the API's parameter
// names), reference data loaded once per tab, labels, and who may record or change activities.
import { api, listAll, type About, type Codelists, type Organization, type Theme, type User } from './api';
import { isStaff } from './session';
import { formatMonth } from './format';

// ---- Filters ----

/** The API's filter parameters (docs/activities.md), in the order the filter form shows them. */
export const FILTER_KEYS = ['q', 'organization', 'theme', 'country', 'region', 'type', 'status', 'from', 'to', 'scope'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string>;

export function readFilters(search: URLSearchParams): Filters {
  const f = {} as Filters;
  for (const k of FILTER_KEYS) f[k] = (search.getAll(k).join(',') || '').trim();
  return f;
}

export const hasFilters = (f: Filters): boolean => FILTER_KEYS.some((k) => f[k] !== '');

/** Sort orders of GET /activities (and `relevance` for a text search). */
export const SORTS: { value: string; label: string }[] = [
  { value: '-updated', label: 'Recently updated' },
  { value: 'updated', label: 'Least recently updated' },
  { value: 'title', label: 'Title A–Z' },
  { value: '-title', label: 'Title Z–A' },
  { value: '-starts_on', label: 'Newest start date' },
  { value: 'starts_on', label: 'Oldest start date' },
];

// ---- Reference data: loaded on first use, then kept for the tab ----

const cache = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    // A failed load is retried next time instead of being remembered.
    p.catch(() => cache.delete(key));
  }
  return p;
}

export const loadCodelists = () => once('codelists', () => api.get<Codelists>('/codelists').then((r) => r.data));
export const loadAbout = () => once('about', () => api.get<About>('/about').then((r) => r.data));
export const loadThemes = () => once('themes', () => listAll<Theme>('/themes'));
/** Members (current and former) and partners known from their activities. */
export const loadOrganizations = () =>
  once('organizations', async () => {
    const [all, partners] = await Promise.all([listAll<Organization>('/organizations?status=all'), listAll<Organization>('/organizations?status=partner')]);
    const partnerIds = new Set(partners.map((o) => o.id));
    const members = all.filter((o) => !partnerIds.has(o.id) && (o.status as string) !== 'partner');
    return { members, partners };
  });

/** After the themes admin changes a theme, pages load the taxonomy again. */
export function forgetThemes(): void {
  cache.delete('themes');
}

// ---- Labels ----

export const TYPE_LABELS: Record<string, string> = {
  research: 'Research',
  data_statistics: 'Data and statistics',
  technical_assistance: 'Technical assistance',
  training: 'Training',
  policy_dialogue: 'Policy dialogue',
  operational_programme: 'Operational programme',
  normative: 'Normative work',
  event: 'Event',
};

export const DIMENSION_LABELS: Record<string, string> = {
  human_rights: 'Human rights',
  labour_rights: 'Labour rights',
  human_security: 'Human security',
  criminal_justice: 'Criminal justice',
};

/** IATI ActivityStatus in plain words (the codes stay in the API and the IATI file). */
export const STATUS_LABELS: Record<number, string> = {
  1: 'Planned, not started',
  2: 'Under way',
  3: 'Finishing',
  4: 'Finished',
  5: 'Cancelled',
  6: 'Suspended',
};

/**
 * Classifications kept from IATI that map onto no theme, by the server's vocabulary id:
 * `tag-<IATI TagVocabulary>` or `sector-<IATI SectorVocabulary>`, in plain words.
 */
const TAG_VOCABULARIES: Record<string, string> = {
  'tag-1': 'AGROVOC',
  'tag-2': 'SDG goal',
  'tag-3': 'SDG target',
  'tag-4': 'Team Europe Initiative',
  'tag-99': "Publisher's own tag",
  'sector-1': 'DAC sector',
  'sector-2': 'DAC category',
  'sector-7': 'SDG goal',
  'sector-8': 'SDG target',
  'sector-99': "Publisher's own sector",
};

/** `{vocabulary: 'tag-2', code: '10'}` → `SDG goal 10`. */
export function tagLabel(t: { vocabulary: string; code: string }): string {
  const v = TAG_VOCABULARIES[t.vocabulary] ?? `${t.vocabulary.replace('-', ' ')}:`;
  return `${v} ${t.code}`;
}

/** IATI organisation roles in plain words. */
export const ROLE_LABELS: Record<string, string> = {
  funding: 'Funder (provides the money)',
  accountable: 'Responsible (answers for the activity)',
  extending: 'Fund manager (manages the money for the funder)',
  implementing: 'Implementer (carries it out)',
};

export const VISIBILITY_LABELS: Record<string, string> = {
  public: 'Public (everyone)',
  members: 'GMG members (signed-in staff of members and the secretariat)',
  organization: 'Own organisation only (its staff, admin, secretariat)',
};

/** ISO 639-1 languages offered for titles and descriptions (the six UN languages first). */
export const LANGUAGES: { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'French' },
  { code: 'es', name: 'Spanish' },
  { code: 'ar', name: 'Arabic' },
  { code: 'ru', name: 'Russian' },
  { code: 'zh', name: 'Chinese' },
  { code: 'pt', name: 'Portuguese' },
  { code: 'de', name: 'German' },
  { code: 'it', name: 'Italian' },
  { code: 'nl', name: 'Dutch' },
  { code: 'tr', name: 'Turkish' },
  { code: 'fa', name: 'Persian' },
  { code: 'ur', name: 'Urdu' },
  { code: 'hi', name: 'Hindi' },
  { code: 'bn', name: 'Bengali' },
  { code: 'ne', name: 'Nepali' },
  { code: 'id', name: 'Indonesian' },
  { code: 'sw', name: 'Swahili' },
  { code: 'am', name: 'Amharic' },
  { code: 'uk', name: 'Ukrainian' },
];

export function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

export const typeLabel = (t: string) => TYPE_LABELS[t] ?? t.replace(/_/g, ' ');
export const statusLabel = (s: number, fallback?: string) => STATUS_LABELS[s] ?? fallback ?? String(s);

/** `1200000 EUR` → `€1,200,000` in the reader's language (format.ts). */
export { formatMoney } from './format';

/** `2021-03-01`, `2024-02-29` → `Mar 2021 – Feb 2024`. */
export function formatPeriod(from: string | null, to: string | null): string {
  const m = formatMonth;
  if (!from && !to) return '';
  if (!to) return `from ${m(from)}`;
  if (!from) return `until ${m(to)}`;
  return `${m(from)} – ${m(to)}`;
}

// ---- Who may do what (mirrors the "who" column of docs/activities.md; the server decides) ----

/** May record activities at all: admin, secretariat, or a focal point of an organisation. */
export function canRecordActivities(u: User | null | undefined): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || (u.role === 'focal_point' && !!u.organization_id);
}

/** May change or archive an activity of this organisation. */
export function canEditActivity(u: User | null | undefined, orgId: string): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || (u.role === 'focal_point' && u.organization_id === orgId);
}

/**
 * An amount as people type it: "250,000", "250 000", "1.5" in English; "250 000,50" or
 * "250.000,50" where the reader's locale writes a decimal comma. null when it is not a number.
 */
export function parseAmount(text: string, locale = navigator.language): number | null {
  let s = text.replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const decimalComma = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value === ',';
  if (decimalComma && /,\d{1,2}$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (decimalComma && /^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

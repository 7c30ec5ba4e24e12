// Shared by the activity pages: the filters (kept in the address with the API's parameter
// names), reference data loaded once per tab, labels, and who may record or change activities.
import { api, listAll, type About, type Codelists, type LangText, type Organization, type Theme, type User } from './api';
import { isStaff } from './session';
import { formatLocale, formatMonth } from './format';
import { currentLanguage, t, tMaybe, type MessageId } from './i18n';

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

// ---- Labels (in the language in force: each read goes through the catalogue) ----

/**
 * A table of labels whose values are read from the catalogue at each access, so that code which
 * indexes it or lists its entries (`Object.entries(ROLE_LABELS)`) always gets the language in force.
 */
function labelTable<K extends string | number>(ids: Record<K, MessageId>): Record<K, string> {
  const table = {} as Record<K, string>;
  for (const [k, id] of Object.entries(ids) as [string, MessageId][]) {
    Object.defineProperty(table, k, { get: () => t(id), enumerable: true });
  }
  return table;
}

/** Sort orders of GET /activities (and `relevance` for a text search). */
export const SORTS: { value: string; label: string }[] = (
  [
    ['-updated', 'activities.sort.updatedDesc'],
    ['updated', 'activities.sort.updatedAsc'],
    ['title', 'activities.sort.titleAsc'],
    ['-title', 'activities.sort.titleDesc'],
    ['-starts_on', 'activities.sort.startDesc'],
    ['starts_on', 'activities.sort.startAsc'],
  ] as [string, MessageId][]
).map(([value, id]) => ({
  value,
  get label() {
    return t(id);
  },
}));

export const TYPE_LABELS: Record<string, string> = labelTable({
  research: 'labels.type.research',
  data_statistics: 'labels.type.data_statistics',
  technical_assistance: 'labels.type.technical_assistance',
  training: 'labels.type.training',
  policy_dialogue: 'labels.type.policy_dialogue',
  operational_programme: 'labels.type.operational_programme',
  normative: 'labels.type.normative',
  event: 'labels.type.event',
});

export const DIMENSION_LABELS: Record<string, string> = labelTable({
  human_rights: 'labels.dimension.human_rights',
  labour_rights: 'labels.dimension.labour_rights',
  human_security: 'labels.dimension.human_security',
  criminal_justice: 'labels.dimension.criminal_justice',
});

/** IATI ActivityStatus in plain words (the codes stay in the API and the IATI file). */
export const STATUS_LABELS: Record<number, string> = labelTable({
  1: 'labels.status.1',
  2: 'labels.status.2',
  3: 'labels.status.3',
  4: 'labels.status.4',
  5: 'labels.status.5',
  6: 'labels.status.6',
});

/**
 * Classifications kept from IATI that map onto no theme, by the server's vocabulary id:
 * `tag-<IATI TagVocabulary>` or `sector-<IATI SectorVocabulary>`, in plain words.
 */
const TAG_VOCABULARIES: Record<string, string> = labelTable({
  'tag-1': 'labels.tag.agrovoc',
  'tag-2': 'labels.tag.sdgGoal',
  'tag-3': 'labels.tag.sdgTarget',
  'tag-4': 'labels.tag.teamEurope',
  'tag-99': 'labels.tag.ownTag',
  'sector-1': 'labels.tag.dacSector',
  'sector-2': 'labels.tag.dacCategory',
  'sector-7': 'labels.tag.sdgGoal',
  'sector-8': 'labels.tag.sdgTarget',
  'sector-99': 'labels.tag.ownSector',
});

/** `{vocabulary: 'tag-2', code: '10'}` → `SDG goal 10`; an unknown vocabulary as `tag 5: 10`. */
export function tagLabel(tag: { vocabulary: string; code: string }): string {
  const v = TAG_VOCABULARIES[tag.vocabulary];
  return v ? t('labels.tag.known', { vocabulary: v, code: tag.code }) : t('labels.tag.other', { vocabulary: tag.vocabulary.replace('-', ' '), code: tag.code });
}

// IATI SectorVocabulary codes with a name of their own ("" is 1, the default).
const SECTOR_VOCABULARIES: Record<string, string> = labelTable({
  '1': 'labels.tag.dacSector',
  '2': 'labels.tag.dacCategory',
  '7': 'labels.tag.sdgGoal',
  '8': 'labels.tag.sdgTarget',
  '9': 'labels.sectorVocabulary.sdgIndicator',
  '10': 'labels.sectorVocabulary.clusters',
  '98': 'labels.tag.ownSector',
  '99': 'labels.tag.ownSector',
});

/**
 * The sector vocabularies a form offers, as "<code> — <name>" (IATI SectorVocabulary), plus
 * `current` when it is another one (an imported sector's): `value` is the vocabulary's code.
 */
export function sectorVocabularyOptions(current: string): { value: string; label: string }[] {
  const codes = Object.keys(SECTOR_VOCABULARIES).sort((a, b) => Number(a) - Number(b));
  if (current && !codes.includes(current)) codes.push(current);
  return codes.map((v) => ({
    value: v,
    label: `${v} — ${SECTOR_VOCABULARIES[v] ?? t('labels.sectorVocabulary.numbered', { vocabulary: v })}`,
  }));
}

/** A sector as "<vocabulary name> <code>", e.g. "DAC sector 72010". */
export function sectorLabel(sector: { vocabulary: string; code: string }): string {
  const v = sector.vocabulary || '1';
  const name = SECTOR_VOCABULARIES[v] ?? t('labels.sectorVocabulary.numbered', { vocabulary: v });
  return t('labels.tag.known', { vocabulary: name, code: sector.code });
}

const TRANSACTION_TYPES: Record<string, string> = labelTable({
  '1': 'labels.transactionType.1',
  '2': 'labels.transactionType.2',
  '3': 'labels.transactionType.3',
  '4': 'labels.transactionType.4',
  '5': 'labels.transactionType.5',
  '6': 'labels.transactionType.6',
  '7': 'labels.transactionType.7',
  '8': 'labels.transactionType.8',
  '9': 'labels.transactionType.9',
  '10': 'labels.transactionType.10',
  '11': 'labels.transactionType.11',
  '12': 'labels.transactionType.12',
  '13': 'labels.transactionType.13',
});

/** An IATI TransactionType code (1..13) in plain words; the code itself when unknown. */
export function transactionTypeLabel(code: string): string {
  return TRANSACTION_TYPES[code] ?? code;
}

/** IATI organisation roles in plain words. */
export const ROLE_LABELS: Record<string, string> = labelTable({
  funding: 'labels.role.funding',
  accountable: 'labels.role.accountable',
  extending: 'labels.role.extending',
  implementing: 'labels.role.implementing',
});

export const VISIBILITY_LABELS: Record<string, string> = labelTable({
  public: 'labels.visibility.public',
  members: 'labels.visibility.members',
  organization: 'labels.visibility.organization',
});

const displayNames = new Map<string, Intl.DisplayNames | null>();
/** Intl's names of languages or regions in the reader's language (null where Intl has none). */
function intlName(type: 'language' | 'region', code: string): string | null {
  const locale = formatLocale();
  const key = `${type}|${locale}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([locale], { type, fallback: 'none' }));
    } catch {
      displayNames.set(key, null);
    }
  }
  try {
    return displayNames.get(key)?.of(code) ?? null;
  } catch {
    return null; // not a well-formed code
  }
}

/** A language's name in the reader's language (Intl.DisplayNames): `fr` → French / français / francés. */
export function languageName(code: string): string {
  return intlName('language', code) ?? code;
}

/** ISO 639-1 languages offered for titles and descriptions (the six UN languages first), named in the reader's language. */
export const LANGUAGES: { code: string; name: string }[] = ['en', 'fr', 'es', 'ar', 'ru', 'zh', 'pt', 'de', 'it', 'nl', 'tr', 'fa', 'ur', 'hi', 'bn', 'ne', 'id', 'sw', 'am', 'uk'].map((code) => ({
  code,
  get name() {
    return languageName(code);
  },
}));

/**
 * A country's name in the reader's language: Intl's (CLDR) name for the ISO code; in English the
 * name the server's codelist gives (`english`), as in downloads and search.
 */
export function countryName(code: string, english?: string): string {
  if (currentLanguage() === 'en' && english) return english;
  return intlName('region', code) ?? english ?? code;
}

/** A UN M49 region or country group (`002`, `419`, `LDC`) in the reader's language, from the catalogue's `region.<code>`. */
export function regionName(code: string, english?: string): string {
  return tMaybe(`region.${code}`) ?? english ?? code;
}

/** Names in a run of text: `Kenya, Uganda` / `كينيا، أوغندا`. */
export function joinList(names: string[]): string {
  return names.join(t('activities.listSeparator'));
}

/** Compares names in the reader's language (for sorted option lists). */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, formatLocale());
}

// ---- Text in several languages ----

/** One of an activity's texts, and whether it is in the reader's language. */
export interface ShownText {
  text: string;
  lang: string;
  /** The reader's language: no note needed. */
  readers: boolean;
}

/** The base ISO 639-1 code of a tag (`fr-CA` → `fr`). */
const baseLang = (tag: string) => tag.toLowerCase().split('-')[0];

/**
 * Of a text in several languages, the one in the reader's language, else the first (the
 * activity's primary language). null when there is none.
 */
export function pickText(texts: LangText[]): ShownText | null {
  if (texts.length === 0) return null;
  const reader = currentLanguage();
  const mine = texts.find((x) => baseLang(x.lang) === reader);
  const shown = mine ?? texts[0];
  return { text: shown.text, lang: shown.lang, readers: baseLang(shown.lang) === reader };
}

/** "(in English)": says which language a text is in when it is not the reader's. */
export function inLanguageNote(lang: string): string {
  return t('activities.inLanguage', { language: languageName(lang) });
}

export const typeLabel = (type: string) => TYPE_LABELS[type] ?? type.replace(/_/g, ' ');
export const statusLabel = (s: number, fallback?: string) => STATUS_LABELS[s] ?? fallback ?? String(s);

/** `1200000 EUR` → `€1,200,000` in the reader's language (format.ts). */
export { formatMoney } from './format';

/** `2021-03-01`, `2024-02-29` → `Mar 2021 – Feb 2024`. */
export function formatPeriod(from: string | null, to: string | null): string {
  const m = formatMonth;
  if (!from && !to) return '';
  if (!to) return t('activities.period.from', { date: m(from) });
  if (!from) return t('activities.period.until', { date: m(to) });
  return t('activities.period.range', { from: m(from), to: m(to) });
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

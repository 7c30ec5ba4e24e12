// The web app's languages: which one is in force, its message catalogue, and `t()`.
//
// Messages are ICU MessageFormat ("{count, plural, one {# member} other {# members}}") in
// src/locales/<lang>.json, flat keys named `<area>.<thing>` (area = the file or page:
// `shell.`, `home.`, `signin.`, `error.`…). The catalogues are compiled at build time and split
// by language and by area (vite-catalogs.mjs), so only @lingui/core's small runtime ships and a
// page fetches only its own words:
//   - the core areas (CORE_AREAS: shell, ui, error, role…) every page needs: English's is
//     bundled, another language's is one chunk fetched when that language is chosen;
//   - every other area is its own chunk per language, fetched by `loadAreas` when a page that
//     declares it is shown (lazy.tsx, app.tsx's ROUTES). A language's area is merged over
//     English's, so a key missing from it shows in English (`npm run i18n:check` lists it).
// Changing language fetches the core and the areas in use (those of the pages on screen) before
// switching, so no page shows a word of the old language beside the new one, or a bare id.
//
// Which language: the one the person picked (the header's switcher; kept in localStorage, and
// with the account when signed in), else the first of the browser's languages we have, else
// English. Formatting locale for dates and numbers: the same language (format.ts).
import { i18n } from '@lingui/core';
import type { Messages } from '@lingui/core';
import en from 'virtual:gmg-catalog/en';
import catalogLoaders, { CORE_AREAS } from 'virtual:gmg-catalog/loaders';
import type enSource from './locales/en.json';

/** Every message id: the keys of the English catalogue, checked by the compiler. */
export type MessageId = keyof typeof enSource;
export type Values = Record<string, unknown>;
type AreaOf<K> = K extends `${infer A}.${string}` ? A : never;
/** A catalogue area: the first part of a message id (`chair` for `chair.heading`). */
export type Area = AreaOf<MessageId>;

/** The languages the app offers, each named in its own language (for the switcher). */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

/** The languages the server accepts for an account (the UN's six); we have catalogues for LANGUAGES. */
export const ACCOUNT_LANGUAGES = ['en', 'fr', 'es', 'ar', 'zh', 'ru'] as const;

const STORAGE_KEY = 'gmg.language';

// A copy: Lingui keeps the first object a locale is loaded with and merges later ones into it,
// and `en` must stay English's core alone (it is the fallback under another language's core).
i18n.load('en', { ...en });
i18n.activate('en');

// Catalogue parts: `<lang>/<area>` (`<lang>/core` for the core). `fetched`: the chunk's messages,
// once asked for; `merged`: in i18n's catalogue for that language (over English's).
type Part = Area | 'core';
const fetched = new Map<string, Promise<Messages>>([['en/core', Promise.resolve(en)]]);
const merged = new Set<string>(['en/core']);
/** English's messages fetched so far (tMaybe). */
const english: Messages = { ...en };
/** Areas of the pages on screen (retainAreas), with how many hold each. */
const inUse = new Map<Part, number>();
/** The language being switched to, or the one in force. */
let target: Language = 'en';

function fetchPart(lang: Language, part: Part): Promise<Messages> {
  const key = `${lang}/${part}`;
  let p = fetched.get(key);
  if (!p) {
    const load = catalogLoaders[lang]?.[part];
    p = load ? load().then((m) => m.default) : Promise.resolve({}); // an area English lacks: nothing
    p.catch(() => fetched.delete(key)); // try again next time
    fetched.set(key, p);
  }
  return p;
}

/** Fetches `parts` of `lang` (and of English, its fallback) and merges them into i18n. */
async function ensure(lang: Language, parts: readonly Part[]): Promise<void> {
  await Promise.all(
    parts
      .filter((part) => !merged.has(`${lang}/${part}`))
      .map(async (part) => {
        const [base, own] = await Promise.all([fetchPart('en', part), lang === 'en' ? null : fetchPart(lang, part)]);
        if (!merged.has(`en/${part}`)) {
          i18n.load('en', base);
          Object.assign(english, base);
          merged.add(`en/${part}`);
        }
        if (own && !merged.has(`${lang}/${part}`)) {
          // Lingui's load() merges into what the locale has; English first = the fallback.
          i18n.load(lang, { ...base, ...own });
          merged.add(`${lang}/${part}`);
        }
      }),
  );
}

/** Whether `areas` are in the catalogue of the language in force (a page may render). */
export function areasReady(areas: readonly Area[]): boolean {
  return areas.every((a) => merged.has(`${i18n.locale}/${a}`));
}

/**
 * Fetches `areas` for the language in force and for the one being switched to; resolves when
 * they are in (then `areasReady` is true). Rejects when a chunk cannot be fetched.
 */
export async function loadAreas(areas: readonly Area[]): Promise<void> {
  const langs = new Set<Language>([i18n.locale as Language, target]);
  await Promise.all([...langs].map((l) => ensure(l, areas)));
}

/**
 * Marks `areas` as shown on screen until the returned function is called: a language change
 * fetches them before it switches.
 */
export function retainAreas(areas: readonly Area[]): () => void {
  for (const a of areas) inUse.set(a, (inUse.get(a) ?? 0) + 1);
  return () => {
    for (const a of areas) {
      const n = (inUse.get(a) ?? 1) - 1;
      if (n > 0) inUse.set(a, n);
      else inUse.delete(a);
    }
  };
}

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && LANGUAGES.some((l) => l.code === x);
}

/** The first of `preferred` (BCP 47 tags, most wanted first) we have a catalogue for, or English. */
export function negotiate(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** What the person picked in this browser (null: they have not). */
export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null; // storage refused (privacy mode): follow the browser
  }
}

export function storeLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered in this browser; still in force for this visit
  }
}

/** The language to start in: the stored pick, else the browser's languages. */
export function initialLanguage(): Language {
  return storedLanguage() ?? negotiate(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function currentLanguage(): Language {
  return i18n.locale as Language;
}

export function direction(lang: Language): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? 'ltr';
}

const listeners = new Set<(lang: Language) => void>();

/** Calls `l` after each language change; returns the unsubscribe function. */
export function onLanguageChange(l: (lang: Language) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * Fetches `lang`'s core and the areas in use (English under them for missing keys), makes it the
 * language of `t()`, and sets `<html lang dir>`. Rejects when a chunk cannot be fetched (the
 * language in force stays). When another language is asked for meanwhile, the later one wins.
 */
export async function activate(lang: Language): Promise<void> {
  target = lang;
  try {
    await ensure(lang, ['core', ...inUse.keys()]);
  } catch (e) {
    if (target === lang) target = i18n.locale as Language;
    throw e;
  }
  if (target !== lang) return; // a later choice is under way
  i18n.activate(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  for (const l of listeners) l(lang);
}

/** The message `id` in the language in force, with ICU `values` filled in. */
export function t(id: MessageId, values?: Values): string {
  const area = id.slice(0, id.indexOf('.'));
  if (!CORE_AREAS.includes(area) && !merged.has(`${i18n.locale}/${area}`)) {
    // A page uses an area it does not declare (app.tsx ROUTES): it would show the bare id.
    console.error(`t('${id}'): the "${area}" catalogue area is not loaded; declare it with the page`);
  }
  return i18n._(id, values);
}

/**
 * For ids computed at run time (e.g. `error.${code}`): null when English has no such message
 * in the areas fetched so far (a page's areas are in before it renders).
 */
export function tMaybe(id: string, values?: Values): string | null {
  return id in english ? i18n._(id, values) : null;
}

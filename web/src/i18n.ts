// The web app's languages: which one is in force, its message catalogue, and `t()`.
//
// Messages are ICU MessageFormat ("{count, plural, one {# member} other {# members}}") in
// src/locales/<lang>.json, flat keys named `<area>.<thing>` (area = the file or page:
// `shell.`, `home.`, `signin.`, `error.`…). English is the source and is bundled; the other
// catalogues are separate chunks fetched when the language is chosen, each merged over English
// so a key missing from it shows in English (and `npm run i18n:check` lists it). The catalogues
// are compiled at build time (vite-catalogs.mjs), so only @lingui/core's small runtime ships.
//
// Which language: the one the person picked (the header's switcher; kept in localStorage, and
// with the account when signed in), else the first of the browser's languages we have, else
// English. Formatting locale for dates and numbers: the same language (format.ts).
import { i18n } from '@lingui/core';
import type { Messages } from '@lingui/core';
import en from 'virtual:gmg-catalog/en';
import type enSource from './locales/en.json';

/** Every message id: the keys of the English catalogue, checked by the compiler. */
export type MessageId = keyof typeof enSource;
export type Values = Record<string, unknown>;

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

// Non-English catalogues, one chunk each, fetched on first use.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages }>> = {
  fr: () => import('virtual:gmg-catalog/fr'),
  es: () => import('virtual:gmg-catalog/es'),
  ar: () => import('virtual:gmg-catalog/ar'),
};

i18n.load('en', en);
i18n.activate('en');

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
 * Loads `lang`'s catalogue (English under it for missing keys), makes it the language of `t()`,
 * and sets `<html lang dir>`. Rejects when the catalogue chunk cannot be fetched (the language
 * in force stays).
 */
export async function activate(lang: Language): Promise<void> {
  if (lang !== 'en' && !i18n.messages[lang]) {
    // Lingui's load() merges into what the locale has; English first = the fallback.
    const { default: messages } = await loaders[lang]();
    i18n.load(lang, { ...en, ...messages });
  }
  i18n.activate(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  for (const l of listeners) l(lang);
}

/** The message `id` in the language in force, with ICU `values` filled in. */
export function t(id: MessageId, values?: Values): string {
  return i18n._(id, values);
}

/** For ids computed at run time (e.g. `error.${code}`): null when no catalogue has it. */
export function tMaybe(id: string, values?: Values): string | null {
  return id in en ? i18n._(id, values) : null;
}

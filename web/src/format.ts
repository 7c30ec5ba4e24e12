// Dates, times and numbers in the language in force, through Intl (never by hand).
//
// The formatting locale is the UI language, English as en-GB (day month year, as UN documents
// write it): the same page reads the same for everyone who picked a language, and the browser
// tests can name what they expect. Calendar dates (YYYY-MM-DD) are formatted in UTC so no time
// zone can move them a day.
import { currentLanguage, type Language } from './i18n';

const FORMAT_LOCALE: Record<Language, string> = { en: 'en-GB', fr: 'fr', es: 'es', ar: 'ar' };

export function formatLocale(): string {
  return FORMAT_LOCALE[currentLanguage()] ?? 'en-GB';
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: (locale: string) => T): T {
  const locale = formatLocale();
  const k = `${locale}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (!f) {
    f = make(locale);
    cache.set(k, f);
  }
  return f;
}

/** `2006-05-09` → `9 May 2006` / `9 mai 2006` / `9 may 2006` / `٩ مايو ٢٠٠٦`; anything else as it is. */
export function formatDate(d: string | null | undefined): string {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return cached('date', (l) => new Intl.DateTimeFormat(l, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })).format(date);
}

/** RFC 3339 timestamp → date and time in UTC, e.g. `28 Nov 2026, 18:55 UTC`. */
export function formatTimestamp(ts: string | null | undefined): string {
  if (!ts) return '';
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  return cached(
    'timestamp',
    (l) =>
      new Intl.DateTimeFormat(l, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }),
  ).format(date);
}

/** `2021-03-01` → `Mar 2021` / `mars 2021`; anything else as it is. */
export function formatMonth(d: string | null | undefined): string {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})/.exec(d);
  if (!m) return d;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return cached('month', (l) => new Intl.DateTimeFormat(l, { month: 'short', year: 'numeric', timeZone: 'UTC' })).format(date);
}

/** 1234567.5 → `1,234,567.5` / `1 234 567,5` / `1.234.567,5`. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return cached(`number|${JSON.stringify(options ?? {})}`, (l) => new Intl.NumberFormat(l, options)).format(n);
}

/** An amount in an ISO 4217 currency, cents only when it has some: (750000, 'EUR') → `€750,000` / `750 000 €`. */
export function formatMoney(amount: number, currency: string): string {
  const whole = Number.isInteger(amount);
  try {
    return cached(`money|${currency}|${whole}`, (l) => new Intl.NumberFormat(l, { style: 'currency', currency, maximumFractionDigits: whole ? 0 : 2 })).format(amount);
  } catch {
    return `${formatNumber(amount)} ${currency}`; // not a currency Intl knows
  }
}

/** A size in bytes as MiB with one decimal, e.g. `1.5 MiB`. */
export function formatMebibytes(bytes: number): string {
  return `${formatNumber(bytes / 1048576, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MiB`;
}

// Small shared pieces: data loading, error display, labelled fields, dates.
import { Fragment, type ComponentChildren, type JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ErrorDetail } from './api';
import { currentLanguage, t, tMaybe, type MessageId, type Values } from './i18n';
import { Link } from './router';
import { formatDate as formatDay, formatNumber } from './format';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload()); ignores answers that arrive too late. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Submit {
  busy: boolean;
  error: unknown;
  onSubmit(e: Event): Promise<void>;
}

/**
 * A form that sends one request: `onSubmit` clears the last error, sets `busy` while `send`
 * runs and keeps what it threw as `error` (for ErrorBox and the fields). Forms with their own
 * handling of a 412 or of "nothing changed" keep their own handler.
 */
export function useSubmit(send: () => Promise<void>): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function onSubmit(e: Event) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await send();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, onSubmit };
}

/**
 * What went wrong, in the reader's language. A server error is translated by its stable `code`
 * (`error.<code>` in the catalogue); in English the server's own, more specific message is
 * shown as it is. A 429 adds how long to wait.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const byCode = currentLanguage() === 'en' ? null : tMaybe(`error.${e.code}`);
    const text = byCode ?? e.message;
    if (e.status === 429) {
      const secs = Number(e.retryAfter);
      if (!e.retryAfter || !Number.isFinite(secs)) return text;
      const wait = secs >= 90 ? t('error.retryMinutes', { minutes: Math.ceil(secs / 60) }) : t('error.retrySeconds', { seconds: secs });
      return `${text} ${wait}`;
    }
    return text;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The error in the reader's language and its field problems, announced to screen readers.
 * Field problems are translated from their rule codes (problemText); one the catalogue does not
 * know is the server's English, tagged `lang="en"`.
 */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const details: ErrorDetail[] = error instanceof ApiError ? error.details : [];
  return (
    <div class="error" role="alert" data-testid="error">
      {title && <strong>{title} </strong>}
      <span>{errorMessage(error)}</span>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              {d.field && <code>{d.field}</code>} <span lang={problemText(d).lang}>{problemText(d).text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A translated sentence with elements inside it (a link, a <strong>), kept whole for the
 * translator: `parts` gives the element shown for some of the message's `{name}`s, `values`
 * fills the others as text.
 */
export function Rich({ id, values, parts }: { id: MessageId; values?: Values; parts: Record<string, ComponentChildren> }) {
  const names = Object.keys(parts);
  const marks = Object.fromEntries(names.map((n, i) => [n, `\u2063${i}\u2063`]));
  const pieces = t(id, { ...values, ...marks }).split(/\u2063(\d+)\u2063/);
  return <>{pieces.map((s, i) => (i % 2 ? <Fragment key={i}>{parts[names[Number(s)]]}</Fragment> : s))}</>;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/** What an empty state offers the reader: a page to go to (`href`), a form on this page to start (`focus`, its id), or something to do (`onClick`). */
export interface EmptyAction {
  label: string;
  href?: string;
  focus?: string;
  onClick?(): void;
}

/** Moves the keyboard to the first field of the element with id `id` (a form further down the page). */
export function focusFirstField(id: string): void {
  const box = document.getElementById(id);
  const field = box?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button');
  box?.scrollIntoView({ block: 'start' });
  field?.focus();
}

/**
 * An empty list or section, the same everywhere: what the emptiness means (`message`), what this
 * reader can do about it (`actions`: links or buttons, for a reader who may act) or, for one who
 * may not, what they can do instead (`hint`). Every text is translated by the caller (`empty.`).
 */
export function EmptyState({ message, hint, actions = [], testId = 'empty-state' }: { message: ComponentChildren; hint?: ComponentChildren; actions?: EmptyAction[]; testId?: string }) {
  return (
    <div class="empty-state" data-testid={testId}>
      <p class="empty-message">{message}</p>
      {hint && <p class="hint">{hint}</p>}
      {actions.length > 0 && (
        <p class="empty-actions">
          {actions.map((a) =>
            a.href ? (
              <Link key={a.label} href={a.href} class="button secondary">
                {a.label}
              </Link>
            ) : (
              <button key={a.label} type="button" class="secondary" onClick={() => (a.focus ? focusFirstField(a.focus) : a.onClick?.())}>
                {a.label}
              </button>
            ),
          )}
        </p>
      )}
    </div>
  );
}

/** `what` is a translated phrase without the ellipsis ("Loading members"). */
export function Loading({ what }: { what?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('ui.loading', { what: what ?? t('ui.loadingDefault') })}
    </p>
  );
}

/** Text with blank lines between paragraphs, as paragraphs (each with `lang`/`dir` when given: lang-text.tsx's recordText). */
export function Paragraphs({ text, lang, dir }: { text: string; lang?: string; dir?: 'auto' | 'ltr' | 'rtl' }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i} lang={lang} dir={dir}>
            {p}
          </p>
        ))}
    </>
  );
}

/** A small button in a list row; `what` completes its name for screen readers ("Edit" → "Edit jane@…"). */
export function RowButton({ label, what, kind = 'secondary', onClick }: { label: string; what: string; kind?: 'secondary' | 'danger'; onClick(): void }) {
  return (
    <button type="button" class={`${kind} small`} onClick={onClick}>
      {label}
      <span class="sr-only"> {what}</span>
    </button>
  );
}

/**
 * A table of records: plain column headings, then an unlabelled one over the rows' buttons with
 * `actions`. With `label`, its box (which scrolls sideways on a phone) is a named region a
 * keyboard can focus to scroll it.
 */
export function Table({ columns, actions = false, compact = false, testId, label, children }: { columns: string[]; actions?: boolean; compact?: boolean; testId?: string; label?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" {...(label ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}>
      <table class={compact ? 'table compact' : 'table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span class="sr-only">{t('ui.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A form's two buttons: submit (off while busy or `disabled`; "Saving…" meanwhile with `saving`) and Cancel. */
export function SubmitCancel({ label, busy, saving = false, disabled = false, onCancel }: { label: string; busy: boolean; saving?: boolean; disabled?: boolean; onCancel(): void }) {
  return (
    <div class="actions">
      <button type="submit" disabled={busy || disabled}>
        {busy && saving ? t('ui.saving') : label}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        {t('ui.cancel')}
      </button>
    </div>
  );
}

/**
 * A problem in the reader's language, the one mapping every form uses (its summary and the line
 * under each field): the catalogue's `problem.<rule>` when the server gave a rule code; else the
 * problem as written, the browser's in the reader's language (`d.lang`), the server's in English.
 * `lang` is set only when the text is not in the page's language (WCAG 3.1.2).
 */
export function problemText(d: ErrorDetail): { text: string; lang?: string } {
  const text = d.rule ? tMaybe(`problem.${d.rule}`, problemArgs(d.args)) : null;
  if (text !== null) return { text };
  const lang = d.lang ?? 'en';
  return { text: d.problem, lang: lang === currentLanguage() ? undefined : lang };
}

/** Args that name a position or size in a file: numbers the reader reads in their own way. */
const NUMBER_ARGS = new Set(['line', 'column', 'max', 'min', 'size', 'years']);

/**
 * A rule's args as the reader reads them: dates (YYYY-MM-DD) and the numeric args through `Intl`
 * in the language in force (format.ts); anything else (codes, names) as the server sent it.
 */
export function problemArgs(args: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) out[name] = formatDay(value);
    else if (NUMBER_ARGS.has(name) && /^\d+$/.test(value)) out[name] = formatNumber(Number(value));
    else out[name] = value;
  }
  return out;
}

/** Field-level problems named by the server, for marking one input. */
export function fieldProblem(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d = error.details.find((x) => x.field === field);
  return d ? problemText(d).text : undefined;
}

/** The language of a field's problem, for its `lang` (problemText). */
function fieldProblemLang(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d = error.details.find((x) => x.field === field);
  return d ? problemText(d).lang : undefined;
}

let idCounter = 0;
/** A stable id for tying a label, hint or error to its input. */
export function useId(prefix: string): string {
  const ref = useRef<string | undefined>(undefined);
  if (!ref.current) ref.current = `${prefix}-${++idCounter}`;
  return ref.current;
}

interface InputProps {
  type?: 'text' | 'email' | 'password' | 'url' | 'tel' | 'date' | 'datetime-local' | 'number' | 'search';
  /** The id of a <datalist> of suggestions. */
  list?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email' | 'url';
  name?: string;
  placeholder?: string;
  autoComplete?: string;
  min?: string;
  max?: string;
  maxLength?: number;
  required?: boolean;
  readOnly?: boolean;
  'data-testid'?: string;
}

interface FieldProps extends InputProps {
  label: string;
  value: string;
  onValue(v: string): void;
  hint?: string;
  error?: unknown;
  field?: string;
  multiline?: boolean;
  rows?: number;
}

// Preact 11 types <input> props as a union keyed on `type`; our props are a plain subset of it.
const inputProps = (p: InputProps) => p as unknown as JSX.IntrinsicElements['input'];

/** A labelled input (or textarea) showing the server's problem for its field, if any. */
export function Field({ label, value, onValue, hint, error, field, multiline, rows = 6, ...rest }: FieldProps) {
  const id = useId('f');
  const problem = field ? fieldProblem(error, field) : undefined;
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field ?? rest.name,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class="field">
      <span class="label-row">
        <label for={id}>{label}</label>
        {rest.required && (
          <span class="req" aria-hidden="true">
            *
          </span>
        )}
      </span>
      {multiline ? (
        <textarea
          {...common}
          rows={rows}
          required={rest.required}
          maxLength={rest.maxLength}
          value={value}
          onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        />
      ) : (
        <input {...inputProps(rest)} {...common} value={value} onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)} />
      )}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {problem && (
        <small id={`${id}-err`} class="field-error" lang={fieldProblemLang(error, field!)}>
          {problem}
        </small>
      )}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onValue(v: string): void;
  options: { value: string; label: string }[];
  error?: unknown;
  field?: string;
  required?: boolean;
}

export function Select({ label, value, onValue, options, error, field, required }: SelectProps) {
  const id = useId('s');
  const problem = field ? fieldProblem(error, field) : undefined;
  return (
    <div class="field">
      <span class="label-row">
        <label for={id}>{label}</label>
        {required && (
          <span class="req" aria-hidden="true">
            *
          </span>
        )}
      </span>
      <select
        id={id}
        name={field}
        required={required}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-err` : undefined}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {problem && (
        <small id={`${id}-err`} class="field-error" lang={fieldProblemLang(error, field!)}>
          {problem}
        </small>
      )}
    </div>
  );
}

export function Checkbox({ label, checked, onValue }: { label: string; checked: boolean; onValue(v: boolean): void }) {
  const id = useId('c');
  return (
    <div class="field check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onValue((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

// ---- Dates ----

// Dates and numbers are formatted through Intl in format.ts; re-exported here for the pages.
export { formatDate, formatTimestamp } from './format';

/** Today's date in the user's calendar, as YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  return isoDate(d);
}

export function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** YYYY-MM-DD plus whole years (used for default ranges). */
export function addYears(d: string, years: number): string {
  const y = Number(d.slice(0, 4)) + years;
  const rest = d.slice(4);
  return rest === '-02-29' ? `${y}-02-28` : `${y}${rest}`;
}

/** Days since 1970-01-01 for a YYYY-MM-DD date (UTC arithmetic, so no DST surprises). */
export function dayNumber(d: string): number {
  return Math.floor(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86400000);
}

/**
 * After a refused submit, the keyboard goes to the first field the server named (in a group of
 * check boxes, its first box), so that the reader starts from the problem.
 */
export function useFocusOnError(error: unknown) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error) return;
    const first = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first?.tagName === 'FIELDSET' ? first.querySelector<HTMLElement>('input:not(:disabled)') : first)?.focus();
  }, [error]);
  return ref;
}

/** Sets the document title and moves focus to the page heading after navigation. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? t('ui.pageTitle', { title }) : t('shell.brand');
  }, [title, currentLanguage()]);
}

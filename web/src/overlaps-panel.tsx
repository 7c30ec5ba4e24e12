// "Likely overlaps with other organisations' work": the activity form's panel (and the IATI
// import preview's list), fed by POST /coherence/check. Prevention, not only detection: the
// person recording an activity sees, as they type, the activities of other organisations that
// look like the same work or complementary work, with their focal point one click away.
//
// The form's fields are sent ~300 ms after the last change; a newer draft aborts the request of
// the older one, so an answer never shows for text that is no longer in the form. The count is
// announced politely (aria-live) once per answer, not the whole list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ActivityInput } from './api';
import { checkDraft, checkDrafts, classLabel, contactHref, otherOf, percent, type CheckAnswer, type Finding } from './coherence';
import { t } from './i18n';
import { Link } from './router';
import { formatPeriod, typeLabel } from './activities';
import { formatNumber } from './format';

/**
 * What of a form's activity input is sent for the check, or null while it says too little to
 * compare: no title of three letters yet, and no theme with a place. `id`: the activity being
 * edited (the server leaves it out of its own answer).
 */
export function draftFrom(input: ActivityInput, id?: number): object | null {
  const titles = input.titles.filter((x) => x.text.trim().length >= 3);
  const placed = input.countries.length > 0 || input.regions.length > 0 || input.is_global;
  if (titles.length === 0 && !(input.themes.length > 0 && placed)) return null;
  // Links, contact, visibility and purposes are not compared.
  const compared: Partial<ActivityInput> & { id?: number } = { ...input, titles };
  delete compared.links;
  delete compared.contact;
  delete compared.visibility;
  delete compared.purposes;
  if (id) compared.id = id;
  return compared;
}

/** How long after the last keystroke the draft is sent. */
const DEBOUNCE_MS = 300;
/** While the server analyses, the draft is checked again this often, this many times at most. */
const ANALYSING_RETRY_MS = 2000;
const MAX_AGAIN = 30;
/** At most this many overlaps are shown. */
const SHOWN = 5;

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'done'; findings: Finding[] } | { kind: 'unavailable' } | { kind: 'failed' };

/**
 * The panel for one draft. `draft` is the activity as the form holds it (partial activity input
 * JSON), or null while it says too little to compare (no title, place or theme yet). `draftId`:
 * the activity being edited (left out of its own answer), 0 for a new one.
 */
export function LikelyOverlapsPanel({ draft, draftId }: { draft: object | null; draftId: number }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const key = draft ? JSON.stringify(draft) : '';
  const controller = useRef<AbortController | null>(null);
  // While the server is still analysing, the same draft is checked again a little later.
  const [again, setAgain] = useState(0);

  useEffect(() => {
    controller.current?.abort();
    controller.current = null;
    if (!draft) {
      setState({ kind: 'idle' });
      return;
    }
    const timer = setTimeout(() => {
      const c = new AbortController();
      controller.current = c;
      setState((s) => (s.kind === 'done' ? s : { kind: 'checking' }));
      checkDraft(draft, c.signal).then(
        ({ findings, analysing }) => {
          if (c.signal.aborted) return;
          if (analysing && again < MAX_AGAIN) {
            setState({ kind: 'checking' });
            setTimeout(() => !c.signal.aborted && setAgain((n) => n + 1), ANALYSING_RETRY_MS);
            return;
          }
          setState({ kind: 'done', findings });
        },
        (e) => {
          if (c.signal.aborted || (e instanceof DOMException && e.name === 'AbortError')) return;
          // A server without the coherence engine, or a reader who may not ask: no panel.
          const gone = e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 401);
          setState({ kind: gone ? 'unavailable' : 'failed' });
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, again]);
  useEffect(() => () => controller.current?.abort(), []);

  if (state.kind === 'unavailable') return null;
  const findings = state.kind === 'done' ? state.findings.slice(0, SHOWN) : [];
  let said = '';
  if (state.kind === 'idle') said = t('overlaps.panel.idle');
  else if (state.kind === 'failed') said = t('overlaps.panel.failed');
  else if (state.kind === 'checking') said = t('overlaps.panel.checking');
  else if (state.kind === 'done') said = findings.length === 0 ? t('overlaps.panel.none') : t('overlaps.panel.count', { count: findings.length });
  return (
    // A plain box under its heading (no landmark name: inside the form, a name with
    // "organisations" in it would also answer for the form's own "Organisation" field).
    <div class="panel overlaps-panel" data-testid="overlaps-panel">
      <h2 id="overlaps-panel-h">{t('overlaps.panel.heading')}</h2>
      <p class="hint" role="status" aria-live="polite" data-testid="overlaps-status">
        {said}
      </p>
      {findings.length > 0 && <OverlapItems findings={findings} draftId={draftId} />}
    </div>
  );
}

/** Findings of one draft, each with the other activity, its organisation and how to reach it. */
export function OverlapItems({ findings, draftId }: { findings: Finding[]; draftId: number }) {
  return (
    <ul class="overlap-items" data-testid="overlap-items">
      {findings.map((f) => {
        const other = otherOf(f, draftId);
        const period = formatPeriod(other.starts_on, other.ends_on);
        return (
          <li key={f.id} class="overlap-item">
            <span class={`badge ${f.class}`}>{classLabel(f.class)}</span> <span class="meta">{t('overlaps.likelihood', { p: percent(f.probability) })}</span>
            <br />
            <Link href={`/activities/${other.id}`}>
              <span lang={other.title_lang || undefined} dir="auto">{other.title}</span>
            </Link>{' '}
            <span class="meta">
              {other.organization_name}
              {other.type ? ` · ${typeLabel(other.type)}` : ''}
              {period ? ` · ${period}` : ''}
            </span>
            <br />
            <a href={contactHref(other, other.title)} class="contact-link" data-testid="contact-link">
              {other.contact_email ? t('overlaps.contact', { org: other.organization_name }) : t('overlaps.contactFocalPoints', { org: other.organization_name })}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

// ---- The IATI import preview ----

/** The import's preview checks at most this many of the file's activities (the route's limit). */
export const IMPORT_CHECKED = 100;
/** Larger files are not read in the browser for the check (the server still imports them). */
const MAX_READ_BYTES = 20 * 1024 * 1024;

interface IatiDraft {
  identifier: string;
  title: string;
  titleLang: string;
  activity: object;
}

const XML_LANG = 'http://www.w3.org/XML/1998/namespace';

/** The narratives of an element (title, description) as {lang, text}, in the file's default language when they give none. */
function narratives(el: Element | null, defaultLang: string): { lang: string; text: string }[] {
  if (!el) return [];
  const out: { lang: string; text: string }[] = [];
  for (const n of Array.from(el.getElementsByTagName('narrative'))) {
    const text = (n.textContent ?? '').trim();
    if (text) out.push({ lang: (n.getAttributeNS(XML_LANG, 'lang') || n.getAttribute('xml:lang') || defaultLang || 'en').toLowerCase().slice(0, 2), text });
  }
  return out;
}

/**
 * The first IATI_CHECKED activities of an IATI file, as the partial activity inputs the check
 * takes: titles, descriptions, recipient countries, start and end dates (actual, else planned),
 * sectors of any vocabulary, and the reporting organisation when the registry knows its IATI id.
 * The server's import maps more (themes from sectors and tags); the check compares what is here.
 */
export function draftsFromIati(xml: string, orgByIatiId: Map<string, string>): IatiDraft[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return [];
  const out: IatiDraft[] = [];
  for (const act of Array.from(doc.getElementsByTagName('iati-activity')).slice(0, IMPORT_CHECKED)) {
    const lang = (act.getAttributeNS(XML_LANG, 'lang') || act.getAttribute('xml:lang') || act.parentElement?.getAttributeNS(XML_LANG, 'lang') || 'en').toLowerCase().slice(0, 2);
    const child = (name: string) => Array.from(act.children).filter((c) => c.localName === name);
    const titles = narratives(child('title')[0] ?? null, lang);
    const descriptions = child('description').flatMap((d) => narratives(d, lang));
    const date = (...types: string[]) => {
      for (const ty of types) {
        const d = child('activity-date').find((x) => x.getAttribute('type') === ty)?.getAttribute('iso-date');
        if (d && /^\d{4}-\d{2}-\d{2}/.test(d)) return d.slice(0, 10);
      }
      return null;
    };
    const reporting = child('reporting-org')[0]?.getAttribute('ref') ?? '';
    const activity: Record<string, unknown> = {
      titles,
      descriptions,
      countries: child('recipient-country').map((c) => (c.getAttribute('code') ?? '').toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)),
      starts_on: date('2', '1'),
      ends_on: date('4', '3'),
      sectors: child('sector').map((s) => ({ vocabulary: s.getAttribute('vocabulary') ?? '', code: s.getAttribute('code') ?? '' })).filter((s) => s.code),
    };
    const org = orgByIatiId.get(reporting);
    if (org) activity.organization_id = org;
    out.push({
      identifier: (child('iati-identifier')[0]?.textContent ?? '').trim(),
      title: titles[0]?.text ?? '',
      titleLang: titles[0]?.lang ?? lang,
      activity,
    });
  }
  return out;
}

function withoutSectors(activity: object): object {
  const copy: Record<string, unknown> = { ...activity };
  delete copy.sectors;
  return copy;
}

type ImportState = { kind: 'checking' } | { kind: 'done'; drafts: IatiDraft[]; answer: CheckAnswer } | { kind: 'tooLarge' } | { kind: 'unavailable' } | { kind: 'failed' };

/**
 * Under the import preview: the likely overlaps of the file's first activities (read from the
 * file in the browser: the preview's report names them only by identifier), each with its own.
 */
export function ImportOverlaps({ file, orgByIatiId }: { file: File; orgByIatiId: Map<string, string> }) {
  const [state, setState] = useState<ImportState>({ kind: 'checking' });
  useEffect(() => {
    if (file.size > MAX_READ_BYTES) {
      setState({ kind: 'tooLarge' });
      return;
    }
    const c = new AbortController();
    setState({ kind: 'checking' });
    file
      .text()
      .then((xml) => {
        const drafts = draftsFromIati(xml, orgByIatiId);
        if (drafts.length === 0) return { drafts, answer: { items: [] } };
        // A server whose activities have no `sectors` field refuses them (400): ask again without.
        const send = (withSectors: boolean) => checkDrafts(drafts.map((d) => (withSectors ? d.activity : withoutSectors(d.activity))), c.signal);
        return send(true)
          .catch((e) => {
            if (e instanceof ApiError && e.status === 400) return send(false);
            throw e;
          })
          .then((answer) => ({ drafts, answer }));
      })
      .then(
        ({ drafts, answer }) => !c.signal.aborted && setState({ kind: 'done', drafts, answer }),
        (e) => {
          if (c.signal.aborted) return;
          const gone = e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 401);
          setState({ kind: gone ? 'unavailable' : 'failed' });
        },
      );
    return () => c.abort();
  }, [file]);

  if (state.kind === 'unavailable') return null;
  const withOverlaps = state.kind === 'done' ? state.answer.items.filter((x) => x.overlaps.length > 0 && state.drafts[x.index]) : [];
  let said = t('overlaps.import.checking');
  if (state.kind === 'tooLarge') said = t('overlaps.import.tooLarge');
  else if (state.kind === 'failed') said = t('overlaps.panel.failed');
  else if (state.kind === 'done')
    said = withOverlaps.length === 0 ? t('overlaps.import.none', { count: state.drafts.length, n: formatNumber(state.drafts.length) }) : t('overlaps.import.some', { count: withOverlaps.length, n: formatNumber(withOverlaps.length), checked: formatNumber(state.drafts.length) });
  return (
    <div class="panel overlaps-panel" data-testid="import-overlaps">
      <h2 id="import-overlaps-h">{t('overlaps.panel.heading')}</h2>
      <p class="hint">{t('overlaps.import.how', { max: formatNumber(IMPORT_CHECKED) })}</p>
      <p role="status" aria-live="polite" data-testid="import-overlaps-status">
        {said}
      </p>
      {state.kind === 'done' &&
        withOverlaps.map((x) => {
          const d = state.drafts[x.index];
          return (
            <div key={x.index} class="import-overlap">
              <h3>
                <span lang={d.titleLang} dir="auto">{d.title || d.identifier}</span> <code class="meta">{d.identifier}</code>
              </h3>
              <OverlapItems findings={x.overlaps.slice(0, SHOWN)} draftId={0} />
            </div>
          );
        })}
    </div>
  );
}

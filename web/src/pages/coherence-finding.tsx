// One finding of the coherence engine: the two activities, what they share, the sentence that
// says why in the reader's language, the waterfall of the score's contributions (with its table),
// the contact of the other organisation, and the feedback form for those who may give it.
import { useState } from 'preact/hooks';
import { ApiError, type Theme } from '../api';
import {
  COMPARISONS,
  VERDICTS,
  canGiveFeedback,
  classLabel,
  contactHref,
  deleteFeedback,
  percent,
  putFeedback,
  verdictLabel,
  type Finding,
  type FindingActivity,
  type Verdict,
} from '../coherence';
import { countryName, formatPeriod, joinList, regionName, tagLabel, typeLabel } from '../activities';
import { currentLanguage, t, tMaybe } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { ErrorBox, useId } from '../ui';

/** Names the sentence and the lists use: themes by the taxonomy's names, places in the reader's language. */
export interface Names {
  themes: Theme[];
  /** Organisation id → acronym (or name), for shared partners named by their registry id. */
  orgs?: Map<string, string>;
}

/** `1:15190` → "DAC sector 15190" (the activity pages' words for IATI vocabularies). */
function sectorName(s: string): string {
  const i = s.indexOf(':');
  const vocabulary = i > 0 ? s.slice(0, i) : '1';
  return tagLabel({ vocabulary: `sector-${vocabulary || '1'}`, code: i > 0 ? s.slice(i + 1) : s });
}

const themeName = (names: Names, id: string) => names.themes.find((x) => x.id === id)?.name ?? id;

function placeNames(countries: string[], regions: string[]): string[] {
  return [...countries.map((c) => countryName(c)), ...regions.map((r) => regionName(r))];
}

/** A weight (log2 Bayes factor) with its sign always written: `+3.2`, `−1.0`, `0.0`. */
export function signedWeight(w: number): string {
  const n = formatNumber(Math.abs(w), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (Math.abs(w) < 0.05) return formatNumber(0, { minimumFractionDigits: 1 });
  return w > 0 ? `+${n}` : `\u2212${n}`;
}

export function comparisonLabel(c: string): string {
  return tMaybe(`coherence.comparison.${c}`) ?? c;
}

/**
 * A comparison's level in words (`places`, `same_country` → "same country"): the engine's level
 * names mean something only with their comparison (`most` themes, `most` of the period). The code
 * itself when the catalogue has none.
 */
export function levelLabel(comparison: string, level: string): string {
  return tMaybe(`coherence.level.${comparison}.${level}`) ?? level.replace(/_/g, ' ');
}

/**
 * The finding in the reader's language, built from its fields (never from the English
 * `summary`, which is only the fallback when the finding names nothing the app can say).
 */
export function findingSentences(f: Finding, names: Names): string[] {
  const [a, b] = f.activities;
  const themes = f.shared.themes.map((x) => themeName(names, x));
  const places = placeNames(f.shared.countries, f.shared.regions);
  const worldwide = places.length === 0 && a.is_global && b.is_global;
  const kind = a.type && b.type ? (a.type === b.type ? 'same' : 'complementary') : 'other';
  const out = [
    t('coherence.say.work', {
      kind,
      typeA: a.type ? typeLabel(a.type) : '',
      typeB: b.type ? typeLabel(b.type) : '',
      hasThemes: themes.length ? 'yes' : 'no',
      themes: joinList(themes),
      where: places.length ? 'places' : worldwide ? 'global' : 'none',
      places: joinList(places),
    }),
  ];
  const p = f.shared.period;
  if (p && (p.from || p.to)) out.push(t('coherence.say.period', { period: formatPeriod(p.from, p.to) }));
  if (f.text_similarity > 0) out.push(t('coherence.say.text', { similarity: formatNumber(f.text_similarity, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) }));
  const partners = f.shared.partners.map((p) => names.orgs?.get(p) ?? p);
  if (partners.length) out.push(t('coherence.say.partners', { count: partners.length, partners: joinList(partners) }));
  if (f.shared.sectors.length) out.push(t('coherence.say.sectors', { count: f.shared.sectors.length, sectors: joinList(f.shared.sectors.map(sectorName)) }));
  return out;
}

/** The finding as a card. `open`: the score's details shown from the start (the finding's own page). */
export function FindingCard({ finding, names, open = false, onChanged }: { finding: Finding; names: Names; open?: boolean; onChanged?(f: Finding): void }) {
  const { user } = useSession();
  const [f, setF] = useState(finding);
  const hid = useId('fh');
  const [a, b] = f.activities;
  const sentences = findingSentences(f, names);
  const changed = (n: Finding) => {
    setF(n);
    onChanged?.(n);
  };
  return (
    <article class={`finding ${f.class}`} aria-labelledby={hid} data-testid="finding" data-id={f.id}>
      <h3 id={hid}>
        <Link href={`/coherence/overlaps/${f.id}`}>{t('coherence.findingHeading', { a: a.organization_name, b: b.organization_name })}</Link>{' '}
        <span class={`badge ${f.class}`} data-testid="finding-class">
          {classLabel(f.class)}
        </span>{' '}
        <span class="probability" data-testid="finding-probability">
          {t('overlaps.likelihood', { p: percent(f.probability) })}
        </span>
      </h3>
      <div class="finding-pair">
        <PairActivity a={a} />
        <PairActivity a={b} />
      </div>
      <p class="finding-sentence" data-testid="finding-sentence">
        {sentences.join(' ')}
      </p>
      <SharedFacts f={f} names={names} />
      {f.cluster_size > 2 && (
        <p class="meta">
          {t('coherence.clusterOf', { count: f.cluster_size })} <Link href={`/coherence?cluster=${f.cluster}`}>{t('coherence.showCluster')}</Link>
        </p>
      )}
      <details class="why" open={open}>
        <summary>{t('coherence.why')}</summary>
        <Waterfall f={f} />
      </details>
      <FeedbackSection f={f} may={canGiveFeedback(user, f)} onChanged={changed} />
    </article>
  );
}

function PairActivity({ a }: { a: FindingActivity }) {
  const places = a.is_global ? [t('coherence.global'), ...placeNames(a.countries, a.regions)] : placeNames(a.countries, a.regions);
  const period = formatPeriod(a.starts_on, a.ends_on);
  return (
    <div class="pair-activity" data-testid="pair-activity">
      <p class="pair-title">
        <Link href={`/activities/${a.id}`}>
          <span lang={a.title_lang || undefined} dir="auto">{a.title}</span>
        </Link>
      </p>
      <p class="meta">
        <Link href={`/members/${encodeURIComponent(a.organization_id)}`}>{a.organization_name}</Link>
        {a.type ? ` · ${typeLabel(a.type)}` : ''}
        {places.length ? ` · ${joinList(places)}` : ''}
        {period ? ` · ${period}` : ''}
      </p>
      <p>
        <a href={contactHref(a, a.title)} data-testid="contact-link">
          {a.contact_email ? t('overlaps.contact', { org: a.organization_name }) : t('overlaps.contactFocalPoints', { org: a.organization_name })}
        </a>
      </p>
    </div>
  );
}

function SharedFacts({ f, names }: { f: Finding; names: Names }) {
  const places = placeNames(f.shared.countries, f.shared.regions);
  const themes = f.shared.themes.map((x) => themeName(names, x));
  const p = f.shared.period;
  return (
    <dl class="shared" data-testid="shared">
      <dt>{t('coherence.shared.places')}</dt>
      <dd>{places.length ? joinList(places) : t('coherence.shared.none')}</dd>
      <dt>{t('coherence.shared.themes')}</dt>
      <dd>{themes.length ? joinList(themes) : t('coherence.shared.none')}</dd>
      <dt>{t('coherence.shared.period')}</dt>
      <dd>{p && (p.from || p.to) ? formatPeriod(p.from, p.to) : t('coherence.shared.noPeriod')}</dd>
    </dl>
  );
}

// ---- The waterfall ----

interface Step {
  label: string;
  level: string;
  weight: number;
  from: number;
  to: number;
  kind: 'prior' | 'step' | 'total';
}

function steps(f: Finding): Step[] {
  const out: Step[] = [{ label: t('coherence.waterfall.prior'), level: '', weight: f.prior_weight, from: 0, to: f.prior_weight, kind: 'prior' }];
  let sum = f.prior_weight;
  const order = (c: string) => {
    const i = (COMPARISONS as readonly string[]).indexOf(c);
    return i < 0 ? COMPARISONS.length : i;
  };
  for (const c of [...f.contributions].sort((x, y) => order(x.comparison) - order(y.comparison))) {
    out.push({ label: comparisonLabel(c.comparison), level: levelLabel(c.comparison, c.level), weight: c.weight, from: sum, to: sum + c.weight, kind: 'step' });
    sum += c.weight;
  }
  out.push({ label: t('coherence.waterfall.total'), level: '', weight: f.weight, from: 0, to: f.weight, kind: 'total' });
  return out;
}

const ROW = 26;
const LABEL_W = 150;
const VALUE_W = 56;
const CHART_W = 560;

/**
 * The score's waterfall: the prior, then each comparison's weight added to the running sum, then
 * the total (log2 odds). Drawn as SVG (role img, named by its caption); the same numbers are in
 * the table after it (visually hidden: for screen readers, and the chart's text alternative).
 * A weight for a match is a solid bar with "+", one against it a hatched bar with "−": not by
 * colour alone. In a right-to-left page the chart is mirrored.
 */
export function Waterfall({ f }: { f: Finding }) {
  const id = useId('wf');
  const rows = steps(f);
  const rtl = currentLanguage() === 'ar';
  const values = rows.flatMap((r) => [r.from, r.to, 0]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const plot = CHART_W - LABEL_W - VALUE_W;
  const x = (v: number) => LABEL_W + ((v - lo) / span) * plot;
  const mirror = (px: number, w = 0) => (rtl ? CHART_W - px - w : px);
  const height = rows.length * ROW + 8;
  const summary = t('coherence.waterfall.summary', { prior: signedWeight(f.prior_weight), total: signedWeight(f.weight), p: percent(f.probability) });
  return (
    <figure class="waterfall" data-testid="waterfall">
      <svg viewBox={`0 0 ${CHART_W} ${height}`} role="img" aria-labelledby={`${id}-cap`} aria-describedby={`${id}-table`} class="waterfall-chart">
        <defs>
          <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" class="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
          </pattern>
        </defs>
        <line x1={mirror(x(0))} x2={mirror(x(0))} y1="0" y2={height} class="axis" />
        {rows.map((r, i) => {
          const y = i * ROW + 4;
          const left = x(Math.min(r.from, r.to));
          const w = Math.max(1, Math.abs(x(r.to) - x(r.from)));
          const negative = r.kind === 'step' ? r.weight < 0 : r.to < 0;
          const cls = `bar ${r.kind} ${negative ? 'neg' : 'pos'}`;
          return (
            <g key={i}>
              <text x={rtl ? CHART_W - 4 : 4} y={y + ROW / 2 + 4} text-anchor="start" class="wf-label">
                {r.label}
              </text>
              <rect x={mirror(left, w)} y={y + 3} width={w} height={ROW - 8} class={cls} fill={negative && r.kind === 'step' ? `url(#${id}-hatch)` : undefined} />
              <text x={rtl ? 4 : CHART_W - 4} y={y + ROW / 2 + 4} text-anchor={rtl ? 'start' : 'end'} direction="ltr" class="wf-value">
                {signedWeight(r.kind === 'step' ? r.weight : r.to)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id={`${id}-cap`}>{summary}</figcaption>
      <div class="sr-only">
      <table id={`${id}-table`} data-testid="waterfall-table">
        <caption>{t('coherence.waterfall.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('coherence.waterfall.colComparison')}</th>
            <th scope="col">{t('coherence.waterfall.colLevel')}</th>
            <th scope="col">{t('coherence.waterfall.colWeight')}</th>
            <th scope="col">{t('coherence.waterfall.colRunning')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{r.label}</th>
              <td>{r.level}</td>
              <td>{signedWeight(r.kind === 'step' ? r.weight : r.to)}</td>
              <td>{signedWeight(r.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p class="hint">{t('coherence.waterfall.legend')}</p>
    </figure>
  );
}

// ---- Feedback ----

/**
 * The finding's feedback: what was said (by whom, when), and for those who may give it the form
 * (verdict + comment). A refusal (403: not one of the two organisations' focal points, or one of
 * the activities no longer visible) replaces the form with a note saying who may.
 */
function FeedbackSection({ f, may, onChanged }: { f: Finding; may: boolean; onChanged(f: Finding): void }) {
  const [refused, setRefused] = useState(false);
  const fb = f.feedback;
  return (
    <section class="feedback" aria-label={t('coherence.feedback.heading')} data-testid="feedback">
      {fb && (
        <p data-testid="feedback-given">
          {t('coherence.feedback.given', { verdict: verdictLabel(fb.verdict), by: fb.by, at: formatTimestamp(fb.at) })}
          {fb.comment && (
            <>
              {' '}
              <q>{fb.comment}</q>
            </>
          )}
        </p>
      )}
      {may && !refused ? (
        <FeedbackForm f={f} onChanged={onChanged} onRefused={() => setRefused(true)} />
      ) : (
        <p class="hint" data-testid="feedback-who">
          {refused ? t('coherence.feedback.refused') : t('coherence.feedback.who')}
        </p>
      )}
    </section>
  );
}

function FeedbackForm({ f, onChanged, onRefused }: { f: Finding; onChanged(f: Finding): void; onRefused(): void }) {
  const id = useId('fb');
  const [verdict, setVerdict] = useState<Verdict | ''>(f.feedback?.verdict ?? '');
  const [comment, setComment] = useState(f.feedback?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function run(action: () => Promise<Finding>, done: string) {
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const n = await action();
      setSaved(done);
      onChanged(n);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) onRefused();
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="feedback-form"
      data-testid="feedback-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!verdict) {
          setError(new ApiError(422, 'invalid_argument', t('coherence.feedback.chooseVerdict'), [{ field: 'verdict', problem: t('coherence.feedback.chooseVerdict'), lang: currentLanguage() }]));
          return;
        }
        run(() => putFeedback(f.id, verdict, comment.trim()), t('coherence.feedback.saved'));
      }}
    >
      <fieldset>
        <legend>{t('coherence.feedback.legend')}</legend>
        {VERDICTS.map((v) => (
          <label key={v} class="check-item">
            <input type="radio" name={`${id}-verdict`} value={v} checked={verdict === v} onChange={() => setVerdict(v)} /> {verdictLabel(v)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-comment`}>{t('coherence.feedback.comment')}</label>
        <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      <ErrorBox error={error} title={t('coherence.feedback.notSaved')} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('ui.saving') : t('coherence.feedback.save')}
        </button>
        {f.feedback && (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const now = await deleteFeedback(f.id);
                setVerdict('');
                setComment('');
                return now ?? { ...f, feedback: null };
              }, t('coherence.feedback.withdrawn'))
            }
          >
            {t('coherence.feedback.withdraw')}
          </button>
        )}
        <span role="status" class="hint" data-testid="feedback-status">
          {saved ?? ''}
        </span>
      </div>
    </form>
  );
}

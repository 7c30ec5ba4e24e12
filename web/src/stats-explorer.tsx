// The statistics explorer: a query builder (codes per dimension with search, periods, regional
// aggregates), the data API's answer shown as a chart (time series, largest origins or
// destinations, flows between regions, a map) or a table, the downloads of the same selection
// (SDMX-CSV, CSV, Excel), and a link and an <iframe> snippet for the chart. The query lives in
// the page's address (stats.ts readQuery/writeQuery), so Back undoes a change and a link shows
// the same chart. ChartView is also the whole of the embedded page (/embed/stats).
import { useEffect, useState } from 'preact/hooks';
import { t, tMaybe } from './i18n';
import { formatNumber } from './format';
import { navigate, useLocation } from './router';
import { ErrorBox, Loading, Select, useId, useResource } from './ui';
import {
  AGGREGATES,
  CHARTS,
  aggregateDimension,
  codeName,
  downloadLinks,
  loadData,
  loadFlows,
  PER_SCALES,
  type PerScale,
  readQuery,
  regionOf,
  shareLinks,
  writeQuery,
  type ChartKind,
  type DataAnswer,
  type ExplorerQuery,
  type Flow,
  type Places,
  type SdmxComponent,
} from './stats';
import { BarChart, FlowChart, LineChart, MAX_BARS, ScrollBox, full, pickLines, type Bar, type FlowLink } from './stats-charts';

type MapComponent = typeof import('./stats-map').StatsMap;

/** The map, its code (d3-geo and the world's shapes) fetched on first use. */
function LazyMap(props: Parameters<MapComponent>[0]) {
  const [Map, setMap] = useState<MapComponent | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    import('./stats-map').then(
      (m) => live && setMap(() => m.StatsMap),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  if (error) return <ErrorBox error={error} title={t('stats.map.loadFailed')} />;
  return Map ? <Map {...props} /> : <Loading what={t('stats.map.loading')} />;
}

/** How many table rows show at first (and more per click). */
const TABLE_ROWS = 100;

// ---- Names ----

/** A dimension's name: the catalogue's words for the usual SDMX concepts, else the flow's own. */
export function dimensionName(c: { id: string; name: string }): string {
  return tMaybe(`stats.concept.${c.id}`) ?? c.name ?? c.id;
}

/** A code's name: areas in the reader's language, the usual sex codes translated, else the flow's. */
export function codeLabel(places: Places | undefined, dimension: string, code: string, english: string): string {
  return tMaybe(`stats.code.${dimension}.${code}`) ?? codeName(places, code, english);
}

const isArea = (dim: string) => /AREA/.test(dim);
/** Origin and destination dimensions of a migration flow, when it has both. */
function areaPair(dims: string[]): { from: string; to: string } | null {
  const to = dims.includes('REF_AREA') ? 'REF_AREA' : null;
  const from = dims.find((d) => d !== to && isArea(d)) ?? null;
  return to && from ? { from, to } : null;
}

function seriesName(answer: DataAnswer, places: Places | undefined, s: DataAnswer['series'][number]): string {
  const parts = s.key.map((code, i) => {
    const dim = answer.dimensions[i];
    return codeLabel(places, dim?.id ?? '', code, s.names[i] ?? '');
  });
  // Dimensions with one code in the whole answer say nothing about a line: leave them out.
  const varying = parts.filter((_, i) => (answer.dimensions[i]?.values.length ?? 2) > 1);
  return (varying.length ? varying : parts).join(' · ');
}

/** The dimension the bar chart compares when none is asked for: the origin, else the first. */
export function defaultBy(dims: SdmxComponent[]): SdmxComponent | undefined {
  return dims.find((d) => d.id === areaPair(dims.map((x) => x.id))?.from) ?? dims.find((d) => d.id !== 'REF_AREA' && isArea(d.id)) ?? dims[0];
}

/**
 * The dimensions a one-period chart adds over (other than `keep`) that have several codes in
 * the answer and no total code: the reader is told, as adding them may not make sense.
 */
export function summedOver(answer: DataAnswer, keep: string[]): DataAnswer['dimensions'] {
  return answer.dimensions.filter((d) => !keep.includes(d.id) && d.values.length > 1 && !d.values.some((v) => v.id === '_T'));
}

// ---- Reductions for the bar chart, the map and the flow chart ----

/** The period shown by the one-period charts: the one asked for, else the latest with data. */
export function periodShown(answer: DataAnswer, asked: string): number {
  if (asked) {
    const i = answer.periods.indexOf(asked);
    if (i >= 0) return i;
  }
  for (let i = answer.periods.length - 1; i >= 0; i--) if (answer.series.some((s) => s.values[i] != null)) return i;
  return answer.periods.length - 1;
}

const isRegionCode = (code: string) => /^\d+$/.test(code);

/**
 * The series a one-period chart adds up, so that no total is counted twice: computed aggregates
 * left out; for a dimension other than `keep` that has a total code (`_T`), only that code; for
 * an area dimension other than `keep` that holds countries and regions (UN DESA's table has rows
 * for South America or the Caribbean beside their countries), the countries only.
 */
function summable(answer: DataAnswer, keep: string[]): DataAnswer['series'] {
  const rule = answer.dimensions.map((d) => {
    if (keep.includes(d.id)) return null;
    if (d.values.some((v) => v.id === '_T')) return (c: string) => c === '_T';
    if (isArea(d.id) && d.values.some((v) => isRegionCode(v.id)) && d.values.some((v) => !isRegionCode(v.id))) return (c: string) => !isRegionCode(c);
    return null;
  });
  return answer.series.filter((s) => !s.derived && s.key.every((c, i) => rule[i] === null || rule[i]!(c)));
}

/** Total per code of dimension `by` at period `p`; regions and the world left out when countries are there. */
export function totalsBy(answer: DataAnswer, places: Places | undefined, by: string, p: number): Bar[] {
  const i = answer.dimensions.findIndex((d) => d.id === by);
  if (i < 0) return [];
  const m = new Map<string, Bar>();
  for (const s of summable(answer, [by])) {
    const v = s.values[p];
    if (v == null) continue;
    const code = s.key[i];
    const e = m.get(code) ?? { code, name: codeLabel(places, by, code, s.names[i] ?? ''), value: 0 };
    e.value += v;
    m.set(code, e);
  }
  let bars = [...m.values()];
  if (isArea(by) && bars.some((b) => !isRegionCode(b.code))) bars = bars.filter((b) => !isRegionCode(b.code));
  return bars.sort((a, b) => b.value - a.value);
}

/** Flows between the UN M49 regions of the origin and destination countries, at period `p`. */
export function regionFlows(answer: DataAnswer, places: Places | undefined, pair: { from: string; to: string }, p: number): FlowLink[] {
  const fi = answer.dimensions.findIndex((d) => d.id === pair.from);
  const ti = answer.dimensions.findIndex((d) => d.id === pair.to);
  const m = new Map<string, FlowLink>();
  for (const s of summable(answer, [pair.from, pair.to])) {
    const v = s.values[p];
    if (v == null || v === 0) continue;
    const from = regionOf(places, s.key[fi]);
    const to = regionOf(places, s.key[ti]);
    if (!from || !to) continue;
    const k = `${from}>${to}`;
    const e = m.get(k) ?? { from, to, fromName: codeName(places, from, from), toName: codeName(places, to, to), value: 0 };
    e.value += v;
    m.set(k, e);
  }
  return [...m.values()];
}

// ---- The chart or table ----

export function ChartView({ flow, answer, q, places, m49Of }: { flow: Flow; answer: DataAnswer; q: ExplorerQuery; places: Places | undefined; m49Of(code: string): number | undefined }) {
  const dims = flow.structure.dimensions;
  const dimIds = dims.map((d) => d.id);
  const byDim = dims.find((d) => d.id === q.by) ?? defaultBy(dims)!;
  if (answer.series.length === 0) return <p data-testid="stats-no-data">{t('stats.explorer.noData')}</p>;
  const p = periodShown(answer, q.period);
  const period = answer.periods[p] ?? '';
  switch (q.chart) {
    case 'bar': {
      const bars = totalsBy(answer, places, byDim.id, p);
      return (
        <>
          <SummedNote answer={answer} keep={[byDim.id]} />
          <BarChart caption={t('stats.chart.barCaption', { flow: flow.name, dimension: dimensionName(byDim), period, count: Math.min(bars.length, MAX_BARS) })} bars={bars} heading={dimensionName(byDim)} />
        </>
      );
    }
    case 'map': {
      const areaDim = isArea(byDim.id) ? byDim : (dims.find((d) => isArea(d.id)) ?? byDim);
      const values = totalsBy(answer, places, areaDim.id, p);
      return (
        <>
          <SummedNote answer={answer} keep={[areaDim.id]} />
          <LazyMap caption={t('stats.chart.mapCaption', { flow: flow.name, dimension: dimensionName(areaDim), period })} values={values} m49Of={m49Of} heading={dimensionName(areaDim)} />
        </>
      );
    }
    case 'flow': {
      const pair = areaPair(dimIds);
      if (!pair) return <p data-testid="stats-no-flow">{t('stats.chart.flowNeedsAreas')}</p>;
      const links = regionFlows(answer, places, pair, p);
      if (links.length === 0) return <p data-testid="stats-no-flow">{t('stats.chart.flowEmpty')}</p>;
      const name = (id: string) => dimensionName(dims.find((d) => d.id === id)!);
      return (
        <>
          <SummedNote answer={answer} keep={[pair.from, pair.to]} />
          <FlowChart caption={t('stats.chart.flowCaption', { flow: flow.name, period })} links={links} fromHeading={name(pair.from)} toHeading={name(pair.to)} />
        </>
      );
    }
    case 'table':
      return <DataTable answer={answer} places={places} />;
    default: {
      const lines = pickLines(answer, (s) => seriesName(answer, places, s) + (s.derived ? ` ${t('stats.derived')}` : ''));
      // The dimensions with one code in the answer (a destination…) are named in the caption.
      const fixed = answer.dimensions.filter((d) => d.values.length === 1).map((d) => codeLabel(places, d.id, d.values[0].id, d.values[0].name));
      const span = { flow: flow.name, from: answer.periods[0] ?? '', to: answer.periods[answer.periods.length - 1] ?? '' };
      const caption = fixed.length ? t('stats.chart.lineCaptionFor', { ...span, fixed: fixed.join(t('activities.listSeparator')) }) : t('stats.chart.lineCaption', span);
      return <LineChart caption={caption} periods={answer.periods} lines={lines} total={answer.series.length} />;
    }
  }
}

/** Says which dimensions a one-period chart adds up over (several codes, no total code). */
function SummedNote({ answer, keep }: { answer: DataAnswer; keep: string[] }) {
  const over = summedOver(answer, keep);
  if (over.length === 0) return null;
  return (
    <p class="hint" data-testid="stats-summed">
      {t('stats.chart.summed', { dimensions: over.map((d) => dimensionName(d)).join(t('activities.listSeparator')) })}
    </p>
  );
}

function DataTable({ answer, places }: { answer: DataAnswer; places: Places | undefined }) {
  const [rows, setRows] = useState(TABLE_ROWS);
  const shown = answer.series.slice(0, rows);
  return (
    <div data-testid="stats-table">
      <ScrollBox label={t('stats.table.caption', { count: answer.series.length, n: formatNumber(answer.series.length) })}>
        <table class="table compact">
          <caption class="sr-only">{t('stats.table.caption', { count: answer.series.length, n: formatNumber(answer.series.length) })}</caption>
          <thead>
            <tr>
              {answer.dimensions.map((d) => (
                <th scope="col" key={d.id}>
                  {dimensionName(d)}
                </th>
              ))}
              {answer.periods.map((p) => (
                <th scope="col" key={p} class="num">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.key.join('.')} class={s.derived ? 'derived' : undefined}>
                {s.key.map((c, i) => (
                  <th scope="row" key={i}>
                    {codeLabel(places, answer.dimensions[i]?.id ?? '', c, s.names[i] ?? '')}
                    {i === 0 && s.derived && <span class="meta"> {t('stats.derived')}</span>}
                  </th>
                ))}
                {s.values.map((v, i) => (
                  <td key={i} class="num">
                    {full(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {answer.series.length > rows && (
        <p>
          <button type="button" class="secondary" onClick={() => setRows(rows + TABLE_ROWS)}>
            {t('stats.table.more', { n: formatNumber(Math.min(TABLE_ROWS, answer.series.length - rows)) })}
          </button>{' '}
          <span class="hint">{t('stats.table.shown', { shown: formatNumber(rows), total: formatNumber(answer.series.length) })}</span>
        </p>
      )}
    </div>
  );
}

// ---- The explorer ----

/** The query the explorer starts with on a flow's page without one: the world (or the first code) of the first dimension. */
export function defaultQuery(flow: Flow, q: ExplorerQuery): ExplorerQuery {
  if (q.all || Object.keys(q.codes).length > 0 || flow.structure.dimensions.length === 0) return q;
  const first = flow.structure.dimensions[0];
  const codes = flow.structure.codelists.find((c) => c.id === first.codelist)?.codes ?? [];
  const pick = codes.find((c) => c.id === '900') ?? codes[0];
  return pick ? { ...q, codes: { [first.id]: [pick.id] } } : q;
}

export function Explorer({ flow, places, m49Of }: { flow: Flow; places: Places | undefined; m49Of(code: string): number | undefined }) {
  const { path, search } = useLocation();
  const dims = flow.structure.dimensions;
  const dimIds = dims.map((d) => d.id);
  const q = defaultQuery(flow, readQuery(search));
  const key = writeQuery(q, dimIds).toString();
  const data = useResource(() => loadData(flow.agency, flow.id, q, dimIds), [flow.agency, flow.id, key]);
  const go = (next: ExplorerQuery) => {
    const s = writeQuery(next, dimIds).toString();
    navigate(`${path}${s ? `?${s}` : ''}`);
  };
  const downloads = downloadLinks(flow.agency, flow.id, q, dimIds);
  const share = shareLinks(flow.agency, flow.id, q, dimIds);
  return (
    <section aria-labelledby="explorer-h" data-testid="explorer">
      <h2 id="explorer-h">{t('stats.explorer.heading')}</h2>
      <QueryBuilder flow={flow} q={q} places={places} onApply={go} />
      <ChartPicker q={q} flow={flow} answer={data.data} onChange={go} />
      {data.error ? <ErrorBox error={data.error} title={t('stats.explorer.failed')} /> : null}
      {data.loading && <Loading what={t('stats.explorer.loading')} />}
      {data.data && !data.error && (
        <>
          <p class="meta" data-testid="stats-count">
            {t('stats.explorer.count', { series: data.data.series.length, s: formatNumber(data.data.series.length), o: formatNumber(data.data.observations) })}
          </p>
          {q.perCapita && (
            <p class="meta" data-testid="stats-per-capita">
              {t('stats.explorer.perCapita', { flow: q.perCapita, per: q.per })}
            </p>
          )}
          <ChartView flow={flow} answer={data.data} q={q} places={places} m49Of={m49Of} />
        </>
      )}
      <DownloadsAndShare downloads={downloads} link={share.link} embed={share.embed} title={flow.name} />
    </section>
  );
}

function QueryBuilder({ flow, q, places, onApply }: { flow: Flow; q: ExplorerQuery; places: Places | undefined; onApply(q: ExplorerQuery): void }) {
  const [draft, setDraft] = useState(q);
  const signature = JSON.stringify(q);
  useEffect(() => setDraft(q), [signature]);
  const dims = flow.structure.dimensions;
  const aggDim = aggregateDimension(dims.map((d) => d.id));
  return (
    <form
      class="panel stats-query"
      data-testid="stats-query"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <h3>{t('stats.query.heading')}</h3>
      <div class="filter-grid">
        {dims.map((d) => (
          <CodePicker key={d.id} dim={d} flow={flow} places={places} values={draft.codes[d.id] ?? []} onValues={(v) => setDraft({ ...draft, codes: { ...draft.codes, [d.id]: v } })} />
        ))}
      </div>
      <div class="filter-grid">
        <PeriodField label={t('stats.query.start')} value={draft.start} onValue={(v) => setDraft({ ...draft, start: v })} hint={flow.first_period} />
        <PeriodField label={t('stats.query.end')} value={draft.end} onValue={(v) => setDraft({ ...draft, end: v })} hint={flow.last_period} />
        {aggDim && (
          <Select
            label={t('stats.query.aggregate')}
            value={draft.aggregate}
            onValue={(v) => setDraft({ ...draft, aggregate: v as ExplorerQuery['aggregate'] })}
            options={AGGREGATES.map((a) => ({ value: a, label: t(`stats.aggregate.${a || 'none'}`) }))}
          />
        )}
        {aggDim && <PerCapitaPicker flow={flow} value={draft.perCapita} onValue={(v) => setDraft({ ...draft, perCapita: v })} />}
        {aggDim && draft.perCapita && (
          <Select
            label={t('stats.query.per')}
            value={draft.per}
            onValue={(v) => setDraft({ ...draft, per: v as PerScale })}
            options={PER_SCALES.map((p) => ({ value: p, label: t(`stats.per.${p}`) }))}
          />
        )}
      </div>
      <div class="actions">
        <button type="submit" data-testid="stats-apply">
          {t('stats.query.apply')}
        </button>
        <button type="button" class="secondary" onClick={() => onApply({ ...q, codes: Object.fromEntries(dims.map((d) => [d.id, []])), start: '', end: '', aggregate: '', perCapita: '' })}>
          {t('stats.query.everything')}
        </button>
      </div>
    </form>
  );
}

/** "Relative to the population of": the other flows with an area dimension, none = values as given. */
function PerCapitaPicker({ flow, value, onValue }: { flow: Flow; value: string; onValue(v: string): void }) {
  const flows = useResource(loadFlows, []);
  const others = (flows.data ?? []).filter((f) => !(f.agency === flow.agency && f.id === flow.id));
  if (!others.length && !value) return null;
  return (
    <Select
      label={t('stats.query.perCapita')}
      value={value}
      onValue={onValue}
      options={[{ value: '', label: t('stats.query.perCapitaNone') }, ...others.map((f) => ({ value: `${f.agency}:${f.id}`, label: `${f.name} (${f.agency}:${f.id})` }))]}
    />
  );
}

function PeriodField({ label, value, onValue, hint }: { label: string; value: string; onValue(v: string): void; hint: string }) {
  const id = useId('period');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="text" inputMode="numeric" value={value} aria-describedby={`${id}-hint`} onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value.trim())} />
      <small id={`${id}-hint`} class="hint">
        {hint ? t('stats.query.periodHint', { example: hint }) : t('stats.query.periodHintNone')}
      </small>
    </div>
  );
}

/** A searchable multi-select of one dimension's codes (none chosen = every code). */
function CodePicker({ dim, flow, places, values, onValues }: { dim: SdmxComponent; flow: Flow; places: Places | undefined; values: string[]; onValues(v: string[]): void }) {
  const id = useId('codes');
  const [text, setText] = useState('');
  const codes = flow.structure.codelists.find((c) => c.id === dim.codelist)?.codes ?? [];
  const label = (c: { id: string; name: string }) => codeLabel(places, dim.id, c.id, c.name);
  const name = (v: string) => {
    const c = codes.find((x) => x.id === v);
    return c ? label(c) : v;
  };
  const q = text.trim().toLowerCase();
  const matches = q ? codes.filter((c) => !values.includes(c.id) && (label(c).toLowerCase().includes(q) || c.name.toLowerCase().includes(q) || c.id.toLowerCase() === q)).slice(0, 8) : [];
  const add = (v: string) => {
    onValues([...values, v]);
    setText('');
    document.getElementById(id)?.focus();
  };
  const dimName = dimensionName(dim);
  return (
    <div class="field multipick" data-dimension={dim.id}>
      <label for={id}>{dimName}</label>
      {values.length > 0 ? (
        <ul class="chips" aria-label={t('stats.query.chosen', { dimension: dimName })}>
          {values.map((v) => (
            <li key={v}>
              {name(v)}{' '}
              <button type="button" class="chip-remove" aria-label={t('stats.query.remove', { name: name(v) })} onClick={() => onValues(values.filter((x) => x !== v))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">{t('stats.query.all', { count: codes.length, n: formatNumber(codes.length) })}</p>
      )}
      <input
        id={id}
        type="search"
        value={text}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
        placeholder={t('stats.query.searchPlaceholder')}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (matches.length > 0) add(matches[0].id);
          }
        }}
      />
      <small id={`${id}-hint`} class="hint">
        {t('stats.query.pickHint')}
      </small>
      {matches.length > 0 && (
        <ul class="pick-list" aria-label={t('stats.query.matching', { dimension: dimName })}>
          {matches.map((c) => (
            <li key={c.id}>
              <button type="button" class="secondary small" onClick={() => add(c.id)}>
                {label(c)} <span class="meta">({c.id})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** How the answer is shown, and for the one-period charts which dimension and period. */
function ChartPicker({ q, flow, answer, onChange }: { q: ExplorerQuery; flow: Flow; answer: DataAnswer | undefined; onChange(q: ExplorerQuery): void }) {
  const dims = flow.structure.dimensions;
  const onePeriod = q.chart === 'bar' || q.chart === 'map' || q.chart === 'flow';
  return (
    <div class="panel stats-view">
      <fieldset class="chart-kinds">
        <legend>{t('stats.view.legend')}</legend>
        {CHARTS.map((c: ChartKind) => (
          <label key={c} class="radio">
            <input type="radio" name="chart" value={c} checked={q.chart === c} onChange={() => onChange({ ...q, chart: c })} />
            {t(`stats.view.${c}`)}
          </label>
        ))}
      </fieldset>
      {(q.chart === 'bar' || q.chart === 'map') && (
        <Select
          label={t('stats.view.by')}
          value={q.by || defaultBy(dims)?.id || ''}
          onValue={(v) => onChange({ ...q, by: v })}
          options={dims.filter((d) => q.chart === 'bar' || isArea(d.id)).map((d) => ({ value: d.id, label: dimensionName(d) }))}
        />
      )}
      {onePeriod && answer && answer.periods.length > 0 && (
        <Select
          label={t('stats.view.period')}
          value={answer.periods[periodShown(answer, q.period)]}
          onValue={(v) => onChange({ ...q, period: v })}
          options={[...answer.periods].reverse().map((p) => ({ value: p, label: p }))}
        />
      )}
    </div>
  );
}

function DownloadsAndShare({ downloads, link, embed, title }: { downloads: ReturnType<typeof downloadLinks>; link: string; embed: string; title: string }) {
  const [copied, setCopied] = useState('');
  const snippet = `<iframe src="${embed.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" title="${title.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="720" height="480" loading="lazy"></iframe>`;
  const copy = (what: 'link' | 'embed', text: string) => {
    navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(''),
    );
  };
  return (
    <div class="panel stats-share">
      <h3>{t('stats.download.heading')}</h3>
      <ul class="downloads" data-testid="stats-downloads">
        <li>
          <a href={downloads.sdmxCsv} download data-testid="download-sdmx">
            {t('stats.download.sdmxCsv')}
          </a>
        </li>
        <li>
          <a href={downloads.csv} download data-testid="download-csv">
            {t('stats.download.csv')}
          </a>
        </li>
        <li>
          <a href={downloads.xlsx} download data-testid="download-xlsx">
            {t('stats.download.xlsx')}
          </a>
        </li>
      </ul>
      <h3>{t('stats.share.heading')}</h3>
      <CopyField label={t('stats.share.link')} value={link} testId="share-link" onCopy={() => copy('link', link)} />
      <CopyField label={t('stats.share.embed')} value={snippet} testId="share-embed" multiline onCopy={() => copy('embed', snippet)} />
      <p role="status" class="hint" data-testid="share-status">
        {copied === 'link' ? t('stats.share.linkCopied') : copied === 'embed' ? t('stats.share.embedCopied') : ''}
      </p>
    </div>
  );
}

function CopyField({ label, value, testId, multiline, onCopy }: { label: string; value: string; testId: string; multiline?: boolean; onCopy(): void }) {
  const id = useId('copy');
  return (
    <div class="field copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline ? (
          <textarea id={id} readOnly rows={3} value={value} data-testid={testId} dir="ltr" />
        ) : (
          <input id={id} type="text" readOnly value={value} data-testid={testId} dir="ltr" />
        )}
        <button type="button" class="secondary" onClick={onCopy}>
          {t('stats.share.copy')}
          <span class="sr-only"> {label}</span>
        </button>
      </div>
    </div>
  );
}

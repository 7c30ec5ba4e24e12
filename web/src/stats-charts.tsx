// The statistics explorer's charts, drawn as plain SVG: a time series (lines), the largest
// origins or destinations (horizontal bars), and a two-column flow chart between regions. Each
// is a figure whose SVG is an image named by its caption and described by its data, given again
// as a table under it (a <details>, for screen readers and for copying). Colours only repeat what
// the shapes and words say: lines also differ by dash pattern and are named in the legend.
// Pure views over the data API's answer (stats.ts); no fetching here.
import type { ComponentChildren } from 'preact';
import { t } from './i18n';
import { formatNumber } from './format';
import { useId } from './ui';
import type { DataAnswer } from './stats';

/** How many lines a time series chart draws (the table has every series). */
export const MAX_LINES = 8;
/** How many bars the bar chart draws. */
export const MAX_BARS = 15;
/** How many links the flow chart draws. */
export const MAX_LINKS = 30;

const compact = (v: number) => formatNumber(v, { notation: 'compact', maximumFractionDigits: 1 });
export const full = (v: number | null | undefined) => (v == null || Number.isNaN(v) ? '' : formatNumber(v, { maximumFractionDigits: 2 }));

/** Round steps for an axis from 0 to about `max`: 1, 2 or 5 times a power of ten. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.001 && out.length < 20; v += step) out.push(v);
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out;
}

/**
 * A box that scrolls sideways on a narrow screen: a named region a keyboard can focus (Tab) and
 * scroll with the arrow keys.
 */
export function ScrollBox({ label, labelledBy, class: cls = 'table-wrap', children }: { label?: string; labelledBy?: string; class?: string; children: ComponentChildren }) {
  return (
    <div class={cls} role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}

/** A chart's frame: the caption names the SVG image and the data table repeats it in words. */
function ChartFigure({ caption, testId, svg, table, note, after }: { caption: string; testId: string; svg: (captionId: string) => ComponentChildren; table: ComponentChildren; note?: string; after?: ComponentChildren }) {
  const id = useId('chart');
  return (
    <figure class="stats-chart" data-testid={testId}>
      <figcaption id={id}>{caption}</figcaption>
      {note && <p class="hint">{note}</p>}
      <ScrollBox class="chart-scroll" labelledBy={id}>
        {svg(id)}
      </ScrollBox>
      {after}
      <details class="chart-data">
        <summary>{t('stats.chart.dataTable')}</summary>
        <ScrollBox label={t('stats.chart.dataTable')}>{table}</ScrollBox>
      </details>
    </figure>
  );
}

// ---- Time series ----

export interface Line {
  name: string;
  derived: boolean;
  values: (number | null)[];
}

/** The lines to draw: the largest series by their latest value, at most MAX_LINES. */
export function pickLines(answer: DataAnswer, names: (s: DataAnswer['series'][number]) => string): Line[] {
  const last = (v: (number | null)[]) => {
    for (let i = v.length - 1; i >= 0; i--) if (v[i] != null) return v[i] as number;
    return 0;
  };
  return answer.series
    .map((s) => ({ name: names(s), derived: s.derived, values: s.values }))
    .sort((a, b) => last(b.values) - last(a.values))
    .slice(0, MAX_LINES);
}

const W = 720;
const H = 340;
const PAD = { top: 16, right: 16, bottom: 40, left: 64 };

export function LineChart({ caption, periods, lines, total }: { caption: string; periods: string[]; lines: Line[]; total: number }) {
  const max = Math.max(0, ...lines.flatMap((l) => l.values.map((v) => v ?? 0)));
  const ys = ticks(max);
  const top = ys[ys.length - 1] || 1;
  const x = (i: number) => PAD.left + (periods.length <= 1 ? 0 : (i / (periods.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const every = Math.max(1, Math.ceil(periods.length / 10));
  const note = total > lines.length ? t('stats.chart.linesShown', { shown: formatNumber(lines.length), total: formatNumber(total), count: total }) : undefined;
  return (
    <ChartFigure
      caption={caption}
      testId="chart-line"
      note={note}
      after={<Legend lines={lines} />}
      svg={(cid) => (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={cid} class="chart" dir="ltr">
          {ys.map((v) => (
            <g key={v} class="grid">
              <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
                {compact(v)}
              </text>
            </g>
          ))}
          {periods.map((p, i) =>
            i % every === 0 || i === periods.length - 1 ? (
              <text key={p} class="axis" x={x(i)} y={H - PAD.bottom + 18} text-anchor="middle">
                {p}
              </text>
            ) : null,
          )}
          {lines.map((l, k) => {
            // A gap (missing value) breaks the line: the next point starts a new piece (M).
            let d = '';
            l.values.forEach((v, i) => {
              if (v == null) return;
              d += `${i === 0 || l.values[i - 1] == null ? ' M' : ' L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
            });
            d = d.trim();
            return d ? <path key={k} d={d} class={`line ser-${k} dash-${k}`} data-series={l.name} /> : null;
          })}
        </svg>
      )}
      table={
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{t('stats.table.series')}</th>
              {periods.map((p) => (
                <th scope="col" key={p} class="num">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((l, k) => (
              <tr key={k}>
                <th scope="row">{l.name}</th>
                {l.values.map((v, i) => (
                  <td key={i} class="num">
                    {full(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** The lines' legend: each name beside a sample of its line (colour and dash). */
export function Legend({ lines }: { lines: Line[] }) {
  return (
    <ul class="chart-legend" data-testid="chart-legend">
      {lines.map((l, k) => (
        <li key={k}>
          <svg viewBox="0 0 28 8" aria-hidden="true" class="legend-sample">
            <line x1="0" x2="28" y1="4" y2="4" class={`line ser-${k} dash-${k}`} />
          </svg>
          {l.name}
          {l.derived && <span class="meta"> {t('stats.derived')}</span>}
        </li>
      ))}
    </ul>
  );
}

// ---- Bars ----

export interface Bar {
  code: string;
  name: string;
  value: number;
}

export function BarChart({ caption, bars, heading }: { caption: string; bars: Bar[]; heading: string }) {
  const shown = bars.slice(0, MAX_BARS);
  const max = Math.max(0, ...shown.map((b) => b.value));
  const xs = ticks(max, 4);
  const top = xs[xs.length - 1] || 1;
  const rowH = 24;
  const left = 180;
  const width = 720;
  const height = shown.length * rowH + 36;
  const x = (v: number) => left + (v / top) * (width - left - 24);
  const clip = (s: string) => (s.length > 26 ? `${s.slice(0, 25)}…` : s);
  return (
    <ChartFigure
      caption={caption}
      testId="chart-bar"
      svg={(cid) => (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={cid} class="chart" dir="ltr">
          {xs.map((v) => (
            <g key={v} class="grid">
              <line x1={x(v)} x2={x(v)} y1={4} y2={height - 28} />
              <text x={x(v)} y={height - 10} text-anchor="middle">
                {compact(v)}
              </text>
            </g>
          ))}
          {shown.map((b, i) => (
            <g key={b.code} data-code={b.code}>
              <text class="axis" x={left - 8} y={i * rowH + 20} text-anchor="end">
                {clip(b.name)}
              </text>
              <rect class="bar" x={left} y={i * rowH + 6} width={Math.max(1, x(b.value) - left)} height={rowH - 8} />
            </g>
          ))}
        </svg>
      )}
      table={
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{heading}</th>
              <th scope="col" class="num">
                {t('stats.table.value')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((b) => (
              <tr key={b.code}>
                <th scope="row">{b.name}</th>
                <td class="num">{full(b.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

// ---- Flow between two sets (regions of origin → regions of destination) ----

export interface FlowLink {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  value: number;
}

/**
 * Two columns of bars (origins on the left, destinations on the right), each as tall as its
 * total, joined by bands as wide as each flow: a Sankey-like chart without crossings sorted out.
 */
export function FlowChart({ caption, links, fromHeading, toHeading }: { caption: string; links: FlowLink[]; fromHeading: string; toHeading: string }) {
  const shown = [...links].sort((a, b) => b.value - a.value).slice(0, MAX_LINKS);
  const width = 720;
  const height = 420;
  const nodeW = 14;
  const leftX = 200;
  const rightX = width - 200 - nodeW;
  const gap = 8;
  const sums = (side: 'from' | 'to') => {
    const m = new Map<string, { name: string; value: number }>();
    for (const l of shown) {
      const k = l[side];
      const e = m.get(k) ?? { name: side === 'from' ? l.fromName : l.toName, value: 0 };
      e.value += l.value;
      m.set(k, e);
    }
    return [...m.entries()].sort((a, b) => b[1].value - a[1].value);
  };
  const lefts = sums('from');
  const rights = sums('to');
  const total = shown.reduce((s, l) => s + l.value, 0) || 1;
  const scale = (height - 20 - gap * Math.max(lefts.length, rights.length)) / total;
  const place = (nodes: [string, { name: string; value: number }][]) => {
    const pos = new Map<string, { y: number; h: number; next: number; name: string; value: number }>();
    let y = 10;
    for (const [k, n] of nodes) {
      const h = Math.max(1, n.value * scale);
      pos.set(k, { y, h, next: y, name: n.name, value: n.value });
      y += h + gap;
    }
    return pos;
  };
  const L = place(lefts);
  const R = place(rights);
  const bands = shown.map((l) => {
    const a = L.get(l.from)!;
    const b = R.get(l.to)!;
    const h = Math.max(0.5, l.value * scale);
    const y0 = a.next;
    const y1 = b.next;
    a.next += h;
    b.next += h;
    const x0 = leftX + nodeW;
    const x1 = rightX;
    const mid = (x0 + x1) / 2;
    const d = `M${x0},${y0} C${mid},${y0} ${mid},${y1} ${x1},${y1} L${x1},${y1 + h} C${mid},${y1 + h} ${mid},${y0 + h} ${x0},${y0 + h} Z`;
    return { l, d };
  });
  const clip = (s: string) => (s.length > 26 ? `${s.slice(0, 25)}…` : s);
  return (
    <ChartFigure
      caption={caption}
      testId="chart-flow"
      svg={(cid) => (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={cid} class="chart" dir="ltr">
          {bands.map(({ l, d }, i) => (
            <path key={i} d={d} class={`band ser-${[...L.keys()].indexOf(l.from) % MAX_LINES}`} data-from={l.from} data-to={l.to} />
          ))}
          {[...L.entries()].map(([k, n]) => (
            <g key={`l${k}`}>
              <rect class="node" x={leftX} y={n.y} width={nodeW} height={n.h} />
              <text class="axis" x={leftX - 6} y={n.y + n.h / 2 + 4} text-anchor="end">
                {clip(n.name)}
              </text>
            </g>
          ))}
          {[...R.entries()].map(([k, n]) => (
            <g key={`r${k}`}>
              <rect class="node" x={rightX} y={n.y} width={nodeW} height={n.h} />
              <text class="axis" x={rightX + nodeW + 6} y={n.y + n.h / 2 + 4} text-anchor="start">
                {clip(n.name)}
              </text>
            </g>
          ))}
        </svg>
      )}
      table={
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{fromHeading}</th>
              <th scope="col">{toHeading}</th>
              <th scope="col" class="num">
                {t('stats.table.value')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l, i) => (
              <tr key={i}>
                <td>{l.fromName}</td>
                <td>{l.toName}</td>
                <td class="num">{full(l.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

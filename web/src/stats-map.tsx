// The statistics explorer's map: a choropleth of one value per country (ISO 3166 alpha-3 codes,
// matched to the world-atlas shapes through their UN M49 numbers from GET /codelists), drawn as
// SVG from the same bundled Natural Earth 1:110m shapes as the activity map (world-shapes.ts). Only
// ever loaded with import(), with d3-geo and the shapes.
import { HEIGHT, WIDTH, shade, shapes } from './world-shapes';
import { t } from './i18n';
import { formatNumber } from './format';
import { useId } from './ui';
import { ScrollBox, full, type Bar } from './stats-charts';

/**
 * `values`: one bar per area (code = ISO alpha-3); `m49Of` gives a code's M49 number, or
 * undefined for codes with no shape (historical entities, regions): those are listed under the
 * map as not drawn.
 */
export function StatsMap({ caption, values, m49Of, heading }: { caption: string; values: Bar[]; m49Of: (code: string) => number | undefined; heading: string }) {
  const id = useId('map');
  const byNum = new Map<number, Bar>();
  const notDrawn: Bar[] = [];
  for (const v of values) {
    const n = m49Of(v.code);
    if (n === undefined) notDrawn.push(v);
    else byNum.set(n, v);
  }
  const max = Math.max(0, ...values.map((v) => v.value));
  const sorted = [...values].sort((a, b) => b.value - a.value);
  return (
    <figure class="stats-chart stats-map" data-testid="chart-map">
      <figcaption id={id}>{caption}</figcaption>
      <ScrollBox class="chart-scroll" labelledBy={id}>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={id} class="chart" dir="ltr">
          <rect class="sea" x="0" y="0" width={WIDTH} height={HEIGHT} rx="6" />
          {shapes.map((s, i) => {
            const hit = s.m49 != null ? byNum.get(s.m49) : undefined;
            return (
              <path key={i} d={s.d} class={`country c${hit ? shade(hit.value, max) : 0}`} data-code={hit?.code}>
                {hit && <title>{t('stats.map.countryValue', { country: hit.name, value: full(hit.value) })}</title>}
              </path>
            );
          })}
        </svg>
      </ScrollBox>
      <p class="hint">{t('stats.map.legend', { max: full(max) })}</p>
      {notDrawn.length > 0 && <p class="hint">{t('stats.map.notDrawn', { names: notDrawn.map((b) => b.name).join(t('activities.listSeparator')), count: notDrawn.length })}</p>}
      <details class="chart-data">
        <summary>{t('stats.chart.dataTable')}</summary>
        <ScrollBox label={t('stats.chart.dataTable')}>
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
              {sorted.map((b) => (
                <tr key={b.code}>
                  <th scope="row">{b.name}</th>
                  <td class="num">{formatNumber(b.value, { maximumFractionDigits: 2 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </details>
    </figure>
  );
}

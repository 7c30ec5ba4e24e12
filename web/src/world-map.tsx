// The world map of /activities: a choropleth of activity counts by country, drawn as SVG with
// d3-geo from the offline world-atlas (Natural Earth 1:110m) shapes. This module, the shapes and
// d3-geo form their own chunk, loaded with import() after the page's first paint.
import { HEIGHT, WIDTH, shade, shapes } from './world-shapes';
import type { ComponentChildren } from 'preact';
import type { MapCounts } from './api';
import { compareNames, countryName, regionName } from './activities';
import { formatNumber } from './format';
import { t } from './i18n';

export interface WorldMapProps {
  counts: MapCounts | undefined;
  /** M49 → ISO alpha-2 code and name (in the reader's language), from GET /codelists. */
  byM49: Map<number, { code: string; name: string }>;
  /** The country filter (alpha-2 codes). */
  selected: string[];
  onSelect(code: string): void;
  /** The region filter (M49 codes, LDC/LLDC/SIDS). */
  selectedRegions: string[];
  onSelectRegion(code: string): void;
}

/** The map shades only the countries activities name: those recorded for a region or the world
 *  are listed beside it (the page's aside) and in the table below. */
export function WorldMap({ counts, byM49, selected, onSelect, selectedRegions, onSelectRegion }: WorldMapProps) {
  const byNum = new Map<number, { country: string; name: string; count: number }>();
  for (const it of counts?.items ?? []) byNum.set(it.m49, it);
  const max = Math.max(0, ...(counts?.items ?? []).map((i) => i.count));
  const steps = [1, 2, 3, 4, 5].map((k) => Math.max(1, Math.ceil(((k - 1) / 5) ** 2 * max + 0.0001)));

  return (
    <div class="world-map-wrap">
      <figure class="world-map">
        {/* On a phone the map keeps a usable height and scrolls sideways; with no country to tab
            to, the scrolling area itself takes focus so that a keyboard can scroll it. */}
        <div class="map-scroll" role="region" aria-label={t('a11y.mapScrollLabel')} tabIndex={max > 0 ? undefined : 0}>
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={t('map.label')} data-testid="world-map">
            <rect class="sea" x="0" y="0" width={WIDTH} height={HEIGHT} rx="6" />
            {shapes.map((s, i) => {
              const hit = s.m49 != null ? byNum.get(s.m49) : undefined;
              const code = hit?.country ?? (s.m49 != null ? byM49.get(s.m49)?.code : undefined);
              const name = (hit ? countryName(hit.country, hit.name) : undefined) ?? (s.m49 != null ? byM49.get(s.m49)?.name : undefined) ?? s.name;
              const count = hit?.count ?? 0;
              const label = t('map.countryCount', { country: name, count, n: formatNumber(count) });
              const cls = `country c${shade(count, max)}${code && selected.includes(code) ? ' selected' : ''}`;
              const select = code ? () => onSelect(code) : undefined;
              return (
                <path
                  key={i}
                  d={s.d}
                  class={cls}
                  data-country={code}
                  data-count={count}
                  aria-label={count > 0 ? label : undefined}
                  role={count > 0 && code ? 'button' : undefined}
                  aria-pressed={count > 0 && code ? selected.includes(code) : undefined}
                  // Lower case: Preact sets SVG props as attributes, and "tabIndex" is no attribute.
                  tabindex={count > 0 && code ? 0 : undefined}
                  onClick={select}
                  onKeyDown={
                    select &&
                    ((e: KeyboardEvent) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        select();
                      }
                    })
                  }
                >
                  <title>{label}</title>
                </path>
              );
            })}
          </svg>
        </div>
        <p class="map-scroll-cue" aria-hidden="true">
          {t('a11y.mapScrollCue')}
        </p>
        <figcaption class="map-legend">
          <span>{t('map.legend')}</span>
          <span class="key">
            <svg viewBox="0 0 14 10" aria-hidden="true">
              <rect class="country c0" width="14" height="10" />
            </svg>
            {t('map.legendNone')}
          </span>
          {max > 0 &&
            steps
              .filter((v, k) => k === 0 || v > steps[k - 1])
              .map((v, k, arr) => (
                <span class="key" key={v}>
                  <svg viewBox="0 0 14 10" aria-hidden="true">
                    <rect class={`country c${shade(v, max)}`} width="14" height="10" />
                  </svg>
                  {k === arr.length - 1 ? (v === max ? formatNumber(v) : `${formatNumber(v)}–${formatNumber(max)}`) : arr[k + 1] - 1 > v ? `${formatNumber(v)}–${formatNumber(arr[k + 1] - 1)}` : formatNumber(v)}
                </span>
              ))}
          <span class="hint">{t('map.selectHint')}</span>
          {max > 0 && <span class="hint">{t('a11y.mapKeyboardHint')}</span>}
        </figcaption>
      </figure>
      <CountsTable counts={counts} selected={selected} onSelect={onSelect} selectedRegions={selectedRegions} onSelectRegion={onSelectRegion} />
    </div>
  );
}

/** The map's text alternative: each country with activities and its count, most first, then
 *  the regions with activities recorded for them and the global ones (not on the map); a name is
 *  a toggle button for the country or region filter, as on the map. */
function CountsTable({ counts, selected, onSelect, selectedRegions, onSelectRegion }: Omit<WorldMapProps, 'byM49'>) {
  const byCount = <T extends { count: number; name: string }>(a: T, b: T) => b.count - a.count || compareNames(a.name, b.name);
  const rows = (counts?.items ?? []).map((r) => ({ code: r.country, count: r.count, name: countryName(r.country, r.name) })).sort(byCount);
  const regions = (counts?.regions ?? []).map((r) => ({ code: r.region, count: r.count, name: regionName(r.region, r.name) })).sort(byCount);
  return (
    <details class="map-table" data-testid="map-table">
      <summary>{t('a11y.mapTableSummary')}</summary>
      {rows.length === 0 ? (
        <p>{t('a11y.mapTableEmpty')}</p>
      ) : (
        <>
          <p class="hint">{t('a11y.mapTableButtonHint')}</p>
          <PlaceTable kind="country" caption={t('a11y.mapTableCaption')} captionHidden heading={t('a11y.mapTableCountry')} rows={rows} selected={selected} onSelect={onSelect} />
        </>
      )}
      {counts && (regions.length > 0 || counts.global > 0) && (
        <PlaceTable kind="region" testid="map-table-regions" caption={t('a11y.mapTableRegionsCaption')} heading={t('a11y.mapTableRegion')} rows={regions} selected={selectedRegions} onSelect={onSelectRegion}>
          {counts.global > 0 && (
            <tr data-region="global">
              <th scope="row">{t('a11y.mapTableGlobal')}</th>
              <td class="num">{formatNumber(counts.global)}</td>
            </tr>
          )}
        </PlaceTable>
      )}
    </details>
  );
}

interface PlaceTableProps {
  kind: 'country' | 'region'; // names the rows' data attribute (data-country, data-region)
  caption: string;
  captionHidden?: boolean;
  heading: string;
  testid?: string;
  rows: { code: string; name: string; count: number }[];
  selected: string[];
  onSelect: (code: string) => void;
  children?: ComponentChildren; // rows after the places (e.g. the global ones)
}

/** One table of places and their counts; each name toggles that place's filter. */
function PlaceTable({ kind, caption, captionHidden, heading, testid, rows, selected, onSelect, children }: PlaceTableProps) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid={testid}>
        <caption class={captionHidden ? 'sr-only' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col" class="num">
              {t('a11y.mapTableCount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code} {...{ [`data-${kind}`]: r.code }}>
              <th scope="row">
                <button type="button" class="link-button" aria-pressed={selected.includes(r.code)} onClick={() => onSelect(r.code)}>
                  {r.name}
                </button>
              </th>
              <td class="num">{formatNumber(r.count)}</td>
            </tr>
          ))}
          {children}
        </tbody>
      </table>
    </div>
  );
}

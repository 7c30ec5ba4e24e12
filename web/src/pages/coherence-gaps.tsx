// /coherence/gaps: where need is high and coverage low — a heat map of themes × regions (drill
// down to a region's countries) and the same cells as a ranked list, with the sources named.
// The heat map is a table: each cell is a button showing the gap as a number (the colour only
// repeats it), reached with Tab, naming its theme, place, need and coverage to screen readers.
import { api, query } from '../api';
import { countryName, regionName } from '../activities';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link, navigate, useLocation } from '../router';
import { EmptyState, ErrorBox, Loading, Select, useResource } from '../ui';
import type { Reference } from './coherence';
import { NeedPanel } from './coherence-need';

export interface GapCell {
  theme: string;
  area: string;
  area_name: string;
  need: number;
  indicators: { id: string; value: number; year: number }[];
  coverage: number;
  gap: number;
}

export interface GapAnswer {
  level: 'region' | 'country';
  cells: GapCell[];
  sources: { id: string; name: string; year: number; url: string }[];
  /** Indicators whose dataflow is not loaded (no figures). */
  missing?: string[];
}

const decimal = (v: number) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A gap's colour class: five steps of 0.2 (gap-0 … gap-4). */
const bucket = (gap: number) => `gap-${Math.min(4, Math.max(0, Math.floor(gap * 5)))}`;
/** How many cells the ranked list shows. */
const RANKED = 20;

export function GapsSection({ reference }: { reference: Reference }) {
  const { search } = useLocation();
  const theme = search.get('theme') ?? '';
  const region = search.get('region') ?? '';
  const level = region ? 'country' : 'region';
  const res = useResource(() => api.get<GapAnswer>(`/coherence/gaps${query({ level, region, theme, limit: 2000 })}`).then((r) => r.data), [level, region, theme]);
  const themeName = (id: string) => reference.themes.find((x) => x.id === id)?.name ?? id;
  const areaName = (c: GapCell) => (level === 'country' ? countryName(c.area, c.area_name) : regionName(c.area, c.area_name));
  const regions = reference.codelists.regions.filter((r) => r.level === 'region');
  const go = (next: { theme?: string; region?: string }) => {
    const q = new URLSearchParams();
    const th = next.theme ?? theme;
    const rg = next.region ?? region;
    if (th) q.set('theme', th);
    if (rg) q.set('region', rg);
    const s = q.toString();
    navigate(`/coherence/gaps${s ? `?${s}` : ''}`);
  };

  const data = res.data;
  const themes = data ? [...new Set(data.cells.map((c) => c.theme))].sort((a, b) => themeName(a).localeCompare(themeName(b))) : [];
  const areas = data ? [...new Map(data.cells.map((c) => [c.area, c])).values()].sort((a, b) => areaName(a).localeCompare(areaName(b))) : [];
  const cellOf = (th: string, area: string) => data?.cells.find((c) => c.theme === th && c.area === area);
  const ranked = data ? [...data.cells].sort((a, b) => b.gap - a.gap).slice(0, RANKED) : [];

  return (
    <section aria-labelledby="gaps-h" data-testid="gaps">
      <h2 id="gaps-h">{t('coherence.tab.gaps')}</h2>
      <p>{t('coherence.gaps.lede')}</p>
      <div class="panel filters filter-grid">
        <Select
          label={t('coherence.filter.theme')}
          value={theme}
          onValue={(v) => go({ theme: v })}
          options={[{ value: '', label: t('coherence.filter.any') }, ...reference.themes.filter((x) => !x.archived).map((x) => ({ value: x.id, label: x.name }))]}
        />
        <Select
          label={t('coherence.filter.region')}
          value={region}
          onValue={(v) => go({ region: v })}
          options={[{ value: '', label: t('coherence.gaps.allRegions') }, ...regions.map((r) => ({ value: r.code, label: regionName(r.code, r.name) }))]}
        />
      </div>
      {region && (
        <p class="crumbs">
          <Link href={`/coherence/gaps${theme ? `?theme=${encodeURIComponent(theme)}` : ''}`}>{t('coherence.gaps.backToRegions')}</Link> › {regionName(region)}
        </p>
      )}
      {res.error ? <ErrorBox error={res.error} /> : null}
      {data && (data.missing?.length ?? 0) > 0 && (
        <p class="hint" data-testid="gaps-missing">
          {t('coherence.gaps.missing', { count: data.missing?.length ?? 0, ids: (data.missing ?? []).join(', ') })} <Link href="/stats">{t('coherence.gaps.toStatistics')}</Link>
        </p>
      )}
      {!data ? (
        res.error ? null : <Loading what={t('coherence.gaps.loading')} />
      ) : data.cells.length === 0 ? (
        <EmptyState testId="gaps-empty" message={t('coherence.gaps.empty')} />
      ) : (
        <>
          <h3 id="heatmap-h">{level === 'country' ? t('coherence.gaps.heatmapCountries', { region: regionName(region) }) : t('coherence.gaps.heatmap')}</h3>
          <p class="hint">{t('coherence.gaps.legend')}</p>
          <div class="table-wrap">
            <table class="table heatmap" aria-labelledby="heatmap-h" data-testid="heatmap">
              <thead>
                <tr>
                  <th scope="col">{t('coherence.gaps.theme')}</th>
                  {areas.map((a) => (
                    <th scope="col" key={a.area}>
                      {areaName(a)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {themes.map((th) => (
                  <tr key={th}>
                    <th scope="row">{themeName(th)}</th>
                    {areas.map((a) => {
                      const c = cellOf(th, a.area);
                      if (!c) return <td key={a.area} class="gap-none">{'–'}</td>;
                      const label = t('coherence.gaps.cellLabel', {
                        theme: themeName(th),
                        area: areaName(a),
                        gap: decimal(c.gap),
                        need: decimal(c.need),
                        count: c.coverage,
                        coverage: formatNumber(c.coverage),
                      });
                      return (
                        <td key={a.area} class={bucket(c.gap)}>
                          {level === 'region' ? (
                            <button type="button" class="cell" aria-label={`${label} ${t('coherence.gaps.drill')}`} onClick={() => go({ region: c.area })}>
                              {decimal(c.gap)}
                            </button>
                          ) : (
                            <a class="cell" href={`/activities?country=${encodeURIComponent(c.area)}&theme=${encodeURIComponent(c.theme)}`} aria-label={`${label} ${t('coherence.gaps.showActivities')}`}>
                              {decimal(c.gap)}
                            </a>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('coherence.gaps.ranked')}</h3>
          <ol class="ranked" data-testid="gaps-ranked">
            {ranked.map((c) => (
              <li key={`${c.theme}|${c.area}`}>
                <strong>{t('coherence.gaps.rankedItem', { theme: themeName(c.theme), area: areaName(c) })}</strong>{' '}
                <span class="meta">
                  {t('coherence.gaps.rankedFacts', { gap: decimal(c.gap), need: decimal(c.need), count: c.coverage, coverage: formatNumber(c.coverage) })}
                </span>
              </li>
            ))}
          </ol>
          {data.sources.length > 0 && (
            <>
              <h3>{t('coherence.gaps.sources')}</h3>
              <ul data-testid="gaps-sources">
                {data.sources.map((s) => (
                  <li key={s.id}>
                    {s.url ? (
                      <a href={s.url} lang="en" rel="noopener noreferrer">
                        {s.name}
                      </a>
                    ) : (
                      <span lang="en">{s.name}</span>
                    )}{' '}
                    <span class="meta">({s.year})</span>
                  </li>
                ))}
              </ul>
              <p class="hint">{t('coherence.gaps.method')}</p>
            </>
          )}
        </>
      )}
      <NeedPanel reference={reference} />
    </section>
  );
}

// /embed/stats?flow=AGENCY,ID&…: only the chart of an explorer query (the parameters of
// /stats/:agency/:id's address), for an <iframe> on another site. The server serves this path
// without frame denial (CSP frame-ancestors *); the shell shows no header or footer here. The
// dataflow's name and a link to the full page (opened outside the frame) name the source.
import { t } from '../i18n';
import { useLocation } from '../router';
import { ErrorBox, Loading, usePageTitle, useResource } from '../ui';
import { loadData, loadFlow, readQuery } from '../stats';
import { ChartView, defaultQuery } from '../stats-explorer';
import { usePlaces } from './stats-flow';

export function StatsEmbedPage() {
  const { search } = useLocation();
  const [agency = '', id = ''] = (search.get('flow') ?? '').split(',');
  const flow = useResource(() => loadFlow(agency, id), [agency, id]);
  const { places, m49Of } = usePlaces();
  const f = flow.data;
  const q = f ? defaultQuery(f, readQuery(search)) : null;
  const dims = f?.structure.dimensions.map((d) => d.id) ?? [];
  const data = useResource(() => (f && q ? loadData(f.agency, f.id, q, dims) : Promise.resolve(undefined)), [f, search.toString()]);
  usePageTitle(f?.name ?? t('stats.title'));
  const full = new URLSearchParams(search);
  full.delete('flow');
  const href = `/stats/${encodeURIComponent(agency)}/${encodeURIComponent(id)}${full.toString() ? `?${full}` : ''}`;
  return (
    <section class="stats-embed" data-testid="stats-embed">
      <h1 lang="en">{f?.name ?? `${agency}:${id}`}</h1>
      {flow.error ? <ErrorBox error={flow.error} /> : null}
      {data.error ? <ErrorBox error={data.error} /> : null}
      {f && q && data.data ? <ChartView flow={f} answer={data.data} q={q} places={places} m49Of={m49Of} /> : !flow.error && !data.error && <Loading what={t('stats.explorer.loading')} />}
      <p class="meta">
        {t('stats.embed.source', { provider: f?.provider.toUpperCase() ?? agency })}{' '}
        <a href={href} target="_blank" rel="noopener">
          {t('stats.embed.open')}
        </a>
      </p>
    </section>
  );
}

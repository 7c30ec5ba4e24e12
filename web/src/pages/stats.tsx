// /stats: the dataflows (international migrant stock, refugees…), each with its provider, the
// periods it covers, its size and its latest release (who, when, from which file): where the
// statistics come from, before any chart.
import { Link } from '../router';
import { t } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Loading, Table, usePageTitle, useResource } from '../ui';
import { canUploadStats, loadFlows, type FlowSummary } from '../stats';

export const flowHref = (f: { agency: string; id: string }) => `/stats/${encodeURIComponent(f.agency)}/${encodeURIComponent(f.id)}`;

export function StatsPage() {
  usePageTitle(t('stats.title'));
  const { user } = useSession();
  const flows = useResource(loadFlows, []);
  return (
    <section class="stats">
      <h1>{t('stats.title')}</h1>
      <p class="lede">{t('stats.lede')}</p>
      <p>
        {t('stats.sdmxNote')} <a href="/sdmx/dataflow">{t('stats.sdmxLink')}</a>
      </p>
      {canUploadStats(user) && (
        <p>
          <Link href="/stats/upload" class="button">
            {t('stats.upload.action')}
          </Link>
        </p>
      )}
      {flows.error ? <ErrorBox error={flows.error} /> : null}
      {!flows.data ? (
        flows.error ? null : <Loading what={t('stats.loading')} />
      ) : flows.data.length === 0 ? (
        <EmptyState
          testId="stats-empty"
          message={t('stats.empty')}
          hint={canUploadStats(user) ? undefined : t('stats.emptyHint')}
          actions={canUploadStats(user) ? [{ label: t('stats.upload.action'), href: '/stats/upload' }] : []}
        />
      ) : (
        <Table columns={[t('stats.col.name'), t('stats.col.provider'), t('stats.col.periods'), t('stats.col.observations'), t('stats.col.release')]} testId="stats-flows" label={t('stats.title')}>
          {flows.data.map((f) => (
            <FlowRow key={`${f.agency}:${f.id}`} f={f} />
          ))}
        </Table>
      )}
    </section>
  );
}

function FlowRow({ f }: { f: FlowSummary }) {
  return (
    <tr data-flow={`${f.agency}:${f.id}`}>
      <td>
        <Link href={flowHref(f)}>
          <span lang="en">{f.name}</span>
        </Link>
        <div class="meta">
          <code>
            {f.agency}:{f.id}
          </code>
        </div>
      </td>
      <td>
        <Link href={`/members/${encodeURIComponent(f.provider)}`}>{f.provider.toUpperCase()}</Link>
      </td>
      <td>{f.first_period && f.last_period ? t('stats.periodRange', { from: f.first_period, to: f.last_period }) : '–'}</td>
      <td class="num">{formatNumber(f.observations)}</td>
      <td>
        {f.current ? (
          <>
            {t('stats.releaseShort', { number: f.current.number, date: formatTimestamp(f.current.created_at) })}
            <div class="meta">
              <bdi>{f.current.user_name}</bdi> · <bdi>{f.current.file_name}</bdi>
            </div>
          </>
        ) : (
          t('stats.noRelease')
        )}
      </td>
    </tr>
  );
}

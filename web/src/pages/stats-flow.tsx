// /stats/:agency/:id: one dataflow — what it is and who provides it, the explorer (query,
// chart, table, downloads, link and embed), its structure (dimensions and codelists) and its
// releases (who uploaded which file when, its SHA-256; earlier releases kept in history).
import { useState } from 'preact/hooks';
import { Link } from '../router';
import { t } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { useSession } from '../session';
import { loadCodelists } from '../activities';
import { ErrorBox, Loading, Paragraphs, Table, usePageTitle, useResource } from '../ui';
import { canUploadTo, loadFlow, placesOf, type Flow, type StatsRelease } from '../stats';
import { Explorer, dimensionName, codeLabel } from '../stats-explorer';
import type { Places } from '../stats';

/** Codes listed per codelist before "show all". */
const CODES_SHOWN = 20;

/** The reference the explorer names areas and draws the map with: GET /codelists' countries. */
export function usePlaces() {
  const ref = useResource(() => loadCodelists().then((c) => placesOf(c.countries)), []);
  const m49Of = (code: string) => ref.data?.byIso3.get(code)?.m49;
  return { places: ref.data, m49Of, error: ref.error };
}

export function StatsFlowPage({ agency, id }: { agency: string; id: string }) {
  const flow = useResource(() => loadFlow(agency, id), [agency, id]);
  const { places, m49Of } = usePlaces();
  const { user } = useSession();
  usePageTitle(flow.data?.name ?? t('stats.title'));
  if (flow.error && !flow.data) {
    return (
      <section>
        <p class="crumbs">
          <Link href="/stats">{t('stats.title')}</Link>
        </p>
        <h1>{t('stats.flow.notFound')}</h1>
        <ErrorBox error={flow.error} />
      </section>
    );
  }
  if (!flow.data) return <Loading what={t('stats.flow.loading')} />;
  const f = flow.data;
  return (
    <section class="stats-flow">
      <p class="crumbs">
        <Link href="/stats">{t('stats.title')}</Link> › <code>{`${f.agency}:${f.id}`}</code>
      </p>
      <h1 lang="en">{f.name}</h1>
      {f.description && <Paragraphs text={f.description} lang="en" dir="auto" />}
      <p class="meta" data-testid="flow-facts">
        {t('stats.flow.facts', {
          provider: f.provider.toUpperCase(),
          from: f.first_period || '–',
          to: f.last_period || '–',
          series: formatNumber(f.series),
          observations: formatNumber(f.observations),
          count: f.observations,
        })}
      </p>
      {canUploadTo(user, f.agency) && (
        <p>
          <Link href={`/stats/upload?agency=${encodeURIComponent(f.agency)}&id=${encodeURIComponent(f.id)}`} class="button secondary">
            {t('stats.flow.uploadRelease')}
          </Link>
        </p>
      )}
      <Explorer flow={f} places={places} m49Of={m49Of} />
      <Structure flow={f} places={places} />
      <Releases releases={f.releases} />
    </section>
  );
}

function Structure({ flow, places }: { flow: Flow; places: Places | undefined }) {
  const s = flow.structure;
  return (
    <section aria-labelledby="structure-h" data-testid="flow-structure">
      <h2 id="structure-h">{t('stats.structure.heading')}</h2>
      <p>{t('stats.structure.lede', { time: s.time_dimension, measure: s.primary_measure })}</p>
      <Table columns={[t('stats.structure.position'), t('stats.structure.dimension'), t('stats.structure.id'), t('stats.structure.codelist'), t('stats.structure.codes')]} compact testId="flow-dimensions" label={t('stats.structure.heading')}>
        {s.dimensions.map((d, i) => {
          const cl = s.codelists.find((c) => c.id === d.codelist);
          return (
            <tr key={d.id}>
              <td class="num">{formatNumber(i + 1)}</td>
              <td>{dimensionName(d)}</td>
              <td>
                <code>{d.id}</code>
              </td>
              <td>{d.codelist ? <code>{d.codelist}</code> : t('stats.structure.uncoded')}</td>
              <td class="num">{formatNumber(cl?.codes.length ?? 0)}</td>
            </tr>
          );
        })}
      </Table>
      {s.attributes.length > 0 && (
        <p>
          {t('stats.structure.attributes')}{' '}
          {s.attributes.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ', '}
              <code>{a.id}</code>
            </span>
          ))}
        </p>
      )}
      <h3>{t('stats.structure.codelists')}</h3>
      {s.codelists.map((cl) => (
        <CodelistBox key={cl.id} cl={cl} dimension={s.dimensions.find((d) => d.codelist === cl.id)?.id ?? ''} places={places} />
      ))}
    </section>
  );
}

function CodelistBox({ cl, dimension, places }: { cl: Flow['structure']['codelists'][number]; dimension: string; places: Places | undefined }) {
  const [all, setAll] = useState(false);
  const shown = all ? cl.codes : cl.codes.slice(0, CODES_SHOWN);
  return (
    <details class="codelist" data-codelist={cl.id}>
      <summary>
        <code>{cl.id}</code> <span lang="en">{cl.name}</span> · {t('stats.structure.codeCount', { count: cl.codes.length, n: formatNumber(cl.codes.length) })}
      </summary>
      <ul class="codes">
        {shown.map((c) => (
          <li key={c.id}>
            <code>{c.id}</code> {codeLabel(places, dimension, c.id, c.name)}
          </li>
        ))}
      </ul>
      {!all && cl.codes.length > CODES_SHOWN && (
        <button type="button" class="secondary small" onClick={() => setAll(true)}>
          {t('stats.structure.showAll', { n: formatNumber(cl.codes.length) })}
        </button>
      )}
    </details>
  );
}

function Releases({ releases }: { releases: StatsRelease[] }) {
  return (
    <section aria-labelledby="releases-h" data-testid="flow-releases">
      <h2 id="releases-h">{t('stats.releases.heading')}</h2>
      <p>{t('stats.releases.lede')}</p>
      {releases.length === 0 ? (
        <p>{t('stats.noRelease')}</p>
      ) : (
        <Table columns={[t('stats.releases.number'), t('stats.releases.status'), t('stats.releases.when'), t('stats.releases.who'), t('stats.releases.file'), t('stats.releases.observations'), t('stats.releases.sha256')]} compact testId="releases" label={t('stats.releases.heading')}>
          {releases.map((r) => (
            <tr key={r.number} data-release={r.number}>
              <td class="num">{formatNumber(r.number)}</td>
              <td>{r.status === 'current' ? t('stats.releases.current') : t('stats.releases.superseded')}</td>
              <td>{formatTimestamp(r.created_at)}</td>
              <td>
                <bdi>{r.user_name}</bdi> <span class="meta">({r.provider.toUpperCase()})</span>
              </td>
              <td>
                <bdi>{r.file_name}</bdi> <span class="meta">{r.format}</span>
                {r.note && (
                  <div class="meta" lang="en" dir="auto">
                    {r.note}
                  </div>
                )}
              </td>
              <td class="num">
                {formatNumber(r.observations)}
                <div class="meta">{t('stats.releases.changed', { n: formatNumber(r.changed) })}</div>
              </td>
              <td>
                <code class="hash" title={r.sha256}>
                  {r.sha256.slice(0, 12)}…
                </code>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

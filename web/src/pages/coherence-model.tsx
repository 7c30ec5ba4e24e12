// /coherence/model: the weights the engine scores with, now and by default, how many verdicts of
// people's feedback the last re-estimation used, and (secretariat, admin) the button that
// re-fits the weights from the feedback. The page says in words how feedback moved the model.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { canEstimate, type AnalysisStatus } from '../coherence';
import { t } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Loading, Table, useResource } from '../ui';
import { comparisonLabel, levelLabel, signedWeight } from './coherence-finding';

export interface ModelLevel {
  comparison: string;
  level: string;
  weight?: number;
  default_weight?: number;
  m?: number;
  u?: number;
  default_m?: number;
  default_u?: number;
}

export interface ModelAnswer {
  prior_weight?: number;
  default_prior_weight?: number;
  levels: ModelLevel[];
  labels_used: number;
  estimated_at: string | null;
  status?: AnalysisStatus | string;
}

const log2ratio = (m?: number, u?: number) => (m !== undefined && u !== undefined && m > 0 && u > 0 ? Math.log2(m / u) : 0);
export const weightNow = (l: ModelLevel) => l.weight ?? log2ratio(l.m, l.u);
export const weightDefault = (l: ModelLevel) => l.default_weight ?? log2ratio(l.default_m, l.default_u);

/** The levels whose weight moved most, biggest first (at most `n`). */
function moved(levels: ModelLevel[], n: number): ModelLevel[] {
  return levels
    .filter((l) => Math.abs(weightNow(l) - weightDefault(l)) >= 0.05)
    .sort((a, b) => Math.abs(weightNow(b) - weightDefault(b)) - Math.abs(weightNow(a) - weightDefault(a)))
    .slice(0, n);
}

export function ModelSection() {
  const { user } = useSession();
  const res = useResource(() => (user ? api.get<ModelAnswer>('/coherence/model').then((r) => r.data) : Promise.resolve(null)), [user?.id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  if (user === undefined) return <Loading />;
  if (!user) {
    return (
      <EmptyState
        testId="coherence-signin"
        message={t('coherence.signInNeeded')}
        actions={[{ label: t('shell.signIn'), href: `/signin?next=${encodeURIComponent(location.pathname)}` }]}
      />
    );
  }

  async function estimate() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await api.post<ModelAnswer>('/coherence/model/estimate', {});
      setDone(t('coherence.model.estimated', { count: r.data?.labels_used ?? 0, n: formatNumber(r.data?.labels_used ?? 0) }));
      res.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const m = res.data;
  const changes = m ? moved(m.levels, 3) : [];
  return (
    <section aria-labelledby="model-h" data-testid="model">
      <h2 id="model-h">{t('coherence.tab.model')}</h2>
      <p>{t('coherence.model.lede')}</p>
      {res.error ? <ErrorBox error={res.error} /> : null}
      {!m ? (
        res.error ? null : <Loading what={t('coherence.model.loading')} />
      ) : (
        <>
          <p data-testid="model-sentence">
            {m.labels_used > 0 && m.estimated_at
              ? t('coherence.model.adjusted', { count: m.labels_used, n: formatNumber(m.labels_used), at: formatTimestamp(m.estimated_at) })
              : m.estimated_at
                ? t('coherence.model.estimatedNoLabels', { at: formatTimestamp(m.estimated_at) })
                : t('coherence.model.defaults')}
          </p>
          {changes.length > 0 && (
            <ul data-testid="model-changes">
              {changes.map((l) => (
                <li key={`${l.comparison}|${l.level}`}>
                  {t('coherence.model.change', {
                    comparison: comparisonLabel(l.comparison),
                    level: levelLabel(l.comparison, l.level),
                    from: signedWeight(weightDefault(l)),
                    to: signedWeight(weightNow(l)),
                  })}
                </li>
              ))}
            </ul>
          )}
          {canEstimate(user) && (
            <div class="actions">
              <button type="button" onClick={estimate} disabled={busy} data-testid="estimate">
                {busy ? t('coherence.model.estimating') : t('coherence.model.estimate')}
              </button>
              <span role="status" class="hint">
                {done ?? ''}
              </span>
            </div>
          )}
          <ErrorBox error={error} />
          <Table columns={[t('coherence.waterfall.colComparison'), t('coherence.waterfall.colLevel'), t('coherence.model.colNow'), t('coherence.model.colDefault')]} compact testId="model-weights">
            {m.prior_weight !== undefined && (
              <tr>
                <td>{t('coherence.waterfall.prior')}</td>
                <td />
                <td>{signedWeight(m.prior_weight)}</td>
                <td>{m.default_prior_weight !== undefined ? signedWeight(m.default_prior_weight) : ''}</td>
              </tr>
            )}
            {m.levels.map((l) => (
              <tr key={`${l.comparison}|${l.level}`}>
                <td>{comparisonLabel(l.comparison)}</td>
                <td>{levelLabel(l.comparison, l.level)}</td>
                <td>{signedWeight(weightNow(l))}</td>
                <td>{signedWeight(weightDefault(l))}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}

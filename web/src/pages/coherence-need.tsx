// The need configuration under the gaps: which statistics (dataflow, area dimension, fixed
// codes) weigh which theme, how many countries each gives figures for, and which are missing
// because their dataflow is not loaded. Everyone reads it; an administrator edits the weights
// (PUT /api/v1/coherence/need, audited). A weight is a number input labelled with its theme and
// indicator, so the table is usable by keyboard and screen reader alike.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { useSession } from '../session';
import { ErrorBox, Loading, Notice, useResource, useSubmit } from '../ui';
import type { Reference } from './coherence';

interface Indicator {
  id: string;
  name: string;
  agency: string;
  flow_id: string;
  area_dimension: string;
  filters: Record<string, string>;
  countries?: number;
}
interface Weight {
  indicator: string;
  weight: number;
}
export interface NeedConfig {
  indicators: Indicator[];
  themes: Record<string, Weight[]>;
  missing?: string[];
}

/** The weights as text per theme and indicator ("" = not weighed), for the inputs. */
function weightTexts(c: NeedConfig): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [theme, ws] of Object.entries(c.themes)) {
    out[theme] = {};
    for (const w of ws) out[theme][w.indicator] = String(w.weight);
  }
  return out;
}

export function NeedPanel({ reference }: { reference: Reference }) {
  const { user } = useSession();
  const admin = user?.role === 'admin';
  const res = useResource(() => api.get<NeedConfig>('/coherence/need').then((r) => r.data), []);
  const [texts, setTexts] = useState<Record<string, Record<string, string>>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (res.data) setTexts(weightTexts(res.data));
  }, [res.data]);
  const config = res.data;
  const submit = useSubmit(async () => {
    if (!config) return;
    const themes: Record<string, Weight[]> = {};
    for (const [theme, row] of Object.entries(texts)) {
      const ws = Object.entries(row)
        .filter(([, v]) => v.trim() !== '')
        .map(([indicator, v]) => ({ indicator, weight: Number(v) }));
      if (ws.length > 0) themes[theme] = ws;
    }
    const indicators = config.indicators.map(({ countries: _countries, ...i }) => i);
    setSaved(false);
    await api.put('/coherence/need', { indicators, themes });
    setSaved(true);
  });
  if (res.error) return <ErrorBox error={res.error} />;
  if (!config) return <Loading what={t('coherence.need.loading')} />;
  const themes = reference.themes.filter((x) => !x.archived);
  const set = (theme: string, indicator: string, v: string) => {
    setSaved(false);
    setTexts((old) => ({ ...old, [theme]: { ...old[theme], [indicator]: v } }));
  };
  return (
    <section aria-labelledby="need-h" data-testid="need-config">
      <h3 id="need-h">{t('coherence.need.title')}</h3>
      <p class="hint">{t('coherence.need.lede')}</p>
      <ul data-testid="need-indicators">
        {config.indicators.map((i) => (
          <li key={i.id}>
            <span lang="en">{i.name}</span>{' '}
            <a href={`/stats/${encodeURIComponent(i.agency)}/${encodeURIComponent(i.flow_id)}`}>{`${i.agency}:${i.flow_id}`}</a>{' '}
            <span class="meta">
              {config.missing?.includes(i.id) ? t('coherence.need.missing') : t('coherence.need.countries', { count: i.countries ?? 0, n: formatNumber(i.countries ?? 0) })}
            </span>
          </li>
        ))}
      </ul>
      <form onSubmit={submit.onSubmit}>
        <div class="table-wrap">
          <table class="table compact" data-testid="need-weights">
            <thead>
              <tr>
                <th scope="col">{t('coherence.gaps.theme')}</th>
                {config.indicators.map((i) => (
                  <th scope="col" key={i.id} lang="en">
                    {i.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {themes.map((th) => (
                <tr key={th.id}>
                  <th scope="row">{th.name}</th>
                  {config.indicators.map((i) => {
                    const v = texts[th.id]?.[i.id] ?? '';
                    return (
                      <td key={i.id}>
                        {admin ? (
                          <input
                            type="number"
                            min="0"
                            max="1000"
                            step="any"
                            class="weight"
                            value={v}
                            aria-label={t('coherence.need.weightLabel', { theme: th.name, indicator: i.name })}
                            onInput={(e) => set(th.id, i.id, (e.target as HTMLInputElement).value)}
                          />
                        ) : (
                          v || '–'
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {admin && (
          <>
            {submit.error ? <ErrorBox error={submit.error} /> : null}
            {saved && <Notice>{t('coherence.need.saved')}</Notice>}
            <button type="submit" class="primary" disabled={submit.busy} data-testid="need-save">
              {t('coherence.need.save')}
            </button>
          </>
        )}
      </form>
    </section>
  );
}

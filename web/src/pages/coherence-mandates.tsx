// /coherence/mandates: which organisation works on which theme, against its stated mandate.
// A table of organisations × themes; each cell says in text and with a mark (not by colour
// alone) whether the theme is in the stated mandate and how many activities work on it. Those
// who may (the organisation's focal point, secretariat, admin) edit the stated themes in place.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { canEditMandate } from '../coherence';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Loading, RowButton, useResource } from '../ui';
import type { Reference } from './coherence';

export interface MandateRow {
  organization_id: string;
  organization_name: string;
  themes: { theme: string; stated: boolean; activities: number; countries: number }[];
}

type CellKind = 'both' | 'stated' | 'unstated' | 'none';

function kindOf(c: MandateRow['themes'][number] | undefined): CellKind {
  if (!c) return 'none';
  if (c.stated) return c.activities > 0 ? 'both' : 'stated';
  return c.activities > 0 ? 'unstated' : 'none';
}

/** The mark of each kind: a symbol and words, both shown. */
const MARK: Record<CellKind, string> = { both: '●', stated: '○', unstated: '◆', none: '' };

export function MandatesSection({ reference }: { reference: Reference }) {
  const { user } = useSession();
  const res = useResource(() => api.get<{ items: MandateRow[] }>('/coherence/mandates').then((r) => r.data.items), []);
  const [editing, setEditing] = useState<string | null>(null);
  const themes = reference.themes.filter((x) => !x.archived);
  const themeName = (id: string) => reference.themes.find((x) => x.id === id)?.name ?? id;
  const rows = res.data ?? [];
  const used = themes.filter((th) => rows.some((r) => r.themes.some((c) => c.theme === th.id && (c.stated || c.activities > 0))));
  const mayEditAny = rows.some((r) => canEditMandate(user, r.organization_id));

  const cellText = (kind: CellKind, c: MandateRow['themes'][number] | undefined) => {
    const n = c?.activities ?? 0;
    const counts = { count: n, n: formatNumber(n), places: c?.countries ?? 0, countries: formatNumber(c?.countries ?? 0) };
    if (kind === 'both') return t('coherence.mandates.both', counts);
    if (kind === 'stated') return t('coherence.mandates.stated');
    if (kind === 'unstated') return t('coherence.mandates.unstated', counts);
    return t('coherence.mandates.none');
  };

  return (
    <section aria-labelledby="mandates-h" data-testid="mandates">
      <h2 id="mandates-h">{t('coherence.tab.mandates')}</h2>
      <p>{t('coherence.mandates.lede')}</p>
      <ul class="legend mandate-legend" aria-label={t('coherence.mandates.legendLabel')}>
        {(['both', 'stated', 'unstated'] as CellKind[]).map((k) => (
          <li key={k}>
            <span class={`mark ${k}`} aria-hidden="true">
              {MARK[k]}
            </span>{' '}
            {k === 'both' ? t('coherence.mandates.legendBoth') : k === 'stated' ? t('coherence.mandates.legendStated') : t('coherence.mandates.legendUnstated')}
          </li>
        ))}
      </ul>
      {res.error ? <ErrorBox error={res.error} /> : null}
      {!res.data ? (
        res.error ? null : <Loading what={t('coherence.mandates.loading')} />
      ) : rows.length === 0 ? (
        <EmptyState testId="mandates-empty" message={t('coherence.mandates.empty')} />
      ) : (
        <div class="table-wrap">
          <table class="table mandate-map" data-testid="mandate-map">
            <caption class="sr-only">{t('coherence.mandates.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('coherence.mandates.organization')}</th>
                {used.map((th) => (
                  <th scope="col" key={th.id}>
                    {th.name}
                  </th>
                ))}
                {mayEditAny && (
                  <th scope="col">
                    <span class="sr-only">{t('ui.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.organization_id} data-org={r.organization_id}>
                  <th scope="row">
                    <Link href={`/members/${encodeURIComponent(r.organization_id)}`}>{r.organization_name}</Link>
                  </th>
                  {used.map((th) => {
                    const c = r.themes.find((x) => x.theme === th.id);
                    const kind = kindOf(c);
                    return (
                      <td key={th.id} class={`mandate ${kind}`}>
                        {kind !== 'none' && (
                          <span class={`mark ${kind}`} aria-hidden="true">
                            {MARK[kind]}
                          </span>
                        )}{' '}
                        <span class={kind === 'none' ? 'sr-only' : 'cell-text'}>{cellText(kind, c)}</span>
                      </td>
                    );
                  })}
                  {mayEditAny && (
                    <td class="row-actions">
                      {canEditMandate(user, r.organization_id) && (
                        <RowButton label={t('coherence.mandates.edit')} what={r.organization_name} onClick={() => setEditing(editing === r.organization_id ? null : r.organization_id)} />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && res.data && (
        <MandateForm
          key={editing}
          row={rows.find((r) => r.organization_id === editing)!}
          themes={themes.map((x) => ({ id: x.id, name: themeName(x.id) }))}
          onDone={(saved) => {
            setEditing(null);
            if (saved) res.reload();
          }}
        />
      )}
    </section>
  );
}

function MandateForm({ row, themes, onDone }: { row: MandateRow; themes: { id: string; name: string }[]; onDone(saved: boolean): void }) {
  const [chosen, setChosen] = useState<string[]>(row.themes.filter((c) => c.stated).map((c) => c.theme));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.put(`/coherence/mandates/${encodeURIComponent(row.organization_id)}`, { themes: chosen });
      onDone(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <form class="panel" onSubmit={save} data-testid="mandate-form" aria-labelledby="mandate-form-h">
      <h3 id="mandate-form-h">{t('coherence.mandates.formHeading', { org: row.organization_name })}</h3>
      <fieldset class="checks">
        <legend>{t('coherence.mandates.formLegend')}</legend>
        <div class="check-grid">
          {themes.map((th) => (
            <label key={th.id} class="check-item">
              <input
                type="checkbox"
                checked={chosen.includes(th.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  setChosen((c) => (on ? [...c, th.id] : c.filter((x) => x !== th.id)));
                }}
              />{' '}
              {th.name}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorBox error={error} title={t('coherence.mandates.notSaved')} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('ui.saving') : t('coherence.mandates.save')}
        </button>
        <button type="button" class="secondary" onClick={() => onDone(false)}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  );
}

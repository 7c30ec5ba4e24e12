// Admin and secretariat: the audit log of every write, newest first, with what changed.
import { useState } from 'preact/hooks';
import { api, query, type AuditEntry, type List } from '../api';
import { navigate, useLocation } from '../router';
import { ErrorBox, Field, Loading, Table, formatTimestamp, usePageTitle, useResource } from '../ui';

const PAGE = 50;

export function AuditPage() {
  usePageTitle('Audit log');
  const { search } = useLocation();
  const filters = { entity: search.get('entity') ?? '', entity_id: search.get('entity_id') ?? '', actor: search.get('actor') ?? '' };
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState(filters);
  const [more, setMore] = useState<{ key: string; items: AuditEntry[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = useResource(
    () => api.get<List<AuditEntry>>(`/audit${query({ ...filters, limit: PAGE })}`).then((r) => r.data),
    [key],
  );
  const extra = more && more.key === key ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : first.data?.next_cursor ?? null;

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const r = await api.get<List<AuditEntry>>(`/audit${query({ ...filters, limit: PAGE, cursor })}`);
      setMore({ key, items: [...(extra?.items ?? []), ...r.data.items], cursor: r.data.next_cursor });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <h1>Audit log</h1>
      <p class="lede">Every change made through GMG Hub, newest first.</p>
      <form
        class="inline-form panel"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/audit${query(draft)}`);
        }}
      >
        <Field label="Entity" value={draft.entity} onValue={(v) => setDraft({ ...draft, entity: v })} name="entity" placeholder="e.g. organization" />
        <Field label="Entity id" value={draft.entity_id} onValue={(v) => setDraft({ ...draft, entity_id: v })} name="entity_id" placeholder="e.g. iom" />
        <Field label="Actor" value={draft.actor} onValue={(v) => setDraft({ ...draft, actor: v })} name="actor" placeholder="user id or e-mail" />
        <button type="submit">Filter</button>
        {(filters.entity || filters.entity_id || filters.actor) && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft({ entity: '', entity_id: '', actor: '' });
              navigate('/audit');
            }}
          >
            Clear
          </button>
        )}
      </form>
      <ErrorBox error={first.error} />
      {first.loading && !first.data && <Loading />}
      {first.data && (
        <>
          <p class="meta" aria-live="polite">
            Showing {items.length} of {first.data.total} entries.
          </p>
          <ol class="audit" data-testid="audit">
            {items.map((e) => (
              <li key={e.id} class="audit-entry">
                <div class="audit-head">
                  <time dateTime={e.at}>{formatTimestamp(e.at)}</time> <strong>{e.actor?.email ?? 'system'}</strong>{' '}
                  <span class="tag">{e.action}</span> {e.entity} <code>{e.entity_id}</code>
                </div>
                <Changes before={e.before} after={e.after} />
              </li>
            ))}
          </ol>
          <ErrorBox error={moreError} />
          {cursor && (
            <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load older entries'}
            </button>
          )}
        </>
      )}
    </>
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The fields that changed, then the full before/after records on request. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  const hasBoth = before != null || after != null;
  if (!hasBoth) return null;
  return (
    <>
      {keys.length > 0 && (
        <Table columns={['Field', 'Before', 'After']} compact>
          {keys.map((k) => (
            <tr key={k}>
              <th scope="row">
                <code>{k}</code>
              </th>
              <td class="before">{show(b[k])}</td>
              <td class="after">{show(a[k])}</td>
            </tr>
          ))}
        </Table>
      )}
      <details>
        <summary>Full record before and after</summary>
        <div class="two-col">
          <div>
            <h3>Before</h3>
            <pre>{before == null ? '(none)' : JSON.stringify(before, null, 2)}</pre>
          </div>
          <div>
            <h3>After</h3>
            <pre>{after == null ? '(none)' : JSON.stringify(after, null, 2)}</pre>
          </div>
        </div>
      </details>
    </>
  );
}

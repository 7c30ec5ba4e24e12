// Admin and secretariat: the audit log of every write, newest first, with what changed in words
// and links to the records it names.
import { useState } from 'preact/hooks';
import { ROLE_LABELS, STATUS_LABELS, TYPE_LABELS } from '../activities';
import { api, query, type AuditEntry, type List } from '../api';
import { Link, navigate, useLocation } from '../router';
import { isAdmin, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Rich, Select, Table, formatTimestamp, usePageTitle, useResource } from '../ui';
import { t, tMaybe } from '../i18n';
import { formatNumber } from '../format';

const PAGE = 50;

interface EntityKind {
  entity: string;
}

// The kinds of record the server audits and what was done, in words (audit.entity.<kind>,
// audit.action.<action>). A kind or action the server adds later still shows (by its name
// with spaces) until the catalogue has words for it.
const words = (code: string) => code.replace(/_/g, ' ');
const entityWords = (e: string) => tMaybe(`audit.entity.${e}`) ?? words(e);
const actionWords = (a: string) => tMaybe(`audit.action.${a}`) ?? words(a);

export function AuditPage() {
  usePageTitle(t('audit.title'));
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
  const kinds = useResource(() => api.get<List<EntityKind>>('/audit/entities').then((r) => r.data.items), []);
  const extra = more && more.key === key ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : first.data?.next_cursor ?? null;

  const kindOptions = [{ value: '', label: t('audit.anyKind') }];
  for (const k of kinds.data ?? []) {
    kindOptions.push({ value: k.entity, label: entityWords(k.entity) });
  }
  if (draft.entity && !kindOptions.some((o) => o.value === draft.entity)) {
    kindOptions.push({ value: draft.entity, label: entityWords(draft.entity) });
  }

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
      <h1>{t('audit.title')}</h1>
      <p class="lede">{t('audit.lede')}</p>
      <form
        class="inline-form panel"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/audit${query(draft)}`);
        }}
      >
        <Select label={t('audit.kind')} value={draft.entity} onValue={(v) => setDraft({ ...draft, entity: v })} options={kindOptions} field="entity" />
        <Field label={t('audit.recordId')} value={draft.entity_id} onValue={(v) => setDraft({ ...draft, entity_id: v })} name="entity_id" placeholder={t('audit.recordIdExample')} />
        <Field label={t('audit.actor')} value={draft.actor} onValue={(v) => setDraft({ ...draft, actor: v })} name="actor" placeholder={t('audit.actorExample')} />
        <button type="submit">{t('audit.filter')}</button>
        {(filters.entity || filters.entity_id || filters.actor) && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft({ entity: '', entity_id: '', actor: '' });
              navigate('/audit');
            }}
          >
            {t('audit.clear')}
          </button>
        )}
      </form>
      <ErrorBox error={kinds.error} />
      <ErrorBox error={first.error} />
      {first.loading && !first.data && <Loading />}
      {first.data && (
        <>
          <p class="meta" aria-live="polite">
            {t('audit.showing', { count: first.data.total, shown: formatNumber(items.length), total: formatNumber(first.data.total) })}
          </p>
          {items.length === 0 &&
            (filters.entity || filters.entity_id || filters.actor ? (
              <EmptyState
                testId="no-audit-match"
                message={t('empty.audit.noMatch')}
                hint={t('empty.audit.noMatchHint')}
                actions={[
                  {
                    label: t('audit.clear'),
                    onClick: () => {
                      setDraft({ entity: '', entity_id: '', actor: '' });
                      navigate('/audit');
                    },
                  },
                ]}
              />
            ) : (
              <EmptyState testId="no-audit" message={t('empty.audit.none')} hint={t('empty.audit.noneHint')} />
            ))}
          <ol class="audit" data-testid="audit">
            {items.map((e) => (
              <li key={e.id} class="audit-entry">
                <div class="audit-head">
                  <time dateTime={e.at}>{formatTimestamp(e.at)}</time>{' '}
                  <Rich
                    id="audit.entry"
                    values={{ action: actionWords(e.action), kind: entityWords(e.entity) }}
                    parts={{ who: <strong>{e.actor?.email ?? t('audit.system')}</strong>, record: <RecordLink entry={e} /> }}
                  />
                </div>
                <Changes before={e.before} after={e.after} />
              </li>
            ))}
          </ol>
          <ErrorBox error={moreError} />
          {cursor && (
            <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? t('audit.loadingMore') : t('audit.loadMore')}
            </button>
          )}
        </>
      )}
    </>
  );
}

type Rec = Record<string, unknown>;

function isObject(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The record an entry is about, by its name where the entry holds one, linked to its page. */
function RecordLink({ entry }: { entry: AuditEntry }) {
  const { user } = useSession();
  const rec: Rec = isObject(entry.after) ? entry.after : isObject(entry.before) ? entry.before : {};
  const id = entry.entity_id;
  const titles = Array.isArray(rec.titles) ? rec.titles : [];
  const firstTitle = isObject(titles[0]) ? text(titles[0].text) : '';
  let label = text(rec.name) || text(rec.acronym) || text(rec.email) || firstTitle || '';
  let href: string | null = null;
  switch (entry.entity) {
    case 'activity':
      label = firstTitle || label;
      if (/^\d+$/.test(id)) href = `/activities/${id}`;
      break;
    case 'organization':
      label = text(rec.acronym) || text(rec.name) || '';
      href = `/members/${encodeURIComponent(id)}`;
      break;
    case 'focal_point':
      if (text(rec.organization_id)) href = `/members/${encodeURIComponent(text(rec.organization_id))}`;
      break;
    case 'user':
      label = text(rec.email) || text(rec.name) || '';
      if (isAdmin(user)) href = '/admin/users';
      break;
    case 'theme':
      href = '/admin/themes';
      break;
    case 'api_token':
      href = '/tokens';
      break;
    case 'chair_rotation':
    case 'chair_override':
      label = '';
      href = '/chair';
      break;
  }
  const shown = label ? `${label} (${id})` : id;
  return href ? (
    <Link href={href} data-testid="audit-record">
      {shown}
    </Link>
  ) : (
    <code>{shown}</code>
  );
}

// ---- Values in words ----

const HIDDEN = new Set(['version', 'updated_at', 'created_at']);
const LONG = 160;

function fieldWords(key: string): string {
  const known = tMaybe(`audit.field.${key}`);
  if (known) return known;
  const w = words(key);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** One value as a short phrase: lists joined, known shapes (texts, partners, budget…) read out. */
function inWords(v: unknown): string {
  if (v === undefined || v === null || v === '') return t('audit.none');
  if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? t('audit.none') : v.map(inWords).join('; ');
  if (isObject(v)) {
    if ('text' in v && 'lang' in v) return `${text(v.text)} (${text(v.lang)})`;
    if ('name' in v && 'role' in v) return `${text(v.name)} (${ROLE_LABELS[text(v.role)] ?? text(v.role)})`;
    if ('url' in v) return v.title ? `${text(v.title)} <${text(v.url)}>` : text(v.url);
    if ('amount' in v && 'currency' in v) return v.amount == null ? t('audit.none') : `${text(v.amount)} ${text(v.currency)}`;
    if ('acronym' in v && 'name' in v) return text(v.acronym) || text(v.name);
    return Object.entries(v)
      .filter(([, x]) => x !== null && x !== '' && !(Array.isArray(x) && x.length === 0))
      .map(([k, x]) => `${words(k)}: ${inWords(x)}`)
      .join(', ');
  }
  return String(v);
}

/** A field's value in words: coded fields by their labels, the rest read out. */
function fieldInWords(key: string, v: unknown): string {
  if (key === 'type' && typeof v === 'string' && TYPE_LABELS[v]) return TYPE_LABELS[v];
  if (key === 'status' && typeof v === 'number' && STATUS_LABELS[v]) return STATUS_LABELS[v];
  return inWords(v);
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A value in words, shortened when long, with a way to read it all. */
function Value({ field, value }: { field: string; value: unknown }) {
  const s = fieldInWords(field, value);
  if (s.length <= LONG) return <>{s}</>;
  return (
    <details>
      <summary>{t('audit.showAll', { start: s.slice(0, LONG).trimEnd(), count: s.length, n: formatNumber(s.length) })}</summary>
      <span class="full-value">{s}</span>
    </details>
  );
}

/** What changed (field: before → after), or what a new or removed record held. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return null;
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const all = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changed = all.filter((k) => !HIDDEN.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  const rows = (keys: string[]) =>
    keys.map((k) => (
      <tr key={k}>
        <th scope="row">{fieldWords(k)}</th>
        {before != null && (
          <td class="before">
            <Value field={k} value={b[k]} />
          </td>
        )}
        {after != null && (
          <td class="after">
            <Value field={k} value={a[k]} />
          </td>
        )}
      </tr>
    ));
  const columns = [
    t('audit.column.field'),
    ...(before != null ? [after != null ? t('audit.column.before') : t('audit.column.recordBefore')] : []),
    ...(after != null ? [before != null ? t('audit.column.after') : t('audit.column.recorded')] : []),
  ];
  // A new or removed record: the fields it held (empty ones left out).
  const shownKeys = before != null && after != null ? changed : all.filter((k) => !HIDDEN.has(k) && !isEmpty(b[k] ?? a[k]));
  return (
    <>
      {shownKeys.length > 0 ? (
        <Table columns={columns} compact>
          {rows(shownKeys)}
        </Table>
      ) : (
        <p class="meta">{t('audit.noChange')}</p>
      )}
      {before != null && after != null && (
        <details>
          <summary>{t('audit.everyField')}</summary>
          <Table columns={columns} compact>
            {rows(all)}
          </Table>
        </details>
      )}
    </>
  );
}

// /positions: the common positions. Signed-in staff and member staff see drafts, consultations
// and rounds in progress; everyone (anonymous too) sees the adopted and withdrawn ones, with
// their history (/positions?status=adopted is the public page). Staff and member staff start a
// new position (a member's lead organisation is its own).
import { useState } from 'preact/hooks';
import { api, listAll, type Organization, type Theme } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link, navigate, useLocation } from '../router';
import { isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Select, SubmitCancel, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';
import { POSITION_STATUSES, isMemberStaff, loadPositions, positionPath, readsDrafts, type Position, type PositionStatus } from '../positions';

const PUBLIC_STATUSES: PositionStatus[] = ['adopted', 'withdrawn'];

export function PositionsPage() {
  const { user } = useSession();
  const { search } = useLocation();
  const insider = readsDrafts(user);
  const status = search.get('status') ?? (insider ? '' : 'adopted');
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<Position[]>([]);
  const list = useResource(() => loadPositions(status, null), [status, user?.id]);
  usePageTitle(status === 'adopted' ? t('positions.adoptedTitle') : t('positions.title'));
  const [creating, setCreating] = useState(false);
  const statuses = insider ? POSITION_STATUSES : PUBLIC_STATUSES;

  async function loadMore() {
    const next = cursor ?? list.data?.next_cursor;
    if (!next) return;
    const r = await api.get<{ items: Position[]; next_cursor: string | null }>(`/positions?status=${encodeURIComponent(status)}&limit=50&cursor=${encodeURIComponent(next)}`);
    setMore((m) => [...m, ...r.data.items]);
    setCursor(r.data.next_cursor);
  }
  const items = [...(list.data?.items ?? []), ...more];
  const hasMore = cursor ? true : more.length === 0 && !!list.data?.next_cursor;

  return (
    <section class="positions" data-testid="positions-page">
      <h1>{status === 'adopted' ? t('positions.adoptedTitle') : t('positions.title')}</h1>
      <p>{insider ? t('positions.ledeInsider') : t('positions.ledePublic')}</p>
      <div class="actions">
        {(insider || isStaff(user)) && !creating && (
          <button type="button" onClick={() => setCreating(true)} data-testid="new-position">
            {t('positions.new')}
          </button>
        )}
        <Link href="/initiatives" class="button secondary">
          {t('shell.nav.initiatives')}
        </Link>
        {user?.role === 'focal_point' && (
          <Link href="/positions/delegations" class="button secondary">
            {t('positions.delegations.link')}
          </Link>
        )}
      </div>
      {creating && <NewPositionForm onCancel={() => setCreating(false)} />}
      <form
        class="filters"
        onSubmit={(e) => e.preventDefault()}
        role="search"
        aria-label={t('positions.filter')}
      >
        <Select
          label={t('positions.status')}
          value={status}
          onValue={(v) => {
            setMore([]);
            setCursor(null);
            navigate(v ? `/positions?status=${encodeURIComponent(v)}` : '/positions');
          }}
          options={[...(insider ? [{ value: '', label: t('positions.allStatuses') }] : []), ...statuses.map((s) => ({ value: s, label: t(`positions.statusName.${s}`) }))]}
        />
      </form>
      <ErrorBox error={list.error} />
      {!list.data ? (
        list.error ? null : <Loading what={t('positions.loading')} />
      ) : items.length === 0 ? (
        <EmptyState message={t('positions.none')} hint={insider ? t('positions.noneHintInsider') : t('positions.noneHintPublic')} testId="positions-empty" />
      ) : (
        <>
          <p class="meta">{t('positions.count', { count: list.data.total, n: formatNumber(list.data.total) })}</p>
          <Table columns={[t('positions.col.title'), t('positions.col.lead'), t('positions.col.status'), t('positions.col.version'), t('positions.col.when')]} testId="positions-list" label={t('positions.title')}>
            {items.map((p) => (
              <tr key={p.id} data-position={p.id}>
                <td>
                  <Link href={positionPath(p.id)}>
                    <bdi>{p.title}</bdi>
                  </Link>
                </td>
                <td>
                  <bdi>{p.lead.name}</bdi>
                </td>
                <td>
                  <span class={`pos-status ${p.status}`}>{t(`positions.statusName.${p.status}`)}</span>
                  {p.open_round && <div class="meta">{t('positions.roundUntil', { when: formatTimestamp(p.open_round.deadline) })}</div>}
                </td>
                <td class="num">{formatNumber(p.current_version)}</td>
                <td>{formatTimestamp(p.adopted_at ?? p.withdrawn_at ?? null)}</td>
              </tr>
            ))}
          </Table>
          {hasMore && (
            <button type="button" class="secondary" onClick={() => loadMore().catch(() => {})}>
              {t('positions.loadMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function NewPositionForm({ onCancel }: { onCancel(): void }) {
  const { user } = useSession();
  const staff = isStaff(user);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [themes, setThemes] = useState<string[]>([]);
  const [lead, setLead] = useState(isMemberStaff(user) ? user!.organization_id! : '');
  const ref = useResource(
    () => Promise.all([listAll<Theme>('/themes'), staff ? listAll<Organization>('/organizations') : Promise.resolve([] as Organization[])]),
    [staff],
  );
  const submit = useSubmit(async () => {
    const r = await api.post<Position>('/positions', { title, text, themes, lead_org: lead });
    navigate(positionPath(r.data.id));
  });
  const [themeList, orgs] = ref.data ?? [[], []];
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="new-position-form" aria-labelledby="new-pos-h">
      <h2 id="new-pos-h">{t('positions.newHeading')}</h2>
      <Field label={t('positions.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      {staff ? (
        <Select
          label={t('positions.field.lead')}
          value={lead}
          onValue={setLead}
          required
          field="lead_org"
          error={submit.error}
          options={[{ value: '', label: t('positions.field.leadChoose') }, ...orgs.filter((o) => o.status === 'current').map((o) => ({ value: o.id, label: o.name }))]}
        />
      ) : (
        <p class="meta">{t('positions.field.leadOwn')}</p>
      )}
      <fieldset class="field">
        <legend>{t('positions.field.themes')}</legend>
        {themeList
          .filter((th) => !th.archived)
          .map((th) => (
            <label key={th.id} class="check">
              <input
                type="checkbox"
                checked={themes.includes(th.id)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  setThemes((cur) => (on ? [...cur, th.id] : cur.filter((x) => x !== th.id)));
                }}
              />{' '}
              {th.name}
            </label>
          ))}
      </fieldset>
      <Field label={t('positions.field.text')} value={text} onValue={setText} required multiline rows={10} field="text" error={submit.error} />
      <ErrorBox error={submit.error} title={t('positions.notSaved')} />
      <SubmitCancel label={t('positions.create')} busy={submit.busy} onCancel={onCancel} />
    </form>
  );
}

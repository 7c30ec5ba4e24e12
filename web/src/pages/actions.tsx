// /actions: the actions agreed at meetings, by organisation and status, overdue ones marked;
// /actions/:id: one action with its progress notes — its owner organisation's members (and
// staff) change its status and add notes; everyone else reads it. Signed-in members and staff.
import { useState } from 'preact/hooks';
import { listAll, api, type Organization } from '../api';
import { t } from '../i18n';
import { formatDate, formatTimestamp } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Select, Table, usePageTitle, useResource, useSubmit } from '../ui';
import { InRecords } from '../lang-text';
import { ACTION_STATUSES, canPlan, canUpdateAction, loadAction, loadActionNotes, loadActions, type Action, type ActionStatus, type Decision } from '../meetings';

export function ActionsPage() {
  usePageTitle(t('actions.title'));
  const { search } = useLocation();
  const { user } = useSession();
  const org = search.get('organization') ?? '';
  const status = search.get('status') ?? '';
  const overdue = search.get('overdue') === '1' ? '1' : '';
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  const actions = useResource(() => loadActions({ organization: org, status, overdue }), [org, status, overdue]);
  function set(params: Record<string, string>) {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(params)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    navigate(`/actions${s ? `?${s}` : ''}`, { replace: true });
  }
  return (
    <section class="actions-page">
      <h1>{t('actions.title')}</h1>
      <p class="lede">{t('actions.lede')}</p>
      <form class="filters" role="search" aria-label={t('actions.filters')} onSubmit={(e) => e.preventDefault()}>
        <Select label={t('actions.filter.organization')} value={org} onValue={(v) => set({ organization: v })} options={[{ value: '', label: t('actions.filter.any') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.acronym || o.name }))]} />
        <Select label={t('actions.filter.status')} value={status} onValue={(v) => set({ status: v })} options={[{ value: '', label: t('actions.filter.any') }, ...ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.status.${s}`) }))]} />
        <label class="check">
          <input type="checkbox" checked={overdue === '1'} onChange={(e) => set({ overdue: (e.currentTarget as HTMLInputElement).checked ? '1' : '' })} /> {t('actions.filter.overdue')}
        </label>
      </form>
      {user?.organization_id && !org && (
        <p>
          <button type="button" class="secondary small" onClick={() => set({ organization: user.organization_id! })}>
            {t('actions.mine')}
          </button>
        </p>
      )}
      <ErrorBox error={actions.error} />
      {!actions.data && !actions.error && <Loading what={t('actions.loading')} />}
      {actions.data && (actions.data.length === 0 ? <EmptyState testId="no-actions" message={t('actions.empty')} /> : <ActionsTable actions={actions.data} showMeeting />)}
      {canPlan(user) && <NewActionForm orgs={orgs.data ?? []} onDone={actions.reload} />}
    </section>
  );
}

export function ActionStatusBadge({ a }: { a: Pick<Action, 'status' | 'overdue'> }) {
  return (
    <>
      <span class={`badge action-${a.status}`}>{t(`actions.status.${a.status}`)}</span>
      {a.overdue && (
        <>
          {' '}
          <strong class="badge overdue" data-testid="overdue">
            {t('actions.overdue')}
          </strong>
        </>
      )}
    </>
  );
}

export function ActionsTable({ actions, showMeeting }: { actions: Action[]; showMeeting: boolean }) {
  const cols = [t('actions.col.title'), t('actions.col.owner'), t('actions.col.due'), t('actions.col.status'), ...(showMeeting ? [t('actions.col.meeting')] : [])];
  return (
    <Table columns={cols} testId="actions" label={t('actions.title')}>
      {actions.map((a) => (
        <tr key={a.id} class={a.overdue ? 'overdue' : ''} data-action={a.id}>
          <td>
            <Link href={`/actions/${a.id}`}>
              <InRecords>{a.title}</InRecords>
            </Link>
          </td>
          <td>
            <InRecords>{a.owner.name}</InRecords>
          </td>
          <td>
            <time dateTime={a.due_date}>{formatDate(a.due_date)}</time>
          </td>
          <td>
            <ActionStatusBadge a={a} />
          </td>
          {showMeeting && (
            <td>
              {a.meeting ? (
                <Link href={`/meetings/${a.meeting.id}`}>
                  <InRecords>{a.meeting.title}</InRecords>
                </Link>
              ) : (
                '–'
              )}
            </td>
          )}
        </tr>
      ))}
    </Table>
  );
}

export function NewActionForm({ orgs, meetingId, decisions = [], onDone }: { orgs: Organization[]; meetingId?: number; decisions?: Decision[]; onDone(): void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [decision, setDecision] = useState('');
  const [notice, setNotice] = useState('');
  const submit = useSubmit(async () => {
    setNotice('');
    await api.post('/actions', { title, description, owner_org: owner, due_date: due, meeting_id: meetingId ?? null, decision_id: decision ? Number(decision) : null });
    setTitle('');
    setDescription('');
    setNotice(t('actions.created'));
    onDone();
  });
  return (
    <form onSubmit={submit.onSubmit} class="panel" aria-labelledby="action-new-h" data-testid="action-new">
      <h3 id="action-new-h">{t('actions.add')}</h3>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={submit.error} />
      <Field label={t('actions.field.title')} value={title} onValue={setTitle} field="title" error={submit.error} required />
      <Field label={t('actions.field.description')} value={description} onValue={setDescription} field="description" error={submit.error} multiline rows={3} />
      <Select label={t('actions.field.owner')} value={owner} onValue={setOwner} field="owner_org" error={submit.error} required options={[{ value: '', label: t('actions.field.chooseOwner') }, ...orgs.map((o) => ({ value: o.id, label: o.acronym || o.name }))]} />
      <Field label={t('actions.field.due')} type="date" value={due} onValue={setDue} field="due_date" error={submit.error} required />
      {decisions.length > 0 && <Select label={t('actions.field.decision')} value={decision} onValue={setDecision} options={[{ value: '', label: t('actions.field.noDecision') }, ...decisions.map((d) => ({ value: String(d.id), label: d.text.slice(0, 80) }))]} />}
      <button type="submit" disabled={submit.busy}>
        {t('actions.addButton')}
      </button>
    </form>
  );
}

export function ActionPage({ id }: { id: string }) {
  const action = useResource(() => loadAction(id), [id]);
  const { user } = useSession();
  usePageTitle(action.data?.title ?? t('actions.title'));
  if (action.error && !action.data) {
    return (
      <section>
        <p class="crumbs">
          <Link href="/actions">{t('actions.title')}</Link>
        </p>
        <h1>{t('actions.notFound')}</h1>
        <ErrorBox error={action.error} />
      </section>
    );
  }
  if (!action.data) return <Loading />;
  const a = action.data;
  return (
    <section class="action" data-testid="action">
      <p class="crumbs">
        <Link href="/actions">{t('actions.title')}</Link>
      </p>
      <h1>
        <InRecords>{a.title}</InRecords>
      </h1>
      <dl class="facts">
        <dt>{t('actions.col.owner')}</dt>
        <dd>
          <Link href={`/members/${encodeURIComponent(a.owner.id)}`}>
            <InRecords>{a.owner.name}</InRecords>
          </Link>
        </dd>
        <dt>{t('actions.col.due')}</dt>
        <dd>
          <time dateTime={a.due_date}>{formatDate(a.due_date)}</time>
        </dd>
        <dt>{t('actions.col.status')}</dt>
        <dd data-testid="action-status">
          <ActionStatusBadge a={a} />
        </dd>
        {a.meeting && (
          <>
            <dt>{t('actions.col.meeting')}</dt>
            <dd>
              <Link href={`/meetings/${a.meeting.id}`}>
                <InRecords>{a.meeting.title}</InRecords>
              </Link>
            </dd>
          </>
        )}
      </dl>
      {a.description && (
        <p>
          <InRecords>{a.description}</InRecords>
        </p>
      )}
      <ActionProgress action={a} onChange={action.reload} editable={canUpdateAction(user, a)} />
    </section>
  );
}

/** Progress notes, and (owner organisation or staff) a status change with a note. */
export function ActionProgress({ action, editable, onChange }: { action: Action; editable: boolean; onChange(): void }) {
  const notes = useResource(() => loadActionNotes(action.id), [action.id, action.etag]);
  const [status, setStatus] = useState<ActionStatus>(action.status);
  const [text, setText] = useState('');
  const [notice, setNotice] = useState('');
  const submit = useSubmit(async () => {
    setNotice('');
    const changed = status !== action.status;
    // A note may change the status too (one write); a status alone is a PATCH.
    if (text.trim()) await api.post(`/actions/${action.id}/notes`, changed ? { text, status } : { text });
    else if (changed) await api.patch(`/actions/${action.id}`, { status }, action.etag || null);
    setText('');
    setNotice(t('actions.saved'));
    onChange();
    notes.reload();
  });
  return (
    <section aria-labelledby="progress-h" data-testid="action-progress">
      <h2 id="progress-h">{t('actions.progress')}</h2>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={notes.error} />
      {notes.data && notes.data.length === 0 && <p>{t('actions.noNotes')}</p>}
      <ol class="notes">
        {(notes.data ?? []).map((n) => (
          <li key={n.id}>
            <p class="meta">
              <bdi>{n.user_name}</bdi> · {formatTimestamp(n.created_at)}
              {n.status && <> · {t(`actions.status.${n.status}`)}</>}
            </p>
            <p dir="auto">{n.text}</p>
          </li>
        ))}
      </ol>
      {editable ? (
        <form onSubmit={submit.onSubmit} class="panel" aria-labelledby="update-h" data-testid="action-update">
          <h3 id="update-h">{t('actions.update')}</h3>
          <ErrorBox error={submit.error} />
          <Select label={t('actions.field.status')} value={status} onValue={(v) => setStatus(v as ActionStatus)} field="status" error={submit.error} options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.status.${s}`) }))} />
          <Field label={t('actions.field.note')} value={text} onValue={setText} field="text" error={submit.error} multiline rows={3} />
          <button type="submit" disabled={submit.busy || (status === action.status && !text.trim())}>
            {t('actions.save')}
          </button>
        </form>
      ) : (
        <p class="meta" data-testid="action-readonly">
          {t('actions.readOnly')}
        </p>
      )}
    </section>
  );
}

// Admin: user accounts — list, create, change role/organisation/active, deactivate.
import { useState } from 'preact/hooks';
import { ApiError, ROLES, api, listAll, type Organization, type Role, type User } from '../api';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { useSession } from '../session';
import { EmptyState, Checkbox, ErrorBox, Field, Loading, Notice, RowButton, Select, SubmitCancel, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';

const ROLE_LABEL = (r: Role): string => t(`users.role.${r}`);
/** The shortest password the server accepts (CheckPasswordRules in src/auth/crypto.cc). */
const PASSWORD_MIN = 10;
const needsOrg = (r: string) => r === 'focal_point' || r === 'member';

/** The account's own language (`users.language`), named in the reader's language; null = follows the browser. */
const languageLabel = (language: string | null | undefined): string =>
  language ? t('users.languageName', { language }) : t('users.languageBrowser');

export function UsersPage() {
  usePageTitle(t('users.title'));
  const { user: me } = useSession();
  const users = useResource(() => listAll<User>('/users'), []);
  const orgs = useResource(() => listAll<Organization>('/organizations?status=all'), []);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');

  const orgOptions = [{ value: '', label: t('users.noOrganisation') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))];
  const acronym = (id: string | null) => (id ? orgs.data?.find((o) => o.id === id)?.acronym ?? id : '');

  async function deactivate(u: User) {
    if (!confirm(t('users.confirmDeactivate', { name: u.name, email: u.email }))) return;
    setError(null);
    try {
      await api.del(`/users/${encodeURIComponent(String(u.id))}`);
      setNotice(t('users.deactivated', { email: u.email }));
      users.reload();
    } catch (e) {
      setError(e);
    }
  }

  const shown = (users.data ?? []).filter((u) => {
    const q = filter.trim().toLowerCase();
    // The role and language as shown (in the reader's language) match too, beside the codes.
    const role = ROLES.includes(u.role) ? ROLE_LABEL(u.role) : '';
    return !q || `${u.name} ${u.email} ${u.role} ${role} ${languageLabel(u.language)} ${u.organization_id ?? ''}`.toLowerCase().includes(q);
  });

  return (
    <>
      <h1>{t('users.title')}</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={users.error || error} />

      <CreateUser
        orgOptions={orgOptions}
        onCreated={(u) => {
          setNotice(t('users.created', { email: u.email }));
          users.reload();
        }}
      />

      {editing && (
        <EditUser
          key={String(editing.id)}
          user={editing}
          self={me?.id === editing.id}
          orgOptions={orgOptions}
          onClose={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            setNotice(t('users.saved', { email: u.email }));
            users.reload();
          }}
        />
      )}

      <section aria-labelledby="list-h">
        <div class="panel-head">
          <h2 id="list-h">{users.data ? t('users.allCount', { n: formatNumber(users.data.length) }) : t('users.all')}</h2>
          <Field label={t('users.filter')} type="search" value={filter} onValue={setFilter} name="filter" />
        </div>
        {users.data && filter.trim() && (
          <p class="meta" role="status">
            {t('users.matching', { count: shown.length, n: formatNumber(shown.length) })}
          </p>
        )}
        {users.loading && !users.data && <Loading />}
        {users.data && shown.length === 0 && (
          <EmptyState
            testId="no-users"
            message={filter.trim() ? t('empty.users.noMatch', { filter: filter.trim() }) : t('empty.users.none')}
            hint={filter.trim() ? t('empty.users.noMatchHint') : undefined}
            actions={filter.trim() ? [{ label: t('empty.users.clearFilter'), onClick: () => setFilter('') }] : [{ label: t('empty.users.add'), focus: 'new-user-form' }]}
          />
        )}
        {users.data && shown.length > 0 && (
          <Table
            columns={[t('users.col.name'), t('users.col.email'), t('users.col.role'), t('users.col.organisation'), t('users.col.language'), t('users.col.status'), t('users.col.created')]}
            actions
            testId="users"
          >
            {shown.map((u) => (
              <tr key={u.id} class={u.active ? '' : 'inactive'}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{ROLES.includes(u.role) ? ROLE_LABEL(u.role) : u.role}</td>
                <td>{acronym(u.organization_id)}</td>
                <td>{languageLabel(u.language)}</td>
                <td>{u.active ? t('users.status.active') : t('users.status.deactivated')}</td>
                <td>{formatTimestamp(u.created_at)}</td>
                <td class="row-actions">
                  <RowButton label={t('users.edit')} what={u.email} onClick={() => { setEditing(u); setNotice(null); }} />
                  {u.active && me?.id !== u.id && (
                    <RowButton label={t('users.deactivate')} what={u.email} kind="danger" onClick={() => deactivate(u)} />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}

const roleOptions = () => ROLES.map((r) => ({ value: r, label: ROLE_LABEL(r) }));

function CreateUser({ orgOptions, onCreated }: { orgOptions: { value: string; label: string }[]; onCreated(u: User): void }) {
  const blank = { email: '', name: '', role: 'member', organization_id: '', password: '' };
  const [f, setF] = useState(blank);
  const [open, setOpen] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));

  const { busy, error, onSubmit } = useSubmit(async () => {
    const body: Record<string, unknown> = { email: f.email.trim(), name: f.name.trim(), role: f.role, password: f.password };
    if (f.organization_id) body.organization_id = f.organization_id;
    const r = await api.post<User>('/users', body);
    setF(blank);
    setOpen(false);
    onCreated(r.data ?? ({ email: f.email } as User));
  });
  if (!open) {
    return (
      <p id="new-user-form">
        <button type="button" onClick={() => setOpen(true)}>
          {t('users.create')}
        </button>
      </p>
    );
  }
  return (
    <form class="panel" id="new-user-form" noValidate onSubmit={onSubmit}>
      <h2>{t('users.newUser')}</h2>
      <div class="row">
        <Field label={t('users.name')} value={f.name} onValue={set('name')} field="name" error={error} required autoComplete="off" />
        <Field label={t('users.email')} type="email" value={f.email} onValue={set('email')} field="email" error={error} required autoComplete="off" />
      </div>
      <div class="row">
        <Select label={t('users.role')} value={f.role} onValue={set('role')} options={roleOptions()} field="role" error={error} />
        <Select label={t('users.organisation')} value={f.organization_id} onValue={set('organization_id')} options={orgOptions} field="organization_id" error={error} />
      </div>
      {needsOrg(f.role) && !f.organization_id && <p class="hint">{t('users.needsOrganisation')}</p>}
      <Field label={t('users.initialPassword')} type="password" value={f.password} onValue={set('password')} field="password" error={error} hint={t('users.passwordRule', { n: formatNumber(PASSWORD_MIN) })} required autoComplete="new-password" />
      <ErrorBox error={error} title={t('users.notCreated')} />
      <SubmitCancel label={t('users.createSubmit')} busy={busy} onCancel={() => setOpen(false)} />
    </form>
  );
}

function EditUser({
  user,
  self,
  orgOptions,
  onClose,
  onSaved,
}: {
  user: User;
  self: boolean;
  orgOptions: { value: string; label: string }[];
  onClose(): void;
  onSaved(u: User): void;
}) {
  // The ETag comes from the user's own GET, fetched when the editor opens.
  const fresh = useResource(() => api.get<User>(`/users/${encodeURIComponent(String(user.id))}`), [user.id]);
  const base = fresh.data?.data ?? user;
  const [f, setF] = useState<{ name: string; role: string; organization_id: string; active: boolean; password: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = f ?? { name: base.name, role: base.role, organization_id: base.organization_id ?? '', active: base.active, password: '' };
  const set = (k: string) => (v: string | boolean) => setF({ ...form, [k]: v });

  if (fresh.error) return <ErrorBox error={fresh.error} />;
  if (!fresh.data) return <Loading what={t('users.loadingUser')} />;

  return (
    <form
      class="panel"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        const patch: Record<string, unknown> = {};
        if (form.name !== base.name) patch.name = form.name.trim();
        if (form.role !== base.role) patch.role = form.role;
        if (form.organization_id !== (base.organization_id ?? '')) patch.organization_id = form.organization_id || null;
        if (form.active !== base.active) patch.active = form.active;
        if (form.password) patch.password = form.password;
        if (Object.keys(patch).length === 0) {
          onClose();
          return;
        }
        setBusy(true);
        try {
          const r = await api.patch<User>(`/users/${encodeURIComponent(String(user.id))}`, patch, fresh.data!.etag);
          onSaved(r.data ?? base);
        } catch (err) {
          if (err instanceof ApiError && err.status === 412) {
            // Our own, more specific message in every language (its own code, so no catalogue's error.* replaces it).
            setError(new ApiError(412, 'user_changed', t('users.changedMeanwhile')));
            setF(null);
            fresh.reload();
          } else {
            setError(err);
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('users.editHeading', { email: base.email })}</h2>
      <Field label={t('users.name')} value={form.name} onValue={set('name')} field="name" error={error} required />
      <div class="row">
        <Select label={t('users.role')} value={form.role} onValue={set('role')} options={roleOptions()} field="role" error={error} />
        <Select label={t('users.organisation')} value={form.organization_id} onValue={set('organization_id')} options={orgOptions} field="organization_id" error={error} />
      </div>
      {!self && <Checkbox label={t('users.activeCheckbox')} checked={form.active} onValue={set('active')} />}
      <p class="hint" data-testid="user-language">
        {t('users.languageOfAccount', { language: languageLabel(base.language) })}
      </p>
      <Field
        label={t('users.newPassword')}
        type="password"
        value={form.password}
        onValue={set('password')}
        field="password"
        error={error}
        hint={t('users.newPasswordHint', { n: formatNumber(PASSWORD_MIN) })}
        autoComplete="new-password"
      />
      <ErrorBox error={error} title={t('users.notSaved')} />
      <SubmitCancel label={t('users.save')} busy={busy} onCancel={onClose} />
    </form>
  );
}

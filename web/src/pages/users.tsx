// Admin: user accounts — list, create, change role/organisation/active, deactivate.
import { useState } from 'preact/hooks';
import { ApiError, ROLES, api, listAll, type Organization, type Role, type User } from '../api';
import { useSession } from '../session';
import { PASSWORD_RULE } from '../a11y-strings';
import { Checkbox, ErrorBox, Field, Loading, Notice, RowButton, Select, SubmitCancel, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';

const ROLE_LABEL: Record<Role, string> = {
  admin: 'Admin',
  secretariat: 'Secretariat',
  focal_point: 'Focal point',
  member: 'Member staff',
  stakeholder: 'Stakeholder',
};
const needsOrg = (r: string) => r === 'focal_point' || r === 'member';

export function UsersPage() {
  usePageTitle('Users');
  const { user: me } = useSession();
  const users = useResource(() => listAll<User>('/users'), []);
  const orgs = useResource(() => listAll<Organization>('/organizations?status=all'), []);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');

  const orgOptions = [{ value: '', label: '— none —' }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))];
  const acronym = (id: string | null) => (id ? orgs.data?.find((o) => o.id === id)?.acronym ?? id : '');

  async function deactivate(u: User) {
    if (!confirm(`Deactivate ${u.name} (${u.email})? Their sessions and API tokens stop working.`)) return;
    setError(null);
    try {
      await api.del(`/users/${encodeURIComponent(String(u.id))}`);
      setNotice(`Deactivated ${u.email}.`);
      users.reload();
    } catch (e) {
      setError(e);
    }
  }

  const shown = (users.data ?? []).filter((u) => {
    const q = filter.trim().toLowerCase();
    return !q || `${u.name} ${u.email} ${u.role} ${u.organization_id ?? ''}`.toLowerCase().includes(q);
  });

  return (
    <>
      <h1>Users</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={users.error || error} />

      <CreateUser
        orgOptions={orgOptions}
        onCreated={(u) => {
          setNotice(`Created ${u.email}.`);
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
            setNotice(`Saved ${u.email}.`);
            users.reload();
          }}
        />
      )}

      <section aria-labelledby="list-h">
        <div class="panel-head">
          <h2 id="list-h">All users{users.data ? ` (${users.data.length})` : ''}</h2>
          <Field label="Filter" type="search" value={filter} onValue={setFilter} name="filter" />
        </div>
        {users.loading && !users.data && <Loading />}
        {users.data && (
          <Table columns={['Name', 'E-mail', 'Role', 'Organisation', 'Status', 'Created']} actions testId="users">
            {shown.map((u) => (
              <tr key={u.id} class={u.active ? '' : 'inactive'}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{ROLE_LABEL[u.role] ?? u.role}</td>
                <td>{acronym(u.organization_id)}</td>
                <td>{u.active ? 'active' : 'deactivated'}</td>
                <td>{formatTimestamp(u.created_at)}</td>
                <td class="row-actions">
                  <RowButton label="Edit" what={u.email} onClick={() => { setEditing(u); setNotice(null); }} />
                  {u.active && me?.id !== u.id && (
                    <RowButton label="Deactivate" what={u.email} kind="danger" onClick={() => deactivate(u)} />
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

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }));

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
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          Create a user
        </button>
      </p>
    );
  }
  return (
    <form class="panel" noValidate onSubmit={onSubmit}>
      <h2>New user</h2>
      <div class="row">
        <Field label="Name" value={f.name} onValue={set('name')} field="name" error={error} required autoComplete="off" />
        <Field label="E-mail" type="email" value={f.email} onValue={set('email')} field="email" error={error} required autoComplete="off" />
      </div>
      <div class="row">
        <Select label="Role" value={f.role} onValue={set('role')} options={roleOptions} field="role" error={error} />
        <Select label="Organisation" value={f.organization_id} onValue={set('organization_id')} options={orgOptions} field="organization_id" error={error} />
      </div>
      {needsOrg(f.role) && !f.organization_id && <p class="hint">Focal points and member staff belong to one organisation.</p>}
      <Field label="Initial password" type="password" value={f.password} onValue={set('password')} field="password" error={error} hint={PASSWORD_RULE} required autoComplete="new-password" />
      <ErrorBox error={error} title="Not created." />
      <SubmitCancel label="Create user" busy={busy} onCancel={() => setOpen(false)} />
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
  if (!fresh.data) return <Loading what="Loading user" />;

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
            setError(new ApiError(412, err.code, 'Someone else changed this user after you opened it. The form now shows the latest version; please make your change again.'));
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
      <h2>Edit {base.email}</h2>
      <Field label="Name" value={form.name} onValue={set('name')} field="name" error={error} required />
      <div class="row">
        <Select label="Role" value={form.role} onValue={set('role')} options={roleOptions} field="role" error={error} />
        <Select label="Organisation" value={form.organization_id} onValue={set('organization_id')} options={orgOptions} field="organization_id" error={error} />
      </div>
      {!self && <Checkbox label="Active (can sign in)" checked={form.active} onValue={set('active')} />}
      <Field
        label="New password"
        type="password"
        value={form.password}
        onValue={set('password')}
        field="password"
        error={error}
        hint={`Leave empty to keep the current password. ${PASSWORD_RULE}`}
        autoComplete="new-password"
      />
      <ErrorBox error={error} title="Not saved." />
      <SubmitCancel label="Save user" busy={busy} onCancel={onClose} />
    </form>
  );
}

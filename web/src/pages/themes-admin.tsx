// Admin and secretariat: the theme taxonomy of the activity map — list, add, rename, archive.
import { useState } from 'preact/hooks';
import { ApiError, api, listAll, type Theme } from '../api';
import { forgetThemes } from '../activities';
import { versionEtag } from '../etag';
import { ErrorBox, Field, Loading, Notice, SubmitCancel, Table, usePageTitle, useResource, useSubmit } from '../ui';

export function ThemesAdminPage() {
  usePageTitle('Themes');
  const themes = useResource(() => listAll<Theme>('/themes'), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const changed = (msg: string) => {
    forgetThemes();
    setNotice(msg);
    setError(null);
    themes.reload();
  };

  async function setArchived(t: Theme, archived: boolean) {
    setError(null);
    setNotice(null);
    try {
      await api.patch(`/themes/${encodeURIComponent(t.id)}`, { archived }, versionEtag(t.version));
      changed(archived ? `Archived “${t.name}”.` : `Restored “${t.name}”.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) themes.reload();
      setError(e);
    }
  }

  const list = [...(themes.data ?? [])].sort((a, b) => Number(a.archived) - Number(b.archived) || a.position - b.position);

  return (
    <>
      <h1>Themes</h1>
      <p class="lede">
        The migration themes that activities are tagged with. Archived themes stay on the activities that have them but are no longer offered
        for new ones.
      </p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={themes.error || error} />
      <AddTheme onAdded={(t) => changed(`Added “${t.name}”.`)} />
      <section aria-labelledby="themes-h">
        <h2 id="themes-h">All themes{themes.data ? ` (${themes.data.length})` : ''}</h2>
        {themes.loading && !themes.data && <Loading />}
        {themes.data && (
          <Table columns={['Name', 'Id', 'Description']} actions testId="themes">
            {list.map((t) =>
              editing === t.id ? (
                <tr key={t.id}>
                  <td colSpan={4}>
                    <EditTheme
                      theme={t}
                      onClose={() => setEditing(null)}
                      onSaved={(n) => {
                        setEditing(null);
                        changed(`Saved “${n.name}”.`);
                      }}
                      onStale={() => themes.reload()}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={t.id} class={t.archived ? 'inactive' : undefined}>
                  <td>
                    {t.name}
                    {t.archived && <span class="tag">archived</span>}
                  </td>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.description}</td>
                  <td class="row-actions">
                    <button type="button" class="secondary small" onClick={() => setEditing(t.id)} aria-label={`Rename ${t.name}`}>
                      Rename
                    </button>
                    {t.archived ? (
                      <button type="button" class="secondary small" onClick={() => setArchived(t, false)} aria-label={`Restore ${t.name}`}>
                        Restore
                      </button>
                    ) : (
                      <button type="button" class="danger small" onClick={() => setArchived(t, true)} aria-label={`Archive ${t.name}`}>
                        Archive
                      </button>
                    )}
                  </td>
                </tr>
              ),
            )}
          </Table>
        )}
      </section>
    </>
  );
}

function AddTheme({ onAdded }: { onAdded(t: Theme): void }) {
  const [form, setForm] = useState({ id: '', name: '', description: '' });
  const { busy, error, onSubmit } = useSubmit(async () => {
    const body: Record<string, string> = { id: form.id.trim(), name: form.name.trim() };
    if (form.description.trim()) body.description = form.description.trim();
    const r = await api.post<Theme>('/themes', body);
    setForm({ id: '', name: '', description: '' });
    onAdded(r.data);
  });
  return (
    <form class="panel" onSubmit={onSubmit} noValidate data-testid="add-theme">
      <h2>Add a theme</h2>
      <div class="row">
        <Field label="Name" value={form.name} onValue={(v) => setForm({ ...form, name: v })} field="name" error={error} required />
        <Field
          label="Id"
          value={form.id}
          onValue={(v) => setForm({ ...form, id: v })}
          field="id"
          error={error}
          required
          hint="Lower case words joined by hyphens, e.g. climate-mobility. It cannot be changed later."
        />
      </div>
      <Field label="Description" value={form.description} onValue={(v) => setForm({ ...form, description: v })} field="description" error={error} multiline rows={2} />
      <ErrorBox error={error} title="Not added." />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add theme'}
        </button>
      </div>
    </form>
  );
}

function EditTheme({ theme, onClose, onSaved, onStale }: { theme: Theme; onClose(): void; onSaved(t: Theme): void; onStale(): void }) {
  const [form, setForm] = useState({ name: theme.name, description: theme.description });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.patch<Theme>(`/themes/${encodeURIComponent(theme.id)}`, { name: form.name.trim(), description: form.description.trim() }, versionEtag(theme.version));
      onSaved(r.data);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 412) onStale();
      setError(err);
    }
  }
  return (
    <form onSubmit={submit} noValidate data-testid="edit-theme">
      <h3>Rename “{theme.name}”</h3>
      <div class="row">
        <Field label="Name" value={form.name} onValue={(v) => setForm({ ...form, name: v })} field="name" error={error} required />
        <Field label="Description" value={form.description} onValue={(v) => setForm({ ...form, description: v })} field="description" error={error} />
      </div>
      <ErrorBox error={error} title="Not saved." />
      <SubmitCancel label="Save theme" saving busy={busy} onCancel={onClose} />
    </form>
  );
}

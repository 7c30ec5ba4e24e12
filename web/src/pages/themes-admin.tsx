// Admin and secretariat: the theme taxonomy of the activity map — list, add, rename, archive.
import { useState } from 'preact/hooks';
import { ApiError, api, listAll, type Theme } from '../api';
import { forgetThemes } from '../activities';
import { versionEtag } from '../etag';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { InRecords, recordText } from '../lang-text';
import { EmptyState, ErrorBox, Field, Loading, Notice, SubmitCancel, Table, usePageTitle, useResource, useSubmit } from '../ui';

export function ThemesAdminPage() {
  usePageTitle(t('themes.title'));
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

  async function setArchived(theme: Theme, archived: boolean) {
    setError(null);
    setNotice(null);
    try {
      await api.patch(`/themes/${encodeURIComponent(theme.id)}`, { archived }, versionEtag(theme.version));
      changed(archived ? t('themes.archivedNotice', { name: theme.name }) : t('themes.restoredNotice', { name: theme.name }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) themes.reload();
      setError(e);
    }
  }

  const list = [...(themes.data ?? [])].sort((a, b) => Number(a.archived) - Number(b.archived) || a.position - b.position);

  return (
    <>
      <h1>{t('themes.title')}</h1>
      <p class="lede">{t('themes.lede')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={themes.error || error} />
      <AddTheme onAdded={(added) => changed(t('themes.addedNotice', { name: added.name }))} />
      <section aria-labelledby="themes-h">
        <h2 id="themes-h">{themes.data ? t('themes.allCount', { n: formatNumber(themes.data.length) }) : t('themes.all')}</h2>
        {themes.loading && !themes.data && <Loading />}
        {themes.data && themes.data.length === 0 && (
          <EmptyState testId="no-themes" message={t('empty.themes.none')} hint={t('empty.themes.noneHint')} actions={[{ label: t('empty.themes.add'), focus: 'add-theme-form' }]} />
        )}
        {themes.data && themes.data.length > 0 && (
          <Table columns={[t('themes.col.name'), t('themes.col.id'), t('themes.col.description')]} actions testId="themes">
            {list.map((theme) =>
              editing === theme.id ? (
                <tr key={theme.id}>
                  <td colSpan={4}>
                    <EditTheme
                      theme={theme}
                      onClose={() => setEditing(null)}
                      onSaved={(n) => {
                        setEditing(null);
                        changed(t('themes.savedNotice', { name: n.name }));
                      }}
                      onStale={() => themes.reload()}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={theme.id} class={theme.archived ? 'inactive' : undefined}>
                  <td>
                    <InRecords>{theme.name}</InRecords>
                    {theme.archived && <span class="tag">{t('themes.archivedTag')}</span>}
                  </td>
                  <td>
                    <code>{theme.id}</code>
                  </td>
                  <td {...recordText()}>{theme.description}</td>
                  <td class="row-actions">
                    <button type="button" class="secondary small" onClick={() => setEditing(theme.id)} aria-label={t('themes.renameLabel', { name: theme.name })}>
                      {t('themes.rename')}
                    </button>
                    {theme.archived ? (
                      <button type="button" class="secondary small" onClick={() => setArchived(theme, false)} aria-label={t('themes.restoreLabel', { name: theme.name })}>
                        {t('themes.restore')}
                      </button>
                    ) : (
                      <button type="button" class="danger small" onClick={() => setArchived(theme, true)} aria-label={t('themes.archiveLabel', { name: theme.name })}>
                        {t('themes.archive')}
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
    <form class="panel" id="add-theme-form" onSubmit={onSubmit} noValidate data-testid="add-theme">
      <h2>{t('themes.addHeading')}</h2>
      <div class="row">
        <Field label={t('themes.name')} value={form.name} onValue={(v) => setForm({ ...form, name: v })} field="name" error={error} required />
        <Field
          label={t('themes.id')}
          value={form.id}
          onValue={(v) => setForm({ ...form, id: v })}
          field="id"
          error={error}
          required
          hint={t('themes.idHint')}
        />
      </div>
      <Field label={t('themes.description')} value={form.description} onValue={(v) => setForm({ ...form, description: v })} field="description" error={error} multiline rows={2} />
      <ErrorBox error={error} title={t('themes.notAdded')} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('themes.adding') : t('themes.addSubmit')}
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
      <h3>{t('themes.renameHeading', { name: theme.name })}</h3>
      <div class="row">
        <Field label={t('themes.name')} value={form.name} onValue={(v) => setForm({ ...form, name: v })} field="name" error={error} required />
        <Field label={t('themes.description')} value={form.description} onValue={(v) => setForm({ ...form, description: v })} field="description" error={error} />
      </div>
      <ErrorBox error={error} title={t('themes.notSaved')} />
      <SubmitCancel label={t('themes.save')} saving busy={busy} onCancel={onClose} />
    </form>
  );
}

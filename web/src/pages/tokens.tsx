// Any signed-in user: personal API tokens for scripts. The secret is shown once, on creation.
import { useRef, useState } from 'preact/hooks';
import { api, type Token } from '../api';
import { ErrorBox, Field, Loading, Notice, RowButton, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';

function tokenItems(d: unknown): Token[] {
  if (Array.isArray(d)) return d as Token[];
  const i = (d as { items?: Token[] } | null)?.items;
  return Array.isArray(i) ? i : [];
}

export function TokensPage() {
  usePageTitle('API tokens');
  const tokens = useResource(() => api.get<unknown>('/tokens?limit=500').then((r) => tokenItems(r.data)), []);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<Token | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  const { busy, error, onSubmit } = useSubmit(async () => {
    setNotice(null);
    const body: Record<string, unknown> = { name: name.trim() };
    if (days.trim()) body.expires_in_days = Number(days);
    const r = await api.post<Token>('/tokens', body);
    setCreated(r.data);
    setName('');
    tokens.reload();
    setTimeout(() => secretRef.current?.select(), 0);
  });

  async function revoke(t: Token) {
    if (!confirm(`Revoke the token "${t.name}"? Scripts using it stop working at once.`)) return;
    setListError(null);
    try {
      await api.del(`/tokens/${encodeURIComponent(String(t.id))}`);
      setNotice(`Revoked "${t.name}".`);
      if (created?.id === t.id) setCreated(null);
      tokens.reload();
    } catch (e) {
      setListError(e);
    }
  }

  return (
    <>
      <h1>API tokens</h1>
      <p class="lede">
        Scripts and other systems use a token instead of your password: send it as <code>Authorization: Bearer gmg_…</code>.
        A token acts with your role; revoke it when it is no longer needed. Changing your password revokes all your tokens.
      </p>

      <form class="panel" noValidate onSubmit={onSubmit}>
        <h2>New token</h2>
        <div class="row">
          <Field label="Name" value={name} onValue={setName} field="name" error={error} required hint="What the token is for, e.g. “IATI nightly import”." autoComplete="off" />
          <Field label="Expires in (days)" type="number" min="1" max="365" value={days} onValue={setDays} field="expires_in_days" error={error} hint="At most 365; empty means 90." />
        </div>
        <ErrorBox error={error} title="Not created." />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Create token
          </button>
        </div>
      </form>

      {created?.token && (
        <section class="panel secret" aria-labelledby="secret-h" data-testid="new-token">
          <h2 id="secret-h">Your new token “{created.name}”</h2>
          <p>
            <strong>Copy it now: it is shown only this once.</strong>
          </p>
          <label for="token-secret">Token</label>
          <input id="token-secret" ref={secretRef} class="mono" readOnly value={created.token} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <div class="actions">
            {navigator.clipboard && (
              <button
                type="button"
                class="secondary"
                onClick={() => navigator.clipboard.writeText(created.token!).then(() => setNotice('Copied to the clipboard.'), () => {})}
              >
                Copy
              </button>
            )}
            <button type="button" class="secondary" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby="mine-h">
        <h2 id="mine-h">Your tokens</h2>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={tokens.error || listError} />
        {tokens.loading && !tokens.data && <Loading />}
        {tokens.data &&
          (tokens.data.length === 0 ? (
            <p>You have no API tokens.</p>
          ) : (
            <Table columns={['Name', 'Created', 'Expires']} actions testId="tokens">
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{formatTimestamp(t.created_at)}</td>
                  <td>{t.expires_at ? formatTimestamp(t.expires_at) : 'never'}</td>
                  <td class="row-actions">
                    <RowButton label="Revoke" what={t.name} kind="danger" onClick={() => revoke(t)} />
                  </td>
                </tr>
              ))}
            </Table>
          ))}
      </section>
    </>
  );
}

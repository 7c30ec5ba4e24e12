// Any signed-in user: personal API tokens for scripts. The secret is shown once, on creation.
import { useRef, useState } from 'preact/hooks';
import { api, type Token } from '../api';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { EmptyState, ErrorBox, Field, Loading, Notice, RowButton, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';

const AUTH_HEADER = 'Authorization: Bearer gmg_…';
const MAX_DAYS = 365;
const DEFAULT_DAYS = 90;

/**
 * The lede's first sentence, whole in the catalogue, with the header it names set as code: the
 * message is rendered with a marker in place of {header}, then split around it.
 */
function SendAsHeader() {
  const marker = '\u0000';
  const [before, after = ''] = t('tokens.ledeSend', { header: marker }).split(marker);
  return (
    <>
      {before}
      <code dir="ltr">{AUTH_HEADER}</code>
      {after}
    </>
  );
}

function tokenItems(d: unknown): Token[] {
  if (Array.isArray(d)) return d as Token[];
  const i = (d as { items?: Token[] } | null)?.items;
  return Array.isArray(i) ? i : [];
}

export function TokensPage() {
  usePageTitle(t('tokens.title'));
  const tokens = useResource(() => api.get<unknown>('/tokens?limit=500').then((r) => tokenItems(r.data)), []);
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(DEFAULT_DAYS));
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

  async function revoke(tok: Token) {
    if (!confirm(t('tokens.confirmRevoke', { name: tok.name }))) return;
    setListError(null);
    try {
      await api.del(`/tokens/${encodeURIComponent(String(tok.id))}`);
      setNotice(t('tokens.revoked', { name: tok.name }));
      if (created?.id === tok.id) setCreated(null);
      tokens.reload();
    } catch (e) {
      setListError(e);
    }
  }

  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p class="lede">
        <SendAsHeader /> {t('tokens.ledeRole')}
      </p>

      <form class="panel" id="new-token-form" noValidate onSubmit={onSubmit}>
        <h2>{t('tokens.newHeading')}</h2>
        <div class="row">
          <Field label={t('tokens.name')} value={name} onValue={setName} field="name" error={error} required hint={t('tokens.nameHint')} autoComplete="off" />
          <Field
            label={t('tokens.expiresInDays')}
            type="number"
            min="1"
            max={String(MAX_DAYS)}
            value={days}
            onValue={setDays}
            field="expires_in_days"
            error={error}
            hint={t('tokens.expiresHint', { max: formatNumber(MAX_DAYS), fallback: formatNumber(DEFAULT_DAYS) })}
          />
        </div>
        <ErrorBox error={error} title={t('tokens.notCreated')} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('tokens.create')}
          </button>
        </div>
      </form>

      {created?.token && (
        <section class="panel secret" aria-labelledby="secret-h" data-testid="new-token">
          <h2 id="secret-h">{t('tokens.secretHeading', { name: created.name })}</h2>
          <p>
            <strong>{t('tokens.copyNow')}</strong>
          </p>
          <label for="token-secret">{t('tokens.token')}</label>
          <input id="token-secret" ref={secretRef} class="mono" dir="ltr" readOnly value={created.token} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <div class="actions">
            {navigator.clipboard && (
              <button
                type="button"
                class="secondary"
                onClick={() => navigator.clipboard.writeText(created.token!).then(() => setNotice(t('tokens.copied')), () => {})}
              >
                {t('tokens.copy')}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => setCreated(null)}>
              {t('tokens.copiedIt')}
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t('tokens.mine')}</h2>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={tokens.error || listError} />
        {tokens.loading && !tokens.data && <Loading />}
        {tokens.data &&
          (tokens.data.length === 0 ? (
            <EmptyState message={t('tokens.none')} hint={t('empty.tokens.what')} actions={[{ label: t('empty.tokens.create'), focus: 'new-token-form' }]} testId="no-tokens" />
          ) : (
            <Table columns={[t('tokens.col.name'), t('tokens.col.created'), t('tokens.col.expires')]} actions testId="tokens">
              {tokens.data.map((tok) => (
                <tr key={tok.id}>
                  <td>{tok.name}</td>
                  <td>{formatTimestamp(tok.created_at)}</td>
                  <td>{tok.expires_at ? formatTimestamp(tok.expires_at) : t('tokens.never')}</td>
                  <td class="row-actions">
                    <RowButton label={t('tokens.revoke')} what={tok.name} kind="danger" onClick={() => revoke(tok)} />
                  </td>
                </tr>
              ))}
            </Table>
          ))}
      </section>
    </>
  );
}

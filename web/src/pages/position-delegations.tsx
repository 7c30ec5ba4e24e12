// /positions/delegations: a focal point lets a colleague of its own organisation stand in
// endorsement rounds on its behalf — for every round or for one — and revokes it. Stands taken
// by a delegate are recorded and shown as such in the matrix. The colleague is chosen from the
// organisation's member users (GET /organizations/{id}/users).
import { useState } from 'preact/hooks';
import { api, listAll } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Select, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';
import type { Delegation, OrganizationUser } from '../positions';

export function DelegationsPage() {
  const { user } = useSession();
  usePageTitle(t('positions.delegations.title'));
  const org = user?.organization_id ?? '';
  const focal = user?.role === 'focal_point' && !!org;
  const path = `/organizations/${encodeURIComponent(org)}/delegations`;
  const list = useResource(() => (focal ? listAll<Delegation>(path) : Promise.resolve([])), [org, focal]);
  // Only member users can be delegates (docs/positions.md).
  const colleagues = useResource(() => (focal ? listAll<OrganizationUser>(`/organizations/${encodeURIComponent(org)}/users`) : Promise.resolve([] as OrganizationUser[])).then((all) => all.filter((u) => u.role === 'member')), [org, focal]);
  const [delegate, setDelegate] = useState('');
  const [round, setRound] = useState('');
  const [done, setDone] = useState('');
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const submit = useSubmit(async () => {
    setDone('');
    const body: Record<string, unknown> = { delegate_user_id: Number(delegate) };
    if (round.trim()) body.round_id = Number(round);
    await api.post(path, body);
    setDelegate('');
    setRound('');
    setDone(t('positions.delegations.granted'));
    list.reload();
  });
  async function revoke(d: Delegation) {
    if (!confirm(t('positions.delegations.revokeConfirm', { name: d.delegate.name }))) return;
    setRevokeError(null);
    try {
      await api.del(`${path}/${d.id}`);
      setDone(t('positions.delegations.revoked'));
      list.reload();
    } catch (e) {
      setRevokeError(e);
    }
  }
  if (!focal) {
    return (
      <section>
        <h1>{t('positions.delegations.title')}</h1>
        <p>{t('positions.delegations.onlyFocal')}</p>
      </section>
    );
  }
  const items = list.data ?? [];
  return (
    <section data-testid="delegations-page">
      <p class="crumbs">
        <Link href="/positions">{t('positions.title')}</Link>
      </p>
      <h1>{t('positions.delegations.title')}</h1>
      <p>{t('positions.delegations.lede')}</p>
      {done && <Notice>{done}</Notice>}
      <ErrorBox error={list.error} />
      <ErrorBox error={revokeError} title={t('positions.delegations.notRevoked')} />
      {!list.data ? (
        list.error ? null : <Loading />
      ) : items.length === 0 ? (
        <EmptyState message={t('positions.delegations.none')} testId="no-delegations" />
      ) : (
        <Table columns={[t('positions.delegations.delegate'), t('positions.delegations.scope'), t('positions.delegations.since'), t('positions.delegations.state')]} actions compact testId="delegations" label={t('positions.delegations.title')}>
          {items.map((d) => (
            <tr key={d.id} data-delegation={d.id}>
              <td>
                <bdi>{d.delegate.name}</bdi>
              </td>
              <td>{d.round_id == null ? t('positions.delegations.allRounds') : t('positions.delegations.oneRound', { n: formatNumber(d.round_id) })}</td>
              <td>{formatTimestamp(d.created_at)}</td>
              <td>{d.revoked_at ? t('positions.delegations.revokedAt', { when: formatTimestamp(d.revoked_at) }) : t('positions.delegations.active')}</td>
              <td>
                {!d.revoked_at && (
                  <button type="button" class="secondary small" onClick={() => revoke(d)} aria-label={t('positions.delegations.revokeWho', { name: d.delegate.name })}>
                    {t('positions.delegations.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <form class="card" onSubmit={submit.onSubmit} data-testid="delegation-form" aria-labelledby="grant-h">
        <h2 id="grant-h">{t('positions.delegations.grant')}</h2>
        <ErrorBox error={colleagues.error} />
        {colleagues.data && colleagues.data.length === 0 ? (
          <p class="meta" data-testid="no-colleagues">
            {t('positions.delegations.noColleagues')}
          </p>
        ) : (
          <Select
            label={t('positions.delegations.colleague')}
            value={delegate}
            onValue={setDelegate}
            required
            field="delegate_user_id"
            error={submit.error}
            options={[{ value: '', label: t('positions.delegations.chooseColleague') }, ...(colleagues.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))]}
          />
        )}
        <Field label={t('positions.delegations.roundId')} hint={t('positions.delegations.roundIdHint')} type="number" inputMode="numeric" min="1" value={round} onValue={setRound} field="round_id" error={submit.error} />
        <ErrorBox error={submit.error} title={t('positions.delegations.notGranted')} />
        <button type="submit" disabled={submit.busy}>
          {t('positions.delegations.submit')}
        </button>
      </form>
    </section>
  );
}

// /notifications: the signed-in user's inbox (newest first; unread marked, "Mark as read" one
// by one or all, each linking to what it is about) and /notifications/preferences: per kind,
// in the app, by e-mail, in the daily digest, or not at all; the digest on or off.
import { useState } from 'preact/hooks';
import { api, query, type List } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link, navigate, useLocation } from '../router';
import { EmptyState, ErrorBox, Loading, Notice, Table, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';
import { CHANNELS, NOTIFICATION_KINDS, notificationsChanged, type AppNotification, type Channel, type Preferences } from '../positions';

export function NotificationsPage() {
  const { search } = useLocation();
  const unreadOnly = search.get('unread') === '1';
  const list = useResource(() => api.get<List<AppNotification>>(`/notifications${query({ unread: unreadOnly ? 1 : null, limit: 100 })}`).then((r) => r.data), [unreadOnly]);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('notifications.title'));

  async function markRead(body: { ids: number[] } | { all: true }) {
    setError(null);
    try {
      await api.post('/notifications/read', body);
      notificationsChanged();
      list.reload();
    } catch (e) {
      setError(e);
    }
  }
  async function open(n: AppNotification) {
    if (!n.read) await markRead({ ids: [n.id] });
    if (n.link) navigate(n.link);
  }
  const items = list.data?.items ?? [];
  const unread = items.filter((n) => !n.read).length;
  return (
    <section data-testid="notifications-page">
      <h1>{t('notifications.title')}</h1>
      <div class="actions">
        <Link href={unreadOnly ? '/notifications' : '/notifications?unread=1'} class="button secondary">
          {unreadOnly ? t('notifications.showAll') : t('notifications.showUnread')}
        </Link>
        {unread > 0 && (
          <button type="button" onClick={() => markRead({ all: true })} data-testid="mark-all">
            {t('notifications.markAll')}
          </button>
        )}
        <Link href="/notifications/preferences" class="button secondary">
          {t('notifications.preferences')}
        </Link>
      </div>
      <ErrorBox error={list.error ?? error} />
      {!list.data ? (
        list.error ? null : <Loading what={t('notifications.loading')} />
      ) : items.length === 0 ? (
        <EmptyState message={unreadOnly ? t('notifications.noneUnread') : t('notifications.none')} testId="no-notifications" />
      ) : (
        <>
          <p class="meta" aria-live="polite">
            {t('notifications.unreadCount', { count: unread, n: formatNumber(unread) })}
          </p>
          <ul class="notif-list" data-testid="notifications">
            {items.map((n) => (
              <li key={n.id} class={n.read ? 'read' : 'unread'} data-kind={n.kind}>
                <p>
                  {!n.read && <span class="tag">{t('notifications.new')}</span>}{' '}
                  {n.link ? (
                    <a
                      href={n.link}
                      onClick={(e) => {
                        e.preventDefault();
                        open(n).catch(() => {});
                      }}
                    >
                      <strong>{n.title}</strong>
                    </a>
                  ) : (
                    <strong>{n.title}</strong>
                  )}
                </p>
                {n.body && <p dir="auto">{n.body}</p>}
                <p class="meta">
                  {formatTimestamp(n.created_at)}{' '}
                  {!n.read && (
                    <button type="button" class="secondary small" onClick={() => markRead({ ids: [n.id] })} aria-label={t('notifications.markReadWhat', { what: n.title })}>
                      {t('notifications.markRead')}
                    </button>
                  )}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function NotificationPreferencesPage() {
  const prefs = useResource(() => api.get<Preferences>('/notifications/preferences').then((r) => r.data), []);
  usePageTitle(t('notifications.prefs.title'));
  if (prefs.error && !prefs.data) {
    return (
      <section>
        <h1>{t('notifications.prefs.title')}</h1>
        <ErrorBox error={prefs.error} />
      </section>
    );
  }
  if (!prefs.data) return <Loading />;
  return <PreferencesForm initial={prefs.data} />;
}

function PreferencesForm({ initial }: { initial: Preferences }) {
  const [kinds, setKinds] = useState<Record<string, Channel>>({ ...initial.kinds });
  // The digest is on while some kind goes to it; turning it off moves those kinds to the app.
  const [digest, setDigest] = useState(Object.values(initial.kinds).includes('digest'));
  const [hour, setHour] = useState(String(initial.digest_hour ?? 7));
  const [saved, setSaved] = useState(false);
  const submit = useSubmit(async () => {
    setSaved(false);
    const sent = Object.fromEntries(Object.entries(kinds).map(([k, c]) => [k, !digest && c === 'digest' ? 'inapp' : c]));
    const r = await api.put<Preferences>('/notifications/preferences', { kinds: sent, digest_hour: Number(hour) });
    setKinds({ ...r.data.kinds });
    setDigest(Object.values(r.data.kinds).includes('digest'));
    setSaved(true);
  });
  const all = [...new Set([...NOTIFICATION_KINDS, ...Object.keys(kinds)])];
  return (
    <section data-testid="preferences-page">
      <p class="crumbs">
        <Link href="/notifications">{t('notifications.title')}</Link>
      </p>
      <h1>{t('notifications.prefs.title')}</h1>
      <p>{t('notifications.prefs.lede')}</p>
      <form onSubmit={submit.onSubmit}>
        <Table columns={[t('notifications.prefs.kind'), t('notifications.prefs.channel')]} compact testId="preferences" label={t('notifications.prefs.title')}>
          {all.map((k) => (
            <tr key={k}>
              <th scope="row" id={`kind-${k}`}>
                {kindName(k)}
              </th>
              <td>
                <select aria-labelledby={`kind-${k}`} data-kind={k} value={!digest && kinds[k] === 'digest' ? 'inapp' : (kinds[k] ?? 'inapp')} onChange={(e) => setKinds({ ...kinds, [k]: (e.currentTarget as HTMLSelectElement).value as Channel })}>
                  {CHANNELS.filter((c) => digest || c !== 'digest').map((c) => (
                    <option key={c} value={c}>
                      {t(`notifications.channel.${c}`)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </Table>
        <div class="field check">
          <input id="digest-on" type="checkbox" checked={digest} onChange={(e) => setDigest((e.currentTarget as HTMLInputElement).checked)} />
          <label for="digest-on">{t('notifications.prefs.digest')}</label>
        </div>
        <p class="hint">{t('notifications.prefs.digestHint')}</p>
        {digest && (
          <div class="field">
            <label for="digest-hour">{t('notifications.prefs.digestHour')}</label>
            <select id="digest-hour" value={hour} onChange={(e) => setHour((e.currentTarget as HTMLSelectElement).value)}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={String(h)}>
                  {t('notifications.prefs.hourUtc', { h: String(h).padStart(2, '0') })}
                </option>
              ))}
            </select>
          </div>
        )}
        <ErrorBox error={submit.error} title={t('notifications.prefs.notSaved')} />
        {saved && <Notice>{t('notifications.prefs.saved')}</Notice>}
        <button type="submit" disabled={submit.busy}>
          {t('notifications.prefs.save')}
        </button>
      </form>
    </section>
  );
}

function kindName(k: string): string {
  return (NOTIFICATION_KINDS as readonly string[]).includes(k) ? t(`notifications.kind.${k as (typeof NOTIFICATION_KINDS)[number]}`) : k;
}

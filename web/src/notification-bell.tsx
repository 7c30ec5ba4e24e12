// The header's bell: how many notifications the signed-in user has not read, linking to the
// inbox. Asked gently (GET /notifications/count, cheap): on sign-in, every minute while the tab
// is visible, when the tab regains focus, and when the inbox marks some read — agency staff on
// slow connections pay one small request a minute at most.
import { useEffect, useState } from 'preact/hooks';
import type { User } from './api';
import { t } from './i18n';
import { formatNumber } from './format';
import { Link } from './router';
import { api } from './api';
import './positions.css';

const POLL_MS = 60_000;
const CHANGED = 'gmg:notifications-changed';

export function NotificationBell({ user }: { user: User | null | undefined }) {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    if (!user) {
      setUnread(null);
      return;
    }
    let alive = true;
    const ask = () => {
      if (document.visibilityState === 'hidden') return;
      api.get<{ unread: number }>('/notifications/count').then(
        (r) => alive && setUnread(Number(r.data?.unread ?? 0)),
        () => {},
      );
    };
    ask();
    const timer = setInterval(ask, POLL_MS);
    window.addEventListener('focus', ask);
    window.addEventListener(CHANGED, ask);
    return () => {
      alive = false;
      clearInterval(timer);
      window.removeEventListener('focus', ask);
      window.removeEventListener(CHANGED, ask);
    };
  }, [user?.id]);
  if (!user) return null;
  const n = unread ?? 0;
  return (
    <Link href="/notifications" class="bell" data-testid="bell" aria-label={n > 0 ? t('shell.bell.unread', { count: n, n: formatNumber(n) }) : t('shell.bell.none')}>
      <span aria-hidden="true" class="bell-icon">
        {t('shell.bell.icon')}
      </span>
      {n > 0 && (
        <span class="bell-count" aria-hidden="true" data-testid="bell-count">
          {formatNumber(n)}
        </span>
      )}
    </Link>
  );
}

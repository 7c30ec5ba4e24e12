// The first run: a dialog that says what GMG Hub is for each role, then a short tour of the
// main places (the activities map, a member's page, the chair, meetings and actions, common
// positions, recording and importing an activity, the audit log for staff, the guide). It opens by itself once per visitor and once
// per signed-in user in this browser (localStorage), and again from "Take the tour".
//
// The dialog itself (tour-dialog.tsx) is its own chunk, fetched when the tour opens. Focus goes
// back where it was when the tour closes.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from './api';
import { t } from './i18n';
import { Link } from './router';
import { ErrorBox } from './ui';

/**
 * Who has seen the tour in this browser: space-separated `visitor` and `user:<id>` entries.
 * `all` means "never open by itself here" (a shared kiosk; the browser tests' default).
 */
export const TOUR_SEEN_KEY = 'gmg.tour.seen';

function seen(): string[] {
  try {
    return (localStorage.getItem(TOUR_SEEN_KEY) ?? '').split(' ').filter(Boolean);
  } catch {
    return ['all']; // storage refused: do not open on every page
  }
}

function who(user: User | null): string {
  return user ? `user:${user.id}` : 'visitor';
}

function hasSeen(user: User | null): boolean {
  const s = seen();
  return s.includes('all') || s.includes(who(user));
}

/** Remembers that `user` (and so this browser's visitor) has seen the tour. */
function markSeen(user: User | null): void {
  const s = new Set(seen());
  s.add('visitor');
  if (user) s.add(who(user));
  try {
    localStorage.setItem(TOUR_SEEN_KEY, [...s].join(' '));
  } catch {
    // not remembered: it will open again on the next visit
  }
}

const openers = new Set<() => void>();

/** Opens the tour (the "Take the tour" buttons). */
export function openTour(): void {
  for (const o of openers) o();
}

type Dialog = ComponentType<{ user: User | null; onClose(restoreFocus: boolean): void }>;
let loaded: Dialog | null = null;

/**
 * Mounted once by the shell: opens the tour by itself for whoever has not seen it, and when a
 * "Take the tour" button asks. `user` undefined = the session is not known yet (it does not
 * open before it is, so that a signed-in person gets their own tour).
 */
export function Tour({ user }: { user: User | null | undefined }) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(loaded);
  const [error, setError] = useState<unknown>(null);
  const returnTo = useRef<Element | null>(null);

  function show() {
    returnTo.current = document.activeElement;
    setOpen(true);
  }

  useEffect(() => {
    openers.add(show);
    return () => {
      openers.delete(show);
    };
  }, []);

  useEffect(() => {
    if (user !== undefined && !hasSeen(user)) show();
  }, [user]);

  useEffect(() => {
    if (!open || dialog) return;
    setError(null);
    import('./tour-dialog').then(
      (m) => {
        loaded = m.TourDialog;
        setDialog(() => m.TourDialog);
      },
      (e) => {
        setOpen(false);
        setError(e);
      },
    );
  }, [open]);

  /** Closed: remembered; focus goes back unless the reader is going elsewhere. */
  function onClose(restoreFocus: boolean) {
    if (user !== undefined) markSeen(user);
    setOpen(false);
    const back = returnTo.current;
    returnTo.current = null;
    if (restoreFocus && back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  }

  if (error) return <ErrorBox error={error} title={t('tour.loadFailed')} />;
  const Dialog = dialog;
  return open && Dialog && user !== undefined ? <Dialog key={user?.id ?? 'visitor'} user={user} onClose={onClose} /> : null;
}

/** "Take the tour": a button that reads as a link, for the footer and the home page. */
export function TakeTourButton() {
  return (
    <button type="button" class="link-button" data-testid="take-tour" onClick={openTour}>
      {t('tour.take')}
    </button>
  );
}

/** The home page's invitation: the tour and the guide, for whoever is new here. */
export function TourInvite() {
  return (
    <p class="tour-invite" data-testid="tour-invite">
      {t('tour.invite')} <TakeTourButton /> · <Link href="/help">{t('help.readGuide')}</Link>
    </p>
  );
}

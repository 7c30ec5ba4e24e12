// The first run: a dialog that says what GMG Hub is for each role, then a short tour of the
// main places (the activities map, a member's page, the chair, recording and importing an
// activity, the audit log for staff, the guide). It opens by itself once per visitor and once
// per signed-in user in this browser (localStorage), and again from "Take the tour".
//
// Accessible: a modal <dialog> labelled by its heading; focus moves to the heading on opening
// and back where it was on closing; Escape closes it; Tab stays inside it while it is open.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { User } from './api';
import { canRecordActivities } from './activities';
import { formatNumber } from './format';
import { t, type MessageId } from './i18n';
import { Link, navigate } from './router';
import { isStaff } from './session';

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

interface Step {
  id: string;
  title: MessageId;
  text: MessageId;
  links: { href: string; label: MessageId }[];
}

/** The tour's stops for this reader: everyone's places, and what their role adds. */
function stepsFor(user: User | null): Step[] {
  const steps: Step[] = [
    { id: 'activities', title: 'tour.activities.title', text: 'tour.activities.text', links: [{ href: '/activities', label: 'tour.activities.link' }] },
    {
      id: 'member',
      title: 'tour.member.title',
      text: user?.organization_id ? 'tour.member.textOwn' : 'tour.member.text',
      links: [user?.organization_id ? { href: `/members/${encodeURIComponent(user.organization_id)}`, label: 'tour.member.linkOwn' } : { href: '/', label: 'tour.member.link' }],
    },
    { id: 'chair', title: 'tour.chair.title', text: 'tour.chair.text', links: [{ href: '/chair', label: 'tour.chair.link' }] },
  ];
  if (user && canRecordActivities(user)) {
    steps.push({
      id: 'record',
      title: 'tour.record.title',
      text: 'tour.record.text',
      links: [
        { href: '/activities/new', label: 'tour.record.linkNew' },
        { href: '/activities/import', label: 'tour.record.linkImport' },
      ],
    });
  } else {
    steps.push({ id: 'record', title: 'tour.record.title', text: 'tour.record.textOthers', links: user ? [] : [{ href: '/signin', label: 'tour.record.linkSignIn' }] });
  }
  if (isStaff(user)) {
    steps.push({ id: 'audit', title: 'tour.audit.title', text: 'tour.audit.text', links: [{ href: '/audit', label: 'tour.audit.link' }] });
  }
  steps.push({ id: 'help', title: 'tour.help.title', text: 'tour.help.text', links: [{ href: '/help', label: 'tour.help.link' }] });
  return steps;
}

const ROLES = ['visitor', 'member', 'focal_point', 'secretariat', 'admin'] as const;

/**
 * The tour dialog, mounted once by the shell. `user` undefined = the session is not known yet
 * (it does not open before it is, so that a signed-in person gets their own tour).
 */
export function Tour({ user }: { user: User | null | undefined }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState(0); // 0: the welcome, then stepsFor(user)

  useEffect(() => {
    const o = () => {
      setStep(0);
      setOpen(true);
    };
    openers.add(o);
    return () => {
      openers.delete(o);
    };
  }, []);

  useEffect(() => {
    if (user !== undefined && !hasSeen(user)) setOpen(true);
  }, [user]);

  // Before paint: the reader's focus lands on the new heading with no flash on the old button.
  useLayoutEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement;
      d.showModal();
    }
    if (open) heading.current?.focus();
  }, [open, step]);

  /** Closes the tour, remembering it; focus goes back unless the reader is going elsewhere. */
  function close(restoreFocus = true) {
    if (user !== undefined) markSeen(user);
    setOpen(false);
    dialog.current?.close();
    const back = returnTo.current;
    returnTo.current = null;
    if (restoreFocus && back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  }

  const steps = stepsFor(user ?? null);
  const current = step === 0 ? null : steps[step - 1];
  const last = step === steps.length;

  return (
    <dialog
      ref={dialog}
      class="tour"
      aria-labelledby="tour-h"
      data-testid="tour"
      onCancel={(e) => {
        e.preventDefault(); // Escape: close as the Close button does
        close();
      }}
      onKeyDown={keepTabInside}
    >
      <p class="tour-progress">{t('tour.progress', { n: formatNumber(step + 1), total: formatNumber(steps.length + 1) })}</p>
      <h2 id="tour-h" ref={heading} tabIndex={-1}>
        {current ? t(current.title) : t('tour.welcome.title')}
      </h2>
      {current ? (
        <>
          <p>{t(current.text)}</p>
          {current.links.length > 0 && (
            <ul class="tour-links">
              {current.links.map((l) => (
                <li key={l.href}>
                  <a
                    href={l.href}
                    onClick={(e) => {
                      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                      e.preventDefault();
                      close(false);
                      navigate(l.href);
                    }}
                  >
                    {t(l.label)}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <Welcome user={user ?? null} />
      )}
      <div class="tour-actions">
        {step > 0 && (
          <button type="button" class="secondary" onClick={() => setStep(step - 1)}>
            {t('tour.back')}
          </button>
        )}
        {last ? (
          <button type="button" onClick={() => close()}>
            {t('tour.done')}
          </button>
        ) : (
          <button type="button" onClick={() => setStep(step + 1)}>
            {step === 0 ? t('tour.start') : t('tour.next')}
          </button>
        )}
        {!last && (
          <button type="button" class="secondary" onClick={() => close()}>
            {t('tour.close')}
          </button>
        )}
      </div>
    </dialog>
  );
}

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function keepTabInside(e: KeyboardEvent) {
  if (e.key !== 'Tab') return;
  const d = e.currentTarget as HTMLDialogElement;
  const stops = [...d.querySelectorAll<HTMLElement>('a[href], button:not([disabled])')];
  if (stops.length === 0) return;
  const [first, last] = [stops[0], stops[stops.length - 1]];
  const active = document.activeElement;
  if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  } else if (e.shiftKey && (active === first || active === d.querySelector('h2'))) {
    e.preventDefault();
    last.focus();
  }
}

/** What GMG Hub is, and what each role can do here. */
function Welcome({ user }: { user: User | null }) {
  const mine = user ? user.role : 'visitor';
  return (
    <>
      <p>{t('tour.welcome.intro')}</p>
      <dl class="tour-roles">
        {ROLES.map((r) => (
          <div key={r} class={r === mine ? 'mine' : undefined}>
            <dt>
              {t(`tour.role.${r}`)}
              {r === mine && <> {t('tour.role.you')}</>}
            </dt>
            <dd>{t(`tour.role.${r}.can`)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
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

// The tour's dialog (src/tour.tsx decides when it opens): loaded on first use, so that the
// first paint of every page does not wait for it. What GMG Hub is for each role, then the stops
// of the tour for this reader's role.
//
// Accessible: a modal <dialog> labelled by its heading; focus moves to the heading on opening
// and at each stop; Escape closes it; Tab and Shift+Tab stay inside it while it is open.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { User } from './api';
import { canRecordActivities } from './activities';
import { formatNumber } from './format';
import { t, type MessageId } from './i18n';
import { navigate } from './router';
import { isStaff } from './session';

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
    {
      id: 'meetings',
      title: 'tour.meetings.title',
      text: user?.organization_id ? 'tour.meetings.textOrg' : 'tour.meetings.text',
      links: [{ href: '/meetings', label: 'tour.meetings.link' }, ...(user ? [{ href: '/actions', label: 'tour.meetings.linkActions' } as const] : [])],
    },
    {
      id: 'positions',
      title: 'tour.positions.title',
      text: user?.role === 'focal_point' ? 'tour.positions.textFocal' : 'tour.positions.text',
      links: [{ href: '/positions', label: 'tour.positions.link' }],
    },
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

const ROLES = ['visitor', 'member', 'focal_point', 'secretariat', 'admin', 'stakeholder'] as const;

/**
 * The open tour. `onClose(restoreFocus)`: the reader closed it (false when they follow one of
 * its links, going elsewhere).
 */
export function TourDialog({ user, onClose }: { user: User | null; onClose(restoreFocus: boolean): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [step, setStep] = useState(0); // 0: the welcome, then stepsFor(user)

  // Before paint: the reader's focus lands on the new heading with no flash on the old button.
  useLayoutEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    heading.current?.focus();
  }, [step]);

  function close(restoreFocus = true) {
    dialog.current?.close();
    onClose(restoreFocus);
  }

  const steps = stepsFor(user);
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
        <Welcome user={user} />
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


// The home page's panel for a signed-in member (issue 12): its organisation's open and overdue
// actions (GET /organizations/{id}/actions?limit=8: the eight it lists, and the counts of all) and
// the next meeting. Staff see the next meeting.
// Its words are in the `home.` area, so the home page fetches no other page's.
import { t } from './i18n';
import { formatDate } from './format';
import { Link } from './router';
import { useSession } from './session';
import { ErrorBox, Loading, useResource } from './ui';
import { InRecords } from './lang-text';
import { formatInZone, loadMeetings, loadOrgActions, seesInternals, today, viewerZone } from './meetings';

export function HomeMeetingsPanel() {
  const { user } = useSession();
  if (!seesInternals(user)) return null;
  return (
    <section aria-labelledby="my-work-h" class="panel home-work" data-testid="home-work">
      <h2 id="my-work-h">{t('home.work.heading')}</h2>
      <div class="two-col">
        <NextMeeting />
        {user?.organization_id ? <OrgActions org={user.organization_id} /> : null}
      </div>
    </section>
  );
}

function NextMeeting() {
  const from = today();
  const meetings = useResource(() => loadMeetings({ from, status: 'planned' }), [from]);
  const now = new Date().toISOString();
  const next = (meetings.data ?? []).filter((m) => m.starts_at >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at))[0];
  return (
    <div data-testid="next-meeting">
      <h3>{t('home.work.next')}</h3>
      <ErrorBox error={meetings.error} />
      {!meetings.data && !meetings.error && <Loading />}
      {meetings.data &&
        (next ? (
          <p>
            <Link href={`/meetings/${next.id}`}>
              <InRecords>{next.title}</InRecords>
            </Link>
            <br />
            <span class="meta">{formatInZone(next.starts_at, viewerZone())}</span>
          </p>
        ) : (
          <p>{t('home.work.none')}</p>
        ))}
      <p>
        <Link href="/meetings">{t('home.work.allMeetings')}</Link>
      </p>
    </div>
  );
}

/** How many actions the panel lists; the summary counts them all (the response's totals). */
const SHOWN = 8;

function OrgActions({ org }: { org: string }) {
  const actions = useResource(() => loadOrgActions(org, SHOWN), [org]);
  // Soonest due first, as the server sends them: the overdue ones come first.
  const list = actions.data?.items ?? [];
  return (
    <div data-testid="my-actions">
      <h3>{t('home.work.mine')}</h3>
      <ErrorBox error={actions.error} />
      {!actions.data && !actions.error && <Loading />}
      {actions.data && (
        <>
          <p data-testid="my-actions-summary">{t('home.work.summary', { open: actions.data.total, overdue: actions.data.overdue })}</p>
          <ul class="home-actions">
            {list.map((a) => (
              <li key={a.id} class={a.overdue ? 'overdue' : ''} data-action={a.id}>
                <Link href={`/actions/${a.id}`}>
                  <InRecords>{a.title}</InRecords>
                </Link>{' '}
                <span class="meta">
                  {t('home.work.due', { date: formatDate(a.due_date) })} · {t(`home.work.status.${a.status}`)}
                </span>
                {a.overdue && (
                  <>
                    {' '}
                    <strong class="badge overdue">{t('home.work.overdue')}</strong>
                  </>
                )}
              </li>
            ))}
          </ul>
          <p>
            <Link href={`/actions?organization=${encodeURIComponent(org)}`}>{t('home.work.allActions')}</Link>
          </p>
        </>
      )}
    </div>
  );
}

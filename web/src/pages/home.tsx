// Home: what the GMG is, its members, the Terms of Reference, current issues, history, and
// who chairs today. Public.
import { ApiError, api, listAll, type About, type Chair, type Organization } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link } from '../router';
import { EmptyState, ErrorBox, Loading, Paragraphs, Rich, formatDate, usePageTitle, useResource } from '../ui';
import { TourInvite } from '../tour';
import { isAdmin, isStaff, useSession } from '../session';
import { InRecords, recordText } from '../lang-text';
import { HomeMeetingsPanel } from '../home-meetings';

export function HomePage() {
  usePageTitle(undefined);
  const { user } = useSession();
  const rec = recordText(); // the GMG's profile and members' names are records, in English
  const about = useResource(() => api.get<About>('/about').then((r) => r.data), []);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);

  return (
    <>
      <section class="hero" aria-labelledby="about-h">
        <div class="hero-text">
          {about.data ? (
            <h1 id="about-h" {...rec}>
              {about.data.name}
            </h1>
          ) : (
            <h1 id="about-h">{t('home.gmg')}</h1>
          )}
          {about.error ? <ErrorBox error={about.error} /> : null}
          {about.data ? <Paragraphs text={about.data.summary} {...rec} /> : !about.error && <Loading />}
          <TourInvite />
        </div>
        <ChairToday />
      </section>

      <HomeMeetingsPanel />

      <section aria-labelledby="members-h">
        <h2 id="members-h">{t('home.members')}</h2>
        {orgs.error ? <ErrorBox error={orgs.error} /> : null}
        {orgs.data ? (
          <>
            {orgs.data.length === 0 ? (
              <EmptyState testId="no-members" message={t('empty.home.members')} actions={isStaff(user) ? [{ label: t('empty.members.admit'), href: '/admin/members' }] : []} />
            ) : <p class="lede">{t('home.membersLede', { count: orgs.data.length, n: formatNumber(orgs.data.length) })}</p>}
            <ul class="cards" data-testid="members">
              {orgs.data.map((o) => (
                <li key={o.id} class="card">
                  <Link href={`/members/${encodeURIComponent(o.id)}`} class="card-link" data-testid={`member-${o.id}`}>
                    <span class="acronym">
                      <InRecords>{o.acronym}</InRecords>
                    </span>
                    {o.name !== o.acronym && (
                      <span class="name">
                        <InRecords>{o.name}</InRecords>
                      </span>
                    )}
                  </Link>
                  <span class="meta">{t('home.memberSince', { date: formatDate(o.member_since) })}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          !orgs.error && <Loading what={t('home.loadingMembers')} />
        )}
      </section>

      {about.data && (
        <>
          <section aria-labelledby="purposes-h">
            <h2 id="purposes-h">{t('home.purposes')}</h2>
            <p class="lede">{t('home.purposesLede')}</p>
            {/* The items keep the page's direction, so the numbers stand in the list's padding on
                the reading side; only their texts are records (an LTR item in an RTL list would
                put its marker outside the page's left edge, and the page would scroll sideways). */}
            <ol class="purposes">
              {[...about.data.purposes]
                .sort((a, b) => a.number - b.number)
                .map((p) => (
                  <li key={p.number} value={p.number}>
                    <h3 {...rec}>{p.title}</h3>
                    <p {...rec}>{p.text}</p>
                  </li>
                ))}
            </ol>
          </section>

          <div class="two-col">
            <section aria-labelledby="issues-h">
              <h2 id="issues-h">{t('home.issues')}</h2>
              {about.data.issues.length === 0 && <EmptyState testId="no-issues" message={t('empty.home.issues')} />}
              <ul class="issues">
                {[...about.data.issues]
                  .sort((a, b) => a.position - b.position)
                  .map((i) => (
                    <li key={i.position}>
                      <h3 {...rec}>{i.title}</h3>
                      {i.text && i.text !== i.title && <p {...rec}>{i.text}</p>}
                    </li>
                  ))}
              </ul>
            </section>

            <section aria-labelledby="history-h">
              <h2 id="history-h">{t('home.history')}</h2>
              {about.data.history.length === 0 && <EmptyState testId="no-gmg-history" message={t('empty.home.history')} />}
              <ol class="timeline">
                {[...about.data.history]
                  .sort((a, b) => a.date.localeCompare(b.date))
                  .map((e) => (
                    <li key={e.date + e.title}>
                      <time dateTime={e.date}>{formatDate(e.date)}</time>
                      <h3 {...rec}>{e.title}</h3>
                      {e.text && <p {...rec}>{e.text}</p>}
                    </li>
                  ))}
              </ol>
            </section>
          </div>
        </>
      )}
    </>
  );
}


function ChairToday() {
  const { user } = useSession();
  const chair = useResource(() => api.get<Chair>('/chair').then((r) => r.data), []);
  return (
    <aside class="chair-today" aria-labelledby="chair-today-h" data-testid="chair-today">
      <h2 id="chair-today-h">{t('home.chairToday')}</h2>
      {chair.error instanceof ApiError && chair.error.status === 404 ? (
        <EmptyState testId="no-chair-today" message={t('empty.home.chair')} actions={isAdmin(user) ? [{ label: t('empty.chair.addPlan'), href: '/chair' }] : []} />
      ) : chair.error ? <ErrorBox error={chair.error} /> : null}
      {chair.data ? (
        <>
          <p class="big">
            <Link href={`/members/${encodeURIComponent(chair.data.organization.id)}`}>
              <InRecords>{chair.data.organization.acronym}</InRecords>
            </Link>
          </p>
          <p>
            <InRecords>{chair.data.organization.name}</InRecords>
          </p>
          <p class="meta">
            {t('home.term', { from: formatDate(chair.data.starts_on), to: formatDate(chair.data.ends_on) })}
            {chair.data.source === 'override' && <> {chair.data.reason ? <Rich id="home.exceptionBecause" parts={{ reason: <InRecords>{chair.data.reason}</InRecords> }} /> : t('home.exception')}</>}
          </p>
        </>
      ) : (
        !chair.error && <Loading />
      )}
      <p>
        <Link href="/chair">{t('home.chairLink')}</Link>
      </p>
    </aside>
  );
}

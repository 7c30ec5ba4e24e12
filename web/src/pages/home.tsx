// Home: what the GMG is, its members, the Terms of Reference, current issues, history, and
// who chairs today. Public.
import { api, listAll, type About, type Chair, type Organization } from '../api';
import { Link } from '../router';
import { ErrorBox, Loading, Paragraphs, formatDate, usePageTitle, useResource } from '../ui';

export function HomePage() {
  usePageTitle(undefined);
  const about = useResource(() => api.get<About>('/about').then((r) => r.data), []);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);

  return (
    <>
      <section class="hero" aria-labelledby="about-h">
        <div class="hero-text">
          <h1 id="about-h">{about.data?.name ?? 'Global Migration Group'}</h1>
          {about.error ? <ErrorBox error={about.error} /> : null}
          {about.data ? <Paragraphs text={about.data.summary} /> : !about.error && <Loading />}
        </div>
        <ChairToday />
      </section>

      <section aria-labelledby="members-h">
        <h2 id="members-h">Members</h2>
        {orgs.error ? <ErrorBox error={orgs.error} /> : null}
        {orgs.data ? (
          <>
            <p class="lede">
              {orgs.data.length} organisations actively involved in international migration and related issues.
            </p>
            <ul class="cards" data-testid="members">
              {orgs.data.map((o) => (
                <li key={o.id} class="card">
                  <Link href={`/members/${encodeURIComponent(o.id)}`} class="card-link" data-testid={`member-${o.id}`}>
                    <span class="acronym">{o.acronym}</span>
                    {o.name !== o.acronym && <span class="name">{o.name}</span>}
                  </Link>
                  <span class="meta">Member since {formatDate(o.member_since)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          !orgs.error && <Loading what="Loading members" />
        )}
      </section>

      {about.data && (
        <>
          <section aria-labelledby="purposes-h">
            <h2 id="purposes-h">What for: the Terms of Reference</h2>
            <p class="lede">The GMG's regular consultations are undertaken for these purposes:</p>
            <ol class="purposes">
              {[...about.data.purposes]
                .sort((a, b) => a.number - b.number)
                .map((p) => (
                  <li key={p.number} value={p.number}>
                    <h3>{p.title}</h3>
                    <p>{p.text}</p>
                  </li>
                ))}
            </ol>
          </section>

          <div class="two-col">
            <section aria-labelledby="issues-h">
              <h2 id="issues-h">Issues of current interest</h2>
              <ul class="issues">
                {[...about.data.issues]
                  .sort((a, b) => a.position - b.position)
                  .map((i) => (
                    <li key={i.position}>
                      <h3>{i.title}</h3>
                      {i.text && i.text !== i.title && <p>{i.text}</p>}
                    </li>
                  ))}
              </ul>
            </section>

            <section aria-labelledby="history-h">
              <h2 id="history-h">History</h2>
              <ol class="timeline">
                {[...about.data.history]
                  .sort((a, b) => a.date.localeCompare(b.date))
                  .map((e) => (
                    <li key={e.date + e.title}>
                      <time dateTime={e.date}>{formatDate(e.date)}</time>
                      <h3>{e.title}</h3>
                      {e.text && <p>{e.text}</p>}
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
  const chair = useResource(() => api.get<Chair>('/chair').then((r) => r.data), []);
  return (
    <aside class="chair-today" aria-labelledby="chair-today-h" data-testid="chair-today">
      <h2 id="chair-today-h">Chair today</h2>
      {chair.error ? <ErrorBox error={chair.error} /> : null}
      {chair.data ? (
        <>
          <p class="big">
            <Link href={`/members/${encodeURIComponent(chair.data.organization.id)}`}>{chair.data.organization.acronym}</Link>
          </p>
          <p>{chair.data.organization.name}</p>
          <p class="meta">
            Term {formatDate(chair.data.starts_on)} – {formatDate(chair.data.ends_on)}
            {chair.data.source === 'override' && <> (exception{chair.data.reason ? `: ${chair.data.reason}` : ''})</>}
          </p>
        </>
      ) : (
        !chair.error && <Loading />
      )}
      <p>
        <Link href="/chair">Chair rotation and timeline</Link>
      </p>
    </aside>
  );
}

// /activities/:id: everything about one activity. Admin, secretariat and the focal points of its
// organisation also get Edit and Archive.
import { useState } from 'preact/hooks';
import { ApiError, api, type About, type Activity, type Codelists, type Theme } from '../api';
import {
  DIMENSION_LABELS,
  ROLE_LABELS,
  tagLabel,
  VISIBILITY_LABELS,
  canEditActivity,
  formatMoney,
  languageName,
  loadAbout,
  loadCodelists,
  loadThemes,
  statusLabel,
  typeLabel,
} from '../activities';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading, Paragraphs, formatDate, formatTimestamp, usePageTitle, useResource } from '../ui';

interface Reference {
  codelists: Codelists;
  themes: Theme[];
  about: About;
}

export function ActivityPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<Activity>(`/activities/${encodeURIComponent(id)}`).then((r) => r.data), [id, user?.id]);
  // Names for codes; the page shows the codes until they arrive (or if they fail).
  const ref = useResource<Reference>(
    () => Promise.all([loadCodelists(), loadThemes(), loadAbout()]).then(([codelists, themes, about]) => ({ codelists, themes, about })),
    [],
  );
  usePageTitle(res.data?.title ?? 'Activity');
  const [archiveError, setArchiveError] = useState<unknown>(null);
  const [archiving, setArchiving] = useState(false);

  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <h1>{notFound ? 'No such activity' : 'Activity'}</h1>
        {notFound ? (
          <p>
            There is no activity {id} that you can see. It may have been archived, or be visible only to signed-in staff.{' '}
            <Link href="/activities">All activities</Link>
          </p>
        ) : (
          <ErrorBox error={res.error} />
        )}
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what="Loading activity" />;

  const a = res.data;
  const r = ref.data;
  const themeName = (t: string) => r?.themes.find((x) => x.id === t)?.name ?? t;
  const countryName = (c: string) => r?.codelists.countries.find((x) => x.code === c)?.name ?? c;
  const regionName = (c: string) => r?.codelists.regions.find((x) => x.code === c)?.name ?? c;
  const purpose = (n: number) => r?.about.purposes.find((p) => p.number === n)?.title;
  const editable = canEditActivity(user, a.organization.id);

  async function archive() {
    if (!confirm(`Archive “${a.title}”? It leaves the lists, the map and search; the record stays in the audit log.`)) return;
    setArchiving(true);
    setArchiveError(null);
    try {
      await api.del(`/activities/${a.id}`);
      navigate('/activities');
    } catch (e) {
      setArchiveError(e);
      setArchiving(false);
    }
  }

  return (
    <article class="activity" data-testid="activity-page">
      <p class="crumbs">
        <Link href="/activities">Activities</Link> › {a.organization.acronym || a.organization.name}
      </p>
      <header class="member-head">
        <h1>{a.title}</h1>
        <p class={`status s${a.status}`}>{statusLabel(a.status, a.status_name)}</p>
      </header>
      {editable && (
        <div class="actions">
          <Link href={`/activities/${a.id}/edit`} class="button" data-testid="edit-activity">
            Edit
          </Link>
          <button type="button" class="danger" onClick={archive} disabled={archiving}>
            {archiving ? 'Archiving…' : 'Archive'}
          </button>
        </div>
      )}
      <ErrorBox error={archiveError} title="Not archived." />

      <div class="member-grid">
        <div>
          {a.titles.length > 1 && (
            <section aria-labelledby="titles-h">
              <h2 id="titles-h">Title in every language</h2>
              <ul class="plain lang-list">
                {a.titles.map((t) => (
                  <li key={t.lang} lang={t.lang}>
                    <span class="tag">{languageName(t.lang)}</span> {t.text}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="desc-h">
            <h2 id="desc-h">Description</h2>
            {a.descriptions.length === 0 ? (
              <p class="hint">No description.</p>
            ) : (
              a.descriptions.map((d) => (
                <div key={d.lang} lang={d.lang} class="description">
                  <p class="lang-label">
                    <span class="tag">{languageName(d.lang)}</span>
                  </p>
                  <Paragraphs text={d.text} />
                </div>
              ))
            )}
          </section>

          <section aria-labelledby="what-h">
            <h2 id="what-h">What</h2>
            <dl class="facts-list">
              <dt>Type</dt>
              <dd>{typeLabel(a.type)}</dd>
              <dt>Themes</dt>
              <dd data-testid="themes">{a.themes.length ? a.themes.map(themeName).join(', ') : '—'}</dd>
              <dt>Purposes (Terms of Reference)</dt>
              <dd>
                {a.purposes.length === 0 ? (
                  '—'
                ) : (
                  <ul class="plain">
                    {a.purposes.map((n) => (
                      <li key={n}>
                        {n}. {purpose(n) ?? ''}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>Dimensions</dt>
              <dd>{a.dimensions.length ? a.dimensions.map((d) => DIMENSION_LABELS[d] ?? d).join(', ') : '—'}</dd>
            </dl>
          </section>

          <section aria-labelledby="where-h">
            <h2 id="where-h">Where</h2>
            <dl class="facts-list">
              {a.is_global && (
                <>
                  <dt>Scope</dt>
                  <dd>Global</dd>
                </>
              )}
              <dt>Countries</dt>
              <dd data-testid="countries">{a.countries.length ? a.countries.map(countryName).join(', ') : '—'}</dd>
              <dt>Regions</dt>
              <dd>{a.regions.length ? a.regions.map(regionName).join(', ') : '—'}</dd>
            </dl>
          </section>

          <section aria-labelledby="partners-h">
            <h2 id="partners-h">Partners</h2>
            {a.partners.length === 0 ? (
              <p class="hint">No partners recorded.</p>
            ) : (
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Partner</th>
                    <th scope="col">Role</th>
                  </tr>
                </thead>
                <tbody>
                  {a.partners.map((p, i) => (
                    <tr key={i}>
                      <td>{p.organization_id ? <Link href={`/members/${encodeURIComponent(p.organization_id)}`}>{p.name}</Link> : p.name}</td>
                      <td>{ROLE_LABELS[p.role] ?? p.role}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {a.links.length > 0 && (
            <section aria-labelledby="links-h">
              <h2 id="links-h">Links</h2>
              <ul class="plain">
                {a.links.map((l, i) => (
                  <li key={i}>
                    {/^https?:\/\//i.test(l.url) ? (
                      <a href={l.url} rel="noopener noreferrer">
                        {l.title || l.url}
                      </a>
                    ) : (
                      <>
                        {l.title} <code>{l.url}</code>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>

        <aside aria-labelledby="facts-h" class="facts">
          <h2 id="facts-h">Facts</h2>
          <dl>
            <dt>Organisation</dt>
            <dd>
              {a.organization.is_member ? <Link href={`/members/${encodeURIComponent(a.organization.id)}`}>{a.organization.name}</Link> : a.organization.name}{' '}
              {a.organization.acronym && a.organization.acronym !== a.organization.name && `(${a.organization.acronym})`}
              {!a.organization.is_member && <span class="tag">partner</span>}
            </dd>
            <dt>Period</dt>
            <dd>
              {a.starts_on || a.ends_on ? `${a.starts_on ? formatDate(a.starts_on) : '…'} – ${a.ends_on ? formatDate(a.ends_on) : '…'}` : 'Not given'}
            </dd>
            <dt>Status</dt>
            <dd>{statusLabel(a.status, a.status_name)}</dd>
            <dt>Budget</dt>
            <dd data-testid="budget">{a.budget ? formatMoney(a.budget.amount, a.budget.currency) : 'Not given'}</dd>
            <dt>Contact</dt>
            <dd>
              {a.contact.name || a.contact.email ? (
                <>
                  {a.contact.name}
                  {a.contact.email && (
                    <>
                      {a.contact.name && <br />}
                      <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a>
                    </>
                  )}
                </>
              ) : (
                'Not given'
              )}
            </dd>
            <dt>IATI identifier</dt>
            <dd>{a.iati_identifier ? <code>{a.iati_identifier}</code> : 'None'}</dd>
            <dt>Source</dt>
            <dd>{a.source === 'manual' ? 'Recorded in GMG Hub' : a.source === 'iati' ? 'Imported from IATI' : a.source}</dd>
            <dt>Visibility</dt>
            <dd>{VISIBILITY_LABELS[a.visibility] ?? a.visibility}</dd>
            {a.tags.length > 0 && (
              <>
                <dt>Tags</dt>
                <dd data-testid="tags">{a.tags.map(tagLabel).join(', ')}</dd>
              </>
            )}
            <dt>Last updated</dt>
            <dd>{formatTimestamp(a.updated_at)}</dd>
          </dl>
        </aside>
      </div>
    </article>
  );
}

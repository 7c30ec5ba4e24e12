// /activities/:id: everything about one activity. Admin, secretariat and the focal points of its
// organisation also get Edit and Archive.
import { useState } from 'preact/hooks';
import { ApiError, api, type About, type Activity, type Codelists, type Theme } from '../api';
import {
  DIMENSION_LABELS,
  ROLE_LABELS,
  sectorLabel,
  tagLabel,
  transactionTypeLabel,
  VISIBILITY_LABELS,
  canEditActivity,
  formatMoney,
  countryName,
  joinList,
  languageName,
  loadAbout,
  loadCodelists,
  loadThemes,
  pickText,
  regionName,
  statusLabel,
  typeLabel,
} from '../activities';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { InLang, InRecords, InRecordsList, LangNote } from '../lang-text';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Loading, Paragraphs, formatDate, formatTimestamp, usePageTitle, useResource } from '../ui';

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
  const shownTitle = res.data ? pickText(res.data.titles) : null;
  usePageTitle(shownTitle?.text ?? res.data?.title ?? t('activity.title'));
  const [archiveError, setArchiveError] = useState<unknown>(null);
  const [archiving, setArchiving] = useState(false);

  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <h1>{notFound ? t('activity.notFound') : t('activity.title')}</h1>
        {notFound ? (
          <p>
            {t('activity.notFoundText', { id })} <Link href="/activities">{t('activity.allActivities')}</Link>
          </p>
        ) : (
          <ErrorBox error={res.error} />
        )}
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('activity.loading')} />;

  const a = res.data;
  const r = ref.data;
  const title = shownTitle ?? { text: a.title, lang: '', readers: true };
  const description = pickText(a.descriptions);
  const themeName = (th: string) => r?.themes.find((x) => x.id === th)?.name ?? th;
  const country = (c: string) => countryName(c, r?.codelists.countries.find((x) => x.code === c)?.name);
  const region = (c: string) => regionName(c, r?.codelists.regions.find((x) => x.code === c)?.name);
  const purpose = (n: number) => r?.about.purposes.find((p) => p.number === n)?.title;
  const editable = canEditActivity(user, a.organization.id);
  const orgName = a.organization.acronym || a.organization.name;
  // Where a reader who may not edit can learn more: the reporting member's page.
  const orgLink = a.organization.is_member ? [{ label: t('empty.activity.orgPage', { org: orgName }), href: `/members/${encodeURIComponent(a.organization.id)}` }] : [];

  async function archive() {
    if (!confirm(t('activity.archiveConfirm', { title: title.text }))) return;
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
        <Link href="/activities">{t('activities.title')}</Link> › {a.organization.acronym || a.organization.name}
      </p>
      <header class="member-head">
        <h1>
          <InLang lang={title.lang}>{title.text}</InLang>
          <LangNote lang={title.lang} readers={title.readers} />
        </h1>
        <p class={`status s${a.status}`}>{statusLabel(a.status, a.status_name)}</p>
      </header>
      {editable && (
        <div class="actions">
          <Link href={`/activities/${a.id}/edit`} class="button" data-testid="edit-activity">
            {t('activity.edit')}
          </Link>
          <button type="button" class="danger" onClick={archive} disabled={archiving}>
            {archiving ? t('activity.archiving') : t('activity.archive')}
          </button>
        </div>
      )}
      <ErrorBox error={archiveError} title={t('activity.notArchived')} />

      <div class="member-grid">
        <div>
          {a.titles.length > 1 && (
            <section aria-labelledby="titles-h">
              <h2 id="titles-h">{t('activity.titles')}</h2>
              <ul class="plain lang-list">
                {a.titles.map((x) => (
                  <li key={x.lang}>
                    <span class="tag">{languageName(x.lang)}</span> <InLang lang={x.lang}>{x.text}</InLang>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="desc-h">
            <h2 id="desc-h">{t('activity.description')}</h2>
            {!description ? (
              <EmptyState
                message={t('activity.noDescription')}
                hint={editable ? t('empty.activity.descriptionEditor') : t('empty.activity.descriptionReader', { org: orgName })}
                actions={editable ? [{ label: t('empty.activity.addDescription'), href: `/activities/${a.id}/edit` }] : orgLink}
                testId="no-description"
              />
            ) : (
              <>
                <div lang={description.lang} class="description" data-testid="description">
                  <Paragraphs text={description.text} />
                </div>
                <LangNote lang={description.lang} readers={description.readers} />
                {a.descriptions.length > 1 && (
                  <details class="other-languages">
                    <summary>{t('activity.otherDescriptions', { count: a.descriptions.length - 1, n: formatNumber(a.descriptions.length - 1) })}</summary>
                    {a.descriptions
                      .filter((d) => d.lang !== description.lang)
                      .map((d) => (
                        <div key={d.lang} class="description">
                          <p class="lang-label">
                            <span class="tag">{languageName(d.lang)}</span>
                          </p>
                          <div lang={d.lang}>
                            <Paragraphs text={d.text} />
                          </div>
                        </div>
                      ))}
                  </details>
                )}
              </>
            )}
          </section>

          <section aria-labelledby="what-h">
            <h2 id="what-h">{t('activity.what')}</h2>
            <dl class="facts-list">
              <dt>{t('activity.type')}</dt>
              <dd>{typeLabel(a.type)}</dd>
              <dt>{t('activity.themes')}</dt>
              <dd data-testid="themes">{a.themes.length ? <InRecordsList texts={a.themes.map(themeName)} separator={t('activities.listSeparator')} /> : '—'}</dd>
              <dt>{t('activity.purposes')}</dt>
              <dd>
                {a.purposes.length === 0 ? (
                  '—'
                ) : (
                  <ul class="plain">
                    {a.purposes.map((n) => (
                      <li key={n}>
                        {t('activity.purposeItem', { n, title: purpose(n) ?? '' })}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>{t('activity.dimensions')}</dt>
              <dd>{a.dimensions.length ? joinList(a.dimensions.map((d) => DIMENSION_LABELS[d] ?? d)) : '—'}</dd>
            </dl>
          </section>

          <section aria-labelledby="where-h">
            <h2 id="where-h">{t('activity.where')}</h2>
            <dl class="facts-list">
              {a.is_global && (
                <>
                  <dt>{t('activity.scope')}</dt>
                  <dd>{t('activities.global')}</dd>
                </>
              )}
              <dt>{t('activity.countries')}</dt>
              <dd data-testid="countries">{a.countries.length ? joinList(a.countries.map(country)) : '—'}</dd>
              <dt>{t('activity.regions')}</dt>
              <dd>{a.regions.length ? joinList(a.regions.map(region)) : '—'}</dd>
            </dl>
          </section>

          <section aria-labelledby="partners-h">
            <h2 id="partners-h">{t('activity.partners')}</h2>
            {a.partners.length === 0 ? (
              <EmptyState
                message={t('activity.noPartners')}
                hint={editable ? t('empty.activity.partnersEditor') : t('empty.activity.partnersReader', { org: orgName })}
                actions={editable ? [{ label: t('empty.activity.addPartners'), href: `/activities/${a.id}/edit` }] : []}
                testId="no-partners"
              />
            ) : (
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">{t('activity.partner')}</th>
                    <th scope="col">{t('activity.role')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.partners.map((p, i) => (
                    <tr key={i}>
                      <td>
                        {/* A partner's name is as recorded, in whichever language: its own direction. */}
                        <bdi>{p.organization_id ? <Link href={`/members/${encodeURIComponent(p.organization_id)}`}>{p.name}</Link> : p.name}</bdi>
                      </td>
                      <td>{ROLE_LABELS[p.role] ?? p.role}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {a.sectors.length > 0 && (
            <section aria-labelledby="sectors-h">
              <h2 id="sectors-h">{t('activity.sectors')}</h2>
              <ul class="plain" data-testid="sectors">
                {a.sectors.map((s, i) => (
                  <li key={i}>
                    {sectorLabel(s)}
                    {s.narrative && (
                      <>
                        {' — '}
                        <bdi>{s.narrative}</bdi>
                      </>
                    )}
                    {s.percentage !== null && <> ({t('activity.sectorShare', { share: formatNumber(s.percentage) })})</>}
                  </li>
                ))}
              </ul>
            </section>
          )}

          {a.transactions.length > 0 && (
            <section aria-labelledby="transactions-h">
              <h2 id="transactions-h">{t('activity.transactions')}</h2>
              <table class="table compact" data-testid="transactions">
                <thead>
                  <tr>
                    <th scope="col">{t('activity.transactionType')}</th>
                    <th scope="col">{t('activity.transactionDate')}</th>
                    <th scope="col">{t('activity.transactionValue')}</th>
                    <th scope="col">{t('activity.transactionParties')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.transactions.map((tx, i) => {
                    const currency = tx.currency || a.budget?.currency || '';
                    const from = tx.provider?.name || tx.provider?.ref;
                    const to = tx.receiver?.name || tx.receiver?.ref;
                    return (
                      <tr key={i}>
                        <td>{transactionTypeLabel(tx.type)}</td>
                        <td>{formatDate(tx.date)}</td>
                        <td class="num">{currency ? formatMoney(tx.value, currency) : formatNumber(tx.value)}</td>
                        <td>
                          {from || to ? (
                            <bdi>{t('activity.transactionFromTo', { from: from || '—', to: to || '—' })}</bdi>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          )}

          {a.links.length > 0 && (
            <section aria-labelledby="links-h">
              <h2 id="links-h">{t('activity.links')}</h2>
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
          <h2 id="facts-h">{t('activity.facts')}</h2>
          <dl>
            <dt>{t('activity.organisation')}</dt>
            <dd>
              <InRecords>{a.organization.is_member ? <Link href={`/members/${encodeURIComponent(a.organization.id)}`}>{a.organization.name}</Link> : a.organization.name}</InRecords>{' '}
              {a.organization.acronym && a.organization.acronym !== a.organization.name && `(${a.organization.acronym})`}
              {!a.organization.is_member && <span class="tag">{t('activities.partnerTag')}</span>}
            </dd>
            <dt>{t('activity.period')}</dt>
            <dd data-testid="period">
              {a.starts_on || a.ends_on
                ? t('activity.periodRange', { from: a.starts_on ? formatDate(a.starts_on) : '…', to: a.ends_on ? formatDate(a.ends_on) : '…' })
                : t('activity.notGiven')}
            </dd>
            <dt>{t('activity.status')}</dt>
            <dd>{statusLabel(a.status, a.status_name)}</dd>
            <dt>{t('activity.budget')}</dt>
            <dd data-testid="budget">
              {a.budget ? (
                formatMoney(a.budget.amount, a.budget.currency)
              ) : (
                <>
                  {t('activity.notGiven')}
                  <span class="hint empty-inline" data-testid="no-budget">
                    {editable ? (
                      <Link href={`/activities/${a.id}/edit`}>{t('empty.activity.addBudget')}</Link>
                    ) : (
                      t('empty.activity.budgetReader', { org: orgName })
                    )}
                  </span>
                </>
              )}
            </dd>
            <dt>{t('activity.contact')}</dt>
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
                t('activity.notGiven')
              )}
            </dd>
            <dt>{t('activity.iatiIdentifier')}</dt>
            <dd>{a.iati_identifier ? <code>{a.iati_identifier}</code> : t('activity.none')}</dd>
            <dt>{t('activity.source')}</dt>
            <dd>{a.source === 'manual' ? t('activity.sourceManual') : a.source === 'iati' ? t('activity.sourceIati') : a.source}</dd>
            <dt>{t('activity.visibility')}</dt>
            <dd>{VISIBILITY_LABELS[a.visibility] ?? a.visibility}</dd>
            {a.tags.length > 0 && (
              <>
                <dt>{t('activity.tags')}</dt>
                <dd data-testid="tags">{joinList(a.tags.map(tagLabel))}</dd>
              </>
            )}
            <dt>{t('activity.updated')}</dt>
            <dd>{formatTimestamp(a.updated_at)}</dd>
          </dl>
        </aside>
      </div>
    </article>
  );
}

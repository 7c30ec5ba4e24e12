// /library, /library/:id, /library/new, /library/:id/edit and /library/review: the knowledge
// library (issue 13, docs/library.md): full-text search with highlighted matches and facet
// counts, an item's page with its file or link, the add/edit form with a file upload (typed by
// its content on the server), and the review queue of best practices.
import { useState } from 'preact/hooks';
import { ApiError, api, query, type Organization } from '../api';
import { LANGUAGES, countryName, languageName, loadOrganizations, loadThemes } from '../activities';
import { formatNumber } from '../format';
import { t } from '../i18n';
import { LIBRARY_FACETS, LIBRARY_KINDS, canAddToLibrary, canEditLibraryItem, libraryPath, type LibraryFacet, type LibraryItem, type LibraryKind, type LibrarySearch, type StoredFile } from '../library';
import { Link, navigate, useLocation } from '../router';
import { isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Select, usePageTitle, useResource, useSubmit } from '../ui';

const PAGE = 20;
const FILTERS: LibraryFacet[] = [...LIBRARY_FACETS];

function facetLabel(facet: LibraryFacet, value: string, orgs: Map<string, string>): string {
  if (facet === 'kind') return t(`library.kind.${value as LibraryKind}`);
  if (facet === 'language') return languageName(value);
  if (facet === 'country') return countryName(value);
  if (facet === 'organization') return orgs.get(value) ?? value;
  return value;
}

function useOrgNames(): Map<string, string> {
  const orgs = useResource(() => loadOrganizations(), []);
  const names = new Map<string, string>();
  for (const o of [...(orgs.data?.members ?? []), ...(orgs.data?.partners ?? [])]) names.set(o.id, o.name);
  return names;
}

export function LibraryPage() {
  const { search } = useLocation();
  const { user } = useSession();
  const q = search.get('q') ?? '';
  const after = search.get('after') ?? '';
  const filters = Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])) as Record<LibraryFacet, string>;
  const key = search.toString();
  const res = useResource(() => api.get<LibrarySearch>(`/library/items${query({ q, cursor: after, limit: PAGE, ...filters })}`).then((r) => r.data), [key]);
  const [text, setText] = useState(q);
  const orgs = useOrgNames();
  usePageTitle(t('library.title'));
  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('after' in changes)) next.delete('after');
    const s = next.toString();
    navigate(s ? `/library?${s}` : '/library');
  };
  const toggle = (facet: LibraryFacet, value: string) => {
    const current = filters[facet] ? filters[facet].split(',') : [];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    go({ [facet]: next.join(',') });
  };
  const data = res.data;
  const start = Number(after || '0');
  return (
    <section data-testid="library-page">
      <h1>{t('library.title')}</h1>
      <p>{t('library.lede')}</p>
      <p>
        {canAddToLibrary(user) && <Link href="/library/new">{t('library.add')}</Link>}
        {user && (
          <>
            {' · '}
            <Link href="/library/review">{t('library.review.title')}</Link>
          </>
        )}
      </p>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim() });
        }}
      >
        <Field label={t('library.search.label')} value={text} onValue={setText} type="search" maxLength={500} data-testid="library-q" />
        <button type="submit">{t('library.search.submit')}</button>
      </form>
      <ErrorBox error={res.error} />
      <div class="library-layout">
        <aside aria-label={t('library.facets')} data-testid="library-facets">
          {FILTERS.map((facet) => {
            const values = data?.facets[facet] ?? [];
            const chosen = filters[facet] ? filters[facet].split(',') : [];
            if (values.length === 0 && chosen.length === 0) return null;
            return (
              <fieldset key={facet} data-facet={facet}>
                <legend>{t(`library.facet.${facet}`)}</legend>
                <ul>
                  {values.map((v) => (
                    <li key={v.value}>
                      <button type="button" class="linkish" aria-pressed={chosen.includes(v.value)} onClick={() => toggle(facet, v.value)} data-value={v.value}>
                        {t('library.facetValue', { label: facetLabel(facet, v.value, orgs), n: formatNumber(v.count) })}
                      </button>
                    </li>
                  ))}
                </ul>
              </fieldset>
            );
          })}
        </aside>
        <div>
          {!data ? (
            res.error ? null : <Loading what={t('library.loading')} />
          ) : data.items.length === 0 ? (
            <EmptyState message={t('library.none')} testId="library-none" />
          ) : (
            <>
              <p class="meta" role="status" data-testid="library-total">
                {t('library.total', { count: data.total, n: formatNumber(data.total) })}
              </p>
              <ol class="notif-list" data-testid="library-results" start={start + 1}>
                {data.items.map((i) => (
                  <li key={i.id} data-id={i.id}>
                    <h2>
                      <Link href={libraryPath(i.id)}>
                        <span lang={i.language} dangerouslySetInnerHTML={{ __html: i.title_html ?? '' }} />
                      </Link>
                    </h2>
                    <p class="meta">
                      <span class="tag">{t(`library.kind.${i.kind}`)}</span> {formatNumber(i.year)} · {languageName(i.language)} · {i.organizations.map((o) => orgs.get(o) ?? o).join(t('library.listSeparator'))}
                      {i.status !== 'published' && <> · {t(`library.status.${i.status}`)}</>}
                    </p>
                    {i.snippet_html && <p class="snippet" lang={i.language} dangerouslySetInnerHTML={{ __html: i.snippet_html }} />}
                  </li>
                ))}
              </ol>
              <p>
                {start > 0 && (
                  <button type="button" onClick={() => go({ after: String(Math.max(0, start - PAGE)) })}>
                    {t('library.previous')}
                  </button>
                )}{' '}
                {data.next_cursor && (
                  <button type="button" onClick={() => go({ after: data.next_cursor ?? '' })}>
                    {t('library.next')}
                  </button>
                )}
              </p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

export function LibraryItemPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<LibraryItem>(`/library/items/${encodeURIComponent(id)}`).then((r) => r.data), [id]);
  const orgs = useOrgNames();
  usePageTitle(res.data?.title ?? t('library.title'));
  const withdraw = useSubmit(async () => {
    await api.post(`/library/items/${encodeURIComponent(id)}/withdraw`, {});
    res.reload();
  });
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <p class="crumbs">
          <Link href="/library">{t('library.title')}</Link>
        </p>
        <h1>{notFound ? t('library.notFound') : t('library.title')}</h1>
        <ErrorBox error={res.error} />
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('library.loading')} />;
  const i = res.data;
  const editable = canEditLibraryItem(user, i) && i.status !== 'withdrawn';
  return (
    <article data-testid="library-item">
      <p class="crumbs">
        <Link href="/library">{t('library.title')}</Link>
      </p>
      <h1 lang={i.language}>
        <bdi>{i.title}</bdi>
      </h1>
      <p class="meta">
        <span class="tag">{t(`library.kind.${i.kind}`)}</span> {formatNumber(i.year)} · {languageName(i.language)} · <span data-testid="library-status">{t(`library.status.${i.status}`)}</span>
      </p>
      {i.status === 'rejected' && i.reject_reason && (
        <Notice>
          {t('library.rejectedBecause')} <bdi>{i.reject_reason}</bdi>
        </Notice>
      )}
      <dl>
        {i.authors.length > 0 && (
          <>
            <dt>{t('library.field.authors')}</dt>
            <dd>
              <bdi>{i.authors.join(t('library.listSeparator'))}</bdi>
            </dd>
          </>
        )}
        <dt>{t('library.field.organizations')}</dt>
        <dd>{i.organizations.map((o) => orgs.get(o) ?? o).join(t('library.listSeparator'))}</dd>
        {i.themes.length > 0 && (
          <>
            <dt>{t('library.field.themes')}</dt>
            <dd>{i.themes.join(t('library.listSeparator'))}</dd>
          </>
        )}
        {i.countries.length > 0 && (
          <>
            <dt>{t('library.field.countries')}</dt>
            <dd>{i.countries.map((c) => countryName(c)).join(t('library.listSeparator'))}</dd>
          </>
        )}
      </dl>
      {i.abstract && (
        <p dir="auto" lang={i.language}>
          {i.abstract}
        </p>
      )}
      <p>
        {i.file && (
          <a href={i.file.href} download data-testid="library-download">
            {t('library.download', { name: i.file.name, size: formatNumber(Math.ceil(i.file.size / 1024)) })}
          </a>
        )}{' '}
        {i.url && (
          <a href={i.url} rel="noopener noreferrer">
            {t('library.openLink')}
          </a>
        )}
      </p>
      {editable && (
        <p>
          <Link href={`${libraryPath(i.id)}/edit`}>{t('library.edit')}</Link>{' '}
          <button type="button" onClick={withdraw.onSubmit} disabled={withdraw.busy}>
            {t('library.withdraw')}
          </button>
        </p>
      )}
      <ErrorBox error={withdraw.error} />
      {user && i.kind === 'best_practice' && i.status === 'in_review' && <ReviewForm item={i} onDone={res.reload} />}
    </article>
  );
}

function ReviewForm({ item, onDone }: { item: LibraryItem; onDone(): void }) {
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const submit = useSubmit(async () => {
    await api.post(`/library/items/${item.id}/review`, { decision, reason });
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="library-review-form" aria-labelledby="review-h">
      <h2 id="review-h">{t('library.review.heading')}</h2>
      <Select
        label={t('library.review.decision')}
        value={decision}
        onValue={(v) => setDecision(v as 'approve' | 'reject')}
        field="decision"
        error={submit.error}
        options={[
          { value: 'approve', label: t('library.review.approve') },
          { value: 'reject', label: t('library.review.reject') },
        ]}
      />
      <Field label={t('library.review.reason')} value={reason} onValue={setReason} multiline rows={3} field="reason" error={submit.error} maxLength={2000} />
      <ErrorBox error={submit.error} title={t('library.notSaved')} />
      <button type="submit" disabled={submit.busy}>
        {t('library.review.submit')}
      </button>
    </form>
  );
}

const splitList = (s: string) =>
  s
    .split(/[\n,;]/)
    .map((x) => x.trim())
    .filter(Boolean);

export function LibraryFormPage({ id }: { id?: string }) {
  const { user } = useSession();
  const staff = isStaff(user);
  const existing = useResource(() => (id ? api.get<LibraryItem>(`/library/items/${encodeURIComponent(id)}`).then((r) => r.data) : Promise.resolve(null)), [id]);
  const themes = useResource(() => loadThemes(), []);
  const orgs = useResource(() => loadOrganizations(), []);
  usePageTitle(id ? t('library.editTitle') : t('library.add'));
  if (id && !existing.data) return existing.error ? <ErrorBox error={existing.error} /> : <Loading what={t('library.loading')} />;
  return <LibraryForm key={id ?? 'new'} item={existing.data ?? null} staff={staff} themes={(themes.data ?? []).filter((x) => !x.archived).map((x) => ({ id: x.id, name: x.name }))} members={orgs.data?.members ?? []} ownOrg={user?.organization_id ?? ''} />;
}

function LibraryForm({ item, staff, themes, members, ownOrg }: { item: LibraryItem | null; staff: boolean; themes: { id: string; name: string }[]; members: Organization[]; ownOrg: string }) {
  const [kind, setKind] = useState<LibraryKind>(item?.kind ?? 'publication');
  const [title, setTitle] = useState(item?.title ?? '');
  const [authors, setAuthors] = useState((item?.authors ?? []).join('\n'));
  const [org, setOrg] = useState(item?.organization_id ?? (staff ? '' : ownOrg));
  const [others, setOthers] = useState((item?.organizations ?? []).filter((o) => o !== item?.organization_id).join(', '));
  const [year, setYear] = useState(String(item?.year ?? new Date().getFullYear()));
  const [language, setLanguage] = useState(item?.language ?? 'en');
  const [chosenThemes, setThemes] = useState<string[]>(item?.themes ?? []);
  const [countries, setCountries] = useState((item?.countries ?? []).join(', '));
  const [abstract, setAbstract] = useState(item?.abstract ?? '');
  const [url, setUrl] = useState(item?.url ?? '');
  const [file, setFile] = useState<File | null>(null);
  const submit = useSubmit(async () => {
    let stored: StoredFile | null = null;
    if (file) stored = (await api.postRaw<StoredFile>(`/library/files${query({ file_name: file.name })}`, file, file.type || 'application/octet-stream')).data;
    const body = {
      kind,
      title,
      authors: splitList(authors),
      organization_id: org,
      organizations: splitList(others),
      year: Number(year),
      language,
      themes: chosenThemes,
      countries: splitList(countries).map((c) => c.toUpperCase()),
      abstract,
      url,
      file_sha256: stored?.sha256 ?? item?.file?.sha256 ?? '',
      file_name: stored?.file_name ?? item?.file?.name ?? '',
    };
    const saved = item ? await api.put<LibraryItem>(`/library/items/${item.id}`, body) : await api.post<LibraryItem>('/library/items', body);
    navigate(libraryPath(saved.data.id));
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="library-form" aria-labelledby="lf-h">
      <h1 id="lf-h">{item ? t('library.editTitle') : t('library.add')}</h1>
      <Select label={t('library.field.kind')} value={kind} onValue={(v) => setKind(v as LibraryKind)} field="kind" error={submit.error} options={LIBRARY_KINDS.map((k) => ({ value: k, label: t(`library.kind.${k}`) }))} />
      {kind === 'best_practice' && <p class="hint">{t('library.reviewHint')}</p>}
      <Field label={t('library.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      <Field label={t('library.field.authors')} hint={t('library.hint.onePerLine')} value={authors} onValue={setAuthors} multiline rows={3} field="authors" error={submit.error} />
      {staff ? (
        <Select label={t('library.field.organization')} value={org} onValue={setOrg} required field="organization_id" error={submit.error} options={[{ value: '', label: t('library.field.choose') }, ...members.map((o) => ({ value: o.id, label: o.name }))]} />
      ) : (
        <p class="meta">{t('library.field.ownOrg')}</p>
      )}
      <Field label={t('library.field.otherOrganizations')} hint={t('library.hint.ids')} value={others} onValue={setOthers} field="organizations" error={submit.error} />
      <Field label={t('library.field.year')} type="number" min="1900" max="2100" value={year} onValue={setYear} required field="year" error={submit.error} />
      <Select label={t('library.field.language')} value={language} onValue={setLanguage} field="language" error={submit.error} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} />
      <fieldset>
        <legend>{t('library.field.themes')}</legend>
        {themes.map((th) => (
          <label key={th.id} class="check">
            <input type="checkbox" checked={chosenThemes.includes(th.id)} onChange={(e) => setThemes((e.target as HTMLInputElement).checked ? [...chosenThemes, th.id] : chosenThemes.filter((x) => x !== th.id))} /> {th.name}
          </label>
        ))}
      </fieldset>
      <Field label={t('library.field.countries')} hint={t('library.hint.countries')} value={countries} onValue={setCountries} field="countries" error={submit.error} />
      <Field label={t('library.field.abstract')} value={abstract} onValue={setAbstract} multiline rows={5} field="abstract" error={submit.error} maxLength={20000} />
      <Field label={t('library.field.url')} type="url" value={url} onValue={setUrl} field="url" error={submit.error} />
      <div class="field">
        <label for="library-file">{t('library.field.file')}</label>
        <input id="library-file" type="file" data-testid="library-file" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        <p class="hint">{t('library.hint.file')}</p>
      </div>
      <ErrorBox error={submit.error} title={t('library.notSaved')} />
      <button type="submit" disabled={submit.busy}>
        {t('library.save')}
      </button>
    </form>
  );
}

export function LibraryReviewPage() {
  const res = useResource(() => api.get<LibrarySearch>('/library/review-queue?limit=100').then((r) => r.data), []);
  usePageTitle(t('library.review.title'));
  const items = res.data?.items ?? [];
  return (
    <section data-testid="library-review">
      <p class="crumbs">
        <Link href="/library">{t('library.title')}</Link>
      </p>
      <h1>{t('library.review.title')}</h1>
      <p>{t('library.review.lede')}</p>
      <ErrorBox error={res.error} />
      {!res.data ? (
        res.error ? null : <Loading what={t('library.loading')} />
      ) : items.length === 0 ? (
        <EmptyState message={t('library.review.none')} testId="library-review-none" />
      ) : (
        <ul class="notif-list" data-testid="library-queue">
          {items.map((i) => (
            <li key={i.id}>
              <Link href={libraryPath(i.id)}>
                <bdi>{i.title}</bdi>
              </Link>{' '}
              <span class="meta">{formatNumber(i.year)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

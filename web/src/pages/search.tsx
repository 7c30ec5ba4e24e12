// /search?q=…&kind=…: the one search over the GMG's work (GET /api/v1/search/all, app/site_search.h):
// activities, the library, meetings, positions, dataflows, stakeholders, people, organisations,
// training, research and initiatives, each as the reader may see it, with a count per kind to
// narrow the list. The query lives in the address, so a search can be shared or bookmarked.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t, tMaybe } from '../i18n';
import { formatNumber } from '../format';
import { Link, navigate, useLocation } from '../router';
import { EmptyState, ErrorBox, Loading, usePageTitle, useResource } from '../ui';
import { searchPath } from '../header-search';

export interface SiteHit {
  kind: string;
  id: string;
  title: string;
  href: string;
  snippet: string;
  score: number;
}
interface KindFacet {
  value: string;
  count: number;
  more: boolean;
}
interface SiteAnswer {
  items: SiteHit[];
  total: number;
  next_cursor: string | null;
  facets: { kind: KindFacet[] };
  query: string;
}

const PAGE = 20;

/** The name of a kind of record, in the reader's language (the kind itself when unknown). */
function kindName(kind: string): string {
  return tMaybe(`search.kind.${kind}`) ?? kind;
}

export function SearchPage() {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const kind = search.get('kind') ?? '';
  const [text, setText] = useState(q);
  const [shown, setShown] = useState(PAGE);
  useEffect(() => setText(q), [q]);
  useEffect(() => setShown(PAGE), [q, kind]);
  usePageTitle(q ? t('search.titleFor', { q }) : t('search.title'));
  const answer = useResource(
    () =>
      q.trim()
        ? api.get<SiteAnswer>(`/search/all?${new URLSearchParams({ q, limit: String(shown), ...(kind ? { kind } : {}) }).toString()}`).then((r) => r.data)
        : Promise.resolve(null),
    [q, kind, shown],
  );
  const data = answer.data;
  const facets = data?.facets.kind ?? [];
  const all = facets.reduce((n, f) => n + f.count, 0);
  return (
    <section data-testid="search-page">
      <h1>{t('search.title')}</h1>
      <form
        role="search"
        aria-label={t('search.title')}
        class="card search-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(searchPath(text.trim(), kind));
        }}
      >
        <label for="search-q">{t('search.label')}</label>
        <div class="search-row">
          <input id="search-q" type="search" name="q" value={text} maxLength={200} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit">{t('search.submit')}</button>
        </div>
        <p class="meta">{t('search.hint')}</p>
      </form>
      <ErrorBox error={answer.error} />
      {!q.trim() ? null : !data ? (
        answer.error ? null : <Loading what={t('search.loading')} />
      ) : (
        <div class="search-results">
          <nav aria-label={t('search.byKind')} class="search-facets">
            <ul>
              <li>
                <Link href={searchPath(q, '')} aria-current={!kind ? 'page' : undefined}>
                  {t('search.allKinds')} <span class="count">({formatNumber(all)})</span>
                </Link>
              </li>
              {facets
                .filter((f) => f.count > 0 || f.value === kind)
                .map((f) => (
                  <li key={f.value}>
                    <Link href={searchPath(q, f.value)} aria-current={kind === f.value ? 'page' : undefined} data-kind={f.value}>
                      {kindName(f.value)} <span class="count">({f.more ? t('search.countMore', { n: formatNumber(f.count) }) : formatNumber(f.count)})</span>
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <div>
            <p class="meta" role="status" data-testid="search-summary">
              {t('search.found', { count: data.total, n: formatNumber(data.total), q })}
            </p>
            {data.items.length === 0 ? (
              <EmptyState message={t('search.none', { q })} hint={t('search.noneHint')} testId="search-none" />
            ) : (
              <ol class="search-hits" data-testid="search-hits">
                {data.items.map((h) => (
                  <li key={`${h.kind}:${h.id}`} data-kind={h.kind}>
                    <span class="tag">{kindName(h.kind)}</span>{' '}
                    <Link href={h.href}>
                      <bdi>{h.title || h.id}</bdi>
                    </Link>
                    {h.snippet && (
                      <p class="meta" dir="auto">
                        {h.snippet}
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {data.next_cursor !== null && (
              <button type="button" class="secondary" onClick={() => setShown(Math.min(shown + PAGE, 100))} disabled={shown >= 100}>
                {t('search.more')}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

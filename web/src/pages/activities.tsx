// /activities: who does what, where and when. Filters (kept in the address with the API's
// parameter names), a world map of counts under the same filters, the table with the total,
// sorting, "Load more", downloads, and full-text search with highlighted matches and facet counts.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, query, type Activity, type Codelists, type Facets, type List, type MapCounts, type Organization, type SearchResult, type Theme } from '../api';
import {
  SORTS,
  canRecordActivities,
  compareNames,
  countryName,
  formatPeriod,
  hasFilters,
  joinList,
  loadCodelists,
  loadOrganizations,
  loadThemes,
  pickText,
  readFilters,
  regionName,
  statusLabel,
  typeLabel,
  type FilterKey,
  type Filters,
} from '../activities';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Loading, useId, usePageTitle, useResource } from '../ui';
import type { WorldMapProps } from '../world-map';
import { currentLanguage, t } from '../i18n';
import { formatNumber } from '../format';
import { InLang, InRecordsList, LangNote, recordText } from '../lang-text';

/** Below this width (the phone layout of styles.css) the filters start folded away. */
const NARROW = '(max-width: 40rem)';

const PAGE = 50;

interface Reference {
  codelists: Codelists;
  themes: Theme[];
  orgs: { members: Organization[]; partners: Organization[] };
}

interface Row {
  a: Activity;
  titleHtml?: string;
  snippetHtml?: string;
}

interface Page {
  rows: Row[];
  next: string | null;
  total: number;
  facets: Facets | null;
  /** The search read names of places or themes in q as these filters, searching `text`. */
  interpreted?: SearchResult['interpreted'];
  text?: string;
}

function toPage(searching: boolean, data: List<Activity> | SearchResult): Page {
  if (searching) {
    const s = data as SearchResult;
    return {
      rows: s.items.map((h) => ({ a: h.activity, titleHtml: h.title_html, snippetHtml: h.snippet_html })),
      next: s.next_cursor,
      total: s.total,
      facets: s.facets ?? {},
      interpreted: s.interpreted,
      text: s.text,
    };
  }
  const l = data as List<Activity>;
  return { rows: l.items.map((a) => ({ a })), next: l.next_cursor, total: l.total, facets: null };
}

function fetchPage(filters: Filters, sort: string, cursor: string | null, literal: boolean): Promise<Page> {
  const searching = filters.q !== '';
  const params = { ...filters, sort, limit: PAGE, cursor, literal: literal ? '1' : null };
  return searching
    ? api.get<SearchResult>(`/search${query(params)}`).then((r) => toPage(true, r.data))
    : api.get<List<Activity>>(`/activities${query(params)}`).then((r) => toPage(false, r.data));
}

/** The address of this page for other filters (and sort). */
function pageUrl(filters: Filters, sort: string): string {
  return `/activities${query({ ...filters, sort })}`;
}

/** The filters with the names the search read in q added, and q reduced to the words left. */
function withReadFilters(filters: Filters, page: Page): Filters {
  const out = { ...filters, q: page.text ?? '' };
  for (const term of page.interpreted ?? []) {
    const list = out[term.filter] ? out[term.filter].split(',') : [];
    if (!list.includes(term.code)) list.push(term.code);
    out[term.filter] = list.join(',');
  }
  return out;
}

export function ActivitiesPage() {
  usePageTitle(t('activities.title'));
  const { user } = useSession();
  const { search } = useLocation();
  const filters = readFilters(search);
  const sort = search.get('sort') ?? '';
  const filterKey = JSON.stringify(filters);
  const key = `${filterKey}|${sort}`;
  const searching = filters.q !== '';
  // ?literal=1 searches the words as typed; ?read= is a search whose names became filters.
  const literal = search.get('literal') === '1';
  const read = search.get('read');

  const ref = useResource<Reference>(
    () => Promise.all([loadCodelists(), loadThemes(), loadOrganizations()]).then(([codelists, themes, orgs]) => ({ codelists, themes, orgs })),
    [],
  );
  const first = useResource(() => fetchPage(filters, sort, null, literal), [key, literal, user?.id]);
  // Names of places and themes in a search become the filters above (the address says so, and
  // Back returns to the words as typed); what is left stays the search.
  useEffect(() => {
    const page = first.data;
    if (!page?.interpreted?.length || literal) return;
    const readSort = page.text ? sort : sort === 'relevance' ? '' : sort;
    navigate(`/activities${query({ ...withReadFilters(filters, page), sort: readSort, read: filters.q })}`, { replace: true });
  }, [first.data]);
  const counts = useResource(() => api.get<MapCounts>(`/activities/map${query(filters)}`).then((r) => r.data), [filterKey, user?.id]);

  const [more, setMore] = useState<{ key: string; rows: Row[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more && more.key === key ? more : null;
  const rows = [...(first.data?.rows ?? []), ...(extra?.rows ?? [])];
  const next = extra ? extra.next : first.data?.next ?? null;

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const p = await fetchPage(filters, sort, next, literal);
      setMore({ key, rows: [...(extra?.rows ?? []), ...p.rows], next: p.next });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  const go = (f: Filters, s = sort) => navigate(pageUrl(f, s));
  const setFilter = (k: FilterKey, v: string) => {
    // Relevance only means something for a text search.
    const s = k === 'q' && !v && sort === 'relevance' ? '' : sort;
    go({ ...filters, [k]: v }, s);
  };

  const downloads = query(filters);
  const ref_ = ref.data;
  const names = ref_ ? lookups(ref_) : null;

  return (
    <>
      <div class="panel-head">
        <h1>{t('activities.title')}</h1>
        {canRecordActivities(user) && (
          <div class="actions">
            <Link href="/activities/new" class="button">
              {t('activities.record')}
            </Link>
            <Link href="/activities/import" class="button secondary-link">
              {t('activities.importIati')}
            </Link>
          </div>
        )}
      </div>
      <p class="lede">{t('activities.lede')}</p>

      <ErrorBox error={ref.error} title={t('activities.filterListsFailed')} />
      {read && (
        <p class="notice neutral" role="status" data-testid="read-as-filters">
          {t('activities.readAsFilters', { q: read })}{' '}
          <Link href={`/activities${query({ q: read, literal: '1' })}`}>{t('activities.searchWordsInstead')}</Link>
        </p>
      )}
      <FilterForm filters={filters} reference={ref_} facets={first.data?.facets ?? null} onFilter={setFilter} onClear={() => go(readFilters(new URLSearchParams()), '')} />

      <section aria-labelledby="map-h" class="map-section">
        <h2 id="map-h" class="sr-only">
          {t('map.heading')}
        </h2>
        <div class="map-row">
          <MapArea
            counts={counts.data}
            codelists={ref_?.codelists}
            selected={filters.country ? filters.country.split(',') : []}
            onSelect={(code) => setFilter('country', filters.country === code ? '' : code)}
            selectedRegions={filters.region ? filters.region.split(',') : []}
            onSelectRegion={(code) => setFilter('region', filters.region === code ? '' : code)}
          />
          <aside class="map-aside" data-testid="map-summary" aria-label={t('map.offMapHeading')}>
            <p>
              <span class="big" data-testid="global-count">
                {counts.data ? formatNumber(counts.data.global) : '…'}
              </span>{' '}
              {t('map.globalActivities', { count: counts.data?.global ?? 0 })}
            </p>
            <p class="hint">{t('map.globalHint')}</p>
            <RegionalList counts={counts.data} filters={filters} sort={sort} />
            {counts.data && <p class="meta">{t('map.countriesWithActivities', { count: counts.data.items.length, n: formatNumber(counts.data.items.length) })}</p>}
            <ErrorBox error={counts.error} title={t('map.countsFailed')} />
          </aside>
        </div>
      </section>

      <section aria-labelledby="list-h">
        <div class="panel-head">
          <h2 id="list-h">{searching ? t('activities.searchResults', { q: filters.q }) : t('activities.list')}</h2>
          <SortSelect sort={sort} searching={searching} onSort={(s) => go(filters, s)} />
        </div>
        <p class="downloads">
          {hasFilters(filters) ? t('activities.downloadThese') : t('activities.downloadAll')}{' '}
          <a href={`/api/v1/activities.csv${downloads}`} download data-testid="download-csv">
            {t('activities.download.csv')}
          </a>{' '}
          ·{' '}
          <a href={`/api/v1/activities.xlsx${downloads}`} download data-testid="download-xlsx">
            {t('activities.download.excel')}
          </a>{' '}
          ·{' '}
          <a href={`/api/v1/activities.iati.xml${downloads}`} download data-testid="download-iati">
            {t('activities.download.iati')}
          </a>
        </p>
        <DataLicence />
        <ErrorBox error={first.error} />
        {first.loading && !first.data && <Loading what={t('activities.loading')} />}
        {first.data && (
          <>
            <p class="meta" aria-live="polite" data-testid="total">
              {t('activities.showing', { count: first.data.total, shown: formatNumber(rows.length), total: formatNumber(first.data.total) })}
            </p>
            {rows.length === 0 ? (
              <NoActivities
                filters={filters}
                literal={literal}
                read={read}
                canRecord={canRecordActivities(user)}
                signedIn={!!user}
                onRemove={(k) => (k === 'q' ? go({ ...filters, q: '' }, sort === 'relevance' ? '' : sort) : setFilter(k, ''))}
                onClear={() => go(readFilters(new URLSearchParams()), '')}
              />
            ) : (
              <ActivityTable rows={rows} names={names} sort={sort} onSort={(s) => go(filters, s)} />
            )}
            <ErrorBox error={moreError} />
            {next && (
              <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? t('activities.loadingMore') : t('activities.loadMore')}
              </button>
            )}
          </>
        )}
      </section>
    </>
  );
}

// ---- Empty list ----

/** The filter names a reader sees, by the address's parameter. */
const FILTER_LABEL: Record<FilterKey, () => string> = {
  q: () => t('activities.filter.text'),
  organization: () => t('activities.filter.organisation'),
  theme: () => t('activities.filter.theme'),
  country: () => t('activities.filter.country'),
  region: () => t('activities.filter.region'),
  type: () => t('activities.filter.type'),
  status: () => t('activities.filter.status'),
  from: () => t('activities.filter.from'),
  to: () => t('activities.filter.to'),
  scope: () => t('activities.filter.scope'),
};

/**
 * Nothing to list. Under filters or a search: which filters narrow it (each removable), and for
 * a search whose names were read as filters, the search of the words as typed. With none: the
 * hub has no activity this reader may see, and what they can do (record, import, sign in).
 */
function NoActivities({
  filters,
  literal,
  read,
  canRecord,
  signedIn,
  onRemove,
  onClear,
}: {
  filters: Filters;
  literal: boolean;
  read: string | null;
  canRecord: boolean;
  signedIn: boolean;
  onRemove(k: FilterKey): void;
  onClear(): void;
}) {
  const active = (Object.keys(FILTER_LABEL) as FilterKey[]).filter((k) => filters[k] !== '');
  if (active.length === 0) {
    return canRecord ? (
      <EmptyState
        testId="no-activities"
        message={t('empty.activities.noneYet')}
        hint={t('empty.activities.noneYetRecorder')}
        actions={[
          { label: t('activities.record'), href: '/activities/new' },
          { label: t('activities.importIati'), href: '/activities/import' },
        ]}
      />
    ) : (
      <EmptyState
        testId="no-activities"
        message={t('empty.activities.noneVisible')}
        hint={signedIn ? t('empty.activities.noneSignedIn') : t('empty.activities.noneVisitor')}
        actions={signedIn ? [] : [{ label: t('empty.signIn'), href: '/signin' }]}
      />
    );
  }
  const searching = filters.q !== '';
  const actions = active.map((k) => ({ label: t('empty.activities.removeFilter', { filter: FILTER_LABEL[k]() }), onClick: () => onRemove(k) }));
  if (active.length > 1) actions.push({ label: t('activities.filter.clear'), onClick: onClear });
  const typed = read && !literal ? read : null;
  return (
    <div data-testid="no-match">
      <EmptyState
        testId="no-activities"
        message={searching ? t('empty.activities.noResults', { q: filters.q }) : t('activities.noMatch')}
        hint={
          <>
            {t('empty.activities.narrowedBy', { count: active.length, filters: joinList(active.map((k) => FILTER_LABEL[k]())) })}
            {searching && <> {t('empty.activities.searchHint')}</>}
            {typed && (
              <>
                {' '}
                <Link href={`/activities${query({ q: typed, literal: '1' })}`} data-testid="search-literally">
                  {t('empty.activities.searchLiterally', { q: typed })}
                </Link>
              </>
            )}
          </>
        }
        actions={actions}
      />
    </div>
  );
}

// ---- Data licence ----

interface DownloadTerms {
  source: string;
  licence: string;
  licence_stated: boolean;
  public_url: string;
}

/** The terms the downloads carry, beside their links: the administrator's licence as configured (web addresses in it as links), or that none is stated. */
function DataLicence() {
  const terms = useResource(() => api.get<DownloadTerms>('/downloads/terms').then((r) => r.data), []);
  if (!terms.data) return null;
  const { licence, licence_stated } = terms.data;
  return (
    <p class="meta data-licence" data-testid="data-licence">
      {t('activities.licenceLabel')}{' '}
      {licence_stated ? (
        <span>
          {licence.split(/(https?:\/\/\S+)/).map((part, i) =>
            i % 2 ? (
              <a key={i} href={part} rel="noopener noreferrer license">
                {part}
              </a>
            ) : (
              part
            ),
          )}
        </span>
      ) : (
        t('activities.noLicence')
      )}
    </p>
  );
}

// ---- Names for codes ----

interface Names {
  theme(id: string): string;
  country(code: string): string;
  region(code: string): string;
}

function lookups(r: Reference): Names {
  const themes = new Map(r.themes.map((th) => [th.id, th.name]));
  const countries = new Map(r.codelists.countries.map((c) => [c.code, c.name]));
  const regions = new Map(r.codelists.regions.map((c) => [c.code, c.name]));
  return {
    theme: (id) => themes.get(id) ?? id,
    country: (c) => countryName(c, countries.get(c)),
    region: (c) => regionName(c, regions.get(c)),
  };
}

// ---- Filters ----

interface Option {
  value: string;
  label: string;
  /** A facet key, when it differs from the value. */
  facet?: string;
}

interface Group {
  label: string | null;
  options: Option[];
}

function FilterForm({
  filters,
  reference,
  facets,
  onFilter,
  onClear,
}: {
  filters: Filters;
  reference: Reference | undefined;
  facets: Facets | null;
  onFilter(k: FilterKey, v: string): void;
  onClear(): void;
}) {
  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  const textId = useId('q');
  const cl = reference?.codelists;
  // Open on a wide screen; folded on a phone, so that the map is near the top.
  const [open, setOpen] = useState(() => !window.matchMedia(NARROW).matches);
  const chosen = Object.entries(filters).filter(([k, v]) => k !== 'q' && v !== '').length;

  const orgGroups: Group[] = reference
    ? [
        { label: t('activities.filter.members'), options: reference.orgs.members.map((o) => ({ value: o.id, label: o.acronym || o.name })) },
        { label: t('activities.filter.partners'), options: reference.orgs.partners.map((o) => ({ value: o.id, label: o.acronym ? `${o.acronym} — ${o.name}` : o.name })) },
      ]
    : [];
  const levels: [string, string][] = [
    ['region', t('activities.filter.regions')],
    ['subregion', t('activities.filter.subregions')],
    ['intermediate', t('activities.filter.intermediate')],
    ['group', t('activities.filter.groups')],
  ];
  const regionGroups: Group[] = cl
    ? levels
        .map(([lv, label]) => ({ label, options: cl.regions.filter((r) => r.level === lv).map((r) => ({ value: r.code, label: regionName(r.code, r.name) })) }))
        .filter((g) => g.options.length > 0)
    : [];

  return (
    <form
      class="panel filters"
      role="search"
      aria-label={t('activities.filter.label')}
      onSubmit={(e) => {
        e.preventDefault();
        onFilter('q', text.trim());
      }}
    >
      <div class="search-row">
        <div class="field">
          <label for={textId}>{t('activities.filter.text')}</label>
          <input id={textId} type="search" name="q" value={text} placeholder={t('activities.filter.textPlaceholder')} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit">{t('activities.filter.search')}</button>
        {hasFilters(filters) && (
          <button type="button" class="secondary" onClick={onClear}>
            {t('activities.filter.clear')}
          </button>
        )}
      </div>
      <details class="filter-panel" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)} data-testid="filter-panel">
        <summary>
          {t('a11y.filters')} <span class="meta">{t('a11y.filtersChosen', { count: chosen, n: formatNumber(chosen) })}</span>
        </summary>
        <div class="filter-grid">
          <FilterSelect label={t('activities.filter.organisation')} name="organization" value={filters.organization} groups={orgGroups} facet={facets?.organization} onValue={(v) => onFilter('organization', v)} />
          <FilterSelect
            label={t('activities.filter.theme')}
            name="theme"
            value={filters.theme}
            groups={[{ label: null, options: (reference?.themes ?? []).filter((th) => !th.archived || th.id === filters.theme).map((th) => ({ value: th.id, label: th.name })) }]}
            facet={facets?.theme}
            onValue={(v) => onFilter('theme', v)}
          />
          <FilterSelect
            label={t('activities.filter.country')}
            name="country"
            value={filters.country}
            groups={[{ label: null, options: (cl?.countries ?? []).map((c) => ({ value: c.code, label: countryName(c.code, c.name) })).sort((a, b) => compareNames(a.label, b.label)) }]}
            facet={facets?.country}
            onValue={(v) => onFilter('country', v)}
          />
          <FilterSelect label={t('activities.filter.region')} name="region" value={filters.region} groups={regionGroups} onValue={(v) => onFilter('region', v)} />
          <FilterSelect
            label={t('activities.filter.type')}
            name="type"
            value={filters.type}
            groups={[{ label: null, options: (cl?.activity_types ?? []).map((ty) => ({ value: ty, label: typeLabel(ty) })) }]}
            facet={facets?.type}
            onValue={(v) => onFilter('type', v)}
          />
          <FilterSelect
            label={t('activities.filter.status')}
            name="status"
            value={filters.status}
            groups={[{ label: null, options: (cl?.statuses ?? []).map((s) => ({ value: String(s.code), label: statusLabel(s.code, s.name) })) }]}
            facet={facets?.status}
            onValue={(v) => onFilter('status', v)}
          />
          <FilterSelect
            label={t('activities.filter.scope')}
            name="scope"
            value={filters.scope}
            allLabel={t('activities.filter.scopeDefault')}
            groups={[
              {
                label: null,
                options: [
                  { value: 'members', label: t('activities.filter.scopeMembers') },
                  { value: 'partners', label: t('activities.filter.scopePartners') },
                  { value: 'all', label: t('activities.filter.all') },
                ],
              },
            ]}
            onValue={(v) => onFilter('scope', v)}
          />
          <DateFilter label={t('activities.filter.from')} name="from" value={filters.from} onValue={(v) => onFilter('from', v)} />
          <DateFilter label={t('activities.filter.to')} name="to" value={filters.to} onValue={(v) => onFilter('to', v)} />
        </div>
        {facets && <p class="hint">{t('activities.filter.facetHint')}</p>}
      </details>
    </form>
  );
}

function FilterSelect({
  label,
  name,
  value,
  groups,
  facet,
  allLabel,
  onValue,
}: {
  label: string;
  name: string;
  value: string;
  groups: Group[];
  facet?: Record<string, number>;
  allLabel?: string;
  onValue(v: string): void;
}) {
  const id = useId('fs');
  const known = groups.some((g) => g.options.some((o) => o.value === value));
  const text = (o: Option) => (facet ? t('activities.filter.withCount', { label: o.label, n: formatNumber(facet[o.facet ?? o.value] ?? 0) }) : o.label);
  const opts = (g: Group) =>
    g.options.map((o) => (
      <option key={o.value} value={o.value}>
        {text(o)}
      </option>
    ));
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{allLabel ?? t('activities.filter.all')}</option>
        {value && !known && <option value={value}>{value}</option>}
        {groups.map((g, i) =>
          g.label ? (
            g.options.length > 0 && (
              <optgroup key={i} label={g.label}>
                {opts(g)}
              </optgroup>
            )
          ) : (
            opts(g)
          ),
        )}
      </select>
    </div>
  );
}

function DateFilter({ label, name, value, onValue }: { label: string; name: string; value: string; onValue(v: string): void }) {
  const id = useId('fd');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="date"
        name={name}
        value={value}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          if (v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v)) onValue(v);
        }}
      />
    </div>
  );
}

function SortSelect({ sort, searching, onSort }: { sort: string; searching: boolean; onSort(s: string): void }) {
  const id = useId('sort');
  const options = searching ? [{ value: 'relevance', label: t('activities.sort.relevance') }, ...SORTS] : SORTS;
  const current = sort || (searching ? 'relevance' : '-updated');
  return (
    <div class="field sort">
      <label for={id}>{t('activities.sort.label')}</label>
      <select id={id} value={current} onChange={(e) => onSort((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

// ---- Map (its code and shapes load after the first paint) ----

type MapComponent = ComponentType<WorldMapProps>;

/** The activities recorded for a region, which shade no country: each region with its count, a
 *  link that filters the list by it. */
function RegionalList({ counts, filters, sort }: { counts: MapCounts | undefined; filters: Filters; sort: string }) {
  const rows = (counts?.regions ?? []).map((r) => ({ ...r, name: regionName(r.region, r.name) })).sort((a, b) => b.count - a.count || compareNames(a.name, b.name));
  const chosen = filters.region ? filters.region.split(',') : [];
  return (
    <div data-testid="map-regions">
      <h3>{t('map.regionalHeading')}</h3>
      <p class="hint">{t('map.offMapHint')}</p>
      {!counts ? (
        <p>…</p>
      ) : rows.length === 0 ? (
        <p class="meta">{t('map.regionalNone')}</p>
      ) : (
        <ul class="map-places">
          {rows.map((r) => (
            <li key={r.region} data-region={r.region}>
              <Link href={pageUrl({ ...filters, region: r.region }, sort)} aria-current={chosen.length === 1 && chosen[0] === r.region ? 'page' : undefined}>
                {r.name}
              </Link>{' '}
              <span class="num">{formatNumber(r.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MapArea({
  counts,
  codelists,
  selected,
  onSelect,
  selectedRegions,
  onSelectRegion,
}: {
  counts: MapCounts | undefined;
  codelists: Codelists | undefined;
  selected: string[];
  onSelect(code: string): void;
  selectedRegions: string[];
  onSelectRegion(code: string): void;
}) {
  const [Map_, setMap] = useState<MapComponent | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    import('../world-map').then(
      (m) => live && setMap(() => m.WorldMap),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  const byM49 = new Map<number, { code: string; name: string }>();
  for (const c of codelists?.countries ?? []) byM49.set(c.m49, { code: c.code, name: countryName(c.code, c.name) });
  if (error) return <ErrorBox error={error} title={t('map.loadFailed')} />;
  if (!Map_) {
    return (
      <div class="map-placeholder">
        <Loading what={t('map.loading')} />
      </div>
    );
  }
  return <Map_ counts={counts} byM49={byM49} selected={selected} onSelect={onSelect} selectedRegions={selectedRegions} onSelectRegion={onSelectRegion} />;
}

// ---- Table ----

function SortHeader({ label, asc, sort, onSort }: { label: string; asc: string; sort: string; onSort(s: string): void }) {
  const desc = `-${asc}`;
  const state = sort === asc ? 'ascending' : sort === desc ? 'descending' : undefined;
  return (
    <th scope="col" aria-sort={state}>
      <button type="button" class="sort-button" onClick={() => onSort(sort === asc ? desc : asc)}>
        {label}
        <span aria-hidden="true">{state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ' ↕'}</span>
      </button>
    </th>
  );
}

/** Column names: the table's headings, and each cell's label when a phone shows rows as cards. */
function columns() {
  return {
    title: t('activities.col.title'),
    org: t('activities.col.organisation'),
    type: t('activities.col.type'),
    themes: t('activities.col.themes'),
    where: t('activities.col.where'),
    period: t('activities.col.period'),
    status: t('activities.col.status'),
  };
}

/**
 * An activity's title in the list: in the reader's language when it has one. A search hit keeps
 * the server's highlighted title, which is in the activity's first language.
 */
function ListTitle({ a, titleHtml }: { a: Activity; titleHtml?: string }) {
  if (titleHtml !== undefined) {
    const lang = a.titles[0]?.lang ?? '';
    return (
      <>
        <Link href={`/activities/${a.id}`}>
          {/* title_html is escaped by the server, with only <mark> added. */}
          <span lang={lang || undefined} dangerouslySetInnerHTML={{ __html: titleHtml }} />
        </Link>
        <LangNote lang={lang} readers={!lang || lang.toLowerCase().split('-')[0] === currentLanguage()} />
      </>
    );
  }
  const shown = pickText(a.titles) ?? { text: a.title, lang: '', readers: true };
  return (
    <>
      <Link href={`/activities/${a.id}`}>
        <InLang lang={shown.lang}>{shown.text}</InLang>
      </Link>
      <LangNote lang={shown.lang} readers={shown.readers} />
    </>
  );
}

function ActivityTable({ rows, names, sort, onSort }: { rows: Row[]; names: Names | null; sort: string; onSort(s: string): void }) {
  const themeName = names?.theme ?? ((x: string) => x);
  const COLUMNS = columns();
  return (
    <div class="table-wrap">
      <table class="table activities" data-testid="activities">
        <thead>
          <tr>
            <SortHeader label={COLUMNS.title} asc="title" sort={sort} onSort={onSort} />
            <th scope="col">{COLUMNS.org}</th>
            <th scope="col">{COLUMNS.type}</th>
            <th scope="col">{COLUMNS.themes}</th>
            <th scope="col">{COLUMNS.where}</th>
            <SortHeader label={COLUMNS.period} asc="starts_on" sort={sort} onSort={onSort} />
            <th scope="col">{COLUMNS.status}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ a, titleHtml, snippetHtml }) => (
            <tr key={a.id} data-id={a.id}>
              <td class="title-cell">
                <ListTitle a={a} titleHtml={titleHtml} />
                {/* snippet_html is escaped by the server, with only <mark> added. */}
                {snippetHtml && <p class="snippet" dangerouslySetInnerHTML={{ __html: snippetHtml }} />}
              </td>
              <td data-label={COLUMNS.org}>
                <abbr title={a.organization.name} {...recordText()}>
                  {a.organization.acronym || a.organization.name}
                </abbr>
                {!a.organization.is_member && <span class="tag">{t('activities.partnerTag')}</span>}
              </td>
              <td data-label={COLUMNS.type}>{typeLabel(a.type)}</td>
              <td data-label={COLUMNS.themes}>
                <InRecordsList texts={a.themes.map(themeName)} separator={t('activities.listSeparator')} />
              </td>
              <td data-label={COLUMNS.where}>
                <Where a={a} names={names} />
              </td>
              <td class="nowrap" data-label={COLUMNS.period}>{formatPeriod(a.starts_on, a.ends_on)}</td>
              <td data-label={COLUMNS.status}>{statusLabel(a.status, a.status_name)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SHOWN = 4;

function Where({ a, names }: { a: Activity; names: Names | null }) {
  const places = [
    ...(a.is_global ? [t('activities.global')] : []),
    ...a.regions.map((r) => names?.region(r) ?? r),
    ...a.countries.map((c) => names?.country(c) ?? c),
  ];
  if (places.length <= SHOWN + 1) return <>{joinList(places)}</>;
  return (
    <span title={joinList(places)}>
      {t('activities.placesMore', { places: joinList(places.slice(0, SHOWN)), count: places.length - SHOWN, n: formatNumber(places.length - SHOWN) })}
    </span>
  );
}


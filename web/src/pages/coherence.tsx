// /coherence: the coherence engine's page, in four sections with their own addresses —
// Overlaps (/coherence: findings of likely duplication or synergy, filtered through the address),
// Gaps (/coherence/gaps), Mandate map (/coherence/mandates) and Model (/coherence/model) — and
// one finding's own page (/coherence/overlaps/:id). Overlaps and the model need a sign-in; gaps
// and the mandate map are public, as their API routes are.
import { useEffect, useState } from 'preact/hooks';
import type { Codelists, Organization, Theme } from '../api';
import { OVERLAP_FILTERS, FINDING_CLASSES, VERDICTS, classLabel, loadFinding, loadOverlaps, readOverlapFilters, verdictLabel, type Finding, type FindingList, type OverlapFilters } from '../coherence';
import { compareNames, countryName, loadCodelists, loadOrganizations, loadThemes, regionName } from '../activities';
import { t } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Select, usePageTitle, useResource } from '../ui';
import { FindingCard, type Names } from './coherence-finding';
import { GapsSection } from './coherence-gaps';
import { MandatesSection } from './coherence-mandates';
import { ModelSection } from './coherence-model';

export type CoherenceTab = 'overlaps' | 'gaps' | 'mandates' | 'model';

const TABS: { tab: CoherenceTab; href: string }[] = [
  { tab: 'overlaps', href: '/coherence' },
  { tab: 'gaps', href: '/coherence/gaps' },
  { tab: 'mandates', href: '/coherence/mandates' },
  { tab: 'model', href: '/coherence/model' },
];

const tabLabel = (tab: CoherenceTab): string =>
  tab === 'gaps' ? t('coherence.tab.gaps') : tab === 'mandates' ? t('coherence.tab.mandates') : tab === 'model' ? t('coherence.tab.model') : t('coherence.tab.overlaps');

export interface Reference {
  codelists: Codelists;
  themes: Theme[];
  orgs: { members: Organization[]; partners: Organization[] };
}

export const loadReference = (): Promise<Reference> =>
  Promise.all([loadCodelists(), loadThemes(), loadOrganizations()]).then(([codelists, themes, orgs]) => ({ codelists, themes, orgs }));

/** What a finding's words need: theme names, organisations' acronyms by id. */
function namesOf(reference: Reference): Names {
  const orgs = new Map([...reference.orgs.members, ...reference.orgs.partners].map((o) => [o.id, o.acronym || o.name]));
  return { themes: reference.themes, orgs };
}

export function CoherencePage({ tab = 'overlaps', finding }: { tab?: CoherenceTab; finding?: string }) {
  usePageTitle(finding ? t('coherence.findingTitle') : `${tabLabel(tab)} · ${t('coherence.title')}`);
  const ref = useResource(loadReference, []);
  return (
    <section class="coherence">
      <h1>{t('coherence.title')}</h1>
      <p class="lede">{t('coherence.lede')}</p>
      <nav aria-label={t('coherence.tabsLabel')} class="subnav">
        <ul>
          {TABS.map((x) => (
            <li key={x.tab}>
              <Link href={x.href} aria-current={x.tab === tab && !finding ? 'page' : undefined}>
                {tabLabel(x.tab)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {ref.error && !ref.data ? <ErrorBox error={ref.error} /> : null}
      {!ref.data ? (
        ref.error ? null : <Loading what={t('coherence.loading')} />
      ) : finding ? (
        <OneFinding id={finding} reference={ref.data} />
      ) : tab === 'gaps' ? (
        <GapsSection reference={ref.data} />
      ) : tab === 'mandates' ? (
        <MandatesSection reference={ref.data} />
      ) : tab === 'model' ? (
        <ModelSection />
      ) : (
        <OverlapsSection reference={ref.data} />
      )}
    </section>
  );
}

/** Overlaps and the model need a signed-in reader; others are told how to get one. */
function SignInFirst() {
  return (
    <EmptyState
      testId="coherence-signin"
      message={t('coherence.signInNeeded')}
      actions={[{ label: t('shell.signIn'), href: `/signin?next=${encodeURIComponent(location.pathname + location.search)}` }]}
    />
  );
}

function OneFinding({ id, reference }: { id: string; reference: Reference }) {
  const { user } = useSession();
  const res = useResource<Finding | null>(() => (user ? loadFinding(id) : Promise.resolve(null)), [id, user?.id]);
  if (user === undefined) return <Loading />;
  if (!user) return <SignInFirst />;
  return (
    <section aria-labelledby="finding-h">
      <p class="crumbs">
        <Link href="/coherence">{t('coherence.tab.overlaps')}</Link> › {t('coherence.findingTitle')}
      </p>
      <h2 id="finding-h">{t('coherence.findingTitle')}</h2>
      {res.error ? (
        <ErrorBox error={res.error} />
      ) : !res.data ? (
        <Loading what={t('coherence.loadingFindings')} />
      ) : (
        <FindingCard finding={res.data} names={namesOf(reference)} open />
      )}
    </section>
  );
}

// ---- Overlaps ----

/** How often, and how many times, the page asks again while the server is still analysing. */
const RETRY_MS = 3000;
const MAX_RETRIES = 40;

function OverlapsSection({ reference }: { reference: Reference }) {
  const { user } = useSession();
  const { search } = useLocation();
  const filters = readOverlapFilters(search);
  const key = OVERLAP_FILTERS.map((k) => filters[k]).join('|');
  const [retries, setRetries] = useState(0);
  const res = useResource<FindingList | null>(() => (user ? loadOverlaps(filters) : Promise.resolve(null)), [key, user?.id, retries]);
  const [more, setMore] = useState<{ items: Finding[]; cursor: string | null; error?: unknown; busy: boolean }>({ items: [], cursor: null, busy: false });
  useEffect(() => setMore({ items: [], cursor: null, busy: false }), [key, res.data]);

  const analysing = res.data?.status?.state === 'analysing';
  useEffect(() => {
    if (!analysing || retries >= MAX_RETRIES) return;
    const timer = setTimeout(() => setRetries((n) => n + 1), RETRY_MS);
    return () => clearTimeout(timer);
  }, [analysing, retries]);

  if (user === undefined) return <Loading />;
  if (!user) return <SignInFirst />;
  const names = namesOf(reference);
  const data = res.data;
  const items = data ? [...data.items, ...more.items] : [];
  const cursor = more.cursor ?? data?.next_cursor ?? null;
  const filtered = OVERLAP_FILTERS.some((k) => filters[k] !== '');

  async function loadMore() {
    if (!cursor) return;
    setMore((m) => ({ ...m, busy: true, error: undefined }));
    try {
      const page = await loadOverlaps(filters, cursor);
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.next_cursor ?? null, busy: false }));
      if (!page.next_cursor) setMore((m) => ({ ...m, cursor: null }));
    } catch (e) {
      setMore((m) => ({ ...m, busy: false, error: e }));
    }
  }
  const exhausted = more.items.length > 0 && more.cursor === null;

  return (
    <section aria-labelledby="overlaps-h" data-testid="overlaps">
      <h2 id="overlaps-h">{t('coherence.tab.overlaps')}</h2>
      <p>{t('coherence.overlapsLede')}</p>
      <OverlapFiltersForm filters={filters} reference={reference} />
      <div aria-live="polite" role="status" data-testid="analysis-status">
        {analysing && (
          <p class="notice neutral">
            {t('coherence.analysing', { count: data?.status?.activities ?? 0, n: formatNumber(data?.status?.activities ?? 0) })}{' '}
            {retries >= MAX_RETRIES && (
              <button type="button" class="secondary small" onClick={() => setRetries(0)}>
                {t('coherence.checkAgain')}
              </button>
            )}
          </p>
        )}
      </div>
      {res.error ? <ErrorBox error={res.error} /> : null}
      {!data ? (
        res.error ? null : <Loading what={t('coherence.loadingFindings')} />
      ) : (
        <>
          <p class="meta" data-testid="overlaps-count">
            {t('coherence.count', { count: data.total, n: formatNumber(data.total) })}
            {data.status?.analysed_at ? ` ${t('coherence.analysedAt', { at: formatTimestamp(data.status.analysed_at) })}` : ''}
          </p>
          {items.length === 0 && !analysing ? (
            <EmptyState
              testId="overlaps-empty"
              message={filtered ? t('coherence.emptyFiltered') : t('coherence.empty')}
              actions={filtered ? [{ label: t('coherence.clearFilters'), href: '/coherence' }] : []}
            />
          ) : (
            <ol class="findings plain-list">
              {items.map((f) => (
                <li key={f.id}>
                  <FindingCard finding={f} names={names} />
                </li>
              ))}
            </ol>
          )}
          {more.error ? <ErrorBox error={more.error} /> : null}
          {cursor && !exhausted && (
            <p>
              <button type="button" class="secondary" disabled={more.busy} onClick={loadMore} data-testid="load-more">
                {more.busy ? t('coherence.loadingMore') : t('coherence.loadMore')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The filters, kept in the address with the API's names so a filtered view can be shared. */
function OverlapFiltersForm({ filters, reference }: { filters: OverlapFilters; reference: Reference }) {
  const [f, setF] = useState(filters);
  const key = OVERLAP_FILTERS.map((k) => filters[k]).join('|');
  useEffect(() => setF(filters), [key]);
  const set = (k: keyof OverlapFilters) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const { codelists, themes, orgs } = reference;
  const any = { value: '', label: t('coherence.filter.any') };
  const countries = codelists.countries.map((c) => ({ value: c.code, label: countryName(c.code, c.name) })).sort((a, b) => compareNames(a.label, b.label));
  const regions = codelists.regions.filter((r) => r.level === 'region' || r.level === 'subregion').map((r) => ({ value: r.code, label: regionName(r.code, r.name) }));
  function apply(e: Event) {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const k of OVERLAP_FILTERS) if (f[k].trim()) q.set(k, f[k].trim());
    const s = q.toString();
    navigate(`/coherence${s ? `?${s}` : ''}`);
  }
  return (
    <form class="panel filters" onSubmit={apply} data-testid="overlap-filters" aria-label={t('coherence.filter.label')}>
      <div class="filter-grid">
        <Select
          label={t('coherence.filter.organization')}
          value={f.organization}
          onValue={set('organization')}
          options={[any, ...[...orgs.members, ...orgs.partners].map((o) => ({ value: o.id, label: o.acronym || o.name }))]}
        />
        <Select label={t('coherence.filter.country')} value={f.country} onValue={set('country')} options={[any, ...countries]} />
        <Select label={t('coherence.filter.region')} value={f.region} onValue={set('region')} options={[any, ...regions]} />
        <Select label={t('coherence.filter.theme')} value={f.theme} onValue={set('theme')} options={[any, ...themes.filter((x) => !x.archived).map((x) => ({ value: x.id, label: x.name }))]} />
        <Select label={t('coherence.filter.class')} value={f.class} onValue={set('class')} options={[any, ...FINDING_CLASSES.map((c) => ({ value: c, label: classLabel(c) }))]} />
        <Select
          label={t('coherence.filter.minScore')}
          value={f.min_score}
          onValue={set('min_score')}
          options={[any, ...['0.5', '0.7', '0.9', '0.97'].map((v) => ({ value: v, label: t('coherence.filter.atLeast', { p: formatNumber(Number(v), { style: 'percent' }) }) }))]}
        />
        <Field label={t('coherence.filter.from')} type="date" value={f.from} onValue={set('from')} />
        <Field label={t('coherence.filter.to')} type="date" value={f.to} onValue={set('to')} />
        <Select
          label={t('coherence.filter.feedback')}
          value={f.feedback}
          onValue={set('feedback')}
          options={[{ value: '', label: t('coherence.filter.feedbackDefault') }, { value: 'none', label: t('coherence.filter.feedbackNone') }, { value: 'any', label: t('coherence.filter.feedbackAny') }, ...VERDICTS.map((v) => ({ value: v, label: verdictLabel(v) }))]}
        />
      </div>
      {filters.cluster && (
        <p data-testid="cluster-filter">
          {t('coherence.filter.clusterOn', { id: filters.cluster })}{' '}
          <Link href={`/coherence?${new URLSearchParams(Object.entries(filters).filter(([k, v]) => k !== 'cluster' && v)).toString()}`}>{t('coherence.filter.clusterOff')}</Link>
        </p>
      )}
      <div class="actions">
        <button type="submit">{t('coherence.filter.apply')}</button>
        <Link href="/coherence">{t('coherence.clearFilters')}</Link>
      </div>
    </form>
  );
}

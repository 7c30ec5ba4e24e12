// /activities/new and /activities/:id/edit: every field of an activity (docs/activities.md).
// A focal point records activities of their own organisation; admin and secretariat choose it.
// Editing sends PATCH with If-Match = the ETag of the GET; a 412 reloads the latest version.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  api,
  type About,
  type Activity,
  type ActivityInput,
  type Codelists,
  type ErrorDetail,
  type LangText,
  type Organization,
  type PartnerRole,
  type Sector,
  type Theme,
  type User,
  type Visibility,
} from '../api';
import {
  DIMENSION_LABELS,
  LANGUAGES,
  ROLE_LABELS,
  VISIBILITY_LABELS,
  canEditActivity,
  canRecordActivities,
  loadAbout,
  loadCodelists,
  loadOrganizations,
  loadThemes,
  parseAmount,
  sectorVocabularyOptions,
  statusLabel,
  typeLabel,
} from '../activities';
import { Link, navigate } from '../router';
import { isStaff, useSession } from '../session';
import { ErrorBox, Field, Loading, Rich, Select, problemText, useId, usePageTitle, useResource } from '../ui';
import { currentLanguage, t, type MessageId } from '../i18n';
import { formatLocale, formatNumber } from '../format';
import { canCheck } from '../coherence';
import { LikelyOverlapsPanel, draftFrom } from '../overlaps-panel';

interface Reference {
  codelists: Codelists;
  themes: Theme[];
  about: About;
  orgs: { members: Organization[]; partners: Organization[] };
}

interface Loaded {
  activity: Activity;
  etag: string | null;
}

export function ActivityFormPage({ id }: { id?: string }) {
  const { user } = useSession();
  usePageTitle(id ? t('form.editTitle') : t('form.newTitle'));
  const ref = useResource<Reference>(
    () =>
      Promise.all([loadCodelists(), loadThemes(), loadAbout(), loadOrganizations()]).then(([codelists, themes, about, orgs]) => ({ codelists, themes, about, orgs })),
    [],
  );
  const res = useResource<Loaded | null>(
    () => (id ? api.get<Activity>(`/activities/${encodeURIComponent(id)}`).then((r) => ({ activity: r.data, etag: r.etag })) : Promise.resolve(null)),
    [id, user?.id],
  );
  const [stale, setStale] = useState(false);

  if (user === undefined) return <Loading what={t('form.checkingSession')} />;
  const heading = id ? t('form.editTitle') : t('form.newTitle');
  if (!canRecordActivities(user)) {
    return (
      <section>
        <h1>{heading}</h1>
        {user ? (
          <p>{t('form.roleCannot', { role: t(`role.${user.role}`) })}</p>
        ) : (
          <p>
            {t('form.signInNeeded')} <Link href={`/signin?next=${encodeURIComponent(location.pathname)}`}>{t('shell.signIn')}</Link>
          </p>
        )}
      </section>
    );
  }
  const error = ref.error ?? res.error;
  if (error && !(ref.data && res.data !== undefined)) {
    return (
      <section>
        <h1>{heading}</h1>
        <ErrorBox error={error} />
      </section>
    );
  }
  if (!ref.data || res.data === undefined || res.loading) return <Loading what={t('form.loading')} />;
  const loaded = res.data;
  if (loaded && !canEditActivity(user, loaded.activity.organization.id)) {
    return (
      <section>
        <h1>{heading}</h1>
        <p>
          {t('form.onlyOwners', { acronym: loaded.activity.organization.acronym })}{' '}
          <Link href={`/activities/${loaded.activity.id}`}>{t('form.backToActivity')}</Link>
        </p>
      </section>
    );
  }

  return (
    <section>
      <p class="crumbs">
        <Link href="/activities">{t('form.crumbActivities')}</Link> › {loaded ? <Link href={`/activities/${loaded.activity.id}`}>{loaded.activity.title}</Link> : t('form.crumbNew')}
      </p>
      <h1>{heading}</h1>
      {stale && (
        <div class="error" role="alert" data-testid="stale">
          {t('form.stale')}
        </div>
      )}
      <ActivityForm
        key={loaded ? `${loaded.activity.id}:${loaded.etag}` : 'new'}
        user={user!}
        reference={ref.data}
        loaded={loaded}
        onStale={() => {
          setStale(true);
          res.reload();
        }}
      />
    </section>
  );
}

// ---- The form ----

interface PartnerRow {
  organization_id: string;
  name: string;
  role: PartnerRole;
}

/** A sector as the form edits it: its vocabulary as stored ("" = 1), its share as typed. */
interface SectorRow {
  vocabulary: string;
  code: string;
  percentage: string;
  narrative: string;
  vocabulary_uri: string;
  /** The stored share and the text first shown for it: sent back as stored while the text is unchanged. */
  stored: { text: string; value: number | null };
}

/** A sector of the activity as a row of the form. */
function sectorRow(x: Sector): SectorRow {
  const text = x.percentage === null ? '' : formatNumber(x.percentage, { numberingSystem: 'latn', useGrouping: false } as Intl.NumberFormatOptions);
  return { vocabulary: x.vocabulary, code: x.code, percentage: text, narrative: x.narrative, vocabulary_uri: x.vocabulary_uri, stored: { text, value: x.percentage } };
}

const NEW_SECTOR: SectorRow = { vocabulary: '1', code: '', percentage: '', narrative: '', vocabulary_uri: '', stored: { text: '', value: null } };

interface FormState {
  organization_id: string;
  titles: LangText[];
  descriptions: LangText[];
  type: string;
  themes: string[];
  purposes: number[];
  dimensions: string[];
  countries: string[];
  regions: string[];
  is_global: boolean;
  starts_on: string;
  ends_on: string;
  status: string;
  amount: string;
  currency: string;
  partners: PartnerRow[];
  sectors: SectorRow[];
  contact_name: string;
  contact_email: string;
  links: { url: string; title: string }[];
  visibility: Visibility;
}

function initialState(user: User, a: Activity | undefined): FormState {
  if (!a) {
    return {
      organization_id: isStaff(user) ? '' : user.organization_id ?? '',
      titles: [{ lang: 'en', text: '' }],
      descriptions: [{ lang: 'en', text: '' }],
      type: '',
      themes: [],
      purposes: [],
      dimensions: [],
      countries: [],
      regions: [],
      is_global: false,
      starts_on: '',
      ends_on: '',
      status: '2',
      amount: '',
      currency: 'USD',
      partners: [],
      sectors: [],
      contact_name: '',
      contact_email: '',
      links: [],
      visibility: 'public',
    };
  }
  return {
    organization_id: a.organization.id,
    titles: a.titles.length ? a.titles.map((t) => ({ ...t })) : [{ lang: 'en', text: a.title }],
    descriptions: a.descriptions.length ? a.descriptions.map((t) => ({ ...t })) : [{ lang: 'en', text: '' }],
    type: a.type,
    themes: [...a.themes],
    purposes: [...a.purposes],
    dimensions: [...a.dimensions],
    countries: [...a.countries],
    regions: [...a.regions],
    is_global: a.is_global,
    starts_on: a.starts_on ?? '',
    ends_on: a.ends_on ?? '',
    status: String(a.status),
    amount: a.budget ? String(a.budget.amount) : '',
    currency: a.budget?.currency ?? 'USD',
    partners: a.partners.map((p) => ({ organization_id: p.organization_id ?? '', name: p.name, role: p.role })),
    sectors: a.sectors.map(sectorRow),
    contact_name: a.contact?.name ?? '',
    contact_email: a.contact?.email ?? '',
    links: a.links.map((l) => ({ ...l })),
    visibility: a.visibility,
  };
}

/** What each field is called on the form (message ids), for the summary of problems. */
const FIELD_LABELS: Record<string, MessageId> = {
  organization_id: 'form.field.organization',
  titles: 'form.field.title',
  descriptions: 'form.field.description',
  type: 'form.field.type',
  status: 'form.field.stage',
  themes: 'form.field.themes',
  purposes: 'form.field.purposes',
  dimensions: 'form.field.dimensions',
  countries: 'form.field.countries',
  regions: 'form.field.regions',
  starts_on: 'form.field.startsOn',
  ends_on: 'form.field.endsOn',
  budget: 'form.field.budget',
  'budget.currency': 'form.field.currency',
  partners: 'form.field.partners',
  sectors: 'form.field.sectors',
  contact: 'form.field.contact',
  'contact.email': 'form.field.contactEmail',
  links: 'form.field.links',
  visibility: 'form.field.visibility',
};

const fieldLabel = (field: string) => {
  const id = FIELD_LABELS[field] ?? FIELD_LABELS[field.replace(/[[.].*$/, '')];
  return id ? t(id) : field;
};

/** Two budgets written the way the reader's language writes numbers (Latin digits, which parseAmount reads). */
function amountExamples(): { example1: string; example2: string } {
  const digits = { numberingSystem: 'latn' } as Intl.NumberFormatOptions;
  return { example1: formatNumber(250000, digits), example2: formatNumber(1500.5, { ...digits, minimumFractionDigits: 2 }) };
}

/** An amount as typed, read with the number conventions of the language the page is in. */
const readAmount = (text: string) => parseAmount(text, formatLocale());

/** A web address's start, shown in an empty link field (not words: the same in every language). */
const URL_PREFIX = 'https://';

/**
 * A problem the browser finds, written in the reader's language (`lang` says so). The server's
 * carry a rule code instead; both are shown through problemText (ui.tsx).
 */
type Problem = ErrorDetail;

/**
 * Every problem the browser can see before sending, all at once and in plain words (the server
 * checks the same rules and more, and answers with all it finds).
 */
function checkForm(f: FormState, staff: boolean): Problem[] {
  const out: Problem[] = [];
  const lang = currentLanguage();
  const add = (field: string, problem: string) => out.push({ field, problem, lang });
  if (staff && !f.organization_id) add('organization_id', t('form.problem.organization'));
  if (!f.titles.some((x) => x.text.trim() !== '')) add('titles', t('form.problem.title'));
  if (!f.type) add('type', t('form.problem.type'));
  if (f.starts_on && f.ends_on && f.ends_on < f.starts_on) add('ends_on', t('form.problem.dates'));
  if (f.amount.trim() !== '' && readAmount(f.amount) === null) add('budget', t('form.problem.budget', amountExamples()));
  f.partners.forEach((p, i) => {
    if (!p.name.trim()) add(`partners[${i}].name`, t('form.problem.partnerName', { n: i + 1 }));
  });
  const sectorsSeen = new Set<string>();
  f.sectors.forEach((x, i) => {
    const code = x.code.trim();
    const key = `${x.vocabulary || '1'} ${code}`;
    if (!code) add(`sectors[${i}].code`, t('form.problem.sectorCode', { n: i + 1 }));
    else if (sectorsSeen.has(key)) add(`sectors[${i}].code`, t('form.problem.sectorTwice', { n: i + 1, code }));
    sectorsSeen.add(key);
    const share = x.percentage.trim() === '' ? 0 : readAmount(x.percentage);
    if (share === null || share < 0 || share > 100) add(`sectors[${i}].percentage`, t('form.problem.sectorShare', { n: i + 1 }));
  });
  f.links.forEach((l, i) => {
    if (l.url.trim() !== '' && !/^https?:\/\/\S+$/.test(l.url.trim())) add(`links[${i}].url`, t('form.problem.linkUrl', { n: i + 1 }));
  });
  if (f.contact_email.trim() !== '' && !f.contact_email.includes('@')) add('contact.email', t('form.problem.contactEmail'));
  return out;
}

/** The request body (checkForm has passed, so the amount parses). */
function toInput(f: FormState): ActivityInput {
  const amount = readAmount(f.amount);
  const budget: ActivityInput['budget'] = amount === null ? null : { amount, currency: f.currency };
  return {
    organization_id: f.organization_id,
    titles: f.titles.filter((t) => t.text.trim() !== '').map((t) => ({ lang: t.lang, text: t.text.trim() })),
    descriptions: f.descriptions.filter((t) => t.text.trim() !== '').map((t) => ({ lang: t.lang, text: t.text.trim() })),
    type: f.type,
    themes: f.themes,
    purposes: [...f.purposes].sort((a, b) => a - b),
    dimensions: f.dimensions,
    countries: f.countries,
    regions: f.regions,
    is_global: f.is_global,
    starts_on: f.starts_on || null,
    ends_on: f.ends_on || null,
    status: Number(f.status),
    budget,
    partners: f.partners.map((p) => ({ organization_id: p.organization_id || null, name: p.name.trim(), role: p.role })),
    sectors: f.sectors.map((x) => ({
      vocabulary: x.vocabulary,
      code: x.code.trim(),
      percentage: x.percentage === x.stored.text ? x.stored.value : x.percentage.trim() === '' ? null : readAmount(x.percentage),
      narrative: x.narrative,
      vocabulary_uri: x.vocabulary_uri,
    })),
    contact: { name: f.contact_name.trim(), email: f.contact_email.trim() },
    links: f.links.filter((l) => l.url.trim() !== '').map((l) => ({ url: l.url.trim(), title: l.title.trim() })),
    visibility: f.visibility,
  };
}

/** The problem for a field, also for problems named inside it (`partners[1].role`), and its language. */
function problemOf(error: unknown, field: string): { text: string; lang?: string } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d = error.details.find((x) => x.field === field || x.field.startsWith(`${field}[`) || x.field.startsWith(`${field}.`));
  if (!d) return undefined;
  const p = problemText(d);
  return d.field === field ? p : { ...p, text: `${d.field}: ${p.text}` };
}

function FieldProblem({ id, error, field }: { id: string; error: unknown; field: string }) {
  const p = problemOf(error, field);
  return p ? (
    <small id={id} class="field-error" data-field={field} lang={p.lang}>
      {p.text}
    </small>
  ) : null;
}

/**
 * At the top of the form: every problem in plain words, each a link to its field; it takes the
 * focus when it appears so that keyboard and screen-reader users start from it.
 */
function ErrorSummary({ error }: { error: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!(error instanceof ApiError) || error.details.length === 0) return null;
  const goTo = (e: Event, field: string) => {
    e.preventDefault();
    const form = ref.current?.closest('form');
    const target =
      form?.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) ??
      form?.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`)?.closest('fieldset, .field')?.querySelector<HTMLElement>('input, select, textarea') ??
      form?.querySelector<HTMLElement>(`[name^="${CSS.escape(field.replace(/[[.].*$/, ''))}"]`);
    target?.focus();
  };
  const n = error.details.length;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary" aria-labelledby="error-summary-h">
      <h2 id="error-summary-h">{t('form.summary', { count: n })}</h2>
      <ul>
        {error.details.map((d, i) => {
          const p = problemText(d);
          return (
            <li key={i}>
              <a href={`#${d.field}`} onClick={(e) => goTo(e, d.field)}>
                {t('form.summaryField', { field: fieldLabel(d.field) })} <span lang={p.lang}>{p.text}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function toggle<T>(list: T[], v: T, on: boolean): T[] {
  return on ? (list.includes(v) ? list : [...list, v]) : list.filter((x) => x !== v);
}

function ActivityForm({ user, reference, loaded, onStale }: { user: User; reference: Reference; loaded: Loaded | null; onStale(): void }) {
  const [form, setForm] = useState<FormState>(() => initialState(user, loaded?.activity));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof FormState>(k: K) => (v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const staff = isStaff(user);
  const { codelists, themes, about, orgs } = reference;
  const allOrgs = [...orgs.members, ...orgs.partners];
  const ownOrg = allOrgs.find((o) => o.id === form.organization_id);
  // A new activity's stage follows its start date (planned when it starts after today) until
  // the person picks one.
  const [statusChosen, setStatusChosen] = useState(!!loaded);
  useEffect(() => {
    if (statusChosen) return;
    setForm((f) => ({ ...f, status: f.starts_on && f.starts_on > new Date().toISOString().slice(0, 10) ? '1' : '2' }));
  }, [form.starts_on, statusChosen]);
  const ids = { themes: useId('th'), purposes: useId('pu'), dims: useId('di'), sectors: useId('se'), partners: useId('pa'), links: useId('li') };
  // A changed vocabulary or code is another sector: the publisher's label and vocabulary address go.
  const setSector = (i: number, change: Partial<SectorRow>) =>
    set('sectors')(form.sectors.map((x, j) => (j === i ? { ...x, narrative: '', vocabulary_uri: change.vocabulary === undefined ? x.vocabulary_uri : '', ...change } : x)));

  async function submit(e: Event) {
    e.preventDefault();
    const problems = checkForm(form, staff);
    if (problems.length > 0) {
      setError(new ApiError(422, 'failed_precondition', t('form.notSavedMessage'), problems));
      return;
    }
    setError(null);
    const body = toInput(form);
    setBusy(true);
    try {
      if (loaded) {
        const patch: Partial<ActivityInput> = { ...body };
        if (!staff) delete patch.organization_id; // a focal point's organisation is fixed
        await api.patch<Activity>(`/activities/${loaded.activity.id}`, patch, loaded.etag);
        navigate(`/activities/${loaded.activity.id}`);
      } else {
        const r = await api.post<Activity>('/activities', body);
        navigate(`/activities/${r.data.id}`);
      }
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 412) {
        onStale();
        return;
      }
      setError(err);
    }
  }

  const orgOptions = [
    { value: '', label: t('form.chooseOrg') },
    ...orgs.members.map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` })),
    ...orgs.partners.map((o) => ({ value: o.id, label: t('form.partnerOrg', { name: o.name }) })),
  ];

  return (
    <form onSubmit={submit} noValidate data-testid="activity-form" class="activity-form">
      <ErrorSummary error={error} />
      <p class="hint">
        <Rich id={staff ? 'form.requiredStaff' : 'form.required'} parts={{ star: <span class="req">*</span> }} />
      </p>
      <fieldset class="panel">
        <legend>{t('form.legend.orgTitle')}</legend>
        {staff ? (
          <Select label={t('form.field.organization')} value={form.organization_id} onValue={set('organization_id')} options={orgOptions} field="organization_id" error={error} required />
        ) : (
          <p>
            <strong>{t('form.summaryField', { field: t('form.field.organization') })}</strong> {ownOrg ? `${ownOrg.name} (${ownOrg.acronym})` : form.organization_id}
            <FieldProblem id="org-err" error={error} field="organization_id" />
          </p>
        )}
        <LangTexts label={t('form.field.title')} addLabel={t('form.addTitleLanguage')} field="titles" values={form.titles} onValues={set('titles')} error={error} required />
        <LangTexts
          label={t('form.field.description')}
          addLabel={t('form.addDescriptionLanguage')}
          field="descriptions"
          values={form.descriptions}
          onValues={set('descriptions')}
          error={error}
          multiline
        />
      </fieldset>

      {canCheck(user) && <LikelyOverlapsPanel draft={draftFrom(toInput(form), loaded?.activity.id)} draftId={loaded?.activity.id ?? 0} />}

      <fieldset class="panel">
        <legend>{t('form.legend.what')}</legend>
        <div class="row">
          <Select
            label={t('form.field.type')}
            value={form.type}
            onValue={set('type')}
            options={[{ value: '', label: t('form.chooseType') }, ...codelists.activity_types.map((t) => ({ value: t, label: typeLabel(t) }))]}
            field="type"
            error={error}
            required
          />
          <Select
            label={t('form.field.stage')}
            value={form.status}
            onValue={(v) => {
              setStatusChosen(true);
              set('status')(v);
            }}
            options={codelists.statuses.map((s) => ({ value: String(s.code), label: statusLabel(s.code, s.name) }))}
            field="status"
            error={error}
          />
        </div>
        <fieldset class="checks" aria-describedby={`${ids.themes}-err`}>
          <legend>{t('form.field.themes')}</legend>
          <div class="check-grid">
            {themes
              .filter((t) => !t.archived || form.themes.includes(t.id))
              .map((th) => (
                <label key={th.id} class="check-item">
                  <input type="checkbox" checked={form.themes.includes(th.id)} onChange={(e) => set('themes')(toggle(form.themes, th.id, (e.currentTarget as HTMLInputElement).checked))} />{' '}
                  {th.name}
                  {th.archived && <> {t('form.archived')}</>}
                </label>
              ))}
          </div>
          <FieldProblem id={`${ids.themes}-err`} error={error} field="themes" />
        </fieldset>
        <fieldset class="checks" aria-describedby={`${ids.purposes}-err`}>
          <legend>{t('form.legend.purposes')}</legend>
          <div class="check-grid wide">
            {about.purposes.map((p) => (
              <label key={p.number} class="check-item">
                <input
                  type="checkbox"
                  checked={form.purposes.includes(p.number)}
                  onChange={(e) => set('purposes')(toggle(form.purposes, p.number, (e.currentTarget as HTMLInputElement).checked))}
                />{' '}
                {p.number}. {p.title}
              </label>
            ))}
          </div>
          <FieldProblem id={`${ids.purposes}-err`} error={error} field="purposes" />
        </fieldset>
        <fieldset class="checks" aria-describedby={`${ids.dims}-err`}>
          <legend>{t('form.field.dimensions')}</legend>
          <p class="hint">{t('form.dimensionsHint')}</p>
          <div class="check-grid">
            {codelists.dimensions.map((d) => (
              <label key={d} class="check-item">
                <input
                  type="checkbox"
                  checked={form.dimensions.includes(d)}
                  onChange={(e) => set('dimensions')(toggle(form.dimensions, d, (e.currentTarget as HTMLInputElement).checked))}
                />{' '}
                {DIMENSION_LABELS[d] ?? d}
              </label>
            ))}
          </div>
          <FieldProblem id={`${ids.dims}-err`} error={error} field="dimensions" />
        </fieldset>
        <fieldset class="checks" aria-describedby={`${ids.sectors}-err`}>
          <legend>{t('form.field.sectors')}</legend>
          <p class="hint">{t('form.sectorsHint')}</p>
          {form.sectors.map((x, i) => (
            <div class="repeat-row" key={i} data-testid="sector-row">
              <Select
                label={t('form.sectorVocabulary', { n: i + 1 })}
                value={x.vocabulary || '1'}
                onValue={(v) => setSector(i, { vocabulary: v })}
                options={sectorVocabularyOptions(x.vocabulary || '1')}
                field={`sectors[${i}].vocabulary`}
                error={error}
              />
              <Field label={t('form.sectorCode', { n: i + 1 })} value={x.code} onValue={(v) => setSector(i, { code: v })} field={`sectors[${i}].code`} error={error} />
              <Field
                label={t('form.sectorShare', { n: i + 1 })}
                inputMode="decimal"
                value={x.percentage}
                onValue={(v) => set('sectors')(form.sectors.map((y, j) => (j === i ? { ...y, percentage: v } : y)))}
                field={`sectors[${i}].percentage`}
                error={error}
              />
              <button type="button" class="secondary small" onClick={() => set('sectors')(form.sectors.filter((_, j) => j !== i))}>
                {t('form.removeSector', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => set('sectors')([...form.sectors, NEW_SECTOR])}>
            {t('form.addSector')}
          </button>
          <FieldProblem id={`${ids.sectors}-err`} error={error} field="sectors" />
        </fieldset>
      </fieldset>

      <fieldset class="panel">
        <legend>{t('form.legend.whereWhen')}</legend>
        <MultiPick
          label={t('form.field.countries')}
          chosenLabel={t('form.chosenCountries')}
          matchingLabel={t('form.matchingCountries')}
          placeholder={t('form.countriesPlaceholder')}
          field="countries"
          error={error}
          options={codelists.countries.map((c) => ({ value: c.code, label: c.name })).sort((a, b) => a.label.localeCompare(b.label))}
          values={form.countries}
          onValues={set('countries')}
        />
        <MultiPick
          label={t('form.field.regions')}
          chosenLabel={t('form.chosenRegions')}
          matchingLabel={t('form.matchingRegions')}
          placeholder={t('form.regionsPlaceholder')}
          field="regions"
          error={error}
          options={codelists.regions.filter((r) => r.level !== 'world').map((r) => ({ value: r.code, label: r.name }))}
          values={form.regions}
          onValues={set('regions')}
        />
        <div class="field check">
          <input id="is-global" type="checkbox" checked={form.is_global} onChange={(e) => set('is_global')((e.currentTarget as HTMLInputElement).checked)} />
          <label for="is-global">{t('form.global')}</label>
        </div>
        <div class="row">
          <Field label={t('form.field.startsOn')} type="date" value={form.starts_on} onValue={set('starts_on')} field="starts_on" error={error} />
          <Field label={t('form.field.endsOn')} type="date" value={form.ends_on} onValue={set('ends_on')} field="ends_on" error={error} />
        </div>
      </fieldset>

      <fieldset class="panel">
        <legend>{t('form.legend.budgetPartners')}</legend>
        <div class="row">
          <Field
            label={t('form.field.budget')}
            inputMode="decimal"
            value={form.amount}
            onValue={set('amount')}
            field="budget"
            error={error}
            hint={t('form.budgetHint', amountExamples())}
            data-testid="budget-amount"
          />
          <Select
            label={t('form.field.currency')}
            value={form.currency}
            onValue={set('currency')}
            options={codelists.currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))}
            field="budget.currency"
            error={error}
          />
        </div>
        <fieldset class="checks" aria-describedby={`${ids.partners}-err`}>
          <legend>{t('form.field.partners')}</legend>
          <p class="hint">{t('form.partnersHint')}</p>
          {form.partners.map((p, i) => (
            <div class="repeat-row" key={i} data-testid="partner-row">
              <Field label={t('form.partnerName', { n: i + 1 })} value={p.name} onValue={(v) => set('partners')(form.partners.map((x, j) => (j === i ? { ...x, name: v } : x)))} field={`partners[${i}].name`} error={error} />
              <Select
                label={t('form.inRegistry')}
                value={p.organization_id}
                onValue={(v) =>
                  set('partners')(
                    form.partners.map((x, j) => (j === i ? { ...x, organization_id: v, name: x.name || allOrgs.find((o) => o.id === v)?.acronym || x.name } : x)),
                  )
                }
                options={[{ value: '', label: t('form.notInRegistry') }, ...allOrgs.map((o) => ({ value: o.id, label: o.acronym ? `${o.acronym} — ${o.name}` : o.name }))]}
                field={`partners[${i}].organization_id`}
                error={error}
              />
              <Select
                label={t('form.role')}
                value={p.role}
                onValue={(v) => set('partners')(form.partners.map((x, j) => (j === i ? { ...x, role: v as PartnerRole } : x)))}
                options={Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }))}
                field={`partners[${i}].role`}
                error={error}
              />
              <button type="button" class="secondary small" onClick={() => set('partners')(form.partners.filter((_, j) => j !== i))}>
                {t('form.removePartner', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => set('partners')([...form.partners, { organization_id: '', name: '', role: 'implementing' }])}>
            {t('form.addPartner')}
          </button>
          <FieldProblem id={`${ids.partners}-err`} error={error} field="partners" />
        </fieldset>
      </fieldset>

      <fieldset class="panel">
        <legend>{t('form.legend.contact')}</legend>
        <div class="row">
          <Field label={t('form.contactName')} value={form.contact_name} onValue={set('contact_name')} field="contact.name" error={error} />
          <Field label={t('form.field.contactEmail')} type="email" value={form.contact_email} onValue={set('contact_email')} field="contact.email" error={error} />
        </div>
        <fieldset class="checks" aria-describedby={`${ids.links}-err`}>
          <legend>{t('form.field.links')}</legend>
          {form.links.map((l, i) => (
            <div class="repeat-row" key={i}>
              <Field label={t('form.linkAddress', { n: i + 1 })} type="url" placeholder={URL_PREFIX} value={l.url} onValue={(v) => set('links')(form.links.map((x, j) => (j === i ? { ...x, url: v } : x)))} field={`links[${i}].url`} error={error} />
              <Field label={t('form.linkTitle', { n: i + 1 })} value={l.title} onValue={(v) => set('links')(form.links.map((x, j) => (j === i ? { ...x, title: v } : x)))} />
              <button type="button" class="secondary small" onClick={() => set('links')(form.links.filter((_, j) => j !== i))}>
                {t('form.removeLink', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => set('links')([...form.links, { url: '', title: '' }])}>
            {t('form.addLink')}
          </button>
          <FieldProblem id={`${ids.links}-err`} error={error} field="links" />
        </fieldset>
        <Select
          label={t('form.field.visibility')}
          value={form.visibility}
          onValue={(v) => set('visibility')(v as Visibility)}
          options={Object.entries(VISIBILITY_LABELS).map(([value, label]) => ({ value, label }))}
          field="visibility"
          error={error}
        />
      </fieldset>

      {/* Problems with fields are in the summary above; this box tells of the rest (no right, offline). */}
      {!(error instanceof ApiError && error.details.length > 0) && <ErrorBox error={error} title={t('form.notSaved')} />}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('ui.saving') : loaded ? t('form.saveChanges') : t('form.record')}
        </button>
        <Link href={loaded ? `/activities/${loaded.activity.id}` : '/activities'}>{t('ui.cancel')}</Link>
      </div>
    </form>
  );
}

// ---- Texts in several languages ----

/** A language's name in the language the page is in (the form's own list of names in English). */
function languageName(code: string): string {
  const own = LANGUAGES.find((l) => l.code === code)?.name;
  if (currentLanguage() === 'en' && own) return own;
  try {
    return new Intl.DisplayNames([formatLocale()], { type: 'language' }).of(code) ?? own ?? code;
  } catch {
    return own ?? code;
  }
}

function LangTexts({
  label,
  addLabel,
  field,
  values,
  onValues,
  error,
  required,
  multiline,
}: {
  label: string;
  /** The "add another language" button's text, naming the field. */
  addLabel: string;
  field: string;
  values: LangText[];
  onValues(v: LangText[]): void;
  error: unknown;
  required?: boolean;
  multiline?: boolean;
}) {
  const id = useId('lt');
  const problem = problemOf(error, field);
  const update = (i: number, patch: Partial<LangText>) => onValues(values.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const free = LANGUAGES.filter((l) => !values.some((v) => v.lang === l.code));
  return (
    <fieldset class="checks lang-texts" data-field={field}>
      <legend>
        {label}
        {required && (
          <span class="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </legend>
      {values.map((v, i) => {
        const langs = LANGUAGES.filter((l) => l.code === v.lang || !values.some((x) => x.lang === l.code));
        return (
          <div class="lang-row" key={i}>
            <div class="field lang">
              <label for={`${id}-l${i}`}>{t('form.language')}</label>
              <select id={`${id}-l${i}`} value={v.lang} onChange={(e) => update(i, { lang: (e.currentTarget as HTMLSelectElement).value })}>
                {langs.map((l) => (
                  <option key={l.code} value={l.code}>
                    {languageName(l.code)}
                  </option>
                ))}
                {!LANGUAGES.some((l) => l.code === v.lang) && <option value={v.lang}>{v.lang}</option>}
              </select>
            </div>
            <div class="field">
              <label for={`${id}-t${i}`}>{t('form.langTextLabel', { label, language: languageName(v.lang) })}</label>
              {multiline ? (
                <textarea
                  id={`${id}-t${i}`}
                  lang={v.lang}
                  rows={4}
                  value={v.text}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-err` : undefined}
                  onInput={(e) => update(i, { text: (e.currentTarget as HTMLTextAreaElement).value })}
                />
              ) : (
                <input
                  id={`${id}-t${i}`}
                  lang={v.lang}
                  value={v.text}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-err` : undefined}
                  onInput={(e) => update(i, { text: (e.currentTarget as HTMLInputElement).value })}
                />
              )}
            </div>
            {values.length > 1 && (
              <button type="button" class="secondary small" onClick={() => onValues(values.filter((_, j) => j !== i))}>
                {t('form.removeLanguage', { language: languageName(v.lang) })}
              </button>
            )}
          </div>
        );
      })}
      {free.length > 0 && (
        <button type="button" class="secondary small" onClick={() => onValues([...values, { lang: free[0].code, text: '' }])}>
          {addLabel}
        </button>
      )}
      <FieldProblem id={`${id}-err`} error={error} field={field} />
    </fieldset>
  );
}

// ---- A searchable multi-select ----

function MultiPick({
  label,
  chosenLabel,
  matchingLabel,
  placeholder,
  field,
  error,
  options,
  values,
  onValues,
}: {
  label: string;
  /** Names the list of chosen values ("Chosen countries"). */
  chosenLabel: string;
  /** Names the list of matches ("Matching countries"). */
  matchingLabel: string;
  placeholder: string;
  field: string;
  error: unknown;
  options: { value: string; label: string }[];
  values: string[];
  onValues(v: string[]): void;
}) {
  const id = useId('mp');
  const [text, setText] = useState('');
  const q = text.trim().toLowerCase();
  const matches = q
    ? options.filter((o) => !values.includes(o.value) && (o.label.toLowerCase().includes(q) || o.value.toLowerCase() === q)).slice(0, 8)
    : [];
  const name = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  const problem = problemOf(error, field);
  const add = (v: string) => {
    onValues([...values, v]);
    setText('');
    document.getElementById(id)?.focus();
  };
  return (
    <div class="field multipick" data-field={field}>
      <label for={id}>{label}</label>
      {values.length > 0 && (
        <ul class="chips" aria-label={chosenLabel}>
          {values.map((v) => (
            <li key={v}>
              {name(v)}{' '}
              <button type="button" class="chip-remove" aria-label={t('form.removeChip', { name: name(v) })} onClick={() => onValues(values.filter((x) => x !== v))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        value={text}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint${problem ? ` ${id}-err` : ''}`}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (matches.length > 0) add(matches[0].value);
          }
        }}
      />
      <small id={`${id}-hint`} class="hint">
        {t('form.pickHint')}
      </small>
      {matches.length > 0 && (
        <ul class="pick-list" aria-label={matchingLabel}>
          {matches.map((o) => (
            <li key={o.value}>
              <button type="button" class="secondary small" onClick={() => add(o.value)}>
                {o.label} <span class="meta">({o.value})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <small id={`${id}-err`} class="field-error" lang={problem.lang}>
          {problem.text}
        </small>
      )}
    </div>
  );
}

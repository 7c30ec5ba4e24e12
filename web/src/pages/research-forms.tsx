// The research network's forms (/research): add or edit an institution, a researcher, a joint
// project. Each Edit button of a list fills its form; Save sends PUT with If-Match = the version
// the list showed, and a 412 (someone saved it first) says so and reloads the list, so Edit
// starts again from their version. The server decides who may change what (docs/research.md);
// the page only offers it to those it would let.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Organization, type User } from '../api';
import { versionEtag } from '../etag';
import { t, type MessageId } from '../i18n';
import { isStaff } from '../session';
import { ErrorBox, Field, Notice, Select, fieldProblem, useFocusOnError, useSubmit, type Submit } from '../ui';

export const INSTITUTION_TYPES = ['university', 'research_institute', 'think_tank', 'government', 'intergovernmental', 'ngo'] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];
export const PROJECT_STATUSES = ['planned', 'active', 'completed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

interface Versioned {
  id: number;
  version: number;
}
export interface Institution extends Versioned {
  name: string;
  country: string;
  country_name: string;
  groups: { developing: boolean; ldc: boolean; lldc: boolean; sids: boolean };
  type: InstitutionType;
  website: string;
  added_by: string | null;
  researchers_count: number;
}
export interface Researcher extends Versioned {
  name: string;
  institution: { id: number; name: string; country: string };
  email?: string;
  themes: string[];
  languages: string[];
  public_profile: boolean;
  added_by: string | null;
}
export interface Project extends Versioned {
  title: string;
  summary: string;
  started_on: string;
  ended_on: string | null;
  status: ProjectStatus;
  organizations: string[];
  institutions: number[];
}

export const isFocalPoint = (u: User | null | undefined) => !!u && u.role === 'focal_point' && !!u.organization_id;
/** Who may add to the network at all: the secretariat, administrators, a member's focal point. */
export const addsToNetwork = (u: User | null | undefined) => isStaff(u) || isFocalPoint(u);
/** Institutions and researchers: staff, or the focal point of the organisation that added it. */
export const mayEditAdded = (u: User | null | undefined, r: { added_by: string | null }) => isStaff(u) || (isFocalPoint(u) && r.added_by === u?.organization_id);
/** Projects: staff, or a focal point of one of its organisations. */
export const mayEditProject = (u: User | null | undefined, p: Project) => isStaff(u) || (isFocalPoint(u) && p.organizations.includes(u?.organization_id ?? ''));

/** Comma-separated text as the list the API takes: trimmed, empty entries dropped. */
const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * POST to `path` for a new record; for `editing`, PUT with If-Match of the version it was read
 * at. A 412 calls `onStale` (the list reloads with the newer version) and is thrown on.
 */
async function save(path: string, editing: Versioned | null, body: unknown, onStale: () => void): Promise<void> {
  if (!editing) {
    await api.post(path, body);
    return;
  }
  try {
    await api.put(`${path}/${editing.id}`, body, { ifMatch: versionEtag(editing.version) });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412) onStale();
    throw e;
  }
}

interface FormProps<T> {
  /** The record its row's Edit button chose, or null: the form adds one. */
  editing: T | null;
  onDone(): void;
  onCancel(): void;
  onStale(): void;
}

/**
 * What every form here shares: a heading that takes the focus when an Edit button fills the form
 * (`fill` sets the fields from the record, or empties them for null), "Saved." after a save, the
 * stale-edit message, Save and (while editing) Cancel.
 */
function useEditForm<T>(editing: T | null, fill: (record: T | null) => void, send: () => Promise<void>, onDone: () => void) {
  const [done, setDone] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // A layout effect: the fields are filled in the same task as the heading "Edit …" appears
  // (an effect ran a frame later, and for that frame the form said Edit over empty fields).
  useLayoutEffect(() => {
    fill(editing);
    if (editing) {
      setDone(false);
      heading.current?.focus();
    }
  }, [editing]);
  const submit = useSubmit(async () => {
    setDone(false);
    await send();
    if (!editing) fill(null);
    setDone(true);
    onDone();
  });
  const formRef = useFocusOnError(submit.error);
  return { done, heading, submit, formRef };
}

function FormEnd({ submit, done, stale, editing, onCancel }: { submit: Submit; done: boolean; stale: MessageId; editing: boolean; onCancel(): void }) {
  return (
    <>
      <ErrorBox error={submit.error} title={t('research.notSaved')} />
      {submit.error instanceof ApiError && submit.error.status === 412 && <p data-testid="stale">{t(stale)}</p>}
      {done && <Notice>{t('research.added')}</Notice>}
      <button type="submit" disabled={submit.busy}>
        {t('research.submit')}
      </button>
      {editing && (
        <button type="button" class="secondary" onClick={onCancel}>
          {t('research.cancelEdit')}
        </button>
      )}
    </>
  );
}

export function InstitutionForm({ editing, onDone, onCancel, onStale }: FormProps<Institution>) {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [type, setType] = useState<InstitutionType>('university');
  const [website, setWebsite] = useState('');
  const fill = (i: Institution | null) => {
    setName(i?.name ?? '');
    setCountry(i?.country ?? '');
    setType(i?.type ?? 'university');
    setWebsite(i?.website ?? '');
  };
  const body = () => ({ name, country: country.trim().toUpperCase(), type, website });
  const form = useEditForm(editing, fill, () => save('/research/institutions', editing, body(), onStale), onDone);
  const { submit } = form;
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="institution-form" aria-labelledby="addi-h" ref={form.formRef}>
      <h3 id="addi-h" tabIndex={-1} ref={form.heading}>
        {editing ? t('research.editInstitution', { name: editing.name }) : t('research.addInstitution')}
      </h3>
      <Field label={t('research.field.name')} value={name} onValue={setName} required field="name" error={submit.error} maxLength={300} />
      <Field label={t('research.field.country')} hint={t('research.field.countryHint')} value={country} onValue={setCountry} required field="country" error={submit.error} maxLength={3} />
      <Select label={t('research.field.type')} value={type} onValue={(v) => setType(v as InstitutionType)} field="type" error={submit.error} options={INSTITUTION_TYPES.map((k) => ({ value: k, label: t(`research.type.${k}`) }))} />
      <Field label={t('research.field.website')} type="url" value={website} onValue={setWebsite} field="website" error={submit.error} />
      <FormEnd submit={submit} done={form.done} stale="research.staleEdit" editing={!!editing} onCancel={onCancel} />
    </form>
  );
}

export function ResearcherForm({ editing, institutions, onDone, onCancel, onStale }: FormProps<Researcher> & { institutions: Institution[] }) {
  const [name, setName] = useState('');
  const [institution, setInstitution] = useState('');
  const [email, setEmail] = useState('');
  const [themes, setThemes] = useState('');
  const [languages, setLanguages] = useState('');
  const [publicProfile, setPublicProfile] = useState(false);
  const fill = (r: Researcher | null) => {
    setName(r?.name ?? '');
    setInstitution(r ? String(r.institution.id) : '');
    setEmail(r?.email ?? '');
    setThemes(r?.themes.join(', ') ?? '');
    setLanguages(r?.languages.join(', ') ?? '');
    setPublicProfile(r?.public_profile ?? false);
  };
  const body = () => ({
    name,
    institution_id: Number(institution),
    email: email.trim(),
    themes: splitList(themes),
    languages: splitList(languages).map((l) => l.toLowerCase()),
    public_profile: publicProfile,
  });
  const form = useEditForm(editing, fill, () => save('/research/researchers', editing, body(), onStale), onDone);
  const { submit } = form;
  const options = [{ value: '', label: t('research.chooseInstitution') }, ...institutions.map((i) => ({ value: String(i.id), label: i.name }))];
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="researcher-form" aria-labelledby="addr-h" ref={form.formRef}>
      <h3 id="addr-h" tabIndex={-1} ref={form.heading}>
        {editing ? t('research.editNamed', { name: editing.name }) : t('research.addResearcher')}
      </h3>
      <Field label={t('research.field.name')} value={name} onValue={setName} required field="name" error={submit.error} maxLength={300} />
      <Select label={t('research.field.institution')} value={institution} onValue={setInstitution} required field="institution_id" error={submit.error} options={options} />
      <Field label={t('research.field.email')} type="email" value={email} onValue={setEmail} field="email" error={submit.error} maxLength={254} />
      <Field label={t('research.field.themes')} hint={t('research.field.themesHint')} value={themes} onValue={setThemes} field="themes" error={submit.error} />
      <Field label={t('research.field.languages')} hint={t('research.field.languagesHint')} value={languages} onValue={setLanguages} field="languages" error={submit.error} />
      <div class="field check">
        <input id="researcher-public" type="checkbox" checked={publicProfile} onChange={(e) => setPublicProfile(e.currentTarget.checked)} aria-describedby="researcher-public-hint" />
        <label for="researcher-public">{t('research.field.publicProfile')}</label>
        <small id="researcher-public-hint" class="hint">
          {t('research.field.publicProfileHint')}
        </small>
      </div>
      <FormEnd submit={submit} done={form.done} stale="research.staleResearcher" editing={!!editing} onCancel={onCancel} />
    </form>
  );
}

/**
 * A group of check boxes over `options`, as the set `chosen`; `locked` ones stay checked (a focal
 * point cannot take its own organisation, or one already in the project, out).
 */
function CheckGroup({ legend, hint, field, options, chosen, locked, onChange, error }: { legend: string; hint?: string; field: string; options: { value: string; label: string }[]; chosen: string[]; locked: string[]; onChange(v: string[]): void; error: unknown }) {
  const problem = fieldProblem(error, field);
  // The boxes carry the hint and the problem (a group's own aria-invalid is not announced; it
  // marks the group for useFocusOnError, which focuses its first box that is not locked).
  const describedBy = [hint ? `${field}-hint` : '', problem ? `${field}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class="field" aria-invalid={problem ? true : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <small id={`${field}-hint`} class="hint">
          {hint}
        </small>
      )}
      {options.map((o) => {
        const id = `${field}-${o.value}`;
        const checked = chosen.includes(o.value);
        return (
          <div class="check" key={o.value}>
            <input
              id={id}
              type="checkbox"
              checked={checked}
              disabled={locked.includes(o.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
            />
            <label for={id}>{o.label}</label>
          </div>
        );
      })}
      {problem && (
        <small id={`${field}-err`} class="field-error">
          {problem}
        </small>
      )}
    </fieldset>
  );
}

export function ProjectForm({ editing, user, organizations, institutions, onDone, onCancel, onStale }: FormProps<Project> & { user: User | null | undefined; organizations: Organization[]; institutions: Institution[] }) {
  const own = isStaff(user) ? '' : (user?.organization_id ?? '');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [status, setStatus] = useState<ProjectStatus>('planned');
  const [orgs, setOrgs] = useState<string[]>([]);
  const [insts, setInsts] = useState<string[]>([]);
  const fill = (p: Project | null) => {
    setTitle(p?.title ?? '');
    setSummary(p?.summary ?? '');
    setStart(p?.started_on ?? '');
    setEnd(p?.ended_on ?? '');
    setStatus(p?.status ?? 'planned');
    setOrgs(p ? p.organizations : own ? [own] : []);
    setInsts(p ? p.institutions.map(String) : []);
  };
  // Only the secretariat or an administrator takes an organisation out of a project.
  const locked = isStaff(user) ? [] : [...new Set([own, ...(editing?.organizations ?? [])])];
  const body = () => ({ title, summary, started_on: start, ended_on: end || null, status, organizations: orgs, institutions: insts.map(Number) });
  const form = useEditForm(editing, fill, () => save('/research/projects', editing, body(), onStale), onDone);
  const { submit } = form;
  // Current members, and any former member the project holds (so the secretariat can take it out).
  const choices = organizations
    .filter((o) => o.status === 'current' || orgs.includes(o.id))
    .map((o) => ({ value: o.id, label: o.status === 'current' ? o.name : t('research.formerMember', { name: o.name }) }));
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="project-form" aria-labelledby="addp-h" ref={form.formRef}>
      <h3 id="addp-h" tabIndex={-1} ref={form.heading}>
        {editing ? t('research.editNamed', { name: editing.title }) : t('research.addProject')}
      </h3>
      <Field label={t('research.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      <Field label={t('research.field.summary')} value={summary} onValue={setSummary} multiline rows={4} field="summary" error={submit.error} />
      <Field label={t('research.field.startedOn')} type="date" value={start} onValue={setStart} required field="started_on" error={submit.error} />
      <Field label={t('research.field.endedOn')} type="date" value={end} onValue={setEnd} field="ended_on" error={submit.error} />
      <Select label={t('research.field.status')} value={status} onValue={(v) => setStatus(v as ProjectStatus)} field="status" error={submit.error} options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`research.status.${s}`) }))} />
      <CheckGroup
        legend={t('research.field.organizations')}
        hint={locked.length > 0 ? t('research.field.organizationsLocked') : undefined}
        field="organizations"
        options={choices}
        chosen={orgs}
        locked={locked}
        onChange={setOrgs}
        error={submit.error}
      />
      {institutions.length > 0 && (
        <CheckGroup legend={t('research.field.projectInstitutions')} field="institutions" options={institutions.map((i) => ({ value: String(i.id), label: i.name }))} chosen={insts} locked={[]} onChange={setInsts} error={submit.error} />
      )}
      <FormEnd submit={submit} done={form.done} stale="research.staleProject" editing={!!editing} onCancel={onCancel} />
    </form>
  );
}

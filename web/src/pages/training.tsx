// /training, /training/courses/:id and /training/report: the GMG's joint training and
// capacity-building catalogue (docs/training.md). Anyone browses courses and sessions (filter
// by topic, audience, language); a signed-in user registers and sees "confirmed" or "wait list
// #n", and cancels; a course's organisers (a co-organiser's focal point, the secretariat) see the
// participants and mark attendance once a session has started. The report counts courses,
// sessions, registrations and attendance per member and per topic, with a CSV download.
// /training/courses/new and /training/courses/:id/edit: the course form (the secretariat, or a
// focal point for a course its organisation co-organises); on a course's page its organisers add
// and edit sessions. The server decides: its errors show beside the fields.
import { useState } from 'preact/hooks';
import { ApiError, api, listAll, query, type Organization } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link, navigate } from '../router';
import { canCreateCourse, isStaff, useSession } from '../session';
import { Checkbox, EmptyState, ErrorBox, Field, Loading, Notice, Paragraphs, RowButton, Select, SubmitCancel, Table, fieldProblem, formatDate, today, useFocusOnError, usePageTitle, useResource, useSubmit } from '../ui';

export const TOPICS = ['migration_management', 'migration_law', 'human_rights_of_migrants', 'refugee_protection', 'counter_trafficking', 'migration_trade_development'] as const;
export const AUDIENCES = ['agency_staff', 'government_officials'] as const;
export type Topic = (typeof TOPICS)[number];
export type Audience = (typeof AUDIENCES)[number];
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];

export interface TrainingSession {
  id: number;
  course_id: number;
  starts_on: string;
  ends_on: string;
  place: { online: boolean; city?: string; country?: string };
  audience: Audience;
  language: string;
  capacity: number;
  registration_deadline: string;
  confirmed: number;
  waitlisted: number;
  seats_left: number;
  attended: number;
  absent: number;
}

export interface TrainingCourse {
  id: number;
  title: string;
  topic: Topic;
  description: string;
  organizers: { id: string; name: string }[];
  sessions: TrainingSession[];
  may_manage: boolean;
}

export interface Registration {
  id: number;
  session_id: number;
  course_id: number;
  name: string;
  email: string;
  organization: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  wait_position: number | null;
  attendance: 'attended' | 'absent' | null;
}

interface ReportLine {
  courses: number;
  sessions: number;
  registrations: number;
  waitlisted: number;
  attended: number;
  absent: number;
  attendance_rate: number | null;
}

interface Report {
  by_organization: (ReportLine & { organization: { id: string; name: string } })[];
  by_topic: (ReportLine & { topic: Topic })[];
}

const coursePath = (id: number | string) => `/training/courses/${encodeURIComponent(String(id))}`;

function place(s: TrainingSession): string {
  return s.place.online ? t('training.online') : t('training.place', { city: s.place.city ?? '', country: s.place.country ?? '' });
}

function dates(s: TrainingSession): string {
  return s.starts_on === s.ends_on ? formatDate(s.starts_on) : t('training.dates', { from: formatDate(s.starts_on), to: formatDate(s.ends_on) });
}

const languageName = (code: string) => {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

export function TrainingCataloguePage() {
  const { user } = useSession();
  const [topic, setTopic] = useState('');
  const [audience, setAudience] = useState('');
  const [language, setLanguage] = useState('');
  const list = useResource(() => listAll<TrainingCourse>(`/training/courses${query({ topic, audience, language })}`), [topic, audience, language]);
  usePageTitle(t('training.title'));
  const items = list.data ?? [];
  const now = today();
  return (
    <section data-testid="training-page">
      <h1>{t('training.title')}</h1>
      <p>{t('training.lede')}</p>
      <p>
        <Link href="/training/report">{t('training.report.title')}</Link>
      </p>
      {canCreateCourse(user) && (
        <p>
          <Link href="/training/courses/new" class="button" data-testid="new-course">
            {t('training.new')}
          </Link>
        </p>
      )}
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('training.filters')}>
        <Select label={t('training.field.topic')} value={topic} onValue={setTopic} options={[{ value: '', label: t('training.any') }, ...TOPICS.map((x) => ({ value: x, label: t(`training.topic.${x}`) }))]} />
        <Select label={t('training.field.audience')} value={audience} onValue={setAudience} options={[{ value: '', label: t('training.any') }, ...AUDIENCES.map((x) => ({ value: x, label: t(`training.audience.${x}`) }))]} />
        <Select label={t('training.field.language')} value={language} onValue={setLanguage} options={[{ value: '', label: t('training.any') }, ...LANGUAGES.map((x) => ({ value: x, label: languageName(x) }))]} />
      </form>
      <ErrorBox error={list.error} />
      {!list.data ? (
        list.error ? null : <Loading what={t('training.loading')} />
      ) : items.length === 0 ? (
        <EmptyState message={t('training.none')} testId="no-courses" />
      ) : (
        <ul class="notif-list" data-testid="courses">
          {items.map((c) => {
            const next = c.sessions.find((s) => s.starts_on >= now);
            return (
              <li key={c.id}>
                <h2>
                  <Link href={coursePath(c.id)}>
                    <bdi>{c.title}</bdi>
                  </Link>
                </h2>
                <p class="meta">
                  <span class="tag">{t(`training.topic.${c.topic}`)}</span> {c.organizers.map((o) => o.name).join(', ')}
                </p>
                <p class="meta">
                  {next ? t('training.nextSession', { when: dates(next), where: place(next) }) : t('training.noUpcoming')} · {t('training.sessionsCount', { count: c.sessions.length, n: formatNumber(c.sessions.length) })}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function TrainingCoursePage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<TrainingCourse>(`/training/courses/${encodeURIComponent(id)}`).then((r) => r.data), [id, user?.id]);
  const mine = useResource(() => (user ? listAll<Registration>('/training/registrations/mine') : Promise.resolve([] as Registration[])), [user?.id]);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState('');
  usePageTitle(res.data?.title ?? t('training.title'));
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <p class="crumbs">
          <Link href="/training">{t('training.title')}</Link>
        </p>
        <h1>{notFound ? t('training.notFound') : t('training.title')}</h1>
        <ErrorBox error={res.error} />
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('training.loading')} />;
  const c = res.data;
  const reload = () => {
    res.reload();
    mine.reload();
  };
  const sessionDone = (message: string) => {
    setAdding(false);
    setDone(message);
    reload();
  };
  return (
    <article data-testid="course-page">
      <p class="crumbs">
        <Link href="/training">{t('training.title')}</Link>
      </p>
      <h1>
        <bdi>{c.title}</bdi>
      </h1>
      <p class="meta">
        <span class="tag">{t(`training.topic.${c.topic}`)}</span> {t('training.organisedBy', { names: c.organizers.map((o) => o.name).join(', ') })}
      </p>
      {c.description && <Paragraphs text={c.description} dir="auto" />}
      {c.may_manage && (
        <p>
          <Link href={`${coursePath(c.id)}/edit`} class="button secondary" data-testid="edit-course">
            {t('training.editCourse')}
          </Link>
        </p>
      )}
      <h2>{t('training.sessions')}</h2>
      {done && <Notice>{done}</Notice>}
      {c.sessions.length === 0 ? (
        <p class="meta">{t('training.noSessions')}</p>
      ) : (
        c.sessions.map((s) => <SessionCard key={s.id} session={s} course={c} mine={(mine.data ?? []).find((r) => r.session_id === s.id)} signedIn={!!user} onChange={reload} onSaved={() => sessionDone(t('training.session.saved'))} />)
      )}
      {c.may_manage &&
        (adding ? (
          <SessionForm course={c} onDone={() => sessionDone(t('training.session.added'))} onCancel={() => setAdding(false)} />
        ) : (
          <button type="button" class="secondary" onClick={() => (setDone(''), setAdding(true))} data-testid="add-session">
            {t('training.addSession')}
          </button>
        ))}
    </article>
  );
}

function SessionCard({ session: s, course, mine, signedIn, onChange, onSaved }: { session: TrainingSession; course: TrainingCourse; mine?: Registration; signedIn: boolean; onChange(): void; onSaved(): void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [showList, setShowList] = useState(false);
  const open = today() <= s.registration_deadline;
  async function run(send: () => Promise<unknown>) {
    setError(null);
    setBusy(true);
    try {
      await send();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" data-testid="session" data-session={s.id} aria-labelledby={`session-${s.id}`}>
      <h3 id={`session-${s.id}`}>{dates(s)}</h3>
      <p class="meta">
        {place(s)} · {t(`training.audience.${s.audience}`)} · {languageName(s.language)}
      </p>
      <p class="meta" data-testid="seats">
        {t('training.seats', { confirmed: formatNumber(s.confirmed), capacity: formatNumber(s.capacity) })}
        {s.waitlisted > 0 && <> · {t('training.waiting', { n: formatNumber(s.waitlisted) })}</>} · {t('training.deadline', { date: formatDate(s.registration_deadline) })}
      </p>
      {mine ? (
        <p data-testid="my-registration">
          <strong>{mine.status === 'confirmed' ? t('training.status.confirmed') : t('training.status.waitlisted', { n: formatNumber(mine.wait_position ?? 0) })}</strong>{' '}
          {today() < s.starts_on && (
            <button type="button" class="secondary small" disabled={busy} onClick={() => run(() => api.del(`/training/registrations/${mine.id}`))}>
              {t('training.cancel')}
            </button>
          )}
        </p>
      ) : signedIn ? (
        open ? (
          <button type="button" disabled={busy} onClick={() => run(() => api.post(`/training/sessions/${s.id}/registrations`, {}))} data-testid="register">
            {s.seats_left > 0 ? t('training.register') : t('training.joinWaitList')}
          </button>
        ) : (
          <p class="meta">{t('training.closed')}</p>
        )
      ) : (
        <p class="meta">
          <Link href="/signin">{t('training.signInToRegister')}</Link>
        </p>
      )}
      <ErrorBox error={error} />
      {course.may_manage && (
        <>
          <button type="button" class="secondary small" aria-expanded={showList} onClick={() => setShowList(!showList)}>
            {t('training.participants')}
          </button>{' '}
          {!editing && <RowButton label={t('training.editSession')} what={dates(s)} onClick={() => setEditing(true)} />}
          {showList && <Participants session={s} onChange={onChange} />}
          {editing && (
            <SessionForm
              course={course}
              session={s}
              onDone={() => {
                setEditing(false);
                onSaved();
              }}
              onCancel={() => setEditing(false)}
            />
          )}
        </>
      )}
    </section>
  );
}

function Participants({ session: s, onChange }: { session: TrainingSession; onChange(): void }) {
  const list = useResource(() => listAll<Registration>(`/training/sessions/${s.id}/registrations`), [s.id]);
  const [marks, setMarks] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const started = today() >= s.starts_on;
  const items = list.data ?? [];
  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const body = Object.entries(marks).map(([id, attendance]) => ({ registration: Number(id), attendance }));
    try {
      await api.put(`/training/sessions/${s.id}/attendance`, { marks: body });
      setSaved(true);
      list.reload();
      onChange();
    } catch (err) {
      setError(err);
    }
  }
  if (!list.data) return list.error ? <ErrorBox error={list.error} /> : <Loading what={t('training.loading')} />;
  if (items.length === 0) return <p class="meta">{t('training.noParticipants')}</p>;
  return (
    <form onSubmit={save} data-testid="participants">
      <Table columns={[t('training.col.name'), t('training.col.email'), t('training.col.organization'), t('training.col.status'), t('training.col.attendance')]} compact label={t('training.participants')}>
        {items.map((r) => (
          <tr key={r.id}>
            <td>
              <bdi>{r.name}</bdi>
            </td>
            <td>
              <bdi>{r.email}</bdi>
            </td>
            <td>
              <bdi>{r.organization}</bdi>
            </td>
            <td>{r.status === 'confirmed' ? t('training.status.confirmed') : t('training.status.waitlisted', { n: formatNumber(r.wait_position ?? 0) })}</td>
            <td>
              {r.status === 'confirmed' && started ? (
                <select aria-label={t('training.attendanceOf', { name: r.name })} value={marks[r.id] ?? r.attendance ?? ''} onChange={(e) => setMarks({ ...marks, [r.id]: (e.currentTarget as HTMLSelectElement).value })}>
                  <option value="" disabled>
                    {t('training.attendance.unmarked')}
                  </option>
                  <option value="attended">{t('training.attendance.attended')}</option>
                  <option value="absent">{t('training.attendance.absent')}</option>
                </select>
              ) : r.attendance ? (
                t(`training.attendance.${r.attendance}`)
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </Table>
      {started ? (
        <button type="submit" disabled={Object.keys(marks).length === 0} data-testid="save-attendance">
          {t('training.saveAttendance')}
        </button>
      ) : (
        <p class="meta">{t('training.attendanceLater')}</p>
      )}
      <ErrorBox error={error} />
      {saved && <Notice>{t('training.attendanceSaved')}</Notice>}
    </form>
  );
}

/** /training/courses/new (no `id`) and /training/courses/:id/edit. */
export function CourseFormPage({ id }: { id?: string }) {
  const { user } = useSession();
  const existing = useResource(
    () => (id ? api.get<TrainingCourse>(`/training/courses/${encodeURIComponent(id)}`).then((r) => ({ course: r.data, etag: r.etag })) : Promise.resolve(null)),
    [id, user?.id],
  );
  const members = useResource(() => listAll<Organization>('/organizations'), []);
  usePageTitle(id ? t('training.form.editTitle') : t('training.form.newTitle'));
  if (id && !existing.data) return existing.error ? <ErrorBox error={existing.error} /> : <Loading what={t('training.loading')} />;
  const loaded = existing.data ?? null;
  if (loaded && !loaded.course.may_manage) {
    return (
      <section>
        <h1>{t('shell.notAvailable')}</h1>
        <p>{t('training.form.notManager')}</p>
        <p>
          <Link href={coursePath(loaded.course.id)}>{loaded.course.title}</Link>
        </p>
      </section>
    );
  }
  const current = (members.data ?? []).filter((o) => o.status !== 'former').map((o) => ({ id: o.id, name: o.name }));
  const extra = (loaded?.course.organizers ?? []).filter((o) => !current.some((m) => m.id === o.id));
  return <CourseForm key={loaded ? `${loaded.course.id}:${loaded.etag}` : 'new'} loaded={loaded} members={[...current, ...extra]} ownOrg={isStaff(user) ? '' : (user?.organization_id ?? '')} />;
}

function CourseForm({ loaded, members, ownOrg }: { loaded: { course: TrainingCourse; etag: string | null } | null; members: { id: string; name: string }[]; ownOrg: string }) {
  const c = loaded?.course;
  const [title, setTitle] = useState(c?.title ?? '');
  const [topic, setTopic] = useState<string>(c?.topic ?? '');
  const [description, setDescription] = useState(c?.description ?? '');
  const [organizers, setOrganizers] = useState<string[]>(c ? c.organizers.map((o) => o.id) : ownOrg ? [ownOrg] : []);
  const submit = useSubmit(async () => {
    const body = { title, topic, description, organizers };
    const r = c ? await api.patch<TrainingCourse>(`/training/courses/${c.id}`, body, loaded?.etag ?? null) : await api.post<TrainingCourse>('/training/courses', body);
    navigate(coursePath(r.data.id));
  });
  const ref = useFocusOnError(submit.error);
  const orgProblem = fieldProblem(submit.error, 'organizers');
  const cancel = () => navigate(c ? coursePath(c.id) : '/training');
  return (
    <section>
      <p class="crumbs">
        <Link href="/training">{t('training.title')}</Link>
      </p>
      <h1 id="course-form-h">{c ? t('training.form.editTitle') : t('training.form.newTitle')}</h1>
      <form onSubmit={submit.onSubmit} ref={ref} data-testid="course-form" aria-labelledby="course-form-h">
        <ErrorBox error={submit.error} title={t('training.form.notSaved')} />
        <Field label={t('training.form.title')} value={title} onValue={setTitle} field="title" error={submit.error} required maxLength={300} />
        <Select label={t('training.field.topic')} value={topic} onValue={setTopic} field="topic" error={submit.error} required options={[...(c ? [] : [{ value: '', label: t('training.form.choose') }]), ...TOPICS.map((x) => ({ value: x, label: t(`training.topic.${x}`) }))]} />
        <Field label={t('training.form.description')} value={description} onValue={setDescription} field="description" error={submit.error} multiline rows={5} maxLength={20000} />
        <fieldset class="checks" aria-invalid={orgProblem ? true : undefined} aria-describedby={`course-org-hint${orgProblem ? ' course-org-err' : ''}`} data-testid="organizers">
          <legend>
            {t('training.form.organizers')}{' '}
            <span class="req" aria-hidden="true">
              *
            </span>
          </legend>
          <p id="course-org-hint" class="hint">
            {t('training.form.organizersHint')}
          </p>
          <div class="check-grid">
            {members.map((o) => (
              <label key={o.id} class="check-item">
                <input type="checkbox" name="organizers" value={o.id} checked={organizers.includes(o.id)} onChange={(e) => setOrganizers((e.currentTarget as HTMLInputElement).checked ? [...organizers, o.id] : organizers.filter((x) => x !== o.id))} />{' '}
                <bdi>{o.name}</bdi>
              </label>
            ))}
          </div>
          {orgProblem && (
            <small id="course-org-err" class="field-error">
              {orgProblem}
            </small>
          )}
        </fieldset>
        <SubmitCancel label={c ? t('training.form.save') : t('training.form.create')} busy={submit.busy} saving onCancel={cancel} />
      </form>
    </section>
  );
}

/** Adds a session to `course`, or edits `session`: on the course's page, for its organisers. */
function SessionForm({ course, session: s, onDone, onCancel }: { course: TrainingCourse; session?: TrainingSession; onDone(): void; onCancel(): void }) {
  const [startsOn, setStartsOn] = useState(s?.starts_on ?? '');
  const [endsOn, setEndsOn] = useState(s?.ends_on ?? '');
  const [deadline, setDeadline] = useState(s?.registration_deadline ?? '');
  const [online, setOnline] = useState(s?.place.online ?? false);
  const [city, setCity] = useState(s?.place.city ?? '');
  const [country, setCountry] = useState(s?.place.country ?? '');
  const [audience, setAudience] = useState<string>(s?.audience ?? AUDIENCES[0]);
  const [language, setLanguage] = useState(s?.language ?? 'en');
  const [capacity, setCapacity] = useState(s ? String(s.capacity) : '');
  const submit = useSubmit(async () => {
    const body = {
      starts_on: startsOn,
      ends_on: endsOn,
      registration_deadline: deadline,
      online,
      city: online ? '' : city.trim(),
      country: online ? '' : country.trim().toUpperCase(),
      audience,
      language,
      capacity: Number(capacity),
    };
    if (s) await api.patch(`/training/sessions/${s.id}`, body, null);
    else await api.post(`/training/courses/${course.id}/sessions`, body);
    onDone();
  });
  const ref = useFocusOnError(submit.error);
  const heading = s ? t('training.session.editTitle', { dates: dates(s) }) : t('training.session.newTitle');
  const headingId = `session-form-${s?.id ?? 'new'}`;
  const languages = LANGUAGES.includes(language) ? LANGUAGES : [...LANGUAGES, language];
  return (
    <form class="card" onSubmit={submit.onSubmit} ref={ref} data-testid="session-form" aria-labelledby={headingId}>
      {s ? <h4 id={headingId}>{heading}</h4> : <h3 id={headingId}>{heading}</h3>}
      <ErrorBox error={submit.error} title={t('training.session.notSaved')} />
      <fieldset class="checks">
        <legend>{t('training.session.when')}</legend>
        <Field label={t('training.session.startsOn')} type="date" value={startsOn} onValue={setStartsOn} field="starts_on" error={submit.error} required />
        <Field label={t('training.session.endsOn')} type="date" value={endsOn} onValue={setEndsOn} field="ends_on" error={submit.error} required />
        <Field label={t('training.session.deadline')} type="date" value={deadline} onValue={setDeadline} field="registration_deadline" error={submit.error} required hint={t('training.session.deadlineHint')} />
      </fieldset>
      <fieldset class="checks">
        <legend>{t('training.session.where')}</legend>
        <Checkbox label={t('training.session.online')} checked={online} onValue={setOnline} />
        {!online && (
          <>
            <Field label={t('training.session.city')} value={city} onValue={setCity} field="city" error={submit.error} required maxLength={100} />
            <Field label={t('training.session.country')} value={country} onValue={setCountry} field="country" error={submit.error} required maxLength={3} hint={t('training.session.countryHint')} />
          </>
        )}
      </fieldset>
      <Select label={t('training.field.audience')} value={audience} onValue={setAudience} field="audience" error={submit.error} required options={AUDIENCES.map((x) => ({ value: x, label: t(`training.audience.${x}`) }))} />
      <Select label={t('training.field.language')} value={language} onValue={setLanguage} field="language" error={submit.error} required options={languages.map((x) => ({ value: x, label: languageName(x) }))} />
      <Field label={t('training.session.capacity')} type="number" min="1" max="10000" value={capacity} onValue={setCapacity} field="capacity" error={submit.error} required hint={t('training.session.capacityHint')} />
      <SubmitCancel label={s ? t('training.session.save') : t('training.session.add')} busy={submit.busy} saving onCancel={onCancel} />
    </form>
  );
}

const rate = (r: number | null) => (r === null ? '—' : formatNumber(r, { style: 'percent', maximumFractionDigits: 0 }));

function ReportRow({ name, line }: { name: string; line: ReportLine }) {
  return (
    <tr>
      <th scope="row">
        <bdi>{name}</bdi>
      </th>
      <td>{formatNumber(line.courses)}</td>
      <td>{formatNumber(line.sessions)}</td>
      <td>{formatNumber(line.registrations)}</td>
      <td>{formatNumber(line.waitlisted)}</td>
      <td>{rate(line.attendance_rate)}</td>
    </tr>
  );
}

export function TrainingReportPage() {
  const res = useResource(() => api.get<Report>('/training/report').then((r) => r.data), []);
  usePageTitle(t('training.report.title'));
  const columns = [t('training.report.courses'), t('training.report.sessions'), t('training.report.registrations'), t('training.report.waitlisted'), t('training.report.rate')];
  return (
    <section data-testid="training-report">
      <p class="crumbs">
        <Link href="/training">{t('training.title')}</Link>
      </p>
      <h1>{t('training.report.title')}</h1>
      <p>
        <a href="/api/v1/training/report?format=csv" download="training-report.csv">
          {t('training.report.csv')}
        </a>
      </p>
      <ErrorBox error={res.error} />
      {!res.data ? (
        res.error ? null : <Loading what={t('training.loading')} />
      ) : (
        <>
          <h2>{t('training.report.byOrganization')}</h2>
          {res.data.by_organization.length === 0 ? (
            <p class="meta">{t('training.none')}</p>
          ) : (
            <Table columns={[t('training.report.organization'), ...columns]} compact testId="report-orgs" label={t('training.report.byOrganization')}>
              {res.data.by_organization.map((l) => (
                <ReportRow key={l.organization.id} name={l.organization.name} line={l} />
              ))}
            </Table>
          )}
          <h2>{t('training.report.byTopic')}</h2>
          <Table columns={[t('training.field.topic'), ...columns]} compact testId="report-topics" label={t('training.report.byTopic')}>
            {res.data.by_topic.map((l) => (
              <ReportRow key={l.topic} name={t(`training.topic.${l.topic}`)} line={l} />
            ))}
          </Table>
        </>
      )}
    </section>
  );
}

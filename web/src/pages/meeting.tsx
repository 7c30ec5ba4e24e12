// /meetings/:id: one meeting — when (in its zone and the reader's), where, who chairs, its
// status (staff postpone, cancel or mark it held), the agenda (staff add, reorder and edit items),
// papers (uploaded with progress, or links), attendance (each organisation's focal point edits its
// own rows), minutes (meeting-minutes.tsx), decisions and the actions agreed.
import { useState } from 'preact/hooks';
import { api, listAll, type About, type Organization } from '../api';
import { t } from '../i18n';
import { formatMebibytes, formatNumber } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, RowButton, Select, SubmitCancel, usePageTitle, useResource, useSubmit } from '../ui';
import { InRecords } from '../lang-text';
import {
  ATTENDANCE_LEVELS,
  MAX_PAPER_BYTES,
  PAPER_ACCEPT,
  UploadError,
  canEditAttendance,
  canPlan,
  canUploadPaper,
  formatInZone,
  loadActions,
  loadAgenda,
  loadAttendance,
  loadDecisions,
  loadMeeting,
  paperSize,
  paperTypeAllowed,
  seesInternals,
  uploadPaper,
  viewerZone,
  type AgendaItem,
  type AttendanceLevel,
  type AttendanceRow,
  type Meeting,
  type Paper,
} from '../meetings';
import { StatusBadge } from './meetings';
import { MinutesPanel } from './meeting-minutes';
import { ActionsTable, NewActionForm } from './actions';

export function MeetingPage({ id }: { id: string }) {
  const meeting = useResource(() => loadMeeting(id), [id]);
  const { user } = useSession();
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  usePageTitle(meeting.data?.title ?? t('meetings.title'));
  if (meeting.error && !meeting.data) {
    return (
      <section>
        <p class="crumbs">
          <Link href="/meetings">{t('meetings.title')}</Link>
        </p>
        <h1>{t('meetings.notFound')}</h1>
        <ErrorBox error={meeting.error} />
      </section>
    );
  }
  if (!meeting.data) return <Loading what={t('meetings.loadingOne')} />;
  const m = meeting.data;
  const internals = seesInternals(user);
  return (
    <section class="meeting" data-testid="meeting">
      <p class="crumbs">
        <Link href="/meetings">{t('meetings.title')}</Link>
        {m.series && (
          <>
            {' › '}
            <Link href={`/meetings?series=${m.series.id}`}>
              <InRecords>{m.series.name}</InRecords>
            </Link>
          </>
        )}
      </p>
      <h1>
        <InRecords>{m.title}</InRecords>
      </h1>
      <Facts m={m} />
      {canPlan(user) && <StatusFlow m={m} onChange={meeting.reload} />}
      <Agenda m={m} orgs={orgs.data ?? []} />
      {internals && <Attendance m={m} orgs={orgs.data ?? []} />}
      <MinutesPanel meetingId={m.id} />
      <Decisions m={m} />
      {internals && <MeetingActions m={m} orgs={orgs.data ?? []} />}
    </section>
  );
}

function Facts({ m }: { m: Meeting }) {
  const zone = viewerZone();
  return (
    <dl class="facts" data-testid="meeting-facts">
      <dt>{t('meetings.field.status')}</dt>
      <dd>
        <StatusBadge status={m.status} />
        {m.postponed_to && (
          <>
            {' '}
            <Link href={`/meetings/${m.postponed_to}`} data-testid="postponed-to">
              {t('meetings.postponedTo')}
            </Link>
          </>
        )}
      </dd>
      <dt>{t('meetings.field.when')}</dt>
      <dd data-testid="meeting-when">
        <time dateTime={m.starts_at}>{formatInZone(m.starts_at, m.time_zone)}</time> – {formatInZone(m.ends_at, m.time_zone)} <span class="meta">({m.time_zone})</span>
      </dd>
      {zone !== m.time_zone && (
        <>
          <dt>{t('meetings.field.yourTime')}</dt>
          <dd data-testid="meeting-when-viewer">
            {formatInZone(m.starts_at, zone)} – {formatInZone(m.ends_at, zone)} <span class="meta">({zone})</span>
          </dd>
        </>
      )}
      {m.place && (
        <>
          <dt>{t('meetings.field.place')}</dt>
          <dd>
            <InRecords>{m.place}</InRecords>
          </dd>
        </>
      )}
      {m.link && (
        <>
          <dt>{t('meetings.field.link')}</dt>
          <dd>
            <a href={m.link} rel="noopener noreferrer" dir="ltr">
              {m.link}
            </a>
          </dd>
        </>
      )}
      <dt>{t('meetings.field.chair')}</dt>
      <dd data-testid="meeting-chair">
        <Link href={`/members/${encodeURIComponent(m.chair.id)}`}>
          <InRecords>{m.chair.name}</InRecords>
        </Link>
        {m.chair_from_rotation && <span class="meta"> {t('meetings.chairFromRotation')}</span>}
      </dd>
    </dl>
  );
}

/** Staff: mark held, cancel, or postpone to a new date (the server creates the new meeting). */
function StatusFlow({ m, onChange }: { m: Meeting; onChange(): void }) {
  const [mode, setMode] = useState<'' | 'postpone' | 'cancel'>('');
  const [starts, setStarts] = useState(m.starts_local);
  const [ends, setEnds] = useState(m.ends_local);
  const [done, setDone] = useState('');
  const submit = useSubmit(async () => {
    if (mode === 'postpone') {
      await api.patch<Meeting>(`/meetings/${m.id}`, { status: 'postponed', starts_local: starts, ends_local: ends }, m.etag);
      setDone(t('meetings.postponed'));
    } else if (mode === 'cancel') {
      await api.patch<Meeting>(`/meetings/${m.id}`, { status: 'cancelled' }, m.etag);
      setDone(t('meetings.cancelled'));
    }
    setMode('');
    onChange();
  });
  const held = useSubmit(async () => {
    await api.patch<Meeting>(`/meetings/${m.id}`, { status: 'held' }, m.etag);
    setDone(t('meetings.markedHeld'));
    onChange();
  });
  if (m.status !== 'planned') return done ? <Notice>{done}</Notice> : null;
  return (
    <section aria-labelledby="status-flow-h" class="panel">
      <h2 id="status-flow-h">{t('meetings.statusFlow')}</h2>
      {done && <Notice>{done}</Notice>}
      <ErrorBox error={submit.error || held.error} />
      {mode === '' && (
        <p class="actions-row">
          <button type="button" class="secondary" onClick={held.onSubmit} disabled={held.busy}>
            {t('meetings.markHeld')}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setMode('postpone')} data-testid="postpone">
            {t('meetings.postpone')}
          </button>{' '}
          <button type="button" class="danger" onClick={() => setMode('cancel')} data-testid="cancel-meeting">
            {t('meetings.cancel')}
          </button>
        </p>
      )}
      {mode !== '' && (
        <form onSubmit={submit.onSubmit}>
          {mode === 'postpone' ? (
            <>
              <p>{t('meetings.postponeLede')}</p>
              <Field label={t('meetings.field.startsLocal')} type="datetime-local" value={starts} onValue={setStarts} field="starts_local" error={submit.error} required />
              <Field label={t('meetings.field.endsLocal')} type="datetime-local" value={ends} onValue={setEnds} field="ends_local" error={submit.error} required />
            </>
          ) : (
            <p>{t('meetings.cancelConfirm')}</p>
          )}
          <SubmitCancel label={mode === 'postpone' ? t('meetings.postpone') : t('meetings.cancel')} busy={submit.busy} onCancel={() => setMode('')} />
        </form>
      )}
    </section>
  );
}

// ---- Agenda and papers ----

function Agenda({ m, orgs }: { m: Meeting; orgs: Organization[] }) {
  const { user } = useSession();
  const agenda = useResource(() => loadAgenda(String(m.id)), [m.id]);
  const internals = seesInternals(user);
  const papers = useResource(() => (internals ? api.get<{ items: Paper[] }>(`/meetings/${m.id}/papers`).then((r) => r.data.items) : Promise.resolve([] as Paper[])), [m.id, internals]);
  const [editing, setEditing] = useState<number | null>(null);
  const [orderError, setOrderError] = useState<unknown>(null);
  const staff = canPlan(user);
  const open = m.status !== 'cancelled';
  const items = [...(agenda.data ?? [])].sort((a, b) => a.position - b.position);
  const loose = (papers.data ?? []).filter((p) => !items.some((i) => i.papers.some((q) => q.id === p.id)));

  async function move(index: number, delta: number) {
    const ids = items.map((i) => i.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + delta, 0, id);
    setOrderError(null);
    try {
      await api.post(`/meetings/${m.id}/agenda/order`, { ids });
      agenda.reload();
    } catch (e) {
      setOrderError(e);
    }
  }
  const reload = () => {
    agenda.reload();
    papers.reload();
  };

  return (
    <section aria-labelledby="agenda-h" data-testid="agenda">
      <h2 id="agenda-h">{t('meetings.agenda.heading')}</h2>
      <ErrorBox error={agenda.error || orderError} />
      {!agenda.data && !agenda.error && <Loading />}
      {agenda.data && items.length === 0 && <EmptyState testId="no-agenda" message={t('meetings.agenda.empty')} />}
      <ol class="agenda" data-testid="agenda-items">
        {items.map((item, i) => (
          <li key={item.id} data-agenda-item={item.id}>
            {editing === item.id ? (
              <AgendaItemForm m={m} orgs={orgs} item={item} onDone={() => (setEditing(null), reload())} />
            ) : (
              <>
                <h3 class="agenda-title">
                  <InRecords>{item.title}</InRecords>
                </h3>
                <p class="meta">
                  {item.presenter && (
                    <>
                      {t('meetings.agenda.presenter')} <InRecords>{item.presenter.name}</InRecords>
                    </>
                  )}
                  {item.purposes.length > 0 && <> · {t('meetings.agenda.purposes', { list: item.purposes.map((p) => formatNumber(p)).join(', ') })}</>}
                </p>
                {item.notes && (
                  <p>
                    <InRecords>{item.notes}</InRecords>
                  </p>
                )}
                <PaperList papers={item.papers} meeting={m} canDelete={staff} onChange={reload} />
                {staff && open && (
                  <p class="actions-row">
                    <RowButton label={t('meetings.agenda.up')} what={item.title} onClick={() => i > 0 && move(i, -1)} />
                    <RowButton label={t('meetings.agenda.down')} what={item.title} onClick={() => i < items.length - 1 && move(i, 1)} />
                    <RowButton label={t('meetings.agenda.edit')} what={item.title} onClick={() => setEditing(item.id)} />
                  </p>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
      {loose.length > 0 && (
        <>
          <h3>{t('meetings.papers.other')}</h3>
          <PaperList papers={loose} meeting={m} canDelete={staff} onChange={reload} />
        </>
      )}
      {staff && open && editing === null && <AgendaItemForm m={m} orgs={orgs} onDone={reload} />}
      {open && (staff || items.some((i) => canUploadPaper(user, i.presenter?.id))) && <PaperForm m={m} items={items.filter((i) => canUploadPaper(user, i.presenter?.id))} allowLoose={staff} onDone={reload} />}
    </section>
  );
}

function AgendaItemForm({ m, orgs, item, onDone }: { m: Meeting; orgs: Organization[]; item?: AgendaItem; onDone(): void }) {
  const about = useResource(() => api.get<About>('/about').then((r) => r.data), []);
  const [title, setTitle] = useState(item?.title ?? '');
  const [presenter, setPresenter] = useState(item?.presenter?.id ?? '');
  const [purposes, setPurposes] = useState<number[]>(item?.purposes ?? []);
  const [notes, setNotes] = useState(item?.notes ?? '');
  const submit = useSubmit(async () => {
    const body = { title, presenter_org: presenter || null, purposes, notes };
    if (item) await api.patch(`/meetings/${m.id}/agenda/${item.id}`, body, null);
    else await api.post(`/meetings/${m.id}/agenda`, body);
    if (!item) {
      setTitle('');
      setNotes('');
      setPurposes([]);
      setPresenter('');
    }
    onDone();
  });
  return (
    <form onSubmit={submit.onSubmit} class="panel" aria-labelledby={item ? undefined : 'agenda-new-h'} aria-label={item ? t('meetings.agenda.editItem') : undefined} data-testid={item ? 'agenda-edit' : 'agenda-new'}>
      {!item && <h3 id="agenda-new-h">{t('meetings.agenda.add')}</h3>}
      <ErrorBox error={submit.error} />
      <Field label={t('meetings.agenda.title')} value={title} onValue={setTitle} field="title" error={submit.error} required maxLength={300} />
      <Select label={t('meetings.agenda.presenterOrg')} value={presenter} onValue={setPresenter} field="presenter_org" error={submit.error} options={[{ value: '', label: t('meetings.agenda.noPresenter') }, ...orgs.map((o) => ({ value: o.id, label: o.acronym || o.name }))]} />
      {about.data && about.data.purposes.length > 0 && (
        <fieldset class="checks">
          <legend>{t('meetings.agenda.purposesLegend')}</legend>
          {about.data.purposes.map((p) => (
            <label key={p.number} class="check-item">
              <input type="checkbox" checked={purposes.includes(p.number)} onChange={(e) => setPurposes((e.currentTarget as HTMLInputElement).checked ? [...purposes, p.number].sort((a, b) => a - b) : purposes.filter((x) => x !== p.number))} /> {formatNumber(p.number)}. <InRecords>{p.title}</InRecords>
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t('meetings.agenda.notes')} value={notes} onValue={setNotes} field="notes" error={submit.error} multiline rows={3} />
      <SubmitCancel label={item ? t('meetings.save') : t('meetings.agenda.addButton')} busy={submit.busy} onCancel={onDone} />
    </form>
  );
}

function PaperList({ papers, meeting, canDelete, onChange }: { papers: Paper[]; meeting: Meeting; canDelete: boolean; onChange(): void }) {
  const [error, setError] = useState<unknown>(null);
  if (papers.length === 0) return null;
  return (
    <>
      <ErrorBox error={error} />
      <ul class="papers" data-testid="papers">
        {papers.map((p) => (
          <li key={p.id}>
            <a href={p.url || p.href} rel={p.url ? 'noopener noreferrer' : undefined} download={p.url ? undefined : p.file_name}>
              <InRecords>{p.title}</InRecords>
            </a>{' '}
            <span class="meta">{p.url ? t('meetings.papers.link') : `${p.file_name} · ${paperSize(p.size)}`}</span>{' '}
            {canDelete && (
              <RowButton
                label={t('meetings.papers.remove')}
                what={p.title}
                kind="danger"
                onClick={async () => {
                  if (!confirm(t('meetings.papers.removeConfirm', { title: p.title }))) return;
                  setError(null);
                  try {
                    await api.del(`/meetings/${meeting.id}/papers/${p.id}`);
                    onChange();
                  } catch (e) {
                    setError(e);
                  }
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Upload a file (with progress; size and type checked here first, by content on the server) or add a link. */
function PaperForm({ m, items, allowLoose, onDone }: { m: Meeting; items: AgendaItem[]; allowLoose: boolean; onDone(): void }) {
  const [kind, setKind] = useState<'file' | 'link'>('file');
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [item, setItem] = useState(allowLoose ? '' : String(items[0]?.id ?? ''));
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const submit = useSubmit(async () => {
    setProblem('');
    setNotice('');
    const agendaItem = item ? Number(item) : null;
    if (kind === 'link') {
      await api.post(`/meetings/${m.id}/papers`, { title, url, agenda_item_id: agendaItem });
      setUrl('');
    } else {
      if (!file) return setProblem(t('meetings.papers.chooseFile'));
      if (file.size > MAX_PAPER_BYTES) return setProblem(t('meetings.papers.tooLarge', { size: formatMebibytes(file.size), max: formatMebibytes(MAX_PAPER_BYTES) }));
      if (!paperTypeAllowed(file.name)) return setProblem(t('meetings.papers.badType', { name: file.name }));
      setProgress(0);
      try {
        await uploadPaper(m.id, file, title || file.name, agendaItem, setProgress);
      } catch (e) {
        if (e instanceof UploadError) {
          const msg = e.status === 415 ? t('meetings.papers.badType', { name: file.name }) : e.status === 413 ? t('meetings.papers.tooLarge', { size: formatMebibytes(file.size), max: formatMebibytes(MAX_PAPER_BYTES) }) : e.message || t('meetings.papers.failed', { status: e.status });
          setProblem(msg);
          return;
        }
        throw e;
      } finally {
        setProgress(null);
      }
      setFile(null);
      (document.getElementById('paper-file') as HTMLInputElement | null)?.value && ((document.getElementById('paper-file') as HTMLInputElement).value = '');
    }
    setTitle('');
    setNotice(t('meetings.papers.added'));
    onDone();
  });
  return (
    <form onSubmit={submit.onSubmit} class="panel" aria-labelledby="paper-h" data-testid="paper-form">
      <h3 id="paper-h">{t('meetings.papers.add')}</h3>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={submit.error} />
      {problem && (
        <p class="error" role="alert" data-testid="paper-problem">
          {problem}
        </p>
      )}
      <fieldset class="checks">
        <legend>{t('meetings.papers.kind')}</legend>
        <label class="check-item">
          <input type="radio" name="paper-kind" checked={kind === 'file'} onChange={() => setKind('file')} /> {t('meetings.papers.kindFile')}
        </label>
        <label class="check-item">
          <input type="radio" name="paper-kind" checked={kind === 'link'} onChange={() => setKind('link')} /> {t('meetings.papers.kindLink')}
        </label>
      </fieldset>
      <Select label={t('meetings.papers.item')} value={item} onValue={setItem} field="agenda_item_id" error={submit.error} options={[...(allowLoose ? [{ value: '', label: t('meetings.papers.noItem') }] : []), ...items.map((i) => ({ value: String(i.id), label: i.title }))]} />
      <Field label={t('meetings.papers.title')} value={title} onValue={setTitle} field="title" error={submit.error} required={kind === 'link'} hint={kind === 'file' ? t('meetings.papers.titleHint') : undefined} />
      {kind === 'link' ? (
        <Field label={t('meetings.papers.url')} type="url" value={url} onValue={setUrl} field="url" error={submit.error} required />
      ) : (
        <div class="field">
          <label for="paper-file">{t('meetings.papers.file')}</label>
          <input id="paper-file" type="file" accept={PAPER_ACCEPT} aria-describedby="paper-file-hint" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
          <span id="paper-file-hint" class="hint">
            {t('meetings.papers.fileHint', { max: formatMebibytes(MAX_PAPER_BYTES) })}
          </span>
        </div>
      )}
      {progress !== null && (
        <p>
          <label for="paper-progress">{t('meetings.papers.uploading')}</label> <progress id="paper-progress" max={1} value={progress} data-testid="paper-progress" />
        </p>
      )}
      <button type="submit" disabled={submit.busy}>
        {kind === 'file' ? t('meetings.papers.upload') : t('meetings.papers.addLink')}
      </button>
    </form>
  );
}

// ---- Attendance ----

function Attendance({ m, orgs }: { m: Meeting; orgs: Organization[] }) {
  const { user } = useSession();
  const rows = useResource(() => loadAttendance(String(m.id)), [m.id]);
  const editable = orgs.filter((o) => canEditAttendance(user, o.id));
  const [org, setOrg] = useState('');
  const chosen = org || (editable.length === 1 ? editable[0].id : '');
  const byOrg = new Map<string, AttendanceRow[]>();
  for (const r of rows.data ?? []) byOrg.set(r.organization.id, [...(byOrg.get(r.organization.id) ?? []), r]);
  return (
    <section aria-labelledby="attendance-h" data-testid="attendance">
      <h2 id="attendance-h">{t('meetings.attendance.heading')}</h2>
      <ErrorBox error={rows.error} />
      {rows.data && rows.data.length === 0 && <EmptyState testId="no-attendance" message={t('meetings.attendance.empty')} />}
      {rows.data && rows.data.length > 0 && (
        <ul class="attendance">
          {[...byOrg.entries()].map(([id, people]) => (
            <li key={id}>
              <strong>
                <InRecords>{people[0].organization.name}</InRecords>
              </strong>
              :{' '}
              {people.map((p, i) => (
                <span key={p.person}>
                  {i > 0 && ', '}
                  <bdi>{p.person}</bdi> <span class="meta">({t(`meetings.attendance.level.${p.level}`)})</span>
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
      {editable.length > 0 && m.status !== 'cancelled' && (
        <div class="panel">
          <h3>{t('meetings.attendance.edit')}</h3>
          {editable.length > 1 && <Select label={t('meetings.attendance.organization')} value={chosen} onValue={setOrg} options={[{ value: '', label: t('meetings.attendance.choose') }, ...editable.map((o) => ({ value: o.id, label: o.acronym || o.name }))]} />}
          {chosen && <AttendanceForm key={chosen} m={m} org={chosen} rows={byOrg.get(chosen) ?? []} onDone={rows.reload} />}
        </div>
      )}
    </section>
  );
}

function AttendanceForm({ m, org, rows, onDone }: { m: Meeting; org: string; rows: AttendanceRow[]; onDone(): void }) {
  const [people, setPeople] = useState<{ person: string; level: AttendanceLevel }[]>(rows.length ? rows.map((r) => ({ person: r.person, level: r.level })) : [{ person: '', level: 'working' }]);
  const [saved, setSaved] = useState(false);
  const submit = useSubmit(async () => {
    setSaved(false);
    await api.put(`/meetings/${m.id}/attendance`, { organization_id: org, people: people.filter((p) => p.person.trim()) });
    setSaved(true);
    onDone();
  });
  const update = (i: number, p: Partial<{ person: string; level: AttendanceLevel }>) => setPeople(people.map((x, j) => (j === i ? { ...x, ...p } : x)));
  return (
    <form onSubmit={submit.onSubmit} data-testid="attendance-form">
      {saved && <Notice>{t('meetings.attendance.saved')}</Notice>}
      <ErrorBox error={submit.error} />
      {people.map((p, i) => (
        <div class="row" key={i}>
          <Field label={t('meetings.attendance.person', { n: i + 1 })} value={p.person} onValue={(v) => update(i, { person: v })} />
          <Select label={t('meetings.attendance.levelLabel', { n: i + 1 })} value={p.level} onValue={(v) => update(i, { level: v as AttendanceLevel })} options={ATTENDANCE_LEVELS.map((l) => ({ value: l, label: t(`meetings.attendance.level.${l}`) }))} />
        </div>
      ))}
      <p class="actions-row">
        <button type="button" class="secondary small" onClick={() => setPeople([...people, { person: '', level: 'working' }])}>
          {t('meetings.attendance.addPerson')}
        </button>{' '}
        <button type="submit" disabled={submit.busy}>
          {t('meetings.attendance.save')}
        </button>
      </p>
    </form>
  );
}

// ---- Decisions and actions ----

function Decisions({ m }: { m: Meeting }) {
  const { user } = useSession();
  const decisions = useResource(() => loadDecisions(String(m.id)), [m.id]);
  const agenda = useResource(() => loadAgenda(String(m.id)), [m.id]);
  const [text, setText] = useState('');
  const [item, setItem] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`/meetings/${m.id}/decisions`, { text, agenda_item_id: item ? Number(item) : null });
    setText('');
    decisions.reload();
  });
  const titleOf = (id: number | null) => agenda.data?.find((a) => a.id === id)?.title;
  return (
    <section aria-labelledby="decisions-h" data-testid="decisions">
      <h2 id="decisions-h">{t('meetings.decisions.heading')}</h2>
      <ErrorBox error={decisions.error} />
      {decisions.data && decisions.data.length === 0 && <EmptyState testId="no-decisions" message={t('meetings.decisions.empty')} />}
      <ol class="decisions">
        {(decisions.data ?? []).map((d) => (
          <li key={d.id}>
            <InRecords>{d.text}</InRecords>
            {titleOf(d.agenda_item_id) && (
              <span class="meta">
                {' '}
                ({t('meetings.decisions.onItem')} <InRecords>{titleOf(d.agenda_item_id)!}</InRecords>)
              </span>
            )}
          </li>
        ))}
      </ol>
      {canPlan(user) && (
        <form onSubmit={submit.onSubmit} class="panel" aria-labelledby="decision-new-h">
          <h3 id="decision-new-h">{t('meetings.decisions.add')}</h3>
          <ErrorBox error={submit.error} />
          <Field label={t('meetings.decisions.text')} value={text} onValue={setText} field="text" error={submit.error} multiline rows={3} required />
          <Select label={t('meetings.decisions.item')} value={item} onValue={setItem} options={[{ value: '', label: t('meetings.decisions.noItem') }, ...(agenda.data ?? []).map((a) => ({ value: String(a.id), label: a.title }))]} />
          <button type="submit" disabled={submit.busy}>
            {t('meetings.decisions.addButton')}
          </button>
        </form>
      )}
    </section>
  );
}

function MeetingActions({ m, orgs }: { m: Meeting; orgs: Organization[] }) {
  const { user } = useSession();
  const actions = useResource(() => loadActions({ meeting: String(m.id) }), [m.id]);
  const decisions = useResource(() => loadDecisions(String(m.id)), [m.id]);
  return (
    <section aria-labelledby="meeting-actions-h" data-testid="meeting-actions">
      <h2 id="meeting-actions-h">{t('actions.ofMeeting')}</h2>
      <ErrorBox error={actions.error} />
      {actions.data && (actions.data.length === 0 ? <EmptyState testId="no-meeting-actions" message={t('actions.empty')} /> : <ActionsTable actions={actions.data} showMeeting={false} />)}
      {canPlan(user) && <NewActionForm orgs={orgs} meetingId={m.id} decisions={decisions.data ?? []} onDone={actions.reload} />}
    </section>
  );
}

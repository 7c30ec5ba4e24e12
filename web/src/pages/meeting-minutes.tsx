// A meeting's minutes: status (draft, circulated for comments until a deadline, approved and
// locked), the current text, staff's Markdown editor (each save a new version), circulate and
// approve, members' comments while circulated, and the versions with a diff between any two.
// Approved minutes are public; drafts only for staff and member staff.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type List } from '../api';
import { t } from '../i18n';
import { formatNumber, formatTimestamp } from '../format';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, Notice, Select, useResource, useSubmit } from '../ui';
import { canPlan, loadMinutes, loadMinutesVersion, seesInternals, type Minutes, type MinutesComment } from '../meetings';
import { TextDiff } from '../text-diff';
import { FormattedText } from '../formatted-text';


export function MinutesPanel({ meetingId }: { meetingId: number }) {
  const { user } = useSession();
  const minutes = useResource(() => loadMinutes(String(meetingId)).catch((e) => (e instanceof ApiError && (e.status === 404 || e.status === 403) ? null : Promise.reject(e))), [meetingId, user?.id]);
  const staff = canPlan(user);
  const [notice, setNotice] = useState('');
  const m = minutes.data;
  const done = (msg: string) => {
    setNotice(msg);
    minutes.reload();
  };
  return (
    <section aria-labelledby="minutes-h" data-testid="minutes">
      <h2 id="minutes-h">{t('meetings.minutes.heading')}</h2>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={minutes.error} />
      {minutes.loading && minutes.data === undefined && <Loading />}
      {m === null && <p data-testid="no-minutes">{staff ? t('meetings.minutes.noneStaff') : t('meetings.minutes.none')}</p>}
      {m && (
        <>
          <p data-testid="minutes-status">
            <span class={`badge minutes-${m.status}`}>{t(`meetings.minutes.status.${m.status}`)}</span>{' '}
            {m.status === 'circulated' && m.comments_until && <span class="meta">{t('meetings.minutes.commentsUntil', { when: formatTimestamp(m.comments_until) })}</span>}
            {m.status === 'approved' && m.approved_at && <span class="meta">{t('meetings.minutes.approvedAt', { when: formatTimestamp(m.approved_at) })}</span>}
          </p>
          <FormattedText text={m.text} testId="minutes-text" />
        </>
      )}
      {staff && m !== undefined && (m === null || m.status !== 'approved') && <MinutesEditor meetingId={meetingId} minutes={m} onSaved={() => done(t('meetings.minutes.saved'))} />}
      {staff && m && m.status !== 'approved' && <MinutesWorkflow meetingId={meetingId} minutes={m} onDone={done} />}
      {m && seesInternals(user) && <Comments meetingId={meetingId} minutes={m} />}
      {m && m.versions.length > 0 && <Versions meetingId={meetingId} minutes={m} />}
    </section>
  );
}

function MinutesEditor({ meetingId, minutes, onSaved }: { meetingId: number; minutes: Minutes | null; onSaved(): void }) {
  const [text, setText] = useState(minutes?.text ?? '');
  const [note, setNote] = useState('');
  useEffect(() => setText(minutes?.text ?? ''), [minutes?.current_version]);
  const submit = useSubmit(async () => {
    await api.put(`/meetings/${meetingId}/minutes`, { text, note }, { ifMatch: minutes?.etag || null });
    setNote('');
    onSaved();
  });
  return (
    <form onSubmit={submit.onSubmit} class="panel" aria-labelledby="minutes-edit-h" data-testid="minutes-editor">
      <h3 id="minutes-edit-h">{minutes ? t('meetings.minutes.edit') : t('meetings.minutes.draft')}</h3>
      <ErrorBox error={submit.error} />
      <Field label={t('meetings.minutes.text')} value={text} onValue={setText} field="text" error={submit.error} multiline rows={12} hint={t('meetings.minutes.markdownHint')} required />
      <Field label={t('meetings.minutes.note')} value={note} onValue={setNote} field="note" error={submit.error} hint={t('meetings.minutes.noteHint')} />
      <button type="submit" disabled={submit.busy}>
        {t('meetings.minutes.save')}
      </button>
    </form>
  );
}

/** Circulate with a deadline for comments (a draft), or approve and lock (a circulated one). */
function MinutesWorkflow({ meetingId, minutes, onDone }: { meetingId: number; minutes: Minutes; onDone(msg: string): void }) {
  const inAWeek = new Date(Date.now() + 7 * 86400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const [until, setUntil] = useState(`${inAWeek.getFullYear()}-${p(inAWeek.getMonth() + 1)}-${p(inAWeek.getDate())}T17:00`);
  const circulate = useSubmit(async () => {
    await api.post(`/meetings/${meetingId}/minutes/circulate`, { comments_until: new Date(until).toISOString().replace(/\.\d{3}Z$/, 'Z') }, { ifMatch: minutes.etag || null });
    onDone(t('meetings.minutes.circulated'));
  });
  const approve = useSubmit(async () => {
    if (!confirm(t('meetings.minutes.approveConfirm'))) return;
    await api.post(`/meetings/${meetingId}/minutes/approve`, {}, { ifMatch: minutes.etag || null });
    onDone(t('meetings.minutes.approved'));
  });
  return (
    <div class="panel" data-testid="minutes-workflow">
      {minutes.status === 'draft' && (
        <form onSubmit={circulate.onSubmit} aria-labelledby="circulate-h">
          <h3 id="circulate-h">{t('meetings.minutes.circulate')}</h3>
          <ErrorBox error={circulate.error} />
          <Field label={t('meetings.minutes.commentsUntilLabel')} type="datetime-local" value={until} onValue={setUntil} field="comments_until" error={circulate.error} hint={t('meetings.minutes.yourTimeHint')} required />
          <button type="submit" disabled={circulate.busy}>
            {t('meetings.minutes.circulateButton')}
          </button>
        </form>
      )}
      <ErrorBox error={approve.error} />
      <p>
        <button type="button" class="secondary" onClick={approve.onSubmit} disabled={approve.busy} data-testid="approve-minutes">
          {t('meetings.minutes.approve')}
        </button>
      </p>
    </div>
  );
}

function Comments({ meetingId, minutes }: { meetingId: number; minutes: Minutes }) {
  const comments = useResource(() => api.get<List<MinutesComment>>(`/meetings/${meetingId}/minutes/comments`).then((r) => r.data.items), [meetingId, minutes.current_version, minutes.status]);
  const [text, setText] = useState('');
  const open = minutes.status === 'circulated' && (!minutes.comments_until || new Date(minutes.comments_until) > new Date());
  const submit = useSubmit(async () => {
    await api.post(`/meetings/${meetingId}/minutes/comments`, { text });
    setText('');
    comments.reload();
  });
  const list = comments.data ?? [];
  if (!open && list.length === 0) return null;
  return (
    <section aria-labelledby="comments-h" data-testid="minutes-comments">
      <h3 id="comments-h">{t('meetings.minutes.comments')}</h3>
      <ErrorBox error={comments.error} />
      <ul class="comments">
        {list.map((c) => (
          <li key={c.id}>
            <p class="meta">
              <bdi>{c.user_name}</bdi>
              {c.organization_id && <> ({c.organization_id.toUpperCase()})</>} · {formatTimestamp(c.created_at)} · {t('meetings.minutes.onVersion', { n: formatNumber(c.version) })}
            </p>
            <p dir="auto">{c.text}</p>
          </li>
        ))}
      </ul>
      {open && (
        <form onSubmit={submit.onSubmit}>
          <ErrorBox error={submit.error} />
          <Field label={t('meetings.minutes.comment')} value={text} onValue={setText} field="text" error={submit.error} multiline rows={3} required />
          <button type="submit" disabled={submit.busy}>
            {t('meetings.minutes.commentButton')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Every version (who, when, why) and a diff between any two, the last two by default. */
function Versions({ meetingId, minutes }: { meetingId: number; minutes: Minutes }) {
  const numbers = minutes.versions.map((v) => v.number).sort((a, b) => a - b);
  const [from, setFrom] = useState(String(numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]));
  const [to, setTo] = useState(String(numbers[numbers.length - 1]));
  useEffect(() => {
    setFrom(String(numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]));
    setTo(String(numbers[numbers.length - 1]));
  }, [minutes.current_version]);
  const texts = useResource(() => Promise.all([loadMinutesVersion(String(meetingId), Number(from)), loadMinutesVersion(String(meetingId), Number(to))]), [meetingId, from, to]);
  const options = numbers.map((n) => ({ value: String(n), label: t('meetings.minutes.versionN', { n: formatNumber(n) }) }));
  return (
    <section aria-labelledby="versions-h" data-testid="minutes-versions">
      <h3 id="versions-h">{t('meetings.minutes.versions')}</h3>
      <ol class="versions">
        {[...minutes.versions]
          .sort((a, b) => b.number - a.number)
          .map((v) => (
            <li key={v.number} value={v.number}>
              {t('meetings.minutes.versionN', { n: formatNumber(v.number) })} · <bdi>{v.user_name}</bdi> · {formatTimestamp(v.created_at)}
              {v.note && (
                <>
                  {' · '}
                  <span dir="auto">{v.note}</span>
                </>
              )}
            </li>
          ))}
      </ol>
      {numbers.length > 1 && (
        <>
          <h4>{t('meetings.minutes.compare')}</h4>
          <div class="row">
            <Select label={t('meetings.minutes.from')} value={from} onValue={setFrom} options={options} />
            <Select label={t('meetings.minutes.to')} value={to} onValue={setTo} options={options} />
          </div>
          <ErrorBox error={texts.error} />
          {texts.data ? <TextDiff before={texts.data[0].text} after={texts.data[1].text} /> : !texts.error && <Loading />}
        </>
      )}
    </section>
  );
}

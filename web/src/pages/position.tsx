// /positions/:id: one common position — its text, themes, lead and status; the endorsement
// round in progress (deadline and countdown, the matrix of every member's stand, the stand form
// for the organisations the reader may stand for) and the closed rounds with outcome and tally;
// the version history with a diff between any two versions; comments during consultation; and,
// for the lead organisation, the new-version, consultation, open-a-round and withdraw forms.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { currentLanguage, t } from '../i18n';
import { formatNumber } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { ErrorBox, Field, Loading, Notice, Paragraphs, Select, Table, formatTimestamp, useId, usePageTitle, useResource, useSubmit } from '../ui';
import {
  instantToLocal,
  isLeadFocalPoint,
  isLeadStaff,
  loadComments,
  loadPosition,
  loadRound,
  loadRounds,
  loadVersion,
  loadVersions,
  localToInstant,
  formatLocalInstant,
  positionPath,
  readsDrafts,
  timeLeft,
  type MatrixRow,
  type Position,
  type Round,
  type Rule,
  type Stand,
  type Version,
} from '../positions';
import { TextDiff } from '../text-diff';
import { FormattedText } from '../formatted-text';

export function PositionPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => loadPosition(id), [id, user?.id]);
  const rounds = useResource(() => loadRounds(id), [id, user?.id]);
  usePageTitle(res.data?.title ?? t('positions.title'));
  const reload = () => {
    res.reload();
    rounds.reload();
  };
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && (res.error.status === 404 || res.error.status === 403);
    return (
      <section>
        <p class="crumbs">
          <Link href="/positions">{t('positions.title')}</Link>
        </p>
        <h1>{notFound ? t('positions.notFound') : t('positions.title')}</h1>
        {notFound ? <p>{t('positions.notFoundText')}</p> : <ErrorBox error={res.error} />}
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('positions.loading')} />;
  const p = res.data;
  const editable = isLeadStaff(user, p) && (p.status === 'draft' || p.status === 'consultation');
  const openRound = rounds.data?.find((r) => r.status === 'open') ?? p.open_round;
  const closed = (rounds.data ?? []).filter((r) => r.status !== 'open');
  return (
    <article class="position" data-testid="position-page">
      <p class="crumbs">
        <Link href="/positions">{t('positions.title')}</Link> › <bdi>{p.lead.name}</bdi>
      </p>
      <h1>
        <bdi>{p.title}</bdi>
      </h1>
      <p>
        <span class={`pos-status ${p.status}`} data-testid="position-status">
          {t(`positions.statusName.${p.status}`)}
        </span>
      </p>
      <dl class="facts-list">
        <dt>{t('positions.lead')}</dt>
        <dd>
          <Link href={`/members/${encodeURIComponent(p.lead.id)}`}>
            <bdi>{p.lead.name}</bdi>
          </Link>
        </dd>
        <dt>{t('positions.themes')}</dt>
        <dd>{p.themes.length ? p.themes.join(t('positions.listSeparator')) : '—'}</dd>
        <dt>{t('positions.version')}</dt>
        <dd>{formatNumber(p.current_version)}</dd>
        {p.consultation_until && (
          <>
            <dt>{t('positions.consultationUntil')}</dt>
            <dd>{formatLocalInstant(p.consultation_until)}</dd>
          </>
        )}
        {p.adopted_at && (
          <>
            <dt>{t('positions.adoptedAt')}</dt>
            <dd>{formatTimestamp(p.adopted_at)}</dd>
          </>
        )}
        {p.withdrawn_at && (
          <>
            <dt>{t('positions.withdrawnAt')}</dt>
            <dd>
              {formatTimestamp(p.withdrawn_at)}
              {p.withdrawn_reason && (
                <div dir="auto">
                  <bdi>{p.withdrawn_reason}</bdi>
                </div>
              )}
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="text-h">
        <h2 id="text-h">{t('positions.text')}</h2>
        <div class="pos-text">
          <FormattedText text={p.text} testId="position-text" />
        </div>
      </section>

      {openRound && <RoundPanel positionId={id} initial={openRound} onChanged={reload} />}
      {!openRound && isLeadFocalPoint(user, p) && (p.status === 'draft' || p.status === 'consultation') && <OpenRoundForm position={p} onDone={reload} />}
      {editable && p.status === 'draft' && <ConsultationForm position={p} onDone={reload} />}
      {editable && <NewVersionForm position={p} onDone={reload} />}

      {closed.length > 0 && (
        <section aria-labelledby="closed-h" data-testid="closed-rounds">
          <h2 id="closed-h">{t('positions.round.closedHeading')}</h2>
          {closed.map((r) => (
            <ClosedRound key={r.id} round={r} />
          ))}
        </section>
      )}
      <History position={p} />
      {readsDrafts(user) && <Comments position={p} />}
      {isLeadFocalPoint(user, p) && p.status !== 'withdrawn' && <WithdrawForm position={p} onDone={reload} />}
    </article>
  );
}

// ---- The round ----

function Countdown({ deadline }: { deadline: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const left = timeLeft(deadline, now);
  return (
    <p data-testid="countdown">
      {t('positions.round.deadline', { when: formatLocalInstant(deadline) })}{' '}
      <span class="countdown">
        {left.past
          ? t('positions.round.deadlinePassed')
          : t('positions.round.left', { days: left.days, hours: left.hours, minutes: left.minutes, d: formatNumber(left.days), h: formatNumber(left.hours), m: formatNumber(left.minutes) })}
      </span>
    </p>
  );
}

function RoundPanel({ positionId, initial, onChanged }: { positionId: string; initial: Round; onChanged(): void }) {
  const round = useResource(() => loadRound(positionId, initial.id), [positionId, initial.id]);
  const r = round.data ?? initial;
  const [cancelError, setCancelError] = useState<unknown>(null);
  const { user } = useSession();
  async function cancel() {
    if (!confirm(t('positions.round.cancelConfirm'))) return;
    setCancelError(null);
    try {
      await api.post(`${positionPath(positionId)}/rounds/${r.id}/cancel`, {});
      onChanged();
    } catch (e) {
      setCancelError(e);
    }
  }
  return (
    <section aria-labelledby="round-h" data-testid="round">
      <h2 id="round-h">{t('positions.round.heading', { n: formatNumber(r.version_number) })}</h2>
      <p>{t(`positions.rule.${r.rule}Explained`)}</p>
      {r.status === 'open' ? <Countdown deadline={r.deadline} /> : <Outcome round={r} />}
      <Matrix round={r} />
      {r.status === 'open' && r.my_organizations.length > 0 && (
        <StandForm
          positionId={positionId}
          round={r}
          onDone={() => {
            round.reload();
            onChanged();
          }}
        />
      )}
      {r.status === 'open' && user && (user.role === 'admin' || user.role === 'secretariat') && (
        <p>
          <button type="button" class="secondary" onClick={cancel}>
            {t('positions.round.cancel')}
          </button>
        </p>
      )}
      <ErrorBox error={cancelError} />
    </section>
  );
}

function Outcome({ round }: { round: Round }) {
  return (
    <div data-testid="outcome">
      <p>
        <strong>{round.status === 'cancelled' ? t('positions.round.cancelled') : round.outcome ? t(`positions.outcome.${round.outcome}`) : ''}</strong>{' '}
        {round.closed_at && t('positions.round.closedAt', { when: formatTimestamp(round.closed_at) })}{' '}
        {round.closed_by === 'deadline' ? t('positions.round.byDeadline') : round.closed_by === 'all_stands' ? t('positions.round.byAllStands') : ''}
      </p>
      {round.tally && (
        <ul class="tally" data-testid="tally">
          <li>{t('positions.tally.endorse', { n: formatNumber(round.tally.endorse) })}</li>
          <li>{t('positions.tally.object', { n: formatNumber(round.tally.object) })}</li>
          <li>{t('positions.tally.abstain', { n: formatNumber(round.tally.abstain) })}</li>
          <li>{t('positions.tally.silent', { n: formatNumber(round.tally.silent) })}</li>
        </ul>
      )}
    </div>
  );
}

function standLabel(row: MatrixRow, open: boolean): { key: string; text: string } {
  if (row.left) return { key: 'left', text: t('positions.stand.left') };
  if (!row.stand) return { key: 'silent', text: open ? t('positions.stand.none') : t('positions.stand.silent') };
  return { key: row.stand, text: t(`positions.stand.${row.stand}`) };
}

function Matrix({ round, testId = 'matrix' }: { round: Round; testId?: string }) {
  const open = round.status === 'open';
  const stood = round.matrix.filter((m) => m.stand).length;
  return (
    <>
      <p class="meta" aria-live="polite" data-testid={`${testId}-summary`}>
        {t('positions.matrix.summary', { stood: formatNumber(stood), total: formatNumber(round.matrix.length) })}
      </p>
      <div class="matrix">
        <Table columns={[t('positions.matrix.organization'), t('positions.matrix.stand'), t('positions.matrix.reason'), t('positions.matrix.by'), t('positions.matrix.when')]} compact testId={testId} label={t('positions.matrix.label')}>
          {round.matrix.map((m) => {
            const s = standLabel(m, open);
            return (
              <tr key={m.organization.id} data-org={m.organization.id} data-stand={s.key}>
                <th scope="row">
                  <bdi>{m.organization.name}</bdi>
                </th>
                <td class={`stand-${s.key}`}>{s.text}</td>
                <td dir="auto">{m.reason ? <bdi>{m.reason}</bdi> : '—'}</td>
                <td>
                  {m.user_name ? <bdi>{m.user_name}</bdi> : '—'}
                  {m.as_delegate && (
                    <>
                      {' '}
                      <span class="tag" data-testid="as-delegate">
                        {t('positions.matrix.delegate')}
                      </span>
                    </>
                  )}
                </td>
                <td>{m.created_at ? formatTimestamp(m.created_at) : '—'}</td>
              </tr>
            );
          })}
        </Table>
      </div>
    </>
  );
}

function StandForm({ positionId, round, onDone }: { positionId: string; round: Round; onDone(): void }) {
  const pending = round.my_organizations.filter((o) => !round.matrix.find((m) => m.organization.id === o && m.stand));
  const [picked, setOrg] = useState(pending[0] ?? round.my_organizations[0]);
  // After a stand, the organisation just recorded leaves the choice.
  const org = pending.includes(picked) ? picked : (pending[0] ?? picked);
  const [stand, setStand] = useState<Stand | ''>('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const name = useId('stand');
  const submit = useSubmit(async () => {
    setDone(false);
    if (!stand) throw localProblem('stand', t('positions.standForm.pickOne'));
    if (stand === 'object' && !reason.trim()) throw localProblem('reason', t('positions.standForm.reasonRequired'));
    await api.post(`${positionPath(positionId)}/rounds/${round.id}/stands`, { stand, reason: reason.trim(), organization_id: org });
    setDone(true);
    setStand('');
    setReason('');
    onDone();
  });
  const orgName = (id: string) => round.matrix.find((m) => m.organization.id === id)?.organization.name ?? id;
  if (pending.length === 0) return <Notice>{t('positions.standForm.allStood')}</Notice>;
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="stand-form" aria-labelledby="stand-h" noValidate>
      <h3 id="stand-h">{t('positions.standForm.heading')}</h3>
      {pending.length > 1 ? (
        <Select label={t('positions.standForm.for')} value={org} onValue={setOrg} options={pending.map((o) => ({ value: o, label: orgName(o) }))} />
      ) : (
        <p>{t('positions.standForm.forOne', { org: orgName(org) })}</p>
      )}
      <fieldset class="field" aria-invalid={fieldHas(submit.error, 'stand') ? true : undefined}>
        <legend>{t('positions.standForm.stand')}</legend>
        {(['endorse', 'object', 'abstain'] as Stand[]).map((s) => (
          <label key={s} class="check">
            <input type="radio" name={name} value={s} checked={stand === s} onChange={() => setStand(s)} /> {t(`positions.standForm.${s}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t('positions.standForm.reason')} hint={t('positions.standForm.reasonHint')} value={reason} onValue={setReason} multiline rows={3} field="reason" error={submit.error} maxLength={4000} />
      <ErrorBox error={submit.error} title={t('positions.standForm.notRecorded')} />
      {done && <Notice>{t('positions.standForm.recorded')}</Notice>}
      <div class="actions">
        <button type="submit" disabled={submit.busy}>
          {t('positions.standForm.submit')}
        </button>
      </div>
    </form>
  );
}

/** A problem the browser found before sending, shown like the server's (ErrorBox, the field). */
function localProblem(field: string, problem: string): ApiError {
  return new ApiError(422, 'validation', problem, [{ field, problem, lang: currentLanguage() }]);
}
function fieldHas(error: unknown, field: string): boolean {
  return error instanceof ApiError && error.details.some((d) => d.field === field);
}

function ClosedRound({ round }: { round: Round }) {
  return (
    <details class="closed-round" data-round={round.id}>
      <summary>
        {t('positions.round.summary', { n: formatNumber(round.version_number), rule: t(`positions.rule.${round.rule}`), when: formatTimestamp(round.closed_at ?? round.deadline) })}{' '}
        — {round.status === 'cancelled' ? t('positions.round.cancelled') : round.outcome ? t(`positions.outcome.${round.outcome}`) : ''}
      </summary>
      <Outcome round={round} />
      <Matrix round={round} testId="matrix-closed" />
    </details>
  );
}

function OpenRoundForm({ position, onDone }: { position: Position; onDone(): void }) {
  const [rule, setRule] = useState<Rule>('silence');
  const [deadline, setDeadline] = useState(() => instantToLocal(new Date(Date.now() + 14 * 86400_000)));
  const id = useId('deadline');
  const name = useId('rule');
  const submit = useSubmit(async () => {
    const instant = localToInstant(deadline);
    if (!instant) throw localProblem('deadline', t('positions.openRound.badDeadline'));
    await api.post(`${positionPath(position.id)}/rounds`, { rule, deadline: instant });
    onDone();
  });
  const problem = submit.error instanceof ApiError ? submit.error.details.find((d) => d.field === 'deadline') : undefined;
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="open-round-form" aria-labelledby="open-round-h">
      <h2 id="open-round-h">{t('positions.openRound.heading')}</h2>
      <p>{t('positions.openRound.lede', { n: formatNumber(position.current_version) })}</p>
      <fieldset class="field">
        <legend>{t('positions.openRound.rule')}</legend>
        {(['consensus', 'silence'] as Rule[]).map((r) => (
          <label key={r} class="check">
            <input type="radio" name={name} value={r} checked={rule === r} onChange={() => setRule(r)} /> {t(`positions.rule.${r}`)} — <span class="meta">{t(`positions.rule.${r}Explained`)}</span>
          </label>
        ))}
      </fieldset>
      <div class="field datetime-field">
        <label for={id}>{t('positions.openRound.deadline')}</label>
        <input
          id={id}
          type="datetime-local"
          required
          value={deadline}
          data-testid="deadline"
          aria-describedby={`${id}-hint${problem ? ` ${id}-err` : ''}`}
          aria-invalid={problem ? true : undefined}
          onInput={(e) => setDeadline((e.currentTarget as HTMLInputElement).value)}
        />
        <small id={`${id}-hint`} class="hint">
          {t('positions.openRound.deadlineHint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
        </small>
        {problem && (
          <small id={`${id}-err`} class="field-error">
            {problem.problem}
          </small>
        )}
      </div>
      <ErrorBox error={submit.error} title={t('positions.openRound.notOpened')} />
      <div class="actions">
        <button type="submit" disabled={submit.busy}>
          {t('positions.openRound.submit')}
        </button>
      </div>
    </form>
  );
}

function ConsultationForm({ position, onDone }: { position: Position; onDone(): void }) {
  const [until, setUntil] = useState(() => instantToLocal(new Date(Date.now() + 14 * 86400_000)));
  const id = useId('until');
  const submit = useSubmit(async () => {
    const instant = localToInstant(until);
    if (!instant) throw localProblem('consultation_until', t('positions.openRound.badDeadline'));
    await api.patch(positionPath(position.id), { status: 'consultation', consultation_until: instant }, position.etag || null);
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="consultation-form" aria-labelledby="consult-h">
      <h2 id="consult-h">{t('positions.consultation.heading')}</h2>
      <p>{t('positions.consultation.lede')}</p>
      <div class="field datetime-field">
        <label for={id}>{t('positions.consultation.until')}</label>
        <input id={id} type="datetime-local" required value={until} onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <ErrorBox error={submit.error} title={t('positions.notSaved')} />
      <div class="actions">
        <button type="submit" disabled={submit.busy}>
          {t('positions.consultation.submit')}
        </button>
      </div>
    </form>
  );
}

function NewVersionForm({ position, onDone }: { position: Position; onDone(): void }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(position.title);
  const [text, setText] = useState(position.text);
  const [note, setNote] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`${positionPath(position.id)}/versions`, { title, text, note });
    setOpen(false);
    setNote('');
    onDone();
  });
  if (!open)
    return (
      <p>
        <button type="button" class="secondary" onClick={() => setOpen(true)} data-testid="new-version">
          {t('positions.newVersion.open')}
        </button>
      </p>
    );
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="new-version-form" aria-labelledby="nv-h">
      <h2 id="nv-h">{t('positions.newVersion.heading', { n: formatNumber(position.current_version + 1) })}</h2>
      <Field label={t('positions.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      <Field label={t('positions.field.text')} value={text} onValue={setText} required multiline rows={12} field="text" error={submit.error} />
      <Field label={t('positions.newVersion.note')} hint={t('positions.newVersion.noteHint')} value={note} onValue={setNote} field="note" error={submit.error} maxLength={500} />
      <ErrorBox error={submit.error} title={t('positions.notSaved')} />
      <div class="actions">
        <button type="submit" disabled={submit.busy}>
          {t('positions.newVersion.submit')}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  );
}

function WithdrawForm({ position, onDone }: { position: Position; onDone(): void }) {
  const [reason, setReason] = useState('');
  const submit = useSubmit(async () => {
    if (!confirm(t('positions.withdraw.confirm'))) return;
    await api.post(`${positionPath(position.id)}/withdraw`, { reason });
    onDone();
  });
  return (
    <details class="danger-zone">
      <summary>{t('positions.withdraw.heading')}</summary>
      <form onSubmit={submit.onSubmit} data-testid="withdraw-form">
        <p>{t('positions.withdraw.lede')}</p>
        <Field label={t('positions.withdraw.reason')} value={reason} onValue={setReason} required multiline rows={3} field="reason" error={submit.error} />
        <ErrorBox error={submit.error} title={t('positions.notSaved')} />
        <button type="submit" class="danger" disabled={submit.busy}>
          {t('positions.withdraw.submit')}
        </button>
      </form>
    </details>
  );
}

// ---- History and diff ----

function History({ position }: { position: Position }) {
  const versions = useResource(() => loadVersions(String(position.id)), [position.id, position.current_version]);
  const list = [...(versions.data ?? [])].sort((a, b) => a.number - b.number);
  const [from, setFrom] = useState<number>(Math.max(1, position.current_version - 1));
  const [to, setTo] = useState<number>(position.current_version);
  useEffect(() => {
    setFrom(Math.max(1, position.current_version - 1));
    setTo(position.current_version);
  }, [position.current_version]);
  const pair = useResource<[Version, Version] | null>(
    () => (list.length > 1 ? Promise.all([loadVersion(String(position.id), from), loadVersion(String(position.id), to)]) : Promise.resolve(null)),
    [position.id, from, to, list.length],
  );
  return (
    <section aria-labelledby="history-h" data-testid="history">
      <h2 id="history-h">{t('positions.history.heading')}</h2>
      <ErrorBox error={versions.error} />
      {list.length > 0 && (
        <Table columns={[t('positions.history.number'), t('positions.history.title'), t('positions.history.who'), t('positions.history.note'), t('positions.history.when')]} compact testId="versions" label={t('positions.history.heading')}>
          {list.map((v) => (
            <tr key={v.number}>
              <td class="num">{formatNumber(v.number)}</td>
              <td>
                <bdi>{v.title}</bdi>
              </td>
              <td>
                <bdi>{v.user_name}</bdi>
              </td>
              <td dir="auto">{v.note || '—'}</td>
              <td>{formatTimestamp(v.created_at)}</td>
            </tr>
          ))}
        </Table>
      )}
      {list.length > 1 && (
        <div class="card" data-testid="compare">
          <h3>{t('positions.history.compare')}</h3>
          <div class="filters">
            <Select label={t('positions.history.from')} value={String(from)} onValue={(v) => setFrom(Number(v))} options={list.map((v) => ({ value: String(v.number), label: t('positions.history.versionN', { n: formatNumber(v.number) }) }))} />
            <Select label={t('positions.history.to')} value={String(to)} onValue={(v) => setTo(Number(v))} options={list.map((v) => ({ value: String(v.number), label: t('positions.history.versionN', { n: formatNumber(v.number) }) }))} />
          </div>
          <ErrorBox error={pair.error} />
          {pair.data && <TextDiff testId="position-diff" before={`${pair.data[0].title}\n\n${pair.data[0].text}`} after={`${pair.data[1].title}\n\n${pair.data[1].text}`} />}
        </div>
      )}
    </section>
  );
}

// ---- Comments ----

function Comments({ position }: { position: Position }) {
  const comments = useResource(() => loadComments(String(position.id)), [position.id]);
  const [text, setText] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`${positionPath(position.id)}/comments`, { text });
    setText('');
    comments.reload();
  });
  const list = comments.data ?? [];
  return (
    <section aria-labelledby="comments-h" data-testid="comments">
      <h2 id="comments-h">{t('positions.comments.heading')}</h2>
      <ErrorBox error={comments.error} />
      {list.length === 0 ? (
        <p class="meta">{t('positions.comments.none')}</p>
      ) : (
        <ul class="notif-list">
          {list.map((c) => (
            <li key={c.id}>
              <p class="meta">
                {t('positions.comments.by', { who: c.user_name, n: formatNumber(c.version), when: formatTimestamp(c.created_at) })}
              </p>
              <Paragraphs text={c.text} dir="auto" />
            </li>
          ))}
        </ul>
      )}
      {position.status === 'consultation' ? (
        <form onSubmit={submit.onSubmit} data-testid="comment-form">
          <Field label={t('positions.comments.add')} value={text} onValue={setText} required multiline rows={4} field="text" error={submit.error} />
          <ErrorBox error={submit.error} title={t('positions.notSaved')} />
          <button type="submit" disabled={submit.busy}>
            {t('positions.comments.submit')}
          </button>
        </form>
      ) : (
        <p class="meta">{t('positions.comments.closed')}</p>
      )}
    </section>
  );
}

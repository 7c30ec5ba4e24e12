// Chair: who chairs on a date, the timeline of terms, the rotation plans and exceptions.
// Admins also add rotation plans and exceptions (overrides).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, listAll, query, type Chair, type ChairTerm, type Organization, type Override, type Rotation } from '../api';
import { Link, navigate, useLocation } from '../router';
import { isAdmin, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Rich, RowButton, Select, addYears, dayNumber, formatDate, formatTimestamp, today, usePageTitle, useResource, useSubmit } from '../ui';
import { t } from '../i18n';
import { InRecords } from '../lang-text';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The GMG's first meeting, chaired by UNCTAD: where the rotation starts. */
const FIRST_MEETING = '2006-05-09';

/** Lists may come as {items:[…]} or as a bare array; accept both. */
function items<T>(d: unknown): T[] {
  if (Array.isArray(d)) return d as T[];
  const i = (d as { items?: T[] } | null)?.items;
  return Array.isArray(i) ? i : [];
}

export function ChairPage() {
  usePageTitle(t('chair.pageTitle'));
  const { user } = useSession();
  const { search } = useLocation();
  const urlDate = search.get('date');
  const date = urlDate && DATE_RE.test(urlDate) ? urlDate : today();
  const [draft, setDraft] = useState(date);
  useEffect(() => setDraft(date), [date]);

  const [version, setVersion] = useState(0); // bumped after an admin change
  const chair = useResource(() => api.get<Chair>(`/chair${query({ date })}`).then((r) => r.data), [date, version]);

  const show = (d: string) => {
    if (DATE_RE.test(d)) navigate(`/chair?date=${d}`, { replace: true });
  };

  return (
    <>
      <h1>{t('chair.title')}</h1>
      <p class="lede">{t('chair.lede', { date: formatDate(FIRST_MEETING) })}</p>

      <section aria-labelledby="on-date-h" class="panel">
        <h2 id="on-date-h">{t('chair.onDate')}</h2>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            show(draft);
          }}
        >
          <Field label={t('chair.date')} type="date" value={draft} onValue={(v) => { setDraft(v); show(v); }} name="date" data-testid="chair-date" required />
          <button type="submit">{t('chair.show')}</button>
        </form>
        <div aria-live="polite" data-testid="chair-result">
          {chair.error instanceof ApiError && chair.error.status === 404 ? (
            <EmptyState
              message={t('empty.chair.noChairOn', { date: formatDate(date) })}
              hint={isAdmin(user) ? t('empty.chair.noChairAdmin') : t('empty.chair.noChairOthers')}
              actions={isAdmin(user) ? [{ label: t('empty.chair.addPlan'), focus: 'rotation-form' }, { label: t('empty.chair.addException'), focus: 'exception-form' }] : []}
              testId="no-chair"
            />
          ) : chair.error ? (
            <ErrorBox error={chair.error} />
          ) : null}
          {chair.data && !chair.error && (
            <p class="chair-answer">
              <Rich
                id={chair.data.source !== 'override' ? 'chair.answerRotation' : chair.data.reason ? 'chair.answerExceptionReason' : 'chair.answerException'}
                values={{ from: formatDate(chair.data.starts_on), to: formatDate(chair.data.ends_on) }}
                parts={{
                  name: <InRecords>{chair.data.organization.name}</InRecords>,
                  reason: <InRecords>{chair.data.reason ?? ''}</InRecords>,
                  date: <strong>{formatDate(chair.data.date)}</strong>,
                  acronym: (
                    <Link href={`/members/${encodeURIComponent(chair.data.organization.id)}`} class="big">
                      <span data-testid="chair-acronym">{chair.data.organization.acronym}</span>
                    </Link>
                  ),
                }}
              />
            </p>
          )}
          {chair.loading && !chair.data && <Loading />}
        </div>
      </section>

      <Timeline version={version} highlight={date} />

      <Plans version={version} admin={isAdmin(user)} onChanged={() => setVersion((v) => v + 1)} />
    </>
  );
}

// ---- Timeline ----

function Timeline({ version, highlight }: { version: number; highlight: string }) {
  const now = today();
  const [from, setFrom] = useState(addYears(now, -2));
  const [to, setTo] = useState(addYears(now, 3));
  const [range, setRange] = useState({ from, to });
  const sched = useResource(
    () => api.get<{ items: ChairTerm[] }>(`/chair/schedule${query(range)}`).then((r) => items<ChairTerm>(r.data)),
    [range.from, range.to, version],
  );

  const start = dayNumber(range.from);
  const span = Math.max(1, dayNumber(range.to) - start + 1);
  const pct = (d: string) => Math.min(100, Math.max(0, ((dayNumber(d) - start) / span) * 100));
  const todayInRange = now >= range.from && now <= range.to;

  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('chair.timeline')}</h2>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (DATE_RE.test(from) && DATE_RE.test(to)) setRange({ from, to });
        }}
      >
        <Field label={t('chair.from')} type="date" value={from} onValue={setFrom} name="from" required />
        <Field label={t('chair.to')} type="date" value={to} onValue={setTo} name="to" required />
        <button type="submit">{t('chair.showTerms')}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setFrom(FIRST_MEETING);
            setTo(addYears(now, 1));
            setRange({ from: FIRST_MEETING, to: addYears(now, 1) });
          }}
        >
          {t('chair.sinceFirst')}
        </button>
      </form>
      <ErrorBox error={sched.error} />
      {sched.loading && !sched.data && <Loading what={t('chair.loadingTerms')} />}
      {sched.data && (
        <>
          <p class="legend">
            <span class="swatch rotation" aria-hidden="true" /> {t('chair.legendRotation')} <span class="swatch override" aria-hidden="true" /> {t('chair.legendException')}
            {todayInRange && (
              <>
                {' '}
                <span class="swatch today" aria-hidden="true" /> {t('chair.legendToday', { date: formatDate(now) })}
              </>
            )}
          </p>
          {sched.data.length === 0 ? (
            <EmptyState
              message={t('empty.chair.noTerms', { from: formatDate(range.from), to: formatDate(range.to) })}
              hint={t('empty.chair.noTermsHint')}
              actions={[
                {
                  label: t('chair.sinceFirst'),
                  onClick: () => {
                    setFrom(FIRST_MEETING);
                    setTo(addYears(now, 1));
                    setRange({ from: FIRST_MEETING, to: addYears(now, 1) });
                  },
                },
              ]}
              testId="no-terms"
            />
          ) : (
            <ol class="terms" data-testid="schedule" aria-busy={sched.loading}>
              {sched.data.map((term) => {
                const current = term.starts_on <= now && now <= term.ends_on;
                const chosen = term.starts_on <= highlight && highlight <= term.ends_on;
                const left = pct(term.starts_on < range.from ? range.from : term.starts_on);
                const right = pct(term.ends_on > range.to ? range.to : term.ends_on);
                return (
                  <li key={`${term.starts_on}-${term.organization.id}`} class={`term ${term.source}${current ? ' current' : ''}${chosen ? ' chosen' : ''}`}>
                    <span class="term-org">
                      <Link href={`/members/${encodeURIComponent(term.organization.id)}`}>{term.organization.acronym}</Link>
                    </span>
                    <span class="term-dates">
                      {formatDate(term.starts_on)} – {formatDate(term.ends_on)}
                      {current && <strong class="tag">{t('chair.today')}</strong>}
                      {term.source === 'override' && <span class="tag override">{term.reason ? <Rich id="chair.exceptionReason" parts={{ reason: <InRecords>{term.reason}</InRecords> }} /> : t('chair.exception')}</span>}
                    </span>
                    {/* Logical offsets: time runs from the start edge, right to left in Arabic. */}
                    <span class="track" aria-hidden="true">
                      <span class="term-bar" style={{ insetInlineStart: `${left}%`, width: `${Math.max(0.6, right - left + 100 / span)}%` }} />
                      {todayInRange && <span class="now" style={{ insetInlineStart: `${pct(now)}%` }} />}
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

// ---- Rotation plans and exceptions ----

function Plans({ version, admin, onChanged }: { version: number; admin: boolean; onChanged(): void }) {
  const rotations = useResource(() => api.get<unknown>('/chair/rotations').then((r) => items<Rotation>(r.data)), [version]);
  const overrides = useResource(() => api.get<unknown>('/chair/overrides').then((r) => items<Override>(r.data)), [version]);
  const orgs = useResource(() => listAll<Organization>('/organizations?status=all'), []);
  const acronym = (id: string | undefined) => orgs.data?.find((o) => o.id === id)?.acronym ?? id ?? '';
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function removeOverride(o: Override) {
    if (!confirm(t('chair.confirmRemoveException', { from: formatDate(o.starts_on), to: formatDate(o.ends_on) }))) return;
    setError(null);
    try {
      await api.del(`/chair/overrides/${encodeURIComponent(String(o.id))}`);
      setNotice(t('chair.exceptionRemoved'));
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  async function withdrawPlan(r: Rotation) {
    if (!confirm(t('chair.confirmWithdraw', { date: formatDate(r.starts_on) }))) return;
    setError(null);
    try {
      await api.del(`/chair/rotations/${encodeURIComponent(String(r.id))}`);
      setNotice(t('chair.planWithdrawn'));
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div class="two-col">
      <section aria-labelledby="rot-h">
        <h2 id="rot-h">{t('chair.plans')}</h2>
        <ErrorBox error={rotations.error} />
        {rotations.data &&
          (rotations.data.length === 0 ? (
            <EmptyState
              message={t('chair.noPlan')}
              hint={admin ? t('empty.chair.noPlanAdmin') : t('empty.chair.noPlanOthers')}
              actions={admin ? [{ label: t('empty.chair.addPlan'), focus: 'rotation-form' }] : []}
              testId="no-plan"
            />
          ) : (
            <ul class="plain">
              {rotations.data.map((r) => (
                <li key={r.id} class={r.withdrawn_at ? 'withdrawn' : undefined} data-testid="rotation-plan">
                  {r.withdrawn_at ? <del>{planText(r, acronym)}</del> : planText(r, acronym)}
                  <span class="meta">
                    {' '}
                    {r.withdrawn_at
                      ? t('chair.recordedWithdrawn', { recorded: formatTimestamp(r.created_at), withdrawn: formatTimestamp(r.withdrawn_at) })
                      : t('chair.recorded', { recorded: formatTimestamp(r.created_at) })}
                  </span>
                  {admin && !r.withdrawn_at && r.starts_on > today() && (
                    <>
                      {' '}
                      <RowButton label={t('chair.withdraw')} what={t('chair.withdrawWhat', { date: formatDate(r.starts_on) })} kind="danger" onClick={() => withdrawPlan(r)} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          ))}
        {admin && orgs.data && (
          <RotationForm
            orgs={orgs.data}
            latest={rotations.data?.find((r) => !r.withdrawn_at)}
            onDone={() => {
              setNotice(t('chair.planAdded'));
              onChanged();
            }}
          />
        )}
      </section>

      <section aria-labelledby="ovr-h">
        <h2 id="ovr-h">{t('chair.exceptions')}</h2>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={overrides.error || error} />
        {overrides.data &&
          (overrides.data.length === 0 ? (
            <EmptyState
              message={t('chair.noExceptions')}
              hint={admin ? t('empty.chair.noExceptionsAdmin') : t('empty.chair.noExceptionsOthers')}
              actions={admin ? [{ label: t('empty.chair.addException'), focus: 'exception-form' }] : []}
              testId="no-exceptions"
            />
          ) : (
            <ul class="plain">
              {overrides.data.map((o) => (
                <li key={o.id}>
                  <Rich
                    id={o.reason ? 'chair.overrideReason' : 'chair.override'}
                    values={{ from: formatDate(o.starts_on), to: formatDate(o.ends_on) }}
                    parts={{ acronym: <strong>{o.organization?.acronym ?? acronym(o.organization_id)}</strong>, reason: <InRecords>{o.reason ?? ''}</InRecords> }}
                  />
                  {admin && (
                    <>
                      {' '}
                      <RowButton label={t('chair.remove')} what={t('chair.removeExceptionWhat', { date: formatDate(o.starts_on) })} kind="danger" onClick={() => removeOverride(o)} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          ))}
        {admin && orgs.data && (
          <OverrideForm
            orgs={orgs.data}
            onDone={() => {
              setNotice(t('chair.exceptionAdded'));
              onChanged();
            }}
          />
        )}
      </section>
    </div>
  );
}

function planText(r: Rotation, acronym: (id: string) => string) {
  return (
    <>
      <Rich id="chair.plan" values={{ months: r.term_months, order: r.order.map(acronym).join(' → ') }} parts={{ date: <strong>{formatDate(r.starts_on)}</strong> }} />
    </>
  );
}

/** A small button whose visible label is completed for screen readers by `what`; disabled at an end of the list. */
function MoveButton({ label, what, disabled, onClick }: { label: string; what: string; disabled: boolean; onClick(): void }) {
  return (
    <button type="button" class="secondary small" disabled={disabled} onClick={onClick}>
      {label}
      <span class="sr-only"> {what}</span>
    </button>
  );
}

/** A new plan: start, term, and the chairing order picked from the members (not typed), with a preview. */
function RotationForm({ orgs, latest, onDone }: { orgs: Organization[]; latest: Rotation | undefined; onDone(): void }) {
  const current = orgs.filter((o) => o.status === 'current');
  const byId = (id: string) => orgs.find((o) => o.id === id);
  const [startsOn, setStartsOn] = useState('');
  const [months, setMonths] = useState(String(latest?.term_months ?? 6));
  const [order, setOrder] = useState<string[]>(latest?.order ?? current.map((o) => o.id));
  const [preview, setPreview] = useState<ChairTerm[] | null>(null);
  const plan = () => ({ starts_on: startsOn, term_months: Number(months), order });
  const edit = (next: string[]) => {
    setOrder(next);
    setPreview(null);
  };
  const shown = useSubmit(async () => {
    const r = await api.post<{ items: ChairTerm[] }>('/chair/rotations/preview', plan());
    setPreview(items<ChairTerm>(r.data).filter((t) => t.starts_on >= startsOn || t.ends_on >= startsOn));
  });
  const { busy, error, onSubmit } = useSubmit(async () => {
    await api.post('/chair/rotations', plan());
    setStartsOn('');
    setPreview(null);
    onDone();
  });
  const move = (i: number, by: number) => {
    const next = [...order];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    edit(next);
  };
  const addable = current.filter((o) => !order.includes(o.id));
  const [adding, setAdding] = useState('');
  return (
    <form class="panel" id="rotation-form" noValidate onSubmit={onSubmit} data-testid="rotation-form">
      <h3>{t('chair.newPlan')}</h3>
      <p class="hint">{t('chair.newPlanHint')}</p>
      <div class="row">
        <Field label={t('chair.startsOn')} type="date" value={startsOn} onValue={(v) => { setStartsOn(v); setPreview(null); }} field="starts_on" error={error ?? shown.error} required />
        <Field label={t('chair.termMonths')} type="number" min="1" max="60" value={months} onValue={(v) => { setMonths(v); setPreview(null); }} field="term_months" error={error ?? shown.error} required />
      </div>
      <fieldset class="order-picker">
        <legend>{t('chair.order')}</legend>
        {order.length === 0 ? (
          <p class="hint">{t('chair.orderEmpty')}</p>
        ) : (
          <ol data-testid="rotation-order">
            {order.map((id, i) => (
              <li key={id}>
                <span>
                  {byId(id)?.acronym ?? id} <span class="meta">{byId(id)?.name}</span>
                </span>{' '}
                <MoveButton label={t('chair.up')} what={t('chair.moveEarlier', { acronym: byId(id)?.acronym ?? id })} onClick={() => move(i, -1)} disabled={i === 0} />{' '}
                <MoveButton label={t('chair.down')} what={t('chair.moveLater', { acronym: byId(id)?.acronym ?? id })} onClick={() => move(i, 1)} disabled={i === order.length - 1} />{' '}
                <RowButton label={t('chair.remove')} what={t('chair.removeFromOrder', { acronym: byId(id)?.acronym ?? id })} kind="danger" onClick={() => edit(order.filter((x) => x !== id))} />
              </li>
            ))}
          </ol>
        )}
        {addable.length > 0 && (
          <div class="inline-form">
            <Select
              label={t('chair.addMember')}
              value={adding}
              onValue={setAdding}
              options={[{ value: '', label: t('chair.choose') }, ...addable.map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))]}
            />
            <button type="button" class="secondary" disabled={!adding} onClick={() => { edit([...order, adding]); setAdding(''); }}>
              {t('chair.addToOrder')}
            </button>
          </div>
        )}
      </fieldset>
      <ErrorBox error={error ?? shown.error} title={t('chair.notAdded')} />
      <div class="actions">
        <button type="button" class="secondary" disabled={shown.busy || !startsOn || order.length === 0} onClick={(e) => shown.onSubmit(e)}>
          {t('chair.preview')}
        </button>
        <button type="submit" disabled={busy}>
          {t('chair.addPlan')}
        </button>
      </div>
      <div aria-live="polite" data-testid="rotation-preview">
        {preview && (
          <>
            <h4>{t('chair.withPlan')}</h4>
            {preview.length === 0 ? (
              <p>{t('chair.noPreviewTerms')}</p>
            ) : (
              <ol class="plain">
                {preview.map((term) => (
                  <li key={`${term.starts_on}-${term.organization.id}`}>
                    <strong>{term.organization.acronym}</strong> {formatDate(term.starts_on)} – {formatDate(term.ends_on)}
                    {term.source === 'override' && <span class="tag override">{t('chair.exception')}</span>}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </div>
    </form>
  );
}

function OverrideForm({ orgs, onDone }: { orgs: Organization[]; onDone(): void }) {
  const [f, setF] = useState({ starts_on: '', ends_on: '', organization_id: orgs.find((o) => o.status === 'current')?.id ?? '', reason: '' });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const { busy, error, onSubmit } = useSubmit(async () => {
    await api.post('/chair/overrides', f);
    setF((x) => ({ ...x, starts_on: '', ends_on: '', reason: '' }));
    onDone();
  });
  return (
    <form class="panel" id="exception-form" noValidate onSubmit={onSubmit}>
      <h3>{t('chair.newException')}</h3>
      <div class="row">
        <Field label={t('chair.startsOn')} type="date" value={f.starts_on} onValue={set('starts_on')} field="starts_on" error={error} required />
        <Field label={t('chair.endsOn')} type="date" value={f.ends_on} onValue={set('ends_on')} field="ends_on" error={error} required />
      </div>
      <Select
        label={t('chair.chairedBy')}
        value={f.organization_id}
        onValue={set('organization_id')}
        field="organization_id"
        error={error}
        options={orgs.filter((o) => o.status === 'current').map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))}
      />
      <Field label={t('chair.reason')} value={f.reason} onValue={set('reason')} field="reason" error={error} required />
      <ErrorBox error={error} title={t('chair.notAdded')} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('chair.addException')}
        </button>
      </div>
    </form>
  );
}

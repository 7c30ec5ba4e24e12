// Chair: who chairs on a date, the timeline of terms, the rotation plans and exceptions.
// Admins also add rotation plans and exceptions (overrides).
import { useEffect, useState } from 'preact/hooks';
import { api, listAll, query, type Chair, type ChairTerm, type Organization, type Override, type Rotation } from '../api';
import { Link, navigate, useLocation } from '../router';
import { isAdmin, useSession } from '../session';
import { ErrorBox, Field, Loading, Notice, RowButton, Select, addYears, dayNumber, formatDate, formatTimestamp, today, usePageTitle, useResource, useSubmit } from '../ui';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Lists may come as {items:[…]} or as a bare array; accept both. */
function items<T>(d: unknown): T[] {
  if (Array.isArray(d)) return d as T[];
  const i = (d as { items?: T[] } | null)?.items;
  return Array.isArray(i) ? i : [];
}

export function ChairPage() {
  usePageTitle('Chair');
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
      <h1>Chair of the GMG</h1>
      <p class="lede">
        The Chair is held on a rotating basis by the executive heads of the member organisations. The first meeting, on
        9 May 2006, was chaired by UNCTAD.
      </p>

      <section aria-labelledby="on-date-h" class="panel">
        <h2 id="on-date-h">Who chairs on a date</h2>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            show(draft);
          }}
        >
          <Field label="Date" type="date" value={draft} onValue={(v) => { setDraft(v); show(v); }} name="date" data-testid="chair-date" required />
          <button type="submit">Show</button>
        </form>
        <div aria-live="polite" data-testid="chair-result">
          {chair.error ? <ErrorBox error={chair.error} /> : null}
          {chair.data && !chair.error && (
            <p class="chair-answer">
              On <strong>{formatDate(chair.data.date)}</strong> the chair is{' '}
              <Link href={`/members/${encodeURIComponent(chair.data.organization.id)}`} class="big">
                <span data-testid="chair-acronym">{chair.data.organization.acronym}</span>
              </Link>{' '}
              ({chair.data.organization.name}), for the term {formatDate(chair.data.starts_on)} – {formatDate(chair.data.ends_on)}
              {chair.data.source === 'override' ? (
                <> — an exception to the rotation{chair.data.reason ? `: ${chair.data.reason}` : ''}.</>
              ) : (
                <> by rotation.</>
              )}
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
      <h2 id="timeline-h">Timeline</h2>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (DATE_RE.test(from) && DATE_RE.test(to)) setRange({ from, to });
        }}
      >
        <Field label="From" type="date" value={from} onValue={setFrom} name="from" required />
        <Field label="To" type="date" value={to} onValue={setTo} name="to" required />
        <button type="submit">Show terms</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setFrom('2006-05-09');
            setTo(addYears(now, 1));
            setRange({ from: '2006-05-09', to: addYears(now, 1) });
          }}
        >
          Since the first meeting
        </button>
      </form>
      <ErrorBox error={sched.error} />
      {sched.loading && !sched.data && <Loading what="Loading terms" />}
      {sched.data && (
        <>
          <p class="legend">
            <span class="swatch rotation" aria-hidden="true" /> by rotation <span class="swatch override" aria-hidden="true" /> exception
            {todayInRange && (
              <>
                {' '}
                <span class="swatch today" aria-hidden="true" /> today ({formatDate(now)})
              </>
            )}
          </p>
          {sched.data.length === 0 ? (
            <p>No terms in this range.</p>
          ) : (
            <ol class="terms" data-testid="schedule" aria-busy={sched.loading}>
              {sched.data.map((t) => {
                const current = t.starts_on <= now && now <= t.ends_on;
                const chosen = t.starts_on <= highlight && highlight <= t.ends_on;
                const left = pct(t.starts_on < range.from ? range.from : t.starts_on);
                const right = pct(t.ends_on > range.to ? range.to : t.ends_on);
                return (
                  <li key={`${t.starts_on}-${t.organization.id}`} class={`term ${t.source}${current ? ' current' : ''}${chosen ? ' chosen' : ''}`}>
                    <span class="term-org">
                      <Link href={`/members/${encodeURIComponent(t.organization.id)}`}>{t.organization.acronym}</Link>
                    </span>
                    <span class="term-dates">
                      {formatDate(t.starts_on)} – {formatDate(t.ends_on)}
                      {current && <strong class="tag">today</strong>}
                      {t.source === 'override' && <span class="tag override">exception{t.reason ? `: ${t.reason}` : ''}</span>}
                    </span>
                    <span class="track" aria-hidden="true">
                      <span class="term-bar" style={{ left: `${left}%`, width: `${Math.max(0.6, right - left + 100 / span)}%` }} />
                      {todayInRange && <span class="now" style={{ left: `${pct(now)}%` }} />}
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
    if (!confirm(`Remove the exception ${formatDate(o.starts_on)} – ${formatDate(o.ends_on)}?`)) return;
    setError(null);
    try {
      await api.del(`/chair/overrides/${encodeURIComponent(String(o.id))}`);
      setNotice('Exception removed.');
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  async function withdrawPlan(r: Rotation) {
    if (!confirm(`Withdraw the rotation plan starting ${formatDate(r.starts_on)}? The rotation then follows the plans before it.`)) return;
    setError(null);
    try {
      await api.del(`/chair/rotations/${encodeURIComponent(String(r.id))}`);
      setNotice('Rotation plan withdrawn.');
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div class="two-col">
      <section aria-labelledby="rot-h">
        <h2 id="rot-h">Rotation plans</h2>
        <ErrorBox error={rotations.error} />
        {rotations.data &&
          (rotations.data.length === 0 ? (
            <p>No rotation plan yet.</p>
          ) : (
            <ul class="plain">
              {rotations.data.map((r) => (
                <li key={r.id} class={r.withdrawn_at ? 'withdrawn' : undefined} data-testid="rotation-plan">
                  {r.withdrawn_at ? <del>{planText(r, acronym)}</del> : planText(r, acronym)}
                  <span class="meta">
                    {' '}
                    (recorded {formatTimestamp(r.created_at)}
                    {r.withdrawn_at ? <>; withdrawn {formatTimestamp(r.withdrawn_at)}</> : null})
                  </span>
                  {admin && !r.withdrawn_at && r.starts_on > today() && (
                    <>
                      {' '}
                      <RowButton label="Withdraw" what={`plan from ${formatDate(r.starts_on)}`} kind="danger" onClick={() => withdrawPlan(r)} />
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
              setNotice('Rotation plan added.');
              onChanged();
            }}
          />
        )}
      </section>

      <section aria-labelledby="ovr-h">
        <h2 id="ovr-h">Exceptions to the rotation</h2>
        {notice && <Notice>{notice}</Notice>}
        <ErrorBox error={overrides.error || error} />
        {overrides.data &&
          (overrides.data.length === 0 ? (
            <p>No exceptions.</p>
          ) : (
            <ul class="plain">
              {overrides.data.map((o) => (
                <li key={o.id}>
                  <strong>{o.organization?.acronym ?? acronym(o.organization_id)}</strong> from {formatDate(o.starts_on)} to{' '}
                  {formatDate(o.ends_on)}
                  {o.reason && <>: {o.reason}</>}
                  {admin && (
                    <>
                      {' '}
                      <RowButton label="Remove" what={`exception from ${formatDate(o.starts_on)}`} kind="danger" onClick={() => removeOverride(o)} />
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
              setNotice('Exception added.');
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
      From <strong>{formatDate(r.starts_on)}</strong>, terms of {r.term_months} month{r.term_months === 1 ? '' : 's'}: {r.order.map(acronym).join(' → ')}
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
    <form class="panel" noValidate onSubmit={onSubmit} data-testid="rotation-form">
      <h3>New rotation plan</h3>
      <p class="hint">A new plan takes effect from its start date, which must come after the latest plan's start. A plan that has not started can be withdrawn.</p>
      <div class="row">
        <Field label="Starts on" type="date" value={startsOn} onValue={(v) => { setStartsOn(v); setPreview(null); }} field="starts_on" error={error ?? shown.error} required />
        <Field label="Term (months)" type="number" min="1" max="60" value={months} onValue={(v) => { setMonths(v); setPreview(null); }} field="term_months" error={error ?? shown.error} required />
      </div>
      <fieldset class="order-picker">
        <legend>Chairing order</legend>
        {order.length === 0 ? (
          <p class="hint">No member in the order yet: add one below.</p>
        ) : (
          <ol data-testid="rotation-order">
            {order.map((id, i) => (
              <li key={id}>
                <span>
                  {byId(id)?.acronym ?? id} <span class="meta">{byId(id)?.name}</span>
                </span>{' '}
                <MoveButton label="Up" what={`move ${byId(id)?.acronym ?? id} earlier`} onClick={() => move(i, -1)} disabled={i === 0} />{' '}
                <MoveButton label="Down" what={`move ${byId(id)?.acronym ?? id} later`} onClick={() => move(i, 1)} disabled={i === order.length - 1} />{' '}
                <RowButton label="Remove" what={`${byId(id)?.acronym ?? id} from the order`} kind="danger" onClick={() => edit(order.filter((x) => x !== id))} />
              </li>
            ))}
          </ol>
        )}
        {addable.length > 0 && (
          <div class="inline-form">
            <Select
              label="Add a member"
              value={adding}
              onValue={setAdding}
              options={[{ value: '', label: '— choose —' }, ...addable.map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))]}
            />
            <button type="button" class="secondary" disabled={!adding} onClick={() => { edit([...order, adding]); setAdding(''); }}>
              Add to the order
            </button>
          </div>
        )}
      </fieldset>
      <ErrorBox error={error ?? shown.error} title="Not added." />
      <div class="actions">
        <button type="button" class="secondary" disabled={shown.busy || !startsOn || order.length === 0} onClick={(e) => shown.onSubmit(e)}>
          Preview the timeline
        </button>
        <button type="submit" disabled={busy}>
          Add rotation plan
        </button>
      </div>
      <div aria-live="polite" data-testid="rotation-preview">
        {preview && (
          <>
            <h4>With this plan</h4>
            {preview.length === 0 ? (
              <p>No terms in the preview range.</p>
            ) : (
              <ol class="plain">
                {preview.map((t) => (
                  <li key={`${t.starts_on}-${t.organization.id}`}>
                    <strong>{t.organization.acronym}</strong> {formatDate(t.starts_on)} – {formatDate(t.ends_on)}
                    {t.source === 'override' && <span class="tag override">exception</span>}
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
    <form class="panel" noValidate onSubmit={onSubmit}>
      <h3>New exception</h3>
      <div class="row">
        <Field label="Starts on" type="date" value={f.starts_on} onValue={set('starts_on')} field="starts_on" error={error} required />
        <Field label="Ends on" type="date" value={f.ends_on} onValue={set('ends_on')} field="ends_on" error={error} required />
      </div>
      <Select
        label="Chaired by"
        value={f.organization_id}
        onValue={set('organization_id')}
        field="organization_id"
        error={error}
        options={orgs.filter((o) => o.status === 'current').map((o) => ({ value: o.id, label: `${o.acronym} — ${o.name}` }))}
      />
      <Field label="Reason" value={f.reason} onValue={set('reason')} field="reason" error={error} required />
      <ErrorBox error={error} title="Not added." />
      <div class="actions">
        <button type="submit" disabled={busy}>
          Add exception
        </button>
      </div>
    </form>
  );
}

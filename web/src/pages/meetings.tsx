// /meetings: upcoming and past meetings, as a list or a month, filtered by series, status and
// organisation, and the iCal feeds to subscribe to (all, a series, an organisation). Public;
// staff get "Plan a meeting" and "New series".
import { useState } from 'preact/hooks';
import { api, listAll, type Organization } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Select, usePageTitle, useResource, useSubmit } from '../ui';
import { InRecords } from '../lang-text';
import { addMonths, canPlan, seesInternals, formatInZone, formatTimeInZone, icalUrl, loadMeetings, loadSeries, localDay, monthGrid, today, viewerZone, weekdayNames, presetOf, MEETING_STATUSES, type Meeting, type Series } from '../meetings';
import { formatMonth } from '../format';

export function MeetingsPage() {
  usePageTitle(t('meetings.title'));
  const { user } = useSession();
  const { search } = useLocation();
  const view = search.get('view') === 'month' ? 'month' : 'list';
  const series = search.get('series') ?? '';
  const status = search.get('status') ?? '';
  const org = search.get('organization') ?? '';
  const month = /^\d{4}-\d{2}$/.test(search.get('month') ?? '') ? search.get('month')! : today().slice(0, 7);
  const seriesList = useResource(() => loadSeries(), []);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  const meetings = useResource(() => loadMeetings({ series, status, organization: org }), [series, status, org]);

  function set(params: Record<string, string>) {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(params)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    navigate(`/meetings${s ? `?${s}` : ''}`, { replace: true });
  }

  const all = meetings.data ?? [];
  const now = new Date().toISOString();
  const upcoming = all.filter((m) => m.ends_at >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = all.filter((m) => m.ends_at < now).sort((a, b) => b.starts_at.localeCompare(a.starts_at));

  return (
    <section class="meetings">
      <h1>{t('meetings.title')}</h1>
      <p class="lede">{t('meetings.lede')}</p>
      {canPlan(user) && (
        <p class="actions-row">
          <Link href="/meetings/new" class="button" data-testid="plan-meeting">
            {t('meetings.plan')}
          </Link>{' '}
          <Link href="/meetings/new?series=1" class="button secondary" data-testid="new-series">
            {t('meetings.newSeries')}
          </Link>
        </p>
      )}
      {seesInternals(user) && (
        <p>
          <Link href="/actions">{t('actions.linkFromMeetings')}</Link>
        </p>
      )}
      <form class="filters" role="search" aria-label={t('meetings.filters')} onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('meetings.filter.series')}
          value={series}
          onValue={(v) => set({ series: v })}
          options={[{ value: '', label: t('meetings.filter.any') }, ...(seriesList.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))]}
        />
        <Select
          label={t('meetings.filter.status')}
          value={status}
          onValue={(v) => set({ status: v })}
          options={[{ value: '', label: t('meetings.filter.any') }, ...MEETING_STATUSES.map((s) => ({ value: s, label: t(`meetings.status.${s}`) }))]}
        />
        <Select
          label={t('meetings.filter.organization')}
          value={org}
          onValue={(v) => set({ organization: v })}
          options={[{ value: '', label: t('meetings.filter.any') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.acronym || o.name }))]}
        />
      </form>
      <div class="view-switch" role="group" aria-label={t('meetings.view')}>
        <button type="button" class={view === 'list' ? '' : 'secondary'} aria-pressed={view === 'list'} onClick={() => set({ view: '' })}>
          {t('meetings.viewList')}
        </button>
        <button type="button" class={view === 'month' ? '' : 'secondary'} aria-pressed={view === 'month'} onClick={() => set({ view: 'month' })}>
          {t('meetings.viewMonth')}
        </button>
      </div>
      {series && seriesList.data?.find((x) => String(x.id) === series) && <SeriesPanel s={seriesList.data.find((x) => String(x.id) === series)!} onChange={() => (seriesList.reload(), meetings.reload())} />}
      {meetings.error ? <ErrorBox error={meetings.error} /> : null}
      {!meetings.data && !meetings.error && <Loading what={t('meetings.loading')} />}
      {meetings.data &&
        (view === 'month' ? (
          <MonthView meetings={all} month={month} onMonth={(m) => set({ month: m })} />
        ) : (
          <>
            <section aria-labelledby="upcoming-h">
              <h2 id="upcoming-h">{t('meetings.upcoming')}</h2>
              {upcoming.length === 0 ? <EmptyState testId="no-upcoming" message={t('meetings.noUpcoming')} /> : <MeetingList meetings={upcoming} testId="upcoming" />}
            </section>
            <section aria-labelledby="past-h">
              <h2 id="past-h">{t('meetings.past')}</h2>
              {past.length === 0 ? <EmptyState testId="no-past" message={t('meetings.noPast')} /> : <MeetingList meetings={past} testId="past" />}
            </section>
          </>
        ))}
      <Subscribe series={series ? (seriesList.data ?? []).find((s) => String(s.id) === series) : undefined} org={org ? (orgs.data ?? []).find((o) => o.id === org) : undefined} />
    </section>
  );
}

export function MeetingList({ meetings, testId }: { meetings: Meeting[]; testId: string }) {
  const zone = viewerZone();
  return (
    <ul class="meeting-list" data-testid={testId}>
      {meetings.map((m) => (
        <li key={m.id} class={`meeting-item status-${m.status}`} data-meeting={m.id}>
          <Link href={`/meetings/${m.id}`}>
            <InRecords>{m.title}</InRecords>
          </Link>{' '}
          <StatusBadge status={m.status} />
          <div class="meta">
            <time dateTime={m.starts_at}>{formatInZone(m.starts_at, zone)}</time>
            {m.series && (
              <>
                {' · '}
                <InRecords>{m.series.name}</InRecords>
              </>
            )}
            {m.place && (
              <>
                {' · '}
                <InRecords>{m.place}</InRecords>
              </>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status }: { status: Meeting['status'] }) {
  return (
    <span class={`badge status-${status}`} data-testid="meeting-status">
      {t(`meetings.status.${status}`)}
    </span>
  );
}

function MonthView({ meetings, month, onMonth }: { meetings: Meeting[]; month: string; onMonth(m: string): void }) {
  const zone = viewerZone();
  const byDay = new Map<string, Meeting[]>();
  for (const m of meetings) {
    const d = localDay(m.starts_at);
    byDay.set(d, [...(byDay.get(d) ?? []), m]);
  }
  const names = weekdayNames();
  const grid = monthGrid(month);
  const inMonth = meetings.filter((m) => localDay(m.starts_at).startsWith(month)).length;
  return (
    <section aria-labelledby="month-h" data-testid="month-view">
      <div class="month-nav">
        <button type="button" class="secondary small" onClick={() => onMonth(addMonths(month, -1))}>
          {t('meetings.prevMonth')}
        </button>
        <h2 id="month-h" aria-live="polite">
          {formatMonth(`${month}-01`)}
        </h2>
        <button type="button" class="secondary small" onClick={() => onMonth(addMonths(month, 1))}>
          {t('meetings.nextMonth')}
        </button>
      </div>
      <p class="meta">{t('meetings.inMonth', { count: inMonth })}</p>
      <div class="table-wrap" role="region" tabIndex={0} aria-labelledby="month-h">
        <table class="month">
          <caption class="sr-only">{formatMonth(`${month}-01`)}</caption>
          <thead>
            <tr>
              {names.map((n) => (
                <th key={n} scope="col">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((week, i) => (
              <tr key={i}>
                {week.map((day, j) => (
                  <td key={j} class={day === today() ? 'today' : ''}>
                    {day && (
                      <>
                        <span class="day">{Number(day.slice(8))}</span>
                        {(byDay.get(day) ?? []).map((m) => (
                          <Link key={m.id} href={`/meetings/${m.id}`} class={`cal-event status-${m.status}`}>
                            {formatTimeInZone(m.starts_at, zone)} <InRecords>{m.title}</InRecords>
                          </Link>
                        ))}
                      </>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A series filtered on: its rule and exceptions; staff skip an occurrence or archive it. */
function SeriesPanel({ s, onChange }: { s: Series; onChange(): void }) {
  const { user } = useSession();
  const [skip, setSkip] = useState('');
  const [notice, setNotice] = useState('');
  const preset = presetOf(s.rule);
  const patch = async (body: object, msg: string) => {
    setNotice('');
    const cur = await api.get<Series>(`/meeting-series/${s.id}`);
    await api.patch(`/meeting-series/${s.id}`, body, cur.data.etag ?? cur.etag);
    setNotice(msg);
    onChange();
  };
  const skipSubmit = useSubmit(async () => {
    if (!skip) return;
    await patch({ exceptions: [...s.exceptions, skip].sort() }, t('meetings.series.skipped'));
    setSkip('');
  });
  const archive = useSubmit(async () => {
    if (!confirm(t('meetings.series.archiveConfirm', { name: s.name }))) return;
    await api.del(`/meeting-series/${s.id}`);
    setNotice(t('meetings.series.archived'));
    onChange();
  });
  return (
    <section class="panel" aria-labelledby="series-h" data-testid="series-panel">
      <h2 id="series-h">
        <InRecords>{s.name}</InRecords>
      </h2>
      {notice && <Notice>{notice}</Notice>}
      <p class="meta">
        {t(`meetings.level.${s.level}`)} · {preset ? t(`meetings.series.preset.${preset}`) : <code dir="ltr">{s.rule}</code>} · {s.time_zone}
        {s.archived && <> · {t('meetings.series.isArchived')}</>}
      </p>
      {s.description && (
        <p>
          <InRecords>{s.description}</InRecords>
        </p>
      )}
      {s.exceptions.length > 0 && (
        <p>
          {t('meetings.series.exceptions')}:{' '}
          {s.exceptions.map((x, i) => (
            <span key={x}>
              {i > 0 && ', '}
              <bdi dir="ltr">{x.replace('T', ' ')}</bdi>
            </span>
          ))}
        </p>
      )}
      {canPlan(user) && !s.archived && (
        <>
          <form onSubmit={skipSubmit.onSubmit} class="inline-form">
            <ErrorBox error={skipSubmit.error} />
            <Field label={t('meetings.series.exception')} type="datetime-local" value={skip} onValue={setSkip} field="exceptions" error={skipSubmit.error} hint={t('meetings.series.exceptionsHint')} />
            <button type="submit" class="secondary" disabled={skipSubmit.busy || !skip}>
              {t('meetings.series.addException')}
            </button>
          </form>
          <ErrorBox error={archive.error} />
          <p>
            <button type="button" class="danger small" onClick={archive.onSubmit} disabled={archive.busy}>
              {t('meetings.series.archive')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** The iCal feeds with a copy button each: all meetings, and the series or organisation filtered on. */
function Subscribe({ series, org }: { series?: { id: number; name: string }; org?: Organization }) {
  const feeds = [{ key: 'all', label: t('meetings.ical.all'), url: icalUrl('all') }];
  if (series) feeds.push({ key: 'series', label: t('meetings.ical.series', { name: series.name }), url: icalUrl('series', series.id) });
  if (org) feeds.push({ key: 'org', label: t('meetings.ical.organization', { name: org.acronym || org.name }), url: icalUrl('organization', org.id) });
  return (
    <section aria-labelledby="ical-h" data-testid="ical">
      <h2 id="ical-h">{t('meetings.ical.heading')}</h2>
      <p>{t('meetings.ical.lede')}</p>
      <ul class="feeds">
        {feeds.map((f) => (
          <li key={f.key}>
            <CopyUrl label={f.label} url={f.url} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CopyUrl({ label, url }: { label: string; url: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div class="copy-url">
      <a href={url}>{label}</a>
      <input type="text" readOnly value={url} aria-label={label} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} dir="ltr" />
      <button type="button" class="secondary small" onClick={copy}>
        {t('meetings.ical.copy')}
        <span class="sr-only"> {label}</span>
      </button>
      <span role="status" class="meta">
        {copied === true ? t('meetings.ical.copied') : copied === false ? t('meetings.ical.copyFailed') : ''}
      </span>
    </div>
  );
}

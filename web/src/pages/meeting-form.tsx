// /meetings/new: staff plan one meeting (in a series or alone: local date and time in an IANA
// zone, place or link, chair — by default whoever chairs on that date in the rotation);
// /meetings/new?series=1: a recurring series from a preset rule (every month, quarter, six
// months, year; bounded by a count) with exceptions (occurrences skipped).
import { useState } from 'preact/hooks';
import { api, listAll, type Organization } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { ErrorBox, Field, Select, SubmitCancel, usePageTitle, useResource, useSubmit } from '../ui';
import { RULE_PRESETS, SERIES_LEVELS, loadSeries, ruleOf, timeZones, viewerZone, type Meeting, type RulePreset, type Series, type SeriesLevel } from '../meetings';

export function MeetingFormPage() {
  const { search } = useLocation();
  return search.get('series') === '1' ? <SeriesForm /> : <MeetingForm />;
}

function ZoneField({ value, onValue, error }: { value: string; onValue(v: string): void; error: unknown }) {
  return (
    <>
      <Field label={t('meetings.field.timeZone')} value={value} onValue={onValue} field="time_zone" error={error} required hint={t('meetings.field.timeZoneHint')} list="zones" />
      <datalist id="zones">
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

function MeetingForm() {
  usePageTitle(t('meetings.plan'));
  const series = useResource(() => loadSeries(), []);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  const [seriesId, setSeriesId] = useState('');
  const [title, setTitle] = useState('');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [zone, setZone] = useState(viewerZone());
  const [place, setPlace] = useState('');
  const [link, setLink] = useState('');
  const [chair, setChair] = useState('');
  const submit = useSubmit(async () => {
    const r = await api.post<Meeting>('/meetings', {
      series_id: seriesId ? Number(seriesId) : null,
      title,
      starts_local: starts,
      ends_local: ends,
      time_zone: zone,
      place,
      link,
      ...(chair ? { chair_org: chair } : {}),
    });
    navigate(`/meetings/${r.data.id}`);
  });
  function pickSeries(v: string) {
    setSeriesId(v);
    const s = series.data?.find((x) => String(x.id) === v);
    if (s) {
      if (!title) setTitle(s.name);
      setZone(s.time_zone);
      if (!place) setPlace(s.place);
      if (!link && s.link) setLink(s.link);
    }
  }
  return (
    <section>
      <p class="crumbs">
        <Link href="/meetings">{t('meetings.title')}</Link>
      </p>
      <h1>{t('meetings.plan')}</h1>
      <form onSubmit={submit.onSubmit} data-testid="meeting-form">
        <ErrorBox error={submit.error} />
        <Select label={t('meetings.field.series')} value={seriesId} onValue={pickSeries} field="series_id" error={submit.error} options={[{ value: '', label: t('meetings.field.noSeries') }, ...(series.data ?? []).filter((s) => !s.archived).map((s) => ({ value: String(s.id), label: s.name }))]} />
        <Field label={t('meetings.field.title')} value={title} onValue={setTitle} field="title" error={submit.error} required maxLength={300} />
        <Field label={t('meetings.field.startsLocal')} type="datetime-local" value={starts} onValue={setStarts} field="starts_local" error={submit.error} required />
        <Field label={t('meetings.field.endsLocal')} type="datetime-local" value={ends} onValue={setEnds} field="ends_local" error={submit.error} required />
        <ZoneField value={zone} onValue={setZone} error={submit.error} />
        <Field label={t('meetings.field.place')} value={place} onValue={setPlace} field="place" error={submit.error} />
        <Field label={t('meetings.field.link')} type="url" value={link} onValue={setLink} field="link" error={submit.error} hint={t('meetings.field.linkHint')} />
        <Select label={t('meetings.field.chair')} value={chair} onValue={setChair} field="chair_org" error={submit.error} options={[{ value: '', label: t('meetings.field.chairRotation') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.acronym || o.name }))]} />
        <SubmitCancel label={t('meetings.planButton')} busy={submit.busy} onCancel={() => navigate('/meetings')} />
      </form>
    </section>
  );
}

function SeriesForm() {
  usePageTitle(t('meetings.newSeries'));
  const [name, setName] = useState('');
  const [level, setLevel] = useState<SeriesLevel>('working');
  const [description, setDescription] = useState('');
  const [zone, setZone] = useState(viewerZone());
  const [place, setPlace] = useState('');
  const [link, setLink] = useState('');
  const [first, setFirst] = useState('');
  const [duration, setDuration] = useState('120');
  const [preset, setPreset] = useState<RulePreset>('half_yearly');
  const [count, setCount] = useState('6');
  const [exceptions, setExceptions] = useState<string[]>([]);
  const [exception, setException] = useState('');
  const submit = useSubmit(async () => {
    const r = await api.post<Series>('/meeting-series', {
      name,
      level,
      description,
      time_zone: zone,
      place,
      link,
      first_local: first,
      duration_minutes: Number(duration),
      rule: ruleOf(preset, Number(count)),
      exceptions,
    });
    navigate(`/meetings?series=${r.data.id}`);
  });
  return (
    <section>
      <p class="crumbs">
        <Link href="/meetings">{t('meetings.title')}</Link>
      </p>
      <h1>{t('meetings.newSeries')}</h1>
      <p class="lede">{t('meetings.series.lede')}</p>
      <form onSubmit={submit.onSubmit} data-testid="series-form">
        <ErrorBox error={submit.error} />
        <Field label={t('meetings.series.name')} value={name} onValue={setName} field="name" error={submit.error} required />
        <Select label={t('meetings.series.level')} value={level} onValue={(v) => setLevel(v as SeriesLevel)} field="level" error={submit.error} options={SERIES_LEVELS.map((l) => ({ value: l, label: t(`meetings.level.${l}`) }))} />
        <Field label={t('meetings.series.description')} value={description} onValue={setDescription} field="description" error={submit.error} multiline rows={3} />
        <ZoneField value={zone} onValue={setZone} error={submit.error} />
        <Field label={t('meetings.field.place')} value={place} onValue={setPlace} field="place" error={submit.error} />
        <Field label={t('meetings.field.link')} type="url" value={link} onValue={setLink} field="link" error={submit.error} />
        <Field label={t('meetings.series.first')} type="datetime-local" value={first} onValue={setFirst} field="first_local" error={submit.error} required />
        <Field label={t('meetings.series.duration')} type="number" min="15" max="1440" value={duration} onValue={setDuration} field="duration_minutes" error={submit.error} required />
        <Select label={t('meetings.series.repeat')} value={preset} onValue={(v) => setPreset(v as RulePreset)} field="rule" error={submit.error} options={RULE_PRESETS.map((p) => ({ value: p, label: t(`meetings.series.preset.${p}`) }))} />
        {preset !== 'none' && <Field label={t('meetings.series.count')} type="number" min="1" max="60" value={count} onValue={setCount} error={submit.error} required hint={t('meetings.series.countHint')} />}
        {preset !== 'none' && (
          <fieldset>
            <legend>{t('meetings.series.exceptions')}</legend>
            <p class="hint">{t('meetings.series.exceptionsHint')}</p>
            <ul data-testid="exceptions">
              {exceptions.map((x) => (
                <li key={x}>
                  <bdi dir="ltr">{x.replace('T', ' ')}</bdi>{' '}
                  <button type="button" class="secondary small" onClick={() => setExceptions(exceptions.filter((y) => y !== x))}>
                    {t('meetings.series.removeException')}
                    <span class="sr-only"> {x}</span>
                  </button>
                </li>
              ))}
            </ul>
            <Field label={t('meetings.series.exception')} type="datetime-local" value={exception} onValue={setException} field="exceptions" error={submit.error} />
            <button type="button" class="secondary small" onClick={() => exception && !exceptions.includes(exception) && (setExceptions([...exceptions, exception].sort()), setException(''))}>
              {t('meetings.series.addException')}
            </button>
          </fieldset>
        )}
        <SubmitCancel label={t('meetings.series.create')} busy={submit.busy} onCancel={() => navigate('/meetings')} />
      </form>
    </section>
  );
}

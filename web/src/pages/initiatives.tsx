// /initiatives and /initiatives/:id: the GMG's major initiatives (the 2006 High-level Dialogue,
// the follow-up to the GCIM report…) with each member's contributions — papers, events,
// commitments —, the meetings and positions linked to them, and the follow-up actions. Staff,
// and member staff for their own organisation, add contributions.
import { useState } from 'preact/hooks';
import { ApiError, api, listAll, type Organization } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { Link } from '../router';
import { isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Paragraphs, Select, Table, formatDate, formatTimestamp, usePageTitle, useResource, useSubmit } from '../ui';
import { CONTRIBUTION_KINDS, isMemberStaff, positionPath, readsDrafts, type Contribution, type ContributionKind, type FollowUpAction, type Initiative } from '../positions';

const initiativePath = (id: number | string) => `/initiatives/${encodeURIComponent(String(id))}`;

export function InitiativesPage() {
  const list = useResource(() => listAll<Initiative>('/initiatives'), []);
  usePageTitle(t('initiatives.title'));
  const items = list.data ?? [];
  return (
    <section data-testid="initiatives-page">
      <h1>{t('initiatives.title')}</h1>
      <p>{t('initiatives.lede')}</p>
      <ErrorBox error={list.error} />
      {!list.data ? (
        list.error ? null : <Loading what={t('initiatives.loading')} />
      ) : items.length === 0 ? (
        <EmptyState message={t('initiatives.none')} testId="no-initiatives" />
      ) : (
        <ul class="notif-list" data-testid="initiatives">
          {items.map((i) => (
            <li key={i.id}>
              <h2>
                <Link href={initiativePath(i.id)}>
                  <bdi>{i.title}</bdi>
                </Link>
              </h2>
              <p class="meta">
                {period(i)} · {t(`initiatives.status.${i.status}`)} · {t('initiatives.contributionsCount', { count: i.contributions_count, n: formatNumber(i.contributions_count) })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function period(i: Initiative): string {
  return i.ended_on ? t('initiatives.period', { from: formatDate(i.started_on), to: formatDate(i.ended_on) }) : t('initiatives.since', { from: formatDate(i.started_on) });
}

export function InitiativePage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<Initiative>(initiativePath(id)).then((r) => r.data), [id]);
  const contributions = useResource(() => listAll<Contribution>(`${initiativePath(id)}/contributions`), [id]);
  const numericId = res.data?.id;
  const actions = useResource(() => (readsDrafts(user) && numericId ? listAll<FollowUpAction>(`/actions?initiative=${numericId}`) : Promise.resolve([])), [numericId, user?.id]);
  usePageTitle(res.data?.title ?? t('initiatives.title'));
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <p class="crumbs">
          <Link href="/initiatives">{t('initiatives.title')}</Link>
        </p>
        <h1>{notFound ? t('initiatives.notFound') : t('initiatives.title')}</h1>
        <ErrorBox error={res.error} />
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('initiatives.loading')} />;
  const i = res.data;
  const byOrg = new Map<string, Contribution[]>();
  for (const c of [...(contributions.data ?? [])].sort((a, b) => a.organization.name.localeCompare(b.organization.name) || b.date.localeCompare(a.date))) {
    byOrg.set(c.organization.id, [...(byOrg.get(c.organization.id) ?? []), c]);
  }
  const canContribute = isStaff(user) || isMemberStaff(user);
  return (
    <article data-testid="initiative-page">
      <p class="crumbs">
        <Link href="/initiatives">{t('initiatives.title')}</Link>
      </p>
      <h1>
        <bdi>{i.title}</bdi>
      </h1>
      <p class="meta">
        {period(i)} · {t(`initiatives.status.${i.status}`)}
      </p>
      {i.description && <Paragraphs text={i.description} dir="auto" />}

      <section aria-labelledby="contrib-h">
        <h2 id="contrib-h">{t('initiatives.contributions')}</h2>
        <ErrorBox error={contributions.error} />
        {byOrg.size === 0 ? (
          <p class="meta">{t('initiatives.noContributions')}</p>
        ) : (
          [...byOrg.values()].map((list) => (
            <section key={list[0].organization.id} aria-labelledby={`org-${list[0].organization.id}`} data-org={list[0].organization.id}>
              <h3 id={`org-${list[0].organization.id}`}>
                <Link href={`/members/${encodeURIComponent(list[0].organization.id)}`}>
                  <bdi>{list[0].organization.name}</bdi>
                </Link>
              </h3>
              <ul>
                {list.map((c) => (
                  <li key={c.id}>
                    <span class="tag">{t(`initiatives.kind.${c.kind}`)}</span> {c.url ? <a href={c.url} rel="noopener noreferrer"><bdi>{c.title}</bdi></a> : <bdi>{c.title}</bdi>} <span class="meta">{formatDate(c.date)}</span>
                    {c.description && <div dir="auto">{c.description}</div>}
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
        {canContribute && <ContributionForm initiativeId={id} onDone={contributions.reload} />}
      </section>

      <section aria-labelledby="links-h">
        <h2 id="links-h">{t('initiatives.linked')}</h2>
        <h3>{t('initiatives.meetings')}</h3>
        {i.links.meetings.length === 0 ? (
          <p class="meta">{t('initiatives.noMeetings')}</p>
        ) : (
          <ul data-testid="linked-meetings">
            {i.links.meetings.map((m) => (
              <li key={m.id}>
                <Link href={`/meetings/${m.id}`}>{m.title ? <bdi>{m.title}</bdi> : t('initiatives.meetingN', { n: formatNumber(m.id) })}</Link>{' '}
                {m.starts_at && <span class="meta">{formatTimestamp(m.starts_at)}</span>}
                {m.status && <span class="meta"> · {t(`meetings.status.${m.status}`)}</span>}
              </li>
            ))}
          </ul>
        )}
        <h3>{t('initiatives.positions')}</h3>
        {i.links.positions.length === 0 ? (
          <p class="meta">{t('initiatives.noPositions')}</p>
        ) : (
          <ul data-testid="linked-positions">
            {i.links.positions.map((p) => (
              <li key={p.id}>
                <Link href={positionPath(p.id)}>{p.title ? <bdi>{p.title}</bdi> : t('initiatives.positionN', { n: formatNumber(p.id) })}</Link>{' '}
                {p.status && <span class="meta">{t(`positions.statusName.${p.status}`)}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {readsDrafts(user) && (
        <section aria-labelledby="followup-h">
          <h2 id="followup-h">{t('initiatives.followUp')}</h2>
          <ErrorBox error={actions.error} />
          {(actions.data ?? []).length === 0 ? (
            <p class="meta">{t('initiatives.noActions')}</p>
          ) : (
            <Table columns={[t('initiatives.action.title'), t('initiatives.action.owner'), t('initiatives.action.due'), t('initiatives.action.status')]} compact testId="followup" label={t('initiatives.followUp')}>
              {(actions.data ?? []).map((a) => (
                <tr key={a.id}>
                  <td>
                    <bdi>{a.title}</bdi>
                  </td>
                  <td>
                    <bdi>{a.owner.name}</bdi>
                  </td>
                  <td>
                    {formatDate(a.due_date)} {a.overdue && <span class="tag">{t('initiatives.action.overdue')}</span>}
                  </td>
                  <td>{t(`initiatives.action.statusName.${a.status}`)}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      )}
    </article>
  );
}

function ContributionForm({ initiativeId, onDone }: { initiativeId: string; onDone(): void }) {
  const { user } = useSession();
  const staff = isStaff(user);
  const orgs = useResource(() => (staff ? listAll<Organization>('/organizations') : Promise.resolve([] as Organization[])), [staff]);
  const [org, setOrg] = useState(staff ? '' : (user?.organization_id ?? ''));
  const [kind, setKind] = useState<ContributionKind>('paper');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [url, setUrl] = useState('');
  const [date, setDate] = useState('');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    await api.post(`${initiativePath(initiativeId)}/contributions`, { organization_id: org, kind, title, description, url, date });
    setTitle('');
    setDescription('');
    setUrl('');
    setDate('');
    setDone(true);
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="contribution-form" aria-labelledby="addc-h">
      <h3 id="addc-h">{t('initiatives.add')}</h3>
      {staff ? (
        <Select
          label={t('initiatives.field.organization')}
          value={org}
          onValue={setOrg}
          required
          field="organization_id"
          error={submit.error}
          options={[{ value: '', label: t('initiatives.field.choose') }, ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))]}
        />
      ) : (
        <p class="meta">{t('initiatives.field.ownOrg')}</p>
      )}
      <Select label={t('initiatives.field.kind')} value={kind} onValue={(v) => setKind(v as ContributionKind)} field="kind" error={submit.error} options={CONTRIBUTION_KINDS.map((k) => ({ value: k, label: t(`initiatives.kind.${k}`) }))} />
      <Field label={t('initiatives.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      <Field label={t('initiatives.field.description')} value={description} onValue={setDescription} multiline rows={3} field="description" error={submit.error} />
      <Field label={t('initiatives.field.url')} type="url" value={url} onValue={setUrl} field="url" error={submit.error} />
      <Field label={t('initiatives.field.date')} type="date" value={date} onValue={setDate} required field="date" error={submit.error} />
      <ErrorBox error={submit.error} title={t('initiatives.notSaved')} />
      {done && <Notice>{t('initiatives.added')}</Notice>}
      <button type="submit" disabled={submit.busy}>
        {t('initiatives.submit')}
      </button>
    </form>
  );
}

// /research: the GMG's joint research network — its share in developing countries (by M49, and
// in LDCs, LLDCs and SIDS), institutions, researchers and joint projects; a member's focal point
// and the secretariat add institutions. /exchanges: staff transfers, secondments and loans
// between members, for GMG insiders; either organisation's focal point records and moves them.
import { useState } from 'preact/hooks';
import { api, listAll, type Organization, type User } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Select, Table, formatDate, usePageTitle, useResource, useSubmit } from '../ui';
import { InstitutionForm, ProjectForm, ResearcherForm, addsToNetwork, isFocalPoint, mayEditAdded, mayEditProject, type Institution, type Project, type Researcher } from './research-forms';

const GROUPS = ['developing', 'ldc', 'lldc', 'sids'] as const;
const EXCHANGE_KINDS = ['transfer', 'secondment', 'loan'] as const;
type ExchangeKind = (typeof EXCHANGE_KINDS)[number];
type ExchangeStatus = 'proposed' | 'agreed' | 'in_progress' | 'completed' | 'cancelled';
type Move = Exclude<ExchangeStatus, 'proposed'>;
// The status changes the server allows (research/exchange_service.h).
const NEXT_STATUS: Partial<Record<ExchangeStatus, Move[]>> = {
  proposed: ['agreed', 'cancelled'],
  agreed: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
};

interface Count {
  count: number;
  share: number;
}
interface Counts {
  total: number;
  developing: Count;
  ldc: Count;
  lldc: Count;
  sids: Count;
}
interface Share {
  institutions: Counts;
  researchers: Counts;
}
interface Exchange {
  id: number;
  kind: ExchangeKind;
  from_organization: string;
  to_organization: string;
  person_name: string;
  started_on: string;
  ended_on: string;
  purpose: string;
  status: ExchangeStatus;
  proposed_by: string | null; // the organisation whose focal point proposed it; null: the secretariat
}


const isInsider = (u: User | null | undefined) => isStaff(u) || (!!u && (u.role === 'focal_point' || u.role === 'member') && !!u.organization_id);
const percent = (share: number) => formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });

export function ResearchPage() {
  const { user } = useSession();
  const share = useResource(() => api.get<Share>('/research/share').then((r) => r.data), []);
  const institutions = useResource(() => listAll<Institution>('/research/institutions'), []);
  const researchers = useResource(() => listAll<Researcher>('/research/researchers'), [user?.id]);
  const projects = useResource(() => listAll<Project>('/research/projects'), []);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  usePageTitle(t('research.title'));
  const names = new Map((orgs.data ?? []).map((o) => [o.id, o.acronym || o.name]));
  const instNames = new Map((institutions.data ?? []).map((i) => [i.id, i.name]));
  // What is being edited (its row's Edit button), or none: each form adds one.
  const [editing, setEditing] = useState<Institution | null>(null);
  const [editingResearcher, setEditingResearcher] = useState<Researcher | null>(null);
  const [editingProject, setEditingProject] = useState<Project | null>(null);
  const mayEdit = (i: Institution) => mayEditAdded(user, i);
  const editsAny = (institutions.data ?? []).some(mayEdit);
  return (
    <section data-testid="research-page">
      <h1>{t('research.title')}</h1>
      <p>{t('research.lede')}</p>
      <ErrorBox error={share.error} />
      {share.data && <ShareIndicator share={share.data} />}

      <h2>{t('research.institutions')}</h2>
      <ErrorBox error={institutions.error} />
      {!institutions.data ? (
        institutions.error ? null : <Loading what={t('research.loading')} />
      ) : institutions.data.length === 0 ? (
        <EmptyState message={t('research.noInstitutions')} testId="no-institutions" />
      ) : (
        <Table columns={[t('research.field.name'), t('research.field.country'), t('research.field.type'), t('research.groups'), ...(editsAny ? [t('research.actions')] : [])]} compact testId="institutions" label={t('research.institutions')}>
          {institutions.data.map((i) => (
            <tr key={i.id} id={`institution-${i.id}`}>
              <td>{i.website ? <a href={i.website} rel="noopener noreferrer"><bdi>{i.name}</bdi></a> : <bdi>{i.name}</bdi>}</td>
              <td>
                <bdi>{i.country_name}</bdi> ({i.country})
              </td>
              <td>{t(`research.type.${i.type}`)}</td>
              <td>
                {GROUPS.filter((g) => i.groups[g]).map((g) => (
                  <span key={g} class="tag">
                    {t(`research.group.${g}`)}
                  </span>
                ))}
              </td>
              {editsAny && (
                <td>
                  {mayEdit(i) && (
                    <button type="button" class="secondary" onClick={() => setEditing(i)} aria-label={t('research.editNamed', { name: i.name })}>
                      {t('research.edit')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </Table>
      )}
      {addsToNetwork(user) && (
        <InstitutionForm
          editing={editing}
          onCancel={() => setEditing(null)}
          onStale={() => institutions.reload()}
          onDone={() => (setEditing(null), institutions.reload(), share.reload())}
        />
      )}

      <h2>{t('research.researchers')}</h2>
      <ErrorBox error={researchers.error} />
      {(researchers.data ?? []).length === 0 ? (
        <p class="meta">{t('research.noResearchers')}</p>
      ) : (
        <ul data-testid="researchers">
          {(researchers.data ?? []).map((r) => (
            <li key={r.id} id={`researcher-${r.id}`}>
              <bdi>{r.name}</bdi> — <bdi>{r.institution.name}</bdi>
              {r.themes.length > 0 && <span class="meta"> · {r.themes.join(', ')}</span>}
              {r.email && (
                <span class="meta">
                  {' '}
                  · <a href={`mailto:${r.email}`}>{r.email}</a>
                </span>
              )}
              {mayEditAdded(user, r) && (
                <>
                  {' '}
                  <button type="button" class="secondary" onClick={() => setEditingResearcher(r)} aria-label={t('research.editNamed', { name: r.name })}>
                    {t('research.edit')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {addsToNetwork(user) && (institutions.data ?? []).length > 0 && (
        <ResearcherForm
          editing={editingResearcher}
          institutions={institutions.data ?? []}
          onCancel={() => setEditingResearcher(null)}
          onStale={() => researchers.reload()}
          onDone={() => (setEditingResearcher(null), researchers.reload(), institutions.reload(), share.reload())}
        />
      )}

      <h2>{t('research.projects')}</h2>
      <ErrorBox error={projects.error} />
      {(projects.data ?? []).length === 0 ? (
        <p class="meta">{t('research.noProjects')}</p>
      ) : (
        <ul class="notif-list" data-testid="projects">
          {(projects.data ?? []).map((p) => (
            <li key={p.id} id={`research_project-${p.id}`}>
              <h3>
                <bdi>{p.title}</bdi>
              </h3>
              <p class="meta">
                {p.ended_on ? t('research.period', { from: formatDate(p.started_on), to: formatDate(p.ended_on) }) : t('research.since', { from: formatDate(p.started_on) })} · {t(`research.status.${p.status}`)}
              </p>
              {p.summary && <p dir="auto">{p.summary}</p>}
              <p class="meta">
                {t('research.partners')}: {p.organizations.map((o) => names.get(o) ?? o).join(', ')}
                {p.institutions.length > 0 && ` · ${p.institutions.map((i) => instNames.get(i) ?? String(i)).join(', ')}`}
              </p>
              {mayEditProject(user, p) && (
                <button type="button" class="secondary" onClick={() => setEditingProject(p)} aria-label={t('research.editNamed', { name: p.title })}>
                  {t('research.edit')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {addsToNetwork(user) && (
        <ProjectForm
          editing={editingProject}
          user={user}
          organizations={orgs.data ?? []}
          institutions={institutions.data ?? []}
          onCancel={() => setEditingProject(null)}
          onStale={() => projects.reload()}
          onDone={() => (setEditingProject(null), projects.reload())}
        />
      )}
    </section>
  );
}

function ShareIndicator({ share }: { share: Share }) {
  const rows: [string, Counts][] = [
    [t('research.institutions'), share.institutions],
    [t('research.researchers'), share.researchers],
  ];
  return (
    <section class="card" aria-labelledby="share-h" data-testid="research-share">
      <h2 id="share-h">{t('research.share.title')}</h2>
      <Table columns={['', ...GROUPS.map((g) => t(`research.group.${g}`))]} compact label={t('research.share.title')}>
        {rows.map(([label, c]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {GROUPS.map((g) => (
              <td key={g} data-group={g}>
                {t('research.share.of', { count: c[g].count, n: formatNumber(c[g].count), total: formatNumber(c.total) })}
                {c.total > 0 && ` (${percent(c[g].share)})`}
              </td>
            ))}
          </tr>
        ))}
      </Table>
      <p class="meta">{t('research.share.note')}</p>
    </section>
  );
}


export function ExchangesPage() {
  const { user } = useSession();
  const insider = isInsider(user);
  const list = useResource(() => (insider ? listAll<Exchange>('/exchanges') : Promise.resolve([] as Exchange[])), [user?.id]);
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  usePageTitle(t('research.exchanges.title'));
  const names = new Map((orgs.data ?? []).map((o) => [o.id, o.acronym || o.name]));
  const mayChange = (e: Exchange) => isStaff(user) || (isFocalPoint(user) && (user?.organization_id === e.from_organization || user?.organization_id === e.to_organization));
  // An agreement takes the side that did not propose it (or the secretariat).
  const waitsForOther = (e: Exchange) => e.status === 'proposed' && !isStaff(user) && !!e.proposed_by && e.proposed_by === user?.organization_id;
  const otherSide = (e: Exchange) => (e.proposed_by === e.from_organization ? e.to_organization : e.from_organization);
  const [moveError, setMoveError] = useState<unknown>(null);
  async function setStatus(e: Exchange, status: Move) {
    setMoveError(null);
    try {
      await api.patch(`/exchanges/${e.id}`, { status }, null);
      list.reload();
    } catch (err) {
      setMoveError(err);
    }
  }
  return (
    <section data-testid="exchanges-page">
      <h1>{t('research.exchanges.title')}</h1>
      <p>{t('research.exchanges.lede')}</p>
      {!insider ? (
        <p class="notice">{t('research.exchanges.insidersOnly')}</p>
      ) : (
        <>
          <ErrorBox error={list.error ?? moveError} />
          {!list.data ? (
            list.error ? null : <Loading what={t('research.loading')} />
          ) : list.data.length === 0 ? (
            <EmptyState message={t('research.exchanges.none')} testId="no-exchanges" />
          ) : (
            <Table columns={[t('research.exchanges.person'), t('research.exchanges.kind'), t('research.exchanges.fromTo'), t('research.exchanges.period'), t('research.exchanges.status'), '']} compact testId="exchanges" label={t('research.exchanges.title')}>
              {list.data.map((e) => (
                <tr key={e.id} data-exchange={e.id} id={`staff_exchange-${e.id}`}>
                  <td>
                    <bdi>{e.person_name}</bdi>
                    {e.purpose && <div class="meta" dir="auto">{e.purpose}</div>}
                  </td>
                  <td>{t(`research.exchanges.kindName.${e.kind}`)}</td>
                  <td>
                    <bdi>{names.get(e.from_organization) ?? e.from_organization}</bdi> → <bdi>{names.get(e.to_organization) ?? e.to_organization}</bdi>
                  </td>
                  <td>{t('research.period', { from: formatDate(e.started_on), to: formatDate(e.ended_on) })}</td>
                  <td>{t(`research.exchanges.statusName.${e.status}`)}</td>
                  <td>
                    {mayChange(e) && waitsForOther(e) && <span class="meta">{t('research.exchanges.awaiting', { org: names.get(otherSide(e)) ?? otherSide(e) })} </span>}
                    {mayChange(e) &&
                      (NEXT_STATUS[e.status] ?? [])
                        .filter((s) => !(s === 'agreed' && waitsForOther(e)))
                        .map((s) => (
                          <button key={s} type="button" class="secondary" onClick={() => setStatus(e, s)}>
                            {t(`research.exchanges.moveTo.${s}`)}
                          </button>
                        ))}
                  </td>
                </tr>
              ))}
            </Table>
          )}
          {(isStaff(user) || isFocalPoint(user)) && <ExchangeForm orgs={orgs.data ?? []} onDone={list.reload} />}
        </>
      )}
    </section>
  );
}

function ExchangeForm({ orgs, onDone }: { orgs: Organization[]; onDone(): void }) {
  const { user } = useSession();
  const members = orgs.filter((o) => o.status === 'current');
  const [kind, setKind] = useState<ExchangeKind>('secondment');
  const [from, setFrom] = useState(isStaff(user) ? '' : (user?.organization_id ?? ''));
  const [to, setTo] = useState('');
  const [person, setPerson] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [purpose, setPurpose] = useState('');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    await api.post('/exchanges', { kind, from_organization: from, to_organization: to, person_name: person, started_on: start, ended_on: end, purpose });
    setPerson('');
    setPurpose('');
    setDone(true);
    onDone();
  });
  const options = [{ value: '', label: t('research.exchanges.choose') }, ...members.map((o) => ({ value: o.id, label: o.name }))];
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="exchange-form" aria-labelledby="adde-h">
      <h2 id="adde-h">{t('research.exchanges.add')}</h2>
      <Select label={t('research.exchanges.kind')} value={kind} onValue={(v) => setKind(v as ExchangeKind)} field="kind" error={submit.error} options={EXCHANGE_KINDS.map((k) => ({ value: k, label: t(`research.exchanges.kindName.${k}`) }))} />
      <Select label={t('research.exchanges.from')} value={from} onValue={setFrom} required field="from_organization" error={submit.error} options={options} />
      <Select label={t('research.exchanges.to')} value={to} onValue={setTo} required field="to_organization" error={submit.error} options={options} />
      <Field label={t('research.exchanges.person')} value={person} onValue={setPerson} required field="person_name" error={submit.error} maxLength={200} />
      <Field label={t('research.exchanges.start')} type="date" value={start} onValue={setStart} required field="started_on" error={submit.error} />
      <Field label={t('research.exchanges.end')} type="date" value={end} onValue={setEnd} required field="ended_on" error={submit.error} />
      <Field label={t('research.exchanges.purpose')} value={purpose} onValue={setPurpose} multiline rows={3} field="purpose" error={submit.error} />
      <ErrorBox error={submit.error} title={t('research.notSaved')} />
      {done && <Notice>{t('research.added')}</Notice>}
      <button type="submit" disabled={submit.busy}>
        {t('research.submit')}
      </button>
    </form>
  );
}

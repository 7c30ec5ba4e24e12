// /stakeholders, /stakeholders/:id, /support-requests and /support-requests/:id: the GMG's
// stakeholders (states, regional bodies and consultative processes, employers' and workers'
// organisations, civil society), their contacts (GMG insiders only), the interaction log, and
// states' requests for support routed to members and tracked to an answer (docs/engagement.md).
import { useState } from 'preact/hooks';
import { ApiError, api, listAll, type Organization } from '../api';
import { t } from '../i18n';
import { Link } from '../router';
import { isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Paragraphs, Select, Table, formatDate, usePageTitle, useResource, useSubmit } from '../ui';

export const STAKEHOLDER_KINDS = ['state', 'regional_body', 'regional_consultative_process', 'employers_organization', 'workers_organization', 'civil_society'] as const;
export const INTERACTION_KINDS = ['consultation', 'briefing', 'dialogue', 'meeting', 'correspondence'] as const;
export const VISIBILITIES = ['internal', 'shared', 'public'] as const;
export const REQUEST_STATUSES = ['received', 'routed', 'in_progress', 'answered', 'closed'] as const;
type StakeholderKind = (typeof STAKEHOLDER_KINDS)[number];
type InteractionKind = (typeof INTERACTION_KINDS)[number];
type Visibility = (typeof VISIBILITIES)[number];
type RequestStatus = (typeof REQUEST_STATUSES)[number];
type Response = 'pending' | 'accepted' | 'declined';
// The transitions the server allows (docs/engagement.md).
const NEXT: Record<RequestStatus, RequestStatus[]> = { received: ['closed'], routed: ['answered', 'closed'], in_progress: ['answered', 'closed'], answered: ['closed'], closed: [] };

export interface Stakeholder { id: number; kind: StakeholderKind; name: string; country: string; region: string; website: string; description: string; version: number }
interface Contact { id: number; name: string; title: string; email: string; phone: string }
interface Interaction { id: number; date: string; kind: InteractionKind; summary: string; visibility: Visibility; stakeholders: number[]; members: { id: string; name: string }[] }
interface Route { organization: { id: string; name: string }; response: Response; answer: string; answered_at: string | null }
interface SupportRequest { id: number; stakeholder: { id: number; name: string }; title: string; description: string; received_on: string; status: RequestStatus; routes: Route[] }
type User = ReturnType<typeof useSession>['user'];

const insider = (u: User) => isStaff(u) || (!!u && (u.role === 'focal_point' || u.role === 'member') && !!u.organization_id);
const stakeholderPath = (id: number | string) => `/stakeholders/${encodeURIComponent(String(id))}`;
const requestPath = (id: number | string) => `/support-requests/${encodeURIComponent(String(id))}`;

export function StakeholdersPage() {
  const { user } = useSession();
  const [kind, setKind] = useState('');
  const [region, setRegion] = useState('');
  const [q, setQ] = useState('');
  const regions = useResource(() => api.get<{ items: string[] }>('/stakeholder-regions').then((r) => r.data.items), []);
  const query = new URLSearchParams({ ...(kind && { kind }), ...(region && { region }), ...(q.trim() && { q: q.trim() }) }).toString();
  const list = useResource(() => listAll<Stakeholder>(`/stakeholders${query ? `?${query}` : ''}`), [query]);
  usePageTitle(t('engagement.title'));
  return (
    <section data-testid="stakeholders-page">
      <h1>{t('engagement.title')}</h1>
      <p>{t('engagement.lede')}</p>
      <p>
        <Link href="/support-requests">{t('engagement.requests.title')}</Link>
      </p>
      <form class="filters" role="search" aria-label={t('engagement.filters')} onSubmit={(e) => e.preventDefault()}>
        <Select label={t('engagement.field.kind')} value={kind} onValue={setKind} options={[{ value: '', label: t('engagement.anyKind') }, ...STAKEHOLDER_KINDS.map((k) => ({ value: k, label: t(`engagement.kind.${k}`) }))]} />
        <Select label={t('engagement.field.region')} value={region} onValue={setRegion} options={[{ value: '', label: t('engagement.anyRegion') }, ...(regions.data ?? []).map((r) => ({ value: r, label: r }))]} />
        <Field label={t('engagement.search')} value={q} onValue={setQ} type="search" />
      </form>
      <ErrorBox error={list.error} />
      {!list.data ? (
        list.error ? null : <Loading what={t('engagement.loading')} />
      ) : list.data.length === 0 ? (
        <EmptyState message={t('engagement.none')} testId="no-stakeholders" />
      ) : (
        <Table columns={[t('engagement.field.name'), t('engagement.field.kind'), t('engagement.field.region')]} testId="stakeholders" label={t('engagement.title')}>
          {list.data.map((s) => (
            <tr key={s.id}>
              <td>
                <Link href={stakeholderPath(s.id)}>
                  <bdi>{s.name}</bdi>
                </Link>
              </td>
              <td>{t(`engagement.kind.${s.kind}`)}</td>
              <td>
                <bdi>{s.region}</bdi>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {isStaff(user) && <StakeholderForm onDone={list.reload} />}
    </section>
  );
}

function StakeholderForm({ onDone }: { onDone(): void }) {
  const [kind, setKind] = useState<StakeholderKind>('state');
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [region, setRegion] = useState('');
  const [website, setWebsite] = useState('');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    await api.post('/stakeholders', { kind, name, country, region, website, description });
    setName('');
    setCountry('');
    setRegion('');
    setWebsite('');
    setDescription('');
    setDone(true);
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="stakeholder-form" aria-labelledby="adds-h">
      <h2 id="adds-h">{t('engagement.add')}</h2>
      <Select label={t('engagement.field.kind')} value={kind} onValue={(v) => setKind(v as StakeholderKind)} field="kind" error={submit.error} options={STAKEHOLDER_KINDS.map((k) => ({ value: k, label: t(`engagement.kind.${k}`) }))} />
      <Field label={t('engagement.field.country')} hint={t('engagement.countryHint')} value={country} onValue={setCountry} field="country" error={submit.error} maxLength={3} />
      <Field label={t('engagement.field.name')} hint={kind === 'state' ? t('engagement.nameHint') : undefined} value={name} onValue={setName} field="name" error={submit.error} maxLength={300} />
      <Field label={t('engagement.field.region')} value={region} onValue={setRegion} field="region" error={submit.error} maxLength={100} />
      <Field label={t('engagement.field.website')} type="url" value={website} onValue={setWebsite} field="website" error={submit.error} />
      <Field label={t('engagement.field.description')} value={description} onValue={setDescription} multiline rows={3} field="description" error={submit.error} />
      <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
      {done && <Notice>{t('engagement.saved')}</Notice>}
      <button type="submit" disabled={submit.busy}>
        {t('engagement.add')}
      </button>
    </form>
  );
}

export function StakeholderPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<Stakeholder>(stakeholderPath(id)).then((r) => r.data), [id]);
  const interactions = useResource(() => listAll<Interaction>(`/stakeholder-interactions?stakeholder=${encodeURIComponent(id)}`), [id]);
  const contacts = useResource(() => (insider(user) ? listAll<Contact>(`${stakeholderPath(id)}/contacts`) : Promise.resolve([] as Contact[])), [id, user?.id]);
  const requests = useResource(() => (user ? listAll<SupportRequest>(`/support-requests?stakeholder=${encodeURIComponent(id)}`) : Promise.resolve([] as SupportRequest[])), [id, user?.id]);
  usePageTitle(res.data?.name ?? t('engagement.title'));
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <p class="crumbs">
          <Link href="/stakeholders">{t('engagement.title')}</Link>
        </p>
        <h1>{notFound ? t('engagement.notFound') : t('engagement.title')}</h1>
        <ErrorBox error={res.error} />
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('engagement.loading')} />;
  const s = res.data;
  return (
    <article data-testid="stakeholder-page">
      <p class="crumbs">
        <Link href="/stakeholders">{t('engagement.title')}</Link>
      </p>
      <h1>
        <bdi>{s.name}</bdi>
      </h1>
      <p class="meta">
        {t(`engagement.kind.${s.kind}`)}
        {s.region && <> · <bdi>{s.region}</bdi></>}
        {s.country && <> · {s.country}</>}
      </p>
      {s.website && (
        <p>
          <a href={s.website} rel="noopener noreferrer">
            <bdi>{s.website}</bdi>
          </a>
        </p>
      )}
      {s.description && <Paragraphs text={s.description} dir="auto" />}

      {insider(user) && (
        <section aria-labelledby="contacts-h">
          <h2 id="contacts-h">{t('engagement.contacts')}</h2>
          <ErrorBox error={contacts.error} />
          {(contacts.data ?? []).length === 0 ? (
            <p class="meta">{t('engagement.noContacts')}</p>
          ) : (
            <Table columns={[t('engagement.field.name'), t('engagement.field.title'), t('engagement.field.email'), t('engagement.field.phone')]} compact testId="contacts" label={t('engagement.contacts')}>
              {(contacts.data ?? []).map((c) => (
                <tr key={c.id}>
                  <td>
                    <bdi>{c.name}</bdi>
                  </td>
                  <td>
                    <bdi>{c.title}</bdi>
                  </td>
                  <td>{c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}</td>
                  <td dir="ltr">{c.phone}</td>
                </tr>
              ))}
            </Table>
          )}
          {isStaff(user) && <ContactForm stakeholderId={id} onDone={contacts.reload} />}
        </section>
      )}

      <section aria-labelledby="interactions-h">
        <h2 id="interactions-h">{t('engagement.interactions')}</h2>
        <ErrorBox error={interactions.error} />
        {(interactions.data ?? []).length === 0 ? (
          <p class="meta">{t('engagement.noInteractions')}</p>
        ) : (
          <ul data-testid="interactions">
            {(interactions.data ?? []).map((i) => (
              <li key={i.id}>
                <span class="meta">{formatDate(i.date)}</span> <span class="tag">{t(`engagement.interactionKind.${i.kind}`)}</span> <span class="tag">{t(`engagement.visibility.${i.visibility}`)}</span>
                <div dir="auto">{i.summary}</div>
                {i.members.length > 0 && <div class="meta">{t('engagement.membersInvolved', { names: i.members.map((m) => m.name).join(', ') })}</div>}
              </li>
            ))}
          </ul>
        )}
        {insider(user) && <InteractionForm stakeholderId={s.id} onDone={interactions.reload} />}
      </section>

      {user && (
        <section aria-labelledby="requests-h">
          <h2 id="requests-h">{t('engagement.requests.title')}</h2>
          <ErrorBox error={requests.error} />
          <RequestList items={requests.data ?? []} />
        </section>
      )}
      {isStaff(user) && <AccountForm stakeholderId={id} />}
    </article>
  );
}

function ContactForm({ stakeholderId, onDone }: { stakeholderId: string; onDone(): void }) {
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`${stakeholderPath(stakeholderId)}/contacts`, { name, title, email, phone });
    setName('');
    setTitle('');
    setEmail('');
    setPhone('');
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="contact-form" aria-labelledby="addct-h">
      <h3 id="addct-h">{t('engagement.addContact')}</h3>
      <Field label={t('engagement.field.name')} value={name} onValue={setName} required field="name" error={submit.error} maxLength={200} />
      <Field label={t('engagement.field.title')} value={title} onValue={setTitle} field="title" error={submit.error} maxLength={200} />
      <Field label={t('engagement.field.email')} type="email" value={email} onValue={setEmail} field="email" error={submit.error} />
      <Field label={t('engagement.field.phone')} type="tel" value={phone} onValue={setPhone} field="phone" error={submit.error} maxLength={40} />
      <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
      <button type="submit" disabled={submit.busy}>
        {t('engagement.addContact')}
      </button>
    </form>
  );
}

function InteractionForm({ stakeholderId, onDone }: { stakeholderId: number; onDone(): void }) {
  const { user } = useSession();
  const [date, setDate] = useState('');
  const [kind, setKind] = useState('consultation');
  const [visibility, setVisibility] = useState('internal');
  const [summary, setSummary] = useState('');
  const [members, setMembers] = useState(isStaff(user) ? '' : (user?.organization_id ?? ''));
  const submit = useSubmit(async () => {
    const ids = members.split(',').map((m) => m.trim()).filter(Boolean);
    await api.post('/stakeholder-interactions', { date, kind, visibility, summary, stakeholders: [stakeholderId], members: ids });
    setSummary('');
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="interaction-form" aria-labelledby="addi-h">
      <h3 id="addi-h">{t('engagement.logInteraction')}</h3>
      <Field label={t('engagement.field.date')} type="date" value={date} onValue={setDate} required field="date" error={submit.error} />
      <Select label={t('engagement.field.interactionKind')} value={kind} onValue={setKind} field="kind" error={submit.error} options={INTERACTION_KINDS.map((k) => ({ value: k, label: t(`engagement.interactionKind.${k}`) }))} />
      <Select label={t('engagement.field.visibility')} value={visibility} onValue={setVisibility} field="visibility" error={submit.error} options={VISIBILITIES.map((v) => ({ value: v, label: t(`engagement.visibility.${v}`) }))} />
      <Field label={t('engagement.field.members')} hint={t('engagement.membersHint')} value={members} onValue={setMembers} field="members" error={submit.error} />
      <Field label={t('engagement.field.summary')} value={summary} onValue={setSummary} multiline rows={3} required field="summary" error={submit.error} />
      <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
      <button type="submit" disabled={submit.busy}>
        {t('engagement.logInteraction')}
      </button>
    </form>
  );
}

function AccountForm({ stakeholderId }: { stakeholderId: string }) {
  const accounts = useResource(() => listAll<{ user_id: number; email: string; name: string }>(`${stakeholderPath(stakeholderId)}/accounts`), [stakeholderId]);
  const [email, setEmail] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`${stakeholderPath(stakeholderId)}/accounts`, { email });
    setEmail('');
    accounts.reload();
  });
  return (
    <section aria-labelledby="accounts-h">
      <h2 id="accounts-h">{t('engagement.accounts')}</h2>
      <ul data-testid="accounts">
        {(accounts.data ?? []).map((a) => (
          <li key={a.user_id}>
            <bdi>{a.name}</bdi> ({a.email})
          </li>
        ))}
      </ul>
      <form class="card" onSubmit={submit.onSubmit} data-testid="account-form">
        <Field label={t('engagement.field.accountEmail')} type="email" value={email} onValue={setEmail} required field="email" error={submit.error} />
        <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
        <button type="submit" disabled={submit.busy}>
          {t('engagement.linkAccount')}
        </button>
      </form>
    </section>
  );
}

function RequestList({ items }: { items: SupportRequest[] }) {
  if (items.length === 0) return <p class="meta">{t('engagement.requests.none')}</p>;
  return (
    <Table columns={[t('engagement.requests.field.title'), t('engagement.requests.field.state'), t('engagement.requests.field.received'), t('engagement.requests.field.status')]} compact testId="requests" label={t('engagement.requests.title')}>
      {items.map((r) => (
        <tr key={r.id}>
          <td>
            <Link href={requestPath(r.id)}>
              <bdi>{r.title}</bdi>
            </Link>
          </td>
          <td>
            <bdi>{r.stakeholder.name}</bdi>
          </td>
          <td>{formatDate(r.received_on)}</td>
          <td>
            <span class="tag" data-status={r.status}>
              {t(`engagement.requests.status.${r.status}`)}
            </span>
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function RequestsPage() {
  const { user } = useSession();
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const list = useResource(() => (user ? listAll<SupportRequest>(`/support-requests${status ? `?status=${status}` : ''}`) : Promise.resolve([] as SupportRequest[])), [status, user?.id]);
  usePageTitle(t('engagement.requests.title'));
  return (
    <section data-testid="requests-page">
      <p class="crumbs">
        <Link href="/stakeholders">{t('engagement.title')}</Link>
      </p>
      <h1>{t('engagement.requests.title')}</h1>
      <p>{t('engagement.requests.lede')}</p>
      {!user ? (
        <Notice>{t('engagement.requests.signIn')}</Notice>
      ) : (
        <>
          <Select label={t('engagement.requests.field.status')} value={status} onValue={(v) => setStatus(v as RequestStatus | '')} options={[{ value: '', label: t('engagement.requests.anyStatus') }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: t(`engagement.requests.status.${s}`) }))]} />
          <ErrorBox error={list.error} />
          {!list.data ? <Loading what={t('engagement.requests.loading')} /> : <RequestList items={list.data} />}
          {(isStaff(user) || user.role === 'stakeholder') && <RequestForm onDone={list.reload} />}
        </>
      )}
    </section>
  );
}

function RequestForm({ onDone }: { onDone(): void }) {
  const { user } = useSession();
  const staff = isStaff(user);
  const states = useResource(() => (staff ? listAll<Stakeholder>('/stakeholders?kind=state') : Promise.resolve([] as Stakeholder[])), [staff]);
  const [stakeholder, setStakeholder] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    await api.post('/support-requests', { ...(staff && stakeholder ? { stakeholder_id: Number(stakeholder) } : {}), title, description });
    setTitle('');
    setDescription('');
    setDone(true);
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="request-form" aria-labelledby="addr-h">
      <h2 id="addr-h">{t('engagement.requests.add')}</h2>
      {staff && <Select label={t('engagement.requests.field.state')} value={stakeholder} onValue={setStakeholder} field="stakeholder_id" error={submit.error} options={[{ value: '', label: t('engagement.requests.pickState') }, ...(states.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))]} />}
      <Field label={t('engagement.requests.field.title')} value={title} onValue={setTitle} required field="title" error={submit.error} maxLength={300} />
      <Field label={t('engagement.requests.field.description')} value={description} onValue={setDescription} multiline rows={3} field="description" error={submit.error} />
      <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
      {done && <Notice>{t('engagement.saved')}</Notice>}
      <button type="submit" disabled={submit.busy}>
        {t('engagement.requests.add')}
      </button>
    </form>
  );
}

export function RequestPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource(() => api.get<SupportRequest>(`/support-requests/${encodeURIComponent(id)}`).then((r) => r.data), [id, user?.id]);
  usePageTitle(res.data?.title ?? t('engagement.requests.title'));
  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <p class="crumbs">
          <Link href="/support-requests">{t('engagement.requests.title')}</Link>
        </p>
        <h1>{notFound ? t('engagement.requests.notFound') : t('engagement.requests.title')}</h1>
        <ErrorBox error={res.error} />
      </section>
    );
  }
  if (!res.data || String(res.data.id) !== id) return <Loading what={t('engagement.requests.loading')} />;
  const r = res.data;
  const mine = r.routes.find((x) => x.organization.id === user?.organization_id && x.response === 'pending');
  const open = r.status === 'routed' || r.status === 'in_progress';
  return (
    <article data-testid="request-page">
      <p class="crumbs">
        <Link href="/support-requests">{t('engagement.requests.title')}</Link>
      </p>
      <h1>
        <bdi>{r.title}</bdi>
      </h1>
      <p class="meta">
        <Link href={stakeholderPath(r.stakeholder.id)}>
          <bdi>{r.stakeholder.name}</bdi>
        </Link>{' '}
        · {formatDate(r.received_on)} ·{' '}
        <span class="tag" data-testid="request-status">
          {t(`engagement.requests.status.${r.status}`)}
        </span>
      </p>
      {r.description && <Paragraphs text={r.description} dir="auto" />}
      <section aria-labelledby="routes-h">
        <h2 id="routes-h">{t('engagement.requests.routes')}</h2>
        {r.routes.length === 0 ? (
          <p class="meta">{t('engagement.requests.notRouted')}</p>
        ) : (
          <Table columns={[t('engagement.requests.field.member'), t('engagement.requests.field.response'), t('engagement.requests.field.answer')]} compact testId="routes" label={t('engagement.requests.routes')}>
            {r.routes.map((x) => (
              <tr key={x.organization.id}>
                <td>
                  <bdi>{x.organization.name}</bdi>
                </td>
                <td>{t(`engagement.requests.response.${x.response}`)}</td>
                <td dir="auto">{x.answer}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      {open && mine && user?.role === 'focal_point' && <AnswerForm requestId={id} onDone={res.reload} />}
      {isStaff(user) && <StaffControls request={r} onDone={res.reload} />}
    </article>
  );
}

function AnswerForm({ requestId, onDone }: { requestId: string; onDone(): void }) {
  const [response, setResponse] = useState<Response>('accepted');
  const [answer, setAnswer] = useState('');
  const submit = useSubmit(async () => {
    await api.post(`/support-requests/${encodeURIComponent(requestId)}/answers`, { response, answer });
    onDone();
  });
  return (
    <form class="card" onSubmit={submit.onSubmit} data-testid="answer-form" aria-labelledby="ans-h">
      <h2 id="ans-h">{t('engagement.requests.answer')}</h2>
      <Select label={t('engagement.requests.field.response')} value={response} onValue={(v) => setResponse(v as Response)} field="response" error={submit.error} options={(['accepted', 'declined'] as const).map((v) => ({ value: v, label: t(`engagement.requests.response.${v}`) }))} />
      <Field label={t('engagement.requests.field.answer')} value={answer} onValue={setAnswer} multiline rows={3} required field="answer" error={submit.error} />
      <ErrorBox error={submit.error} title={t('engagement.notSaved')} />
      <button type="submit" disabled={submit.busy}>
        {t('engagement.requests.answer')}
      </button>
    </form>
  );
}

function StaffControls({ request, onDone }: { request: SupportRequest; onDone(): void }) {
  const orgs = useResource(() => listAll<Organization>('/organizations'), []);
  const [org, setOrg] = useState('');
  const path = `/support-requests/${request.id}`;
  const route = useSubmit(async () => {
    await api.post(`${path}/routes`, { organizations: [org] });
    setOrg('');
    onDone();
  });
  const [status, setStatus] = useState('');
  const move = useSubmit(async () => {
    await api.post(`${path}/status`, { status });
    onDone();
  });
  const routed = new Set(request.routes.map((x) => x.organization.id));
  const canRoute = request.status !== 'answered' && request.status !== 'closed';
  return (
    <section aria-labelledby="staff-h">
      <h2 id="staff-h">{t('engagement.requests.manage')}</h2>
      {canRoute && (
        <form class="card" onSubmit={route.onSubmit} data-testid="route-form">
          <Select label={t('engagement.requests.field.member')} value={org} onValue={setOrg} field="organizations" error={route.error} required options={[{ value: '', label: t('engagement.requests.pickMember') }, ...(orgs.data ?? []).filter((o) => !routed.has(o.id)).map((o) => ({ value: o.id, label: o.name }))]} />
          <ErrorBox error={route.error} title={t('engagement.notSaved')} />
          <button type="submit" disabled={route.busy || !org}>
            {t('engagement.requests.route')}
          </button>
        </form>
      )}
      {(NEXT[request.status] ?? []).length > 0 && (
        <form class="card" onSubmit={move.onSubmit} data-testid="status-form">
          <Select label={t('engagement.requests.field.status')} value={status} onValue={setStatus} field="status" error={move.error} required options={[{ value: '', label: t('engagement.requests.pickStatus') }, ...(NEXT[request.status] ?? []).map((s) => ({ value: s, label: t(`engagement.requests.status.${s}`) }))]} />
          <ErrorBox error={move.error} title={t('engagement.notSaved')} />
          <button type="submit" disabled={move.busy || !status}>
            {t('engagement.requests.move')}
          </button>
        </form>
      )}
    </section>
  );
}

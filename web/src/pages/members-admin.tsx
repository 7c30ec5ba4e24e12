// Admin and secretariat: admit a new member, record a member leaving, re-admit a former member.
import { useState } from 'preact/hooks';
import { api, listAll, type Organization, type OrganizationDetail } from '../api';
import { t } from '../i18n';
import { Link } from '../router';
import { InRecords } from '../lang-text';
import { EmptyState, ErrorBox, Field, Loading, Notice, RowButton, SubmitCancel, Table, formatDate, today, usePageTitle, useResource, useSubmit } from '../ui';

type Action = { kind: 'leave' | 'readmit'; org: Organization } | null;

export function MembersAdminPage() {
  usePageTitle(t('members.title'));
  const orgs = useResource(() => listAll<Organization>('/organizations?status=all'), []);
  const [action, setAction] = useState<Action>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = (msg: string) => {
    setAction(null);
    setNotice(msg);
    orgs.reload();
  };

  return (
    <>
      <h1>{t('members.title')}</h1>
      <p class="lede">{t('members.lede')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={orgs.error} />

      <Admit onDone={(o) => done(t('members.admitted', { acronym: o.acronym }))} />

      {action?.kind === 'leave' && <Leave key={action.org.id} org={action.org} onCancel={() => setAction(null)} onDone={() => done(t('members.recordedLeaving', { acronym: action.org.acronym }))} />}
      {action?.kind === 'readmit' && <Readmit key={action.org.id} org={action.org} onCancel={() => setAction(null)} onDone={() => done(t('members.readmitted', { acronym: action.org.acronym }))} />}

      <section aria-labelledby="all-h">
        <h2 id="all-h">{t('members.allHeading')}</h2>
        {orgs.loading && !orgs.data && <Loading />}
        {orgs.data && orgs.data.length === 0 && (
          <EmptyState testId="no-orgs" message={t('empty.members.none')} hint={t('empty.members.noneHint')} actions={[{ label: t('empty.members.admit'), focus: 'admit-form' }]} />
        )}
        {orgs.data && orgs.data.length > 0 && (
          <Table columns={[t('members.col.member'), t('members.col.status'), t('members.col.memberSince'), t('members.col.leftOn')]} actions testId="orgs">
            {orgs.data.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link href={`/members/${encodeURIComponent(o.id)}`}>
                    <InRecords>{o.acronym}</InRecords>
                  </Link>{' '}
                  <span class="meta">
                    <InRecords>{o.name}</InRecords>
                  </span>
                </td>
                <td>{o.status === 'current' || o.status === 'former' ? t(`members.status.${o.status}`) : o.status}</td>
                <td>{formatDate(o.member_since)}</td>
                <td>{formatDate(o.left_on)}</td>
                <td class="row-actions">
                  {o.status === 'current' ? (
                    <RowButton label={t('members.recordLeaving')} what={t('members.recordLeavingOf', { acronym: o.acronym })} onClick={() => { setAction({ kind: 'leave', org: o }); setNotice(null); }} />
                  ) : (
                    <RowButton label={t('members.readmit')} what={o.acronym} onClick={() => { setAction({ kind: 'readmit', org: o }); setNotice(null); }} />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}

function Admit({ onDone }: { onDone(o: Organization): void }) {
  const blank = { id: '', name: '', acronym: '', mandate: '', joined_on: today(), website: '', iati_org_id: '', executive_head_title: '' };
  const [f, setF] = useState(blank);
  const [open, setOpen] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));

  const { busy, error, onSubmit } = useSubmit(async () => {
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) if (v.trim() !== '') body[k] = v.trim();
    const r = await api.post<Organization>('/organizations', body);
    setF(blank);
    setOpen(false);
    onDone(r.data ?? ({ acronym: f.acronym } as Organization));
  });
  if (!open) {
    return (
      <p id="admit-form">
        <button type="button" onClick={() => setOpen(true)}>
          {t('members.admitOpen')}
        </button>
      </p>
    );
  }
  return (
    <form class="panel" id="admit-form" noValidate onSubmit={onSubmit}>
      <h2>{t('members.admitHeading')}</h2>
      <div class="row">
        <Field label={t('members.id')} value={f.id} onValue={set('id')} field="id" error={error} required hint={t('members.idHint')} />
        <Field label={t('members.acronym')} value={f.acronym} onValue={set('acronym')} field="acronym" error={error} required />
      </div>
      <Field label={t('members.name')} value={f.name} onValue={set('name')} field="name" error={error} required />
      <Field label={t('members.mandate')} value={f.mandate} onValue={set('mandate')} field="mandate" error={error} multiline required />
      <div class="row">
        <Field label={t('members.joinedOn')} type="date" value={f.joined_on} onValue={set('joined_on')} field="joined_on" error={error} required />
        <Field label={t('members.website')} type="url" value={f.website} onValue={set('website')} field="website" error={error} placeholder={t('members.websitePlaceholder')} />
      </div>
      <div class="row">
        <Field label={t('members.iatiOrgId')} value={f.iati_org_id} onValue={set('iati_org_id')} field="iati_org_id" error={error} />
        <Field label={t('members.executiveHeadTitle')} value={f.executive_head_title} onValue={set('executive_head_title')} field="executive_head_title" error={error} />
      </div>
      <ErrorBox error={error} title={t('members.notAdmitted')} />
      <SubmitCancel label={t('members.admitSubmit')} busy={busy} onCancel={() => setOpen(false)} />
    </form>
  );
}

function Leave({ org, onCancel, onDone }: { org: Organization; onCancel(): void; onDone(): void }) {
  const orgUrl = `/organizations/${encodeURIComponent(org.id)}`;
  // Memberships are part of the organisation: leaving is checked against its ETag as loaded.
  const detail = useResource(() => api.get<OrganizationDetail>(orgUrl), [org.id]);
  const [leftOn, setLeftOn] = useState(today());
  const [note, setNote] = useState('');
  const open = detail.data?.data.memberships.find((m) => !m.left_on);
  const { busy, error, onSubmit } = useSubmit(async () => {
    if (!open) return;
    const url = `${orgUrl}/memberships/${encodeURIComponent(String(open.id))}`;
    const body: Record<string, string> = { left_on: leftOn };
    if (note.trim()) body.note = note.trim();
    await api.patch(url, body, detail.data?.etag ?? null);
    onDone();
  });

  return (
    <form class="panel" noValidate onSubmit={onSubmit}>
      <h2>{t('members.leaveHeading', { acronym: org.acronym })}</h2>
      <ErrorBox error={detail.error} />
      {detail.data && !open && <p>{t('members.noOpenPeriod', { acronym: org.acronym })}</p>}
      {open && <p>{t('members.periodBegan', { date: formatDate(open.joined_on) })}</p>}
      <div class="row">
        <Field label={t('members.leftOn')} type="date" value={leftOn} onValue={setLeftOn} field="left_on" error={error} required />
        <Field label={t('members.note')} value={note} onValue={setNote} field="note" error={error} />
      </div>
      <ErrorBox error={error} title={t('members.notRecorded')} />
      <SubmitCancel label={t('members.recordLeaving')} busy={busy} disabled={!open} onCancel={onCancel} />
    </form>
  );
}

function Readmit({ org, onCancel, onDone }: { org: Organization; onCancel(): void; onDone(): void }) {
  const [joinedOn, setJoinedOn] = useState(today());
  const [note, setNote] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    const body: Record<string, string> = { joined_on: joinedOn };
    if (note.trim()) body.note = note.trim();
    await api.post(`/organizations/${encodeURIComponent(org.id)}/memberships`, body);
    onDone();
  });
  return (
    <form class="panel" noValidate onSubmit={onSubmit}>
      <h2>{t('members.readmitHeading', { acronym: org.acronym })}</h2>
      {org.left_on && <p>{t('members.leftOnDate', { date: formatDate(org.left_on) })}</p>}
      <div class="row">
        <Field label={t('members.joinedOn')} type="date" value={joinedOn} onValue={setJoinedOn} field="joined_on" error={error} required />
        <Field label={t('members.note')} value={note} onValue={setNote} field="note" error={error} />
      </div>
      <ErrorBox error={error} title={t('members.notReadmitted')} />
      <SubmitCancel label={t('members.readmit')} busy={busy} onCancel={onCancel} />
    </form>
  );
}

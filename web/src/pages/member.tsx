// A member's page: profile, its activities, membership history and focal points. Admin,
// secretariat and the organisation's own focal points also get the edit forms; everyone else
// sees none. It is a focal point's home base: sign-in brings them here.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, query, type Activity, type FocalPoint, type OrganizationDetail } from '../api';
import { canRecordActivities, statusLabel } from '../activities';
import { Link } from '../router';
import { canEditOrganization, isStaff, useSession } from '../session';
import { EmptyState, ErrorBox, Field, Loading, Notice, Paragraphs, Rich, RowButton, SubmitCancel, formatDate, usePageTitle, useResource } from '../ui';
import { t } from '../i18n';
import { versionEtag } from '../etag';
import { InRecords, recordText } from '../lang-text';

interface Loaded {
  org: OrganizationDetail;
  etag: string | null;
}

export function MemberPage({ id }: { id: string }) {
  const { user } = useSession();
  const res = useResource<Loaded>(
    () => api.get<OrganizationDetail>(`/organizations/${encodeURIComponent(id)}`).then((r) => ({ org: r.data, etag: r.etag })),
    [id, user?.id],
  );
  usePageTitle(res.data?.org.acronym ?? t('member.pageTitle'));
  const [saved, setSaved] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  useEffect(() => {
    setSaved(null);
    setStale(false);
  }, [id]);

  if (res.error && !res.data) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <section>
        <h1>{notFound ? t('member.noSuch') : t('member.pageTitle')}</h1>
        {notFound ? (
          <p>
            <Rich id="member.noSuchText" parts={{ id: <code>{id}</code>, link: <Link href="/">{t('member.membersLink')}</Link> }} />
          </p>
        ) : (
          <ErrorBox error={res.error} />
        )}
      </section>
    );
  }
  // While another member loads, never show the previous one (nor its edit controls).
  if (!res.data || res.data.org.id.toLowerCase() !== id.toLowerCase()) return <Loading what={t('member.loading')} />;

  const { org, etag } = res.data;
  const editable = canEditOrganization(user, org.id);
  const website = org.website && /^https?:\/\//i.test(org.website) ? org.website : null;

  return (
    <article class="member" data-testid="member-page">
      <p class="crumbs">
        <Link href="/">{t('shell.nav.home')}</Link> › {t('member.crumbMembers')} › {org.acronym}
      </p>
      <header class="member-head">
        <h1>
          <InRecords>{org.name}</InRecords>{' '}
          {org.acronym !== org.name && (
            <span class="acronym-tag">
              (<InRecords>{org.acronym}</InRecords>)
            </span>
          )}
        </h1>
        <p class={`status ${org.status}`}>{org.status === 'current' ? t('member.current') : t('member.former')}</p>
      </header>

      <div class="member-grid">
        <section aria-labelledby="mandate-h">
          <h2 id="mandate-h">{t('member.mandate')}</h2>
          <div data-testid="mandate" class="mandate">
            <Paragraphs text={org.mandate} {...recordText()} />
          </div>
        </section>

        <aside aria-labelledby="facts-h" class="facts">
          <h2 id="facts-h">{t('member.facts')}</h2>
          <dl>
            <dt>{t('member.acronym')}</dt>
            <dd>{org.acronym}</dd>
            <dt>{t('member.since')}</dt>
            <dd>{formatDate(org.member_since)}</dd>
            {org.left_on && (
              <>
                <dt>{t('member.leftOn')}</dt>
                <dd>{formatDate(org.left_on)}</dd>
              </>
            )}
            {org.executive_head_title && (
              <>
                <dt>{t('member.head')}</dt>
                <dd>
                  <InRecords>{org.executive_head_title}</InRecords>
                </dd>
              </>
            )}
            {org.website && (
              <>
                <dt>{t('member.website')}</dt>
                <dd>
                  {website ? (
                    <a href={website} rel="noopener noreferrer">
                      {org.website}
                    </a>
                  ) : (
                    org.website
                  )}
                </dd>
              </>
            )}
            {org.iati_org_id && (
              <>
                <dt>{t('member.iati')}</dt>
                <dd>
                  <code>{org.iati_org_id}</code>
                </dd>
              </>
            )}
            <dt>{t('member.updated')}</dt>
            <dd>{formatDate(org.updated_at)}</dd>
          </dl>
        </aside>
      </div>

      {saved && <Notice>{saved}</Notice>}
      {editable && (
        <ProfileEditor
          key={`${org.id}:${etag}`}
          org={org}
          etag={etag}
          staff={isStaff(user)}
          stale={stale}
          onSaved={(msg) => {
            setSaved(msg);
            setStale(false);
            res.reload();
          }}
          onStale={() => {
            setSaved(null);
            setStale(true);
            res.reload();
          }}
        />
      )}

      <OrganizationActivities orgId={org.id} acronym={org.acronym} canRecord={editable && canRecordActivities(user)} />

      <section aria-labelledby="history-h">
        <h2 id="history-h">{t('member.history')}</h2>
        {org.memberships.length === 0 ? (
          <EmptyState
            message={t('member.noPeriods')}
            hint={isStaff(user) ? t('empty.member.historyStaff', { acronym: org.acronym }) : t('empty.member.historyOthers', { acronym: org.acronym })}
            actions={isStaff(user) ? [{ label: t('empty.member.membershipPage'), href: '/admin/members' }] : []}
            testId="no-history"
          />
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('member.joined')}</th>
                <th scope="col">{t('member.left')}</th>
                <th scope="col">{t('member.note')}</th>
              </tr>
            </thead>
            <tbody>
              {[...org.memberships]
                .sort((a, b) => a.joined_on.localeCompare(b.joined_on))
                .map((m) => (
                  <tr key={m.id}>
                    <td>{formatDate(m.joined_on)}</td>
                    <td>{m.left_on ? formatDate(m.left_on) : <em>{t('member.currentPeriod')}</em>}</td>
                    <td>
                      <InRecords>{m.note}</InRecords>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </section>

      <FocalPoints
        orgId={org.id}
        acronym={org.acronym}
        points={org.focal_points}
        editable={editable}
        signedIn={!!user}
        ownOrganization={user?.organization_id === org.id}
        admin={user?.role === 'admin'}
        onChange={res.reload}
      />
    </article>
  );
}

// ---- Activities ----

const RECENT = 5;
/** A web address's start, shown in an empty website field (not words: the same in every language). */
const URL_PREFIX = 'https://';

/** The organisation's most recently updated activities the reader may see, and a link to all. */
function OrganizationActivities({ orgId, acronym, canRecord }: { orgId: string; acronym: string; canRecord: boolean }) {
  const signedIn = !!useSession().user;
  const list = useResource(
    () => api.get<{ items: Activity[]; total: number }>(`/activities${query({ organization: orgId, limit: String(RECENT), sort: '-updated' })}`).then((r) => r.data),
    [orgId],
  );
  const all = `/activities?organization=${encodeURIComponent(orgId)}`;
  return (
    <section aria-labelledby="org-activities-h" data-testid="org-activities">
      <div class="panel-head">
        <h2 id="org-activities-h">{t('member.activities')}</h2>
        {canRecord && (
          <Link href="/activities/new" class="button secondary">
            {t('member.record')}
          </Link>
        )}
      </div>
      <ErrorBox error={list.error} />
      {list.loading && !list.data && <Loading what={t('member.loadingActivities')} />}
      {list.data &&
        (list.data.total === 0 ? (
          <EmptyState
            message={canRecord ? t('member.noActivityCanRecord', { acronym }) : t('member.noActivity', { acronym })}
            hint={canRecord ? undefined : signedIn ? t('empty.member.activitiesSignedIn', { acronym }) : t('empty.member.activitiesVisitor')}
            actions={
              canRecord
                ? [
                    { label: t('member.record'), href: '/activities/new' },
                    { label: t('empty.member.importIati'), href: '/activities/import' },
                  ]
                : signedIn
                  ? [{ label: t('empty.member.allActivities'), href: '/activities' }]
                  : [{ label: t('empty.signIn'), href: '/signin' }]
            }
            testId="no-activities"
          />
        ) : (
          <>
            <ul class="plain">
              {list.data.items.map((a) => (
                <li key={a.id}>
                  <Link href={`/activities/${a.id}`}>{a.title}</Link> <span class="meta">{t('member.activityMeta', { status: statusLabel(a.status, a.status_name), date: formatDate(a.updated_at.slice(0, 10)) })}</span>
                </li>
              ))}
            </ul>
            <p>
              <Link href={all}>{t('member.allActivities', { count: list.data.total, acronym })}</Link>
            </p>
          </>
        ))}
    </section>
  );
}

// ---- Profile ----

interface ProfileForm {
  name: string;
  acronym: string;
  mandate: string;
  website: string;
  iati_org_id: string;
  executive_head_title: string;
}

function toForm(o: OrganizationDetail): ProfileForm {
  return {
    name: o.name,
    acronym: o.acronym,
    mandate: o.mandate,
    website: o.website ?? '',
    iati_org_id: o.iati_org_id ?? '',
    executive_head_title: o.executive_head_title ?? '',
  };
}

// A focal point may change only these; admin and secretariat may change all of ProfileForm.
const FOCAL_POINT_FIELDS: (keyof ProfileForm)[] = ['mandate', 'website', 'executive_head_title'];
const NULLABLE: (keyof ProfileForm)[] = ['website', 'iati_org_id', 'executive_head_title'];

function ProfileEditor({
  org,
  etag,
  staff,
  stale,
  onSaved,
  onStale,
}: {
  org: OrganizationDetail;
  etag: string | null;
  staff: boolean;
  /** The last save was refused because the profile had changed (412): say so and stay open. */
  stale: boolean;
  onSaved(msg: string): void;
  onStale(): void;
}) {
  const [open, setOpen] = useState(stale);
  const [form, setForm] = useState<ProfileForm>(() => toForm(org));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const set = (k: keyof ProfileForm) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const fields = staff ? (Object.keys(form) as (keyof ProfileForm)[]) : FOCAL_POINT_FIELDS;
  const original = toForm(org);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setInfo(null);
    const patch: Record<string, string | null> = {};
    for (const k of fields) {
      if (form[k] !== original[k]) patch[k] = NULLABLE.includes(k) && form[k].trim() === '' ? null : form[k];
    }
    if (Object.keys(patch).length === 0) {
      setInfo(t('member.nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      await api.patch(`/organizations/${encodeURIComponent(org.id)}`, patch, etag);
      onSaved(t('member.savedProfile', { acronym: org.acronym }));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 412) {
        // Reloading gives a new ETag, which re-creates this editor with the latest text.
        onStale();
        return;
      }
      setError(err);
    }
  }

  return (
    <section aria-labelledby="edit-h" class="panel">
      <div class="panel-head">
        <h2 id="edit-h">{t('member.editProfile')}</h2>
        <button type="button" class="secondary" aria-expanded={open} aria-controls="profile-form" onClick={() => setOpen(!open)} data-testid="edit-profile">
          {open ? t('member.close') : t('member.editProfile')}
        </button>
      </div>
      {stale && (
        <div class="error" role="alert" data-testid="stale">
          {t('member.staleProfile')}
        </div>
      )}
      {open && (
        <form id="profile-form" onSubmit={submit} data-testid="profile-form" noValidate>
          {!staff && <p class="hint">{t('member.fpCanChange')}</p>}
          {staff && (
            <div class="row">
              <Field label={t('member.name')} value={form.name} onValue={set('name')} field="name" error={error} required />
              <Field label={t('member.acronym')} value={form.acronym} onValue={set('acronym')} field="acronym" error={error} required />
            </div>
          )}
          <Field label={t('member.mandate')} value={form.mandate} onValue={set('mandate')} field="mandate" error={error} multiline rows={8} required />
          <div class="row">
            <Field label={t('member.website')} type="url" value={form.website} onValue={set('website')} field="website" error={error} placeholder={URL_PREFIX} />
            <Field label={t('member.headTitle')} value={form.executive_head_title} onValue={set('executive_head_title')} field="executive_head_title" error={error} />
          </div>
          {staff && <Field label={t('member.iati')} value={form.iati_org_id} onValue={set('iati_org_id')} field="iati_org_id" error={error} />}
          <ErrorBox error={error} title={t('member.notSaved')} />
          {info && <Notice>{info}</Notice>}
          <SubmitCancel label={t('member.saveProfile')} saving busy={busy} onCancel={() => { setForm(original); setError(null); setOpen(false); }} />
        </form>
      )}
    </section>
  );
}

// ---- Focal points ----

interface FpForm {
  name: string;
  title: string;
  email: string;
  phone: string;
}

const emptyFp: FpForm = { name: '', title: '', email: '', phone: '' };

/**
 * The published contacts are records of this page, not the accounts that sign in: say so, and
 * tell each reader what they can do about an empty list.
 */
// The section's own "Add a focal point" button (beside its heading) is the action the hint names.
function NoFocalPoints({ acronym, ownOrganization, editable, admin }: { acronym: string; ownOrganization: boolean; editable: boolean; admin: boolean }) {
  return (
    <EmptyState
      testId="no-focal-points"
      message={t('member.noFocalPoints', { acronym })}
      hint={
        <>
          {t('member.fpExplain', { acronym })}
          {ownOrganization && editable && <> {t('member.fpOwn', { button: t('member.addFocalPoint') })}</>}
          {admin && (
            <>
              {' '}
              <Rich id="member.fpAdmin" parts={{ link: <Link href="/admin/users">{t('member.usersPage')}</Link> }} />
            </>
          )}
          {!ownOrganization && !admin && <> {t('member.fpSecretariat')}</>}
        </>
      }
    />
  );
}

function FocalPoints({
  orgId,
  acronym,
  points,
  editable,
  signedIn,
  ownOrganization,
  admin,
  onChange,
}: {
  orgId: string;
  acronym: string;
  points: FocalPoint[];
  editable: boolean;
  signedIn: boolean;
  ownOrganization: boolean;
  admin: boolean;
  onChange(): void;
}) {
  const [editing, setEditing] = useState<string | number | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const base = `/organizations/${encodeURIComponent(orgId)}/focal-points`;

  async function remove(fp: FocalPoint) {
    if (!confirm(t('member.confirmRemoveFp', { name: fp.name }))) return;
    setError(null);
    try {
      await api.del(`${base}/${encodeURIComponent(String(fp.id))}`);
      setNotice(t('member.removedFp', { name: fp.name }));
      onChange();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="fp-h" data-testid="focal-points">
      <div class="panel-head">
        <h2 id="fp-h">{t('member.focalPoints')}</h2>
        {editable && !adding && (
          <button type="button" class="secondary" onClick={() => { setAdding(true); setEditing(null); setNotice(null); }}>
            {t('member.addFocalPoint')}
          </button>
        )}
      </div>
      {!signedIn && points.length > 0 && <p class="hint">{t('member.signInForContacts')}</p>}
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {adding && (
        <FocalPointForm
          title={t('member.newFp')}
          initial={emptyFp}
          submitLabel={t('member.addFp')}
          onCancel={() => setAdding(false)}
          onSubmit={async (f) => {
            await api.post(base, clean(f, null));
            setAdding(false);
            setNotice(t('member.addedFp', { name: f.name }));
            onChange();
          }}
        />
      )}
      {points.length === 0 ? (
        <NoFocalPoints acronym={acronym} ownOrganization={ownOrganization} editable={editable} admin={admin} />
      ) : (
        <ul class="people">
          {points.map((fp) =>
            editing === fp.id ? (
              <li key={fp.id}>
                <FocalPointForm
                  title={t('member.editFp', { name: fp.name })}
                  initial={{ name: fp.name, title: fp.title ?? '', email: fp.email ?? '', phone: fp.phone ?? '' }}
                  submitLabel={t('member.saveFp')}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (f) => {
                    const url = `${base}/${encodeURIComponent(String(fp.id))}`;
                    await api.patch(url, clean(f, fp), versionEtag(fp.version));
                    setEditing(null);
                    setNotice(t('member.savedFp', { name: f.name }));
                    onChange();
                  }}
                />
              </li>
            ) : (
              <li key={fp.id} class="person">
                <div>
                  <strong>{fp.name}</strong>
                  {fp.title && (
                    <span class="meta">
                      , <InRecords>{fp.title}</InRecords>
                    </span>
                  )}
                </div>
                {fp.email && (
                  <div>
                    <a href={`mailto:${fp.email}`}>{fp.email}</a>
                  </div>
                )}
                {fp.phone && <div>{fp.phone}</div>}
                {fp.since && <div class="meta">{t('member.fpSince', { date: formatDate(fp.since) })}</div>}
                {editable && (
                  <div class="actions">
                    <RowButton label={t('member.edit')} what={fp.name} onClick={() => { setEditing(fp.id); setAdding(false); setNotice(null); }} />
                    <RowButton label={t('member.remove')} what={fp.name} kind="danger" onClick={() => remove(fp)} />
                  </div>
                )}
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

/** The body to send: all fields on create, only changed ones on edit; empty optional → null. */
function clean(f: FpForm, before: FocalPoint | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const keys: (keyof FpForm)[] = ['name', 'title', 'email', 'phone'];
  for (const k of keys) {
    const v = f[k].trim();
    const value = v === '' && (k === 'title' || k === 'phone') ? null : v;
    if (!before) {
      if (value !== null) out[k] = value;
    } else if ((before[k] ?? '') !== v) {
      out[k] = value;
    }
  }
  return out;
}

function FocalPointForm({
  title,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: FpForm;
  submitLabel: string;
  onSubmit(f: FpForm): Promise<void>;
  onCancel(): void;
}) {
  const [f, setF] = useState<FpForm>(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof FpForm) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  return (
    <form
      class="panel"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await onSubmit(f);
        } catch (err) {
          if (err instanceof ApiError && err.status === 412) {
            setError(new ApiError(412, err.code, t('member.staleFp')));
          } else {
            setError(err);
          }
          setBusy(false);
        }
      }}
    >
      <h3>{title}</h3>
      <div class="row">
        <Field label={t('member.fpName')} value={f.name} onValue={set('name')} field="name" error={error} required autoComplete="off" />
        <Field label={t('member.fpTitle')} value={f.title} onValue={set('title')} field="title" error={error} autoComplete="off" />
      </div>
      <div class="row">
        <Field label={t('member.email')} type="email" value={f.email} onValue={set('email')} field="email" error={error} required autoComplete="off" />
        <Field label={t('member.phone')} type="tel" value={f.phone} onValue={set('phone')} field="phone" error={error} autoComplete="off" />
      </div>
      <ErrorBox error={error} title={t('member.notSaved')} />
      <SubmitCancel label={submitLabel} saving busy={busy} onCancel={onCancel} />
    </form>
  );
}

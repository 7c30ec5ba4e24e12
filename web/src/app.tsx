// The shell: header with navigation and the signed-in user, and the page for the current path.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { setSessionLostHandler, type User } from './api';
import { LANGUAGES, activate, currentLanguage, isLanguage, onLanguageChange, storeLanguage, storedLanguage, t, type Language } from './i18n';
import { Link, match, navigate, useLocation, usePathChange } from './router';
import { SessionContext, canCreateCourse, createSession, deleteSession, isAdmin, isStaff, loadSession, saveLanguage, type SessionState } from './session';
import { ErrorBox } from './ui';
import { canRecordActivities } from './activities';
import { canUploadStats } from './stats';
import { lazyPage, type LazyPage } from './lazy';
import { Tour, TakeTourButton } from './tour';
import { helpFor } from './guide';
import { NotificationBell } from './notification-bell';
import { NavMenu } from './nav-menu';
import { HeaderSearch } from './header-search';

// Every page is its own chunk, fetched with the catalogue areas it shows beyond the core
// (i18n.ts, lazy.tsx). A page that shows another area's words must list it here, or it shows
// bare ids (and t() says so in the console). activities.ts's words are `activities`, `labels`
// and `region`.
const ACTIVITY_AREAS = ['activities', 'labels', 'region'] as const;
const HomePage = lazyPage(() => import('./pages/home').then((m) => m.HomePage), ['home']);
const SignInPage = lazyPage(() => import('./pages/signin').then((m) => m.SignInPage), ['signin']);
const ActivitiesPage = lazyPage(() => import('./pages/activities').then((m) => m.ActivitiesPage), [...ACTIVITY_AREAS, 'map', 'a11y']);
const ActivityPage = lazyPage<{ id: string }>(() => import('./pages/activity').then((m) => m.ActivityPage), [...ACTIVITY_AREAS, 'activity']);
const ActivityFormPage = lazyPage<{ id?: string }>(() => import('./pages/activity-form').then((m) => m.ActivityFormPage), [...ACTIVITY_AREAS, 'form', 'overlaps']);
const ActivityImportPage = lazyPage(() => import('./pages/activity-import').then((m) => m.ActivityImportPage), [...ACTIVITY_AREAS, 'import', 'overlaps']);
const CoherencePage = lazyPage<{ tab?: 'overlaps' | 'gaps' | 'mandates' | 'model'; finding?: string }>(() => import('./pages/coherence').then((m) => m.CoherencePage), [...ACTIVITY_AREAS, 'coherence', 'overlaps']);
const MemberPage = lazyPage<{ id: string }>(() => import('./pages/member').then((m) => m.MemberPage), [...ACTIVITY_AREAS, 'member']);
const ChairPage = lazyPage(() => import('./pages/chair').then((m) => m.ChairPage), ['chair']);
const UsersPage = lazyPage(() => import('./pages/users').then((m) => m.UsersPage), ['users', 'a11y']);
const MembersAdminPage = lazyPage(() => import('./pages/members-admin').then((m) => m.MembersAdminPage), ['members']);
const ThemesAdminPage = lazyPage(() => import('./pages/themes-admin').then((m) => m.ThemesAdminPage), ['themes']);
const AuditPage = lazyPage(() => import('./pages/audit').then((m) => m.AuditPage), [...ACTIVITY_AREAS, 'audit']);
const TokensPage = lazyPage(() => import('./pages/tokens').then((m) => m.TokensPage), ['tokens']);
// Statistics (issue 11): the explorer names areas with activities.ts (countries, `region.`).
const STATS_AREAS = ['activities', 'labels', 'region', 'stats'] as const;
const StatsPage = lazyPage(() => import('./pages/stats').then((m) => m.StatsPage), STATS_AREAS);
const StatsFlowPage = lazyPage<{ agency: string; id: string }>(() => import('./pages/stats-flow').then((m) => m.StatsFlowPage), STATS_AREAS);
const StatsUploadPage = lazyPage(() => import('./pages/stats-upload').then((m) => m.StatsUploadPage), STATS_AREAS);
const StatsEmbedPage = lazyPage(() => import('./pages/stats-embed').then((m) => m.StatsEmbedPage), STATS_AREAS);
// Meetings and actions (issue 12): a meeting's page also lists its actions.
const MEETING_AREAS = ['meetings', 'actions'] as const;
const MeetingsPage = lazyPage(() => import('./pages/meetings').then((m) => m.MeetingsPage), MEETING_AREAS);
const MeetingFormPage = lazyPage(() => import('./pages/meeting-form').then((m) => m.MeetingFormPage), MEETING_AREAS);
const MeetingPage = lazyPage<{ id: string }>(() => import('./pages/meeting').then((m) => m.MeetingPage), MEETING_AREAS);
const ActionsPage = lazyPage(() => import('./pages/actions').then((m) => m.ActionsPage), MEETING_AREAS);
const ActionPage = lazyPage<{ id: string }>(() => import('./pages/actions').then((m) => m.ActionPage), MEETING_AREAS);
// Positions, rounds, delegations, notifications and initiatives (issue 12).
const PositionsPage = lazyPage(() => import('./pages/positions').then((m) => m.PositionsPage), ['positions']);
const PositionPage = lazyPage<{ id: string }>(() => import('./pages/position').then((m) => m.PositionPage), ['positions']);
const DelegationsPage = lazyPage(() => import('./pages/position-delegations').then((m) => m.DelegationsPage), ['positions']);
const NotificationsPage = lazyPage(() => import('./pages/notifications').then((m) => m.NotificationsPage), ['notifications']);
const NotificationPreferencesPage = lazyPage(() => import('./pages/notifications').then((m) => m.NotificationPreferencesPage), ['notifications']);
const InitiativesPage = lazyPage(() => import('./pages/initiatives').then((m) => m.InitiativesPage), ['initiatives', 'positions', 'meetings']);
const InitiativePage = lazyPage<{ id: string }>(() => import('./pages/initiatives').then((m) => m.InitiativePage), ['initiatives', 'positions', 'meetings']);
// The knowledge library (issue 13).
const LibraryPage = lazyPage(() => import('./pages/library').then((m) => m.LibraryPage), ['library', 'activities']);
const LibraryItemPage = lazyPage<{ id: string }>(() => import('./pages/library').then((m) => m.LibraryItemPage), ['library', 'activities']);
const LibraryFormPage = lazyPage<{ id?: string }>(() => import('./pages/library').then((m) => m.LibraryFormPage), ['library', 'activities']);
const LibraryReviewPage = lazyPage(() => import('./pages/library').then((m) => m.LibraryReviewPage), ['library']);
// Stakeholders and engagement (issue 13).
const StakeholdersPage = lazyPage(() => import('./pages/engagement').then((m) => m.StakeholdersPage), ['engagement']);
const StakeholderPage = lazyPage<{ id: string }>(() => import('./pages/engagement').then((m) => m.StakeholderPage), ['engagement']);
const RequestsPage = lazyPage(() => import('./pages/engagement').then((m) => m.RequestsPage), ['engagement']);
const RequestPage = lazyPage<{ id: string }>(() => import('./pages/engagement').then((m) => m.RequestPage), ['engagement']);
// Knowledge and engagement (issue 13): training and capacity building.
const TrainingCataloguePage = lazyPage(() => import('./pages/training').then((m) => m.TrainingCataloguePage), ['training']);
const TrainingCoursePage = lazyPage<{ id: string }>(() => import('./pages/training').then((m) => m.TrainingCoursePage), ['training']);
const CourseFormPage = lazyPage<{ id?: string }>(() => import('./pages/training').then((m) => m.CourseFormPage), ['training']);
const TrainingReportPage = lazyPage(() => import('./pages/training').then((m) => m.TrainingReportPage), ['training']);
// Knowledge and engagement (issue 13): the research network and staff exchanges.
const ResearchPage = lazyPage(() => import('./pages/research').then((m) => m.ResearchPage), ['research']);
const ExchangesPage = lazyPage(() => import('./pages/research').then((m) => m.ExchangesPage), ['research']);
// The one search over every area (issue 13).
const SearchPage = lazyPage(() => import('./pages/search').then((m) => m.SearchPage), ['search']);
const HelpPage = lazyPage<{ page: string }>(() => import('./pages/help').then((m) => m.HelpPage), []);

type Allow = (u: User | null | undefined) => boolean;
type Params = Record<string, string>;
interface Route {
  path: string;
  page: LazyPage<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  props?: (m: Params) => object;
  /** A page for some roles only (Guard). */
  allow?: Allow;
}
const signedIn: Allow = (u) => !!u;

/** The pages by path; the first match wins. */
const ROUTES: Route[] = [
  { path: '/', page: HomePage },
  { path: '/index.html', page: HomePage },
  { path: '/members/:id', page: MemberPage, props: (m) => ({ id: m.id }) },
  { path: '/activities', page: ActivitiesPage },
  { path: '/activities/new', page: ActivityFormPage },
  { path: '/activities/import', page: ActivityImportPage, allow: canRecordActivities },
  { path: '/activities/:id/edit', page: ActivityFormPage, props: (m) => ({ id: m.id }) },
  { path: '/activities/:id', page: ActivityPage, props: (m) => ({ id: m.id }) },
  { path: '/coherence', page: CoherencePage },
  { path: '/coherence/gaps', page: CoherencePage, props: () => ({ tab: 'gaps' }) },
  { path: '/coherence/mandates', page: CoherencePage, props: () => ({ tab: 'mandates' }) },
  { path: '/coherence/model', page: CoherencePage, props: () => ({ tab: 'model' }) },
  { path: '/coherence/overlaps/:id', page: CoherencePage, props: (m) => ({ finding: m.id }) },
  { path: '/meetings', page: MeetingsPage },
  { path: '/meetings/new', page: MeetingFormPage, allow: isStaff },
  { path: '/meetings/:id', page: MeetingPage, props: (m) => ({ id: m.id }) },
  { path: '/actions', page: ActionsPage, allow: signedIn },
  { path: '/actions/:id', page: ActionPage, props: (m) => ({ id: m.id }), allow: signedIn },
  { path: '/stats', page: StatsPage },
  { path: '/stats/upload', page: StatsUploadPage, allow: canUploadStats },
  { path: '/stats/:agency/:id', page: StatsFlowPage, props: (m) => ({ agency: m.agency, id: m.id }) },
  { path: '/embed/stats', page: StatsEmbedPage },
  { path: '/chair', page: ChairPage },
  { path: '/positions', page: PositionsPage },
  { path: '/positions/delegations', page: DelegationsPage, allow: signedIn },
  { path: '/positions/:id', page: PositionPage, props: (m) => ({ id: m.id }) },
  { path: '/notifications', page: NotificationsPage, allow: signedIn },
  { path: '/notifications/preferences', page: NotificationPreferencesPage, allow: signedIn },
  { path: '/initiatives', page: InitiativesPage },
  { path: '/initiatives/:id', page: InitiativePage, props: (m) => ({ id: m.id }) },
  { path: '/library', page: LibraryPage },
  { path: '/library/new', page: LibraryFormPage, allow: signedIn },
  { path: '/library/review', page: LibraryReviewPage, allow: signedIn },
  { path: '/library/:id', page: LibraryItemPage, props: (m) => ({ id: m.id }) },
  { path: '/library/:id/edit', page: LibraryFormPage, allow: signedIn, props: (m) => ({ id: m.id }) },
  { path: '/stakeholders', page: StakeholdersPage },
  { path: '/stakeholders/:id', page: StakeholderPage, props: (m) => ({ id: m.id }) },
  { path: '/support-requests', page: RequestsPage },
  { path: '/support-requests/:id', page: RequestPage, props: (m) => ({ id: m.id }), allow: signedIn },
  { path: '/training', page: TrainingCataloguePage },
  { path: '/training/courses/new', page: CourseFormPage, allow: canCreateCourse },
  { path: '/training/courses/:id/edit', page: CourseFormPage, allow: signedIn, props: (m) => ({ id: m.id }) },
  { path: '/training/courses/:id', page: TrainingCoursePage, props: (m) => ({ id: m.id }) },
  { path: '/training/report', page: TrainingReportPage },
  { path: '/research', page: ResearchPage },
  { path: '/exchanges', page: ExchangesPage, allow: signedIn },
  { path: '/search', page: SearchPage },
  { path: '/signin', page: SignInPage },
  { path: '/admin/users', page: UsersPage, allow: isAdmin },
  { path: '/admin/themes', page: ThemesAdminPage, allow: isStaff },
  { path: '/admin/members', page: MembersAdminPage, allow: isStaff },
  { path: '/audit', page: AuditPage, allow: isStaff },
  { path: '/help', page: HelpPage, props: () => ({ page: 'README' }) },
  { path: '/help/:page', page: HelpPage, props: (m) => ({ page: m.page }) },
  { path: '/tokens', page: TokensPage, allow: signedIn },
];

function findRoute(path: string): { route: Route; params: Params } | null {
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/**
 * Fetches the code and catalogue areas of the page at `path` (main.tsx, at start, beside the
 * language's core), so that the first paint is that page, in the reader's language.
 */
export function preloadRoute(path: string): Promise<unknown> {
  return findRoute(path)?.route.page.preload() ?? Promise.resolve();
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(null);
  const [language, setLanguage] = useState<Language>(currentLanguage());
  const [languageError, setLanguageError] = useState<unknown>(null);

  // A new language re-renders the whole tree from here (t() reads the language in force).
  useEffect(() => onLanguageChange(setLanguage), []);

  useEffect(() => {
    // A write or read that finds the session gone (expired, user deactivated) signs the tab out.
    setSessionLostHandler(() => setUser(null));
    loadSession().then(adoptUser, (e) => {
      setUser(null);
      setBootError(e);
    });
  }, []);

  /**
   * Signed in: the language remembered with the account wins over this browser's; an account
   * with none takes the one picked in this browser before signing in.
   */
  function adoptUser(u: User | null) {
    setUser(u);
    if (!u) return;
    const remembered = u.language;
    if (isLanguage(remembered)) {
      if (remembered !== currentLanguage()) {
        storeLanguage(remembered);
        activate(remembered).catch(setLanguageError);
      }
    } else if (!remembered) {
      const picked = storedLanguage();
      if (picked) saveLanguage(picked).then(setUser, setLanguageError);
    }
  }

  async function chooseLanguage(lang: Language) {
    setLanguageError(null);
    storeLanguage(lang);
    try {
      await activate(lang);
      if (user) setUser(await saveLanguage(lang));
    } catch (e) {
      setLanguageError(e);
    }
  }

  const session = useMemo<SessionState>(
    () => ({
      user,
      async signIn(email, password) {
        const u = await createSession(email, password);
        adoptUser(u);
        return u;
      },
      async signOut() {
        try {
          await deleteSession();
        } finally {
          setUser(null);
        }
      },
    }),
    [user, language],
  );

  // An embedded chart (/embed/stats, in another site's <iframe>): the page alone, no header,
  // footer or tour.
  if (location.pathname.startsWith('/embed/')) {
    return (
      <SessionContext.Provider value={session}>
        <main id="main" class="embed" tabIndex={-1}>
          <Routes user={user} />
        </main>
      </SessionContext.Provider>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        {t('shell.skip')}
      </a>
      <Header
        user={user}
        language={language}
        onLanguage={chooseLanguage}
        onSignOut={() => {
          // Signed out locally whatever the server answers; a failure only means it already was.
          session
            .signOut()
            .catch(() => {})
            .finally(() => navigate('/'));
        }}
      />
      <main id="main" tabIndex={-1}>
        {bootError ? <ErrorBox error={bootError} title={t('shell.sessionCheckFailed')} /> : null}
        {languageError ? <ErrorBox error={languageError} title={t('shell.languageFailed')} /> : null}
        <Routes user={user} />
      </main>
      <footer class="site-footer">
        <p>
          {t('shell.footer')} <a href="/api/v1/openapi.json">{t('shell.footerApi')}</a> · <Link href="/help">{t('help.readGuide')}</Link> · <TakeTourButton />
        </p>
      </footer>
      <Tour user={user} />
    </SessionContext.Provider>
  );
}

function Header({ user, language, onLanguage, onSignOut }: { user: User | null | undefined; language: Language; onLanguage(l: Language): void; onSignOut(): void }) {
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  usePathChange(() => setOpen(false));
  const links: { href: string; label: string; show: boolean }[] = [
    { href: '/', label: t('shell.nav.home'), show: true },
    { href: '/activities', label: t('shell.nav.activities'), show: true },
    { href: `/members/${encodeURIComponent(user?.organization_id ?? '')}`, label: t('shell.nav.myOrganisation'), show: !!user?.organization_id },
    { href: '/stats', label: t('shell.nav.stats'), show: true },
    { href: '/meetings', label: t('shell.nav.meetings'), show: true },
    { href: '/coherence', label: t('shell.nav.coherence'), show: !!user },
    { href: '/chair', label: t('shell.nav.chair'), show: true },
    { href: '/positions', label: t('shell.nav.positions'), show: true },
    { href: '/tokens', label: t('shell.nav.tokens'), show: !!user },
  ];
  // Knowledge and engagement (issue 13) and the initiatives, under one disclosure menu.
  const knowledge: { href: string; label: string; show: boolean }[] = [
    { href: '/library', label: t('shell.nav.library'), show: true },
    { href: '/initiatives', label: t('shell.nav.initiatives'), show: true },
    { href: '/research', label: t('shell.nav.research'), show: true },
    { href: '/training', label: t('shell.nav.training'), show: true },
    { href: '/exchanges', label: t('shell.nav.exchanges'), show: isStaff(user) || (!!user?.organization_id && (user.role === 'focal_point' || user.role === 'member')) },
    { href: '/stakeholders', label: t('shell.nav.stakeholders'), show: true },
    { href: '/support-requests', label: t('shell.nav.supportRequests'), show: !!user },
  ].filter((l) => l.show);
  // The administration pages, under one disclosure menu; each shown to the roles its route allows.
  const admin: { href: string; label: string; show: boolean }[] = [
    { href: '/admin/members', label: t('shell.nav.membership'), show: isStaff(user) },
    { href: '/admin/themes', label: t('shell.nav.themes'), show: isStaff(user) },
    { href: '/admin/users', label: t('shell.nav.users'), show: isAdmin(user) },
    { href: '/audit', label: t('shell.nav.audit'), show: isStaff(user) },
  ].filter((l) => l.show);
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <header class="site-header">
      <div class="bar">
        <Link href="/" class="brand">
          <span class="logo" aria-hidden="true">
            {t('shell.logo')}
          </span>
          <span>{t('shell.brand')}</span>
        </Link>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={open}
          aria-controls="site-nav"
          onClick={() => setOpen(!open)}
        >
          {t('shell.menu')}
        </button>
        <nav id="site-nav" aria-label={t('shell.nav.label')} class={open ? 'open' : ''}>
          <ul>
            {links
              .filter((l) => l.show)
              .map((l) => (
                <li key={l.href}>
                  <Link href={l.href} aria-current={current(l.href) ? 'page' : undefined}>
                    {l.label}
                  </Link>
                </li>
              ))}
            <NavMenu id="knowledge-nav" label={t('shell.nav.knowledge')} links={knowledge} current={current} />
            {admin.length > 0 && <NavMenu id="admin-nav" label={t('shell.nav.admin')} links={admin} current={current} />}
          </ul>
          <LanguageSwitcher language={language} onLanguage={onLanguage} />
          <div class="who" data-testid="who">
            <HeaderSearch />
            <Link href={helpFor(path, user)} class="help-link" data-testid="help-link">
              {t('help.link')}
            </Link>
            {user === undefined ? null : user ? (
              <>
                <NotificationBell user={user} />
                <span class="user">
                  <span data-testid="user-name">{user.name}</span> <span class="role">({t(`role.${user.role}`)})</span>
                </span>
                <button type="button" class="secondary" onClick={onSignOut}>
                  {t('shell.signOut')}
                </button>
              </>
            ) : (
              <Link href="/signin" class="button">
                {t('shell.signIn')}
              </Link>
            )}
          </div>
        </nav>
      </div>
    </header>
  );
}

/** A labelled select; each language named in its own language and tagged with its `lang`. */
function LanguageSwitcher({ language, onLanguage }: { language: Language; onLanguage(l: Language): void }) {
  return (
    <div class="lang-switch">
      <label for="language-select" class="sr-only">
        {t('shell.language')}
      </label>
      <select
        id="language-select"
        data-testid="language"
        value={language}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (isLanguage(v)) onLanguage(v);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code} dir={l.dir}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Routes({ user }: { user: User | null | undefined }) {
  const { path } = useLocation();
  const mainRef = useRef<string>(path);

  // After an in-app navigation, move keyboard focus to the new page's heading. A page that
  // loads its data renders its heading late, or replaces it (a loading state, then the record;
  // focus then falls back to the body), so follow the heading for a few seconds, until the
  // reader moves focus themselves.
  useEffect(() => {
    if (mainRef.current === path) return;
    mainRef.current = path;
    let focused: HTMLElement | null = null;
    const started = Date.now();
    const t = setInterval(() => {
      const active = document.activeElement;
      const readerMoved = focused !== null && active !== focused && active !== document.body && active !== null;
      if (readerMoved || Date.now() - started > 5000) {
        clearInterval(t);
        return;
      }
      const h = document.querySelector<HTMLElement>('main h1');
      // First time, or the heading we focused was replaced while focus fell to the body.
      const replaced = focused !== null && !focused.isConnected && (active === document.body || active === null);
      if (h && (focused === null || replaced)) {
        h.tabIndex = -1;
        h.focus({ preventScroll: true });
        focused = h;
      }
    }, 50);
    return () => clearInterval(t);
  }, [path]);

  const found = findRoute(path);
  if (!found) return <NotFound />;
  const { route, params } = found;
  const Page = route.page;
  const page = <Page {...(route.props?.(params) ?? {})} />;
  return route.allow ? (
    <Guard user={user} allow={route.allow}>
      {page}
    </Guard>
  ) : (
    page
  );
}

/** Pages for some roles: explain instead of showing a page of errors. */
function Guard({ user, allow, children }: { user: User | null | undefined; allow(u: User | null | undefined): boolean; children: ComponentChildren }) {
  if (user === undefined) return <p class="loading">{t('shell.checkingSession')}</p>;
  if (!user) {
    return (
      <section>
        <h1>{t('shell.signInNeeded')}</h1>
        <p>
          {t('shell.signInNeededText')} <Link href={`/signin?next=${encodeURIComponent(location.pathname)}`}>{t('shell.signIn')}</Link>
        </p>
      </section>
    );
  }
  if (!allow(user)) {
    return (
      <section>
        <h1>{t('shell.notAvailable')}</h1>
        <p>{t('shell.notAvailableText', { role: t(`role.${user.role}`) })}</p>
      </section>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  return (
    <section>
      <h1>{t('shell.notFound')}</h1>
      <p>
        {t('shell.notFoundText')} <Link href="/">{t('shell.notFoundHome')}</Link>
      </p>
    </section>
  );
}

// Sign in with e-mail and password (POST /api/v1/session).
import { useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { ErrorBox, Field, usePageTitle } from '../ui';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Where a sign-in without `next` lands: the organisation's page (its home base) for its staff. */
function homeOf(user: User): string {
  return user.organization_id ? `/members/${encodeURIComponent(user.organization_id)}` : '/';
}

export function SignInPage() {
  usePageTitle(t('signin.title'));
  const { user, signIn, signOut } = useSession();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) {
    return (
      <section class="narrow">
        <h1>{t('signin.signedIn')}</h1>
        <p>
          {t('signin.signedInAs')} <strong>{user.name}</strong> ({user.email})
        </p>
        <p class="actions">
          <Link href={next} class="button">
            {t('signin.continue')}
          </Link>
          <button type="button" class="secondary" onClick={() => signOut()}>
            {t('shell.signOut')}
          </button>
        </p>
      </section>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const signedIn = await signIn(email.trim(), password);
      setPassword('');
      navigate(search.get('next') ? next : homeOf(signedIn));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setError(new ApiError(401, 'wrong_credentials', t('signin.wrongCredentials')));
      } else if (err instanceof ApiError && err.status === 429) {
        setError(new ApiError(429, 'too_many_sign_ins', t('signin.tooMany'), [], err.retryAfter));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="narrow">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      <form onSubmit={submit} class="panel" data-testid="signin-form">
        <Field label={t('signin.email')} type="email" name="email" autoComplete="username" value={email} onValue={setEmail} required />
        <Field label={t('signin.password')} type="password" name="password" autoComplete="current-password" value={password} onValue={setPassword} required />
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('signin.busy') : t('signin.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

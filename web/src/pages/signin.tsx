// Sign in with e-mail and password (POST /api/v1/session).
import { useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
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
  usePageTitle('Sign in');
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
        <h1>Signed in</h1>
        <p>
          You are signed in as <strong>{user.name}</strong> ({user.email}).
        </p>
        <p class="actions">
          <Link href={next} class="button">
            Continue
          </Link>
          <button type="button" class="secondary" onClick={() => signOut()}>
            Sign out
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
        setError(new ApiError(401, err.code, 'Wrong e-mail address or password.'));
      } else if (err instanceof ApiError && err.status === 429) {
        setError(new ApiError(429, err.code, 'Too many sign-in attempts.', [], err.retryAfter));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="narrow">
      <h1>Sign in</h1>
      <p>Members' staff, focal points and the secretariat sign in to edit records. Everyone can read public pages without signing in.</p>
      <form onSubmit={submit} class="panel" data-testid="signin-form">
        <Field label="E-mail" type="email" name="email" autoComplete="username" value={email} onValue={setEmail} required />
        <Field label="Password" type="password" name="password" autoComplete="current-password" value={password} onValue={setPassword} required />
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}

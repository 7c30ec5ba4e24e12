// Who is signed in. Learned once on load from GET /api/v1/session (401 = anonymous); the CSRF
// token stays in memory in api.ts.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, api, setCsrfToken, type Session, type User } from './api';

export interface SessionState {
  /** undefined while the first GET /session is in flight. */
  user: User | null | undefined;
  signIn(email: string, password: string): Promise<User>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState>({
  user: undefined,
  signIn: () => Promise.reject(new Error('no session provider')), // a bug, never shown to a person
  signOut: () => Promise.resolve(),
});

export function useSession(): SessionState {
  return useContext(SessionContext);
}

export async function loadSession(): Promise<User | null> {
  try {
    const r = await api.get<Session>('/session');
    setCsrfToken(r.data.csrf_token);
    return r.data.user;
  } catch (e) {
    setCsrfToken(null);
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function createSession(email: string, password: string): Promise<User> {
  const r = await api.post<Session>('/session', { email, password });
  setCsrfToken(r.data.csrf_token);
  return r.data.user;
}

export async function deleteSession(): Promise<void> {
  try {
    await api.del('/session');
  } catch (e) {
    // Already signed out on the server (expired session): nothing left to do.
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  } finally {
    setCsrfToken(null);
  }
}

/** Remembers the web-app language with the signed-in user's account; returns the user. */
export async function saveLanguage(language: string | null): Promise<User> {
  const r = await api.patch<Session>('/session', { language }, null);
  return r.data.user;
}

// ---- What each role may do (mirrors the "who" column of docs/api.md; the server decides) ----

export const isStaff = (u: User | null | undefined): boolean => !!u && (u.role === 'admin' || u.role === 'secretariat');
export const isAdmin = (u: User | null | undefined): boolean => !!u && u.role === 'admin';

/** Creates training courses: the secretariat, or a focal point of an organisation (the server checks it is a GMG member today). */
export function canCreateCourse(u: User | null | undefined): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || (u.role === 'focal_point' && !!u.organization_id);
}

/** Admin, secretariat, or the focal point of this organisation. */
export function canEditOrganization(u: User | null | undefined, orgId: string): boolean {
  if (!u || u.active === false) return false;
  return isStaff(u) || (u.role === 'focal_point' && u.organization_id === orgId);
}

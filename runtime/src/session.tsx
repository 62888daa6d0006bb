// Who is logged in: loaded once from GET /api/session, set by login and registration, cleared by logout
// or by a 401 from any endpoint (the session expired).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, type Session } from './api.ts';
import { currentPath, navigate } from '../../ui/router.tsx';

interface SessionState {
  /** undefined while loading, null when nobody is logged in. */
  session: Session | null | undefined;
  setSession: (s: Session | null) => void;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Work to finish while the session is still valid (the answering page's unsaved answers). */
const beforeLogout = new Set<() => Promise<unknown>>();
export function onBeforeLogout(f: () => Promise<unknown>): () => void {
  beforeLogout.add(f);
  return () => beforeLogout.delete(f);
}

const PUBLIC = ['/login', '/register', '/forgot-password', '/forgot-username'];
export const isPublicPath = (path: string) => PUBLIC.some((p) => path === p || path.startsWith(`${p}?`));

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    api.session().then(setSession, () => setSession(null));
    setUnauthorizedHandler(() => {
      setSession(null);
      if (!isPublicPath(currentPath())) navigate(`/login?next=${encodeURIComponent(currentPath())}`, { replace: true });
    });
  }, []);
  const logout = useCallback(async () => {
    try {
      await Promise.allSettled([...beforeLogout].map((f) => f()));
      await api.logout();
    } finally {
      setSession(null);
      navigate('/login');
    }
  }, []);
  const value = useMemo(() => ({ session, setSession, logout }), [session, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** Region and platform administrators: they see the dashboard instead of the self-diagnosis. */
export const isAdministrator = (session: { user: { role: string } } | null | undefined) => session?.user.role === 'regionAdmin' || session?.user.role === 'platformAdmin';

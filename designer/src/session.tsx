// Who is logged in to the designer: loaded once, refreshed on login and logout.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, type Session } from './api.ts';

const Ctx = createContext<{ session: Session | null | undefined; refresh: () => Promise<void> }>({ session: undefined, refresh: async () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    setSession(await api.session().catch(() => null));
  }, []);
  useEffect(() => void refresh(), [refresh]);
  return <Ctx.Provider value={{ session, refresh }}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx);

/** Roles that may open the designer: authors and platform administrators edit rulesets, region administrators their variants. */
export const DESIGNER_ROLES = ['rulesetAuthor', 'platformAdmin', 'regionAdmin'] as const;

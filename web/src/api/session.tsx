import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getJson, sendJson, setCsrfToken } from './client.js';

/** The roles of Tumbuh (src/auth/access.ts). */
export type Role = 'admin' | 'provinsi' | 'tpps' | 'opd' | 'puskesmas' | 'desa' | 'kader' | 'tpk' | 'csr' | 'viewer';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

/** The caller's area as the server resolved it. */
export interface SessionScope {
  regionCodes: string[] | null;
  posyanduId: number | null;
  puskesmasId: number | null;
  sector: string | null;
}

export interface Session {
  user: SessionUser;
  scope: SessionScope;
  csrfToken: string;
}

interface MeAnswer {
  user?: Partial<SessionUser> & { role?: Role };
  scope?: Partial<SessionScope>;
  csrfToken?: string;
  session?: { csrfToken?: string };
}

/** Reads the session out of a `/auth/me` or `/auth/login` answer. */
export function sessionFrom(answer: MeAnswer): Session | null {
  const u = answer.user;
  const csrf = answer.csrfToken ?? answer.session?.csrfToken;
  if (!u || !u.role || !csrf) return null;
  return {
    user: { id: Number(u.id ?? 0), username: String(u.username ?? ''), displayName: String(u.displayName ?? u.username ?? ''), role: u.role },
    scope: {
      regionCodes: answer.scope?.regionCodes ?? null,
      posyanduId: answer.scope?.posyanduId ?? null,
      puskesmasId: answer.scope?.puskesmasId ?? null,
      sector: answer.scope?.sector ?? null,
    },
    csrfToken: csrf,
  };
}

const PERSONAL: readonly Role[] = ['admin', 'tpps', 'puskesmas', 'desa', 'kader', 'tpk'];
const ENTRY: readonly Role[] = ['admin', 'puskesmas', 'desa', 'kader'];
const IMPORT: readonly Role[] = ['admin', 'tpps'];
const QUALITY: readonly Role[] = ['admin', 'provinsi', 'tpps', 'puskesmas', 'desa'];
const REVIEW: readonly Role[] = ['admin', 'tpps', 'puskesmas', 'desa'];
const EVALUATION: readonly Role[] = ['admin', 'provinsi', 'tpps', 'opd', 'viewer'];
const EVALUATION_WRITE: readonly Role[] = ['admin', 'tpps'];

/** What each role finds in the menu (the server enforces the same rules again on every call). */
export const CAN = {
  personal: (r: Role) => PERSONAL.includes(r),
  enter: (r: Role) => ENTRY.includes(r),
  import: (r: Role) => IMPORT.includes(r),
  quality: (r: Role) => QUALITY.includes(r),
  evaluation: (r: Role) => EVALUATION.includes(r),
  evaluationWrite: (r: Role) => EVALUATION_WRITE.includes(r),
  /** Barriers and action progress: the secretariat and the sector agencies. */
  evaluationProgress: (r: Role) => EVALUATION_WRITE.includes(r) || r === 'opd',
  review: (r: Role) => REVIEW.includes(r),
  admin: (r: Role) => r === 'admin',
};

interface SessionContextValue {
  session: Session | null;
  checking: boolean;
  login(username: string, password: string, totpCode?: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

const CACHE_KEY = 'tumbuh.session';
/** Set while this browser believes it holds a session: without it the app shows Masuk at once (no 401 probe). */
export const SESSION_HINT_KEY = 'tumbuh.hasSession';

function hint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SESSION_HINT_KEY, '1');
    else localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // storage unavailable: the app still works, it just probes /auth/me
  }
}

function hasHint(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return true;
  }
}

/** Provides the logged-in user; asks `/auth/me` once at start (a cached copy serves offline starts). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(true);

  const accept = useCallback((s: Session | null) => {
    setSession(s);
    setCsrfToken(s?.csrfToken ?? null);
    hint(s !== null);
    try {
      if (s) sessionStorage.setItem(CACHE_KEY, JSON.stringify(s));
      else sessionStorage.removeItem(CACHE_KEY);
    } catch {
      // storage unavailable
    }
  }, []);

  useEffect(() => {
    if (!hasHint()) {
      setChecking(false);
      return;
    }
    getJson<MeAnswer>('/auth/me')
      .then((me) => accept(sessionFrom(me)))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.isNetwork) {
          const cached = sessionStorage.getItem(CACHE_KEY);
          // Offline start: keep the hint, the session may well still be valid once the network is back.
          if (cached) accept(JSON.parse(cached) as Session);
        } else accept(null);
      })
      .finally(() => setChecking(false));
  }, [accept]);

  const login = useCallback(async (username: string, password: string, totpCode?: string) => {
    const answer = await sendJson<MeAnswer>('POST', '/auth/login', { username, password, ...(totpCode ? { totpCode } : {}) });
    let s = sessionFrom(answer);
    if (!s) s = sessionFrom(await getJson<MeAnswer>('/auth/me'));
    accept(s);
  }, [accept]);

  const logout = useCallback(async () => {
    try {
      await sendJson('POST', '/auth/logout', {});
    } finally {
      accept(null);
    }
  }, [accept]);

  const value = useMemo(() => ({ session, checking, login, logout }), [session, checking, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context. */
export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

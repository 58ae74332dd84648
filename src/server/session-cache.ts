import type { LoadedSession } from '../auth/session.service.js';

/**
 * Loaded sessions of this process for a few seconds, so that a burst of requests of one user
 * (a dashboard with its charts, a posyandu day of saves) costs one session query instead of one
 * per request. Entries never outlive the session's own idle or absolute end. The app clears the
 * whole cache after every account-changing request it serves (login, logout, password change,
 * user administration), so a logout or a disabled account takes effect at once in this process;
 * a change made by another process (the CLI `tumbuh users disable`, a second server) is seen after
 * at most the TTL (docs/SECURITY.md "Session cache").
 */
export class SessionCache {
  private readonly entries = new Map<string, { session: LoadedSession; until: number }>();
  private generation = 0;

  /** `ttlMs` 0 disables the cache. */
  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached session of a cookie value, while fresh and not past its idle or absolute end. */
  get(id: string, now = Date.now()): LoadedSession | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.until <= now || now >= hit.session.expiresAt.getTime() || now >= hit.session.idleExpiresAt.getTime()) {
      this.entries.delete(id);
      return undefined;
    }
    return hit.session;
  }

  /** The generation to pass to {@link set}: a load that overlaps a {@link clear} is not stored. */
  mark(): number {
    return this.generation;
  }

  /** Stores a session loaded from the database while the generation was `generation`. */
  set(id: string, session: LoadedSession, generation: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
    }
    this.entries.set(id, { session, until: now + this.ttlMs });
  }

  /** Forgets every session (after a request that may have ended or changed one). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Number of entries (tests). */
  get size(): number {
    return this.entries.size;
  }
}

/** Default TTL of the session cache; TUMBUH_SESSION_CACHE_MS overrides it (0 = off). */
export const DEFAULT_SESSION_CACHE_MS = 5_000;

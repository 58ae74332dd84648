import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AccessScope, Role } from './access.js';
import { AUTH_CONFIG } from './auth-config.js';
import { scopeFactsSql, scopeFromRow, type AuthDb, type ScopeFacts } from './scope.repo.js';

/** The account behind a session, as the server shows it (no scope columns, no secrets). */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

/** A new session: the id goes into the HttpOnly cookie, the CSRF token to the client's JavaScript. */
export interface NewSession {
  id: string;
  csrfToken: string;
  /** The absolute end (login + 12 h); the idle limit may end it earlier. */
  expiresAt: Date;
}

/** A live session with its account and resolved scope. */
export interface LoadedSession {
  sessionId: string;
  csrfToken: string;
  user: SessionUser;
  scope: AccessScope;
  /** The absolute end of the session. */
  expiresAt: Date;
  /** When the session ends if no request comes before. */
  idleExpiresAt: Date;
  /** The account must choose a new password before anything else (after an administrator's reset). */
  mustChangePassword: boolean;
}

/** Options of {@link createSession}/{@link loadSession}; `now` is for tests. */
export interface SessionClock {
  now?: Date;
}

/**
 * Sessions are stored under the SHA-256 of their id: a copy of the session table (a backup, a
 * leaked dump) holds no usable cookie.
 */
function storedId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates a session for an account: a random 32-byte id and CSRF token (base64url), absolute
 * expiry after {@link AUTH_CONFIG}.sessionAbsoluteMs. Every login gets a new id (no session
 * fixation): the caller never reuses an id the client brought.
 */
export async function createSession(
  db: AuthDb,
  userId: number,
  meta: { ip: string | null; userAgent: string | null },
  clock: SessionClock = {},
): Promise<NewSession> {
  const now = clock.now ?? new Date();
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + AUTH_CONFIG.sessionAbsoluteMs);
  await db
    .insertInto('session')
    .values({
      id: storedId(id),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: meta.ip?.slice(0, 64) ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { id, csrfToken, expiresAt };
}

interface SessionRow extends ScopeFacts {
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_region_code: string | null;
  scope_posyandu_id: number | null;
  scope_puskesmas_id: number | null;
  scope_sector: string | null;
  must_change_password: boolean;
}

/**
 * The live session of a cookie value with its account and AccessScope, or null when it does not
 * exist, is idle for longer than 30 minutes, is past its absolute 12 hours, or its account is
 * disabled (an ended session is deleted). Refreshes last_seen_at at most once a minute.
 */
export async function loadSession(
  db: Kysely<Database>,
  id: string,
  options: SessionClock & { requestId?: string | null } = {},
): Promise<LoadedSession | null> {
  if (!ID_PATTERN.test(id)) return null;
  const now = options.now ?? new Date();
  const key = storedId(id);
  const r = await sql<SessionRow>`
    SELECT s.csrf_token, s.last_seen_at, s.expires_at,
           u.id AS user_id, u.username, u.display_name, u.role, u.scope_region_code, u.scope_posyandu_id,
           u.scope_puskesmas_id, u.scope_sector, u.must_change_password, ${scopeFactsSql}
    FROM session s JOIN app_user u ON u.id = s.user_id AND u.active
    WHERE s.id = ${key}`.execute(db);
  const row = r.rows[0];
  if (!row) return null;
  const idleEnd = row.last_seen_at.getTime() + AUTH_CONFIG.sessionIdleMs;
  if (now.getTime() >= row.expires_at.getTime() || now.getTime() >= idleEnd) {
    await db.deleteFrom('session').where('id', '=', key).execute();
    return null;
  }
  let lastSeen = row.last_seen_at;
  if (now.getTime() - lastSeen.getTime() >= AUTH_CONFIG.sessionTouchMs) {
    await db.updateTable('session').set({ last_seen_at: now }).where('id', '=', key).where('last_seen_at', '<', now).execute();
    lastSeen = now;
  }
  const scope = scopeFromRow(
    {
      id: row.user_id,
      username: row.username,
      role: row.role,
      scope_region_code: row.scope_region_code,
      scope_posyandu_id: row.scope_posyandu_id,
      scope_puskesmas_id: row.scope_puskesmas_id,
      scope_sector: row.scope_sector,
    },
    row,
    options.requestId ?? null,
  );
  return {
    sessionId: id,
    csrfToken: row.csrf_token,
    user: { id: row.user_id, username: row.username, displayName: row.display_name, role: row.role },
    scope,
    expiresAt: row.expires_at,
    idleExpiresAt: new Date(Math.min(lastSeen.getTime() + AUTH_CONFIG.sessionIdleMs, row.expires_at.getTime())),
    mustChangePassword: row.must_change_password,
  };
}

/** Ends one session (logout). Unknown ids are ignored. */
export async function destroySession(db: AuthDb, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', storedId(id)).execute();
}

/** Ends every session of an account (disable, password reset or change); returns how many. */
export async function destroyUserSessions(db: AuthDb, userId: number, options: { except?: string } = {}): Promise<number> {
  let q = db.deleteFrom('session').where('user_id', '=', userId);
  if (options.except) q = q.where('id', '<>', storedId(options.except));
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes sessions past their absolute or idle end; returns how many (run from a periodic job). */
export async function purgeExpiredSessions(db: AuthDb, now: Date = new Date()): Promise<number> {
  const idleCut = new Date(now.getTime() - AUTH_CONFIG.sessionIdleMs);
  const r = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCut)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Constant-time comparison of a CSRF token sent by the client with the session's. */
export function csrfTokenMatches(expected: string, sent: string | null | undefined): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

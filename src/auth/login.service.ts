import { sql, type Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import type { AccessScope, Role } from './access.js';
import { AUTH_CONFIG } from './auth-config.js';
import { assertPasswordPolicy, hashNeedsUpgrade, hashPassword, verifyPassword } from './password.js';
import { resolveScope } from './scope.repo.js';
import { createSession, destroySession, destroyUserSessions, type NewSession, type SessionUser } from './session.service.js';
import { checkTotpForLogin } from './totp.js';

export const LOGIN_MESSAGES = defineMessages({
  'auth.login.bad': {
    id: 'Nama pengguna atau kata sandi salah.',
    en: 'Wrong username or password.',
  },
  'auth.login.locked': {
    id: 'Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi setelah {minutes} menit atau minta admin mengatur ulang kata sandi.',
    en: 'The account is locked for a while after too many failed attempts. Try again in {minutes} minutes or ask an admin to reset the password.',
  },
  'auth.login.rateLimited': {
    id: 'Terlalu banyak percobaan masuk dari alamat ini. Coba lagi setelah {minutes} menit.',
    en: 'Too many login attempts from this address. Try again in {minutes} minutes.',
  },
  'auth.login.totpRequired': {
    id: 'Masukkan kode 6 angka dari aplikasi autentikator.',
    en: 'Enter the 6-digit code from the authenticator app.',
  },
  'auth.login.totpBad': {
    id: 'Kode autentikator salah atau sudah dipakai.',
    en: 'The authenticator code is wrong or was already used.',
  },
  'auth.password.currentWrong': { id: 'Kata sandi saat ini salah.', en: 'The current password is wrong.' },
  'auth.password.sameAsOld': { id: 'Kata sandi baru harus berbeda dari yang lama.', en: 'The new password must differ from the old one.' },
});
const M = LOGIN_MESSAGES;

/**
 * Failed logins per client address in a sliding window, kept in this process's memory: with
 * several server processes each counts on its own (the per-account lockout in app_user holds
 * across processes). Entries expire with the window, so memory stays bounded by recent attackers.
 */
export class IpRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number = AUTH_CONFIG.ipFailureLimit,
    readonly windowMs: number = AUTH_CONFIG.ipWindowMs,
  ) {}

  private recent(ip: string, now: number): number[] {
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, list);
    return list;
  }

  /** Milliseconds until this address may try again, or 0 when it may try now. */
  blockedFor(ip: string, now: number = Date.now()): number {
    const list = this.recent(ip, now);
    return list.length >= this.limit ? list[list.length - this.limit] + this.windowMs - now : 0;
  }

  /** Records one failed attempt. */
  fail(ip: string, now: number = Date.now()): void {
    const list = this.recent(ip, now);
    list.push(now);
    this.failures.set(ip, list);
    if (this.failures.size > 10_000) this.sweep(now);
  }

  private sweep(now: number): void {
    for (const ip of [...this.failures.keys()]) this.recent(ip, now);
  }

  /** Forgets everything (tests). */
  clear(): void {
    this.failures.clear();
  }
}

/** The limiter the server uses unless a test passes its own. */
export const defaultIpLimiter = new IpRateLimiter();

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string | null;
  ip: string;
  userAgent: string | null;
}

export interface LoginResult {
  user: SessionUser;
  scope: AccessScope;
  session: NewSession;
  /** The user must set a new password (after an administrator's reset) before using the system. */
  mustChangePassword: boolean;
}

export interface LoginOptions {
  limiter?: IpRateLimiter;
  requestId?: string | null;
  now?: Date;
}

interface LoginRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
  must_change_password: boolean;
  totp_enabled: boolean;
  scope_region_code: string | null;
  scope_posyandu_id: number | null;
  scope_puskesmas_id: number | null;
  scope_sector: string | null;
}

let dummyHash: Promise<string> | null = null;
/** A hash to verify against when the username is unknown, so both cases cost one argon2id run. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword('tumbuh-dummy-password-for-timing-0');
  return dummyHash;
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

function badCredentials(): AppError {
  return new AppError('bad_credentials', M['auth.login.bad'], {}, { status: 401 });
}

/**
 * Logs a user in and opens a new session. Errors: 429 `rate_limited` when the address failed too
 * often; 401 `bad_credentials` (same message and about the same time whether or not the account
 * exists or is disabled); 423 `account_locked` after 5 wrong passwords in a row (15 minutes,
 * stored in app_user); 401 `totp_required` / `totp_invalid` when the account has a TOTP.
 * Success, failure and lockout are audited (no password, no username typed).
 */
export async function login(db: Kysely<Database>, input: LoginInput, options: LoginOptions = {}): Promise<LoginResult> {
  const limiter = options.limiter ?? defaultIpLimiter;
  const now = options.now ?? new Date();
  const requestId = options.requestId ?? null;
  const audit = (action: string, userId: number | null, details: Record<string, unknown>) =>
    writeAudit(db, { userId, requestId }, { action, entity: 'session', entityId: userId, kabupatenCode: null, details });

  const wait = limiter.blockedFor(input.ip, now.getTime());
  if (wait > 0) throw new AppError('rate_limited', M['auth.login.rateLimited'], { minutes: minutes(wait) }, { status: 429, details: { retryAfterSeconds: Math.ceil(wait / 1000) } });

  const username = typeof input.username === 'string' ? input.username.trim().toLowerCase() : '';
  const password = typeof input.password === 'string' ? input.password : '';
  const row = /^[a-z0-9._-]{3,64}$/.test(username) && password.length <= 1024
    ? (await sql<LoginRow>`
        SELECT id, username, display_name, role, password_hash, active, failed_logins, locked_until, must_change_password,
               totp_enabled, scope_region_code, scope_posyandu_id, scope_puskesmas_id, scope_sector
        FROM app_user WHERE username = ${username}`.execute(db)).rows[0]
    : undefined;

  if (!row || !row.active) {
    if (row) await verifyPassword(row.password_hash, password);
    else await verifyPassword(await dummy(), password);
    limiter.fail(input.ip, now.getTime());
    await audit('login.failed', row?.id ?? null, { reason: row ? 'disabled' : 'unknown_account' });
    throw badCredentials();
  }
  if (row.locked_until && row.locked_until.getTime() > now.getTime()) {
    limiter.fail(input.ip, now.getTime());
    await audit('login.failed', row.id, { reason: 'locked' });
    const left = row.locked_until.getTime() - now.getTime();
    throw new AppError('account_locked', M['auth.login.locked'], { minutes: minutes(left) }, { status: 423, details: { retryAfterSeconds: Math.ceil(left / 1000) } });
  }

  if (!(await verifyPassword(row.password_hash, password))) {
    limiter.fail(input.ip, now.getTime());
    await registerFailure(db, row.id, now, 'wrong_password', audit);
  }

  if (row.totp_enabled) {
    const code = typeof input.totpCode === 'string' ? input.totpCode.replace(/\s+/g, '') : '';
    if (code === '') throw new AppError('totp_required', M['auth.login.totpRequired'], {}, { status: 401 });
    if (!(await checkTotpForLogin(db, row.id, code, now))) {
      limiter.fail(input.ip, now.getTime());
      await registerFailure(db, row.id, now, 'wrong_totp', audit, 'totp_invalid');
    }
  }

  const upgraded = hashNeedsUpgrade(row.password_hash) ? await hashPassword(password) : null;
  await db
    .updateTable('app_user')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now, ...(upgraded ? { password_hash: upgraded } : {}) })
    .where('id', '=', row.id)
    .execute();
  const session = await createSession(db, row.id, { ip: input.ip, userAgent: input.userAgent }, { now });
  const scope = await resolveScope(db, row, requestId);
  await audit('login', row.id, { totp: row.totp_enabled, mustChangePassword: row.must_change_password });
  return {
    user: { id: row.id, username: row.username, displayName: row.display_name, role: row.role },
    scope: { ...scope, userId: row.id },
    session,
    mustChangePassword: row.must_change_password,
  };
}

/**
 * Counts a failed attempt on an existing account in one atomic UPDATE and locks it at the
 * threshold; always throws (401, or 423 on the attempt that locks).
 */
async function registerFailure(
  db: Kysely<Database>,
  userId: number,
  now: Date,
  reason: string,
  audit: (action: string, userId: number | null, details: Record<string, unknown>) => Promise<void>,
  code: 'bad_credentials' | 'totp_invalid' = 'bad_credentials',
): Promise<never> {
  const lockUntil = new Date(now.getTime() + AUTH_CONFIG.lockoutMs);
  const r = await sql<{ failed_logins: number; locked: boolean }>`
    UPDATE app_user SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${AUTH_CONFIG.lockoutThreshold} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${AUTH_CONFIG.lockoutThreshold} THEN ${lockUntil}::timestamptz ELSE locked_until END
    WHERE id = ${userId}
    RETURNING failed_logins, locked_until = ${lockUntil}::timestamptz AS locked`.execute(db);
  const locked = r.rows[0]?.locked === true;
  await audit('login.failed', userId, { reason });
  if (locked) {
    await audit('account.locked', userId, { minutes: minutes(AUTH_CONFIG.lockoutMs), threshold: AUTH_CONFIG.lockoutThreshold });
    throw new AppError('account_locked', M['auth.login.locked'], { minutes: minutes(AUTH_CONFIG.lockoutMs) }, {
      status: 423,
      details: { retryAfterSeconds: Math.ceil(AUTH_CONFIG.lockoutMs / 1000) },
    });
  }
  if (code === 'totp_invalid') throw new AppError('totp_invalid', M['auth.login.totpBad'], {}, { status: 401 });
  throw badCredentials();
}

/** Ends the caller's session (logout), audited. */
export async function logout(db: Kysely<Database>, scope: AccessScope, sessionId: string): Promise<void> {
  await destroySession(db, sessionId);
  await writeAudit(db, { userId: scope.userId, requestId: scope.requestId }, { action: 'logout', entity: 'session', entityId: scope.userId, kabupatenCode: null });
}

/**
 * The caller changes their own password: the current one is checked, the new one must meet the
 * policy and differ; every other session of the account ends, the current one stays. Clears
 * must_change_password. Audited as `user.password_change`.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  scope: AccessScope,
  input: { currentPassword: string; newPassword: string; sessionId?: string },
): Promise<void> {
  if (scope.userId === null) throw badCredentials();
  const row = await db.selectFrom('app_user').select(['id', 'username', 'password_hash']).where('id', '=', scope.userId).where('active', '=', true).executeTakeFirst();
  if (!row) throw badCredentials();
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw new AppError('wrong_current_password', M['auth.password.currentWrong'], {}, { status: 400 });
  }
  if (input.currentPassword === input.newPassword) throw new AppError('same_password', M['auth.password.sameAsOld'], {}, { status: 400 });
  assertPasswordPolicy(input.newPassword, row.username);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    const now = new Date();
    await trx.updateTable('app_user').set({ password_hash: passwordHash, password_changed_at: now, must_change_password: false, updated_at: now }).where('id', '=', row.id).execute();
    const ended = await destroyUserSessions(trx, row.id, { except: input.sessionId });
    await writeAudit(trx, { userId: row.id, requestId: scope.requestId }, { action: 'user.password_change', entity: 'app_user', entityId: row.id, kabupatenCode: null, details: { otherSessionsEnded: ended } });
  });
}

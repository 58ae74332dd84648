import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import type { AccessScope } from './access.js';
import { AUTH_CONFIG } from './auth-config.js';
import { GOOD_PASSWORD, seedAuthWorld, SYSTEM, type AuthWorld } from './auth-test-world.js';
import { changeOwnPassword, IpRateLimiter, login, logout } from './login.service.js';
import { createSession, csrfTokenMatches, destroySession, destroyUserSessions, loadSession, purgeExpiredSessions } from './session.service.js';
import { confirmTotp, disableTotp, enableTotp, generateTotp, base32Decode } from './totp.js';
import { createUser, updateUser } from './users.service.js';

let t: TestDatabase;
let w: AuthWorld;
let limiter: IpRateLimiter;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  w = await seedAuthWorld(t.db);
  for (const [username, role, scope] of [
    ['admin.kobar', 'admin', {}],
    ['kader.melati', 'kader', { posyanduId: 0 }],
    ['tpps.kobar', 'tpps', { regionCodes: [KOBAR] }],
    ['desa.candi', 'desa', { regionCodes: [DESA_A] }],
  ] as const) {
    const s = role === 'kader' ? { posyanduId: w.posyanduId } : scope;
    ids[username] = (await createUser(t.db, SYSTEM, { username, displayName: username, role, password: GOOD_PASSWORD, mustChangePassword: false, ...s })).id;
  }
});
afterAll(async () => t?.close());
beforeEach(() => {
  limiter = new IpRateLimiter();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const attempt = (username: string, password: string, extra: { ip?: string; totpCode?: string; now?: Date } = {}) =>
  login(t.db, { username, password, totpCode: extra.totpCode, ip: extra.ip ?? '192.0.2.1', userAgent: 'vitest' }, { limiter, now: extra.now, requestId: 'req-login' });

const auditRows = (action: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

describe('sessions', () => {
  it('creates random ids and CSRF tokens, stores only a hash of the id, and resolves the scope', async () => {
    const a = await createSession(t.db, ids['kader.melati'], { ip: '10.1.1.1', userAgent: 'UA' });
    const b = await createSession(t.db, ids['kader.melati'], { ip: '10.1.1.1', userAgent: 'UA' });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(await t.db.selectFrom('session').select('id').where('id', '=', a.id).executeTakeFirst()).toBeUndefined();
    const s = await loadSession(t.db, a.id, { requestId: 'r7' });
    expect(s).toMatchObject({
      sessionId: a.id, csrfToken: a.csrfToken,
      user: { id: ids['kader.melati'], username: 'kader.melati', displayName: 'kader.melati', role: 'kader' },
      scope: { userId: ids['kader.melati'], role: 'kader', regionCodes: [DESA_A], posyanduId: w.posyanduId, requestId: 'r7' },
      mustChangePassword: false,
    });
    expect(csrfTokenMatches(a.csrfToken, a.csrfToken)).toBe(true);
    expect(csrfTokenMatches(a.csrfToken, b.csrfToken)).toBe(false);
    expect(csrfTokenMatches(a.csrfToken, undefined)).toBe(false);
    await destroySession(t.db, a.id);
    expect(await loadSession(t.db, a.id)).toBeNull();
    expect(await loadSession(t.db, "' OR 1=1 --")).toBeNull();
  });

  it('ends after 30 idle minutes and after 12 hours however active; slides last_seen at most once a minute', async () => {
    const t0 = new Date('2025-06-01T08:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const s = await createSession(t.db, ids['tpps.kobar'], { ip: null, userAgent: null }, { now: t0 });
    const lastSeen = async () => (await t.db.selectFrom('session').select('last_seen_at').where('user_id', '=', ids['tpps.kobar']).executeTakeFirstOrThrow()).last_seen_at;
    expect(await loadSession(t.db, s.id, { now: at(30_000) })).not.toBeNull();
    expect((await lastSeen()).getTime()).toBe(t0.getTime());
    // Active every 20 minutes: survives past the first 30 minutes…
    for (let m = 20; m < 12 * 60; m += 20) {
      expect(await loadSession(t.db, s.id, { now: at(m * 60_000) }), `minute ${m}`).not.toBeNull();
    }
    expect((await lastSeen()).getTime()).toBe(at(700 * 60_000).getTime());
    // …but not past 12 hours.
    expect(await loadSession(t.db, s.id, { now: at(AUTH_CONFIG.sessionAbsoluteMs) })).toBeNull();
    expect(await t.db.selectFrom('session').select('id').where('user_id', '=', ids['tpps.kobar']).executeTakeFirst()).toBeUndefined();

    const idle = await createSession(t.db, ids['tpps.kobar'], { ip: null, userAgent: null }, { now: t0 });
    expect(await loadSession(t.db, idle.id, { now: at(29 * 60_000) })).not.toBeNull();
    expect(await loadSession(t.db, idle.id, { now: at(29 * 60_000 + AUTH_CONFIG.sessionIdleMs) })).toBeNull();
  });

  it('purges expired sessions and ends all sessions of an account', async () => {
    const old = await createSession(t.db, ids['desa.candi'], { ip: null, userAgent: null }, { now: new Date('2020-01-01T00:00:00Z') });
    const live = await createSession(t.db, ids['desa.candi'], { ip: null, userAgent: null });
    expect(await purgeExpiredSessions(t.db)).toBeGreaterThanOrEqual(1);
    expect(await loadSession(t.db, live.id)).not.toBeNull();
    expect(await loadSession(t.db, old.id)).toBeNull();
    expect(await destroyUserSessions(t.db, ids['desa.candi'])).toBe(1);
    expect(await loadSession(t.db, live.id)).toBeNull();
  });

  it('a disabled account\'s session no longer loads', async () => {
    const s = await createSession(t.db, ids['desa.candi'], { ip: null, userAgent: null });
    await t.db.updateTable('app_user').set({ active: false, disabled_at: new Date() }).where('id', '=', ids['desa.candi']).execute();
    expect(await loadSession(t.db, s.id)).toBeNull();
    await t.db.updateTable('app_user').set({ active: true, disabled_at: null }).where('id', '=', ids['desa.candi']).execute();
  });
});

describe('login', () => {
  it('logs in with a new session each time (no fixation), resolved scope, audit row without secrets', async () => {
    const r1 = await attempt('TPPS.Kobar ', GOOD_PASSWORD);
    const r2 = await attempt('tpps.kobar', GOOD_PASSWORD);
    expect(r1.user).toEqual({ id: ids['tpps.kobar'], username: 'tpps.kobar', displayName: 'tpps.kobar', role: 'tpps' });
    expect(r1.scope).toMatchObject({ role: 'tpps', regionCodes: [KOBAR], requestId: 'req-login' });
    expect(r1.session.id).not.toBe(r2.session.id);
    expect((await loadSession(t.db, r1.session.id))?.user.username).toBe('tpps.kobar');
    const rows = await auditRows('login');
    expect(rows.at(-1)).toMatchObject({ user_id: ids['tpps.kobar'], request_id: 'req-login', entity: 'session' });
    expect(JSON.stringify(rows)).not.toContain(GOOD_PASSWORD);
    const u = await t.db.selectFrom('app_user').select(['last_login_at', 'failed_logins']).where('id', '=', ids['tpps.kobar']).executeTakeFirstOrThrow();
    expect(u.last_login_at).toBeInstanceOf(Date);
    await logout(t.db, r1.scope, r1.session.id);
    expect(await loadSession(t.db, r1.session.id)).toBeNull();
    expect(await loadSession(t.db, r2.session.id)).not.toBeNull();
  });

  it('answers an unknown user and a wrong password identically, in comparable time', async () => {
    const t0 = performance.now();
    const unknown = await rejection(attempt('nobody.here', GOOD_PASSWORD));
    const t1 = performance.now();
    const wrong = await rejection(attempt('desa.candi', 'Wrong-password-1'));
    const t2 = performance.now();
    expect(unknown).toMatchObject({ status: 401, code: 'bad_credentials' });
    expect(wrong.status).toBe(unknown.status);
    expect([wrong.code, wrong.messages]).toEqual([unknown.code, unknown.messages]);
    expect(unknown.messages.id).toBe('Nama pengguna atau kata sandi salah.');
    // Both ran one argon2id verification (≥ ~10 ms); neither returns in a fraction of the other's time.
    const [a, b] = [t1 - t0, t2 - t1];
    expect(Math.min(a, b) / Math.max(a, b)).toBeGreaterThan(0.1);
    const failed = await auditRows('login.failed');
    expect(failed.map((r) => r.details)).toEqual(expect.arrayContaining([{ reason: 'unknown_account' }, { reason: 'wrong_password' }]));
    expect(JSON.stringify(failed)).not.toMatch(/nobody\.here|Wrong-password/);
    await t.db.updateTable('app_user').set({ failed_logins: 0 }).execute();
  });

  it('locks an account after 5 wrong passwords for 15 minutes, even for the right password, then lets it in', async () => {
    const now = new Date();
    for (let i = 1; i <= 4; i++) expect((await rejection(attempt('kader.melati', `Wrong-pass-${i}`, { now }))).status).toBe(401);
    const fifth = await rejection(attempt('kader.melati', 'Wrong-pass-5', { now }));
    expect(fifth).toMatchObject({ status: 423, code: 'account_locked' });
    expect(fifth.messages.id).toContain('15 menit');
    const locked = await rejection(attempt('kader.melati', GOOD_PASSWORD, { now: new Date(now.getTime() + 14 * 60_000) }));
    expect(locked.status).toBe(423);
    expect((await auditRows('account.locked')).at(-1)).toMatchObject({ user_id: ids['kader.melati'] });
    const later = await attempt('kader.melati', GOOD_PASSWORD, { now: new Date(now.getTime() + AUTH_CONFIG.lockoutMs + 1000) });
    expect(later.scope.posyanduId).toBe(w.posyanduId);
    const u = await t.db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('id', '=', ids['kader.melati']).executeTakeFirstOrThrow();
    expect(u).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('a disabled account cannot log in and gets the same answer as a wrong password', async () => {
    await updateUser(t.db, SYSTEM, ids['desa.candi'], { active: false });
    const e = await rejection(attempt('desa.candi', GOOD_PASSWORD));
    expect(e).toMatchObject({ status: 401, code: 'bad_credentials' });
    await updateUser(t.db, SYSTEM, ids['desa.candi'], { active: true });
  });

  it('limits failed attempts per address: the 21st within 5 minutes gets 429, another address still gets in', async () => {
    const now = new Date();
    for (let i = 0; i < AUTH_CONFIG.ipFailureLimit; i++) {
      expect((await rejection(attempt(`ghost.${i}`, 'Nothing-here-1', { ip: '198.51.100.7', now }))).status).toBe(401);
    }
    const blocked = await rejection(attempt('tpps.kobar', GOOD_PASSWORD, { ip: '198.51.100.7', now }));
    expect(blocked).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await attempt('tpps.kobar', GOOD_PASSWORD, { ip: '198.51.100.8', now })).user.username).toBe('tpps.kobar');
    expect((await attempt('tpps.kobar', GOOD_PASSWORD, { ip: '198.51.100.7', now: new Date(now.getTime() + AUTH_CONFIG.ipWindowMs) })).user.role).toBe('tpps');
  });

  it('changing one\'s own password checks the current one and ends the other sessions', async () => {
    const a = await attempt('desa.candi', GOOD_PASSWORD);
    const b = await attempt('desa.candi', GOOD_PASSWORD);
    expect((await rejection(changeOwnPassword(t.db, a.scope, { currentPassword: 'nope-nope-1', newPassword: 'Pangkalan-Bun-42' }))).code).toBe('wrong_current_password');
    expect((await rejection(changeOwnPassword(t.db, a.scope, { currentPassword: GOOD_PASSWORD, newPassword: 'desa.candi-2025' }))).code).toBe('weak_password');
    await changeOwnPassword(t.db, a.scope, { currentPassword: GOOD_PASSWORD, newPassword: 'Pangkalan-Bun-42', sessionId: a.session.id });
    expect(await loadSession(t.db, a.session.id)).not.toBeNull();
    expect(await loadSession(t.db, b.session.id)).toBeNull();
    expect((await attempt('desa.candi', 'Pangkalan-Bun-42')).user.username).toBe('desa.candi');
  });
});

describe('TOTP second factor for administrators', () => {
  it('enrols, confirms, then requires a fresh code at login; a replayed code is refused', async () => {
    const { scope } = await attempt('admin.kobar', GOOD_PASSWORD);
    const kaderScope: AccessScope = { ...scope, userId: ids['kader.melati'], role: 'kader' };
    expect((await rejection(enableTotp(t.db, kaderScope))).status).toBe(403);
    const { secret, uri } = await enableTotp(t.db, scope);
    expect(uri).toContain(`secret=${secret}`);
    const stored = await t.db.selectFrom('app_user').select(['totp_secret', 'totp_enabled']).where('id', '=', ids['admin.kobar']).executeTakeFirstOrThrow();
    expect(stored.totp_enabled).toBe(false);
    expect(stored.totp_secret).toMatch(/^v1:/);
    expect(stored.totp_secret).not.toContain(secret);
    // Not yet confirmed: login still works without a code.
    await attempt('admin.kobar', GOOD_PASSWORD);
    const key = base32Decode(secret);
    const now = new Date('2025-06-01T10:00:00Z');
    expect((await rejection(confirmTotp(t.db, scope, '000000', now))).code).toBe('totp_invalid');
    await confirmTotp(t.db, scope, generateTotp(key, now.getTime() - 30_000), now);

    const later = new Date(now.getTime() + 120_000);
    expect(await rejection(attempt('admin.kobar', GOOD_PASSWORD, { now: later }))).toMatchObject({ status: 401, code: 'totp_required' });
    const wrongPw = await rejection(attempt('admin.kobar', 'Wrong-pass-9', { now: later, totpCode: generateTotp(key, later.getTime()) }));
    expect(wrongPw.code).toBe('bad_credentials');
    expect((await rejection(attempt('admin.kobar', GOOD_PASSWORD, { now: later, totpCode: '123456' }))).code).toBe('totp_invalid');
    const code = generateTotp(key, later.getTime());
    expect((await attempt('admin.kobar', GOOD_PASSWORD, { now: later, totpCode: code })).user.role).toBe('admin');
    expect((await rejection(attempt('admin.kobar', GOOD_PASSWORD, { now: later, totpCode: code }))).code).toBe('totp_invalid');
    await disableTotp(t.db, scope, ids['admin.kobar']);
    expect((await attempt('admin.kobar', GOOD_PASSWORD, { now: later })).user.username).toBe('admin.kobar');
    expect((await auditRows('totp.enable')).length).toBe(1);
  });
});

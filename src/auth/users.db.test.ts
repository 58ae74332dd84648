import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { DESA_A, DESA_B, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import type { AccessScope } from './access.js';
import { GOOD_PASSWORD, seedAuthWorld, SYSTEM, type AuthWorld } from './auth-test-world.js';
import { verifyPassword } from './password.js';
import { createSession, loadSession } from './session.service.js';
import { createUser, disableUser, getUser, listUsers, resetPassword, resolveScope, updateUser } from './users.service.js';

let t: TestDatabase;
let w: AuthWorld;
let admin: AccessScope;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await seedAuthWorld(t.db);
  const a = await createUser(t.db, SYSTEM, { username: 'admin.kobar', displayName: 'Admin Kobar', role: 'admin', password: GOOD_PASSWORD });
  admin = { userId: a.id, username: a.username, role: 'admin', regionCodes: null, posyanduId: null, puskesmasId: null, sector: null, requestId: 'req-1' };
});
afterAll(async () => t?.close());

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const row = (id: number) => t.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('users.service', () => {
  it('creates an account per role with its scope, never exposing the hash', async () => {
    const k = await createUser(t.db, admin, { username: 'Kader.Melati', displayName: 'Ibu Sari', role: 'kader', password: GOOD_PASSWORD, posyanduId: w.posyanduId });
    expect(k).toMatchObject({ username: 'kader.melati', role: 'kader', posyanduId: w.posyanduId, regionCodes: [], active: true, mustChangePassword: true });
    expect(JSON.stringify(k)).not.toMatch(/argon|password_hash|totp_secret/);
    expect(await verifyPassword((await row(k.id)).password_hash, GOOD_PASSWORD)).toBe(true);
    const csr = await createUser(t.db, admin, { username: 'csr.bank', displayName: 'Bank Kalteng', role: 'csr', password: GOOD_PASSWORD, regionCodes: [DESA_B, DESA_A, DESA_A] });
    expect(csr.regionCodes).toEqual([DESA_A, DESA_B]);
    const opd = await createUser(t.db, admin, { username: 'opd.pupr', displayName: 'PUPR', role: 'opd', password: GOOD_PASSWORD, regionCodes: [KOBAR], sector: 'air_sanitasi' });
    expect(opd).toMatchObject({ regionCodes: [KOBAR], sector: 'air_sanitasi' });
  });

  it('validates the scope against the role and real places, with bilingual messages', async () => {
    const base = { displayName: 'X', password: GOOD_PASSWORD };
    let e = await rejection(createUser(t.db, admin, { ...base, username: 'k2x', role: 'kader' }));
    expect(e).toMatchObject({ status: 400, code: 'invalid_scope' });
    expect(e.messages.id).toContain('posyandu');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'k3x', role: 'kader', posyanduId: w.puskesmasId }));
    expect(e.code).toBe('invalid_scope');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'd1x', role: 'desa', regionCodes: [KOBAR] }));
    expect(e.messages.en).toContain('is not of level desa/kelurahan');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'p1x', role: 'provinsi', regionCodes: ['63'] }));
    expect(e.code).toBe('invalid_scope');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'o1x', role: 'opd', regionCodes: [KOBAR], sector: 'pariwisata' }));
    expect(e.messages.en).toContain('needs a sector');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'v1x', role: 'viewer', regionCodes: [KOBAR], posyanduId: w.posyanduId }));
    expect(e.messages.en).toContain('does not take --posyandu');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'a1x', role: 'admin', regionCodes: [KOBAR] }));
    expect(e.code).toBe('invalid_scope');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'kader.melati', role: 'tpps', regionCodes: [KOBAR] }));
    expect(e).toMatchObject({ status: 409, code: 'username_taken' });
    e = await rejection(createUser(t.db, admin, { ...base, username: 'Bad Name', role: 'tpps', regionCodes: [KOBAR] }));
    expect(e.code).toBe('invalid_username');
    e = await rejection(createUser(t.db, admin, { ...base, username: 'tpps.weak', role: 'tpps', regionCodes: [KOBAR], password: 'tpps.weak123' }));
    expect(e.code).toBe('weak_password');
  });

  it('is for administrators only', async () => {
    const kader: AccessScope = { ...admin, userId: 999, role: 'kader', regionCodes: [DESA_A], posyanduId: w.posyanduId };
    for (const p of [
      createUser(t.db, kader, { username: 'x.y.z', displayName: 'X', role: 'viewer', password: GOOD_PASSWORD, regionCodes: [KOBAR] }),
      listUsers(t.db, kader),
      getUser(t.db, kader, 'admin.kobar'),
      disableUser(t.db, { ...kader, role: 'tpps', regionCodes: [KOBAR] }, admin.userId as number),
      resetPassword(t.db, { ...kader, role: 'puskesmas' }, admin.userId as number, GOOD_PASSWORD),
    ]) expect(await rejection(p)).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('resolves the scope of each role as the contract says', async () => {
    const scopeOf = async (username: string) => resolveScope(t.db, await row((await getUser(t.db, admin, username)).id), 'r9');
    expect(await scopeOf('admin.kobar')).toMatchObject({ role: 'admin', regionCodes: null, requestId: 'r9' });
    expect(await scopeOf('kader.melati')).toMatchObject({ role: 'kader', regionCodes: [DESA_A], posyanduId: w.posyanduId, puskesmasId: null });
    expect(await scopeOf('csr.bank')).toMatchObject({ role: 'csr', regionCodes: [DESA_A, DESA_B] });
    expect(await scopeOf('opd.pupr')).toMatchObject({ role: 'opd', regionCodes: [KOBAR], sector: 'air_sanitasi' });
    const pkm = await createUser(t.db, admin, { username: 'pkm.kumai', displayName: 'Gizi Kumai', role: 'puskesmas', password: GOOD_PASSWORD, puskesmasId: w.puskesmasId });
    expect(await scopeOf(pkm.username)).toMatchObject({ role: 'puskesmas', regionCodes: [DESA_A, DESA_B], puskesmasId: w.puskesmasId });
    const prov = await createUser(t.db, admin, { username: 'prov.kalteng', displayName: 'Provinsi', role: 'provinsi', password: GOOD_PASSWORD, regionCodes: ['62'] });
    expect(await scopeOf(prov.username)).toMatchObject({ regionCodes: ['62'] });
  });

  it('a kader whose posyandu vanished sees nothing (fails closed)', async () => {
    const gone = await t.db.insertInto('facility').values({ kind: 'posyandu', name: 'Posyandu Lama', kabupaten_code: KOBAR, desa_code: DESA_B, is_synthetic: true }).returning('id').executeTakeFirstOrThrow();
    const k = await createUser(t.db, admin, { username: 'kader.lama', displayName: 'K', role: 'kader', password: GOOD_PASSWORD, posyanduId: gone.id });
    await t.db.deleteFrom('facility').where('id', '=', gone.id).execute();
    expect(await resolveScope(t.db, await row(k.id), null)).toMatchObject({ regionCodes: [], posyanduId: null });
  });

  it('updates role and scope with before/after in audit_log, ending the account\'s sessions', async () => {
    const u = await createUser(t.db, admin, { username: 'desa.candi', displayName: 'Operator Candi', role: 'desa', password: GOOD_PASSWORD, regionCodes: [DESA_A] });
    const s = await createSession(t.db, u.id, { ip: '10.0.0.1', userAgent: 'test' });
    const after = await updateUser(t.db, admin, u.id, { role: 'tpk', regionCodes: [DESA_B] });
    expect(after).toMatchObject({ role: 'tpk', regionCodes: [DESA_B] });
    expect(await loadSession(t.db, s.id)).toBeNull();
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.update').where('entity_id', '=', String(u.id)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ user_id: admin.userId, request_id: 'req-1', entity: 'app_user', kabupaten_code: KOBAR });
    expect(audit.details).toMatchObject({ before: { role: 'desa', regionCodes: [DESA_A] }, after: { role: 'tpk', regionCodes: [DESA_B] } });
    // A display-name change is recorded as a change, not as the name.
    await updateUser(t.db, admin, u.id, { displayName: 'Operator Baru' });
    const all = JSON.stringify(await t.db.selectFrom('audit_log').select('details').execute());
    expect(all).not.toMatch(/Operator|Ibu Sari|argon2|Tanjung-Puting/);
    expect(all).toContain('"displayNameChanged":true');
  });

  it('resets a password: policy checked, lockout cleared, sessions ended, must change', async () => {
    const u = await getUser(t.db, admin, 'kader.melati');
    await t.db.updateTable('app_user').set({ failed_logins: 3, locked_until: new Date(Date.now() + 60_000), must_change_password: false }).where('id', '=', u.id).execute();
    const s = await createSession(t.db, u.id, { ip: null, userAgent: null });
    expect((await rejection(resetPassword(t.db, admin, u.id, 'short1'))).code).toBe('weak_password');
    const v = await resetPassword(t.db, admin, u.id, 'Sungai-Arut-88');
    expect(v).toMatchObject({ failedLogins: 0, lockedUntil: null, mustChangePassword: true });
    expect(await verifyPassword((await row(u.id)).password_hash, 'Sungai-Arut-88')).toBe(true);
    expect(await loadSession(t.db, s.id)).toBeNull();
    const a = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'user.password_reset').executeTakeFirstOrThrow();
    expect(a.details).toMatchObject({ sessionsEnded: 1, lockoutCleared: true });
  });

  it('disables an account (sessions end, login impossible), re-enables it, and keeps the last admin', async () => {
    const u = await getUser(t.db, admin, 'opd.pupr');
    const s = await createSession(t.db, u.id, { ip: null, userAgent: null });
    const d = await disableUser(t.db, admin, u.id);
    expect(d.active).toBe(false);
    expect(d.disabledAt).toBeInstanceOf(Date);
    expect(await loadSession(t.db, s.id)).toBeNull();
    expect((await updateUser(t.db, admin, u.id, { active: true })).active).toBe(true);
    expect(await rejection(disableUser(t.db, admin, admin.userId as number))).toMatchObject({ status: 409, code: 'last_admin' });
    expect(await rejection(updateUser(t.db, admin, admin.userId as number, { role: 'viewer', regionCodes: [KOBAR] }))).toMatchObject({ code: 'last_admin' });
  });

  it('lists accounts with filters and paging', async () => {
    const all = await listUsers(t.db, admin);
    expect(all.total).toBe(all.users.length);
    expect(all.users.map((u) => u.username)).toEqual([...all.users.map((u) => u.username)].sort());
    expect((await listUsers(t.db, admin, { role: 'kader' })).users.every((u) => u.role === 'kader')).toBe(true);
    const page = await listUsers(t.db, admin, { limit: 2, offset: 1 });
    expect(page.users.map((u) => u.username)).toEqual(all.users.slice(1, 3).map((u) => u.username));
    expect((await listUsers(t.db, admin, { username: 'kader' })).users.map((u) => u.username)).toEqual(['kader.lama', 'kader.melati']);
    expect(await rejection(getUser(t.db, admin, 'nobody.here'))).toMatchObject({ status: 404 });
  });
});

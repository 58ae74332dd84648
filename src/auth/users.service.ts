import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import { translateDbError } from '../db/db-errors.js';
import type { AppUserTable, Database } from '../db/schema.js';
import { SECTORS } from '../evaluation/evaluation-config.js';
import { assertRole, ROLES, type AccessScope, type Role } from './access.js';
import { assertPasswordPolicy, hashPassword } from './password.js';
import { destroyUserSessions } from './session.service.js';

export { resolveScope, type ScopeUserRow } from './scope.repo.js';

export const USER_MESSAGES = defineMessages({
  'auth.user.notFound': { id: 'Akun {user} tidak ada.', en: 'Account {user} does not exist.' },
  'auth.user.taken': { id: 'Nama pengguna {username} sudah dipakai.', en: 'The username {username} is already taken.' },
  'auth.user.badUsername': {
    id: 'Nama pengguna harus 3–64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.',
    en: 'A username has 3–64 characters: lower-case letters, digits, dot, underscore or hyphen.',
  },
  'auth.user.badName': { id: 'Nama tampilan wajib diisi (maks. 120 karakter).', en: 'A display name is required (at most 120 characters).' },
  'auth.user.badRole': { id: 'Peran {role} tidak dikenal. Pilihan: {roles}.', en: 'Unknown role {role}. Choose one of: {roles}.' },
  'auth.scope.needsRegion': {
    id: 'Peran {role} memerlukan tepat satu kode wilayah tingkat {level}.',
    en: 'The role {role} needs exactly one region code of level {level}.',
  },
  'auth.scope.needsDesaList': {
    id: 'Peran csr memerlukan satu atau lebih kode desa/kelurahan.',
    en: 'The role csr needs one or more desa/kelurahan codes.',
  },
  'auth.scope.badRegion': {
    id: 'Wilayah {region} tidak ada atau bukan tingkat {level}.',
    en: 'Region {region} does not exist or is not of level {level}.',
  },
  'auth.scope.needsPosyandu': { id: 'Peran kader memerlukan posyandu (--posyandu ID).', en: 'The role kader needs a posyandu (--posyandu ID).' },
  'auth.scope.badPosyandu': { id: 'Posyandu {id} tidak ada atau tidak aktif.', en: 'Posyandu {id} does not exist or is inactive.' },
  'auth.scope.needsPuskesmas': { id: 'Peran puskesmas memerlukan puskesmas (--puskesmas ID).', en: 'The role puskesmas needs a puskesmas (--puskesmas ID).' },
  'auth.scope.badPuskesmas': {
    id: 'Puskesmas {id} tidak ada, tidak aktif, atau belum punya wilayah kerja (desa).',
    en: 'Puskesmas {id} does not exist, is inactive, or has no catchment desa.',
  },
  'auth.scope.needsSector': { id: 'Peran opd memerlukan sektor: {sectors}.', en: 'The role opd needs a sector: {sectors}.' },
  'auth.scope.notForRole': {
    id: 'Peran {role} tidak memakai {field}.',
    en: 'The role {role} does not take {field}.',
  },
  'auth.user.lastAdmin': {
    id: 'Admin aktif terakhir tidak boleh dinonaktifkan atau diturunkan perannya.',
    en: 'The last active admin cannot be disabled or given another role.',
  },
});
const M = USER_MESSAGES;

/** An account as administrators see it: never the password hash nor the TOTP secret. */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** provinsi/tpps/opd/viewer/desa/tpk: their one region; csr: its desa list; others empty. */
  regionCodes: string[];
  posyanduId: number | null;
  puskesmasId: number | null;
  sector: string | null;
  active: boolean;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  disabledAt: Date | null;
}

/** Where an account works; which fields apply depends on the role (see {@link createUser}). */
export interface UserScopeInput {
  /** provinsi '62'; tpps/opd/viewer a kabupaten; desa/tpk a desa; csr one or more desa. */
  regionCodes?: readonly string[];
  /** kader: its posyandu (facility id). */
  posyanduId?: number | null;
  /** puskesmas: its facility id. */
  puskesmasId?: number | null;
  /** opd: its sector (src/evaluation SECTORS). */
  sector?: string | null;
}

export interface CreateUserInput extends UserScopeInput {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** Ask for a new password at first login (default true: the administrator knows this one). */
  mustChangePassword?: boolean;
}

export interface UpdateUserInput extends UserScopeInput {
  displayName?: string;
  /** A new role needs its scope given in the same call. */
  role?: Role;
  /** true re-enables a disabled account (and clears its lockout). */
  active?: boolean;
}

export interface ListUsersFilter {
  role?: Role;
  active?: boolean;
  /** Username prefix. */
  username?: string;
  limit?: number;
  offset?: number;
}

const USER_COLUMNS = [
  'id', 'username', 'display_name', 'role', 'scope_region_code', 'scope_posyandu_id', 'scope_puskesmas_id', 'scope_sector',
  'active', 'must_change_password', 'totp_enabled', 'failed_logins', 'locked_until', 'last_login_at', 'password_changed_at',
  'created_at', 'disabled_at',
] as const;
type UserRow = Pick<Selectable<AppUserTable>, (typeof USER_COLUMNS)[number]>;

function toView(row: UserRow, regions: string[]): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    regionCodes: row.role === 'csr' ? regions : row.scope_region_code ? [row.scope_region_code] : [],
    posyanduId: row.scope_posyandu_id,
    puskesmasId: row.scope_puskesmas_id,
    sector: row.scope_sector,
    active: row.active,
    mustChangePassword: row.must_change_password,
    totpEnabled: row.totp_enabled,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    lastLoginAt: row.last_login_at,
    passwordChangedAt: row.password_changed_at,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** What audit_log keeps of an account: role and scope, no name, no secret. */
function auditSnapshot(u: UserView): Record<string, unknown> {
  return {
    role: u.role, regionCodes: u.regionCodes, posyanduId: u.posyanduId, puskesmasId: u.puskesmasId, sector: u.sector,
    active: u.active, mustChangePassword: u.mustChangePassword, totpEnabled: u.totpEnabled,
  };
}

function auditKabupaten(u: UserView): string | null {
  const code = u.regionCodes[0];
  return code && code.length >= 5 ? code.slice(0, 5) : null;
}

const actorOf = (scope: AccessScope) => ({ userId: scope.userId, requestId: scope.requestId });

async function loadViews(db: Kysely<Database>, rows: UserRow[]): Promise<UserView[]> {
  const csr = rows.filter((r) => r.role === 'csr').map((r) => r.id);
  const regions = new Map<number, string[]>();
  if (csr.length > 0) {
    const rr = await db.selectFrom('app_user_region').select(['user_id', 'region_code']).where('user_id', 'in', csr).orderBy('region_code').execute();
    for (const r of rr) regions.set(r.user_id, [...(regions.get(r.user_id) ?? []), r.region_code]);
  }
  return rows.map((r) => toView(r, regions.get(r.id) ?? []));
}

async function findRow(db: Kysely<Database>, user: number | string): Promise<UserRow> {
  let q = db.selectFrom('app_user').select(USER_COLUMNS);
  q = typeof user === 'number' ? q.where('id', '=', user) : q.where('username', '=', user.trim().toLowerCase());
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('user_not_found', M['auth.user.notFound'], { user }, { status: 404 });
  return row;
}

const REGION_LEVEL: Partial<Record<Role, { length: number; level: string }>> = {
  provinsi: { length: 2, level: 'provinsi' },
  tpps: { length: 5, level: 'kabupaten/kota' },
  opd: { length: 5, level: 'kabupaten/kota' },
  viewer: { length: 5, level: 'kabupaten/kota' },
  desa: { length: 13, level: 'desa/kelurahan' },
  tpk: { length: 13, level: 'desa/kelurahan' },
  csr: { length: 13, level: 'desa/kelurahan' },
};

interface ScopeColumns {
  scope_region_code: string | null;
  scope_posyandu_id: number | null;
  scope_puskesmas_id: number | null;
  scope_sector: string | null;
  regionList: string[];
}

/**
 * Checks that the scope fits the role and points to real regions and facilities, and returns the
 * columns to store. Throws a 400 AppError naming the first problem.
 */
export async function validateUserScope(db: Kysely<Database>, role: Role, input: UserScopeInput): Promise<ScopeColumns> {
  const fail = (key: string, params: Record<string, unknown> = {}) => new AppError('invalid_scope', key, { role, ...params }, { status: 400 });
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('invalid_role', M['auth.user.badRole'], { role, roles: ROLES.join(', ') }, { status: 400 });
  }
  const codes = [...new Set((input.regionCodes ?? []).map((c) => c.trim()).filter((c) => c !== ''))];
  const level = REGION_LEVEL[role];
  if (!level && codes.length > 0) throw fail(M['auth.scope.notForRole'], { field: '--region' });
  if (role !== 'kader' && input.posyanduId != null) throw fail(M['auth.scope.notForRole'], { field: '--posyandu' });
  if (role !== 'puskesmas' && input.puskesmasId != null) throw fail(M['auth.scope.notForRole'], { field: '--puskesmas' });
  if (role !== 'opd' && input.sector != null) throw fail(M['auth.scope.notForRole'], { field: '--sector' });
  const out: ScopeColumns = { scope_region_code: null, scope_posyandu_id: null, scope_puskesmas_id: null, scope_sector: null, regionList: [] };
  if (level) {
    if (role === 'csr' ? codes.length === 0 : codes.length !== 1) {
      throw fail(role === 'csr' ? M['auth.scope.needsDesaList'] : M['auth.scope.needsRegion'], { level: level.level });
    }
    const found = await db.selectFrom('region').select('code').where('code', 'in', codes).execute();
    const known = new Set(found.map((r) => r.code));
    const bad = codes.find((c) => c.length !== level.length || !known.has(c));
    if (bad) throw fail(M['auth.scope.badRegion'], { region: bad, level: level.level });
    if (role === 'csr') out.regionList = codes.sort();
    else out.scope_region_code = codes[0];
  }
  if (role === 'opd') {
    if (!input.sector || !(SECTORS as readonly string[]).includes(input.sector)) throw fail(M['auth.scope.needsSector'], { sectors: SECTORS.join(', ') });
    out.scope_sector = input.sector;
  }
  if (role === 'kader') {
    if (input.posyanduId == null) throw fail(M['auth.scope.needsPosyandu']);
    const f = await db.selectFrom('facility').select('id').where('id', '=', input.posyanduId).where('kind', '=', 'posyandu').where('active', '=', true).executeTakeFirst();
    if (!f) throw fail(M['auth.scope.badPosyandu'], { id: input.posyanduId });
    out.scope_posyandu_id = f.id;
  }
  if (role === 'puskesmas') {
    if (input.puskesmasId == null) throw fail(M['auth.scope.needsPuskesmas']);
    const f = await db
      .selectFrom('facility')
      .select('id')
      .where('id', '=', input.puskesmasId)
      .where('kind', '=', 'puskesmas')
      .where('active', '=', true)
      .where((eb) => eb.exists(eb.selectFrom('facility_catchment').select('facility_id').whereRef('facility_catchment.facility_id', '=', 'facility.id')))
      .executeTakeFirst();
    if (!f) throw fail(M['auth.scope.badPuskesmas'], { id: input.puskesmasId });
    out.scope_puskesmas_id = f.id;
  }
  return out;
}

function checkUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(u)) throw new AppError('invalid_username', M['auth.user.badUsername'], {}, { status: 400 });
  return u;
}

function checkDisplayName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > 120) throw new AppError('invalid_display_name', M['auth.user.badName'], {}, { status: 400 });
  return n;
}

async function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (err) {
    throw translateDbError(err);
  }
}

/** Throws 409 when `id` is the last active admin and is about to stop being one. */
async function keepOneAdmin(db: Kysely<Database>, id: number): Promise<void> {
  const r = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .where('id', '<>', id)
    .executeTakeFirstOrThrow();
  if (Number(r.n) === 0) throw new AppError('last_admin', M['auth.user.lastAdmin'], {}, { status: 409 });
}

/**
 * Creates an account (admin only): username, display name, role and the scope the role needs
 * (validated against real regions and facilities), argon2id hash of a password meeting the
 * policy. Audited as `user.create` with the new role and scope.
 */
export async function createUser(db: Kysely<Database>, scope: AccessScope, input: CreateUserInput): Promise<UserView> {
  assertRole(scope, ['admin']);
  const username = checkUsername(input.username);
  const displayName = checkDisplayName(input.displayName);
  const cols = await validateUserScope(db, input.role, input);
  assertPasswordPolicy(input.password, username);
  const taken = await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
  if (taken) throw new AppError('username_taken', M['auth.user.taken'], { username }, { status: 409 });
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const { regionList, ...columns } = cols;
    const row = await trx
      .insertInto('app_user')
      .values({ username, display_name: displayName, password_hash: passwordHash, role: input.role, ...columns, must_change_password: input.mustChangePassword ?? true })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    if (regionList.length > 0) {
      await trx.insertInto('app_user_region').values(regionList.map((region_code) => ({ user_id: row.id, region_code }))).execute();
    }
    const view = toView(row, regionList);
    await writeAudit(trx, actorOf(scope), {
      action: 'user.create', entity: 'app_user', entityId: row.id, kabupatenCode: auditKabupaten(view),
      details: { after: auditSnapshot(view) },
    });
    return view;
  });
}

/**
 * Changes an account's display name, role and scope, or re-enables it (admin only). A change of
 * role or scope ends the account's sessions. Audited as `user.update` with before and after.
 */
export async function updateUser(db: Kysely<Database>, scope: AccessScope, id: number, input: UpdateUserInput): Promise<UserView> {
  assertRole(scope, ['admin']);
  const beforeRow = await findRow(db, id);
  const [before] = await loadViews(db, [beforeRow]);
  const role = input.role ?? before.role;
  const scopeGiven = input.regionCodes !== undefined || input.posyanduId !== undefined || input.puskesmasId !== undefined || input.sector !== undefined;
  const cols = input.role !== undefined || scopeGiven
    ? await validateUserScope(db, role, {
      regionCodes: input.regionCodes ?? (scopeGiven || role === before.role ? before.regionCodes : []),
      posyanduId: input.posyanduId !== undefined ? input.posyanduId : role === before.role ? before.posyanduId : null,
      puskesmasId: input.puskesmasId !== undefined ? input.puskesmasId : role === before.role ? before.puskesmasId : null,
      sector: input.sector !== undefined ? input.sector : role === before.role ? before.sector : null,
    })
    : null;
  if (before.role === 'admin' && before.active && (role !== 'admin' || input.active === false)) await keepOneAdmin(db, id);
  const displayName = input.displayName !== undefined ? checkDisplayName(input.displayName) : undefined;
  return inTransaction(db, async (trx) => {
    const set: Record<string, unknown> = { updated_at: new Date() };
    if (displayName !== undefined) set.display_name = displayName;
    if (input.role !== undefined) set.role = role;
    if (cols) {
      const { regionList, ...columns } = cols;
      Object.assign(set, columns);
      await trx.deleteFrom('app_user_region').where('user_id', '=', id).execute();
      if (regionList.length > 0) await trx.insertInto('app_user_region').values(regionList.map((region_code) => ({ user_id: id, region_code }))).execute();
    }
    if (input.active === true && !before.active) Object.assign(set, { active: true, disabled_at: null, failed_logins: 0, locked_until: null });
    if (input.active === false && before.active) Object.assign(set, { active: false, disabled_at: new Date() });
    const row = await trx.updateTable('app_user').set(set).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirstOrThrow();
    const [after] = await loadViews(trx, [row]);
    const scopeChanged = JSON.stringify(auditSnapshot({ ...before, active: true })) !== JSON.stringify(auditSnapshot({ ...after, active: true }));
    if (scopeChanged || !after.active) await destroyUserSessions(trx, id);
    await writeAudit(trx, actorOf(scope), {
      action: 'user.update', entity: 'app_user', entityId: id, kabupatenCode: auditKabupaten(after),
      details: { before: auditSnapshot(before), after: auditSnapshot(after), displayNameChanged: displayName !== undefined && displayName !== before.displayName },
    });
    return after;
  });
}

/**
 * Sets a new password chosen by an administrator (admin only): policy checked, lockout cleared,
 * every session of the account ended; by default the user must change it at the next login.
 * Audited as `user.password_reset` (never the password or its hash).
 */
export async function resetPassword(
  db: Kysely<Database>,
  scope: AccessScope,
  id: number,
  newPassword: string,
  options: { mustChange?: boolean } = {},
): Promise<UserView> {
  assertRole(scope, ['admin']);
  const beforeRow = await findRow(db, id);
  assertPasswordPolicy(newPassword, beforeRow.username);
  const passwordHash = await hashPassword(newPassword);
  return inTransaction(db, async (trx) => {
    const now = new Date();
    const row = await trx
      .updateTable('app_user')
      .set({ password_hash: passwordHash, password_changed_at: now, must_change_password: options.mustChange ?? true, failed_logins: 0, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    const ended = await destroyUserSessions(trx, id);
    const [view] = await loadViews(trx, [row]);
    await writeAudit(trx, actorOf(scope), {
      action: 'user.password_reset', entity: 'app_user', entityId: id, kabupatenCode: auditKabupaten(view),
      details: { mustChangePassword: view.mustChangePassword, sessionsEnded: ended, lockoutCleared: beforeRow.locked_until !== null || beforeRow.failed_logins > 0 },
    });
    return view;
  });
}

/**
 * Disables an account (admin only): it can no longer log in and its sessions end at once. The
 * row stays (audit_log and imports refer to it). Refused for the last active admin.
 */
export async function disableUser(db: Kysely<Database>, scope: AccessScope, id: number): Promise<UserView> {
  assertRole(scope, ['admin']);
  return updateUser(db, scope, id, { active: false });
}

/** Accounts for administrators, by username, with paging (admin only). */
export async function listUsers(db: Kysely<Database>, scope: AccessScope, filter: ListUsersFilter = {}): Promise<{ total: number; users: UserView[] }> {
  assertRole(scope, ['admin']);
  let q = db.selectFrom('app_user');
  if (filter.role) q = q.where('role', '=', filter.role);
  if (filter.active !== undefined) q = q.where('active', '=', filter.active);
  if (filter.username) q = q.where('username', 'like', `${filter.username.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  const rows = await q.select(USER_COLUMNS).orderBy('username').limit(limit).offset(Math.max(filter.offset ?? 0, 0)).execute();
  return { total: Number(total.n), users: await loadViews(db, rows) };
}

/** One account by id or username (admin only); 404 when there is none. */
export async function getUser(db: Kysely<Database>, scope: AccessScope, user: number | string): Promise<UserView> {
  assertRole(scope, ['admin']);
  const [view] = await loadViews(db, [await findRow(db, user)]);
  return view;
}


import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';

/**
 * Who may do what, and where. This is the one place roles and region scope are defined; services
 * call the `assert*` functions and `regionCondition` on every query, so a route that forgets a
 * check still cannot read another region.
 */

/** Every role of Tumbuh, most powerful first. */
export const ROLES = ['admin', 'provinsi', 'tpps', 'opd', 'puskesmas', 'desa', 'kader', 'tpk', 'csr', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see names, NIK (last 4 digits) and birth dates of children and mothers. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['admin', 'tpps', 'puskesmas', 'desa', 'kader', 'tpk'];

/** Roles that may enter or correct growth measurements and children. */
export const DATA_ENTRY_ROLES: readonly Role[] = ['admin', 'puskesmas', 'desa', 'kader'];

/** The region level a role is bound to ('any' = not bound to one region). */
export const ROLE_SCOPE_LEVEL: Readonly<Record<Role, 'installation' | 'provinsi' | 'kabupaten' | 'desa-list' | 'desa' | 'posyandu'>> = {
  admin: 'installation',
  provinsi: 'provinsi',
  tpps: 'kabupaten',
  opd: 'kabupaten',
  viewer: 'kabupaten',
  puskesmas: 'desa-list',
  csr: 'desa-list',
  desa: 'desa',
  tpk: 'desa',
  kader: 'posyandu',
};

export const ACCESS_MESSAGES = defineMessages({
  'access.forbiddenRole': {
    id: 'Peran {role} tidak boleh melakukan ini.',
    en: 'The role {role} may not do this.',
  },
  'access.forbiddenRegion': {
    id: 'Wilayah {region} di luar wilayah kerja akun ini.',
    en: 'Region {region} is outside this account\'s area.',
  },
  'access.forbiddenPersonal': {
    id: 'Peran {role} tidak boleh melihat data pribadi anak dan ibu.',
    en: 'The role {role} may not see personal data of children and mothers.',
  },
  'access.forbiddenFacility': {
    id: 'Posyandu {facility} bukan posyandu akun ini.',
    en: 'Posyandu {facility} is not this account\'s posyandu.',
  },
  'access.forbiddenSector': {
    id: 'Indikator sektor {sector} bukan milik OPD ini.',
    en: 'Indicators of sector {sector} do not belong to this OPD.',
  },
});

/**
 * What the current caller may see: resolved once per request (or `SYSTEM_SCOPE` for the CLI and
 * jobs) and passed to every service call that reads or writes regional data.
 */
export interface AccessScope {
  /** app_user.id; null for the system (CLI, jobs). */
  userId: number | null;
  username: string;
  role: Role | 'system';
  /**
   * The region codes this caller may see; a code covers itself and everything below it
   * (Kemendagri codes are prefixes: '62.01' covers '62.01.03.2004'). null = the whole installation.
   */
  regionCodes: readonly string[] | null;
  /** Kader: the posyandu (facility id) whose children they may see; null otherwise. */
  posyanduId: number | null;
  /** Puskesmas: its facility id; null otherwise. */
  puskesmasId: number | null;
  /** OPD: the sector whose indicators it may write (indicator.sector); null otherwise. */
  sector: string | null;
  /** The request id, written into audit_log. */
  requestId: string | null;
}

/** The CLI and background jobs: everything, recorded in audit_log with user null. */
export const SYSTEM_SCOPE: AccessScope = Object.freeze({
  userId: null,
  username: 'system',
  role: 'system',
  regionCodes: null,
  posyanduId: null,
  puskesmasId: null,
  sector: null,
  requestId: null,
});

/** True when `code` is inside one of the caller's regions. */
export function regionVisible(scope: AccessScope, code: string): boolean {
  if (scope.regionCodes === null) return true;
  return scope.regionCodes.some((own) => code === own || code.startsWith(`${own}.`));
}

/** Throws 403 unless `code` is inside the caller's regions. */
export function assertRegion(scope: AccessScope, code: string): void {
  if (!regionVisible(scope, code)) {
    throw new AppError('forbidden', ACCESS_MESSAGES['access.forbiddenRegion'], { region: code }, { status: 403 });
  }
}

/** Throws 403 unless the caller has one of these roles (the system always passes). */
export function assertRole(scope: AccessScope, roles: readonly Role[]): void {
  if (scope.role === 'system') return;
  if (!roles.includes(scope.role)) {
    throw new AppError('forbidden', ACCESS_MESSAGES['access.forbiddenRole'], { role: scope.role }, { status: 403 });
  }
}

/** True when the caller may see names, NIK last digits and birth dates. */
export function canSeePersonalData(scope: AccessScope): boolean {
  return scope.role === 'system' || PERSONAL_DATA_ROLES.includes(scope.role);
}

/** Throws 403 unless the caller may see personal data. */
export function assertPersonalData(scope: AccessScope): void {
  if (!canSeePersonalData(scope)) {
    throw new AppError('forbidden', ACCESS_MESSAGES['access.forbiddenPersonal'], { role: scope.role }, { status: 403 });
  }
}

/** Throws 403 when a kader reaches for another posyandu's children. */
export function assertPosyandu(scope: AccessScope, posyanduId: number | null): void {
  if (scope.role !== 'kader') return;
  if (posyanduId === null || posyanduId !== scope.posyanduId) {
    throw new AppError('forbidden', ACCESS_MESSAGES['access.forbiddenFacility'], { facility: posyanduId ?? '-' }, { status: 403 });
  }
}

/**
 * The SQL condition "this column lies inside the caller's regions" (codes travel as parameters),
 * or null when the caller sees the whole installation. Use it in every query of regional rows:
 * `const c = regionCondition(scope, 'm.desa_code'); if (c) q = q.where(c);`
 */
export function regionCondition(scope: AccessScope, column: string): RawBuilder<SqlBool> | null {
  if (scope.regionCodes === null) return null;
  const codes = [...scope.regionCodes];
  if (codes.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  return sql<SqlBool>`(${ref} = ANY(${codes}::text[]) OR ${ref} LIKE ANY(${codes.map((c) => `${c}.%`)}::text[]))`;
}

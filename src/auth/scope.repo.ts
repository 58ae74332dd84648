import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { ROLES, type AccessScope, type Role } from './access.js';

/** A connection or a transaction. */
export type AuthDb = Kysely<Database> | Transaction<Database>;

/** The columns of app_user that decide an account's scope. */
export interface ScopeUserRow {
  id: number;
  username: string;
  role: Role;
  scope_region_code: string | null;
  scope_posyandu_id: number | null;
  scope_puskesmas_id: number | null;
  scope_sector: string | null;
}

/** What the database adds to a {@link ScopeUserRow}: the posyandu's desa, the catchment or desa list. */
export interface ScopeFacts {
  /** Kader: the desa of its posyandu; null when the posyandu no longer exists. */
  posyandu_desa: string | null;
  /** Puskesmas: its catchment desa (facility_catchment); csr: its desa (app_user_region). */
  region_list: string[] | null;
}

/**
 * SQL selecting {@link ScopeFacts} for the app_user row aliased `u` (one round trip with the
 * session lookup). A facility that vanished or changed kind yields no region: the account fails
 * closed.
 */
export const scopeFactsSql = sql<ScopeFacts>`
  (SELECT f.desa_code FROM facility f WHERE f.id = u.scope_posyandu_id AND f.kind = 'posyandu') AS posyandu_desa,
  CASE u.role
    WHEN 'puskesmas' THEN ARRAY(
      SELECT c.desa_code FROM facility_catchment c JOIN facility f ON f.id = c.facility_id AND f.kind = 'puskesmas'
      WHERE c.facility_id = u.scope_puskesmas_id ORDER BY 1)
    WHEN 'csr' THEN ARRAY(SELECT r.region_code FROM app_user_region r WHERE r.user_id = u.id ORDER BY 1)
  END AS region_list`;

/**
 * The AccessScope of an account from its row and the facts of {@link scopeFactsSql}, per the
 * table of docs (SERVER-CONTRACT): admin → all; provinsi/tpps/opd/viewer/desa/tpk → their region;
 * kader → the desa of its posyandu; puskesmas → its catchment; csr → its desa list.
 */
export function scopeFromRow(row: ScopeUserRow, facts: ScopeFacts, requestId: string | null): AccessScope {
  if (!(ROLES as readonly string[]).includes(row.role)) throw new Error(`unknown role ${String(row.role)}`);
  const base = { userId: row.id, username: row.username, role: row.role, posyanduId: null, puskesmasId: null, sector: null, requestId };
  switch (row.role) {
    case 'admin':
      return { ...base, regionCodes: null };
    case 'provinsi':
    case 'tpps':
    case 'viewer':
    case 'desa':
    case 'tpk':
      return { ...base, regionCodes: row.scope_region_code ? [row.scope_region_code] : [] };
    case 'opd':
      return { ...base, regionCodes: row.scope_region_code ? [row.scope_region_code] : [], sector: row.scope_sector };
    case 'kader':
      return facts.posyandu_desa
        ? { ...base, regionCodes: [facts.posyandu_desa], posyanduId: row.scope_posyandu_id }
        : { ...base, regionCodes: [] };
    case 'puskesmas':
      return { ...base, regionCodes: facts.region_list ?? [], puskesmasId: facts.region_list?.length ? row.scope_puskesmas_id : null };
    case 'csr':
      return { ...base, regionCodes: facts.region_list ?? [] };
  }
}

/**
 * The AccessScope of an account (one query for kader, puskesmas and csr accounts, none for the
 * others). `requestId` is carried into the audit rows written under this scope.
 */
export async function resolveScope(db: AuthDb, user: ScopeUserRow, requestId: string | null): Promise<AccessScope> {
  if (user.role !== 'kader' && user.role !== 'puskesmas' && user.role !== 'csr') {
    return scopeFromRow(user, { posyandu_desa: null, region_list: null }, requestId);
  }
  const facts = await sql<ScopeFacts>`
    SELECT ${scopeFactsSql}
    FROM (SELECT ${user.id}::bigint AS id, ${user.role}::text AS role, ${user.scope_posyandu_id}::bigint AS scope_posyandu_id,
                 ${user.scope_puskesmas_id}::bigint AS scope_puskesmas_id) u`.execute(db);
  return scopeFromRow(user, facts.rows[0], requestId);
}

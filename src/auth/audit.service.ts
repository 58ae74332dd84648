import type { Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import { assertRole, type AccessScope } from './access.js';
import type { AuthDb } from './scope.repo.js';

export const AUDIT_MESSAGES = defineMessages({
  'auth.audit.badPurpose': {
    id: 'Pembacaan data pribadi harus mencatat entitas dan tujuannya.',
    en: 'A read of personal data must record its entity and purpose.',
  },
});
const M = AUDIT_MESSAGES;

/** One audit_log row as administrators read it. */
export interface AuditEntry {
  id: number;
  at: Date;
  userId: number | null;
  /** The account's username now (null for the system or a deleted account). */
  username: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  kabupatenCode: string | null;
  requestId: string | null;
  details: unknown;
}

export interface AuditFilter {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  userId?: number;
  entity?: string;
  action?: string;
  kabupatenCode?: string;
  limit: number;
  offset: number;
}

/** The most rows one page returns. */
export const AUDIT_PAGE_MAX = 500;

/**
 * The audit log, newest first, filtered by time, account, entity, action and kabupaten, with the
 * total for paging (admin only).
 */
export async function listAudit(db: Kysely<Database>, scope: AccessScope, filter: AuditFilter): Promise<{ total: number; entries: AuditEntry[] }> {
  assertRole(scope, ['admin']);
  let q = db.selectFrom('audit_log as a');
  if (filter.from) q = q.where('a.at', '>=', filter.from);
  if (filter.to) q = q.where('a.at', '<', filter.to);
  if (filter.userId !== undefined) q = q.where('a.user_id', '=', filter.userId);
  if (filter.entity) q = q.where('a.entity', '=', filter.entity);
  if (filter.action) q = q.where('a.action', '=', filter.action);
  if (filter.kabupatenCode) q = q.where('a.kabupaten_code', '=', filter.kabupatenCode);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const limit = Math.min(Math.max(Math.trunc(filter.limit), 1), AUDIT_PAGE_MAX);
  const rows = await q
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.at', 'a.user_id', 'u.username', 'a.action', 'a.entity', 'a.entity_id', 'a.kabupaten_code', 'a.request_id', 'a.details'])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(Math.max(Math.trunc(filter.offset), 0))
    .execute();
  return {
    total: Number(total.n),
    entries: rows.map((r) => ({
      id: r.id, at: r.at, userId: r.user_id, username: r.username ?? null, action: r.action, entity: r.entity,
      entityId: r.entity_id, kabupatenCode: r.kabupaten_code, requestId: r.request_id, details: r.details,
    })),
  };
}

/** What a read or export of personal data touched. */
export interface PersonalReadInput {
  /** The table or view read: 'child', 'person', 'family', 'alert_list', … */
  entity: string;
  /** The record ids shown or exported (kept up to 1,000; `count` says how many in all). */
  ids?: readonly (number | string)[];
  /** How many records, when the ids are not listed (a whole export). */
  count?: number;
  /** Why: 'view', 'export', 'print', 'search', … */
  purpose: string;
  /** The kabupaten of the records, when one. */
  kabupatenCode?: string | null;
  /** The region the caller asked for (desa, posyandu's desa…), when one. */
  regionCode?: string | null;
}

const MAX_IDS = 1000;

/**
 * Writes the one audit_log row of a read or export of personal data (names, NIK digits, birth
 * dates): who (from the scope), what entity, which ids or how many, why. Ids only, never the
 * data itself.
 */
export async function auditPersonalRead(db: AuthDb, scope: AccessScope, input: PersonalReadInput): Promise<void> {
  if (!input.entity?.trim() || !input.purpose?.trim()) throw new AppError('invalid_audit', M['auth.audit.badPurpose'], {}, { status: 500 });
  const ids = input.ids ? input.ids.slice(0, MAX_IDS).map(String) : undefined;
  const count = input.count ?? input.ids?.length ?? 0;
  await writeAudit(db, { userId: scope.userId, requestId: scope.requestId }, {
    action: input.purpose === 'export' ? 'personal.export' : 'personal.read',
    entity: input.entity,
    entityId: input.ids?.length === 1 ? String(input.ids[0]) : null,
    kabupatenCode: input.kabupatenCode ?? (input.regionCode && input.regionCode.length >= 5 ? input.regionCode.slice(0, 5) : null),
    details: {
      purpose: input.purpose,
      role: scope.role,
      count,
      ...(ids ? { ids, idsTruncated: (input.ids?.length ?? 0) > MAX_IDS } : {}),
      ...(input.regionCode ? { region: input.regionCode } : {}),
    },
  });
}

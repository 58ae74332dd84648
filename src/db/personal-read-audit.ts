import type { Kysely, Transaction } from 'kysely';
import type { AccessScope } from '../auth/access.js';
import { auditPersonalRead as writePersonalRead } from '../auth/audit.service.js';
import type { Actor } from './audit.js';
import type { Database } from './schema.js';

/** The audit actor of a request scope (user and request id). */
export function actorOf(scope: AccessScope): Actor {
  return { userId: scope.userId, requestId: scope.requestId };
}

/**
 * Records that a caller read or exported personal data (names, NIK last digits, birth dates)
 * through the AUTH audit service: one audit_log row with the entity, the ids and the purpose —
 * never the data themselves.
 */
export async function auditPersonalRead(
  db: Kysely<Database> | Transaction<Database>,
  scope: AccessScope,
  entry: { entity: string; ids: readonly (number | string)[]; purpose: string; kabupatenCode: string | null; action?: 'read' | 'export' },
): Promise<void> {
  await writePersonalRead(db as Kysely<Database>, scope, {
    entity: entry.entity, ids: entry.ids, purpose: entry.action === 'export' ? 'export' : entry.purpose, kabupatenCode: entry.kabupatenCode,
  });
}

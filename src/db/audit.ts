import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Who is writing: recorded in audit_log with each change. */
export interface Actor {
  userId: number | null;
  requestId?: string | null;
}

/**
 * Appends one audit_log row in the writing transaction. `details` must never hold personal data:
 * callers pass ids, field names and counts, not names, NIK or birth dates.
 */
export async function writeAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Actor | undefined,
  entry: { action: string; entity: string; entityId: string | number | null; kabupatenCode: string | null; details?: Record<string, unknown> },
): Promise<void> {
  if (!actor) return;
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor.userId,
      request_id: actor.requestId ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      kabupaten_code: entry.kabupatenCode,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

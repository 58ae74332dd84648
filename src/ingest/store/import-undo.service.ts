import type { Transaction } from 'kysely';
import type pg from 'pg';
import { AppError } from '../../common/app-error.js';
import { translateDbError } from '../../db/db-errors.js';
import type { WritePathDeps } from '../../db/growth-columns.js';
import { refreshWeightGain } from '../../db/measurement.repo.js';
import { kyselyOnClient } from '../../db/pool.js';
import { lastUnderFiveDay, monthsBetween, recomputeRollups, RollupKeys } from '../../db/rollup.js';
import type { Database } from '../../db/schema.js';
import { IM } from '../messages.js';
import { batchNotFound } from './eppgbm-store.service.js';

/** What undoing a batch did. */
export interface UndoResult {
  batchId: number;
  removed: number;
  restored: number;
  children: number;
  posyandu: number;
}

/**
 * Removes an import batch's effect in one transaction: the measurements it added are deleted,
 * the rows it replaced are restored as they were, the children and posyandu it created are
 * deleted when nothing else refers to them, weight-gain codes of the children concerned are
 * re-judged and the touched rollups recomputed. Refused while a later batch changed the same
 * rows (undo that one first). The batch stays recorded with status 'undone'.
 */
export async function undoImportBatch(
  ctx: { pool: pg.Pool; deps: WritePathDeps },
  batchId: number,
  options: { undoneBy: string; userId?: number | null },
): Promise<UndoResult> {
  const client = await ctx.pool.connect();
  try {
    await client.query('BEGIN');
    const found = await client.query<{ id: number; kabupaten_code: string | null; status: string }>(
      'SELECT id, kabupaten_code, status FROM import_batch WHERE id = $1', [batchId]);
    if (!found.rowCount) batchNotFound(batchId);
    const kab = found.rows[0].kabupaten_code ?? '';
    await client.query("SELECT pg_advisory_xact_lock(7412, hashtext('import|' || $1::text))", [kab]);
    const batch = (await client.query<{ status: string }>('SELECT status FROM import_batch WHERE id = $1 FOR UPDATE', [batchId])).rows[0];
    if (batch.status !== 'done') {
      throw new AppError('ingest.notUndoable', IM['ingest.cli.notUndoable'], { batch: batchId, status: batch.status }, { status: 409 });
    }
    const later = await client.query<{ batch_id: number }>(
      `SELECT c.batch_id FROM import_change c JOIN import_batch b ON b.id = c.batch_id
       WHERE c.entity = 'import_row' AND c.op = 'replace' AND (c.old ->> 'batch_id')::bigint = $1 AND b.status = 'done' LIMIT 1`,
      [batchId],
    );
    const laterTemplate = await client.query<{ batch_id: number }>(
      `SELECT l.batch_id FROM import_change l
       JOIN import_batch b ON b.id = l.batch_id AND b.status = 'done' AND b.id > $1
       JOIN import_change m ON m.batch_id = $1 AND m.entity = l.entity
       WHERE l.op = 'replace' AND l.entity IN ('person', 'family', 'indicator_value') AND (
         (m.op = 'insert' AND (l.old ->> 'id')::bigint BETWEEN m.entity_id AND m.last_id)
         OR (m.op = 'replace' AND l.old ->> 'id' = m.old ->> 'id'))
       LIMIT 1`,
      [batchId],
    );
    if (laterTemplate.rowCount) later.rows.push(laterTemplate.rows[0]);
    if (later.rows.length > 0) {
      throw new AppError('ingest.undoBlocked', IM['ingest.cli.undoBlocked'], { batch: batchId, later: later.rows[0].batch_id }, { status: 409 });
    }
    await client.query('LOCK TABLE child IN SHARE ROW EXCLUSIVE MODE');
    const keys = new RollupKeys();
    const createdRanges = (await client.query<{ entity: string; entity_id: number; last_id: number }>(
      "SELECT entity, entity_id, last_id FROM import_change WHERE batch_id = $1 AND op = 'insert'", [batchId])).rows;
    const childFrom = createdRanges.filter((r) => r.entity === 'child').map((r) => r.entity_id);
    const childTo = createdRanges.filter((r) => r.entity === 'child').map((r) => r.last_id);
    const facilityIds = createdRanges.filter((r) => r.entity === 'facility').map((r) => r.entity_id);

    // Every unit where the children concerned were measured in the months concerned: the latest
    // measurement of a month may move from one unit to another.
    const units = await client.query<{ desa_code: string; posyandu_id: number | null; month: string }>(
      `SELECT DISTINCT m2.desa_code, m2.posyandu_id, m2.month FROM measurement m2
       JOIN (SELECT DISTINCT child_id, month FROM measurement WHERE kabupaten_code = $2 AND import_batch_id = $1) x
         ON x.child_id = m2.child_id AND x.month = m2.month`,
      [batchId, kab],
    );
    for (const u of units.rows) keys.add(u.desa_code, u.posyandu_id, u.month);
    const existing = (await client.query<{ child_id: number }>(
      `SELECT DISTINCT m.child_id FROM measurement m WHERE m.kabupaten_code = $2 AND m.import_batch_id = $1
       AND NOT EXISTS (SELECT 1 FROM unnest($3::bigint[], $4::bigint[]) AS r(a, b) WHERE m.child_id BETWEEN r.a AND r.b)`,
      [batchId, kab, childFrom, childTo],
    )).rows.map((r) => r.child_id);
    const removed = (await client.query('DELETE FROM measurement WHERE kabupaten_code = $2 AND import_batch_id = $1', [batchId, kab])).rowCount ?? 0;
    await client.query('DELETE FROM import_row WHERE batch_id = $1', [batchId]);
    await client.query(
      `INSERT INTO import_row SELECT (jsonb_populate_record(NULL::import_row, old)).* FROM import_change
       WHERE batch_id = $1 AND entity = 'import_row' AND op = 'replace'`,
      [batchId],
    );
    const cols = (await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'measurement'
       AND is_generated = 'NEVER' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
    const list = cols.map((c) => `"${c}"`).join(', ');
    const restoredRows = await client.query<{ desa_code: string; posyandu_id: number | null; month: string; child_id: number }>(
      `INSERT INTO measurement (${list}) SELECT ${cols.map((c) => `r."${c}"`).join(', ')}
       FROM import_change c, jsonb_populate_record(NULL::measurement, c.old) r
       WHERE c.batch_id = $1 AND c.entity = 'measurement' AND c.op = 'replace'
       RETURNING desa_code, posyandu_id, month, child_id`,
      [batchId],
    );
    for (const r of restoredRows.rows) keys.add(r.desa_code, r.posyandu_id, r.month);
    const trx = kyselyOnClient<Database>(client) as unknown as Transaction<Database>;
    for (const childId of existing) await refreshWeightGain(trx, ctx.deps, childId, keys);

    const templateRows = await undoTemplateRows(client, batchId);
    const gone = await client.query<{ desa_code: string; posyandu_id: number | null; first: string; last: string; n: number }>(
      `WITH d AS (
         DELETE FROM child c USING unnest($1::bigint[], $2::bigint[]) AS r(a, b)
         WHERE c.kabupaten_code = $3 AND c.id BETWEEN r.a AND r.b
           AND NOT EXISTS (SELECT 1 FROM measurement m WHERE m.child_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM service s WHERE s.child_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM import_row ir WHERE ir.child_id = c.id)
         RETURNING c.desa_code, c.posyandu_id, c.birth_date)
       SELECT desa_code, posyandu_id, min(birth_date) AS first, max(birth_date) AS last, count(*)::int AS n FROM d GROUP BY 1, 2`,
      [childFrom, childTo, kab],
    );
    let children = 0;
    for (const g of gone.rows) {
      children += g.n;
      for (const m of monthsBetween(g.first, lastUnderFiveDay(g.last))) keys.add(g.desa_code, g.posyandu_id, m);
    }
    await recomputeRollups(trx, keys);
    let posyandu = 0;
    if (facilityIds.length > 0) {
      // A reference this code does not know of keeps the posyandu rather than failing the undo.
      await client.query('SAVEPOINT undo_facility');
      try {
        posyandu = (await client.query(
          `DELETE FROM facility f WHERE f.id = ANY($1::bigint[])
           AND NOT EXISTS (SELECT 1 FROM child c WHERE c.posyandu_id = f.id)
           AND NOT EXISTS (SELECT 1 FROM measurement m WHERE m.posyandu_id = f.id)
           AND NOT EXISTS (SELECT 1 FROM person p WHERE p.posyandu_id = f.id)
           AND NOT EXISTS (SELECT 1 FROM service s WHERE s.provider_facility_id = f.id)`,
          [facilityIds],
        )).rowCount ?? 0;
        await client.query('RELEASE SAVEPOINT undo_facility');
      } catch {
        await client.query('ROLLBACK TO SAVEPOINT undo_facility');
      }
    }
    await client.query("UPDATE import_batch SET status = 'undone', undone_at = now(), undone_by = $2 WHERE id = $1", [batchId, options.undoneBy]);
    await client.query(
      "INSERT INTO audit_log (user_id, action, entity, entity_id, kabupaten_code, details) VALUES ($1, 'undo', 'import_batch', $2, $3, $4)",
      [options.userId ?? null, String(batchId), kab || null, JSON.stringify({ removed, restored: restoredRows.rowCount ?? 0, children, posyandu })],
    );
    await client.query('COMMIT');
    return { batchId, removed: removed + templateRows.removed, restored: (restoredRows.rowCount ?? 0) + templateRows.restored, children, posyandu };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw translateDbError(err);
  } finally {
    client.release();
  }
}

/**
 * The template part of an undo: services the batch added are deleted, persons, families and
 * figures it changed get their previous values back, and those it created are deleted when no
 * service or member of another batch refers to them.
 */
async function undoTemplateRows(client: pg.PoolClient, batchId: number): Promise<{ removed: number; restored: number }> {
  let removed = (await client.query('DELETE FROM service WHERE import_batch_id = $1', [batchId])).rowCount ?? 0;
  let restored = 0;
  for (const table of ['indicator_value', 'person', 'family'] as const) {
    const cols = (await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
       AND is_generated = 'NEVER' AND column_name <> 'id' ORDER BY ordinal_position`, [table])).rows.map((r) => `"${r.column_name}"`);
    restored += (await client.query(
      `UPDATE ${table} t SET (${cols.join(', ')}) = (${cols.map((c) => `r.${c}`).join(', ')})
       FROM import_change c, jsonb_populate_record(NULL::${table}, c.old) r
       WHERE c.batch_id = $1 AND c.entity = $2 AND c.op = 'replace' AND t.id = r.id`,
      [batchId, table],
    )).rowCount ?? 0;
  }
  const created = (table: string): string =>
    `EXISTS (SELECT 1 FROM import_change c WHERE c.batch_id = $1 AND c.entity = '${table}' AND c.op = 'insert' AND x.id BETWEEN c.entity_id AND c.last_id)`;
  removed += (await client.query(`DELETE FROM indicator_value x WHERE ${created('indicator_value')}`, [batchId])).rowCount ?? 0;
  removed += (await client.query(
    `DELETE FROM person x WHERE ${created('person')} AND NOT EXISTS (SELECT 1 FROM service s WHERE s.person_id = x.id)`, [batchId])).rowCount ?? 0;
  removed += (await client.query(
    `DELETE FROM family x WHERE ${created('family')} AND NOT EXISTS (SELECT 1 FROM service s WHERE s.family_id = x.id)
     AND NOT EXISTS (SELECT 1 FROM person p WHERE p.family_id = x.id) AND NOT EXISTS (SELECT 1 FROM child ch WHERE ch.family_id = x.id)`,
    [batchId])).rowCount ?? 0;
  return { removed, restored };
}

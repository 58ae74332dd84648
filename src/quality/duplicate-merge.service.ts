/**
 * The duplicate review workflow of a puskesmas nutrition officer: list the candidate pairs, merge
 * one child into another, undo a merge, reject a pair. A merge never deletes anything: the merged
 * child's measurements and services are re-pointed to the surviving child (each one remembered in
 * child_merge_item), the merged child row stays with `merged_into` set and its registration
 * closed (exited_on = birth date, so it no longer counts in S), z-scores are recomputed when the
 * survivor's birth date or sex differ, weight-gain codes re-judged, the touched rollups recomputed
 * and the action audited, all in one transaction. Undo restores every one of those.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit, type Actor } from '../db/audit.js';
import type { WritePathDeps } from '../db/growth-columns.js';
import { recomputeChildGrowth, refreshWeightGain } from '../db/measurement.repo.js';
import { recomputeRollups, registrationMonths, RollupKeys } from '../db/rollup.js';
import type { Database } from '../db/schema.js';
import { markScoresStale } from './quality.repo.js';

const M = defineMessages({
  'quality.merge.notFound': { id: 'Anak {id} tidak ditemukan', en: 'Child {id} not found' },
  'quality.merge.same': { id: 'Anak tidak dapat digabung dengan dirinya sendiri', en: 'A child cannot be merged into itself' },
  'quality.merge.otherKabupaten': { id: 'Kedua anak harus berada di kabupaten yang sama', en: 'Both children must be in the same kabupaten' },
  'quality.merge.alreadyMerged': {
    id: 'Anak {id} sudah digabung ke anak {into}; batalkan penggabungan itu dulu',
    en: 'Child {id} is already merged into child {into}; undo that merge first',
  },
  'quality.merge.ageOutOfRange': {
    id: 'Pengukuran anak {merged} tidak cocok dengan tanggal lahir anak {survivor} (umur di luar 0–60 bulan); periksa tanggal lahir dulu',
    en: 'Measurements of child {merged} do not fit the birth date of child {survivor} (age outside 0–60 months); check the birth date first',
  },
  'quality.merge.mergeNotFound': { id: 'Penggabungan {id} tidak ditemukan', en: 'Merge {id} not found' },
  'quality.merge.alreadyUndone': { id: 'Penggabungan {id} sudah dibatalkan', en: 'Merge {id} was already undone' },
  'quality.merge.laterMerge': {
    id: 'Anak {id} menerima penggabungan lain setelahnya ({later}); batalkan yang itu dulu',
    en: 'Child {id} received a later merge ({later}); undo that one first',
  },
  'quality.candidate.notFound': { id: 'Usulan data ganda {id} tidak ditemukan', en: 'Duplicate candidate {id} not found' },
  'quality.candidate.decided': { id: 'Usulan {id} sudah diputuskan ({status})', en: 'Candidate {id} has already been decided ({status})' },
});

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

interface ChildRow {
  id: number;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  birth_date: string;
  sex: number;
  registered_on: string;
  exited_on: string | null;
  exit_reason: string | null;
  merged_into: number | null;
}

async function lockChildRow(trx: Trx, id: number): Promise<ChildRow> {
  const r = await sql<ChildRow>`
    SELECT id, kabupaten_code, desa_code, posyandu_id, birth_date, sex, registered_on, exited_on, exit_reason, merged_into
    FROM child WHERE id = ${id} FOR UPDATE`.execute(trx);
  if (r.rows.length === 0) throw new AppError('not_found', M['quality.merge.notFound'], { id }, { status: 404 });
  return r.rows[0];
}

/**
 * Adds the unit-months in which the child's registration counts in S, limited to months that
 * already have rollup rows: recomputing a month outside the loaded window would create rows with
 * S but no D (read as zero coverage).
 */
async function addRegistration(trx: Trx, keys: RollupKeys, c: ChildRow): Promise<void> {
  const months = registrationMonths(c);
  if (months.length === 0) return;
  const desa = await sql<{ month: string }>`
    SELECT month FROM rollup_desa_month WHERE desa_code = ${c.desa_code} AND month = ANY(${months}::date[])`.execute(trx);
  for (const r of desa.rows) keys.addDesa(c.desa_code, r.month);
  if (c.posyandu_id !== null) {
    const pos = await sql<{ month: string }>`
      SELECT month FROM rollup_posyandu_month WHERE posyandu_id = ${c.posyandu_id} AND month = ANY(${months}::date[])`.execute(trx);
    for (const r of pos.rows) keys.addPosyandu(c.posyandu_id, r.month);
  }
}

/** One candidate pair with what a reviewer needs (no NIK; names shown only to the officer's screen). */
export interface CandidateView {
  id: number;
  childA: number;
  childB: number;
  desaCode: string;
  posyanduId: number | null;
  score: number;
  level: string;
  reasons: string[];
  status: 'usulan' | 'digabung' | 'ditolak';
  nameA: string;
  nameB: string;
  birthA: string;
  birthB: string;
  motherA: string | null;
  motherB: string | null;
  measurementsA: number;
  measurementsB: number;
}

/** Candidate pairs of a kabupaten (optionally one desa / one status), best score first. */
export async function listCandidates(
  db: Db,
  filter: { kabupatenCode?: string; desaCode?: string; status?: 'usulan' | 'digabung' | 'ditolak' } = {},
): Promise<CandidateView[]> {
  const r = await sql<CandidateView>`
    SELECT d.id, d.child_a AS "childA", d.child_b AS "childB", d.desa_code AS "desaCode", d.posyandu_id AS "posyanduId",
      d.score, d.level, d.reasons, d.status, a.name AS "nameA", b.name AS "nameB", a.birth_date AS "birthA", b.birth_date AS "birthB",
      a.mother_name AS "motherA", b.mother_name AS "motherB",
      (SELECT count(*)::int FROM measurement m WHERE m.child_id = a.id) AS "measurementsA",
      (SELECT count(*)::int FROM measurement m WHERE m.child_id = b.id) AS "measurementsB"
    FROM duplicate_candidate d JOIN child a ON a.id = d.child_a JOIN child b ON b.id = d.child_b
    WHERE (${filter.kabupatenCode ?? null}::text IS NULL OR d.kabupaten_code = ${filter.kabupatenCode ?? null})
      AND (${filter.desaCode ?? null}::text IS NULL OR d.desa_code = ${filter.desaCode ?? null})
      AND (${filter.status ?? null}::text IS NULL OR d.status = ${filter.status ?? null})
    ORDER BY d.status = 'usulan' DESC, d.score DESC, d.id`.execute(db);
  return r.rows;
}

/** What a merge did. */
export interface MergeResult {
  mergeId: number;
  survivorId: number;
  mergedId: number;
  measurementsMoved: number;
  servicesMoved: number;
  growthRecomputed: boolean;
}

/**
 * Merges child `mergedId` into child `survivorId` (the record kept): re-points measurements and
 * services, marks the merged row, closes its registration, recomputes z-scores (when birth date
 * or sex differ), weight-gain codes and rollups, marks the open candidate pair 'digabung' and
 * writes the audit log. Undo with {@link undoMerge}.
 */
export async function mergeChildren(db: Db, deps: WritePathDeps, survivorId: number, mergedId: number, actor: Actor = { userId: null }): Promise<MergeResult> {
  if (survivorId === mergedId) throw new AppError('invalid', M['quality.merge.same'], {}, { status: 400 });
  return db.transaction().execute(async (trx) => {
    // Fixed lock order, so two officers merging the same pair the other way round cannot deadlock.
    const [first, second] = survivorId < mergedId ? [survivorId, mergedId] : [mergedId, survivorId];
    const a = await lockChildRow(trx, first);
    const b = await lockChildRow(trx, second);
    const survivor = a.id === survivorId ? a : b;
    const merged = a.id === mergedId ? a : b;
    if (survivor.kabupaten_code !== merged.kabupaten_code) throw new AppError('invalid', M['quality.merge.otherKabupaten'], {}, { status: 400 });
    for (const c of [survivor, merged]) {
      if (c.merged_into !== null) throw new AppError('conflict', M['quality.merge.alreadyMerged'], { id: c.id, into: c.merged_into }, { status: 409 });
    }
    const kab = survivor.kabupaten_code;
    const keys = new RollupKeys();
    await addRegistration(trx, keys, merged);
    const moved = await sql<{ id: number; desa_code: string; posyandu_id: number | null; month: string; age: number }>`
      SELECT id, desa_code, posyandu_id, month, (measured_on - ${survivor.birth_date}::date) AS age
      FROM measurement WHERE kabupaten_code = ${kab} AND child_id = ${merged.id}`.execute(trx);
    if (moved.rows.some((m) => m.age < 0 || m.age > 1856)) {
      throw new AppError('invalid', M['quality.merge.ageOutOfRange'], { merged: merged.id, survivor: survivor.id }, { status: 400 });
    }
    for (const m of moved.rows) keys.add(m.desa_code, m.posyandu_id, m.month);
    const candidate = await sql<{ id: number }>`
      SELECT id FROM duplicate_candidate WHERE kabupaten_code = ${kab} AND child_a = ${Math.min(survivor.id, merged.id)}
        AND child_b = ${Math.max(survivor.id, merged.id)}`.execute(trx);
    const candidateId = candidate.rows[0]?.id ?? null;
    const merge = await sql<{ id: number }>`
      INSERT INTO child_merge (kabupaten_code, survivor_id, merged_id, candidate_id, original_exited_on, original_exit_reason, merged_by)
      VALUES (${kab}, ${survivor.id}, ${merged.id}, ${candidateId}, ${merged.exited_on}, ${merged.exit_reason}, ${actor.userId})
      RETURNING id`.execute(trx);
    const mergeId = merge.rows[0].id;
    await sql`
      INSERT INTO child_merge_item (kabupaten_code, merge_id, kind, item_id)
      SELECT ${kab}, ${mergeId}::bigint, 'measurement', id FROM measurement WHERE kabupaten_code = ${kab} AND child_id = ${merged.id}
      UNION ALL
      SELECT ${kab}, ${mergeId}::bigint, 'service', id FROM service WHERE kabupaten_code = ${kab} AND child_id = ${merged.id}`.execute(trx);
    await sql`
      UPDATE measurement SET child_id = ${survivor.id}, birth_date = ${survivor.birth_date}::date, sex = ${survivor.sex}
      WHERE kabupaten_code = ${kab} AND child_id = ${merged.id}`.execute(trx);
    const services = await sql`UPDATE service SET child_id = ${survivor.id} WHERE kabupaten_code = ${kab} AND child_id = ${merged.id}`.execute(trx);
    // Closing the registration at birth takes the merged record out of S in every month.
    await sql`
      UPDATE child SET merged_into = ${survivor.id}, exited_on = birth_date, exit_reason = 'other', updated_at = now()
      WHERE id = ${merged.id}`.execute(trx);
    const growthRecomputed = moved.rows.length > 0 && (merged.birth_date !== survivor.birth_date || merged.sex !== survivor.sex);
    if (growthRecomputed) await recomputeChildGrowth(trx, deps, survivor.id, keys);
    await refreshWeightGain(trx, deps, survivor.id, keys);
    if (candidateId !== null) {
      await sql`UPDATE duplicate_candidate SET status = 'digabung', decided_at = now(), decided_by = ${actor.userId} WHERE id = ${candidateId}`.execute(trx);
    }
    await writeAudit(trx, actor, {
      action: 'child.merge',
      entity: 'child',
      entityId: merged.id,
      kabupatenCode: kab,
      details: { mergeId, survivorId: survivor.id, mergedId: merged.id, candidateId, measurements: moved.rows.length, services: Number(services.numAffectedRows ?? 0) },
    });
    await recomputeRollups(trx, keys);
    await markScoresStale(trx, kab, keys.desaKeys());
    return { mergeId, survivorId: survivor.id, mergedId: merged.id, measurementsMoved: moved.rows.length, servicesMoved: Number(services.numAffectedRows ?? 0), growthRecomputed };
  });
}

/**
 * Undoes a merge: the measurements and services it moved go back to the merged child (with that
 * child's birth date and sex; z-scores recomputed when they differ), the child row is restored
 * (merged_into cleared, its exit as before), weight-gain codes and rollups recomputed, the
 * candidate pair back to 'usulan', audited.
 */
export async function undoMerge(db: Db, deps: WritePathDeps, mergeId: number, actor: Actor = { userId: null }): Promise<MergeResult> {
  return db.transaction().execute(async (trx) => {
    const r = await sql<{ id: number; kabupaten_code: string; survivor_id: number; merged_id: number; candidate_id: number | null; original_exited_on: string | null; original_exit_reason: string | null; undone_at: Date | null }>`
      SELECT id, kabupaten_code, survivor_id, merged_id, candidate_id, original_exited_on, original_exit_reason, undone_at
      FROM child_merge WHERE id = ${mergeId} FOR UPDATE`.execute(trx);
    const merge = r.rows[0];
    if (!merge) throw new AppError('not_found', M['quality.merge.mergeNotFound'], { id: mergeId }, { status: 404 });
    if (merge.undone_at !== null) throw new AppError('conflict', M['quality.merge.alreadyUndone'], { id: mergeId }, { status: 409 });
    const [first, second] = merge.survivor_id < merge.merged_id ? [merge.survivor_id, merge.merged_id] : [merge.merged_id, merge.survivor_id];
    const a = await lockChildRow(trx, first);
    const b = await lockChildRow(trx, second);
    const survivor = a.id === merge.survivor_id ? a : b;
    const merged = a.id === merge.merged_id ? a : b;
    // A later merge into either child moved rows this undo would have to untangle: undo in reverse order.
    const later = await sql<{ id: number }>`
      SELECT id FROM child_merge WHERE undone_at IS NULL AND id > ${mergeId}
        AND (survivor_id IN (${survivor.id}, ${merged.id}) OR merged_id IN (${survivor.id}, ${merged.id})) ORDER BY id DESC LIMIT 1`.execute(trx);
    if (later.rows.length > 0) {
      throw new AppError('conflict', M['quality.merge.laterMerge'], { id: survivor.id, later: later.rows[0].id }, { status: 409 });
    }
    const kab = merge.kabupaten_code;
    const keys = new RollupKeys();
    const items = await sql<{ kind: string; item_id: number }>`SELECT kind, item_id FROM child_merge_item WHERE merge_id = ${mergeId}`.execute(trx);
    const measurementIds = items.rows.filter((i) => i.kind === 'measurement').map((i) => i.item_id);
    const serviceIds = items.rows.filter((i) => i.kind === 'service').map((i) => i.item_id);
    const back = await sql<{ desa_code: string; posyandu_id: number | null; month: string }>`
      UPDATE measurement SET child_id = ${merged.id}, birth_date = ${merged.birth_date}::date, sex = ${merged.sex}
      WHERE kabupaten_code = ${kab} AND id = ANY(${measurementIds}::bigint[]) AND child_id = ${survivor.id}
      RETURNING desa_code, posyandu_id, month`.execute(trx);
    for (const m of back.rows) keys.add(m.desa_code, m.posyandu_id, m.month);
    await sql`UPDATE service SET child_id = ${merged.id} WHERE kabupaten_code = ${kab} AND id = ANY(${serviceIds}::bigint[]) AND child_id = ${survivor.id}`.execute(trx);
    await sql`
      UPDATE child SET merged_into = NULL, exited_on = ${merge.original_exited_on}::date, exit_reason = ${merge.original_exit_reason}, updated_at = now()
      WHERE id = ${merged.id}`.execute(trx);
    await addRegistration(trx, keys, { ...merged, exited_on: merge.original_exited_on });
    const growthRecomputed = back.rows.length > 0 && (merged.birth_date !== survivor.birth_date || merged.sex !== survivor.sex);
    if (growthRecomputed) await recomputeChildGrowth(trx, deps, merged.id, keys);
    await refreshWeightGain(trx, deps, merged.id, keys);
    await refreshWeightGain(trx, deps, survivor.id, keys);
    await sql`UPDATE child_merge SET undone_at = now(), undone_by = ${actor.userId} WHERE id = ${mergeId}`.execute(trx);
    if (merge.candidate_id !== null) {
      await sql`UPDATE duplicate_candidate SET status = 'usulan', decided_at = NULL, decided_by = NULL WHERE id = ${merge.candidate_id}`.execute(trx);
    }
    await writeAudit(trx, actor, {
      action: 'child.merge.undo',
      entity: 'child',
      entityId: merged.id,
      kabupatenCode: kab,
      details: { mergeId, survivorId: survivor.id, mergedId: merged.id, measurements: back.rows.length, services: serviceIds.length },
    });
    await recomputeRollups(trx, keys);
    await markScoresStale(trx, kab, keys.desaKeys());
    return { mergeId, survivorId: survivor.id, mergedId: merged.id, measurementsMoved: back.rows.length, servicesMoved: serviceIds.length, growthRecomputed };
  });
}

/** Rejects a candidate pair ('ditolak': not the same child); audited. The pair is not proposed again. */
export async function rejectCandidate(db: Db, candidateId: number, actor: Actor = { userId: null }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await sql<{ id: number; kabupaten_code: string; status: string; child_a: number; child_b: number }>`
      SELECT id, kabupaten_code, status, child_a, child_b FROM duplicate_candidate WHERE id = ${candidateId} FOR UPDATE`.execute(trx);
    const c = r.rows[0];
    if (!c) throw new AppError('not_found', M['quality.candidate.notFound'], { id: candidateId }, { status: 404 });
    if (c.status !== 'usulan') throw new AppError('conflict', M['quality.candidate.decided'], { id: candidateId, status: c.status }, { status: 409 });
    await sql`UPDATE duplicate_candidate SET status = 'ditolak', decided_at = now(), decided_by = ${actor.userId} WHERE id = ${candidateId}`.execute(trx);
    await writeAudit(trx, actor, {
      action: 'duplicate.reject',
      entity: 'duplicate_candidate',
      entityId: candidateId,
      kabupatenCode: c.kabupaten_code,
      details: { childA: c.child_a, childB: c.child_b },
    });
  });
}

/** The merges of a kabupaten (latest first), for the review screen and `undo-merge`. */
export async function listMerges(db: Db, kabupatenCode?: string): Promise<{ id: number; survivorId: number; mergedId: number; mergedAt: Date; undoneAt: Date | null; items: number }[]> {
  const r = await sql<{ id: number; survivorId: number; mergedId: number; mergedAt: Date; undoneAt: Date | null; items: number }>`
    SELECT m.id, m.survivor_id AS "survivorId", m.merged_id AS "mergedId", m.merged_at AS "mergedAt", m.undone_at AS "undoneAt",
      (SELECT count(*)::int FROM child_merge_item i WHERE i.merge_id = m.id) AS items
    FROM child_merge m WHERE (${kabupatenCode ?? null}::text IS NULL OR m.kabupaten_code = ${kabupatenCode ?? null})
    ORDER BY m.id DESC`.execute(db);
  return r.rows;
}


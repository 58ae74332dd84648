/**
 * Database access of the data-validity feature (migration 0006_quality): reading measurements
 * for the batch job, storing scores, duplicate candidates and merges. No personal data leaves
 * here except to the duplicate scorer (names and birth dates are compared, never logged).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ChildIdentity, DuplicateCandidate } from './duplicates.js';
import { statusDiffers } from './eppgbm-status.js';
import type { BatchVisit, UnitMonthValidity } from './validity-batch.js';

export type QualityDb = Kysely<Database> | Transaction<Database>;

/** Runs fn in the caller's transaction, or in a new one (temporary tables need one connection). */
export async function inQualityTransaction<T>(db: QualityDb, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}

interface VisitRow {
  child_id: number;
  day: number;
  month: string;
  posyandu_id: number | null;
  desa_code: string;
  puskesmas_id: number | null;
  birth_day: number;
  sex: number;
  weight_kg: number | null;
  lenhei_cm: number | null;
  position: 'L' | 'H' | null;
  muac_cm: number | null;
  oedema: boolean;
  zwfl: number | null;
  zlen: number | null;
  zwei: number | null;
  z_differs: boolean | null;
  eppgbm_bbu: string | null;
  who_status_wfa: string | null;
  eppgbm_tbu: string | null;
  who_status_lfa: string | null;
  eppgbm_bbtb: string | null;
  who_status_wfl: string | null;
}

/** Every measurement of a kabupaten from `fromMonth` to `toMonth` (yyyy-mm-01, inclusive), as the batch reads them. */
export async function loadBatchVisits(db: QualityDb, kabupatenCode: string, fromMonth: string, toMonth: string): Promise<BatchVisit[]> {
  const r = await sql<VisitRow>`
    SELECT m.child_id, (m.measured_on - DATE '1970-01-01') AS day, m.month, m.posyandu_id, m.desa_code, f.puskesmas_id,
      (m.birth_date - DATE '1970-01-01') AS birth_day, m.sex, m.weight_kg, m.lenhei_cm, m.position, m.muac_cm, m.oedema,
      m.zwfl, m.zlen, m.zwei,
      (d.zwei_differs OR d.zlen_differs OR d.zwfl_differs) AS z_differs,
      d.eppgbm_bbu, d.who_status_wfa, d.eppgbm_tbu, d.who_status_lfa, d.eppgbm_bbtb, d.who_status_wfl
    FROM measurement m
    LEFT JOIN facility f ON f.id = m.posyandu_id
    LEFT JOIN eppgbm_disagreement d ON d.kabupaten_code = m.kabupaten_code AND d.measurement_id = m.id
    WHERE m.kabupaten_code = ${kabupatenCode} AND m.month >= ${fromMonth}::date AND m.month <= ${toMonth}::date
    ORDER BY m.child_id, m.measured_on, m.id`.execute(db);
  return r.rows.map((x) => ({
    childId: x.child_id,
    day: x.day,
    month: x.month,
    posyanduId: x.posyandu_id,
    desaCode: x.desa_code,
    puskesmasId: x.puskesmas_id,
    birthDay: x.birth_day,
    sex: x.sex,
    weight: x.weight_kg,
    height: x.lenhei_cm,
    position: x.position,
    muacCm: x.muac_cm,
    oedema: x.oedema,
    whz: x.zwfl,
    haz: x.zlen,
    waz: x.zwei,
    eppgbmDiffers: eppgbmDiffers(x),
  }));
}

function eppgbmDiffers(x: VisitRow): boolean | null {
  if (x.z_differs === null) return null;
  return x.z_differs || statusDiffers('wfa', x.eppgbm_bbu, x.who_status_wfa) || statusDiffers('lfa', x.eppgbm_tbu, x.who_status_lfa)
    || statusDiffers('wfl', x.eppgbm_bbtb, x.who_status_wfl);
}

/** First and last month (yyyy-mm-01) with measurements in the kabupaten; null when none. */
export async function measurementMonthRange(db: QualityDb, kabupatenCode: string): Promise<{ first: string; last: string } | null> {
  const r = await sql<{ first: string | null; last: string | null }>`
    SELECT min(month) AS first, max(month) AS last FROM measurement WHERE kabupaten_code = ${kabupatenCode}`.execute(db);
  const row = r.rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** Kabupaten that have measurements (the default scope of the batch job). */
export async function kabupatenWithMeasurements(db: QualityDb): Promise<string[]> {
  const r = await sql<{ k: string }>`SELECT DISTINCT kabupaten_code AS k FROM measurement ORDER BY 1`.execute(db);
  return r.rows.map((x) => x.k);
}

/** Replaces the stored scores of these months of a kabupaten with `rows`. */
export async function replaceScores(db: QualityDb, kabupatenCode: string, months: readonly string[], rows: readonly UnitMonthValidity[]): Promise<void> {
  await inQualityTransaction(db, (trx) => replaceScoresIn(trx, kabupatenCode, months, rows));
}

async function replaceScoresIn(db: Transaction<Database>, kabupatenCode: string, months: readonly string[], rows: readonly UnitMonthValidity[]): Promise<void> {
  await sql`DELETE FROM quality_score WHERE kabupaten_code = ${kabupatenCode} AND month = ANY(${months}::date[])`.execute(db);
  const CHUNK = 2000;
  for (let s = 0; s < rows.length; s += CHUNK) {
    const part = rows.slice(s, s + CHUNK);
    const col = <T>(f: (r: UnitMonthValidity) => T) => part.map(f);
    await sql`
      INSERT INTO quality_score (kabupaten_code, level, unit, desa_code, puskesmas_id, month, children, measurements, score,
        problems, components, duplicate_records, eppgbm_disagreements)
      SELECT ${kabupatenCode}, * FROM unnest(
        ${col((r) => r.level)}::text[], ${col((r) => r.unit)}::text[], ${col((r) => r.desaCode)}::text[],
        ${col((r) => r.puskesmasId)}::bigint[], ${col((r) => r.month)}::date[], ${col((r) => r.children)}::int[],
        ${col((r) => r.measurements)}::int[], ${col((r) => r.score)}::numeric[],
        ${col((r) => JSON.stringify(r.problems))}::jsonb[], ${col((r) => JSON.stringify(r.figures))}::jsonb[],
        ${col((r) => r.duplicateRecords)}::int[], ${col((r) => r.eppgbmDisagreements)}::int[])`.execute(db);
  }
}

/** Marks the stored scores of these desa-months stale (recomputed by the next batch run that needs them). */
export async function markScoresStale(db: QualityDb, kabupatenCode: string, keys: readonly { desaCode: string; month: string }[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    UPDATE quality_score q SET computed_at = '-infinity'
    FROM unnest(${keys.map((k) => k.desaCode)}::text[], ${keys.map((k) => k.month)}::date[]) AS k(desa, month)
    WHERE q.kabupaten_code = ${kabupatenCode} AND q.month = k.month AND (q.desa_code = k.desa OR q.level = 'puskesmas')`.execute(db);
}

/** One stored score row. */
export interface StoredScore {
  level: 'posyandu' | 'desa' | 'puskesmas';
  unit: string;
  desa_code: string | null;
  puskesmas_id: number | null;
  month: string;
  children: number;
  measurements: number;
  score: number | null;
  problems: unknown;
  components: unknown;
  duplicate_records: number;
  eppgbm_disagreements: number;
}

/** Stored scores of one level in a kabupaten between two months (inclusive). */
export async function storedScores(
  db: QualityDb,
  kabupatenCode: string,
  level: StoredScore['level'],
  fromMonth: string,
  toMonth: string,
): Promise<StoredScore[]> {
  const r = await sql<StoredScore>`
    SELECT level, unit, desa_code, puskesmas_id, month, children, measurements, score, problems, components, duplicate_records, eppgbm_disagreements
    FROM quality_score WHERE kabupaten_code = ${kabupatenCode} AND level = ${level} AND month >= ${fromMonth}::date AND month <= ${toMonth}::date
    ORDER BY month, unit`.execute(db);
  return r.rows;
}

/** Whether the stored scores of a period are missing or older than a measurement written since. */
export async function scoresStale(db: QualityDb, kabupatenCode: string, fromMonth: string, toMonth: string): Promise<boolean> {
  const r = await sql<{ stale: boolean }>`
    SELECT (q.n = 0 OR q.oldest < coalesce(m.newest, '-infinity'::timestamptz)) AS stale
    FROM (SELECT count(*) AS n, min(computed_at) AS oldest FROM quality_score
          WHERE kabupaten_code = ${kabupatenCode} AND month >= ${fromMonth}::date AND month <= ${toMonth}::date) q,
         (SELECT max(created_at) AS newest FROM measurement
          WHERE kabupaten_code = ${kabupatenCode} AND month >= ${fromMonth}::date AND month <= ${toMonth}::date) m`.execute(db);
  return r.rows[0].stale;
}

interface IdentityRow {
  id: number;
  nik_hash: Buffer | null;
  name: string;
  birth_day: number;
  mother_name: string | null;
  sex: number;
  desa_code: string;
  posyandu_id: number | null;
}

/** Identities of the children of a kabupaten (optionally one desa) not merged into another. */
export async function loadIdentities(db: QualityDb, kabupatenCode: string, desaCode?: string): Promise<(ChildIdentity & { desaCode: string; posyanduId: number | null })[]> {
  const r = await sql<IdentityRow>`
    SELECT c.id, c.nik_hash, c.name, (c.birth_date - DATE '1970-01-01') AS birth_day, c.mother_name,
      c.sex, c.desa_code, c.posyandu_id
    FROM child c
    WHERE c.kabupaten_code = ${kabupatenCode} AND c.merged_into IS NULL
      AND (${desaCode ?? null}::text IS NULL OR c.desa_code = ${desaCode ?? null})`.execute(db);
  return r.rows.map((x) => ({
    id: String(x.id),
    nikHash: x.nik_hash ? x.nik_hash.toString('hex') : null,
    name: x.name,
    birthDay: x.birth_day,
    motherName: x.mother_name,
    sex: x.sex,
    desaCode: x.desa_code,
    posyanduId: x.posyandu_id,
  }));
}

/**
 * Stores the candidate pairs found now: new pairs as 'usulan', open ones re-scored, open ones no
 * longer found removed (they were only proposals); decided pairs (digabung/ditolak) are kept as
 * they are. Returns how many open candidates there are now.
 */
export async function syncCandidates(
  db: QualityDb,
  kabupatenCode: string,
  candidates: readonly (DuplicateCandidate & { desaCode: string; posyanduId: number | null })[],
  desaCode?: string,
): Promise<{ open: number; added: number; removed: number }> {
  return inQualityTransaction(db, (trx) => syncCandidatesIn(trx, kabupatenCode, candidates, desaCode));
}

async function syncCandidatesIn(
  db: Transaction<Database>,
  kabupatenCode: string,
  candidates: readonly (DuplicateCandidate & { desaCode: string; posyanduId: number | null })[],
  desaCode?: string,
): Promise<{ open: number; added: number; removed: number }> {
  const a = candidates.map((c) => Math.min(Number(c.a), Number(c.b)));
  const b = candidates.map((c) => Math.max(Number(c.a), Number(c.b)));
  await sql`DROP TABLE IF EXISTS pg_temp.found_candidate`.execute(db);
  await sql`CREATE TEMP TABLE found_candidate ON COMMIT DROP AS SELECT * FROM unnest(
      ${a}::bigint[], ${b}::bigint[], ${candidates.map((c) => c.desaCode)}::text[], ${candidates.map((c) => c.posyanduId)}::bigint[],
      ${candidates.map((c) => c.score)}::numeric[], ${candidates.map((c) => c.level)}::text[], ${candidates.map((c) => JSON.stringify(c.reasons))}::jsonb[])
      AS t(child_a, child_b, desa_code, posyandu_id, score, level, reasons)`.execute(db);
  const removed = await sql`
    DELETE FROM duplicate_candidate d WHERE d.kabupaten_code = ${kabupatenCode} AND d.status = 'usulan'
      AND (${desaCode ?? null}::text IS NULL OR d.desa_code = ${desaCode ?? null})
      AND NOT EXISTS (SELECT 1 FROM found_candidate f WHERE f.child_a = d.child_a AND f.child_b = d.child_b)`.execute(db);
  const added = await sql<{ inserted: boolean }>`
    INSERT INTO duplicate_candidate AS d (kabupaten_code, child_a, child_b, desa_code, posyandu_id, score, level, reasons)
    SELECT ${kabupatenCode}, child_a, child_b, desa_code, posyandu_id, score, level, reasons FROM found_candidate
    ON CONFLICT (kabupaten_code, child_a, child_b) DO UPDATE SET score = EXCLUDED.score, level = EXCLUDED.level, reasons = EXCLUDED.reasons
      WHERE d.status = 'usulan'
    RETURNING (xmax = 0) AS inserted`.execute(db);
  const open = await sql<{ n: number }>`SELECT count(*)::int AS n FROM duplicate_candidate WHERE kabupaten_code = ${kabupatenCode} AND status = 'usulan'`.execute(db);
  return { open: open.rows[0].n, added: added.rows.filter((x) => x.inserted).length, removed: Number(removed.numAffectedRows ?? 0) };
}

/** Children in an open (usulan) candidate pair. */
export async function childrenInOpenCandidates(db: QualityDb, kabupatenCode: string): Promise<Set<number>> {
  const r = await sql<{ id: number }>`
    SELECT child_a AS id FROM duplicate_candidate WHERE kabupaten_code = ${kabupatenCode} AND status = 'usulan'
    UNION SELECT child_b FROM duplicate_candidate WHERE kabupaten_code = ${kabupatenCode} AND status = 'usulan'`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

/**
 * The access-matrix world: a small, real data set in three places — `own` (Kobar, kecamatan Kumai),
 * `foreignDesa` (Kobar, another kecamatan, puskesmas and posyandu) and `foreignKabupaten`
 * (Kotawaringin Timur, 62.02) — each with a puskesmas and its catchment, a posyandu, a family,
 * children with measurements, an alert, an evaluation round with a barrier and an action, a
 * duplicate pair and a merge, and an import batch with a rejected row. Every route's matrix
 * example points at these rows, so an allowed request reaches real data and a denied one is
 * refused for its scope, not because a row is missing.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { analyticsDb } from '../../analytics/analytics.tables.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ChildRepo } from '../../db/child.repo.js';
import { defaultWritePathDeps, type WritePathDeps } from '../../db/growth-columns.js';
import { MeasurementRepo } from '../../db/measurement.repo.js';
import type { NikHasher } from '../../db/nik.js';
import type { Database } from '../../db/schema.js';
import { addAction, addBarrier } from '../../evaluation/follow-up.service.js';
import { createRound } from '../../evaluation/round.service.js';
import { mergeChildren } from '../../quality/duplicate-merge.service.js';
import { loadRegions, readRegionsCsv } from '../../reference/regions.js';
import { packageRoot } from '../../reference/who-tables.js';

/** The rows of one place of the world (ids of real rows). */
export interface RegionSample {
  kabupatenCode: string;
  kecamatanCode: string;
  desaCode: string;
  puskesmasId: number;
  posyanduId: number;
  familyId: number;
  /** A child of the posyandu with two measurements. */
  childId: number;
  /** A measurement of `childId` (read and corrected by the matrix, never deleted). */
  measurementId: number;
  /**
   * Measurements the DELETE example may remove, one per request: each call of the example takes
   * the next id, so every role's request targets a row that still exists.
   */
  deletableMeasurementIds: number[];
  alertId: number;
  roundId: number;
  barrierId: number;
  actionId: number;
  importBatchId: number;
  /** An open duplicate pair of two children of the posyandu. */
  duplicateCandidateId: number;
  duplicateChildIds: [number, number];
  /** A merge of a third child into `childId` (the undo example). */
  mergeId: number;
  /** The month of the measurements and the alert (yyyy-mm). */
  month: string;
}

export interface MatrixWorld {
  own: RegionSample;
  /** Same kabupaten as `own`, another kecamatan, puskesmas catchment and posyandu. */
  foreignDesa: RegionSample;
  /** Another kabupaten (62.02). */
  foreignKabupaten: RegionSample;
}

/** What the world needs of an open database: a DatabaseHandle or a test database. */
export interface MatrixWorldDatabase {
  db: Kysely<Database>;
  nik: NikHasher;
  deps?: WritePathDeps;
}

/** Desa of the three places (real Kemendagri codes from data/regions/kalteng-regions.csv). */
export const MATRIX_DESA = {
  own: '62.01.01.1011',
  foreignDesa: '62.01.02.1002',
  foreignKabupaten: '62.02.01.2003',
} as const;

const MONTH = '2025-03';
const SPARE_MEASUREMENTS = 24;

/** Adds the regions of kabupaten 62.02 when the database holds only Kobar. */
async function ensureSecondKabupaten(db: Kysely<Database>): Promise<void> {
  const have = await db.selectFrom('region').select('code').where('code', '=', MATRIX_DESA.foreignKabupaten).executeTakeFirst();
  if (have) return;
  const rows = readRegionsCsv(join(packageRoot(), 'data', 'regions', 'kalteng-regions.csv'));
  await loadRegions(db, rows.filter((r) => r.code === '62' || r.code === '62.02' || r.code.startsWith('62.02.')));
}

async function seedSample(h: MatrixWorldDatabase, deps: WritePathDeps, desaCode: string, tag: string): Promise<RegionSample> {
  const { db } = h;
  const kab = desaCode.slice(0, 5);
  const puskesmas = await db.insertInto('facility').values({
    kind: 'puskesmas', name: `Puskesmas Matriks ${tag}`, kabupaten_code: kab, desa_code: desaCode, is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('facility_catchment').values({ facility_id: puskesmas.id, desa_code: desaCode }).execute();
  const posyandu = await db.insertInto('facility').values({
    kind: 'posyandu', name: `Posyandu Matriks ${tag}`, kabupaten_code: kab, desa_code: desaCode, puskesmas_id: puskesmas.id, is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  const family = await db.insertInto('family').values({
    kabupaten_code: kab, desa_code: desaCode, head_name: `Keluarga Matriks ${tag}`, has_balita: true, unsafe_water: true, poor_sanitation: false,
    assessed_on: '2025-01-15', is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  const children = new ChildRepo(db, deps, h.nik);
  const measurements = new MeasurementRepo(db, deps);
  const actor = { userId: null };
  const child = await children.create({
    desaCode, posyanduId: posyandu.id, familyId: family.id, name: `Anak Matriks ${tag}`, sex: 1, birthDate: '2023-06-10',
    motherName: `Ibu Matriks ${tag}`, nik: null, isSynthetic: true,
  }, actor);
  await measurements.insert({ childId: child.id, measuredOn: '2025-02-12', weightKg: 10.4, lenheiCm: 82.5, position: 'H' }, actor);
  const m = await measurements.insert({ childId: child.id, measuredOn: `${MONTH}-12`, weightKg: 10.3, lenheiCm: 83.0, position: 'H' }, actor);
  // A sibling child whose measurements the DELETE example removes one by one.
  const spare = await children.create({
    desaCode, posyanduId: posyandu.id, familyId: family.id, name: `Anak Cadangan ${tag}`, sex: 2, birthDate: '2022-01-20', isSynthetic: true,
  }, actor);
  const deletable: number[] = [];
  for (let i = 0; i < SPARE_MEASUREMENTS; i++) {
    const day = new Date(Date.UTC(2024, 0, 5) + i * 14 * 86_400_000).toISOString().slice(0, 10);
    deletable.push((await measurements.insert({ childId: spare.id, measuredOn: day, weightKg: 9 + i * 0.1, lenheiCm: 78 + i * 0.3, position: 'H' }, actor)).id);
  }
  const twinA = await children.create({
    desaCode, posyanduId: posyandu.id, name: `Dewi Lestari ${tag}`, sex: 2, birthDate: '2024-02-02', motherName: `Sri ${tag}`, isSynthetic: true,
  }, actor);
  const twinB = await children.create({
    desaCode, posyanduId: posyandu.id, name: `Dewi Lestari ${tag}`, sex: 2, birthDate: '2024-02-02', motherName: `Sri ${tag}`, isSynthetic: true,
  }, actor);
  const [a, b] = twinA.id < twinB.id ? [twinA.id, twinB.id] : [twinB.id, twinA.id];
  const cand = await sql<{ id: number }>`
    INSERT INTO duplicate_candidate (kabupaten_code, child_a, child_b, desa_code, posyandu_id, score, level, reasons)
    VALUES (${kab}, ${a}, ${b}, ${desaCode}, ${posyandu.id}, 0.95, 'likely', '["nama sama", "tanggal lahir sama"]'::jsonb) RETURNING id`.execute(db);
  const third = await children.create({
    desaCode, posyanduId: posyandu.id, name: `Anak Gabung ${tag}`, sex: 1, birthDate: '2023-06-10', isSynthetic: true,
  }, actor);
  await measurements.insert({ childId: third.id, measuredOn: '2025-01-14', weightKg: 10.1, lenheiCm: 81.0, position: 'H' }, actor);
  const merge = await mergeChildren(db, deps, child.id, third.id, actor);
  const alert = await analyticsDb(db).insertInto('child_alert').values({
    kabupaten_code: kab, desa_code: desaCode, posyandu_id: posyandu.id, child_id: child.id, person_id: null, kind: 'T', month: `${MONTH}-01`,
    measurement_id: m.id, detail: JSON.stringify({ measuredOn: `${MONTH}-12`, weightKg: 10.3 }),
    followed_up_by: null, followed_up_user_id: null, followed_up_at: null, follow_up_note: null, closed_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  const round = await createRound(db, {
    kabupatenCode: kab, title: `Evaluasi Matriks ${tag}`, kind: 'annual', period: { start: '2025-01-01', end: '2025-12-31' }, previousId: null,
  }, actor);
  const barrier = await addBarrier(db, { evaluationId: round.id, level: 'desa', description: `Hambatan matriks ${tag}`, regionCode: desaCode }, actor);
  const actionId = await addAction(db, {
    evaluationId: round.id, barrierId: barrier.id, title: `Tindak lanjut matriks ${tag}`, stakeholderType: 'kader', owner: `Kader ${tag}`,
    dueOn: '2025-06-30', regionCodes: [desaCode],
  }, actor);
  const batch = await sql<{ id: number }>`
    INSERT INTO import_batch (kabupaten_code, kind, file_name, file_sha256, file_bytes, status, rows_total, rows_loaded, rows_rejected, finished_at, imported_by)
    VALUES (${kab}, 'eppgbm', ${`matriks-${tag}.csv`}, ${createHash('sha256').update(`matrix-${tag}`).digest('hex')}, 120, 'done', 1, 0, 1, now(), 'matrix')
    RETURNING id`.execute(db);
  await db.insertInto('import_row_error').values({
    batch_id: batch.rows[0].id, line: 2, field: 'Tgl Lahir', code: 'bad_date', message_id: 'Tanggal lahir tidak valid', message_en: 'Invalid birth date',
    raw: JSON.stringify({ value: '31/02/2023' }),
  }).execute();
  return {
    kabupatenCode: kab,
    kecamatanCode: desaCode.slice(0, 8),
    desaCode,
    puskesmasId: puskesmas.id,
    posyanduId: posyandu.id,
    familyId: family.id,
    childId: child.id,
    measurementId: m.id,
    deletableMeasurementIds: deletable,
    alertId: alert.id,
    roundId: round.id,
    barrierId: barrier.id,
    actionId,
    importBatchId: batch.rows[0].id,
    duplicateCandidateId: cand.rows[0].id,
    duplicateChildIds: [a, b],
    mergeId: merge.mergeId,
    month: MONTH,
  };
}

/**
 * Seeds the three places into an open, migrated and seeded database (Kobar regions present; the
 * regions of 62.02 are added from data/regions/kalteng-regions.csv) and returns their ids.
 */
export async function seedMatrixWorld(handle: MatrixWorldDatabase | DatabaseHandle): Promise<MatrixWorld> {
  const h = handle as MatrixWorldDatabase;
  const deps = h.deps ?? defaultWritePathDeps();
  await ensureSecondKabupaten(h.db);
  const own = await seedSample(h, deps, MATRIX_DESA.own, 'A');
  const foreignDesa = await seedSample(h, deps, MATRIX_DESA.foreignDesa, 'B');
  const foreignKabupaten = await seedSample(h, deps, MATRIX_DESA.foreignKabupaten, 'C');
  return { own, foreignDesa, foreignKabupaten };
}

/** The region sample an example targets: `own`, or the other kabupaten for 'foreign'. */
export function sampleOf(world: MatrixWorld, target: 'own' | 'foreign'): RegionSample {
  return target === 'own' ? world.own : world.foreignKabupaten;
}

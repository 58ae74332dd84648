import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../common/app-error.js';
import { writeAudit, type Actor } from './audit.js';
import { withDbErrors } from './db-errors.js';
import { computeGrowthColumns, GrowthBatch, type WritePathDeps } from './growth-columns.js';
import { DB_MESSAGES as M } from './messages.js';
import { measurementBits } from './rollup-delta.js';
import { adjustRollups, RollupKeys, type RollupAdjustment } from './rollup.js';
import type { Database, Measurement, Source } from './schema.js';
import { judgeStoredSeries } from './weight-gain-tracker.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What a form (or one import row) gives for a measurement; the rest is computed. */
export interface MeasurementWrite {
  childId: number;
  measuredOn: string;
  /** Defaults to the child's desa. */
  desaCode?: string;
  /** Defaults to the child's posyandu. */
  posyanduId?: number | null;
  weightKg?: number | null;
  lenheiCm?: number | null;
  position?: 'L' | 'H' | null;
  oedema?: boolean;
  muacCm?: number | null;
  headCm?: number | null;
  source?: Source;
  importBatchId?: number | null;
}

export type MeasurementPatch = Partial<Omit<MeasurementWrite, 'childId' | 'source' | 'importBatchId'>>;

interface LockedChild {
  id: number;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  birth_date: string;
  sex: 1 | 2;
}

/** Runs fn in the caller's transaction, or in a new one. */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}

/** The child row locked for the rest of the transaction (serialises writes to one child's series). */
export async function lockChild(trx: Transaction<Database>, childId: number): Promise<LockedChild> {
  const child = await trx
    .selectFrom('child')
    .select(['id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'birth_date', 'sex'])
    .where('id', '=', childId)
    .forUpdate()
    .executeTakeFirst();
  if (!child) throw new AppError('not_found', M['db.notFound'], { entity: 'child', id: childId }, { status: 404 });
  return child;
}

/** The first day of the month after a yyyy-mm-dd month start. */
function nextMonthStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** yyyy-mm-dd plus n days. */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Adds the units of every measurement of a child in these months (who may shadow whom). */
export async function addChildMonthUnits(trx: Transaction<Database>, childId: number, months: string[], keys: RollupKeys): Promise<void> {
  if (months.length === 0) return;
  const sorted = [...months].sort();
  // measured_on bounds let PostgreSQL probe only these months' partitions (measurement is
  // partitioned by measured_on); the month condition alone would visit every partition.
  const rows = await trx
    .selectFrom('measurement')
    .select(['desa_code', 'posyandu_id', 'month'])
    .distinct()
    .where('child_id', '=', childId)
    .where('month', 'in', months)
    .where('measured_on', '>=', sorted[0])
    .where('measured_on', '<', nextMonthStart(sorted[sorted.length - 1]))
    .execute();
  for (const r of rows) keys.add(r.desa_code, r.posyandu_id, r.month);
}

/** The series columns of a stored row. */
function seriesRow(m: Measurement): SeriesRow {
  return {
    id: m.id, kabupaten_code: m.kabupaten_code, desa_code: m.desa_code, posyandu_id: m.posyandu_id, birth_date: m.birth_date,
    measured_on: m.measured_on, month: m.month, age_days: m.age_days, weight_kg: m.weight_kg, weight_gain: m.weight_gain, two_t: m.two_t,
    zlen: m.zlen, flen: m.flen, zwfl: m.zwfl, fwfl: m.fwfl, zwei: m.zwei, fwei: m.fwei,
  };
}

/** What the write path needs of each stored measurement of a child. */
export interface SeriesRow {
  id: number;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  birth_date: string;
  measured_on: string;
  month: string;
  age_days: number;
  weight_kg: number | null;
  weight_gain: Measurement['weight_gain'];
  two_t: boolean;
  zlen: number | null; flen: 0 | 1 | null;
  zwfl: number | null; fwfl: 0 | 1 | null;
  zwei: number | null; fwei: 0 | 1 | null;
}

/**
 * A child's measurements in stored order (measured_on, then id). Whole rows: planning this
 * statement over the month partitions costs far more than the columns it returns.
 */
export async function readSeries(trx: Db, childId: number, birthDate?: string): Promise<Measurement[]> {
  let q = trx.selectFrom('measurement').selectAll().where('child_id', '=', childId);
  // The age check (0–1856 days) puts every measurement of the child in this window: only its
  // partitions are read.
  if (birthDate) q = q.where('measured_on', '>=', birthDate).where('measured_on', '<=', addDays(birthDate, 1856));
  return q.orderBy('measured_on').orderBy('id').execute();
}

/** What the weight-gain judgement reads of a row. */
type Weighed = Pick<SeriesRow, 'id' | 'birth_date' | 'measured_on' | 'weight_kg'>;

const byStoredOrder = (a: Weighed, b: Weighed): number =>
  a.measured_on < b.measured_on ? -1 : a.measured_on > b.measured_on ? 1 : a.id - b.id;

/** Adds the units of every row of `series` in these months. */
function addSeriesUnits(series: readonly SeriesRow[], months: Iterable<string>, keys: RollupKeys): void {
  const wanted = new Set(months);
  for (const r of series) if (wanted.has(r.month)) keys.add(r.desa_code, r.posyandu_id, r.month);
}

/**
 * What one child adds to the rollups (docs/DATA-MODEL.md "Rollups"): per month its latest
 * measurement (stored order), when the child was ≤ 1826 days old, counts once in that row's desa
 * and posyandu — `measured` then the indicator bits of src/db/rollup-delta.ts's measurementBits.
 */
function childContribution(series: readonly SeriesRow[]): RollupAdjustment {
  const latest = new Map<string, SeriesRow>();
  for (const r of [...series].sort(byStoredOrder)) latest.set(r.month, r);
  const out: RollupAdjustment = { desa: new Map(), posyandu: new Map() };
  for (const r of latest.values()) {
    if (r.age_days > 1826) continue;
    const bits = measurementBits({ zlen: r.zlen, flen: r.flen, zwfl: r.zwfl, fwfl: r.fwfl, zwei: r.zwei, fwei: r.fwei, weightGain: r.weight_gain, twoT: r.two_t });
    const v = [1];
    for (let k = 0; k < 13; k++) v.push((bits >> k) & 1);
    out.desa.set(`${r.desa_code}|${r.month}`, v);
    if (r.posyandu_id !== null) out.posyandu.set(`${r.posyandu_id}|${r.month}`, v);
  }
  return out;
}

/** after − before, per key (keys without change included as zeros; adjustRollups skips them). */
function contributionChange(before: RollupAdjustment, after: RollupAdjustment): RollupAdjustment {
  const diff = (b: Map<string, number[]>, a: Map<string, number[]>) => {
    const out = new Map<string, number[]>();
    for (const [k, v] of a) out.set(k, v.slice());
    for (const [k, v] of b) {
      const d = out.get(k) ?? v.map(() => 0);
      for (let i = 0; i < v.length; i++) d[i] -= v[i];
      out.set(k, d);
    }
    return out;
  };
  return { desa: diff(before.desa, after.desa), posyandu: diff(before.posyandu, after.posyandu) };
}

/**
 * Judges a child's whole series (stored order), stores the codes that differ from the rows' and
 * adds the units of the changed months to `keys`. The rows of `series` are updated in place.
 */
async function storeWeightGain(trx: Transaction<Database>, deps: WritePathDeps, series: SeriesRow[], keys?: RollupKeys): Promise<void> {
  series.sort(byStoredOrder);
  const judged = judgeStoredSeries(
    series.map((s) => ({ birthDate: s.birth_date, measuredOn: s.measured_on, weightKg: s.weight_kg })),
    deps.kbm,
  );
  const changedMonths = new Set<string>();
  for (let i = 0; i < series.length; i++) {
    const s = series[i];
    const j = judged[i];
    if (s.weight_gain === j.code && s.two_t === j.twoT) continue;
    await trx
      .updateTable('measurement')
      .set({ weight_gain: j.code, two_t: j.twoT })
      .where('kabupaten_code', '=', s.kabupaten_code)
      .where('measured_on', '=', s.measured_on)
      .where('id', '=', s.id)
      .execute();
    s.weight_gain = j.code;
    s.two_t = j.twoT;
    changedMonths.add(s.month);
  }
  if (keys) addSeriesUnits(series, changedMonths, keys);
}

/**
 * The weight-gain code a new or changed row will get: the series judged with the row in place
 * (a new row, whose id is not known yet, sorts after the rows of its date — ids only grow).
 * storeWeightGain corrects it if the real position differs.
 */
function predictWeightGain(deps: WritePathDeps, series: readonly Weighed[], row: Weighed): { weight_gain: SeriesRow['weight_gain']; two_t: boolean } {
  const all = [...series.filter((s) => s.id !== row.id), row].sort(byStoredOrder);
  const judged = judgeStoredSeries(all.map((s) => ({ birthDate: s.birth_date, measuredOn: s.measured_on, weightKg: s.weight_kg })), deps.kbm);
  const j = judged[all.indexOf(row)];
  return { weight_gain: j.code, two_t: j.twoT };
}

/**
 * Re-judges a child's whole weight-gain series, stores the codes that changed and adds the
 * units of the changed months to `keys`.
 */
export async function refreshWeightGain(
  trx: Transaction<Database>,
  deps: WritePathDeps,
  childId: number,
  keys: RollupKeys,
  birthDate?: string,
): Promise<void> {
  await storeWeightGain(trx, deps, await readSeries(trx, childId, birthDate), keys);
}

/**
 * Recomputes z-scores, flags and statuses of all of a child's measurements (after its birth date
 * or sex changed) and adds their units and months to `keys`.
 */
export async function recomputeChildGrowth(trx: Transaction<Database>, deps: WritePathDeps, childId: number, keys: RollupKeys): Promise<void> {
  const rows = await trx.selectFrom('measurement').selectAll().where('child_id', '=', childId).execute();
  if (rows.length === 0) return;
  const batch = new GrowthBatch(deps.engine, rows.length);
  rows.forEach((r, i) =>
    batch.set(i, {
      sex: r.sex, birthDate: r.birth_date, measuredOn: r.measured_on, weightKg: r.weight_kg, lenheiCm: r.lenhei_cm,
      position: r.position, oedema: r.oedema, muacCm: r.muac_cm, headCm: r.head_cm,
    }),
  );
  batch.compute(rows.length);
  for (let i = 0; i < rows.length; i++) {
    await trx.updateTable('measurement').set(batch.columns(i)).where('kabupaten_code', '=', rows[i].kabupaten_code).where('id', '=', rows[i].id).execute();
    keys.add(rows[i].desa_code, rows[i].posyandu_id, rows[i].month);
  }
}

/**
 * Measurements written one at a time (forms, corrections): each write stores the inputs with the
 * z-scores, flags, Permenkes statuses and weight-gain codes computed by src/growth, re-judges the
 * child's later weight-gain codes and recomputes the touched rollups, all in one transaction.
 */
export class MeasurementRepo {
  constructor(
    private readonly db: Db,
    private readonly deps: WritePathDeps,
  ) {}

  /** One measurement by id, or undefined. */
  async get(id: number): Promise<Measurement | undefined> {
    return this.db.selectFrom('measurement').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A child's measurements in date order. */
  async listForChild(childId: number): Promise<Measurement[]> {
    return this.db.selectFrom('measurement').selectAll().where('child_id', '=', childId).orderBy('measured_on').orderBy('id').execute();
  }

  /** Stores a new measurement; returns it as stored (with computed columns). */
  async insert(input: MeasurementWrite, actor?: Actor): Promise<Measurement> {
    return (await this.insertWithSeries(input, actor)).row;
  }

  /**
   * Stores a new measurement and returns it with the child's measurements as they were just
   * before, read under the child's lock (a form's answer compares with them: previous weighing,
   * warnings). With `replayOf`, a save already stored (a resubmitted form) is found among them and
   * returned instead of a second row — checked under the lock, so two identical submissions at
   * once store one row.
   */
  async insertWithSeries(
    input: MeasurementWrite,
    actor?: Actor,
    replayOf?: (before: readonly Measurement[]) => Measurement | undefined,
  ): Promise<{ row: Measurement; before: Measurement[]; replayed: boolean }> {
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const child = await lockChild(trx, input.childId);
        // The child's series, read once: it gives the weight-gain judgement and the rollup
        // change, instead of re-reading the table after each step.
        const series = await readSeries(trx, child.id, child.birth_date);
        const before = series.map((m) => ({ ...m }));
        const replay = replayOf?.(before);
        if (replay) return { row: replay, before, replayed: true };
        const values = this.valuesFor(child, input);
        const wg = predictWeightGain(this.deps, series, {
          id: Number.MAX_SAFE_INTEGER, birth_date: values.birth_date, measured_on: values.measured_on, weight_kg: values.weight_kg,
        });
        const row = await trx.insertInto('measurement').values({ ...values, ...wg }).returningAll().executeTakeFirstOrThrow();
        const contributed = childContribution(series);
        const stored: SeriesRow[] = [...series, seriesRow(row)];
        await storeWeightGain(trx, this.deps, stored);
        await writeAudit(trx, actor, { action: 'create', entity: 'measurement', entityId: row.id, kabupatenCode: row.kabupaten_code });
        // The child is locked: its rows change only here, so the rollups change by exactly the
        // difference of its contribution (no re-read of the unit × month). Last before commit:
        // the shared rollup rows stay locked for as short a time as possible.
        await adjustRollups(trx, child.kabupaten_code, contributionChange(contributed, childContribution(stored)));
        const own = stored.find((m) => m.id === row.id)!;
        return { row: { ...row, weight_gain: own.weight_gain, two_t: own.two_t }, before, replayed: false };
      }),
    );
  }

  /** Changes a measurement's inputs; computed columns follow. */
  async update(id: number, patch: MeasurementPatch, actor?: Actor): Promise<Measurement> {
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await this.getForWrite(trx, id);
        const child = await lockChild(trx, old.child_id);
        const series = await readSeries(trx, child.id, child.birth_date);
        const before = childContribution(series);
        const merged: MeasurementWrite = {
          childId: old.child_id,
          measuredOn: patch.measuredOn ?? old.measured_on,
          desaCode: patch.desaCode ?? old.desa_code,
          posyanduId: patch.posyanduId !== undefined ? patch.posyanduId : old.posyandu_id,
          weightKg: patch.weightKg !== undefined ? patch.weightKg : old.weight_kg,
          lenheiCm: patch.lenheiCm !== undefined ? patch.lenheiCm : old.lenhei_cm,
          position: patch.position !== undefined ? patch.position : old.position,
          oedema: patch.oedema ?? old.oedema,
          muacCm: patch.muacCm !== undefined ? patch.muacCm : old.muac_cm,
          headCm: patch.headCm !== undefined ? patch.headCm : old.head_cm,
          source: old.source,
          importBatchId: old.import_batch_id,
        };
        const { source: _s, import_batch_id: _b, ...values } = this.valuesFor(child, merged);
        const wg = predictWeightGain(this.deps, series, { id, birth_date: values.birth_date, measured_on: values.measured_on, weight_kg: values.weight_kg });
        const row = await trx.updateTable('measurement').set({ ...values, ...wg }).where('kabupaten_code', '=', old.kabupaten_code)
          .where('measured_on', '=', old.measured_on).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const stored = seriesRow(row);
        const after: SeriesRow[] = [...series.filter((s) => s.id !== id), stored];
        await storeWeightGain(trx, this.deps, after);
        await writeAudit(trx, actor, {
          action: 'update', entity: 'measurement', entityId: id, kabupatenCode: old.kabupaten_code,
          details: { fields: Object.keys(patch) },
        });
        await adjustRollups(trx, child.kabupaten_code, contributionChange(before, childContribution(after)));
        return { ...row, weight_gain: stored.weight_gain, two_t: stored.two_t };
      }),
    );
  }

  /** Deletes a measurement. */
  async delete(id: number, actor?: Actor): Promise<void> {
    await withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await this.getForWrite(trx, id);
        const child = await lockChild(trx, old.child_id);
        const series = await readSeries(trx, child.id, child.birth_date);
        const before = childContribution(series);
        await trx.deleteFrom('measurement').where('kabupaten_code', '=', old.kabupaten_code).where('measured_on', '=', old.measured_on)
          .where('id', '=', id).execute();
        const after = series.filter((s) => s.id !== id);
        await storeWeightGain(trx, this.deps, after);
        await writeAudit(trx, actor, { action: 'delete', entity: 'measurement', entityId: id, kabupatenCode: old.kabupaten_code });
        await adjustRollups(trx, child.kabupaten_code, contributionChange(before, childContribution(after)));
      }),
    );
  }

  private async getForWrite(trx: Transaction<Database>, id: number): Promise<Measurement> {
    const row = await trx.selectFrom('measurement').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', M['db.notFound'], { entity: 'measurement', id }, { status: 404 });
    return row;
  }

  private valuesFor(child: LockedChild, input: MeasurementWrite) {
    const inputs = {
      sex: child.sex,
      birthDate: child.birth_date,
      measuredOn: input.measuredOn,
      weightKg: input.weightKg ?? null,
      lenheiCm: input.lenheiCm ?? null,
      position: input.position ?? null,
      oedema: input.oedema ?? false,
      muacCm: input.muacCm ?? null,
      headCm: input.headCm ?? null,
    };
    const computed = computeGrowthColumns(this.deps.engine, inputs);
    return {
      kabupaten_code: child.kabupaten_code,
      desa_code: input.desaCode ?? child.desa_code,
      posyandu_id: input.posyanduId !== undefined ? input.posyanduId : child.posyandu_id,
      child_id: child.id,
      birth_date: child.birth_date,
      sex: child.sex,
      measured_on: input.measuredOn,
      weight_kg: inputs.weightKg,
      lenhei_cm: inputs.lenheiCm,
      position: inputs.position,
      oedema: inputs.oedema,
      muac_cm: inputs.muacCm,
      head_cm: inputs.headCm,
      ...computed,
      source: input.source ?? 'form',
      import_batch_id: input.importBatchId ?? null,
    };
  }
}

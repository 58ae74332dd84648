import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../common/app-error.js';
import { writeAudit, type Actor } from './audit.js';
import { withDbErrors } from './db-errors.js';
import { computeGrowthColumns, GrowthBatch, type WritePathDeps } from './growth-columns.js';
import { DB_MESSAGES as M } from './messages.js';
import { monthOf, recomputeRollups, RollupKeys } from './rollup.js';
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

/** Adds the units of every measurement of a child in these months (who may shadow whom). */
export async function addChildMonthUnits(trx: Transaction<Database>, childId: number, months: string[], keys: RollupKeys): Promise<void> {
  if (months.length === 0) return;
  const rows = await trx
    .selectFrom('measurement')
    .select(['desa_code', 'posyandu_id', 'month'])
    .distinct()
    .where('child_id', '=', childId)
    .where('month', 'in', months)
    .execute();
  for (const r of rows) keys.add(r.desa_code, r.posyandu_id, r.month);
}

/**
 * Re-judges a child's whole weight-gain series, stores the codes that changed and adds the
 * units of the changed months to `keys`.
 */
export async function refreshWeightGain(trx: Transaction<Database>, deps: WritePathDeps, childId: number, keys: RollupKeys): Promise<void> {
  const series = await trx
    .selectFrom('measurement')
    .select(['id', 'kabupaten_code', 'birth_date', 'measured_on', 'weight_kg', 'weight_gain', 'two_t', 'month'])
    .where('child_id', '=', childId)
    .orderBy('measured_on')
    .orderBy('id')
    .execute();
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
      .where('id', '=', s.id)
      .execute();
    changedMonths.add(s.month);
  }
  await addChildMonthUnits(trx, childId, [...changedMonths], keys);
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
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const child = await lockChild(trx, input.childId);
        const values = this.valuesFor(child, input);
        const row = await trx.insertInto('measurement').values(values).returningAll().executeTakeFirstOrThrow();
        const keys = new RollupKeys();
        await this.finish(trx, child.id, [row.month], keys);
        await writeAudit(trx, actor, { action: 'create', entity: 'measurement', entityId: row.id, kabupatenCode: row.kabupaten_code });
        return (await trx.selectFrom('measurement').selectAll().where('kabupaten_code', '=', row.kabupaten_code).where('id', '=', row.id).executeTakeFirstOrThrow());
      }),
    );
  }

  /** Changes a measurement's inputs; computed columns follow. */
  async update(id: number, patch: MeasurementPatch, actor?: Actor): Promise<Measurement> {
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await this.getForWrite(trx, id);
        const child = await lockChild(trx, old.child_id);
        const keys = new RollupKeys();
        await addChildMonthUnits(trx, child.id, [old.month], keys);
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
        await trx.updateTable('measurement').set(values).where('kabupaten_code', '=', old.kabupaten_code).where('id', '=', id).execute();
        await this.finish(trx, child.id, [old.month, monthOf(merged.measuredOn)], keys);
        await writeAudit(trx, actor, {
          action: 'update', entity: 'measurement', entityId: id, kabupatenCode: old.kabupaten_code,
          details: { fields: Object.keys(patch) },
        });
        return (await this.getForWrite(trx, id));
      }),
    );
  }

  /** Deletes a measurement. */
  async delete(id: number, actor?: Actor): Promise<void> {
    await withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await this.getForWrite(trx, id);
        await lockChild(trx, old.child_id);
        const keys = new RollupKeys();
        await addChildMonthUnits(trx, old.child_id, [old.month], keys);
        await trx.deleteFrom('measurement').where('kabupaten_code', '=', old.kabupaten_code).where('id', '=', id).execute();
        await this.finish(trx, old.child_id, [old.month], keys);
        await writeAudit(trx, actor, { action: 'delete', entity: 'measurement', entityId: id, kabupatenCode: old.kabupaten_code });
      }),
    );
  }

  private async getForWrite(trx: Transaction<Database>, id: number): Promise<Measurement> {
    const row = await trx.selectFrom('measurement').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', M['db.notFound'], { entity: 'measurement', id }, { status: 404 });
    return row;
  }

  private async finish(trx: Transaction<Database>, childId: number, months: string[], keys: RollupKeys): Promise<void> {
    await addChildMonthUnits(trx, childId, months, keys);
    await refreshWeightGain(trx, this.deps, childId, keys);
    await recomputeRollups(trx, keys);
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

import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../common/app-error.js';
import { writeAudit, type Actor } from './audit.js';
import { withDbErrors } from './db-errors.js';
import type { WritePathDeps } from './growth-columns.js';
import { inTransaction, readSeries, recomputeChildGrowth, refreshWeightGain } from './measurement.repo.js';
import { DB_MESSAGES as M } from './messages.js';
import { nikLast4, type NikHasher } from './nik.js';
import { recomputeRollups, registrationMonths, RollupKeys } from './rollup.js';
import type { Child, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A child as a registration form gives it. The NIK is hashed here and never stored in clear. */
export interface ChildWrite {
  desaCode: string;
  posyanduId?: number | null;
  familyId?: number | null;
  nik?: string | null;
  name: string;
  sex: 1 | 2;
  birthDate: string;
  birthWeightKg?: number | null;
  birthLengthCm?: number | null;
  motherName?: string | null;
  externalId?: string | null;
  /** Defaults to the birth date. */
  registeredOn?: string;
  exitedOn?: string | null;
  exitReason?: 'moved' | 'died' | 'other' | null;
  isSynthetic?: boolean;
}

export type ChildPatch = Partial<ChildWrite>;

const PERSONAL = new Set(['nik', 'name', 'birthDate', 'motherName']);

function addRegistrationKeys(keys: RollupKeys, c: Pick<Child, 'desa_code' | 'posyandu_id' | 'birth_date' | 'registered_on' | 'exited_on'>): void {
  for (const m of registrationMonths(c)) keys.add(c.desa_code, c.posyandu_id, m);
}

/**
 * Children (balita) written one at a time. Changing a child's birth date or sex re-computes all
 * its measurements' z-scores; every write recomputes the touched rollups in the same transaction.
 */
export class ChildRepo {
  constructor(
    private readonly db: Db,
    private readonly deps: WritePathDeps,
    private readonly nik: NikHasher,
  ) {}

  /** One child by id, or undefined. */
  async get(id: number): Promise<Child | undefined> {
    return this.db.selectFrom('child').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Children of a district with this NIK (a NIK should be unique; more than one is a duplicate to resolve). */
  async findByNik(kabupatenCode: string, nik: string): Promise<Child[]> {
    const hash = this.nik.hash(nik);
    if (hash === null) return [];
    return this.db.selectFrom('child').selectAll().where('kabupaten_code', '=', kabupatenCode).where('nik_hash', '=', hash).execute();
  }

  /** Registers a child; returns the stored row. */
  async create(input: ChildWrite, actor?: Actor): Promise<Child> {
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const row = await trx.insertInto('child').values(this.values(input)).returningAll().executeTakeFirstOrThrow();
        const keys = new RollupKeys();
        addRegistrationKeys(keys, row);
        await recomputeRollups(trx, keys);
        await writeAudit(trx, actor, { action: 'create', entity: 'child', entityId: row.id, kabupatenCode: row.kabupaten_code });
        return row;
      }),
    );
  }

  /** Changes a child; measurements follow (birth date and sex cascade, z-scores recomputed). */
  async update(id: number, patch: ChildPatch, actor?: Actor): Promise<Child> {
    return withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await trx.selectFrom('child').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!old) throw new AppError('not_found', M['db.notFound'], { entity: 'child', id }, { status: 404 });
        const merged: ChildWrite = {
          desaCode: patch.desaCode ?? old.desa_code,
          posyanduId: patch.posyanduId !== undefined ? patch.posyanduId : old.posyandu_id,
          familyId: patch.familyId !== undefined ? patch.familyId : old.family_id,
          name: patch.name ?? old.name,
          sex: patch.sex ?? old.sex,
          birthDate: patch.birthDate ?? old.birth_date,
          birthWeightKg: patch.birthWeightKg !== undefined ? patch.birthWeightKg : old.birth_weight_kg,
          birthLengthCm: patch.birthLengthCm !== undefined ? patch.birthLengthCm : old.birth_length_cm,
          motherName: patch.motherName !== undefined ? patch.motherName : old.mother_name,
          externalId: patch.externalId !== undefined ? patch.externalId : old.external_id,
          registeredOn: patch.registeredOn ?? old.registered_on,
          exitedOn: patch.exitedOn !== undefined ? patch.exitedOn : old.exited_on,
          exitReason: patch.exitReason !== undefined ? patch.exitReason : old.exit_reason,
          isSynthetic: patch.isSynthetic ?? old.is_synthetic,
        };
        const { nik_hash, nik_last4, ...rest } = this.values({ ...merged, nik: patch.nik ?? null });
        const set = patch.nik !== undefined ? { ...rest, nik_hash, nik_last4 } : rest;
        const keys = new RollupKeys();
        addRegistrationKeys(keys, old);
        const row = await trx
          .updateTable('child')
          .set({ ...set, updated_at: new Date() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        addRegistrationKeys(keys, row);
        if (row.birth_date !== old.birth_date || row.sex !== old.sex) {
          await recomputeChildGrowth(trx, this.deps, id, keys);
          await refreshWeightGain(trx, this.deps, id, keys);
        }
        await recomputeRollups(trx, keys);
        await writeAudit(trx, actor, {
          action: 'update', entity: 'child', entityId: id, kabupatenCode: row.kabupaten_code,
          details: { fields: Object.keys(patch).map((f) => (PERSONAL.has(f) ? `${f} (personal)` : f)) },
        });
        return row;
      }),
    );
  }

  /** Removes a child with its measurements and service records. */
  async delete(id: number, actor?: Actor): Promise<void> {
    await withDbErrors(() =>
      inTransaction(this.db, async (trx) => {
        const old = await trx.selectFrom('child').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!old) throw new AppError('not_found', M['db.notFound'], { entity: 'child', id }, { status: 404 });
        const keys = new RollupKeys();
        addRegistrationKeys(keys, old);
        // Every measurement of the child lies in its 0–1856-day window: only those months' partitions are read.
        const last = addDays(old.birth_date, 1856);
        for (const r of await readSeries(trx, id, old.birth_date)) keys.add(r.desa_code, r.posyandu_id, r.month);
        await trx.deleteFrom('measurement').where('kabupaten_code', '=', old.kabupaten_code).where('child_id', '=', id)
          .where('measured_on', '>=', old.birth_date).where('measured_on', '<=', last).execute();
        await trx.deleteFrom('child').where('id', '=', id).execute();
        await recomputeRollups(trx, keys);
        await writeAudit(trx, actor, { action: 'delete', entity: 'child', entityId: id, kabupatenCode: old.kabupaten_code });
      }),
    );
  }

  private values(input: ChildWrite) {
    return {
      kabupaten_code: input.desaCode.slice(0, 5),
      desa_code: input.desaCode,
      posyandu_id: input.posyanduId ?? null,
      family_id: input.familyId ?? null,
      nik_hash: this.nik.hash(input.nik),
      nik_last4: nikLast4(input.nik),
      name: input.name,
      sex: input.sex,
      birth_date: input.birthDate,
      birth_weight_kg: input.birthWeightKg ?? null,
      birth_length_cm: input.birthLengthCm ?? null,
      mother_name: input.motherName ?? null,
      external_id: input.externalId ?? null,
      registered_on: input.registeredOn ?? input.birthDate,
      exited_on: input.exitedOn ?? null,
      exit_reason: input.exitReason ?? null,
      is_synthetic: input.isSynthetic ?? false,
    };
  }
}

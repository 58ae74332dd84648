import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { addPosyandu, DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, testServerKinds, type TestDatabase } from '../test-support/test-db.js';
import { ChildRepo } from './child.repo.js';
import { withDbErrors } from './db-errors.js';
import { loadMeasurements } from './measurement.loader.js';
import { MeasurementRepo } from './measurement.repo.js';

describe.each(testServerKinds())('constraints on %s PostgreSQL', (kind) => {
  let t: TestDatabase;
  let childId: number;
  let posyanduId: number;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    posyanduId = await addPosyandu(t.db, DESA_A);
    const child = await new ChildRepo(t.db, t.deps, t.nik).create({
      desaCode: DESA_A, posyanduId, name: 'Anak Uji', sex: 1, birthDate: '2024-01-15', nik: '6201011501240001',
    });
    childId = child.id;
  });
  afterAll(async () => t?.close());

  const base = () => ({
    kabupaten_code: KOBAR, desa_code: DESA_A, posyandu_id: posyanduId, child_id: childId, birth_date: '2024-01-15',
    sex: 1 as const, measured_on: '2024-06-01', weight_kg: 7.5, lenhei_cm: 65, position: 'L' as const, source: 'form' as const,
  });

  async function rejected(values: Record<string, unknown>): Promise<AppError> {
    const err = await withDbErrors(() => t.db.insertInto('measurement').values({ ...base(), ...values } as never).execute()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }

  it('accepts a plausible measurement', async () => {
    await t.db.insertInto('measurement').values(base()).execute();
  });

  it('rejects a measurement without a child, with a bilingual message naming the rule', async () => {
    const err = await rejected({ child_id: 999_999 });
    expect(err.code).toBe('db_foreign_key_violation');
    expect(err.messages.id).toContain('measurement_child_fk');
    expect(err.messages.en).toContain('measurement_child_fk');
    expect(err.messages.id).toMatch(/^Data ditolak/);
  });

  it("rejects a measurement whose birth date or sex is not its child's", async () => {
    expect((await rejected({ birth_date: '2024-01-16' })).code).toBe('db_foreign_key_violation');
    expect((await rejected({ sex: 2 })).code).toBe('db_foreign_key_violation');
  });

  it('rejects a negative or zero weight and an absurd length', async () => {
    expect((await rejected({ weight_kg: -3 })).details).toMatchObject({ constraint: 'measurement_weight_kg_check' });
    expect((await rejected({ weight_kg: 0 })).code).toBe('db_check_violation');
    expect((await rejected({ lenhei_cm: 400 })).code).toBe('db_check_violation');
  });

  it('rejects a measurement before birth or after 60 months', async () => {
    expect((await rejected({ measured_on: '2023-12-31' })).details).toMatchObject({ constraint: 'measurement_age' });
    expect((await rejected({ measured_on: '2029-06-01' })).details).toMatchObject({ constraint: 'measurement_age' });
  });

  it('rejects a desa code that is not in region, and a desa outside the kabupaten', async () => {
    expect((await rejected({ desa_code: '62.01.01.9999' })).code).toBe('db_foreign_key_violation');
    expect((await rejected({ desa_code: '62.02.01.2001' })).code).toMatch(/db_(check|foreign_key)_violation/);
  });

  it('rejects a measurement with no value, a z-score without its flag, and 2T without T', async () => {
    expect((await rejected({ weight_kg: null, lenhei_cm: null })).details).toMatchObject({ constraint: 'measurement_has_value' });
    expect((await rejected({ zlen: -2.5 })).details).toMatchObject({ constraint: 'measurement_flags' });
    expect((await rejected({ weight_gain: 'N', two_t: true })).details).toMatchObject({ constraint: 'measurement_two_t' });
    expect((await rejected({ source: 'import' })).details).toMatchObject({ constraint: 'measurement_import_batch' });
  });

  it('rejects impossible children and regions', async () => {
    const child = (v: Record<string, unknown>) =>
      withDbErrors(() => t.db.insertInto('child').values({
        kabupaten_code: KOBAR, desa_code: DESA_A, name: 'X', sex: 1, birth_date: '2024-01-01', registered_on: '2024-01-01', ...v,
      } as never).execute()).then(() => new AppError('accepted', 'row was accepted'), (e: unknown) => e as AppError);
    expect((await child({ sex: 3 })).code).toBe('db_check_violation');
    expect((await child({ name: '  ' })).code).toBe('db_check_violation');
    expect((await child({ registered_on: '2023-01-01' })).details).toMatchObject({ constraint: 'child_registered_after_birth' });
    expect((await child({ desa_code: '62.01.01' })).code).toMatch(/db_check_violation/);
    expect((await child({ nik_last4: '1234' })).details).toMatchObject({ constraint: 'child_nik_parts' });
    const region = await withDbErrors(() => t.db.insertInto('region').values({ code: '62.01.09', name: 'X', level: 'desa', parent_code: '62.01' }).execute())
      .then(() => new AppError('accepted', 'row was accepted'), (e: unknown) => e as AppError);
    expect(region.details).toMatchObject({ constraint: 'region_level_matches_code' });
  });

  it('keeps audit_log append-only', async () => {
    await t.db.insertInto('audit_log').values({ action: 'test', entity: 'x', entity_id: '1', user_id: null, kabupaten_code: null, request_id: null }).execute();
    await expect(t.db.updateTable('audit_log').set({ action: 'changed' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('stores the NIK only as a keyed hash plus the last four digits', async () => {
    const rows = await sql<{ t: string }>`SELECT row_to_json(c)::text AS t FROM child c`.execute(t.db);
    for (const r of rows.rows) expect(r.t).not.toContain('6201011501240001');
    const found = await new ChildRepo(t.db, t.deps, t.nik).findByNik(KOBAR, '6201 0115 0124 0001');
    expect(found).toHaveLength(1);
    expect(found[0].nik_last4).toBe('0001');
    expect(found[0].nik_hash?.length).toBe(32);
  });

  it('computes z-scores, statuses and the weight-gain code on write', async () => {
    const repo = new MeasurementRepo(t.db, t.deps);
    const first = await repo.insert({ childId, measuredOn: '2024-07-10', weightKg: 7.9, lenheiCm: 66.5, position: 'L' });
    expect(first.zlen).not.toBeNull();
    expect(first.status_lfa).not.toBeNull();
    expect(first.age_days).toBe(177);
    const second = await repo.insert({ childId, measuredOn: '2024-08-10', weightKg: 8.0, lenheiCm: 67.5, position: 'L' });
    // +100 g at 6 completed months is below the KBM of 400 g.
    expect(second.weight_gain).toBe('T');
    const engine = t.deps.engine.computeOne({ sex: 1, age: 208, ageUnit: 'days', weight: 8.0, lenhei: 67.5, measure: 'l' });
    expect(second.zwei).toBe(engine.zwei);
    expect(second.zlen).toBe(engine.zlen);
    expect(second.zwfl).toBe(engine.zwfl);
  });

  it('rejects a whole bulk load when one row references a child, desa or posyandu that does not exist', async () => {
    const count = async () => Number((await t.db.selectFrom('measurement').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const good = { kabupatenCode: KOBAR, desaCode: DESA_A, posyanduId, childId, birthDate: '2024-01-15', sex: 1 as const, measuredOn: '2024-09-10', weightKg: 8.2, lenheiCm: 68, position: 'L' as const };
    for (const bad of [{ childId: 987_654 }, { sex: 2 as const }, { desaCode: '62.01.01.9999' }, { posyanduId: 987_654 }]) {
      const err = await loadMeasurements(t.pool, [good, { ...good, measuredOn: '2024-10-10', ...bad }], { source: 'demo', deps: t.deps }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('db_foreign_key_violation');
      expect(await count()).toBe(before);
    }
    const ok = await loadMeasurements(t.pool, [good], { source: 'demo', deps: t.deps });
    expect(ok.rows).toBe(1);
    expect(await count()).toBe(before + 1);
  });
});

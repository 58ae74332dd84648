import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { seedMatrixWorld, type MatrixWorld } from './matrix-world.js';

describe('seedMatrixWorld', () => {
  let t: TestDatabase;
  let world: MatrixWorld;
  beforeAll(async () => {
    t = await createTestDatabase();
    world = await seedMatrixWorld(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('puts every sample row in its own region', async () => {
    for (const [name, s] of Object.entries(world)) {
      const child = await t.db.selectFrom('child').select(['desa_code', 'posyandu_id']).where('id', '=', s.childId).executeTakeFirstOrThrow();
      expect(child, name).toEqual({ desa_code: s.desaCode, posyandu_id: s.posyanduId });
      const m = await t.db.selectFrom('measurement').select('child_id').where('id', '=', s.measurementId).executeTakeFirstOrThrow();
      expect(m.child_id).toBe(s.childId);
      const batch = await t.db.selectFrom('import_batch').select('kabupaten_code').where('id', '=', s.importBatchId).executeTakeFirstOrThrow();
      expect(batch.kabupaten_code).toBe(s.kabupatenCode);
      expect(s.deletableMeasurementIds.length).toBeGreaterThanOrEqual(20);
    }
    expect(world.foreignDesa.kabupatenCode).toBe(world.own.kabupatenCode);
    expect(world.foreignDesa.kecamatanCode).not.toBe(world.own.kecamatanCode);
    expect(world.foreignKabupaten.kabupatenCode).toBe('62.02');
    const catchment = await t.db.selectFrom('facility_catchment').select('desa_code').where('facility_id', '=', world.own.puskesmasId).execute();
    expect(catchment.map((c) => c.desa_code)).toEqual([world.own.desaCode]);
  });
});

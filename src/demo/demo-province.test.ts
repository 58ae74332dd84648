import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegionsCsv, loadRegions, defaultRegionFiles } from '../reference/regions.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { loadDemoInputs } from './demo-inputs.js';
import { loadProvinceDemo } from './demo.loader.js';
import { districtSeed, planProvince, PROVINCE_DEFAULT_CHILDREN } from './demo-province.js';

const KALTENG = join(defaultRegionFiles().regions, '..', 'kalteng-regions.csv');
const inputs = loadDemoInputs(KALTENG);

describe('planProvince (Kalimantan Tengah)', () => {
  const plan = planProvince({ ...inputs, provinceCode: '62' });

  it('has the 13 kabupaten and 1 kota of the regions file, each with its real kecamatan and villages', () => {
    expect(plan.map((d) => d.kabupatenCode)).toEqual([
      '62.01', '62.02', '62.03', '62.04', '62.05', '62.06', '62.07', '62.08', '62.09', '62.10', '62.11', '62.12', '62.13', '62.71',
    ]);
    expect(plan.find((d) => d.kabupatenCode === '62.71')?.name).toBe('Kota Palangkaraya');
    expect(plan.reduce((s, d) => s + d.kecamatan, 0)).toBe(136);
    expect(plan.reduce((s, d) => s + d.villages, 0)).toBe(1571);
    // Kobar as in kobar-regions.csv: 6 kecamatan, 94 desa/kelurahan.
    expect(plan[0]).toMatchObject({ kabupatenCode: '62.01', kecamatan: 6, villages: 94 });
  });

  it('shares the children out by villages, summing exactly, each district with its own seed', () => {
    expect(plan.reduce((s, d) => s + (d.options.children as number), 0)).toBe(PROVINCE_DEFAULT_CHILDREN);
    const perVillage = plan.map((d) => (d.options.children as number) / d.villages);
    expect(Math.max(...perVillage) - Math.min(...perVillage)).toBeLessThan(1);
    expect(new Set(plan.map((d) => d.options.seed)).size).toBe(14);
    expect(plan[0].options.seed).toBe(districtSeed(6201, '62.01'));
    expect(plan[0].options.seed).toBe(620101);
  });

  it('refuses a province without districts, and fewer children than districts', () => {
    expect(() => planProvince({ ...inputs, provinceCode: '63' })).toThrow(/no district/);
    expect(() => planProvince({ ...inputs, provinceCode: '62', children: 5 })).toThrow(/at least one per district/);
  });
});

describe('loadProvinceDemo (embedded PostgreSQL)', () => {
  let t: TestDatabase;
  const plan = planProvince({ ...inputs, provinceCode: '62', children: 1400, months: 3, seed: 7, batchSize: 2000 });

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.transaction().execute((trx) => loadRegions(trx, readRegionsCsv(KALTENG)));
  });
  afterAll(async () => t?.close());

  it('loads all 14 districts in their own real villages, and keeps every index of the partitions valid', async () => {
    const result = await loadProvinceDemo({ pool: t.pool, nik: t.nik }, '62', plan.map((d) => ({ ...d.options, deps: t.deps })));
    expect(result.rows.child).toBeGreaterThan(1400);
    const perKab = await sql<{ kab: string; children: number; foreign: number; unknown: number }>`
      SELECT c.kabupaten_code AS kab, count(*)::int AS children,
        count(*) FILTER (WHERE left(c.desa_code, 5) <> c.kabupaten_code)::int AS foreign,
        count(*) FILTER (WHERE r.code IS NULL)::int AS unknown
      FROM child c LEFT JOIN region r ON r.code = c.desa_code AND r.level IN ('desa', 'kelurahan')
      GROUP BY 1 ORDER BY 1`.execute(t.db);
    expect(perKab.rows.map((r) => r.kab)).toEqual(plan.map((d) => d.kabupatenCode));
    expect(perKab.rows.every((r) => r.foreign === 0 && r.unknown === 0 && r.children > 0)).toBe(true);
    // Measurements and services of every district, in month partitions (nothing waits in DEFAULT).
    const m = await sql<{ kabs: number; in_default: number }>`
      SELECT count(DISTINCT kabupaten_code)::int AS kabs, count(*) FILTER (WHERE tableoid = 'measurement_default'::regclass)::int AS in_default
      FROM measurement`.execute(t.db);
    expect(m.rows[0]).toEqual({ kabs: 14, in_default: 0 });
    const notValid = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`.execute(t.db);
    expect(notValid.rows[0].n).toBe(0);
    const partIdx = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'measurement_p2025_10'`.execute(t.db);
    expect(partIdx.rows[0].n).toBe(4);
    // One list of CSR partners for the installation; facility codes unique across districts.
    const partners = await sql<{ n: number; names: number }>`SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM partner`.execute(t.db);
    expect(partners.rows[0].n).toBe(partners.rows[0].names);
    const rollups = await sql<{ kabs: number }>`SELECT count(DISTINCT kabupaten_code)::int AS kabs FROM rollup_desa_month WHERE measured > 0`.execute(t.db);
    expect(rollups.rows[0].kabs).toBe(14);
    const setting = await sql<{ value: string }>`SELECT value FROM app_setting WHERE key = 'demo'`.execute(t.db);
    const demo = JSON.parse(setting.rows[0].value) as { province: string; districts: { kabupatenCode: string }[]; faults: { faultId: number }[] };
    expect(demo.province).toBe('62');
    expect(demo.districts).toHaveLength(14);
    expect(new Set(demo.faults.map((f) => f.faultId)).size).toBe(demo.faults.length);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../demo/demo-inputs.js';
import { loadDemo } from '../demo/demo.loader.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { districtSummary } from './district-summary.service.js';

describe('districtSummary (what npm start prints)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is null while no child has been measured', async () => {
    expect(await districtSummary(t.db)).toBeNull();
  });

  it('sums the latest month of the rollups for the district and each kecamatan', async () => {
    await loadDemo(t, { ...loadDemoInputs(), children: 800, months: 3, seed: 5, endMonth: '2025-10' });
    const s = await districtSummary(t.db);
    expect(s).not.toBeNull();
    if (!s) return;
    expect(s.kabupatenCode).toBe('62.01');
    expect(s.kabupatenName).toBe('Kabupaten Kotawaringin Barat');
    expect(s.month).toBe('2025-10');
    expect(s.synthetic).toBe(true);

    const raw = await sql<{ kec: string; registered: number; measured: number; stunted: number; denom: number }>`
      SELECT left(desa_code, 8) AS kec, sum(registered)::int AS registered, sum(measured)::int AS measured,
             sum(stunted)::int AS stunted, sum(stunting_denom)::int AS denom
      FROM rollup_desa_month WHERE month = DATE '2025-10-01' GROUP BY 1 ORDER BY 1`.execute(t.db);
    const total = raw.rows.reduce(
      (a, r) => ({ registered: a.registered + r.registered, measured: a.measured + r.measured, stunted: a.stunted + r.stunted, denom: a.denom + r.denom }),
      { registered: 0, measured: 0, stunted: 0, denom: 0 },
    );
    expect(total.measured).toBeGreaterThan(0);
    expect(s.district.registered).toBe(total.registered);
    expect(s.district.measured).toBe(total.measured);
    expect(s.district.numerator).toBe(total.stunted);
    expect(s.district.denominator).toBe(total.denom);
    expect(s.district.prevalence).toBeCloseTo(total.stunted / total.denom, 12);
    expect(s.district.coverage).toBeCloseTo(total.measured / total.registered, 12);

    // Kecamatan rows are sums of their desa (never averages of percentages) and add up to the district.
    expect(s.byKecamatan.map((k) => k.code)).toEqual(raw.rows.filter((r) => r.denom > 0 || r.measured > 0).map((r) => r.kec));
    for (const k of s.byKecamatan) {
      const r = raw.rows.find((x) => x.kec === k.code);
      expect(k.stunting.numerator).toBe(r?.stunted);
      expect(k.stunting.denominator).toBe(r?.denom);
    }
    expect(s.byKecamatan.reduce((a, k) => a + k.stunting.numerator, 0)).toBe(total.stunted);
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE, type AccessScope } from '../auth/access.js';
import { loadDemoInputs } from '../demo/demo-inputs.js';
import { planProvince } from '../demo/demo-province.js';
import { loadProvinceDemo } from '../demo/demo.loader.js';
import { defaultRegionFiles, loadRegions, readRegionsCsv } from '../reference/regions.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { parsePeriod } from './periods.js';
import { alertCounts } from './alerts.service.js';
import { runAnalyticsJob } from './analytics.job.js';
import { regionPrevalence } from './prevalence.service.js';
import { provinceDashboard, provincePrevalence } from './province.service.js';
import { sumCounts } from './routine-prevalence.js';

const KALTENG = join(defaultRegionFiles().regions, '..', 'kalteng-regions.csv');
let t: TestDatabase;
const months = ['2025-08', '2025-09', '2025-10'].map((m) => parsePeriod('month', m));

const scope = (role: AccessScope['role'], regionCodes: string[] | null): AccessScope => ({ ...SYSTEM_SCOPE, userId: 1, username: role, role, regionCodes });

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction().execute((trx) => loadRegions(trx, readRegionsCsv(KALTENG)));
  const inputs = loadDemoInputs(KALTENG);
  const plan = planProvince({ ...inputs, provinceCode: '62', children: 1400, months: 3, seed: 5, batchSize: 2000 });
  await loadProvinceDemo({ pool: t.pool, nik: t.nik }, '62', plan.map((d) => ({ ...d.options, deps: t.deps })));
});
afterAll(async () => t?.close());

describe('province aggregation', () => {
  it('gives each district the figure of the district service, and the province the sum of its districts', async () => {
    const result = await provincePrevalence(t.db, '62', 'stunting', months);
    expect(result.districts).toHaveLength(14 * 3);
    for (const m of months) {
      const rows = result.districts.filter((d) => d.period.start === m.start);
      for (const d of rows) {
        const [own] = await regionPrevalence(t.db, d.kabupatenCode, d.kabupatenCode, 'stunting', [m]);
        expect({ n: d.numerator, d: d.denominator, s: d.registered, m: d.measured, f: d.flaggedExcluded }, d.kabupatenCode)
          .toEqual({ n: own.numerator, d: own.denominator, s: own.registered, m: own.measured, f: own.flaggedExcluded });
      }
      const province = result.province.find((p) => p.period.start === m.start);
      const sum = sumCounts(rows);
      expect(province).toMatchObject({ ...sum, districtsReporting: 14 });
      expect(province?.measured).toBeGreaterThan(0);
      // A ratio of sums, not an average of the districts' percentages.
      expect(province?.prevalence).toBeCloseTo(sum.numerator / sum.denominator, 12);
    }
  });

  it('shows a provinsi account every district, a district account only its own', async () => {
    const all = await provinceDashboard(t.db, { provinceCode: '62', periods: months, indicator: 'wasting', alertMonth: '2025-10', scope: scope('provinsi', ['62']) });
    expect(all.districts).toHaveLength(14);
    expect(all.alerts).toHaveLength(14);
    const own = await provinceDashboard(t.db, { provinceCode: '62', periods: months, indicator: 'wasting', alertMonth: '2025-10', scope: scope('tpps', ['62.02']) });
    expect(own.districts.map((d) => d.code)).toEqual(['62.02']);
    const kotim = all.prevalence.districts.filter((d) => d.kabupatenCode === '62.02');
    expect(own.prevalence.province.map((p) => p.measured)).toEqual(kotim.map((d) => d.measured));
    await expect(provincePrevalence(t.db, '63', 'stunting', months, scope('provinsi', ['62']))).rejects.toThrow();
  });

  it('counts each district\'s alerts as the district alert service does', async () => {
    for (const kab of ['62.01', '62.71']) await runAnalyticsJob(t.db, kab, { years: [] });
    const dash = await provinceDashboard(t.db, { provinceCode: '62', periods: months, indicator: 'stunting', alertMonth: '2025-10' });
    for (const kab of ['62.01', '62.71', '62.05']) {
      const perDesa = await alertCounts(t.db, kab, '2025-10', 'desa');
      const mine = dash.alerts.find((a) => a.kabupatenCode === kab);
      expect(mine?.total, kab).toBe(perDesa.reduce((s, a) => s + a.total, 0));
      expect(mine?.open, kab).toBe(perDesa.reduce((s, a) => s + a.open, 0));
    }
    expect(dash.alerts.find((a) => a.kabupatenCode === '62.01')?.total).toBeGreaterThan(0);
    expect(dash.alerts.find((a) => a.kabupatenCode === '62.05')?.total).toBe(0);
  });
});

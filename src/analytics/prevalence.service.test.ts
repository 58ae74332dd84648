import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAllRollups } from '../db/rollup.js';
import { addPosyandu, DESA_A, DESA_B, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { addChild, addMeasurement } from './analytics-test-data.js';
import { rebuildPeriodRollups } from './period-rollup.job.js';
import { parsePeriod, periodsBetween } from './periods.js';
import { readDefaultAnalyticsConfig } from './analytics-config.schema.js';
import { alertCounts } from './alerts.service.js';
import { kabupatenDashboard } from './dashboard.service.js';
import { regionPrevalence, routinePrevalenceRows } from './prevalence.service.js';
import { priorityReport } from './priority.service.js';
import { skdnByPosyandu, skdnCounts, skdnRatios, sumSkdn } from './skdn.service.js';
import { monthlyTrend } from './trends.service.js';

let t: TestDatabase;
let posA: number;
let posB: number;

/** n children of a desa measured on `on`, `stunted` of them with HAZ −2.5, the rest −0.5. */
async function cohort(desa: string, posyandu: number, n: number, stunted: number, on: string, extra: Partial<Parameters<typeof addMeasurement>[1]> = {}) {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = await addChild(t.db, { desaCode: desa, posyanduId: posyandu, birthDate: '2023-06-01' });
    await addMeasurement(t.db, { childId: id, measuredOn: on, zlen: i < stunted ? -2.5 : -0.5, ...extra });
    ids.push(id);
  }
  return ids;
}

beforeAll(async () => {
  t = await createTestDatabase();
  posA = await addPosyandu(t.db, DESA_A, 'Posyandu A');
  posB = await addPosyandu(t.db, DESA_B, 'Posyandu B');
  // March 2025: desa A 2 of 10 stunted, desa B 8 of 10 stunted (both in kecamatan Kumai 62.01.01).
  await cohort(DESA_A, posA, 10, 2, '2025-03-10');
  await cohort(DESA_B, posB, 10, 8, '2025-03-12');
  // One child of A with a flagged HAZ in March; two registered children of A never measured.
  const flagged = await addChild(t.db, { desaCode: DESA_A, posyanduId: posA, birthDate: '2023-06-01' });
  await addMeasurement(t.db, { childId: flagged, measuredOn: '2025-03-15', zlen: -7, flen: 1 });
  await addChild(t.db, { desaCode: DESA_A, posyanduId: posA, birthDate: '2023-06-01' });
  await addChild(t.db, { desaCode: DESA_A, posyanduId: posA, birthDate: '2023-06-01' });
  // A child of B stunted in January, recovered by its latest measurement of Q1 (March).
  const recovered = await addChild(t.db, { desaCode: DESA_B, posyanduId: posB, birthDate: '2023-06-01' });
  await addMeasurement(t.db, { childId: recovered, measuredOn: '2025-01-20', zlen: -2.4 });
  await addMeasurement(t.db, { childId: recovered, measuredOn: '2025-03-20', zlen: -1.8 });
  // March 2024 for the change against last year: desa A 1 of 4, desa B 3 of 36.
  await cohort(DESA_A, posA, 4, 1, '2024-03-10');
  await cohort(DESA_B, posB, 36, 3, '2024-03-10');
  await t.db.transaction().execute((trx) => rebuildAllRollups(trx));
  await rebuildPeriodRollups(t.db, KOBAR);
});

afterAll(async () => t?.close());

const march = [parsePeriod('month', '2025-03')];

describe('routine prevalence from the rollups', () => {
  it('desa rows: numerator, denominator, S, D, D/S, flagged-excluded and the Wilson 95 % interval', async () => {
    const rows = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: march });
    const a = rows.find((r) => r.code === DESA_A);
    // Desa A in March: 10 measured + 1 flagged = D 11; S = 13 (two never measured; the 2024 cohort counts too: 4 more).
    expect(a).toMatchObject({ numerator: 2, denominator: 10, measured: 11, flaggedExcluded: 1, registered: 17, name: 'Candi' });
    expect(a?.coverage).toBeCloseTo(11 / 17, 12);
    // Wilson 95 % for 2/10, by hand: centre (0.2 + 3.841459/20)/(1 + 3.841459/10) = 0.283260,
    // half (1.959964/1.3841459)·√(0.016 + 3.841459/400) = 0.226578.
    expect(a?.ciLow).toBeCloseTo(0.056682, 5);
    expect(a?.ciHigh).toBeCloseTo(0.509838, 5);
    const b = rows.find((r) => r.code === DESA_B);
    // 8 of 10 plus the recovered child's March value (−1.8): 8 of 11.
    expect(b).toMatchObject({ numerator: 8, denominator: 11 });
  });

  it('kecamatan and kabupaten rates are sums of counts, not averages of desa percentages', async () => {
    const rows = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'kecamatan', indicator: 'stunting', periods: [parsePeriod('month', '2024-03')] });
    expect(rows).toHaveLength(1);
    // 1/4 and 3/36: 4/40 = 10 %, where the mean of 25 % and 8.3 % would say 16.7 %.
    expect(rows[0]).toMatchObject({ code: '62.01.01', numerator: 4, denominator: 40, prevalence: 0.1 });
  });

  it('a region\'s trend sums its desa in SQL: kecamatan, one desa, the kabupaten, and an empty month', async () => {
    const periods = [parsePeriod('month', '2024-03'), parsePeriod('month', '2025-02'), parsePeriod('month', '2025-03')];
    const kec = await regionPrevalence(t.db, KOBAR, '62.01.01', 'stunting', periods);
    expect(kec.map((p) => [p.numerator, p.denominator])).toEqual([[4, 40], [0, 0], [10, 21]]); // March: A 2/10 + B 8/10 + B's recovered child 0/1
    const desaA = await regionPrevalence(t.db, KOBAR, DESA_A, 'stunting', periods);
    expect(desaA.map((p) => [p.numerator, p.denominator, p.flaggedExcluded])).toEqual([[1, 4, 0], [0, 0, 0], [2, 10, 1]]);
    const kab = await regionPrevalence(t.db, KOBAR, KOBAR, 'stunting', periods);
    expect(kab.map((p) => p.measured)).toEqual(kec.map((p) => p.measured));
  });

  it('shrinks desa rates toward their kecamatan (empirical Bayes, hand-computed)', async () => {
    const one = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: [parsePeriod('month', '2024-03')] });
    // 1/4 and 3/36: μ = 0.1; Σn(p−μ)² = 4(0.15)² + 36(0.0166…)² = 0.1; τ² = (0.1 − 0.09)/(40 − 1312/40) = 0.01/7.2;
    // M = 0.09/τ² − 1 = 63.8 > Σn = 40, so M is capped at 40 (α = 4, β = 36):
    // desa A (1 + 4)/(4 + 40) = 5/44, pulled 40/44 of the way; desa B (3 + 4)/(36 + 40) = 7/76.
    const a = one.find((r) => r.code === DESA_A);
    expect(a?.prevalence).toBe(0.25);
    expect(a?.shrunk?.rate).toBeCloseTo(5 / 44, 12);
    expect(a?.shrunk?.shrinkage).toBeCloseTo(40 / 44, 12);
    expect(a?.shrunk?.parentRate).toBeCloseTo(0.1, 12);
    expect(one.find((r) => r.code === DESA_B)?.shrunk?.rate).toBeCloseTo(7 / 76, 12);
    // March 2025, 2/10 and 8/11: μ = 10/21; τ² > 0 and M below the cap, so the prior comes from the spread.
    const mar = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: march });
    const mu = 10 / 21;
    const ss = 10 * (0.2 - mu) ** 2 + 11 * (8 / 11 - mu) ** 2;
    const tau2 = (ss - mu * (1 - mu)) / (21 - (100 + 121) / 21);
    const m = (mu * (1 - mu)) / tau2 - 1;
    expect(mar.find((r) => r.code === DESA_A)?.shrunk?.rate).toBeCloseTo((2 + mu * m) / (10 + m), 12);
    // A grid of several periods gives the same shrunk rates, without the (costly) intervals.
    const grid = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: [parsePeriod('month', '2024-03'), ...march] });
    const gridA = grid.find((r) => r.code === DESA_A && r.period.label === '2025-03');
    expect(gridA?.shrunk?.rate).toBeCloseTo((2 + mu * m) / (10 + m), 12);
    expect(gridA?.shrunk?.low).toBeNull();
    expect(mar.find((r) => r.code === DESA_A)?.shrunk?.low).toBeGreaterThan(0);
  });

  it('a quarter counts each child once, at its latest measurement in the quarter', async () => {
    const q1 = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: [parsePeriod('quarter', '2025-Q1')] });
    const b = q1.find((r) => r.code === DESA_B);
    expect(b).toMatchObject({ numerator: 8, denominator: 11, measured: 11 });
    const jan = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: [parsePeriod('month', '2025-01')] });
    expect(jan.find((r) => r.code === DESA_B)).toMatchObject({ numerator: 1, denominator: 1 });
    const year = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'kabupaten', indicator: 'stunting', periods: [parsePeriod('year', '2025')] });
    expect(year[0]).toMatchObject({ code: KOBAR, numerator: 10, denominator: 21, measured: 22, flaggedExcluded: 1 });
  });

  it('bulan penimbangan reads February/August months; posyandu rows carry their desa', async () => {
    const feb = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'posyandu', indicator: 'stunting', periods: [parsePeriod('bpb', '2025-02')] });
    // Children are registered in February but nobody was measured: S without D, no rate.
    expect(feb.map((r) => [r.name, r.measured, r.prevalence])).toEqual([['Posyandu A', 0, null], ['Posyandu B', 0, null]]);
    const rows = await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'posyandu', indicator: 'stunting', periods: march, within: DESA_A });
    expect(rows.map((r) => [r.name, r.parentCode, r.numerator, r.denominator])).toEqual([['Posyandu A', DESA_A, 2, 10]]);
  });

  it('monthly trend with the change against the same month last year (Newcombe interval)', async () => {
    const trend = await monthlyTrend(t.db, KOBAR, DESA_A, 'stunting', '2025-02', '2025-03');
    expect(trend.map((p) => p.period.label)).toEqual(['2025-02', '2025-03']);
    expect(trend[0].change).toBeNull();
    const m = trend[1];
    expect(m.lastYear).toMatchObject({ numerator: 1, denominator: 4 });
    expect(m.change?.difference).toBeCloseTo(0.2 - 0.25, 12);
    expect(m.change?.low).toBeLessThan(-0.05);
    expect(m.change?.high).toBeGreaterThan(0);
  });
});

describe('the kabupaten dashboard query set', () => {
  it('answers the grid, the alert counts and the priority index at once, as each service alone', async () => {
    const months = periodsBetween('month', '2025-01-01', '2025-03-01');
    const config = readDefaultAnalyticsConfig();
    const d = await kabupatenDashboard(t.db, { kabupatenCode: KOBAR, months, indicator: 'stunting', alertMonth: '2025-03', year: 2025, config });
    expect(d.prevalence).toEqual(await routinePrevalenceRows(t.db, { kabupatenCode: KOBAR, level: 'desa', indicator: 'stunting', periods: months }));
    const march = d.prevalence.filter((r) => r.period.label === '2025-03');
    // B in March: 8 of the cohort of 10 stunted, plus the recovered child (HAZ −1.8): 8 of 11.
    expect(march.find((r) => r.code === DESA_B)).toMatchObject({ numerator: 8, denominator: 11 });
    expect(d.alerts).toEqual(await alertCounts(t.db, KOBAR, '2025-03', 'desa'));
    expect(d.priority.rows.map((r) => [r.desaCode, r.rank])).toEqual((await priorityReport(t.db, KOBAR, 2025, config)).rows.map((r) => [r.desaCode, r.rank]));
  });
});

describe('SKDN and the N/D convention', () => {
  it('N/D over children weighed this and last month (N + T), or over D, as configured', () => {
    const row = { registered: 40, measured: 30, weight_up: 18, weight_gain_denom: 24, two_t: 2 };
    const both = skdnCounts(row, 'weighed_both_months');
    expect(both).toEqual({ S: 40, K: 40, D: 30, N: 18, ndDenominator: 24, twoT: 2 });
    expect(skdnRatios(both)).toEqual({ KS: 1, DS: 0.75, ND: 0.75, NS: 0.45 });
    expect(skdnRatios(skdnCounts(row, 'weighed_this_month')).ND).toBe(0.6);
    expect(skdnRatios(skdnCounts({ ...row, registered: 0, measured: 0, weight_up: 0, weight_gain_denom: 0 }, 'weighed_both_months'))).toEqual({ KS: null, DS: null, ND: null, NS: null });
    expect(sumSkdn([both, both])).toMatchObject({ S: 80, N: 36, ndDenominator: 48, ND: 0.75 });
  });

  it('per posyandu from the month rollup', async () => {
    const id = await addChild(t.db, { desaCode: DESA_A, posyanduId: posA, birthDate: '2024-01-01' });
    await addMeasurement(t.db, { childId: id, measuredOn: '2025-04-05', weightGain: 'N' });
    const id2 = await addChild(t.db, { desaCode: DESA_A, posyanduId: posA, birthDate: '2024-01-01' });
    await addMeasurement(t.db, { childId: id2, measuredOn: '2025-04-06', weightGain: 'O' });
    await t.db.transaction().execute((trx) => rebuildAllRollups(trx));
    const [row] = await skdnByPosyandu(t.db, KOBAR, parsePeriod('month', '2025-04'), 'weighed_both_months', DESA_A);
    expect(row).toMatchObject({ posyanduName: 'Posyandu A', D: 2, N: 1, ndDenominator: 1, ND: 1 });
    expect(periodsBetween('month', '2025-01-01', '2025-04-01')).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import { aggregateRoutine, routinePrevalence, sumCounts, type RoutineCounts } from './routine-prevalence.js';
import { wilsonInterval } from './wilson.js';

const desa = (kecamatan: string, numerator: number, denominator: number, registered: number, measured: number, flaggedExcluded = 0) => ({
  kecamatan,
  counts: { numerator, denominator, registered, measured, flaggedExcluded } satisfies RoutineCounts,
});

describe('routine prevalence', () => {
  it('adds numerators and denominators, never averages percentages', () => {
    const units = [desa('Arut Selatan', 1, 2, 3, 2), desa('Arut Selatan', 10, 100, 120, 101, 1)];
    const k = aggregateRoutine(units, (u) => u.kecamatan, (u) => u.counts).get('Arut Selatan');
    expect(k?.numerator).toBe(11);
    expect(k?.denominator).toBe(102);
    expect(k?.prevalence).toBeCloseTo(11 / 102, 15); // 10.8 %, not (50 % + 10 %) / 2 = 30 %
    expect(k?.prevalence).not.toBeCloseTo(0.3, 2);
    expect(k?.coverage).toBeCloseTo(103 / 123, 15);
    expect(k?.flaggedExcluded).toBe(1);
    const ci = wilsonInterval(11, 102);
    expect([k?.ciLow, k?.ciHigh]).toEqual([ci.low, ci.high]);
  });

  it('rolls several parents separately and skips units without a parent', () => {
    const out = aggregateRoutine(
      [desa('A', 1, 10, 10, 10), desa('B', 2, 10, 12, 10), desa('A', 3, 10, 10, 10), { kecamatan: null, counts: desa('x', 5, 5, 5, 5).counts }],
      (u) => u.kecamatan,
      (u) => u.counts,
    );
    expect([...out.keys()].sort()).toEqual(['A', 'B']);
    expect(out.get('A')?.prevalence).toBeCloseTo(0.2, 15);
    expect(out.get('B')?.coverage).toBeCloseTo(10 / 12, 15);
  });

  it('flags D > S instead of hiding a coverage above 100 %', () => {
    const r = routinePrevalence(desa('A', 0, 30, 25, 31).counts);
    expect(r.coverage).toBeCloseTo(1.24, 15);
    expect(r.coverageAboveRegistered).toBe(true);
    expect(routinePrevalence(desa('A', 0, 0, 0, 0).counts)).toMatchObject({ prevalence: null, coverage: null });
  });

  it('rejects counts that cannot be counts', () => {
    expect(() => routinePrevalence(desa('A', 5, 4, 10, 4).counts)).toThrow(RangeError);
    expect(() => sumCounts([desa('A', 1.5, 4, 10, 4).counts])).toThrow(RangeError);
    expect(sumCounts([desa('A', 1, 4, 10, 4).counts, desa('A', 2, 5, 6, 5, 1).counts])).toEqual({
      numerator: 3,
      denominator: 9,
      registered: 16,
      measured: 9,
      flaggedExcluded: 1,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { civilFromDays, dayInMonth, daysFromCivil, isoDate, monthLabel, parseIsoDate, parseMonthLabel } from './demo-dates.js';
import { normalCdf } from '../common/distributions.js';
import { demoReferenceFromWhoTables, lmsInverse, lmsZ } from './demo-growth.js';
import { spellingVariant } from './demo-names.js';
import { apportion, expectedStuntingPrevalence, hazMeanForPrevalence, planDemo } from './demo-plan.js';
import { Rng } from './prng.js';
import { readWhoTables } from '../reference/who-tables.js';
import { loadDemoInputs } from './demo-inputs.js';

describe('demo dates', () => {
  it('round-trips calendar dates, leap days included', () => {
    for (const iso of ['1970-01-01', '2024-02-29', '2025-10-31', '2000-03-01', '1999-12-31']) {
      expect(isoDate(parseIsoDate(iso))).toBe(iso);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(daysFromCivil(2025, 11, 27))).toEqual([2025, 11, 27]);
    expect(monthLabel(parseMonthLabel('2025-10'))).toBe('2025-10');
    expect(isoDate(dayInMonth(parseMonthLabel('2025-02'), 31))).toBe('2025-02-28');
  });
});

describe('demo growth', () => {
  const ref = demoReferenceFromWhoTables(readWhoTables());
  it('inverts the WHO LMS transformation (median at z = 0, back to z)', () => {
    expect(lmsInverse(ref.lengthHeightForAge[0], 0, 0)).toBeCloseTo(49.8842, 4);
    expect(lmsInverse(ref.weightForAge[1], 0, 0)).toBeCloseTo(3.2322, 4);
    for (const z of [-3, -2, -0.5, 1, 2.5]) {
      const x = lmsInverse(ref.weightForLength[0], 75.3, z);
      expect(lmsZ(ref.weightForLength[0], 75.3, x)).toBeCloseTo(z, 9);
    }
    expect(normalCdf(-2)).toBeCloseTo(0.02275, 4);
  });

  it('solves the village HAZ mean for a target stunting prevalence', () => {
    for (const p of [0.05, 0.2, 0.35]) expect(expectedStuntingPrevalence(hazMeanForPrevalence(p))).toBeCloseTo(p, 6);
    expect(hazMeanForPrevalence(0.05)).toBeGreaterThan(hazMeanForPrevalence(0.35));
  });
});

describe('demo plan', () => {
  it('apportions totals exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.2, 5, 1]).reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('plants the faults in distinct, named posyandu, independent of the number of children', () => {
    const inputs = loadDemoInputs();
    const a = planDemo({ ...inputs, children: 1000 }).faults;
    const b = planDemo({ ...inputs, children: 50_000 }).faults;
    expect(a).toEqual(b);
    expect(new Set(a.map((f) => f.posyanduId)).size).toBe(a.length);
    expect(a.length).toBe(7);
  });

  it('rejects unusable options', () => {
    const inputs = loadDemoInputs();
    expect(() => planDemo({ ...inputs, children: 0 })).toThrow();
    expect(() => planDemo({ ...inputs, months: 0 })).toThrow();
    expect(() => planDemo({ ...inputs, endMonth: '2025-13' })).toThrow();
  });
});

describe('spelling variants', () => {
  it('always differ from the name and stay close to it', () => {
    const r = new Rng(5);
    for (const name of ['Muhammad Rizki', 'Siti Aisyah', 'Nur Fadhila', 'Dimas', 'Bima Pratama', 'Yasmin']) {
      const v = spellingVariant(r, name);
      expect(v).not.toBe(name);
      expect(v.length).toBeGreaterThan(0);
    }
  });
});

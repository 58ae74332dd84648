import { describe, expect, it } from 'vitest';
import { ageHeaping, ageRatioFromCounts, ageRatioTest, sexRatioTest } from './age-sex-tests.js';
import { chiSquareUpper } from '../common/distributions.js';

describe('sex-ratio test (DATA-QUALITY.md §3)', () => {
  it('gives p = 1 for balanced sexes', () => {
    const sex = Array.from({ length: 200 }, (_, i) => 1 + (i % 2));
    const r = sexRatioTest(sex);
    expect(r.pM).toBe(0.5);
    expect(r.X2).toBe(0);
    expect(r.p).toBe(1);
  });

  it('applies Yates’ correction: 70 boys of 100 → X² = 2·(20 − 0.5)²/50', () => {
    const sex = [...Array(70).fill(1), ...Array(30).fill(2)];
    const r = sexRatioTest(sex);
    expect(r.X2).toBeCloseTo((2 * 19.5 ** 2) / 50, 12);
    expect(r.p).toBe(chiSquareUpper(r.X2, 1));
    expect(r.p).toBeLessThan(0.001);
  });

  it('caps the correction at |x − n·p| and ignores missing codes', () => {
    // 5 boys, 6 girls: |5 − 5.5| = 0.5 → correction 0.5 → X² = 0.
    const r = sexRatioTest([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0]);
    expect(r.male).toBe(5);
    expect(r.female).toBe(6);
    expect(r.X2).toBe(0);
    expect(r.p).toBe(1);
  });

  it('tests against a census ratio when given', () => {
    const sex = [...Array(52).fill(1), ...Array(48).fill(2)];
    expect(sexRatioTest(sex, 52, 48).X2).toBe(0);
    expect(sexRatioTest(sex, 52, 48).eM).toBe(0.52);
  });
});

describe('age-ratio test (DATA-QUALITY.md §2)', () => {
  it('uses floored ages 6–59 months, 6–29 counted as young', () => {
    const r = ageRatioTest([5.99, 6, 29.99, 30, 59.99, 60, NaN]);
    expect(r.n).toBe(4);
    expect(r.young).toBe(2);
    expect(r.observedP).toBe(0.5);
    expect(r.observedR).toBe(1);
  });

  it('expects 0.85 : 1, i.e. 45.9 % young, and is not significant when met', () => {
    const r = ageRatioFromCounts(85, 185);
    expect(r.expectedP).toBe(0.85 / 1.85);
    expect(r.observedR).toBeCloseTo(0.85, 12);
    expect(r.X2).toBe(0);
    expect(r.p).toBe(1);
  });

  it('is highly significant when older children are missing', () => {
    const r = ageRatioFromCounts(150, 200);
    expect(r.observedR).toBe(3);
    expect(r.p).toBeLessThan(1e-10);
  });

  it('is empty (NaN) without children 6–59 months', () => {
    const r = ageRatioTest([1, 2, 3]);
    expect(r.n).toBe(0);
    expect(Number.isNaN(r.p)).toBe(true);
  });
});

describe('age heaping (DATA-QUALITY.md §2)', () => {
  it('finds ages rounded to whole years', () => {
    const ages = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 12 * (1 + (i % 4)) : 6 + (i % 54)));
    const r = ageHeaping(ages);
    expect(r.counts[0]).toBeGreaterThanOrEqual(40);
    expect(r.df).toBe(11);
    expect(r.p).toBeLessThan(1e-10);
  });

  it('gives X² = 0, p = 1 for a flat spread of remainders', () => {
    const ages = Array.from({ length: 48 }, (_, i) => 6 + i + 0.4);
    const r = ageHeaping(ages);
    expect(r.counts).toEqual(Array(12).fill(4));
    expect(r.X2).toBe(0);
    expect(r.p).toBe(1);
  });

  it('supports half-year heaping with divisor 6', () => {
    const r = ageHeaping([6, 12, 18, 24, 7, 9], 6);
    expect(r.counts).toEqual([4, 1, 0, 1, 0, 0]);
    expect(r.df).toBe(5);
  });
});

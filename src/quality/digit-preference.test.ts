import { describe, expect, it } from 'vitest';
import { digitPreference, digitPreferenceFromCounts, dpsClassOf, finalDigit } from './digit-preference.js';

describe('finalDigit (printf "%.*f", glibc ties to even)', () => {
  it('takes the last digit at the analysed precision', () => {
    expect(finalDigit(14.5, 1)).toBe(5);
    expect(finalDigit(100, 1)).toBe(0); // 100 is written 100.0
    expect(finalDigit(84.37, 1)).toBe(4);
    expect(finalDigit(142, 0)).toBe(2);
    expect(finalDigit(-3.21, 1)).toBe(2);
    expect(finalDigit(0.96, 1)).toBe(0); // 1.0
  });

  it('rounds the exact binary value: 0.15 is below the half, 0.35 above it', () => {
    expect(finalDigit(0.15, 1)).toBe(1); // 0.1499999999999999944…
    expect(finalDigit(0.35, 1)).toBe(3); // 0.3499999999999999778…
    expect(finalDigit(2.675, 2)).toBe(7); // 2.67499999999999982…
  });

  it('sends exact ties to the even digit, unlike toFixed', () => {
    expect((12.25).toFixed(1)).toBe('12.3');
    expect(finalDigit(12.25, 1)).toBe(2);
    expect(finalDigit(12.75, 1)).toBe(8);
    expect(finalDigit(142.5, 0)).toBe(2);
    expect(finalDigit(143.5, 0)).toBe(4);
  });

  it('ignores missing values', () => {
    expect(finalDigit(NaN, 1)).toBe(-1);
    expect(finalDigit(Infinity, 1)).toBe(-1);
  });
});

describe('digit preference score (DATA-QUALITY.md §1)', () => {
  it('is 100 and Problematic when every weight ends in .0', () => {
    const r = digitPreference([8, 9, 10, 11, 12, 13, 14, 15, 9, 10], 1);
    expect(r.counts).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.dps).toBe(100);
    expect(r.dpsClass).toBe('Problematic');
  });

  it('is 0 and Excellent when final digits are perfectly uniform', () => {
    const heights = Array.from({ length: 50 }, (_, i) => 70 + i / 10);
    const r = digitPreference(heights, 1);
    expect(r.counts).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(r.X2).toBe(0);
    expect(r.dps).toBe(0);
    expect(r.dpsClass).toBe('Excellent');
  });

  it('matches the hand calculation: X² = 38/3, DPS = 100·√(X²/(30·9)) = 21.66', () => {
    const r = digitPreferenceFromCounts([3, 0, 2, 2, 2, 7, 1, 4, 4, 5]);
    expect(r.n).toBe(30);
    expect(r.X2).toBeCloseTo(38 / 3, 12);
    expect(r.dps).toBe(21.66);
  });

  it('flags heights rounded to .0 and .5 (half the values on two digits)', () => {
    const heights: number[] = [];
    for (let i = 0; i < 100; i++) heights.push(i % 2 === 0 ? 80 + (i % 4 === 0 ? 0 : 0.5) : 80 + (i % 10) / 10 + 0.01);
    const r = digitPreference(heights, 1);
    expect(r.counts[0] + r.counts[5]).toBeGreaterThanOrEqual(50);
    expect(r.dpsClass).toBe('Problematic');
  });

  it('uses whole millimetres for MUAC (digits = 0) and skips missing values', () => {
    const r = digitPreference([120, 125, 130, NaN, 135, 140], 0);
    expect(r.n).toBe(5);
    expect(r.counts[0]).toBe(3);
    expect(r.counts[5]).toBe(2);
  });

  it('has no score without values', () => {
    const r = digitPreference([NaN], 1);
    expect(r.n).toBe(0);
    expect(Number.isNaN(r.dps)).toBe(true);
    expect(r.dpsClass).toBeNull();
  });

  it('classes at nipnTK’s limits: < 8, < 12, < 20, 20 is Problematic', () => {
    expect(dpsClassOf(7.99)).toBe('Excellent');
    expect(dpsClassOf(8)).toBe('Good');
    expect(dpsClassOf(11.99)).toBe('Good');
    expect(dpsClassOf(12)).toBe('Acceptable');
    expect(dpsClassOf(19.99)).toBe('Acceptable');
    expect(dpsClassOf(20)).toBe('Problematic');
  });
});

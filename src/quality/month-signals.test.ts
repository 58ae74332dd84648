import { describe, expect, it } from 'vitest';
import { binomialUpper, birthDayHeaping, dayOfMonth } from './month-signals.js';

function exactUpper(k: number, n: number, p: number): number {
  let sum = 0;
  for (let x = k; x <= n; x++) {
    let c = 1;
    for (let i = 0; i < x; i++) c = (c * (n - i)) / (i + 1);
    sum += c * p ** x * (1 - p) ** (n - x);
  }
  return sum;
}

describe('binomialUpper', () => {
  it('equals the summed binomial probabilities', () => {
    for (const [k, n, p] of [[3, 25, 0.0657], [10, 25, 0.0657], [1, 5, 0.5], [12, 40, 0.2], [0, 10, 0.3]] as const) {
      expect(binomialUpper(k, n, p)).toBeCloseTo(exactUpper(k, n, p), 12);
    }
  });

  it('handles the edges', () => {
    expect(binomialUpper(0, 10, 0.1)).toBe(1);
    expect(binomialUpper(11, 10, 0.1)).toBe(0);
  });
});

describe('birthDayHeaping', () => {
  it('counts birth dates on the 1st and 15th against 24/365.25', () => {
    const days = [1, 15, 1, 3, 7, 22, 15, 1, 9, 30, NaN];
    const h = birthDayHeaping(days);
    expect(h.n).toBe(10);
    expect(h.heaped).toBe(5);
    expect(h.expectedShare).toBeCloseTo(24 / 365.25, 15);
    expect(h.p).toBeCloseTo(exactUpper(5, 10, 24 / 365.25), 12);
    expect(h.p).toBeLessThan(0.001);
  });

  it('finds nothing unusual in evenly spread birth dates', () => {
    const days = Array.from({ length: 310 }, (_, i) => (i % 31) + 1);
    expect(birthDayHeaping(days).p).toBeGreaterThan(0.05);
  });

  it('reads the day of the month of a day number', () => {
    expect(dayOfMonth(Date.UTC(2024, 1, 29) / 86_400_000)).toBe(29);
    expect(dayOfMonth(Date.UTC(2025, 0, 1) / 86_400_000)).toBe(1);
  });
});

describe('dayOfMonth over many years', () => {
  it('agrees with the calendar for every day from 1960 to 2060', () => {
    for (let d = Date.UTC(1960, 0, 1) / 86_400_000; d < Date.UTC(2060, 0, 1) / 86_400_000; d++) {
      if (dayOfMonth(d) !== new Date(d * 86_400_000).getUTCDate()) throw new Error(`day ${d}`);
    }
    expect(dayOfMonth(-1)).toBe(31);
  });
});

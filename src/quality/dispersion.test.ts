import { describe, expect, it } from 'vitest';
import { dispersion } from './dispersion.js';

describe('dispersion of cases across clusters (DATA-QUALITY.md §6)', () => {
  it('all cases in one cluster: VMR = N, Green’s index 1, clumping significant', () => {
    const r = dispersion([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.cases).toBe(20);
    expect(r.vmr).toBeCloseTo(20, 12);
    expect(r.greensIndex).toBeCloseTo(1, 12);
    expect(r.pUpper).toBeLessThan(1e-10);
    expect(r.p).toBeLessThan(1e-10);
  });

  it('exactly equal counts: VMR 0, Green’s index −1/(N − 1), too uniform', () => {
    const r = dispersion([3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(r.vmr).toBe(0);
    expect(r.X2).toBe(0);
    expect(r.greensIndex).toBeCloseTo(-1 / 29, 15);
    expect(r.pLower).toBe(0);
    expect(r.p).toBe(0);
  });

  it('Poisson-like counts are not significant', () => {
    // Variance ≈ mean.
    const r = dispersion([2, 4, 3, 1, 5, 3, 2, 4, 3, 3]);
    expect(r.mean).toBe(3);
    expect(r.variance).toBeCloseTo(12 / 9, 12);
    expect(r.df).toBe(9);
    expect(r.X2).toBeCloseTo(4, 12);
    expect(r.p).toBeGreaterThan(0.05);
    expect(r.pUpper + r.pLower).toBeCloseTo(1, 12);
  });

  it('cannot test without cases or with one cluster', () => {
    expect(Number.isNaN(dispersion([0, 0, 0]).p)).toBe(true);
    expect(Number.isNaN(dispersion([4]).p)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { pbeta } from '../common/distributions.js';
import { fitBetaPrior, shrinkTowardParent, type AreaCount } from './small-area.js';

const kec = (parent: string, rows: [string, number, number][]): AreaCount[] =>
  rows.map(([code, cases, n]) => ({ code, parent, cases, n }));

describe('fitBetaPrior (method of moments)', () => {
  it('matches a hand computation', () => {
    const units = [
      { cases: 2, n: 10 },
      { cases: 6, n: 10 },
      { cases: 10, n: 20 },
    ];
    // μ = 18/40 = 0.45; Σn(p−μ)² = 10·0.0625 + 10·0.0225 + 20·0.0025 = 0.9
    // τ² = (0.9 − 2·0.2475) / (40 − 600/40) = 0.405 / 25 = 0.0162; M = 0.2475/0.0162 − 1
    const prior = fitBetaPrior(units);
    expect(prior?.mean).toBeCloseTo(0.45, 15);
    expect(prior?.betweenVariance).toBeCloseTo(0.0162, 14);
    expect(prior?.strength).toBeCloseTo(0.2475 / 0.0162 - 1, 10);
    expect(prior?.alpha).toBeCloseTo(0.45 * (0.2475 / 0.0162 - 1), 10);
    expect(prior?.capped).toBe(false);
  });

  it('caps the prior at the parent’s own children when units differ no more than chance', () => {
    const prior = fitBetaPrior([
      { cases: 3, n: 30 },
      { cases: 3, n: 30 },
      { cases: 4, n: 40 },
    ]);
    expect(prior?.betweenVariance).toBeLessThan(0);
    expect(prior?.capped).toBe(true);
    expect(prior?.strength).toBe(100);
    expect(fitBetaPrior([{ cases: 0, n: 0 }])).toBeNull();
  });
});

describe('shrinkTowardParent', () => {
  const units = kec('Kumai', [
    ['small', 2, 12],
    ['large', 40, 240],
    ['c', 30, 100],
    ['d', 35, 110],
    ['e', 28, 90],
    ['f', 45, 120],
  ]);
  const est = new Map(shrinkTowardParent(units).map((e) => [e.code, e]));
  const small = est.get('small')!;
  const large = est.get('large')!;

  it('pulls a 2/12 desa toward its kecamatan more than a 40/240 desa with the same raw rate', () => {
    const mu = small.prior.mean;
    expect(mu).toBeCloseTo(180 / 672, 15);
    expect(small.rawRate).toBeCloseTo(1 / 6, 15);
    expect(large.rawRate).toBeCloseTo(1 / 6, 15);
    expect(small.shrinkage).toBeGreaterThan(large.shrinkage);
    expect(small.shrunkRate - small.rawRate!).toBeGreaterThan(large.shrunkRate - large.rawRate!);
    expect(Math.abs(small.shrunkRate - mu)).toBeLessThan(Math.abs(large.shrunkRate - mu));
    // both stay between their raw rate and the kecamatan's rate
    for (const e of [small, large]) {
      expect(e.shrunkRate).toBeGreaterThan(e.rawRate!);
      expect(e.shrunkRate).toBeLessThan(mu);
    }
  });

  it('posterior mean is (x + α)/(n + M) and the interval its beta quantiles', () => {
    const { alpha, beta, strength } = small.prior;
    expect(small.shrunkRate).toBeCloseTo((2 + alpha) / (12 + strength), 15);
    expect(pbeta(small.low, 2 + alpha, 10 + beta)).toBeCloseTo(0.025, 12);
    expect(pbeta(small.high, 2 + alpha, 10 + beta)).toBeCloseTo(0.975, 12);
    expect(small.high - small.low).toBeGreaterThan(large.high - large.low);
  });

  it('fits one prior per kecamatan', () => {
    const two = shrinkTowardParent([
      ...kec('A', [['a1', 1, 10], ['a2', 5, 50], ['a3', 2, 40]]),
      ...kec('B', [['b1', 1, 10], ['b2', 20, 50], ['b3', 18, 40]]),
    ]);
    const a1 = two.find((e) => e.code === 'a1')!;
    const b1 = two.find((e) => e.code === 'b1')!;
    expect(a1.rawRate).toBe(b1.rawRate);
    expect(a1.prior.mean).toBeLessThan(b1.prior.mean);
    expect(b1.shrunkRate).toBeGreaterThan(a1.shrunkRate);
  });

  it('a unit with nobody measured gets its kecamatan’s rate and no raw rate', () => {
    const out = shrinkTowardParent(kec('A', [['a1', 1, 10], ['a2', 0, 0], ['a3', 9, 30]]));
    const empty = out.find((e) => e.code === 'a2')!;
    expect(empty.rawRate).toBeNull();
    expect(empty.shrunkRate).toBeCloseTo(empty.prior.mean, 15);
    expect(empty.shrinkage).toBe(1);
  });
});

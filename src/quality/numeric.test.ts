import { describe, expect, it } from 'vitest';
import { accurateMean, accurateSum, cube, fourth, powThreeHalves, roundR, twoProduct, twoSum } from './numeric.js';

describe('error-free transformations', () => {
  it('twoSum and twoProduct return the exact rounding error', () => {
    const s = twoSum(1, 1e-17);
    expect(s.hi).toBe(1);
    expect(s.lo).toBe(1e-17);
    // (2^27 + 1)^2 = 2^54 + 2^28 + 1: the double keeps 2^54 + 2^28, the error is exactly 1.
    const p = twoProduct(2 ** 27 + 1, 2 ** 27 + 1);
    expect(p.hi).toBe(2 ** 54 + 2 ** 28);
    expect(p.lo).toBe(1);
  });
});

describe('sums and means as R computes them (long double accumulator)', () => {
  it('does not lose small terms that a plain double sum drops', () => {
    const v = [1e16, 1, 1, 1, 1, -1e16];
    let naive = 0;
    for (const x of v) naive += x;
    expect(naive).toBe(0);
    expect(accurateSum(v)).toBe(4);
  });

  it('gives the correctly rounded mean', () => {
    expect(accurateMean([0.1, 0.2, 0.3])).toBe(0.2);
    expect(accurateMean([1e16, 1, -1e16, 2])).toBe(0.75);
    expect(Number.isNaN(accurateMean([]))).toBe(true);
    expect(accurateMean([5, 6, 7], 1, 3)).toBe(6.5);
  });
});

describe('correctly rounded powers (glibc pow)', () => {
  it('cube and fourth power round once', () => {
    // Exact rational powers of the doubles, rounded once (Python fractions): x*x*x rounds twice.
    expect(1.3 * 1.3 * 1.3).toBe(2.1970000000000005);
    expect(cube(1.3)).toBe(2.197);
    expect(cube(-0.37)).toBe(-0.050653);
    expect(cube(-2)).toBe(-8);
    expect(0.7 * 0.7 * (0.7 * 0.7)).toBe(0.24009999999999992);
    expect(fourth(0.7)).toBe(0.24009999999999995);
    expect(fourth(1.23456)).toBe(2.3229978428455893);
    expect(fourth(-3)).toBe(81);
  });

  it('x^1.5', () => {
    expect(powThreeHalves(4)).toBe(8);
    expect(powThreeHalves(2)).toBe(2.8284271247461903);
    expect(powThreeHalves(0)).toBe(0);
    expect(Number.isNaN(powThreeHalves(-1))).toBe(true);
  });
});

describe('roundR (R ≥ 4 round(x, digits))', () => {
  it('rounds to the nearer representable candidate', () => {
    expect(roundR(21.6649, 2)).toBe(21.66);
    expect(roundR(21.665000001, 2)).toBe(21.67);
    expect(roundR(0.285, 2)).toBe(0.28); // 0.285 is 0.28499999999999998 in binary
    expect(roundR(2.5, 0)).toBe(2);
    expect(roundR(3.5, 0)).toBe(4);
    expect(roundR(-1.005, 2)).toBe(-1);
    expect(roundR(12, 2)).toBe(12);
  });
});

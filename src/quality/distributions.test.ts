import { describe, expect, it } from 'vitest';
import { chiSquareLower, chiSquareUpper, logGamma, normalCdf, normalTwoSidedP, normalUpper, regularizedGamma } from './distributions.js';

// Reference values: 40-digit mpmath (ncdf, gammainc regularized, loggamma).
function expectRel(actual: number, expected: number, tol: number): void {
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  expect(rel, `${actual} vs ${expected}`).toBeLessThan(tol);
}

describe('normal distribution (Cody)', () => {
  it.each([
    [-1.96, 0.024997895148220435],
    [1, 0.8413447460685429],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160525e-24],
    [-20, 2.7536241186062337e-89],
    [-37, 5.725571222524577e-300],
    [0.5, 0.6914624612740131],
    [-0.7, 0.241963652223073],
  ])('pnorm(%d)', (x, p) => expectRel(normalCdf(x), p, 2e-15));

  it.each([
    [5.7, 5.9903714010635345e-9],
    [6, 9.86587645037698e-10],
    [0.67448975, 0.25000000006231016],
    [-1, 0.8413447460685429],
  ])('upper tail at %d keeps full relative accuracy', (x, q) => expectRel(normalUpper(x), q, 2e-15));

  it('is symmetric, 0.5 at 0, and gives two-sided p-values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.3) + normalCdf(-1.3)).toBeCloseTo(1, 15);
    expectRel(normalTwoSidedP(-1.96), 2 * 0.024997895148220435, 2e-15);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
  });
});

describe('log-gamma', () => {
  // Absolute tolerance: ln Γ is only used inside exp(), where the absolute error is what counts
  // (near its zeros at 1 and 2 the relative error of any method grows).
  it.each([
    [0.5, 0.5723649429247001],
    [1.5, -0.12078223763524522],
    [2.5, 0.2846828704729192],
    [7.3, 7.147892523022249],
    [14.9, 24.924132002217277],
    [15, 25.19122118273868],
    [100.5, 361.4355404677776],
    [299.5, 1406.3514276237106],
  ])('lgamma(%d)', (x, v) => expect(Math.abs(logGamma(x) - v)).toBeLessThan(1e-14 * Math.max(1, Math.abs(v))));

  it('is 0 at 1 and 2 and NaN outside the domain', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expect(Number.isNaN(logGamma(0))).toBe(true);
    expect(Number.isNaN(logGamma(-1))).toBe(true);
  });
});

describe('chi-square distribution', () => {
  it.each([
    [3.841458820694124, 1, 0.05000000000000006],
    [10, 5, 0.07523524614651218],
    [20, 10, 0.029252688076961072],
    [2, 2, 0.36787944117144233],
    [0.001, 1, 0.9747728793699604],
    [100, 1, 1.523970604832105e-23],
    [218.96, 11, 8.504411147849624e-41],
    [300, 9, 2.6102773472070238e-59],
  ])('upper tail closed forms: pchisq(%d, %d, lower = FALSE)', (x, df, q) => expectRel(chiSquareUpper(x, df), q, 1e-14));

  it.each([
    [600, 599, 0.48080413784420195],
    [500, 599, 0.998717194582171],
    [700, 599, 0.002655802779233583],
    [1500, 1000, 1.0454640385979658e-22],
  ])('upper tail for large df: pchisq(%d, %d, lower = FALSE)', (x, df, q) => expectRel(chiSquareUpper(x, df), q, 1e-11));

  it.each([
    [500, 599, 0.0012828054178289558],
    [50, 250, 5.083989871662602e-46],
    [0.001, 1, 0.025227120630039613],
    [700, 599, 0.9973441972207664],
  ])('lower tail stays accurate when tiny: pchisq(%d, %d)', (x, df, p) => expectRel(chiSquareLower(x, df), p, 1e-11));

  it('handles the edges', () => {
    expect(chiSquareUpper(0, 3)).toBe(1);
    expect(chiSquareUpper(-1, 3)).toBe(1);
    expect(chiSquareUpper(Infinity, 3)).toBe(0);
    expect(chiSquareLower(0, 3)).toBe(0);
    expect(Number.isNaN(chiSquareUpper(NaN, 3))).toBe(true);
    expect(Number.isNaN(chiSquareUpper(1, 0))).toBe(true);
  });

  it('agrees with the general incomplete gamma where both apply', () => {
    for (const [x, df] of [
      [7.5, 3],
      [12, 9],
      [4, 11],
      [30, 20],
    ]) {
      expectRel(chiSquareUpper(x, df), regularizedGamma(df / 2, x / 2).upper, 1e-13);
    }
  });
});

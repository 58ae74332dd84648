import { describe, expect, it } from 'vitest';
import { dt, lbeta, lgamma, logistic, pbeta, pt, qbeta, qnorm, qt } from './distributions.js';

// Reference values printed by R 4.x (`print(qt(p, df), digits = 16)` etc.).
const QT_R: [number, number, number][] = [
  [0.975, 1, 12.70620473617471],
  [0.975, 2, 4.302652729749464],
  [0.975, 5, 2.570581835636314],
  [0.975, 10, 2.228138851986274],
  [0.975, 12, 2.178812829667228],
  [0.975, 20, 2.085963447265837],
  [0.975, 30, 2.042272456301238],
  [0.975, 100, 1.983971518523552],
  [0.995, 10, 3.1692726726169465], // closed form for even df, solved by bisection
  [0.025, 10, -2.228138851986274],
];

describe('qt', () => {
  it.each(QT_R)('qt(%f, %f) agrees with R to 1e-12', (p, df, expected) => {
    expect(Math.abs(qt(p, df) - expected) / Math.abs(expected)).toBeLessThan(1e-12);
  });

  it('is the inverse of pt for the degrees of freedom of real surveys', () => {
    for (const df of [3, 4, 7, 12, 149, 153, 159, 2999, 3999, 9_999]) {
      const t = qt(0.975, df);
      expect(Math.abs(pt(t, df) - 0.975)).toBeLessThan(1e-14);
      expect(t).toBeGreaterThan(qnorm(0.975));
    }
  });

  it('decreases towards the normal quantile as df grows', () => {
    expect(qt(0.975, 1e9)).toBeCloseTo(1.959963984540054, 8);
    // the expansion used above 1e5 df joins the Newton solution smoothly
    const z = 1.959963984540054;
    const fisher = (n: number) =>
      z +
      (z ** 3 + z) / (4 * n) +
      (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * n ** 2) +
      (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * n ** 3);
    expect(Math.abs(qt(0.975, 9_999) - fisher(9_999))).toBeLessThan(5e-13);
    expect(Math.abs(qt(0.975, 2_999) - fisher(2_999))).toBeLessThan(5e-13);
    expect(Math.abs(qt(0.975, 1e6) - (1.959963984540054 + 2.3722740528e-6))).toBeLessThan(1e-12);
    expect(qt(0.975, 3000)).toBeGreaterThan(qt(0.975, 4000));
  });

  it('handles the edges', () => {
    expect(qt(0.5, 7)).toBe(0);
    expect(qt(1, 7)).toBe(Infinity);
    expect(Number.isNaN(qt(0.975, 0))).toBe(true);
    expect(Number.isNaN(qt(0.975, NaN))).toBe(true);
  });
});

describe('pt, dt, pbeta, qbeta, lgamma, qnorm', () => {
  it('pt agrees with the closed form for even df', () => {
    const closed = (t: number, nu: number) => {
      const th = Math.atan(t / Math.sqrt(nu));
      const c2 = Math.cos(th) ** 2;
      let s = 1;
      let term = 1;
      for (let k = 1; k < nu / 2; k++) {
        term *= ((2 * k - 1) / (2 * k)) * c2;
        s += term;
      }
      return 0.5 + 0.5 * Math.sin(th) * s;
    };
    for (const nu of [4, 10, 12, 60]) {
      for (const t of [0.3, 1.96, 2.5, 4.2]) expect(Math.abs(pt(t, nu) - closed(t, nu))).toBeLessThan(1e-15);
    }
  });

  it('pt agrees with closed forms for 1 and 2 df', () => {
    expect(pt(1, 1)).toBeCloseTo(0.75, 15);
    const t = 1.3;
    expect(pt(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(t * t + 2)), 15);
    expect(pt(-t, 2)).toBeCloseTo(0.5 - t / (2 * Math.sqrt(t * t + 2)), 15);
  });

  it('dt integrates the way pt says (central difference)', () => {
    const h = 1e-5;
    for (const df of [3, 40, 5000]) {
      const numeric = (pt(1.7 + h, df) - pt(1.7 - h, df)) / (2 * h);
      expect(Math.abs(numeric - dt(1.7, df)) / dt(1.7, df)).toBeLessThan(1e-8);
    }
  });

  it('qnorm matches R', () => {
    expect(Math.abs(qnorm(0.975) - 1.959963984540054)).toBeLessThan(1e-15);
    expect(Math.abs(qnorm(0.025) + qnorm(0.975))).toBeLessThan(1e-15);
    expect(Math.abs(qnorm(1e-10) - -6.361340902404056)).toBeLessThan(1e-12);
  });

  it('lgamma and lbeta match exact values', () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 14);
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(Math.abs(lgamma(100) - 359.1342053695754) / 359.13).toBeLessThan(1e-14);
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(lbeta(1e6, 0.5)).toBeCloseTo(lgamma(0.5) - 0.5 * Math.log(1e6) - 0.5 * Math.log1p(-0.25e-6) + 0, 6);
  });

  it('pbeta and qbeta are inverse and match a closed form', () => {
    // Beta(2, 1): F(x) = x²
    expect(pbeta(0.3, 2, 1)).toBeCloseTo(0.09, 15);
    expect(qbeta(0.09, 2, 1)).toBeCloseTo(0.3, 12);
    for (const [a, b] of [[3, 11], [0.7, 40], [120, 480]]) {
      for (const p of [0.025, 0.5, 0.975]) {
        expect(Math.abs(pbeta(qbeta(p, a, b), a, b) - p)).toBeLessThan(1e-12);
      }
    }
  });

  it('logistic is symmetric and stable', () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(2) + logistic(-2)).toBeCloseTo(1, 15);
    expect(logistic(-800)).toBe(0);
    expect(logistic(800)).toBe(1);
  });
});

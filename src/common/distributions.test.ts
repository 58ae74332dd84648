import { describe, expect, it } from 'vitest';
import { chiSquareLower, chiSquareUpper, dt, lbeta, logGamma, logistic, normalCdf, normalTwoSidedP, normalUpper, pbeta, pt, qbeta, qnorm, qt, regularizedGamma } from './distributions.js';

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
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 14);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(Math.abs(logGamma(100) - 359.1342053695754) / 359.13).toBeLessThan(1e-14);
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(lbeta(1e6, 0.5)).toBeCloseTo(logGamma(0.5) - 0.5 * Math.log(1e6) - 0.5 * Math.log1p(-0.25e-6) + 0, 6);
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

/**
 * The few distribution functions the prevalence statistics need, written out so that they agree
 * with R's `qt`, `qnorm`, `pbeta` and `qbeta` to about 1e-12: the confidence limits of
 * `anthro_prevalence` are compared with anthro's output at 10 significant digits, so an
 * approximate t quantile would not do. Pure, no dependencies.
 */

/* eslint-disable no-loss-of-precision -- published coefficients (AS 241, Lanczos) are kept digit for digit, as printed, so they can be checked against the source */

const LN_SQRT_2PI = 0.9189385332046727; // ln(sqrt(2π))

/** Stirling-series remainder lgamma(x) − [(x − ½)ln x − x + ln√(2π)], for x ≥ 10. */
function lgammaCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (
    (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360)))))) / x
  );
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos below 10, Stirling with its correction series above).
 * @see R `lgamma`
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammaCorrection(x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln Γ(a + b) − ln Γ(a) without the cancellation that ruins the plain difference when a is large
 * (a t distribution with 100,000 degrees of freedom needs it).
 */
export function lgammaRatio(a: number, b: number): number {
  if (a >= 10 && a + b >= 10) {
    const s = a + b;
    return (a - 0.5) * Math.log1p(b / a) + b * Math.log(s) - b + lgammaCorrection(s) - lgammaCorrection(a);
  }
  return lgamma(a + b) - lgamma(a);
}

/** ln B(a, b). */
export function lbeta(a: number, b: number): number {
  if (a < b) return lbeta(b, a);
  // a is the larger: lgamma(b) − [lgamma(a+b) − lgamma(a)]
  return lgamma(b) - lgammaRatio(a, b);
}

/** Continued fraction of the incomplete beta (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const EPS = 1e-16;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b) (the beta distribution function) and its complement,
 * computed directly so a small upper tail keeps its relative precision.
 * `lnx` and `ln1mx` may be given when the caller can compute them more accurately than log(x).
 */
function incompleteBetaPair(
  x: number,
  a: number,
  b: number,
  y = 1 - x,
  lnx = Math.log(x),
  lny = Math.log1p(-x),
): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const front = a * lnx + b * lny - lbeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(front) * betaContinuedFraction(x, a, b)) / a;
    return { lower, upper: 1 - lower };
  }
  // y = 1 − x is passed in by callers that know it more precisely than 1 − x.
  const upper = (Math.exp(front) * betaContinuedFraction(y, b, a)) / b;
  return { lower: 1 - upper, upper };
}

/**
 * The beta distribution function P(X ≤ x) for X ~ Beta(a, b).
 * @see R `pbeta`
 */
export function pbeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return NaN;
  return incompleteBetaPair(x, a, b).lower;
}

/**
 * The quantile of Beta(a, b): the x with pbeta(x, a, b) = p (bisection refined by Newton steps,
 * to about 1e-13 absolute). Used for the posterior intervals of the small-area estimates.
 * @see R `qbeta`
 */
export function qbeta(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  let x = a / (a + b);
  const lnB = lbeta(a, b);
  for (let i = 0; i < 200; i++) {
    const f = pbeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB);
    let next = x - f / density;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    if (Math.abs(next - x) < 1e-15 * Math.max(1, x) || hi - lo < 1e-16) return next;
    x = next;
  }
  return x;
}

/**
 * Upper tail P(T > t) of Student's t with `df` degrees of freedom (t ≥ 0), full relative precision.
 */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  // x = df / (df + t²); P(T > t) = ½·I_x(df/2, ½)
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const lnx = -Math.log1p(t2 / df);
  const lny = Math.log(t2) - Math.log(df + t2);
  return 0.5 * incompleteBetaPair(x, df / 2, 0.5, y, lnx, lny).lower;
}

/**
 * Student's t distribution function P(T ≤ t).
 * @see R `pt`
 */
export function pt(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (t === 0) return 0.5;
  const upper = tUpperTail(Math.abs(t), df);
  return t > 0 ? 1 - upper : upper;
}

/**
 * Student's t density.
 * @see R `dt`
 */
export function dt(t: number, df: number): number {
  if (!(df > 0)) return NaN;
  const logc = lgammaRatio(df / 2, 0.5) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logc - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The standard normal quantile (Wichura's AS 241, PPND16; relative error about 1e-16).
 * @see R `qnorm`
 */
export function qnorm(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/**
 * Student's t quantile: the t with pt(t, df) = p. A Cornish–Fisher start refined by Newton steps
 * on the exact tail probability (bracketed), so it matches R's `qt` to ~1e-13 for any df > 0.
 * @see R `qt`
 */
export function qt(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0) || Number.isNaN(df)) return NaN;
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (df === Infinity) return qnorm(p);
  const upperP = p > 0.5 ? 1 - p : p; // tail probability to match
  const sign = p > 0.5 ? 1 : -1;
  let t: number;
  if (df === 1) {
    t = Math.tan(Math.PI * (0.5 - upperP));
  } else if (df === 2) {
    t = Math.sqrt(2 / (4 * upperP * (1 - upperP)) - 2);
  } else {
    const z = -qnorm(upperP);
    const z2 = z * z;
    // Fisher's expansion (Abramowitz & Stegun 26.7.5), error O(df^-5).
    t =
      z +
      (z * (z2 + 1)) / (4 * df) +
      (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df ** 2) +
      (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / (384 * df ** 3) +
      (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / (92160 * df ** 4);
    // Beyond 1e4 df the expansion is exact to double precision, while the incomplete beta
    // behind the tail probability starts to lose digits.
    if (df >= 1e4) return sign * t;
    let lo = 0;
    let hi = Infinity;
    for (let i = 0; i < 100; i++) {
      const f = tUpperTail(t, df) - upperP; // decreasing in t
      if (f === 0) break;
      if (f > 0) lo = t;
      else hi = t;
      let next = t + f / dt(t, df);
      if (!(next > lo && next < hi) || !Number.isFinite(next)) next = hi === Infinity ? 2 * t + 1 : (lo + hi) / 2;
      if (Math.abs(next - t) <= 1e-15 * t) {
        t = next;
        break;
      }
      t = next;
    }
  }
  return sign * t;
}

/** The logistic function 1 / (1 + e^−x) (R `plogis`). */
export function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Floating-point helpers that let the plausibility statistics reproduce R's results to the last
 * bit or close to it. R accumulates `sum()` and `mean()` in 80-bit long double and calls glibc's
 * (correctly rounded) `pow`; plain JavaScript sums and `Math.pow` drift by a few ulps from that.
 * Double-double arithmetic (Dekker / Knuth error-free transformations) stands in for both.
 * Pure: numbers in, numbers out.
 */

const SPLITTER = 134217729; // 2^27 + 1, Dekker's splitting constant for binary64

/** A double-double value hi + lo with |lo| ≤ ulp(hi)/2. */
export interface DoubleDouble {
  hi: number;
  lo: number;
}

/** Error-free sum: returns s = fl(a + b) and the exact rounding error e (a + b = s + e). */
export function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  const e = a - (s - bb) + (b - bb);
  return { hi: s, lo: e };
}

function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** Error-free product: p = fl(a × b) and the exact rounding error e (a × b = p + e). */
export function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  return { hi: p, lo: e };
}

function ddMulDouble(x: DoubleDouble, b: number): DoubleDouble {
  const p = twoProduct(x.hi, b);
  const lo = p.lo + x.lo * b;
  return twoSum(p.hi, lo);
}

/**
 * Sum of the values as R's `sum()` gives it (long-double accumulator, rounded once at the end),
 * emulated with a double-double accumulator over values[from…to).
 */
export function accurateSum(values: ArrayLike<number>, from = 0, to = values.length): number {
  let hi = 0;
  let lo = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    const s = hi + v;
    const bb = s - hi;
    lo += hi - (s - bb) + (v - bb);
    hi = s;
  }
  return hi + lo;
}

/**
 * Running double-double sum for hot loops (same result as {@link accurateSum}, no array needed).
 */
export class DdAccumulator {
  hi = 0;
  lo = 0;
  add(v: number): void {
    const s = this.hi + v;
    const bb = s - this.hi;
    this.lo += this.hi - (s - bb) + (v - bb);
    this.hi = s;
  }
  get value(): number {
    return this.hi + this.lo;
  }
}

/**
 * Arithmetic mean as R's `mean()` computes it: a long-double sum divided by n, then one
 * refinement pass adding the mean residual. Here the double-double sum makes the refinement
 * unnecessary: the result is the correctly rounded mean in all but pathological inputs.
 * @returns NaN for an empty range.
 */
export function accurateMean(values: ArrayLike<number>, from = 0, to = values.length): number {
  const n = to - from;
  if (n <= 0) return NaN;
  let hi = 0;
  let lo = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    const s = hi + v;
    const bb = s - hi;
    lo += hi - (s - bb) + (v - bb);
    hi = s;
  }
  // (hi + lo) / n in double-double, then rounded once.
  const q1 = hi / n;
  const p = twoProduct(q1, n);
  const r = (hi - p.hi - p.lo + lo) / n;
  return q1 + r;
}

/** x³ rounded once (as glibc's correctly rounded `pow(x, 3)` that R's `x^3` calls). */
export function cube(x: number): number {
  // Inline Dekker products (no objects: this runs once per z-score in the hot loop).
  const c = SPLITTER * x;
  const xh = c - (c - x);
  const xl = x - xh;
  const sh = x * x;
  const sl = xh * xh - sh + 2 * xh * xl + xl * xl; // x² = sh + sl exactly
  const p = sh * x;
  const c2 = SPLITTER * sh;
  const shh = c2 - (c2 - sh);
  const shl = sh - shh;
  const pe = shh * xh - p + shh * xl + shl * xh + shl * xl; // sh·x = p + pe exactly
  return p + (pe + sl * x);
}

/** x⁴ rounded once (R's `x^4`). */
export function fourth(x: number): number {
  const c = SPLITTER * x;
  const xh = c - (c - x);
  const xl = x - xh;
  const sh = x * x;
  const sl = xh * xh - sh + 2 * xh * xl + xl * xl;
  const p = sh * sh;
  const c2 = SPLITTER * sh;
  const shh = c2 - (c2 - sh);
  const shl = sh - shh;
  const pe = shh * shh - p + 2 * shh * shl + shl * shl; // sh² = p + pe exactly
  return p + (pe + 2 * sh * sl);
}

/** x^1.5 rounded once (R's `x^(3/2)` for x ≥ 0). */
export function powThreeHalves(x: number): number {
  if (!(x > 0)) return x === 0 ? 0 : NaN;
  if (!Number.isFinite(x)) return x;
  const r = Math.sqrt(x);
  // One Newton step in double-double gives sqrt(x) to ~106 bits.
  const rr = twoProduct(r, r);
  const corr = (x - rr.hi - rr.lo) / (2 * r);
  const root: DoubleDouble = twoSum(r, corr);
  const prod = ddMulDouble(root, x);
  return prod.hi + prod.lo;
}

/**
 * R (≥ 4.0.0) `round(x, digits)` for digits ≥ 0: picks whichever of the two neighbouring
 * candidates with `digits` decimals is nearer to x as a double; an exact tie goes to the even
 * last digit. Differs from `Math.round(x * 10^d) / 10^d`, which misrounds values such as 0.285.
 */
export function roundR(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0 || !Number.isInteger(digits)) throw new RangeError('digits must be a non-negative integer');
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const p10 = 10 ** digits;
  const x10 = p10 * ax;
  const i10 = Math.floor(x10);
  if (i10 === x10) return x;
  const xd = i10 / p10;
  const xu = Math.ceil(x10) / p10;
  const du = xu - ax;
  const dd = ax - xd;
  const up = du < dd || (du === dd && i10 % 2 === 1);
  return sign * (up ? xu : xd);
}

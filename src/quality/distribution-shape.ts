import { normalTwoSidedP } from '../common/distributions.js';
import { accurateMean, cube, DdAccumulator, fourth, powThreeHalves } from './numeric.js';

/** nipnTK `skewKurt()` output. */
export interface SkewKurtResult {
  n: number;
  /** Skewness, its standard error, z = s / s.se and the two-sided normal p-value. */
  s: number;
  sSe: number;
  sZ: number;
  sP: number;
  /** Excess kurtosis, its standard error, z and p. */
  k: number;
  kSe: number;
  kZ: number;
  kP: number;
}

/**
 * Skewness and excess kurtosis with their tests (nipnTK `skewKurt()`): with deviations d from
 * the mean, s = √n·Σd³/(Σd²)^1.5, SE_s = √(6n(n−1)/((n−2)(n+1)(n+3))), k = n·Σd⁴/(Σd²)² − 3,
 * SE_k = 2·SE_s·√((n²−1)/((n−3)(n+5))), two-sided normal p-values. NaN values are dropped first.
 * Apply to flag-censored z-scores.
 * @see DATA-QUALITY.md §5
 */
export function skewKurt(values: ArrayLike<number>): SkewKurtResult {
  return skewKurtOfFinite(finiteValues(values));
}

/** {@link skewKurt} for values already known to be finite (no copy). */
export function skewKurtOfFinite(x: ArrayLike<number>): SkewKurtResult {
  const n = x.length;
  const mean = accurateMean(x);
  const a2 = new DdAccumulator();
  const a3 = new DdAccumulator();
  const a4 = new DdAccumulator();
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    a2.add(d * d);
    a3.add(cube(d));
    a4.add(fourth(d));
  }
  const s2 = a2.value;
  const s3 = a3.value;
  const s4 = a4.value;
  const s = (Math.sqrt(n) * s3) / powThreeHalves(s2);
  const sSe = Math.sqrt((6 * n * (n - 1)) / ((n - 2) * (n + 1) * (n + 3)));
  const sZ = s / sSe;
  const k = (n * s4) / (s2 * s2) - 3;
  const kSe = 2 * sSe * Math.sqrt((n * n - 1) / ((n - 3) * (n + 5)));
  const kZ = k / kSe;
  return { n, s, sSe, sZ, sP: normalTwoSidedP(sZ), k, kSe, kZ, kP: normalTwoSidedP(kZ) };
}

/** Mean, standard deviation and robust spread of a z-score. */
export interface SpreadResult {
  n: number;
  mean: number;
  /** Sample SD (n − 1 denominator, R `sd()`). */
  sd: number;
  /** Adjusted median absolute deviation, 1.4826 × MAD (R `mad()`). */
  mad: number;
}

/**
 * Mean, SD (R `sd()`) and adjusted MAD (R `mad()`) of the finite values.
 * @see DATA-QUALITY.md §5 "SD"
 */
export function spread(values: ArrayLike<number>): SpreadResult {
  return spreadOfFinite(finiteValues(values));
}

/** {@link spread} for finite values in an array the function may overwrite (it is used as scratch). */
export function spreadOfFinite(x: Float64Array): SpreadResult {
  const n = x.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, mad: NaN };
  const mean = accurateMean(x);
  const a2 = new DdAccumulator();
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    a2.add(d * d);
  }
  const sd = n > 1 ? Math.sqrt(a2.value / (n - 1)) : NaN;
  sortNumbers(x);
  const med = median(x);
  for (let i = 0; i < n; i++) x[i] = Math.abs(x[i] - med);
  sortNumbers(x);
  return { n, mean, sd, mad: 1.4826 * median(x) };
}

// Insertion sort for the small groups of a posyandu-month; typed-array sort has a high fixed cost.
function sortNumbers(x: Float64Array): void {
  const n = x.length;
  if (n > 64) {
    x.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = x[i];
    let j = i - 1;
    while (j >= 0 && x[j] > v) {
      x[j + 1] = x[j];
      j--;
    }
    x[j + 1] = v;
  }
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

function finiteValues(values: ArrayLike<number>): Float64Array {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m++;
  if (m === values.length && values instanceof Float64Array) return values.slice();
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[j++] = values[i];
  return out;
}

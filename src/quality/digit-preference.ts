import { chiSquareUniform } from './chi-square-tests.js';
import { roundR } from './numeric.js';

/** SMART / nipnTK class of a digit preference score. */
export type DpsClass = 'Excellent' | 'Good' | 'Acceptable' | 'Problematic';

/** nipnTK `digitPreference()` output for one variable. */
export interface DigitPreferenceResult {
  /** Non-missing values counted. */
  n: number;
  /** Counts of final digits 0…9. */
  counts: number[];
  /** Chi-square statistic of the counts against uniform (df 9). */
  X2: number;
  /** Digit preference score, rounded to 2 decimals as nipnTK reports it; NaN when n = 0. */
  dps: number;
  /** Class of the rounded score; null when n = 0. */
  dpsClass: DpsClass | null;
}

/**
 * The final digit of x written with `digits` decimals, as C's printf("%.*f") writes it (what R's
 * `formatC(x, digits, format = "f")` calls): the exact binary value is rounded, exact ties go to
 * the even digit (glibc). Returns -1 for missing or non-finite values.
 * @see DATA-QUALITY.md §1 step 1
 */
export function finalDigit(x: number, digits: number): number {
  if (!Number.isFinite(x)) return -1;
  const ax = Math.abs(x);
  const scaled = ax * POW10[digits];
  const r = Math.round(scaled);
  // Fast path: far from a rounding boundary, the product's rounding error cannot matter.
  if (Math.abs(Math.abs(scaled - Math.floor(scaled)) - 0.5) > 1e-7 && scaled < 1e15) return r % 10;
  return finalDigitExact(ax, digits);
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

function finalDigitExact(ax: number, digits: number): number {
  // toFixed rounds the exact binary value too, but takes the larger candidate on an exact tie.
  const longer = ax.toFixed(digits + 1);
  const isTie =
    longer.endsWith('5') && Number(longer) === ax && BigInt(longer.replace('.', '')) % 5n ** BigInt(digits + 1) === 0n;
  const fixed = ax.toFixed(digits);
  const last = fixed.charCodeAt(fixed.length - 1) - 48;
  if (!isTie) return last;
  // Exact tie: toFixed rounded up; glibc picks the even neighbour.
  return last % 2 === 0 ? last : (last + 9) % 10;
}

/** SMART class of a (rounded) digit preference score: < 8, < 12, < 20, else Problematic. */
export function dpsClassOf(dps: number): DpsClass | null {
  if (Number.isNaN(dps)) return null;
  if (dps < 8) return 'Excellent';
  if (dps < 12) return 'Good';
  if (dps < 20) return 'Acceptable';
  return 'Problematic';
}

/**
 * Digit preference score of a variable (nipnTK `digitPreference(x, digits)`): final digits
 * counted, chi-square against uniform, DPS = 100·√(X² / (n·df)) rounded to 2 decimals.
 * Use digits = 1 for weight (kg) and length/height (cm), 0 for MUAC (mm).
 * @see DATA-QUALITY.md §1
 */
export function digitPreference(values: ArrayLike<number>, digits: number): DigitPreferenceResult {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const d = finalDigit(values[i], digits);
    if (d >= 0) counts[d]++;
  }
  return digitPreferenceFromCounts(counts);
}

/** Digit preference score from already-counted final digits 0…9. */
export function digitPreferenceFromCounts(counts: ArrayLike<number>): DigitPreferenceResult {
  const chi = chiSquareUniform(counts);
  const dps = chi.n > 0 ? roundR(100 * Math.sqrt(chi.X2 / (chi.n * chi.df)), 2) : NaN;
  return { n: chi.n, counts: Array.isArray(counts) ? counts : Array.from(counts), X2: chi.X2, dps, dpsClass: dpsClassOf(dps) };
}

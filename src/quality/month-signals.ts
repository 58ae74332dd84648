/**
 * Two checks a posyandu-month shows that the survey statistics miss: birth dates heaped on
 * "round" days of the month (the 1st and the 15th: a birth date made up when registering), and
 * weights repeated unchanged from the previous visit (copied from last month's register).
 * Pure: numbers in, numbers out.
 */
import { pbeta } from '../common/distributions.js';

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the chance of at least k successes.
 * Uses the identity P(X ≥ k) = I_p(k, n − k + 1) (regularized incomplete beta).
 */
export function binomialUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return pbeta(p, k, n - k + 1);
}

/** Days of the month that made-up birth dates fall on. */
export const HEAP_DAYS: readonly number[] = [1, 15];

/** Birth-date heaping of one group. */
export interface BirthDayHeaping {
  /** Children with a birth date. */
  n: number;
  /** Of them, born on one of the heap days. */
  heaped: number;
  /** Share expected by chance (each heap day occurs 12 times in 365.25 days). */
  expectedShare: number;
  /** One-sided binomial p-value of at least `heaped` by chance. */
  p: number;
}

/**
 * How many birth dates of a group fall on the heap days (1st, 15th) against the 24/365.25 that
 * chance gives, with a one-sided binomial test.
 * @param daysOfMonth day of the month (1–31) of each child's birth date; NaN = unknown
 */
export function birthDayHeaping(daysOfMonth: ArrayLike<number>, heapDays: readonly number[] = HEAP_DAYS): BirthDayHeaping {
  let n = 0;
  let heaped = 0;
  for (let i = 0; i < daysOfMonth.length; i++) {
    const d = daysOfMonth[i];
    if (!Number.isFinite(d)) continue;
    n++;
    if (heapDays.includes(d)) heaped++;
  }
  const expectedShare = (12 * heapDays.length) / 365.25;
  return { n, heaped, expectedShare, p: n === 0 ? 1 : binomialUpper(heaped, n, expectedShare) };
}

/** Day of the month (1–31) of a day number (days since 1970-01-01, UTC). */
export function dayOfMonth(dayNumber: number): number {
  // Civil-from-days (H. Hinnant), without allocating a Date: the batch calls this per child-month.
  const z = Math.floor(dayNumber) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return doy - Math.floor((153 * mp + 2) / 5) + 1;
}

/**
 * The Wilson score interval for a binomial proportion: the interval shown beside every routine
 * prevalence. Unlike the Wald interval it stays inside [0, 1] and behaves for 0 of n and n of n,
 * which is what small posyandu produce.
 */
import { qnorm } from '../common/distributions.js';

/** z for a two-sided 95 % interval. */
export const Z_95 = qnorm(0.975);

export interface ProportionInterval {
  /** x / n, or null when n = 0. */
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Wilson score interval (without continuity correction) for x successes out of n, as proportions
 * in [0, 1]; nulls when n = 0.
 * @see Wilson EB (1927) J Am Stat Assoc 22:209–212; Newcombe RG (1998) Stat Med 17:857–872, method 3
 */
export function wilsonInterval(x: number, n: number, z: number = Z_95): ProportionInterval {
  if (!(n > 0)) return { estimate: null, low: null, high: null };
  if (!(x >= 0 && x <= n)) throw new RangeError(`wilsonInterval: x = ${x} outside 0…${n}`);
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    estimate: p,
    low: x === 0 ? 0 : Math.max(0, centre - half),
    high: x === n ? 1 : Math.min(1, centre + half),
  };
}

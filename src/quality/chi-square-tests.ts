import { chiSquareUpper } from '../common/distributions.js';
import { accurateSum, DdAccumulator } from './numeric.js';

/** A chi-square test result: statistic, degrees of freedom, p-value (upper tail). */
export interface ChiSquareResult {
  X2: number;
  df: number;
  p: number;
}

/**
 * Goodness-of-fit test of counts against equal expected shares, as R's `chisq.test(tab)` on a
 * one-way table (no continuity correction, df = k − 1). Expected counts are formed as R does,
 * n × (1/k), so the statistic matches R's bit for bit. With n = 0 the statistic is NaN.
 * @see DATA-QUALITY.md §1 (digit preference) and §2 (age heaping)
 */
export function chiSquareUniform(counts: ArrayLike<number>): ChiSquareResult & { n: number } {
  const k = counts.length;
  const n = accurateSum(counts);
  const e = n * (1 / k);
  const acc = new DdAccumulator();
  for (let i = 0; i < k; i++) {
    const d = counts[i] - e;
    acc.add((d * d) / e);
  }
  const X2 = acc.value;
  const df = k - 1;
  return { n, X2, df, p: chiSquareUpper(X2, df) };
}

/** A one-sample test of a proportion: observed share, statistic, df = 1, p-value. */
export interface PropTestResult extends ChiSquareResult {
  estimate: number;
}

/**
 * One-sample test of a proportion x/n against p0, chi-square with Yates' continuity correction
 * (R `prop.test(x, n, p = p0)`, the default `correct = TRUE`): the correction is
 * min(0.5, |x − n·p0|), subtracted from |O − E| in both cells.
 * @see DATA-QUALITY.md §2 (age ratio) and §3 (sex ratio)
 */
export function propTestOneSample(x: number, n: number, p0: number): PropTestResult {
  if (!(n > 0)) return { estimate: NaN, X2: NaN, df: 1, p: NaN };
  const e1 = n * p0;
  const e2 = n * (1 - p0);
  const yates = Math.min(0.5, Math.abs(x - n * p0));
  const a = Math.abs(x - e1) - yates;
  const b = Math.abs(n - x - e2) - yates;
  const X2 = (a * a) / e1 + (b * b) / e2;
  return { estimate: x / n, X2, df: 1, p: chiSquareUpper(X2, 1) };
}

import { chiSquareLower, chiSquareUpper } from '../common/distributions.js';
import { accurateSum } from './numeric.js';

/** Index of dispersion of case counts across clusters (posyandu) and its Poisson test. */
export interface DispersionResult {
  /** Clusters with at least one child in the group. */
  clusters: number;
  /** Total cases. */
  cases: number;
  /** Mean and sample variance (k − 1) of the cases per cluster. */
  mean: number;
  variance: number;
  /** Variance-to-mean ratio: ≈ 1 random, > 1 clumped, < 1 too even. */
  vmr: number;
  /** Σ(c − mean)² / mean, chi-square with k − 1 df under a Poisson spread. */
  X2: number;
  df: number;
  /** P(X² ≥ observed): small when cases clump. */
  pUpper: number;
  /** P(X² ≤ observed): small when cases are spread too evenly (fabrication). */
  pLower: number;
  /** Two-sided p = min(1, 2·min(pUpper, pLower)). */
  p: number;
  /** Green's index (VMR − 1)/(cases − 1): −1/(cases − 1) most even, 0 random, 1 all in one cluster. */
  greensIndex: number;
}

/**
 * Dispersion of cases (e.g. WHZ < −2) across clusters, SMART's Poisson test: VMR = s²/mean and
 * X² = Σ(cᵢ − mean)²/mean on k − 1 df, tested in both tails; Green's index as nipnTK's point
 * estimate (nipnTK's bootstrap interval is random and not reproduced).
 * @see DATA-QUALITY.md §6
 */
export function dispersion(casesPerCluster: ArrayLike<number>): DispersionResult {
  const k = casesPerCluster.length;
  const cases = accurateSum(casesPerCluster);
  const mean = k > 0 ? cases / k : NaN;
  const sq = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const d = casesPerCluster[i] - mean;
    sq[i] = d * d;
  }
  const ss = accurateSum(sq);
  const variance = k > 1 ? ss / (k - 1) : NaN;
  const vmr = variance / mean;
  const df = k - 1;
  const valid = k > 1 && mean > 0;
  const X2 = valid ? ss / mean : NaN;
  const pUpper = valid ? chiSquareUpper(X2, df) : NaN;
  const pLower = valid ? chiSquareLower(X2, df) : NaN;
  return {
    clusters: k,
    cases,
    mean,
    variance,
    vmr: valid ? vmr : NaN,
    X2,
    df,
    pUpper,
    pLower,
    p: valid ? Math.min(1, 2 * Math.min(pUpper, pLower)) : NaN,
    greensIndex: valid && cases > 1 ? (vmr - 1) / (cases - 1) : NaN,
  };
}

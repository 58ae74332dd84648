/**
 * Small-area estimates: empirical-Bayes (beta-binomial) shrinkage of desa or posyandu prevalence
 * toward their kecamatan, so that a desa with 12 children measured does not top a ranking by
 * chance. The raw rate is always returned beside the shrunk one.
 *
 * Method, per parent (kecamatan) separately:
 * 1. The units' true rates are taken to follow a Beta(α, β) prior with mean μ and "strength"
 *    M = α + β (the prior counts as M children).
 * 2. μ and the between-unit variance τ² are estimated by the method of moments (the estimator of
 *    DerSimonian & Laird / Kleinman for proportions): μ = Σx/Σn,
 *    τ² = [Σ nᵢ(pᵢ − μ)² − (k − 1)·μ(1 − μ)] / (Σn − Σnᵢ²/Σn).
 *    Then M = μ(1 − μ)/τ² − 1.
 * 3. When τ² ≤ 0 (the units differ no more than chance would make them), MoM would give M = ∞
 *    and every unit exactly μ; Tumbuh caps M at Σn, the parent's own number of children, so a
 *    unit is never outweighed by more data than the kecamatan has. With fewer than two units
 *    measured, or μ of 0 or 1, the same cap applies.
 * 4. Each unit's estimate is its posterior mean (x + α)/(n + M) = (1 − B)·x/n + B·μ with
 *    shrinkage weight B = M/(n + M) — large for small n — and its 95 % interval is the 2.5 %
 *    and 97.5 % quantiles of the posterior Beta(x + α, n − x + β).
 */
import { qbeta } from '../common/distributions.js';

/** One unit's count for one indicator and period. */
export interface AreaCount {
  /** The unit (desa / posyandu code). */
  code: string;
  /** Its parent (kecamatan / desa code): the prior is fitted per parent. */
  parent: string;
  /** Children with the condition. */
  cases: number;
  /** Children measured with a usable value. */
  n: number;
}

/** The beta prior of one parent. */
export interface BetaPrior {
  alpha: number;
  beta: number;
  /** μ = α / (α + β): the parent's pooled rate. */
  mean: number;
  /** M = α + β, in children. */
  strength: number;
  /** τ² estimated by the method of moments (may be ≤ 0: no extra-binomial variation seen). */
  betweenVariance: number;
  /** True when M was capped at the parent's number of children (see the file comment). */
  capped: boolean;
  /** Units with n > 0. */
  units: number;
}

export interface SmallAreaEstimate extends AreaCount {
  /** x / n, null when n = 0. */
  rawRate: number | null;
  /** Posterior mean. */
  shrunkRate: number;
  /** 95 % posterior interval. */
  low: number;
  high: number;
  /** B = M / (n + M): how far the unit was pulled toward its parent (0 none, 1 all the way). */
  shrinkage: number;
  prior: BetaPrior;
}

function checkCount(u: { cases: number; n: number }): void {
  if (!Number.isInteger(u.cases) || !Number.isInteger(u.n) || u.cases < 0 || u.cases > u.n) {
    throw new RangeError(`small-area count ${u.cases}/${u.n} is not a count`);
  }
}

/**
 * Fits the beta prior of one parent's units by the method of moments (see the file comment),
 * or null when no unit has a child measured.
 */
export function fitBetaPrior(units: readonly { cases: number; n: number }[]): BetaPrior | null {
  let sx = 0;
  let sn = 0;
  let sn2 = 0;
  let k = 0;
  for (const u of units) {
    checkCount(u);
    if (u.n === 0) continue;
    sx += u.cases;
    sn += u.n;
    sn2 += u.n * u.n;
    k++;
  }
  if (sn === 0) return null;
  const mu = sx / sn;
  let ss = 0;
  for (const u of units) if (u.n > 0) ss += u.n * (u.cases / u.n - mu) ** 2;
  const denom = sn - sn2 / sn;
  const tau2 = k >= 2 && denom > 0 ? (ss - (k - 1) * mu * (1 - mu)) / denom : 0;
  let strength = tau2 > 0 && mu > 0 && mu < 1 ? (mu * (1 - mu)) / tau2 - 1 : Infinity;
  let capped = false;
  if (!(strength <= sn)) {
    strength = sn;
    capped = true;
  }
  // τ² ≥ μ(1−μ) would make M ≤ 0: the units are as spread as they can be, so no shrinkage.
  if (strength <= 0) strength = Number.EPSILON;
  return { alpha: mu * strength, beta: (1 - mu) * strength, mean: mu, strength, betweenVariance: tau2, capped, units: k };
}

/**
 * Empirical-Bayes estimates for every unit, each shrunk toward its own parent's pooled rate.
 * Units of a parent with no child measured get no estimate (they are left out).
 */
export function shrinkTowardParent(units: readonly AreaCount[]): SmallAreaEstimate[] {
  const byParent = new Map<string, AreaCount[]>();
  for (const u of units) {
    checkCount(u);
    let list = byParent.get(u.parent);
    if (!list) byParent.set(u.parent, (list = []));
    list.push(u);
  }
  const out: SmallAreaEstimate[] = [];
  for (const list of byParent.values()) {
    const prior = fitBetaPrior(list);
    if (!prior) continue;
    for (const u of list) {
      const a = u.cases + prior.alpha;
      const b = u.n - u.cases + prior.beta;
      const lowHigh = (p: number) => (a > 0 && b > 0 ? qbeta(p, a, b) : a > 0 ? 1 : 0);
      out.push({
        ...u,
        rawRate: u.n > 0 ? u.cases / u.n : null,
        shrunkRate: a / (a + b),
        low: lowHigh(0.025),
        high: lowHigh(0.975),
        shrinkage: prior.strength / (u.n + prior.strength),
        prior,
      });
    }
  }
  return out;
}

import { skewKurtOfFinite, spreadOfFinite, type SkewKurtResult } from './distribution-shape.js';

/** The three anthropometric indices whose distribution is checked. */
export type ZIndex = 'whz' | 'haz' | 'waz';

/** Which outlier rule censors z-scores: WHO fixed limits (as anthro) or SMART mean ± 3. */
export type FlagSystem = 'who' | 'smart';

/** WHO biological-plausibility limits per index (anthro's flags). @see DATA-QUALITY.md §4 */
export const WHO_FLAG_LIMITS: Record<ZIndex, { low: number; high: number }> = {
  whz: { low: -5, high: 5 },
  haz: { low: -6, high: 6 },
  waz: { low: -6, high: 5 },
};

/** SMART flags: z further than this from the group's own observed mean. @see DATA-QUALITY.md §4 */
export const SMART_FLAG_DISTANCE = 3;

/** Flag counts, censored distribution and robust spread of one z-score in one group. */
export interface ZscoreSpreadResult {
  /** Non-missing z-scores before censoring. */
  n: number;
  whoFlags: number;
  smartFlags: number;
  /** Flags under the chosen system, and their share of n in percent. */
  flagged: number;
  flagRate: number;
  /** On the censored values (flagged and, for WHZ, oedema removed): */
  nCensored: number;
  mean: number;
  sd: number;
  mad: number;
  s: number;
  k: number;
}

/** True when z is outside WHO's plausibility limits for the index. */
export function isWhoFlag(index: ZIndex, z: number): boolean {
  const lim = WHO_FLAG_LIMITS[index];
  return z < lim.low || z > lim.high;
}

/**
 * Which z-scores survive censoring: 1 = kept, 0 = missing, flagged under `system`, or (WHZ only)
 * a child with oedema. SMART flags use the group's raw mean. Also returns the flag counts.
 * @see DATA-QUALITY.md §4
 */
export function censorZscores(
  index: ZIndex,
  z: ArrayLike<number>,
  system: FlagSystem,
  oedema?: ArrayLike<number>,
): { keep: Uint8Array; n: number; whoFlags: number; smartFlags: number } {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    if (Number.isFinite(z[i])) {
      n++;
      sum += z[i];
    }
  }
  const rawMean = n > 0 ? sum / n : NaN;
  const keep = new Uint8Array(z.length);
  let whoFlags = 0;
  let smartFlags = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (!Number.isFinite(v)) continue;
    const who = isWhoFlag(index, v);
    const smart = Math.abs(v - rawMean) > SMART_FLAG_DISTANCE;
    if (who) whoFlags++;
    if (smart) smartFlags++;
    const flagged = system === 'who' ? who : smart;
    if (flagged || (index === 'whz' && oedema !== undefined && oedema[i] === 1)) continue;
    keep[i] = 1;
  }
  return { keep, n, whoFlags, smartFlags };
}

/**
 * Flag rate (WHO and SMART flags counted, `system` chosen), then mean, SD, adjusted MAD,
 * skewness and kurtosis of the censored z-scores (see {@link censorZscores}). `uncensoredShape`,
 * nipnTK's skewKurt of all finite values, is reused when nothing was censored.
 * @see DATA-QUALITY.md §4 (flags) and §5 (SD, skewness, kurtosis)
 */
export function zscoreSpread(
  index: ZIndex,
  z: ArrayLike<number>,
  system: FlagSystem,
  oedema?: ArrayLike<number>,
  uncensoredShape?: SkewKurtResult,
): ZscoreSpreadResult {
  const { keep, n, whoFlags, smartFlags } = censorZscores(index, z, system, oedema);
  let m = 0;
  for (let i = 0; i < keep.length; i++) m += keep[i];
  const values = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i] === 1) values[j++] = z[i];
  const flagged = system === 'who' ? whoFlags : smartFlags;
  // Nothing censored: the moments of all finite values, when the caller has them, are the same.
  const sk = m < 4 ? undefined : uncensoredShape && uncensoredShape.n === m ? uncensoredShape : skewKurtOfFinite(values);
  // spreadOfFinite sorts in place: the moments go first so they sum in the input order.
  const sp = spreadOfFinite(values);
  return {
    n,
    whoFlags,
    smartFlags,
    flagged,
    flagRate: n > 0 ? (100 * flagged) / n : NaN,
    nCensored: m,
    mean: sp.mean,
    sd: sp.sd,
    mad: sp.mad,
    s: sk ? sk.s : NaN,
    k: sk ? sk.k : NaN,
  };
}

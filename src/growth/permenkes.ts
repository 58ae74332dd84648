/**
 * Nutritional status categories of Permenkes RI No. 2 Tahun 2020 *Standar Antropometri Anak*
 * (children 0–60 months), from the 2-decimal z-scores of the WHO engine.
 *
 * Boundaries (on the rounded z, exactly as the regulation's table reads):
 *   BB/U        z < −3 | −3 ≤ z < −2 | −2 ≤ z ≤ +1 | z > +1
 *   PB/U, TB/U  z < −3 | −3 ≤ z < −2 | −2 ≤ z ≤ +3 | z > +3
 *   BB/PB, BB/TB, IMT/U
 *               z < −3 | −3 ≤ z < −2 | −2 ≤ z ≤ +1 | +1 < z ≤ +2 | +2 < z ≤ +3 | z > +3
 *
 * Flagged z-scores (outside WHO's plausible band) still get a status, marked `flagged: true`;
 * the form shows it with a warning, and analytics excludes flagged values (as anthro_prevalence).
 * @see DOMAIN.md §5.4
 */
import type { PermenkesStatus } from './types.js';

function status(code: string, id: string, en: string): PermenkesStatus {
  return Object.freeze({ code, id, en, flagged: false });
}

/** BB/U — berat badan menurut umur. */
export const WEIGHT_FOR_AGE_STATUS = Object.freeze({
  severelyUnderweight: status('severely_underweight', 'Berat badan sangat kurang', 'Severely underweight'),
  underweight: status('underweight', 'Berat badan kurang', 'Underweight'),
  normal: status('normal', 'Berat badan normal', 'Normal weight'),
  riskOfOverweight: status('risk_of_overweight', 'Risiko berat badan lebih', 'Risk of overweight'),
});

/** PB/U or TB/U — panjang/tinggi badan menurut umur. */
export const LENGTH_FOR_AGE_STATUS = Object.freeze({
  severelyStunted: status('severely_stunted', 'Sangat pendek', 'Severely stunted'),
  stunted: status('stunted', 'Pendek', 'Stunted'),
  normal: status('normal', 'Normal', 'Normal'),
  tall: status('tall', 'Tinggi', 'Tall'),
});

/** BB/PB or BB/TB, and IMT/U for 0–60 months (the same six labels). */
export const WEIGHT_FOR_LENGTH_STATUS = Object.freeze({
  severelyWasted: status('severely_wasted', 'Gizi buruk', 'Severely wasted'),
  wasted: status('wasted', 'Gizi kurang', 'Wasted'),
  normal: status('normal', 'Gizi baik', 'Normal'),
  possibleRiskOfOverweight: status('possible_risk_of_overweight', 'Berisiko gizi lebih', 'Possible risk of overweight'),
  overweight: status('overweight', 'Gizi lebih', 'Overweight'),
  obese: status('obese', 'Obesitas', 'Obese'),
});

const flaggedCache = new Map<PermenkesStatus, PermenkesStatus>();

/** The same category marked as coming from a flagged (implausible) z-score. */
function marked(s: PermenkesStatus): PermenkesStatus {
  let m = flaggedCache.get(s);
  if (!m) {
    m = Object.freeze({ ...s, flagged: true });
    flaggedCache.set(s, m);
  }
  return m;
}

function finish(s: PermenkesStatus, flag: number | null | undefined): PermenkesStatus {
  return flag === 1 ? marked(s) : s;
}

/**
 * BB/U status of a rounded weight-for-age z-score; null when z is missing.
 * @see DOMAIN.md §5.4 (Permenkes 2/2020)
 */
export function weightForAgeStatus(z: number | null, flag?: number | null): PermenkesStatus | null {
  if (z === null || z !== z) return null;
  const S = WEIGHT_FOR_AGE_STATUS;
  if (z < -3) return finish(S.severelyUnderweight, flag);
  if (z < -2) return finish(S.underweight, flag);
  if (z <= 1) return finish(S.normal, flag);
  return finish(S.riskOfOverweight, flag);
}

/**
 * PB/U–TB/U status of a rounded length/height-for-age z-score (stunting); null when missing.
 * @see DOMAIN.md §5.4 (Permenkes 2/2020)
 */
export function lengthForAgeStatus(z: number | null, flag?: number | null): PermenkesStatus | null {
  if (z === null || z !== z) return null;
  const S = LENGTH_FOR_AGE_STATUS;
  if (z < -3) return finish(S.severelyStunted, flag);
  if (z < -2) return finish(S.stunted, flag);
  if (z <= 3) return finish(S.normal, flag);
  return finish(S.tall, flag);
}

/**
 * BB/PB–BB/TB status of a rounded weight-for-length/height z-score (wasting); null when missing.
 * @see DOMAIN.md §5.4 (Permenkes 2/2020)
 */
export function weightForLengthStatus(z: number | null, flag?: number | null): PermenkesStatus | null {
  if (z === null || z !== z) return null;
  const S = WEIGHT_FOR_LENGTH_STATUS;
  if (z < -3) return finish(S.severelyWasted, flag);
  if (z < -2) return finish(S.wasted, flag);
  if (z <= 1) return finish(S.normal, flag);
  if (z <= 2) return finish(S.possibleRiskOfOverweight, flag);
  if (z <= 3) return finish(S.overweight, flag);
  return finish(S.obese, flag);
}

/**
 * IMT/U status (0–60 months) of a rounded BMI-for-age z-score: the BB/PB labels and cut-offs.
 * @see DOMAIN.md §5.4 (Permenkes 2/2020)
 */
export function bmiForAgeStatus(z: number | null, flag?: number | null): PermenkesStatus | null {
  return weightForLengthStatus(z, flag);
}

/**
 * Whether an e-PPGBM status label says the same as the Permenkes status Tumbuh computed from the
 * WHO z-score. e-PPGBM writes labels ("Berat Badan Kurang", "Pendek", "Gizi Kurang", "BB Normal");
 * Tumbuh stores codes ("underweight", "stunted", "wasted"). Pure.
 */
import { LENGTH_FOR_AGE_STATUS, WEIGHT_FOR_AGE_STATUS, WEIGHT_FOR_LENGTH_STATUS } from '../growth/permenkes.js';

const squash = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z]/g, '');

// Short forms seen in e-PPGBM exports and district spreadsheets, mapped to the code they mean.
const SYNONYMS: Record<string, string> = {
  bbsangatkurang: 'severely_underweight',
  bbkurang: 'underweight',
  bbnormal: 'normal',
  risikobblebih: 'risk_of_overweight',
  beratbadanlebih: 'risk_of_overweight',
  sangatpendek: 'severely_stunted',
  pendek: 'stunted',
  normal: 'normal',
  tinggi: 'tall',
  giziburuk: 'severely_wasted',
  gizikurang: 'wasted',
  gizibaik: 'normal',
  berisikogizilebih: 'possible_risk_of_overweight',
  risikogizilebih: 'possible_risk_of_overweight',
  gizilebih: 'overweight',
  obesitas: 'obese',
};

export type StatusIndex = 'wfa' | 'lfa' | 'wfl';

const TABLES = { wfa: WEIGHT_FOR_AGE_STATUS, lfa: LENGTH_FOR_AGE_STATUS, wfl: WEIGHT_FOR_LENGTH_STATUS } as const;

/**
 * The Permenkes status code an e-PPGBM label stands for in one index (BB/U, TB/U, BB/TB), or
 * null when the label is not recognised (then no disagreement is counted).
 */
export function statusCodeOfLabel(index: StatusIndex, label: string): string | null {
  const key = squash(label);
  if (key === '') return null;
  for (const s of Object.values(TABLES[index])) {
    if (squash(s.id) === key || squash(s.en) === key || squash(s.code) === key) return s.code;
  }
  const code = SYNONYMS[key];
  if (code && Object.values(TABLES[index]).some((s) => s.code === code)) return code;
  return null;
}

/** True when e-PPGBM's label names a different status than Tumbuh's code; false when equal or not comparable. */
export function statusDiffers(index: StatusIndex, eppgbmLabel: string | null, whoCode: string | null): boolean {
  if (!eppgbmLabel || !whoCode) return false;
  const code = statusCodeOfLabel(index, eppgbmLabel);
  return code !== null && code !== whoCode;
}

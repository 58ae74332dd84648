import { completedMonths, judgeWeightGainSeries, weightGainCodeOf, type KbmTable, type WeightGainCode, type Weighing } from '../growth/weight-gain.js';

/** One child's weighing as stored: what the judgement needs. */
export interface StoredWeighing {
  birthDate: string;
  measuredOn: string;
  weightKg: number | null;
}

export interface WeightGainResult {
  code: WeightGainCode | null;
  twoT: boolean;
}

const NONE: WeightGainResult = { code: null, twoT: false };

function weighing(w: StoredWeighing): Weighing | null {
  if (w.weightKg === null) return null;
  return { date: w.measuredOn, weightKg: w.weightKg, ageMonths: completedMonths(w.birthDate, w.measuredOn) };
}

/**
 * Codes for a child's whole series in stored order (measured_on, then id), through the growth
 * module's own series judgement. Measurements without a weight get no code.
 * @see src/growth/weight-gain.ts judgeWeightGainSeries
 */
export function judgeStoredSeries(series: readonly StoredWeighing[], kbm: KbmTable): WeightGainResult[] {
  const idx: number[] = [];
  const visits: Weighing[] = [];
  series.forEach((s, i) => {
    const w = weighing(s);
    if (w) {
      idx.push(i);
      visits.push(w);
    }
  });
  const judged = judgeWeightGainSeries(visits, kbm);
  const out: WeightGainResult[] = series.map(() => NONE);
  judged.forEach((j, k) => {
    out[idx[k]] = { code: j.code, twoT: j.twoT };
  });
  return out;
}

const monthIndex = (iso: string): number => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/** Completed calendar months between two ISO dates (the KMS "umur bulan"), as growth's completedMonths. */
function completedMonthsFast(birth: string, date: string): number {
  let months = monthIndex(date) - monthIndex(birth);
  if (Number(date.slice(8, 10)) < Number(birth.slice(8, 10))) months--;
  return months;
}

interface Last { monthIndex: number; weightKg: number; code: WeightGainCode }

/**
 * The same judgement fed one weighing at a time, in date order, for bulk loads that stream
 * millions of rows: per child it keeps only the last weighing of the previous month with data
 * and of the current month. `push` returns null when a weighing arrives out of date order (the
 * caller then re-judges that child's whole series with {@link judgeStoredSeries}).
 *
 * Each code comes from growth's `weightGainCodeOf` (the rule of judgeWeightGain without date
 * parsing or the bilingual reason); this class only picks the reference weighing (the last one
 * of the previous month with data) and marks T after T (2T). weight-gain-tracker.test.ts checks
 * on random series that it always agrees with judgeWeightGainSeries.
 */
export class WeightGainTracker {
  private readonly state = new Map<number, { ref: Last | null; monthLast: Last | null; month: number; lastDate: string }>();

  constructor(private readonly kbm: KbmTable) {}

  has(childId: number): boolean {
    return this.state.has(childId);
  }

  /** Judges the next weighing of a child; null when it is earlier than one already pushed. */
  push(childId: number, w: StoredWeighing): WeightGainResult | null {
    let s = this.state.get(childId);
    if (!s) {
      s = { ref: null, monthLast: null, month: NaN, lastDate: '' };
      this.state.set(childId, s);
    }
    if (w.measuredOn < s.lastDate) return null;
    s.lastDate = w.measuredOn;
    if (w.weightKg === null || !(w.weightKg > 0)) return NONE;
    const m = monthIndex(w.measuredOn);
    if (m !== s.month) {
      if (s.monthLast) s.ref = s.monthLast;
      s.monthLast = null;
      s.month = m;
    }
    const ref = s.ref;
    const code = weightGainCodeOf(ref, m, w.weightKg, completedMonthsFast(w.birthDate, w.measuredOn), this.kbm);
    if (code === null) return NONE;
    const twoT = code === 'T' && ref?.code === 'T';
    s.monthLast = { monthIndex: m, weightKg: w.weightKg, code };
    return { code, twoT };
  }
}

/**
 * The posyandu weight-gain judgement (SKDN "N"): N naik, T tidak naik, O not weighed last month,
 * B first weighing, and 2T (T two months in a row → refer to the puskesmas), with the KBM
 * (Kenaikan Berat Badan Minimal) table as data.
 *
 * Definitions (kept here so a cadre, a dashboard and a test agree):
 * - "Last month" is the previous **calendar** month: a weighing on 2 March compares with the last
 *   weighing in February, whatever the day. Two or more calendar months since the previous
 *   weighing → O. Several weighings in one month are each compared with the last weighing of an
 *   earlier month.
 * - The KBM row is chosen by the child's age in **completed calendar months at the current
 *   weighing** (born 15 Jan: 0 months until 14 Feb, 1 month from 15 Feb). Ages outside the table
 *   use the nearest row.
 * - Gain = current − previous weight, in whole grams (rounded, so 8.15 − 8.0 kg is 150 g).
 *   Gain ≥ KBM → N; otherwise T — a loss or no change is always T.
 * - 2T: this weighing is T and the previous month's weighing was T too.
 * @see DOMAIN.md §5.3
 */
import { z } from 'zod';
import { defineMessages, t, type Bilingual } from '../common/i18n.js';
import { parseDayNumber } from './fields.js';

/** Schema of data/kbm.json: whole-month age ranges, contiguous, each with a KBM in grams. */
export const kbmTableSchema = z
  .object({
    description: z.string().optional().describe('What the table is, for the person editing it'),
    source: z.string().min(1).describe('Where the figures come from (document, page)'),
    rows: z
      .array(
        z.object({
          fromMonth: z.number().int().min(0).describe('First age in completed months (inclusive)'),
          toMonth: z.number().int().min(0).describe('Last age in completed months (inclusive)'),
          grams: z.number().int().positive().describe('Minimum gain over one month, grams'),
        }),
      )
      .min(1),
  })
  .superRefine((table, ctx) => {
    table.rows.forEach((row, i) => {
      if (row.toMonth < row.fromMonth) {
        ctx.addIssue({ code: 'custom', path: ['rows', i], message: 'toMonth < fromMonth' });
      }
      if (i > 0 && row.fromMonth !== table.rows[i - 1].toMonth + 1) {
        ctx.addIssue({ code: 'custom', path: ['rows', i], message: 'rows must follow each other without gaps or overlaps' });
      }
    });
  });

/** The KBM table (data/kbm.json). */
export type KbmTable = z.infer<typeof kbmTableSchema>;

/** Validates a KBM table read from JSON; throws a readable Error when it is not valid. */
export function parseKbmTable(json: unknown): KbmTable {
  const r = kbmTableSchema.safeParse(json);
  if (!r.success) {
    throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return r.data;
}

/** KBM in grams for a child of `ageMonths` completed months (nearest row outside the table). */
export function kbmGrams(table: KbmTable, ageMonths: number): number {
  const rows = table.rows;
  if (ageMonths <= rows[0].fromMonth) return rows[0].grams;
  for (const row of rows) if (ageMonths >= row.fromMonth && ageMonths <= row.toMonth) return row.grams;
  return rows[rows.length - 1].grams;
}

/** One weighing of a child. */
export interface Weighing {
  /** yyyy-mm-dd (dd/mm/yyyy also accepted) */
  date: string;
  weightKg: number;
  /** Completed months of age at this weighing, see {@link completedMonths}. */
  ageMonths: number;
}

/** Weight-gain code for the month: N, T, O or B; null when the weighing cannot be judged. */
export type WeightGainCode = 'N' | 'T' | 'O' | 'B';

/** The judgement of one weighing, with the reason in words a cadre uses. */
export interface WeightGainJudgement {
  code: WeightGainCode | null;
  /** T in this month and in the month before: refer to the puskesmas. */
  twoT: boolean;
  /** Gain in grams since last month's weighing (negative = loss); null unless N or T. */
  gainGrams: number | null;
  /** The KBM applied; null unless N or T. */
  kbmGrams: number | null;
  reason: Bilingual;
}

const M = defineMessages({
  'weightGain.N': { id: 'naik {gain} g, KBM {kbm} g → N', en: 'gained {gain} g, minimum {kbm} g → N' },
  'weightGain.T.gain': { id: 'naik {gain} g, KBM {kbm} g → T', en: 'gained {gain} g, minimum {kbm} g → T' },
  'weightGain.T.same': { id: 'berat tetap (0 g), KBM {kbm} g → T', en: 'no weight change (0 g), minimum {kbm} g → T' },
  'weightGain.T.loss': { id: 'turun {loss} g, KBM {kbm} g → T', en: 'lost {loss} g, minimum {kbm} g → T' },
  'weightGain.2T': {
    id: '; T dua bulan berturut-turut → 2T, rujuk ke puskesmas',
    en: '; T two months in a row → 2T, refer to the puskesmas',
  },
  'weightGain.O': {
    id: 'tidak ditimbang bulan lalu (terakhir {months} bulan lalu) → O',
    en: 'not weighed last month (last weighed {months} months ago) → O',
  },
  'weightGain.B': { id: 'penimbangan pertama → B', en: 'first weighing → B' },
  'weightGain.badCurrent': {
    id: 'tanggal atau berat penimbangan ini tidak valid, tidak dinilai',
    en: 'date or weight of this weighing is not valid, not judged',
  },
  'weightGain.badPrevious': {
    id: 'tanggal atau berat penimbangan sebelumnya tidak valid, tidak dinilai',
    en: 'date or weight of the previous weighing is not valid, not judged',
  },
  'weightGain.notEarlier': {
    id: 'penimbangan sebelumnya tidak berada di bulan yang lebih awal, tidak dinilai',
    en: 'the previous weighing is not in an earlier month, not judged',
  },
});

function both(key: string, params?: Record<string, unknown>): Bilingual {
  return { id: t(key, params, 'id'), en: t(key, params, 'en') };
}

/** year·12 + month (0-based) of a date, or NaN. */
function monthIndex(date: string): number {
  const day = parseDayNumber(date);
  if (day !== day) return NaN;
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * The code alone, with the months given as year·12 + month (0-based): the rule of
 * {@link judgeWeightGain} without date parsing or reasons, for callers judging millions of rows
 * (src/db's bulk path). null when the current weight is unusable or the reference is not earlier.
 */
export function weightGainCodeOf(
  previous: { monthIndex: number; weightKg: number } | null,
  currentMonthIndex: number,
  currentWeightKg: number,
  ageMonths: number,
  kbm: KbmTable,
): WeightGainCode | null {
  if (!validWeight(currentWeightKg)) return null;
  if (previous === null) return 'B';
  const gap = currentMonthIndex - previous.monthIndex;
  if (gap <= 0) return null;
  if (gap >= 2) return 'O';
  return Math.round((currentWeightKg - previous.weightKg) * 1000) >= kbmGrams(kbm, ageMonths) ? 'N' : 'T';
}

/**
 * The child's age in completed calendar months on `date` (the "umur bulan" of the KMS); NaN for
 * an invalid date or a date before birth.
 */
export function completedMonths(birthDate: string, date: string): number {
  const b = parseDayNumber(birthDate);
  const d = parseDayNumber(date);
  if (b !== b || d !== d || d < b) return NaN;
  const bd = new Date(b * 86_400_000);
  const dd = new Date(d * 86_400_000);
  let months = (dd.getUTCFullYear() - bd.getUTCFullYear()) * 12 + (dd.getUTCMonth() - bd.getUTCMonth());
  if (dd.getUTCDate() < bd.getUTCDate()) months--;
  return months;
}

const validWeight = (w: number) => typeof w === 'number' && w > 0 && w < Infinity;

/**
 * The N/T/O/B judgement of `current` against the child's previous weighing (null = none):
 * gain ≥ KBM → N, else T; previous weighing two or more calendar months back → O; none → B.
 * Use {@link judgeWeightGainSeries} to also get 2T.
 * @see DOMAIN.md §5.3
 */
export function judgeWeightGain(previous: Weighing | null, current: Weighing, kbm: KbmTable): WeightGainJudgement {
  const none = { twoT: false, gainGrams: null, kbmGrams: null };
  const cm = monthIndex(current.date);
  if (cm !== cm || !validWeight(current.weightKg)) return { code: null, ...none, reason: both(M['weightGain.badCurrent']) };
  if (previous === null) return { code: 'B', ...none, reason: both(M['weightGain.B']) };
  const pm = monthIndex(previous.date);
  if (pm !== pm || !validWeight(previous.weightKg)) return { code: null, ...none, reason: both(M['weightGain.badPrevious']) };
  const gap = cm - pm;
  if (gap <= 0) return { code: null, ...none, reason: both(M['weightGain.notEarlier']) };
  if (gap >= 2) return { code: 'O', ...none, reason: both(M['weightGain.O'], { months: gap }) };
  const gain = Math.round((current.weightKg - previous.weightKg) * 1000);
  const min = kbmGrams(kbm, current.ageMonths);
  const code = weightGainCodeOf({ monthIndex: pm, weightKg: previous.weightKg }, cm, current.weightKg, current.ageMonths, kbm) as WeightGainCode;
  const key = code === 'N' ? M['weightGain.N'] : gain > 0 ? M['weightGain.T.gain'] : gain === 0 ? M['weightGain.T.same'] : M['weightGain.T.loss'];
  return { code, twoT: false, gainGrams: gain, kbmGrams: min, reason: both(key, { gain, loss: -gain, kbm: min }) };
}

/**
 * Judgements for all of one child's weighings (any order; results in the input order), including
 * 2T. Each weighing is compared with the last weighing of an earlier calendar month.
 * @see DOMAIN.md §5.3
 */
export function judgeWeightGainSeries(visits: readonly Weighing[], kbm: KbmTable): WeightGainJudgement[] {
  const order = visits
    .map((v, i) => ({ v, i, day: parseDayNumber(v.date) }))
    .sort((a, b) => (a.day !== a.day ? 1 : b.day !== b.day ? -1 : a.day - b.day || a.i - b.i));
  const results = new Array<WeightGainJudgement>(visits.length);
  // The last valid weighing of the months before the current one, and its judgement.
  let ref: { v: Weighing; j: WeightGainJudgement } | null = null;
  let monthLast: { v: Weighing; j: WeightGainJudgement } | null = null;
  let month = NaN;
  for (const { v, i } of order) {
    const m = monthIndex(v.date);
    if (m === m && m !== month) {
      if (monthLast) ref = monthLast;
      monthLast = null;
      month = m;
    }
    let j = judgeWeightGain(ref ? ref.v : null, v, kbm);
    if (j.code === 'T' && ref?.j.code === 'T') {
      const extra = both(M['weightGain.2T']);
      j = { ...j, twoT: true, reason: { id: j.reason.id + extra.id, en: j.reason.en + extra.en } };
    }
    results[i] = j;
    if (j.code !== null) monthLast = { v, j };
  }
  return results;
}

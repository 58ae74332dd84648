/**
 * Reporting periods of routine data (DOMAIN.md §8.7): month (posyandu), quarter, semester (TPPS
 * reports, AKS), year (reviu kinerja) and bulan penimbangan balita (February and August, §5.2).
 * Pure: labels in, first day and day after the last day out.
 */
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';

export type PeriodType = 'month' | 'quarter' | 'semester' | 'year' | 'bpb';
export const PERIOD_TYPES: readonly PeriodType[] = ['month', 'quarter', 'semester', 'year', 'bpb'];

/** A period: `start` is its first day, `end` the day after its last day (both yyyy-mm-dd). */
export interface Period {
  type: PeriodType;
  label: string;
  start: string;
  end: string;
}

const M = defineMessages({
  'analytics.period.bad': {
    id: 'Periode {label} tidak dikenal untuk jenis {type} (contoh: 2025-03, 2025-Q1, 2025-S1, 2025, 2025-02 untuk bulan penimbangan)',
    en: 'Period {label} is not valid for type {type} (e.g. 2025-03, 2025-Q1, 2025-S1, 2025, 2025-02 for a weighing month)',
  },
});

const ymd = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
/** First day of the month `n` months after the month of `date` (n may be negative). */
export function addMonths(date: string, n: number): string {
  const idx = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + n;
  return ymd(Math.floor(idx / 12), (idx % 12) + 1);
}

/** Months a period type spans. */
export function periodLength(type: PeriodType): number {
  return type === 'quarter' ? 3 : type === 'semester' ? 6 : type === 'year' ? 12 : 1;
}

/** The period of this type that contains the day `date`. For 'bpb', the nearest earlier Feb/Aug month. */
export function periodContaining(type: PeriodType, date: string): Period {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (type) {
    case 'month':
      return parsePeriod(type, `${y}-${String(m).padStart(2, '0')}`);
    case 'quarter':
      return parsePeriod(type, `${y}-Q${Math.ceil(m / 3)}`);
    case 'semester':
      return parsePeriod(type, `${y}-S${m <= 6 ? 1 : 2}`);
    case 'year':
      return parsePeriod(type, String(y));
    case 'bpb':
      return m >= 8 ? parsePeriod(type, `${y}-08`) : m >= 2 ? parsePeriod(type, `${y}-02`) : parsePeriod(type, `${y - 1}-08`);
  }
}

/**
 * Reads a period label: month `2025-03`, quarter `2025-Q1`, semester `2025-S1`, year `2025`,
 * bulan penimbangan `2025-02` or `2025-08` (only February and August).
 */
export function parsePeriod(type: PeriodType, label: string): Period {
  const bad = () => new AppError('bad_period', M['analytics.period.bad'], { label, type });
  let start: string;
  let match: RegExpExecArray | null;
  if (type === 'month' || type === 'bpb') {
    match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
    if (!match) throw bad();
    const month = Number(match[2]);
    if (type === 'bpb' && month !== 2 && month !== 8) throw bad();
    start = ymd(Number(match[1]), month);
  } else if (type === 'quarter') {
    match = /^(\d{4})-Q([1-4])$/i.exec(label);
    if (!match) throw bad();
    start = ymd(Number(match[1]), 3 * Number(match[2]) - 2);
  } else if (type === 'semester') {
    match = /^(\d{4})-S([12])$/i.exec(label);
    if (!match) throw bad();
    start = ymd(Number(match[1]), match[2] === '1' ? 1 : 7);
  } else {
    if (!/^\d{4}$/.test(label)) throw bad();
    start = ymd(Number(label), 1);
  }
  return { type, label: label.toUpperCase(), start, end: addMonths(start, periodLength(type)) };
}

/** Every period of this type from the one containing `from` to the one containing `to`, in order. */
export function periodsBetween(type: PeriodType, from: string, to: string): Period[] {
  const out: Period[] = [];
  let p = periodContaining(type, from);
  if (type === 'bpb' && p.start < from.slice(0, 7) + '-01') p = periodContaining(type, addMonths(p.start, 6));
  while (p.start <= to) {
    out.push(p);
    p = periodContaining(type, type === 'bpb' ? addMonths(p.start, 6) : p.end);
  }
  return out;
}

/** The same period one year earlier (for the change against last year). */
export function samePeriodLastYear(p: Period): Period {
  const label = `${Number(p.label.slice(0, 4)) - 1}${p.label.slice(4)}`;
  return parsePeriod(p.type, label);
}

/**
 * The demo's month arithmetic on top of src/common/dates.ts (whole days since 1970-01-01, UTC,
 * proleptic Gregorian; no Date objects).
 */
import { civilFromDays, daysFromCivil } from '../common/dates.js';

export { civilFromDays, daysFromCivil, isoDate } from '../common/dates.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Epoch day of an ISO yyyy-mm-dd date. */
export function parseIsoDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not an ISO date: ${text}`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A month as a running index (year × 12 + month − 1), so months add like integers. */
export function monthIndex(y: number, m: number): number {
  return y * 12 + (m - 1);
}

/** [year, month 1–12] of a month index. */
export function monthOf(index: number): [number, number] {
  return [Math.floor(index / 12), (index % 12) + 1];
}

/** yyyy-mm of a month index. */
export function monthLabel(index: number): string {
  const [y, m] = monthOf(index);
  return `${y}-${pad2(m)}`;
}

/** Month index of a yyyy-mm label. */
export function parseMonthLabel(text: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`not a yyyy-mm month: ${text}`);
  return monthIndex(Number(m[1]), Number(m[2]));
}

/** Epoch day of a given day of a month index (day clamped to the month's length). */
export function dayInMonth(index: number, day: number): number {
  const [y, m] = monthOf(index);
  const last = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
  return Math.min(daysFromCivil(y, m, 1) + day - 1, last);
}

/** Month index that contains an epoch day. */
export function monthOfDay(day: number): number {
  const [y, m] = civilFromDays(day);
  return monthIndex(y, m);
}

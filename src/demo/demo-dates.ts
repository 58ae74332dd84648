/**
 * Calendar arithmetic on whole days since 1970-01-01 (UTC, proleptic Gregorian), written out
 * instead of going through Date so that millions of dates are formatted quickly and never touch
 * a time zone. Algorithms: Howard Hinnant, "chrono-compatible low-level date algorithms".
 */

/** Epoch day of a calendar date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Calendar date [year, month 1–12, day] of an epoch day. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** ISO yyyy-mm-dd of an epoch day. */
export function isoDate(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

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

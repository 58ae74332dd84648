/**
 * Calendar arithmetic on whole days since 1970-01-01 (UTC, proleptic Gregorian), written out
 * instead of going through Date so that millions of dates are handled quickly and never touch a
 * time zone. Algorithms: Howard Hinnant, "chrono-compatible low-level date algorithms".
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

/** ISO yyyy-mm-dd of an epoch day (years 0–9999). */
export function isoDate(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Epoch day of a well-formed ISO `yyyy-mm-dd` (not validated: for dates the system wrote itself). */
export function isoDayNumber(iso: string): number {
  const c = (i: number): number => iso.charCodeAt(i) - 48;
  return daysFromCivil(c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3), c(5) * 10 + c(6), c(8) * 10 + c(9));
}

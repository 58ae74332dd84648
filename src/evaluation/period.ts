/** Evaluation periods: inclusive ISO date ranges ('yyyy-mm-dd'), month arithmetic without a clock. */

export interface Period {
  start: string;
  end: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The ISO date of a UTC day number (days since 1970-01-01). */
export function isoFromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of an ISO date. */
export function daysOf(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** The first day of the month `delta` months after the month of `date`. */
export function addMonths(date: string, delta: number): string {
  const [y, m] = parts(date);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The last day of the month of `date`. */
export function endOfMonth(date: string): string {
  return isoFromDays(daysOf(addMonths(date, 1)) - 1);
}

/** First days of every month the period touches, in order. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  for (let m = addMonths(p.start, 0); m <= p.end; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The period of the same length just before `p` (whole months: a year before a year, a semester before a semester). */
export function previousPeriod(p: Period): Period {
  const n = monthsOf(p).length;
  const start = addMonths(p.start, -n);
  return { start, end: endOfMonth(addMonths(p.start, -1)) };
}

/** Weeks in a period (days ÷ 7), for per-week rules such as TTD for adolescent girls. */
export function weeksOf(p: Period): number {
  return (daysOf(p.end) - daysOf(p.start) + 1) / 7;
}

/** The year a period's targets are taken from: the year its last day falls in. */
export function targetYearOf(p: Period): number {
  return parts(p.end)[0];
}

/** The period clipped to end no later than `asOf` (data after the cut-off are not counted). */
export function clipPeriod(p: Period, asOf: string | null): Period {
  return asOf && asOf < p.end ? { start: p.start, end: asOf < p.start ? p.start : asOf } : p;
}

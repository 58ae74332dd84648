/**
 * Routine (posyandu census) prevalence arithmetic, pure: the numbers a dashboard shows for a desa,
 * kecamatan or the kabupaten. Counts are added up the region tree and the rate is recomputed from
 * the sums — never an average of the children's units' percentages — and every rate carries its
 * denominator, the registered (S) and measured (D) children, coverage D/S and the number of
 * flagged values left out, plus a Wilson 95 % interval.
 * @see issue 6 §1; DOMAIN.md §5.3 (S, D)
 */
import { wilsonInterval } from './wilson.js';

/** The counts of one unit (desa, posyandu …) and period for one indicator. */
export interface RoutineCounts {
  /** Children with the condition (e.g. HAZ < −2) at their latest valid measurement. */
  numerator: number;
  /** Children measured with a usable (non-missing, non-flagged) z-score for the index. */
  denominator: number;
  /** Registered target children (S). */
  registered: number;
  /** Children measured in the period (D). */
  measured: number;
  /** Measured children whose z-score was flagged implausible and left out of the denominator. */
  flaggedExcluded: number;
}

/** Counts with the derived rates; proportions in [0, 1], null where a denominator is 0. */
export interface RoutinePrevalence extends RoutineCounts {
  prevalence: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** D / S. */
  coverage: number | null;
  /** D > S: more children measured than registered — the register needs checking, not a 100 %+ coverage. */
  coverageAboveRegistered: boolean;
}

const FIELDS: readonly (keyof RoutineCounts)[] = ['numerator', 'denominator', 'registered', 'measured', 'flaggedExcluded'];

/** Zero counts, the start of a sum. */
export function emptyCounts(): RoutineCounts {
  return { numerator: 0, denominator: 0, registered: 0, measured: 0, flaggedExcluded: 0 };
}

const isCount = (v: number) => Number.isInteger(v) && v >= 0;

// Written out field by field (no loop over keys): dashboards call this for thousands of cells.
function check(c: RoutineCounts): void {
  if (!(isCount(c.numerator) && isCount(c.denominator) && isCount(c.registered) && isCount(c.measured) && isCount(c.flaggedExcluded))) {
    for (const f of FIELDS) {
      const v = c[f];
      if (!isCount(v)) throw new RangeError(`routine counts: ${f} = ${v} is not a count`);
    }
  }
  if (c.numerator > c.denominator) {
    throw new RangeError(`routine counts: numerator ${c.numerator} > denominator ${c.denominator}`);
  }
}

function add(total: RoutineCounts, c: RoutineCounts): void {
  total.numerator += c.numerator;
  total.denominator += c.denominator;
  total.registered += c.registered;
  total.measured += c.measured;
  total.flaggedExcluded += c.flaggedExcluded;
}

/** The sum of several units' counts (numerators with numerators, denominators with denominators). */
export function sumCounts(list: Iterable<RoutineCounts>): RoutineCounts {
  const total = emptyCounts();
  for (const c of list) {
    check(c);
    add(total, c);
  }
  return total;
}

/**
 * Prevalence with its Wilson 95 % interval and coverage D/S for one set of counts.
 * @see wilsonInterval
 */
export function routinePrevalence(c: RoutineCounts): RoutinePrevalence {
  check(c);
  const ci = wilsonInterval(c.numerator, c.denominator);
  return {
    numerator: c.numerator,
    denominator: c.denominator,
    registered: c.registered,
    measured: c.measured,
    flaggedExcluded: c.flaggedExcluded,
    prevalence: ci.estimate,
    ciLow: ci.low,
    ciHigh: ci.high,
    coverage: c.registered > 0 ? c.measured / c.registered : null,
    coverageAboveRegistered: c.measured > c.registered,
  };
}

/**
 * Rolls units up to their parents (desa → kecamatan, posyandu → desa …): sums each parent's
 * units' counts, then computes the rates from the sums. Units whose key is null are skipped.
 */
export function aggregateRoutine<T>(
  units: Iterable<T>,
  keyOf: (unit: T) => string | null,
  countsOf: (unit: T) => RoutineCounts,
): Map<string, RoutinePrevalence> {
  const sums = new Map<string, RoutineCounts>();
  for (const unit of units) {
    const key = keyOf(unit);
    if (key === null) continue;
    let s = sums.get(key);
    if (!s) sums.set(key, (s = emptyCounts()));
    const c = countsOf(unit);
    check(c);
    add(s, c);
  }
  const out = new Map<string, RoutinePrevalence>();
  for (const [key, s] of sums) out.set(key, routinePrevalence(s));
  return out;
}

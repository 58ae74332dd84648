/**
 * Longitudinal checks on one child's series of posyandu visits: what a single cross-sectional
 * month cannot show. Pure: visits in, issues out. Thresholds are configuration with defaults;
 * they are Tumbuh's screening heuristics (not WHO standards) and are documented in README.md.
 */

/** Days per month in the WHO standards. */
const DAYS_PER_MONTH = 30.4375;

/** One visit (measurement) of a child. Day numbers are whole days since 1970-01-01. */
export interface Visit {
  /** Caller's id of the measurement, echoed in issues. */
  id: string;
  /** Day of the visit. */
  day: number;
  /** Age in days as recorded (e-PPGBM / form); null when not recorded. */
  ageDays?: number | null;
  /** kg */
  weight?: number | null;
  /** cm, as measured */
  height?: number | null;
  /** 'l' recumbent length, 'h' standing height. */
  measure?: 'l' | 'h' | null;
  whz?: number | null;
  haz?: number | null;
  waz?: number | null;
}

/** Issue codes of the longitudinal checks. */
export type LongitudinalIssueCode =
  | 'height_decrease'
  | 'weight_velocity'
  | 'z_jump'
  | 'copied_values'
  | 'position_age'
  | 'age_birthdate'
  | 'same_day_visits';

/** One problem found in a series. */
export interface LongitudinalIssue {
  code: LongitudinalIssueCode;
  /** The visit the issue is reported on, and the earlier visit it is compared with. */
  visitId: string;
  previousVisitId?: string;
  /** The measured quantity: cm lost, kg/month, z change, visits copied, days off… */
  value: number;
  /** For z_jump: which index; for weight_velocity: 'gain' or 'loss'. */
  detail?: string;
}

/** Weight velocity limits for children younger than `upToMonths` (age at the earlier visit). */
export interface VelocityBand {
  upToMonths: number;
  maxGainKgPerMonth: number;
  maxLossKgPerMonth: number;
}

/** Settings of the longitudinal checks. */
export interface LongitudinalOptions {
  /** Length/height may fall by at most this much between visits (measurement error), cm. */
  heightDropToleranceCm: number;
  /** Weight velocity limits per age band (first band whose upToMonths exceeds the age). */
  velocityBands: readonly VelocityBand[];
  /** Shortest interval over which velocity is judged (shorter ones are all noise), days. */
  minVelocityIntervalDays: number;
  /** Largest change of WHZ, HAZ or WAZ allowed between consecutive visits … */
  zJump: number;
  /** … that are at most this many days apart (monthly visits). */
  zJumpMaxIntervalDays: number;
  /** Identical weight and height on this many consecutive visits or more = copied. */
  copiedVisits: number;
  /** Age (days) from which standing height is expected; below it, recumbent length (WHO: 731). */
  standingFromDays: number;
  /** Recorded age may differ from the birth date by at most this many days. */
  ageToleranceDays: number;
}

export const DEFAULT_LONGITUDINAL_OPTIONS: LongitudinalOptions = {
  heightDropToleranceCm: 1.0,
  velocityBands: [
    { upToMonths: 6, maxGainKgPerMonth: 2.0, maxLossKgPerMonth: 1.0 },
    { upToMonths: 24, maxGainKgPerMonth: 1.5, maxLossKgPerMonth: 1.2 },
    { upToMonths: Infinity, maxGainKgPerMonth: 1.2, maxLossKgPerMonth: 1.5 },
  ],
  minVelocityIntervalDays: 20,
  zJump: 2,
  zJumpMaxIntervalDays: 45,
  copiedVisits: 3,
  standingFromDays: 731,
  ageToleranceDays: 30.4375,
};

/** Standing height reads about 0.7 cm less than recumbent length (WHO); compare on one scale. */
const LENGTH_HEIGHT_DIFFERENCE_CM = 0.7;

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function ageAt(v: Visit, birthDay: number | null | undefined): number | null {
  if (finite(birthDay)) return v.day - birthDay;
  return finite(v.ageDays) ? v.ageDays : null;
}

/**
 * Every longitudinal issue in one child's series (visits in any order; sorted by day here):
 * length/height falling by more than the tolerance (length and height compared on one scale),
 * implausible weight velocity, z-score jumps between monthly visits, weight and height copied
 * unchanged across visits, measuring position inconsistent with age, recorded age inconsistent
 * with the birth date, and two visits on one day.
 * @see src/quality/README.md "Longitudinal checks"
 */
export function checkSeries(
  visits: readonly Visit[],
  birthDay?: number | null,
  options: Partial<LongitudinalOptions> = {},
): LongitudinalIssue[] {
  const opt = { ...DEFAULT_LONGITUDINAL_OPTIONS, ...options };
  const v = [...visits].sort((a, b) => a.day - b.day);
  const issues: LongitudinalIssue[] = [];

  for (const visit of v) {
    const age = ageAt(visit, birthDay);
    if (age !== null && visit.measure) {
      const expected = age < opt.standingFromDays ? 'l' : 'h';
      if (visit.measure !== expected) issues.push({ code: 'position_age', visitId: visit.id, value: age, detail: visit.measure });
    }
    if (finite(birthDay) && finite(visit.ageDays)) {
      const off = visit.ageDays - (visit.day - birthDay);
      if (Math.abs(off) > opt.ageToleranceDays) issues.push({ code: 'age_birthdate', visitId: visit.id, value: off });
    }
  }

  // Pairwise checks against the nearest earlier visit that has the value.
  let lastHeight: Visit | undefined;
  let lastWeight: Visit | undefined;
  for (let i = 0; i < v.length; i++) {
    const cur = v[i];
    if (i > 0 && v[i - 1].day === cur.day) {
      issues.push({ code: 'same_day_visits', visitId: cur.id, previousVisitId: v[i - 1].id, value: 0 });
      continue;
    }
    if (finite(cur.height)) {
      if (lastHeight && finite(lastHeight.height)) {
        const drop = lengthScale(lastHeight) - lengthScale(cur);
        if (drop > opt.heightDropToleranceCm) {
          issues.push({ code: 'height_decrease', visitId: cur.id, previousVisitId: lastHeight.id, value: round(drop, 2) });
        }
      }
      lastHeight = cur;
    }
    if (finite(cur.weight)) {
      if (lastWeight && finite(lastWeight.weight)) {
        const days = cur.day - lastWeight.day;
        if (days >= opt.minVelocityIntervalDays) {
          const rate = (cur.weight - lastWeight.weight) / (days / DAYS_PER_MONTH);
          const age = ageAt(lastWeight, birthDay);
          const band = bandFor(opt.velocityBands, age === null ? Infinity : age / DAYS_PER_MONTH);
          if (rate > band.maxGainKgPerMonth || -rate > band.maxLossKgPerMonth) {
            issues.push({
              code: 'weight_velocity',
              visitId: cur.id,
              previousVisitId: lastWeight.id,
              value: round(rate, 3),
              detail: rate > 0 ? 'gain' : 'loss',
            });
          }
        }
      }
      lastWeight = cur;
    }
    if (i > 0) {
      const prev = v[i - 1];
      if (cur.day - prev.day <= opt.zJumpMaxIntervalDays) {
        for (const z of ['whz', 'haz', 'waz'] as const) {
          const a = prev[z];
          const b = cur[z];
          if (finite(a) && finite(b) && Math.abs(b - a) > opt.zJump) {
            issues.push({ code: 'z_jump', visitId: cur.id, previousVisitId: prev.id, value: round(b - a, 2), detail: z });
          }
        }
      }
    }
  }

  // Runs of identical weight and height.
  let runStart = 0;
  for (let i = 1; i <= v.length; i++) {
    const same =
      i < v.length &&
      finite(v[i].weight) &&
      finite(v[i].height) &&
      v[i].weight === v[runStart].weight &&
      v[i].height === v[runStart].height;
    if (same) continue;
    const len = i - runStart;
    if (len >= opt.copiedVisits && finite(v[runStart].weight) && finite(v[runStart].height)) {
      issues.push({ code: 'copied_values', visitId: v[i - 1].id, previousVisitId: v[runStart].id, value: len });
    }
    runStart = i;
  }
  return issues;
}

function lengthScale(v: Visit): number {
  return (v.height as number) + (v.measure === 'h' ? LENGTH_HEIGHT_DIFFERENCE_CM : 0);
}

function bandFor(bands: readonly VelocityBand[], ageMonths: number): VelocityBand {
  for (const b of bands) if (ageMonths < b.upToMonths) return b;
  return bands[bands.length - 1];
}

function round(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

/** Counts of children with each issue code, for a group of series (e.g. one posyandu). */
export function summariseIssues(perChild: readonly (readonly LongitudinalIssue[])[]): {
  children: number;
  childrenWith: Record<LongitudinalIssueCode, number>;
} {
  const childrenWith: Record<LongitudinalIssueCode, number> = {
    height_decrease: 0,
    weight_velocity: 0,
    z_jump: 0,
    copied_values: 0,
    position_age: 0,
    age_birthdate: 0,
    same_day_visits: 0,
  };
  for (const issues of perChild) {
    const codes = new Set(issues.map((i) => i.code));
    for (const c of codes) childrenWith[c]++;
  }
  return { children: perChild.length, childrenWith };
}

/**
 * The validity score of every posyandu, desa and puskesmas × month of a district in one pass
 * (the batch job's pure core): each child's series checked once (longitudinal.ts), issues
 * attributed to the unit and month of the visit they were found on, plausibility statistics of
 * each unit-month on each child's latest measurement of the month (plausibility.ts), birth-date
 * heaping and repeated weights (month-signals.ts), duplicate candidates and e-PPGBM disagreement
 * counted, all combined by validityScore. Pure: visits in, scores out; the service reads and
 * writes the database.
 */
import { checkSeries, type LongitudinalIssueCode, type LongitudinalOptions, type Visit } from './longitudinal.js';
import { birthDayHeaping, dayOfMonth } from './month-signals.js';
import { plausibilityByGroup, type Grouping, type QualityColumns } from './plausibility.js';
import { validityScore, type ValidityOptions, type ValidityProblem } from './validity.js';

/** One measurement as the batch reads it. Days are whole days since 1970-01-01. */
export interface BatchVisit {
  childId: number;
  day: number;
  /** yyyy-mm-01 */
  month: string;
  posyanduId: number | null;
  desaCode: string;
  puskesmasId: number | null;
  birthDay: number;
  sex: number;
  /** kg, cm, cm; null = not measured */
  weight: number | null;
  height: number | null;
  position: 'L' | 'H' | null;
  muacCm: number | null;
  oedema: boolean;
  whz: number | null;
  haz: number | null;
  waz: number | null;
  /** Imported with e-PPGBM's own results: true = they differ from WHO's; null = nothing to compare. */
  eppgbmDiffers: boolean | null;
}

export type ValidityLevel = 'posyandu' | 'desa' | 'puskesmas';

/** Settings of the batch. */
export interface ValidityBatchOptions {
  /** Only these months (yyyy-mm-01) are scored; every visit still feeds the series. Default: all. */
  months?: ReadonlySet<string>;
  /** Units with fewer children measured in the month get no score (default 10). */
  minChildren: number;
  /** A weighing repeats the previous one when that was at most this many days earlier (45). */
  repeatMaxIntervalDays: number;
  /** Children under this age (days) are judged (1826: under five, as the rollups). */
  maxAgeDays: number;
  longitudinal?: Partial<LongitudinalOptions>;
  validity?: Partial<ValidityOptions>;
}

export const DEFAULT_VALIDITY_BATCH_OPTIONS: ValidityBatchOptions = {
  minChildren: 10,
  repeatMaxIntervalDays: 45,
  maxAgeDays: 1826,
};

/** The figures behind a score, stored for the reviewer. */
export interface ValidityFigures {
  heightDps: number | null;
  weightDps: number | null;
  whzSd: number | null;
  hazSd: number | null;
  whoFlags: number;
  birthDaysHeaped: number;
  birthDaysN: number;
  repeatedWeights: number;
  repeatVisits: number;
  childrenWith: Partial<Record<LongitudinalIssueCode, number>>;
  eppgbmCompared: number;
}

/** The score of one unit × month. */
export interface UnitMonthValidity {
  level: ValidityLevel;
  /** posyandu/puskesmas id as text, or the desa code */
  unit: string;
  desaCode: string | null;
  puskesmasId: number | null;
  month: string;
  children: number;
  measurements: number;
  /** null when fewer than minChildren children were measured */
  score: number | null;
  problems: ValidityProblem[];
  figures: ValidityFigures;
  duplicateRecords: number;
  eppgbmDisagreements: number;
}

const ISSUE_CODES: readonly LongitudinalIssueCode[] = [
  'height_decrease', 'weight_velocity', 'z_jump', 'copied_values', 'position_age', 'age_birthdate', 'same_day_visits',
];
const ISSUE_BIT = new Map(ISSUE_CODES.map((c, i) => [c, 1 << i]));

interface Acc {
  level: ValidityLevel;
  unit: string;
  desaCode: string | null;
  puskesmasId: number | null;
  month: string;
  /** child id → index of its latest visit in the unit-month */
  latest: Map<number, number>;
  /** child id → issue bits of its visits in the unit-month */
  issues: Map<number, number>;
  measurements: number;
  repeatVisits: number;
  repeated: number;
  eppgbmCompared: number;
  eppgbmDisagreements: number;
}

const finiteOrNaN = (x: number | null) => (x === null || !Number.isFinite(x) ? NaN : x);

/**
 * Validity of every posyandu, desa and puskesmas × month of the visits (any order), worst
 * problems first in each. `duplicateChildIds`: children in an open duplicate candidate pair.
 * @see src/quality/README.md "Validity score"
 */
export function scoreValidityBatch(
  visits: readonly BatchVisit[],
  duplicateChildIds: ReadonlySet<number>,
  options: Partial<ValidityBatchOptions> = {},
): UnitMonthValidity[] {
  const opt = { ...DEFAULT_VALIDITY_BATCH_OPTIONS, ...options };
  const order = new Int32Array(visits.length);
  let sorted = true;
  for (let i = 0; i < visits.length; i++) {
    order[i] = i;
    if (i > 0 && (visits[i].childId < visits[i - 1].childId || (visits[i].childId === visits[i - 1].childId && visits[i].day < visits[i - 1].day))) sorted = false;
  }
  // The repository reads visits already in (child, day) order; sorting is then skipped.
  if (!sorted) order.sort((a, b) => visits[a].childId - visits[b].childId || visits[a].day - visits[b].day || a - b);

  // Per visit: longitudinal issue bits and whether the weight repeats the previous weighing.
  const bits = new Uint8Array(visits.length);
  const repeatEligible = new Uint8Array(visits.length);
  const repeatHit = new Uint8Array(visits.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    const child = visits[order[s]].childId;
    while (e < order.length && visits[order[e]].childId === child) e++;
    const series: Visit[] = [];
    for (let k = s; k < e; k++) {
      const v = visits[order[k]];
      series.push({
        id: String(order[k]), day: v.day, weight: v.weight, height: v.height,
        measure: v.position === 'L' ? 'l' : v.position === 'H' ? 'h' : null, whz: v.whz, haz: v.haz, waz: v.waz,
      });
    }
    for (const issue of checkSeries(series, visits[order[s]].birthDay, opt.longitudinal)) {
      bits[Number(issue.visitId)] |= ISSUE_BIT.get(issue.code) as number;
    }
    let prev = -1;
    for (let k = s; k < e; k++) {
      const i = order[k];
      const w = visits[i].weight;
      if (w === null) continue;
      if (prev >= 0 && visits[i].day - visits[prev].day <= opt.repeatMaxIntervalDays && visits[i].day > visits[prev].day) {
        repeatEligible[i] = 1;
        if (visits[prev].weight === w) repeatHit[i] = 1;
      }
      prev = i;
    }
    s = e;
  }

  const groups: Acc[] = [];
  const byLevel = new Map<ValidityLevel, Map<string, Map<string, Acc>>>();
  const accFor = (level: ValidityLevel, unit: string, v: BatchVisit): Acc => {
    let units = byLevel.get(level);
    if (!units) byLevel.set(level, (units = new Map()));
    let months = units.get(unit);
    if (!months) units.set(unit, (months = new Map()));
    let a = months.get(v.month);
    if (!a) {
      a = {
        level, unit, month: v.month,
        desaCode: level === 'puskesmas' ? null : v.desaCode,
        puskesmasId: level === 'desa' ? null : v.puskesmasId,
        latest: new Map(), issues: new Map(), measurements: 0, repeatVisits: 0, repeated: 0, eppgbmCompared: 0, eppgbmDisagreements: 0,
      };
      months.set(v.month, a);
      groups.push(a);
    }
    return a;
  };
  for (const i of order) {
    const v = visits[i];
    if (opt.months && !opt.months.has(v.month)) continue;
    if (v.day - v.birthDay > opt.maxAgeDays || v.day < v.birthDay) continue;
    const units: [ValidityLevel, string | null][] = [
      ['posyandu', v.posyanduId === null ? null : String(v.posyanduId)],
      ['desa', v.desaCode],
      ['puskesmas', v.puskesmasId === null ? null : String(v.puskesmasId)],
    ];
    for (const [level, unit] of units) {
      if (unit === null) continue;
      const a = accFor(level, unit, v);
      a.latest.set(v.childId, i); // visits come in day order per child: the last one wins
      a.issues.set(v.childId, (a.issues.get(v.childId) ?? 0) | bits[i]);
      a.measurements++;
      a.repeatVisits += repeatEligible[i];
      a.repeated += repeatHit[i];
      if (v.eppgbmDiffers !== null) {
        a.eppgbmCompared++;
        if (v.eppgbmDiffers) a.eppgbmDisagreements++;
      }
    }
  }

  // One row per child per unit-month (its latest visit) for the cross-sectional statistics.
  const accs = groups;
  let rows = 0;
  for (const a of accs) rows += a.latest.size;
  const cols = {
    sex: new Float64Array(rows), ageMonths: new Float64Array(rows), weight: new Float64Array(rows), height: new Float64Array(rows),
    muac: new Float64Array(rows), whz: new Float64Array(rows), haz: new Float64Array(rows), waz: new Float64Array(rows),
    oedema: new Float64Array(rows),
  } satisfies QualityColumns;
  const groupOf = new Int32Array(rows);
  const birthDom = new Float64Array(rows);
  let r = 0;
  accs.forEach((a, g) => {
    for (const i of a.latest.values()) {
      const v = visits[i];
      cols.sex[r] = v.sex;
      cols.ageMonths[r] = (v.day - v.birthDay) / (365.25 / 12);
      cols.weight[r] = finiteOrNaN(v.weight);
      cols.height[r] = finiteOrNaN(v.height);
      cols.muac[r] = v.muacCm === null ? NaN : Math.round(v.muacCm * 10);
      cols.whz[r] = finiteOrNaN(v.whz);
      cols.haz[r] = finiteOrNaN(v.haz);
      cols.waz[r] = finiteOrNaN(v.waz);
      cols.oedema[r] = v.oedema ? 1 : 0;
      birthDom[r] = dayOfMonth(v.birthDay);
      groupOf[r] = g;
      r++;
    }
  });
  const grouping: Grouping = { groupOf, labels: accs.map((_, g) => String(g)) };
  const byGroup = new Map(plausibilityByGroup(cols, grouping).map((x) => [Number(x.group), x.result]));
  const rowStart = new Int32Array(accs.length + 1);
  accs.forEach((a, g) => (rowStart[g + 1] = rowStart[g] + a.latest.size));

  const out: UnitMonthValidity[] = [];
  accs.forEach((a, g) => {
    const children = a.latest.size;
    const childrenWith: Record<LongitudinalIssueCode, number> = Object.fromEntries(ISSUE_CODES.map((c) => [c, 0])) as Record<LongitudinalIssueCode, number>;
    let duplicateRecords = 0;
    for (const [child, b] of a.issues) {
      for (const c of ISSUE_CODES) if (b & (ISSUE_BIT.get(c) as number)) childrenWith[c]++;
      if (duplicateChildIds.has(child)) duplicateRecords++;
    }
    const pl = byGroup.get(g);
    const heaping = birthDayHeaping(birthDom.subarray(rowStart[g], rowStart[g + 1]));
    const figures: ValidityFigures = {
      heightDps: pl?.digitPreference.height?.n ? pl.digitPreference.height.dps : null,
      weightDps: pl?.digitPreference.weight?.n ? pl.digitPreference.weight.dps : null,
      whzSd: finiteOrNull(pl?.zscoreSpread.whz?.sd),
      hazSd: finiteOrNull(pl?.zscoreSpread.haz?.sd),
      whoFlags: (pl?.zscoreSpread.whz?.whoFlags ?? 0) + (pl?.zscoreSpread.haz?.whoFlags ?? 0) + (pl?.zscoreSpread.waz?.whoFlags ?? 0),
      birthDaysHeaped: heaping.heaped,
      birthDaysN: heaping.n,
      repeatedWeights: a.repeated,
      repeatVisits: a.repeatVisits,
      childrenWith: Object.fromEntries(Object.entries(childrenWith).filter(([, n]) => n > 0)),
      eppgbmCompared: a.eppgbmCompared,
    };
    let score: number | null = null;
    let problems: ValidityProblem[] = [];
    if (pl && children >= opt.minChildren) {
      const v = validityScore(
        {
          plausibility: pl,
          longitudinal: { children, childrenWith },
          duplicates: { records: children, inCandidatePairs: duplicateRecords },
          birthDays: heaping,
          repeatedWeights: { visits: a.repeatVisits, repeated: a.repeated },
          eppgbm: a.eppgbmCompared > 0 ? { compared: a.eppgbmCompared, disagreements: a.eppgbmDisagreements } : undefined,
        },
        opt.validity,
      );
      score = v.score;
      problems = v.problems;
    }
    out.push({
      level: a.level, unit: a.unit, desaCode: a.desaCode, puskesmasId: a.puskesmasId, month: a.month, children,
      measurements: a.measurements, score, problems, figures, duplicateRecords, eppgbmDisagreements: a.eppgbmDisagreements,
    });
  });
  return out.sort((x, y) => x.level.localeCompare(y.level) || x.month.localeCompare(y.month) || x.unit.localeCompare(y.unit, 'en', { numeric: true }));
}

function finiteOrNull(x: number | undefined): number | null {
  return x === undefined || !Number.isFinite(x) ? null : x;
}

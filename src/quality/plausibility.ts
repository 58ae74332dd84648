import { ageHeaping, ageRatioTest, sexRatioTest, type AgeHeapingResult, type AgeRatioResult, type SexRatioResult } from './age-sex-tests.js';
import { digitPreference, type DigitPreferenceResult } from './digit-preference.js';
import { skewKurt, type SkewKurtResult } from './distribution-shape.js';
import { dispersion, type DispersionResult } from './dispersion.js';
import { ENA_GRADE_CONFIG, gradePlausibility, type GradeConfig, type PlausibilityGrade } from './plausibility-grade.js';
import { censorZscores, zscoreSpread, type FlagSystem, type ZIndex, type ZscoreSpreadResult } from './zscore-checks.js';

/**
 * Columnar input of the plausibility statistics: one entry per child measurement. Missing
 * numbers are NaN; sex is 1 (male), 2 (female) or 0 (missing). Optional columns that are absent
 * skip their checks.
 */
export interface QualityColumns {
  sex: ArrayLike<number>;
  ageMonths: ArrayLike<number>;
  /** kg */
  weight?: ArrayLike<number>;
  /** cm */
  height?: ArrayLike<number>;
  /** mm */
  muac?: ArrayLike<number>;
  whz?: ArrayLike<number>;
  haz?: ArrayLike<number>;
  waz?: ArrayLike<number>;
  /** 1 = bilateral pitting oedema (excluded from WHZ distribution checks). */
  oedema?: ArrayLike<number>;
  /** Cluster (posyandu) code per row, a non-negative integer, for the dispersion test; −1 = unknown. */
  cluster?: ArrayLike<number>;
}

/** Settings of the plausibility statistics; every field has the SMART/nipnTK default. */
export interface PlausibilityOptions {
  /** Expected ratio of children 6–29 to 30–59 months (SMART 0.85). */
  ageRatio: number;
  /** Relative male and female populations for the sex-ratio test (1:1). */
  sexRatioPop: readonly [number, number];
  /** Divisor of the age-heaping test (12; 6 for half years). */
  ageHeapingDivisor: number;
  /** Outlier rule that censors z-scores for SD/skewness/kurtosis, flag rate and dispersion. */
  flagSystem: FlagSystem;
  /** A "case" for the dispersion test: censored z below this (−2). */
  caseCutoff: number;
  grade: GradeConfig;
}

export const DEFAULT_PLAUSIBILITY_OPTIONS: PlausibilityOptions = {
  ageRatio: 0.85,
  sexRatioPop: [1, 1],
  ageHeapingDivisor: 12,
  flagSystem: 'who',
  caseCutoff: -2,
  grade: ENA_GRADE_CONFIG,
};

export const Z_INDICES: readonly ZIndex[] = ['whz', 'haz', 'waz'];
export const MEASURES = [
  { name: 'weight', digits: 1 },
  { name: 'height', digits: 1 },
  { name: 'muac', digits: 0 },
] as const;
export type MeasureName = (typeof MEASURES)[number]['name'];

/** Every plausibility statistic of one group. Absent inputs leave their entries undefined. */
export interface GroupPlausibility {
  /** Rows in the group. */
  rows: number;
  digitPreference: Partial<Record<MeasureName, DigitPreferenceResult>>;
  ageRatioTest: AgeRatioResult;
  sexRatioTest: SexRatioResult;
  /** nipnTK `skewKurt()` on the z-scores exactly as given (nipnTK's reference convention). */
  skewKurt: Partial<Record<ZIndex, SkewKurtResult>>;
  ageHeaping: AgeHeapingResult;
  /** Flags and the censored distribution (Tumbuh's own, feeds the grade). */
  zscoreSpread: Partial<Record<ZIndex, ZscoreSpreadResult>>;
  /** Dispersion of cases across clusters; only with a cluster column. */
  dispersion: Partial<Record<ZIndex, DispersionResult>>;
  grade: PlausibilityGrade;
}

/**
 * All plausibility statistics for one group of measurements.
 * @see DATA-QUALITY.md §1–§7
 */
export function plausibility(cols: QualityColumns, options: Partial<PlausibilityOptions> = {}): GroupPlausibility {
  const opt = { ...DEFAULT_PLAUSIBILITY_OPTIONS, ...options };
  const rows = cols.sex.length;
  const dp: GroupPlausibility['digitPreference'] = {};
  for (const m of MEASURES) {
    const v = cols[m.name];
    if (v) dp[m.name] = digitPreference(v, m.digits);
  }
  const sk: GroupPlausibility['skewKurt'] = {};
  const zs: GroupPlausibility['zscoreSpread'] = {};
  const disp: GroupPlausibility['dispersion'] = {};
  for (const index of Z_INDICES) {
    const z = cols[index];
    if (!z) continue;
    const raw = skewKurt(z);
    sk[index] = raw;
    const spread = zscoreSpread(index, z, opt.flagSystem, cols.oedema, raw);
    zs[index] = spread;
    if (cols.cluster) disp[index] = dispersion(casesPerCluster(index, z, cols.cluster, opt, cols.oedema));
  }
  const ageRatio = ageRatioTest(cols.ageMonths, opt.ageRatio);
  const sexRatio = sexRatioTest(cols.sex, opt.sexRatioPop[0], opt.sexRatioPop[1]);
  const grade = gradePlausibility(
    {
      whzFlagRate: zs.whz?.flagRate ?? NaN,
      sexRatioP: sexRatio.p,
      ageRatioP: ageRatio.p,
      dpsWeight: dp.weight?.dps ?? NaN,
      dpsHeight: dp.height?.dps ?? NaN,
      dpsMuac: dp.muac?.dps ?? NaN,
      sdWhz: zs.whz?.sd ?? NaN,
      skewWhz: zs.whz?.s ?? NaN,
      kurtWhz: zs.whz?.k ?? NaN,
      poissonWhzP: disp.whz?.p ?? NaN,
    },
    opt.grade,
  );
  return {
    rows,
    digitPreference: dp,
    ageRatioTest: ageRatio,
    sexRatioTest: sexRatio,
    skewKurt: sk,
    ageHeaping: ageHeaping(cols.ageMonths, opt.ageHeapingDivisor),
    zscoreSpread: zs,
    dispersion: disp,
    grade,
  };
}

function casesPerCluster(
  index: ZIndex,
  z: ArrayLike<number>,
  cluster: ArrayLike<number>,
  opt: PlausibilityOptions,
  oedema: ArrayLike<number> | undefined,
): Float64Array {
  const { keep } = censorZscores(index, z, opt.flagSystem, oedema);
  // Every cluster with a child in the group counts, also those without a case.
  const slot = new Map<number, number>();
  const counts: number[] = [];
  for (let i = 0; i < z.length; i++) {
    const c = cluster[i];
    if (!(c >= 0)) continue;
    let s = slot.get(c);
    if (s === undefined) {
      s = counts.length;
      slot.set(c, s);
      counts.push(0);
    }
    if (keep[i] === 1 && z[i] < opt.caseCutoff) counts[s]++;
  }
  return Float64Array.from(counts);
}

const NATURAL_ORDER = new Intl.Collator('en', { numeric: true });

/** Group codes of each row and the group labels, as {@link groupRows} builds them. */
export interface Grouping {
  /** Group number of each row (index into labels); −1 = row left out. */
  groupOf: Int32Array;
  labels: string[];
}

/**
 * Numbers the distinct keys (sorted, numbers in numeric order) and gives each row its group
 * number; rows whose key is null are left out.
 */
export function groupRows(keys: readonly (string | null)[]): Grouping {
  const distinct = new Set<string>();
  for (const k of keys) if (k !== null) distinct.add(k);
  const labels = [...distinct].sort(NATURAL_ORDER.compare);
  const code = new Map(labels.map((l, i) => [l, i]));
  const groupOf = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    groupOf[i] = k === null ? -1 : (code.get(k) as number);
  }
  return { groupOf, labels };
}

/**
 * Plausibility statistics per group (posyandu, desa, puskesmas, kader, month… or any
 * combination): rows are bucketed once by a counting sort, then each group's columns are
 * gathered into scratch arrays and passed to {@link plausibility}.
 */
export function plausibilityByGroup(
  cols: QualityColumns,
  grouping: Grouping,
  options: Partial<PlausibilityOptions> = {},
): { group: string; result: GroupPlausibility }[] {
  const { groupOf, labels } = grouping;
  const g = labels.length;
  const start = new Int32Array(g + 1);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i] >= 0) start[groupOf[i] + 1]++;
  for (let j = 0; j < g; j++) start[j + 1] += start[j];
  const order = new Int32Array(start[g]);
  const fill = start.slice(0, g);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i] >= 0) order[fill[groupOf[i]]++] = i;

  const present = (Object.keys(cols) as (keyof QualityColumns)[]).filter((k) => cols[k] !== undefined);
  let maxSize = 0;
  for (let j = 0; j < g; j++) maxSize = Math.max(maxSize, start[j + 1] - start[j]);
  const scratch = new Map(present.map((k) => [k, new Float64Array(maxSize)]));

  const out: { group: string; result: GroupPlausibility }[] = [];
  for (let j = 0; j < g; j++) {
    const from = start[j];
    const m = start[j + 1] - from;
    const view: Partial<Record<keyof QualityColumns, Float64Array>> = {};
    for (const key of present) {
      const src = cols[key] as ArrayLike<number>;
      const buf = scratch.get(key) as Float64Array;
      for (let r = 0; r < m; r++) buf[r] = src[order[from + r]];
      view[key] = buf.subarray(0, m);
    }
    out.push({ group: labels[j], result: plausibility(view as QualityColumns, options) });
  }
  return out;
}

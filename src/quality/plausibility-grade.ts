/**
 * SMART/ENA-style overall plausibility grade: each check gets a class and penalty points, the
 * points add up to a total with its own class. The bands and points are typed configuration
 * (a district may change them), with the ENA values of DATA-QUALITY.md §7 as default.
 * @see DATA-QUALITY.md §7
 */

/** Quality class shared by every check (ENA's four words). */
export type QualityClass = 'Excellent' | 'Good' | 'Acceptable' | 'Problematic';

/** The checks that make up the grade, in ENA's report order. */
export type GradeComponentName =
  | 'flaggedData'
  | 'sexRatio'
  | 'ageRatio'
  | 'dpsWeight'
  | 'dpsHeight'
  | 'dpsMuac'
  | 'sdWhz'
  | 'skewWhz'
  | 'kurtWhz'
  | 'poissonWhz';

export const GRADE_COMPONENTS: readonly GradeComponentName[] = [
  'flaggedData',
  'sexRatio',
  'ageRatio',
  'dpsWeight',
  'dpsHeight',
  'dpsMuac',
  'sdWhz',
  'skewWhz',
  'kurtWhz',
  'poissonWhz',
];

const CLASSES: readonly QualityClass[] = ['Excellent', 'Good', 'Acceptable', 'Problematic'];

/** Penalty points for Excellent, Good, Acceptable, Problematic. */
export type Points = readonly [number, number, number, number];

/** Configurable bands and points. Thresholds are the upper (or lower, for p-values) limits of the first three classes. */
export interface GradeConfig {
  /** Flag rate in percent: ≤ 2.5 excellent, ≤ 5 good, ≤ 7.5 acceptable. */
  flagRate: { limits: readonly [number, number, number]; points: Points };
  /** p-value limits for sex and age ratio: > 0.1, > 0.05, > 0.001. */
  ratioP: { limits: readonly [number, number, number]; points: Points };
  /** DPS classes come from nipnTK's bands (< 8, < 12, < 20); only the points are set here. */
  dpsPoints: Points;
  /** |SD − 1| limits: SD in (0.9, 1.1) excellent, (0.85, 1.15) good, (0.80, 1.20) acceptable. */
  sdDistance: { limits: readonly [number, number, number]; points: Points };
  /** |skewness| and |kurtosis| limits: < 0.2, < 0.4, < 0.6. */
  shape: { limits: readonly [number, number, number]; skewPoints: Points; kurtPoints: Points };
  /** Poisson test p-value limits: > 0.05, > 0.01, > 0.001. */
  poissonP: { limits: readonly [number, number, number]; points: Points };
  /** Total points: ≤ 9 excellent, ≤ 14 good, ≤ 24 acceptable. */
  total: readonly [number, number, number];
}

/** ENA for SMART plausibility report defaults (DATA-QUALITY.md §7; to be re-checked against the current SMART manual). */
export const ENA_GRADE_CONFIG: GradeConfig = {
  flagRate: { limits: [2.5, 5, 7.5], points: [0, 5, 10, 20] },
  ratioP: { limits: [0.1, 0.05, 0.001], points: [0, 2, 4, 10] },
  dpsPoints: [0, 2, 4, 10],
  sdDistance: { limits: [0.1, 0.15, 0.2], points: [0, 5, 10, 20] },
  shape: { limits: [0.2, 0.4, 0.6], skewPoints: [0, 1, 3, 5], kurtPoints: [0, 1, 3, 5] },
  poissonP: { limits: [0.05, 0.01, 0.001], points: [0, 1, 3, 5] },
  total: [9, 14, 24],
};

/** The values the grade is computed from; NaN / null where a check could not be made. */
export interface GradeInputs {
  whzFlagRate: number;
  sexRatioP: number;
  ageRatioP: number;
  dpsWeight: number;
  dpsHeight: number;
  dpsMuac: number;
  sdWhz: number;
  skewWhz: number;
  kurtWhz: number;
  poissonWhzP: number;
}

/** One visible component of the grade. */
export interface GradeComponent {
  name: GradeComponentName;
  /** The value classified (rate %, p-value, DPS, SD, skewness, kurtosis); NaN when not assessed. */
  value: number;
  /** null when the check could not be made (no data, too few children, no clusters). */
  class: QualityClass | null;
  penalty: number;
}

/** The grade: every component plus the total and its class. */
export interface PlausibilityGrade {
  components: GradeComponent[];
  score: number;
  class: QualityClass;
  /** How many of the ten components could be assessed. */
  assessed: number;
}

/** Class index 0–3 where a larger value is worse (rate, DPS, distances). */
export function classAbove(value: number, limits: readonly [number, number, number], strict = false): number {
  for (let i = 0; i < 3; i++) if (strict ? value < limits[i] : value <= limits[i]) return i;
  return 3;
}

/** Class index 0–3 for a p-value where a smaller value is worse. */
export function classBelowP(p: number, limits: readonly [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (p > limits[i]) return i;
  return 3;
}

function component(name: GradeComponentName, value: number, classIndex: number, points: Points): GradeComponent {
  if (!Number.isFinite(value)) return { name, value: NaN, class: null, penalty: 0 };
  return { name, value, class: CLASSES[classIndex], penalty: points[classIndex] };
}

/** SMART class of a DPS (< 8, < 12, < 20) as an index. */
function dpsIndex(dps: number): number {
  return classAbove(dps, [8, 12, 20], true);
}

/**
 * Classes each check and adds the penalty points (ENA plausibility report style). Checks that
 * cannot be made (NaN input) are shown as not assessed and add no points; `assessed` says how
 * many were made, so a perfect-looking score on thin data is visible as such.
 * @see DATA-QUALITY.md §7
 */
export function gradePlausibility(inputs: GradeInputs, config: GradeConfig = ENA_GRADE_CONFIG): PlausibilityGrade {
  const c = config;
  const abs = Math.abs;
  const components: GradeComponent[] = [
    component('flaggedData', inputs.whzFlagRate, classAbove(inputs.whzFlagRate, c.flagRate.limits), c.flagRate.points),
    component('sexRatio', inputs.sexRatioP, classBelowP(inputs.sexRatioP, c.ratioP.limits), c.ratioP.points),
    component('ageRatio', inputs.ageRatioP, classBelowP(inputs.ageRatioP, c.ratioP.limits), c.ratioP.points),
    component('dpsWeight', inputs.dpsWeight, dpsIndex(inputs.dpsWeight), c.dpsPoints),
    component('dpsHeight', inputs.dpsHeight, dpsIndex(inputs.dpsHeight), c.dpsPoints),
    component('dpsMuac', inputs.dpsMuac, dpsIndex(inputs.dpsMuac), c.dpsPoints),
    component('sdWhz', inputs.sdWhz, classAbove(abs(inputs.sdWhz - 1), c.sdDistance.limits, true), c.sdDistance.points),
    component('skewWhz', inputs.skewWhz, classAbove(abs(inputs.skewWhz), c.shape.limits, true), c.shape.skewPoints),
    component('kurtWhz', inputs.kurtWhz, classAbove(abs(inputs.kurtWhz), c.shape.limits, true), c.shape.kurtPoints),
    component('poissonWhz', inputs.poissonWhzP, classBelowP(inputs.poissonWhzP, c.poissonP.limits), c.poissonP.points),
  ];
  let score = 0;
  let assessed = 0;
  for (const comp of components) {
    score += comp.penalty;
    if (comp.class !== null) assessed++;
  }
  return { components, score, class: CLASSES[classAbove(score, c.total)], assessed };
}

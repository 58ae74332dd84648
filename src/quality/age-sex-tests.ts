import { chiSquareUniform, propTestOneSample, type ChiSquareResult } from './chi-square-tests.js';

/** nipnTK `ageRatioTest()` output, plus the number of children tested. */
export interface AgeRatioResult {
  /** Children aged 6–59 completed months. */
  n: number;
  /** Of them aged 6–29 months. */
  young: number;
  observedR: number;
  observedP: number;
  expectedR: number;
  expectedP: number;
  X2: number;
  df: number;
  p: number;
}

/**
 * SMART age-ratio test (nipnTK `ageRatioTest()` on floored ages 6–59 months): share of children
 * 6–29 months among 6–59 months against ratio/(1 + ratio) (0.85 → 0.4595), chi-square with
 * Yates' correction. NaN ages are skipped.
 * @see DATA-QUALITY.md §2 "Age ratio test"
 */
export function ageRatioTest(ageMonths: ArrayLike<number>, ratio = 0.85): AgeRatioResult {
  let n = 0;
  let young = 0;
  for (let i = 0; i < ageMonths.length; i++) {
    const a = Math.floor(ageMonths[i]);
    if (a >= 6 && a <= 59) {
      n++;
      if (a <= 29) young++;
    }
  }
  return ageRatioFromCounts(young, n, ratio);
}

/** Age-ratio test from counts: `young` children 6–29 months among `n` aged 6–59 months. */
export function ageRatioFromCounts(young: number, n: number, ratio = 0.85): AgeRatioResult {
  const expectedP = ratio / (ratio + 1);
  const observedP = n > 0 ? young / n : NaN;
  const test = propTestOneSample(young, n, expectedP);
  return {
    n,
    young,
    observedR: observedP / (1 - observedP),
    observedP,
    expectedR: ratio,
    expectedP,
    X2: test.X2,
    df: test.df,
    p: test.p,
  };
}

/** nipnTK `ageHeaping()` output: remainder counts and their chi-square test. */
export interface AgeHeapingResult extends ChiSquareResult {
  divisor: number;
  /** Counts of remainders 0…divisor−1. */
  counts: number[];
  n: number;
}

/**
 * Age heaping (nipnTK `ageHeaping(floor(age), divisor)`): remainders of completed months modulo
 * 12 (or 6) tested against a uniform spread, chi-square with divisor − 1 df. Peaks at 0 (and 6)
 * mean ages rounded to whole or half years.
 * @see DATA-QUALITY.md §2 "Age heaping"
 */
export function ageHeaping(ageMonths: ArrayLike<number>, divisor = 12): AgeHeapingResult {
  const counts = new Float64Array(divisor);
  for (let i = 0; i < ageMonths.length; i++) {
    const a = Math.floor(ageMonths[i]);
    if (Number.isFinite(a)) counts[((a % divisor) + divisor) % divisor]++;
  }
  return ageHeapingFromCounts(counts);
}

/** Age heaping from remainder counts (index = remainder). */
export function ageHeapingFromCounts(counts: ArrayLike<number>): AgeHeapingResult {
  const chi = chiSquareUniform(counts);
  return { divisor: counts.length, counts: Array.from(counts), n: chi.n, X2: chi.X2, df: chi.df, p: chi.p };
}

/** nipnTK `sexRatioTest()` output, plus the counts. */
export interface SexRatioResult {
  male: number;
  female: number;
  /** Observed proportion male. */
  pM: number;
  /** Expected proportion male. */
  eM: number;
  X2: number;
  df: number;
  p: number;
}

/**
 * Sex-ratio test (nipnTK `sexRatioTest(sex, codes = c(1, 2), pop)`): proportion male (code 1)
 * among codes 1 and 2 against pop male/(male + female) (1:1 by default), chi-square with Yates'
 * correction. Other codes (0 = missing) are ignored.
 * @see DATA-QUALITY.md §3
 */
export function sexRatioTest(sex: ArrayLike<number>, popMale = 1, popFemale = 1): SexRatioResult {
  let male = 0;
  let female = 0;
  for (let i = 0; i < sex.length; i++) {
    if (sex[i] === 1) male++;
    else if (sex[i] === 2) female++;
  }
  return sexRatioFromCounts(male, female, popMale, popFemale);
}

/** Sex-ratio test from counts of boys and girls. */
export function sexRatioFromCounts(male: number, female: number, popMale = 1, popFemale = 1): SexRatioResult {
  const eM = popMale / (popMale + popFemale);
  const test = propTestOneSample(male, male + female, eM);
  return { male, female, pM: test.estimate, eM, X2: test.X2, df: test.df, p: test.p };
}

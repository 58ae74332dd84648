/**
 * The WHO Child Growth Standards as the demo uses them: LMS rows by sex, and the inverse of the
 * LMS transformation (a z-score back to a measurement). Pure: the tables are passed in.
 * @see ../../data/who/README.md for the tables; ALGORITHM.md §4 for the forward transformation.
 */
import { lmsZ as engineLmsZ, type WhoTables } from '../growth/engine.js';

/** One LMS table for one sex: rows at `start + i × step` of the index (age in days or cm). */
export interface LmsSeries {
  start: number;
  step: number;
  L: Float64Array;
  M: Float64Array;
  S: Float64Array;
}

/** The WHO tables the generator draws from, per sex (index 0 = boys, 1 = girls). */
export interface DemoGrowthReference {
  lengthHeightForAge: [LmsSeries, LmsSeries];
  weightForAge: [LmsSeries, LmsSeries];
  weightForLength: [LmsSeries, LmsSeries];
  weightForHeight: [LmsSeries, LmsSeries];
  armCircumferenceForAge: [LmsSeries, LmsSeries];
}

/** Splits one of the growth engine's interleaved tables (rows of L,M,S per sex) into two series. */
function split(lms: Float64Array, rowsPerSex: number, start: number, step: number): [LmsSeries, LmsSeries] {
  const one = (sex: number): LmsSeries => {
    const s: LmsSeries = {
      start,
      step,
      L: new Float64Array(rowsPerSex),
      M: new Float64Array(rowsPerSex),
      S: new Float64Array(rowsPerSex),
    };
    for (let i = 0; i < rowsPerSex; i++) {
      const at = (sex * rowsPerSex + i) * 3;
      s.L[i] = lms[at];
      s.M[i] = lms[at + 1];
      s.S[i] = lms[at + 2];
    }
    return s;
  };
  return [one(0), one(1)];
}

/**
 * The tables the demo draws from, taken from the growth engine's parsed WHO tables
 * (`readWhoTables()` in src/reference/who-tables.ts), so both read the same verified data/who files.
 */
export function demoReferenceFromWhoTables(t: WhoTables): DemoGrowthReference {
  const ageRows = t.lengthForAge.lms.length / 6;
  const size = (x: { kMin: number; kMax: number; lms: Float64Array }) => split(x.lms, x.kMax - x.kMin + 1, x.kMin / 10, 0.1);
  return {
    lengthHeightForAge: split(t.lengthForAge.lms, ageRows, 0, 1),
    weightForAge: split(t.weightForAge.lms, ageRows, 0, 1),
    weightForLength: size(t.weightForLength),
    weightForHeight: size(t.weightForHeight),
    armCircumferenceForAge: split(t.armCircumferenceForAge.lms, ageRows, 0, 1),
  };
}

/**
 * The measurement at z-score `z` on the row nearest to `index` (clamped to the table's range):
 * x = M·(1 + L·S·z)^(1/L), or M·exp(S·z) when L = 0.
 */
export function lmsInverse(series: LmsSeries, index: number, z: number): number {
  let i = Math.round((index - series.start) / series.step);
  if (i < 0) i = 0;
  else if (i >= series.M.length) i = series.M.length - 1;
  const L = series.L[i];
  const M = series.M[i];
  const S = series.S[i];
  if (Math.abs(L) < 1e-12) return M * Math.exp(S * z);
  return M * Math.pow(1 + L * S * z, 1 / L);
}

/** The plain LMS z-score of x on the row nearest to `index` (used by tests and calibration). */
export function lmsZ(series: LmsSeries, index: number, x: number): number {
  let i = Math.round((index - series.start) / series.step);
  if (i < 0) i = 0;
  else if (i >= series.M.length) i = series.M.length - 1;
  const L = series.L[i];
  const M = series.M[i];
  const S = series.S[i];
  if (Math.abs(L) < 1e-12) return Math.log(x / M) / S;
  return engineLmsZ(x, L, M, S);
}

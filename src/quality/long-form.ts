import type { GroupPlausibility } from './plausibility.js';
import { MEASURES, Z_INDICES } from './plausibility.js';
import { formatRNumber } from './r-format.js';
import type { ValidityScore } from './validity.js';

/** One output row of `tumbuh quality --format csv` (nipnTK's long form). */
export interface LongRow {
  group: string;
  test: string;
  variable: string;
  statistic: string;
  value: string;
}

/** Header of the long form. */
export const LONG_FORM_COLUMNS = ['group', 'test', 'variable', 'statistic', 'value'] as const;

/** nipnTK's variable label of the age-ratio test in the reference output. */
export const AGE_RATIO_VARIABLE = 'age_months[6-59]';

/** nipnTK's variable label of the age-heaping test for a divisor. */
export function ageHeapingVariable(divisor: number): string {
  return `floor(age_months) %% ${divisor}`;
}

const num = (x: number): string => formatRNumber(x);
const int = (x: number): string => (Number.isFinite(x) ? String(x) : 'NA');
const text = (x: string | null): string => x ?? 'NA';

/**
 * The long-form rows of one group: nipnTK's tests with nipnTK's names first (digitPreference,
 * ageRatioTest, sexRatioTest, skewKurt, ageHeaping), then Tumbuh's own (ageHeapingTable,
 * zscoreSpread, dispersion, grade, and validity when given). Doubles are written as R writes
 * them, so the rows compare textually with nipnTK's output.
 */
export function plausibilityLongRows(group: string, r: GroupPlausibility, validity?: ValidityScore): LongRow[] {
  const rows: LongRow[] = [];
  const add = (test: string, variable: string, statistic: string, value: string) =>
    rows.push({ group, test, variable, statistic, value });

  for (const m of MEASURES) {
    const d = r.digitPreference[m.name];
    if (!d) continue;
    add('digitPreference', m.name, 'dps', num(d.dps));
    add('digitPreference', m.name, 'dpsClass', text(d.dpsClass));
    add('digitPreference', m.name, 'n', int(d.n));
    d.counts.forEach((c, i) => add('digitPreference', m.name, `count_digit_${i}`, int(c)));
  }
  const ar = r.ageRatioTest;
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'n', int(ar.n));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'expectedR', num(ar.expectedR));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'expectedP', num(ar.expectedP));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'observedR', num(ar.observedR));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'observedP', num(ar.observedP));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'X2', num(ar.X2));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'df', int(ar.df));
  add('ageRatioTest', AGE_RATIO_VARIABLE, 'p', num(ar.p));
  const sr = r.sexRatioTest;
  add('sexRatioTest', 'sex', 'pM', num(sr.pM));
  add('sexRatioTest', 'sex', 'eM', num(sr.eM));
  add('sexRatioTest', 'sex', 'X2', num(sr.X2));
  add('sexRatioTest', 'sex', 'df', int(sr.df));
  add('sexRatioTest', 'sex', 'p', num(sr.p));
  for (const z of Z_INDICES) {
    const sk = r.skewKurt[z];
    if (!sk) continue;
    add('skewKurt', z, 's', num(sk.s));
    add('skewKurt', z, 's.se', num(sk.sSe));
    add('skewKurt', z, 's.z', num(sk.sZ));
    add('skewKurt', z, 's.p', num(sk.sP));
    add('skewKurt', z, 'k', num(sk.k));
    add('skewKurt', z, 'k.se', num(sk.kSe));
    add('skewKurt', z, 'k.z', num(sk.kZ));
    add('skewKurt', z, 'k.p', num(sk.kP));
  }
  const ah = r.ageHeaping;
  const ahVar = ageHeapingVariable(ah.divisor);
  add('ageHeaping', ahVar, 'X2', num(ah.X2));
  add('ageHeaping', ahVar, 'df', int(ah.df));
  add('ageHeaping', ahVar, 'p', num(ah.p));

  // Tumbuh's own tests.
  add('ageHeapingTable', ahVar, 'n', int(ah.n));
  ah.counts.forEach((c, i) => add('ageHeapingTable', ahVar, `count_remainder_${i}`, int(c)));
  for (const z of Z_INDICES) {
    const s = r.zscoreSpread[z];
    if (!s) continue;
    add('zscoreSpread', z, 'n', int(s.n));
    add('zscoreSpread', z, 'whoFlags', int(s.whoFlags));
    add('zscoreSpread', z, 'smartFlags', int(s.smartFlags));
    add('zscoreSpread', z, 'flagged', int(s.flagged));
    add('zscoreSpread', z, 'flagRate', num(s.flagRate));
    add('zscoreSpread', z, 'nCensored', int(s.nCensored));
    add('zscoreSpread', z, 'mean', num(s.mean));
    add('zscoreSpread', z, 'sd', num(s.sd));
    add('zscoreSpread', z, 'mad', num(s.mad));
    add('zscoreSpread', z, 's', num(s.s));
    add('zscoreSpread', z, 'k', num(s.k));
  }
  for (const z of Z_INDICES) {
    const d = r.dispersion[z];
    if (!d) continue;
    add('dispersion', z, 'clusters', int(d.clusters));
    add('dispersion', z, 'cases', int(d.cases));
    add('dispersion', z, 'mean', num(d.mean));
    add('dispersion', z, 'variance', num(d.variance));
    add('dispersion', z, 'vmr', num(d.vmr));
    add('dispersion', z, 'X2', num(d.X2));
    add('dispersion', z, 'df', int(d.df));
    add('dispersion', z, 'pUpper', num(d.pUpper));
    add('dispersion', z, 'pLower', num(d.pLower));
    add('dispersion', z, 'p', num(d.p));
    add('dispersion', z, 'greensIndex', num(d.greensIndex));
  }
  for (const c of r.grade.components) {
    add('grade', c.name, 'value', num(c.value));
    add('grade', c.name, 'class', text(c.class));
    add('grade', c.name, 'penalty', int(c.penalty));
  }
  add('grade', 'total', 'score', int(r.grade.score));
  add('grade', 'total', 'class', r.grade.class);
  add('grade', 'total', 'assessed', int(r.grade.assessed));
  if (validity) {
    add('validity', 'total', 'score', num(validity.score));
    add('validity', 'total', 'assessed', int(validity.assessed.length));
    for (const p of validity.problems) add('validity', p.component, 'deduction', num(p.deduction));
  }
  return rows;
}

/**
 * The same statistics structured for `--format json`: one object per group with nipnTK's
 * names; NaN becomes null.
 */
export function plausibilityJson(group: string, r: GroupPlausibility, validity?: ValidityScore): Record<string, unknown> {
  const skewKurt: Record<string, unknown> = {};
  for (const z of Z_INDICES) {
    const sk = r.skewKurt[z];
    if (sk) skewKurt[z] = { n: sk.n, s: sk.s, 's.se': sk.sSe, 's.z': sk.sZ, 's.p': sk.sP, k: sk.k, 'k.se': sk.kSe, 'k.z': sk.kZ, 'k.p': sk.kP };
  }
  const ar = r.ageRatioTest;
  const sr = r.sexRatioTest;
  const ah = r.ageHeaping;
  return {
    group,
    rows: r.rows,
    digitPreference: r.digitPreference,
    ageRatioTest: { n: ar.n, expectedR: ar.expectedR, expectedP: ar.expectedP, observedR: ar.observedR, observedP: ar.observedP, X2: ar.X2, df: ar.df, p: ar.p },
    sexRatioTest: { male: sr.male, female: sr.female, pM: sr.pM, eM: sr.eM, X2: sr.X2, df: sr.df, p: sr.p },
    skewKurt,
    ageHeaping: { divisor: ah.divisor, n: ah.n, counts: ah.counts, X2: ah.X2, df: ah.df, p: ah.p },
    zscoreSpread: r.zscoreSpread,
    dispersion: r.dispersion,
    grade: r.grade,
    ...(validity ? { validity } : {}),
  };
}

/** JSON.stringify replacer: NaN and infinities (not valid JSON) become null. */
export function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

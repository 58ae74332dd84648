/**
 * Validity score (0–100) of one group (posyandu, desa or puskesmas × month): the plausibility
 * statistics, the longitudinal checks and the duplicate candidates combined into one number, with
 * every deduction listed as a problem in plain Bahasa Indonesia (English second) and the fix a
 * TPPS can order. Unlike the ENA grade, every component here allows for the group's size: it
 * counts only deviations that are unlikely to be chance (p-values), so a posyandu with 25
 * children is not condemned for the noise of small numbers.
 */
import type { Bilingual } from '../common/i18n.js';
import { defineMessages, t } from '../common/i18n.js';
import { chiSquareLower, chiSquareUpper } from '../common/distributions.js';
import type { LongitudinalIssueCode } from './longitudinal.js';
import type { GroupPlausibility } from './plausibility.js';
import type { ZIndex } from './zscore-checks.js';

/** The components of the validity score. */
export type ValidityComponent =
  | 'heightDigits'
  | 'weightDigits'
  | 'muacDigits'
  | 'ageHeaping'
  | 'ageRatio'
  | 'sexRatio'
  | 'whzSpreadWide'
  | 'hazSpreadWide'
  | 'spreadNarrow'
  | 'flagRate'
  | 'heightDecrease'
  | 'copiedValues'
  | 'zJumps'
  | 'positionAge'
  | 'ageBirthdate'
  | 'duplicates'
  | 'birthDayHeaping'
  | 'repeatedWeight'
  | 'eppgbmDisagreement';

/** Points each component can take off the 100 (configuration; a district may change them). */
export type ValidityWeights = Record<ValidityComponent, number>;

export const DEFAULT_VALIDITY_WEIGHTS: ValidityWeights = {
  heightDigits: 15,
  weightDigits: 10,
  muacDigits: 5,
  ageHeaping: 10,
  ageRatio: 5,
  sexRatio: 5,
  whzSpreadWide: 8,
  hazSpreadWide: 7,
  spreadNarrow: 5,
  flagRate: 10,
  heightDecrease: 10,
  copiedValues: 8,
  zJumps: 5,
  positionAge: 10,
  ageBirthdate: 4,
  duplicates: 10,
  birthDayHeaping: 10,
  repeatedWeight: 10,
  eppgbmDisagreement: 5,
};

/** Settings of the validity score. */
export interface ValidityOptions {
  weights: ValidityWeights;
  /** Acceptable SD range per index; a spread significantly outside it costs points. */
  sdRange: Record<ZIndex, readonly [number, number]>;
  /** Share of weighings repeating last month's weight that is tolerated, and that counts fully. */
  repeatedWeightShare: readonly [number, number];
}

export const DEFAULT_VALIDITY_OPTIONS: ValidityOptions = {
  weights: DEFAULT_VALIDITY_WEIGHTS,
  sdRange: { whz: [0.8, 1.2], haz: [0.8, 1.4], waz: [0.8, 1.3] },
  repeatedWeightShare: [0.3, 0.55],
};

/** What the score is computed from: the group's plausibility statistics, plus optional checks. */
export interface ValidityInputs {
  plausibility: GroupPlausibility;
  /** Children followed and how many have each longitudinal issue (see summariseIssues). */
  longitudinal?: { children: number; childrenWith: Record<LongitudinalIssueCode, number> };
  /** Records in the group and how many of them are in a duplicate candidate pair. */
  duplicates?: { records: number; inCandidatePairs: number };
  /** Birth dates on the 1st/15th of the month against chance (see month-signals.ts). */
  birthDays?: { n: number; heaped: number; expectedShare: number; p: number };
  /** Visits with a previous weighing ≤ 45 days earlier, and how many repeat its weight exactly. */
  repeatedWeights?: { visits: number; repeated: number };
  /** Imported measurements compared with e-PPGBM's own z-scores/status, and how many differ. */
  eppgbm?: { compared: number; disagreements: number };
}

/** One deduction, explained. */
export interface ValidityProblem {
  component: ValidityComponent;
  /** 0–1: how strongly the problem shows. */
  severity: number;
  /** Points taken off. */
  deduction: number;
  problem: Bilingual;
  fix: Bilingual;
}

/** The score, the problems (worst first) and which components could be assessed. */
export interface ValidityScore {
  score: number;
  problems: ValidityProblem[];
  assessed: ValidityComponent[];
}

const M = defineMessages({
  'quality.validity.heightDigits': {
    id: 'Panjang/tinggi badan banyak dibulatkan (angka akhir {detail}); DPS {dps}',
    en: 'Length/height often rounded (final digit {detail}); DPS {dps}',
  },
  'quality.validity.heightDigits.fix': {
    id: 'Latih ulang pengukuran panjang/tinggi badan: baca sampai 0,1 cm; periksa papan ukur dan microtoise',
    en: 'Retrain length/height measurement: read to 0.1 cm; check the length board and stadiometer',
  },
  'quality.validity.weightDigits': {
    id: 'Berat badan banyak dibulatkan (angka akhir {detail}); DPS {dps}',
    en: 'Weight often rounded (final digit {detail}); DPS {dps}',
  },
  'quality.validity.weightDigits.fix': {
    id: 'Kalibrasi timbangan dan latih pembacaan sampai 0,1 kg; utamakan timbangan digital',
    en: 'Calibrate the scales and train reading to 0.1 kg; prefer digital scales',
  },
  'quality.validity.muacDigits': {
    id: 'LiLA banyak dibulatkan (angka akhir {detail}); DPS {dps}',
    en: 'MUAC often rounded (final digit {detail}); DPS {dps}',
  },
  'quality.validity.muacDigits.fix': {
    id: 'Latih ulang pengukuran LiLA sampai 1 mm dengan pita LiLA standar',
    en: 'Retrain MUAC measurement to 1 mm with a standard MUAC tape',
  },
  'quality.validity.ageHeaping': {
    id: 'Umur menumpuk pada tahun/setengah tahun penuh: umur ditebak, bukan dihitung dari tanggal lahir',
    en: 'Ages heap at whole/half years: ages guessed, not computed from the birth date',
  },
  'quality.validity.ageHeaping.fix': {
    id: 'Catat tanggal lahir dari buku KIA/akta kelahiran dan hitung umur dari tanggal lahir',
    en: 'Record the birth date from the KIA book/birth certificate and compute age from it',
  },
  'quality.validity.ageRatio': {
    id: 'Perbandingan anak 6–29 dan 30–59 bulan tidak wajar ({detail}): sebagian kelompok umur tidak terukur',
    en: 'Ratio of children 6–29 to 30–59 months is implausible ({detail}): an age group is under-measured',
  },
  'quality.validity.ageRatio.fix': {
    id: 'Periksa cakupan penimbangan; jangkau balita 3–5 tahun yang jarang datang ke posyandu',
    en: 'Check weighing coverage; reach children aged 3–5 years who rarely come to the posyandu',
  },
  'quality.validity.sexRatio': {
    id: 'Perbandingan anak laki-laki dan perempuan tidak wajar ({detail} laki-laki)',
    en: 'Implausible ratio of boys to girls ({detail} boys)',
  },
  'quality.validity.sexRatio.fix': {
    id: 'Periksa pengisian jenis kelamin dan apakah semua balita sasaran sudah terdata',
    en: 'Check how sex is entered and whether every target child is registered',
  },
  'quality.validity.whzSpreadWide': {
    id: 'Sebaran z-score BB/TB terlalu lebar (SD {detail}): banyak kesalahan ukur',
    en: 'Weight-for-height z-scores spread too wide (SD {detail}): many measurement errors',
  },
  'quality.validity.hazSpreadWide': {
    id: 'Sebaran z-score TB/U terlalu lebar (SD {detail}): pengukuran panjang/tinggi atau umur tidak tepat',
    en: 'Height-for-age z-scores spread too wide (SD {detail}): length/height or age inaccurate',
  },
  'quality.validity.spreadWide.fix': {
    id: 'Latih ulang pengukuran dan periksa alat; ukur ulang anak dengan nilai ekstrem',
    en: 'Retrain measurement and check equipment; re-measure children with extreme values',
  },
  'quality.validity.spreadNarrow': {
    id: 'Sebaran z-score terlalu sempit (SD {detail}): data mungkin tidak berasal dari pengukuran sungguhan',
    en: 'Z-scores spread too narrow (SD {detail}): data may not come from real measurements',
  },
  'quality.validity.spreadNarrow.fix': {
    id: 'Lakukan supervisi dan ukur ulang sebagian anak bersama petugas gizi puskesmas',
    en: 'Supervise and re-measure a sample of children with the puskesmas nutrition officer',
  },
  'quality.validity.flagRate': {
    id: 'Banyak nilai di luar batas biologis WHO ({detail})',
    en: 'Many values outside WHO biological limits ({detail})',
  },
  'quality.validity.flagRate.fix': {
    id: 'Periksa salah ketik (kg/gram, cm/mm), tanggal lahir dan jenis kelamin; ukur ulang',
    en: 'Check typing errors (kg/g, cm/mm), birth dates and sex; re-measure',
  },
  'quality.validity.heightDecrease': {
    id: 'Panjang/tinggi badan anak turun antar-kunjungan ({detail} anak)',
    en: 'Children’s length/height decreases between visits ({detail} children)',
  },
  'quality.validity.heightDecrease.fix': {
    id: 'Latih ulang pengukuran panjang badan; periksa papan ukur dan posisi telentang/berdiri',
    en: 'Retrain length measurement; check the length board and lying/standing position',
  },
  'quality.validity.copiedValues': {
    id: 'Berat dan tinggi sama persis di banyak kunjungan ({detail} anak): data disalin, tidak diukur',
    en: 'Weight and height identical across many visits ({detail} children): copied, not measured',
  },
  'quality.validity.copiedValues.fix': {
    id: 'Pastikan setiap anak benar-benar diukur tiap bulan; supervisi pencatatan kader',
    en: 'Make sure every child is actually measured each month; supervise kader recording',
  },
  'quality.validity.zJumps': {
    id: 'Lonjakan z-score lebih dari 2 antar-bulan ({detail} anak)',
    en: 'Z-score jumps of more than 2 between months ({detail} children)',
  },
  'quality.validity.zJumps.fix': {
    id: 'Periksa salah ketik dan ukur ulang anak yang nilainya melonjak',
    en: 'Check typing errors and re-measure children whose values jump',
  },
  'quality.validity.positionAge': {
    id: 'Cara ukur tidak sesuai umur ({detail} anak): berdiri di bawah 2 tahun atau telentang sejak 2 tahun',
    en: 'Measuring position does not fit age ({detail} children): standing under 2 years or lying from 2 years',
  },
  'quality.validity.positionAge.fix': {
    id: 'Latih kader: anak di bawah 2 tahun diukur telentang, sejak 2 tahun berdiri',
    en: 'Train kader: children under 2 are measured lying, from 2 years standing',
  },
  'quality.validity.ageBirthdate': {
    id: 'Umur tercatat tidak sesuai tanggal lahir ({detail} anak)',
    en: 'Recorded age does not match the birth date ({detail} children)',
  },
  'quality.validity.ageBirthdate.fix': {
    id: 'Hitung umur dari tanggal lahir dan tanggal ukur, bukan perkiraan',
    en: 'Compute age from birth date and measurement date, not by estimate',
  },
  'quality.validity.duplicates': {
    id: 'Anak yang sama tercatat ganda ({detail} data)',
    en: 'The same child registered twice ({detail} records)',
  },
  'quality.validity.duplicates.fix': {
    id: 'Gabungkan data ganda setelah ditinjau petugas gizi puskesmas',
    en: 'Merge duplicate records after review by the puskesmas nutrition officer',
  },
  'quality.validity.birthDayHeaping': {
    id: 'Tanggal lahir menumpuk pada tanggal 1 dan 15 ({detail}): tanggal lahir dikira-kira saat pendaftaran',
    en: 'Birth dates heap on the 1st and 15th ({detail}): birth dates estimated at registration',
  },
  'quality.validity.birthDayHeaping.fix': {
    id: 'Salin tanggal lahir dari buku KIA/akta kelahiran; perbaiki data anak yang tanggal lahirnya ditebak',
    en: 'Copy birth dates from the KIA book/birth certificate; correct children whose birth date was guessed',
  },
  'quality.validity.repeatedWeight': {
    id: 'Berat badan sama persis dengan bulan lalu pada {detail} penimbangan: berat disalin, bukan ditimbang',
    en: 'Weight identical to last month in {detail} weighings: copied, not weighed',
  },
  'quality.validity.repeatedWeight.fix': {
    id: 'Timbang setiap anak setiap bulan dan catat hasil timbangan hari itu; kalibrasi timbangan; supervisi kader',
    en: 'Weigh every child every month and record that day’s reading; calibrate the scales; supervise kader',
  },
  'quality.validity.eppgbmDisagreement': {
    id: 'Z-score/status di e-PPGBM berbeda dari perhitungan WHO pada {detail} pengukuran',
    en: 'e-PPGBM z-scores/status differ from the WHO calculation in {detail} measurements',
  },
  'quality.validity.eppgbmDisagreement.fix': {
    id: 'Periksa tanggal lahir, tanggal ukur dan cara ukur yang diisi di e-PPGBM; laporkan selisih ke admin e-PPGBM',
    en: 'Check the birth date, measurement date and position entered in e-PPGBM; report the difference to the e-PPGBM admin',
  },
});

const clamp01 = (x: number) => (x > 1 ? 1 : x > 0 ? x : 0);

/** Severity of a test result: 0 at p ≥ 0.01, rising to 1 at p ≤ 0.0001 (log scale). */
export function severityOfP(p: number): number {
  if (!Number.isFinite(p)) return 0;
  if (p <= 0) return 1;
  return clamp01((-Math.log10(p) - 2) / 2);
}

/** Severity of a share (0–1) between a tolerated level and the level counted as fully bad. */
export function severityOfShare(share: number, tolerated: number, full: number): number {
  if (!Number.isFinite(share)) return 0;
  return clamp01((share - tolerated) / (full - tolerated));
}

const fmt = (x: number, digits: number, lang: 'id' | 'en') => {
  const s = x.toFixed(digits);
  return lang === 'id' ? s.replace('.', ',') : s;
};
const pct = (share: number, lang: 'id' | 'en') => `${fmt(100 * share, 1, lang)} %`;

/**
 * The validity score of one group: 100 minus the weighted severity of each component, with the
 * problems behind the deductions, worst first, in Bahasa Indonesia and English.
 */
export function validityScore(inputs: ValidityInputs, options: Partial<ValidityOptions> = {}): ValidityScore {
  const opt = { ...DEFAULT_VALIDITY_OPTIONS, ...options };
  const w = opt.weights;
  const pl = inputs.plausibility;
  const problems: ValidityProblem[] = [];
  const assessed: ValidityComponent[] = [];
  const add = (
    component: ValidityComponent,
    severity: number,
    messageKey: string,
    fixKey: string,
    detail: (lang: 'id' | 'en') => Record<string, string>,
  ) => {
    assessed.push(component);
    const deduction = Math.round(w[component] * severity * 10) / 10;
    if (deduction <= 0) return;
    problems.push({
      component,
      severity,
      deduction,
      problem: { id: t(messageKey, detail('id'), 'id'), en: t(messageKey, detail('en'), 'en') },
      fix: { id: t(fixKey, undefined, 'id'), en: t(fixKey, undefined, 'en') },
    });
  };

  const digits = [
    ['height', 'heightDigits'],
    ['weight', 'weightDigits'],
    ['muac', 'muacDigits'],
  ] as const;
  for (const [measure, component] of digits) {
    const d = pl.digitPreference[measure];
    if (!d || d.n < 10) continue;
    // DPS has a floor of about 100/√n from chance alone; only the excess, when significant, counts.
    const p = chiSquareUpper(d.X2, 9);
    const excess = d.dps - 100 / Math.sqrt(d.n);
    const severity = p < 0.01 ? clamp01(excess / 25) * Math.max(0.5, severityOfP(p)) : 0;
    const top = topDigits(d.counts);
    add(component, severity, M[`quality.validity.${component}`], M[`quality.validity.${component}.fix`], (lang) => ({
      detail: top,
      dps: fmt(d.dps, 1, lang),
    }));
  }
  if (pl.ageHeaping.n >= 10) {
    add('ageHeaping', severityOfP(pl.ageHeaping.p), M['quality.validity.ageHeaping'], M['quality.validity.ageHeaping.fix'], () => ({}));
  }
  if (pl.ageRatioTest.n >= 10) {
    const ar = pl.ageRatioTest;
    add('ageRatio', severityOfP(ar.p), M['quality.validity.ageRatio'], M['quality.validity.ageRatio.fix'], (lang) => ({
      detail: `${fmt(ar.observedR, 2, lang)} : 1`,
    }));
  }
  const sr = pl.sexRatioTest;
  if (sr.male + sr.female >= 10) {
    add('sexRatio', severityOfP(sr.p), M['quality.validity.sexRatio'], M['quality.validity.sexRatio.fix'], (lang) => ({ detail: pct(sr.pM, lang) }));
  }

  let narrowSeverity = -1;
  let narrowSd = NaN;
  for (const [index, component] of [
    ['whz', 'whzSpreadWide'],
    ['haz', 'hazSpreadWide'],
  ] as const) {
    const s = pl.zscoreSpread[index];
    if (!s || s.nCensored < 10) continue;
    const [lo, hi] = opt.sdRange[index];
    const df = s.nCensored - 1;
    const v = df * s.sd * s.sd;
    const wide = severityOfP(chiSquareUpper(v / (hi * hi), df));
    add(component, wide, M[`quality.validity.${component}`], M['quality.validity.spreadWide.fix'], (lang) => ({ detail: fmt(s.sd, 2, lang) }));
    const narrow = severityOfP(chiSquareLower(v / (lo * lo), df));
    if (narrow > narrowSeverity) {
      narrowSeverity = narrow;
      narrowSd = s.sd;
    }
  }
  if (narrowSeverity >= 0) {
    add('spreadNarrow', narrowSeverity, M['quality.validity.spreadNarrow'], M['quality.validity.spreadNarrow.fix'], (lang) => ({
      detail: fmt(narrowSd, 2, lang),
    }));
  }

  let flagged = 0;
  let zn = 0;
  let children = 0;
  for (const index of ['whz', 'haz', 'waz'] as const) {
    const s = pl.zscoreSpread[index];
    if (!s) continue;
    flagged += s.whoFlags;
    zn += s.n;
    children = Math.max(children, s.n);
  }
  if (children >= 10) {
    // Two flagged values are tolerated in any group (a single typo is not a pattern).
    const share = flagged <= 2 ? 0 : flagged / zn;
    add('flagRate', severityOfShare(share, 0.025, 0.075), M['quality.validity.flagRate'], M['quality.validity.flagRate.fix'], (lang) => ({
      detail: `${flagged} (${pct(flagged / zn, lang)})`,
    }));
  }

  const lon = inputs.longitudinal;
  if (lon && lon.children > 0) {
    const share = (code: LongitudinalIssueCode) => lon.childrenWith[code] / lon.children;
    const count = (code: LongitudinalIssueCode) => () => ({ detail: String(lon.childrenWith[code]) });
    add('heightDecrease', severityOfShare(share('height_decrease'), 0.02, 0.12), M['quality.validity.heightDecrease'], M['quality.validity.heightDecrease.fix'], count('height_decrease'));
    add('copiedValues', severityOfShare(share('copied_values'), 0, 0.1), M['quality.validity.copiedValues'], M['quality.validity.copiedValues.fix'], count('copied_values'));
    add('zJumps', severityOfShare(share('z_jump'), 0.02, 0.12), M['quality.validity.zJumps'], M['quality.validity.zJumps.fix'], count('z_jump'));
    add('positionAge', severityOfShare(share('position_age'), 0.08, 0.28), M['quality.validity.positionAge'], M['quality.validity.positionAge.fix'], count('position_age'));
    add('ageBirthdate', severityOfShare(share('age_birthdate'), 0.02, 0.12), M['quality.validity.ageBirthdate'], M['quality.validity.ageBirthdate.fix'], count('age_birthdate'));
  }
  const dup = inputs.duplicates;
  if (dup && dup.records > 0) {
    add('duplicates', severityOfShare(dup.inCandidatePairs / dup.records, 0, 0.05), M['quality.validity.duplicates'], M['quality.validity.duplicates.fix'], () => ({
      detail: String(dup.inCandidatePairs),
    }));
  }

  const bd = inputs.birthDays;
  if (bd && bd.n >= 10) {
    // Significance and size together: a share barely above chance in a big group costs little.
    const excess = (bd.heaped / bd.n - bd.expectedShare) / (1 - bd.expectedShare);
    add('birthDayHeaping', severityOfP(bd.p) * clamp01(excess / 0.3), M['quality.validity.birthDayHeaping'], M['quality.validity.birthDayHeaping.fix'], (lang) => ({
      detail: `${bd.heaped}/${bd.n}, ${pct(bd.heaped / bd.n, lang)}`,
    }));
  }
  const rw = inputs.repeatedWeights;
  if (rw && rw.visits >= 10) {
    add('repeatedWeight', severityOfShare(rw.repeated / rw.visits, opt.repeatedWeightShare[0], opt.repeatedWeightShare[1]), M['quality.validity.repeatedWeight'], M['quality.validity.repeatedWeight.fix'], (lang) => ({
      detail: `${rw.repeated}/${rw.visits} (${pct(rw.repeated / rw.visits, lang)})`,
    }));
  }
  const ep = inputs.eppgbm;
  if (ep && ep.compared > 0) {
    const share = ep.disagreements <= 1 ? 0 : ep.disagreements / ep.compared;
    add('eppgbmDisagreement', severityOfShare(share, 0.02, 0.2), M['quality.validity.eppgbmDisagreement'], M['quality.validity.eppgbmDisagreement.fix'], () => ({
      detail: `${ep.disagreements}/${ep.compared}`,
    }));
  }

  problems.sort((a, b) => b.deduction - a.deduction);
  let total = 0;
  for (const p of problems) total += p.deduction;
  return { score: Math.max(0, Math.round((100 - total) * 10) / 10), problems, assessed };
}

/** The one or two final digits that stand out, e.g. "0 dan 5" / "0 and 5" shown as "0, 5". */
function topDigits(counts: readonly number[]): string {
  const n = counts.reduce((a, b) => a + b, 0);
  const order = counts.map((c, d) => [c, d] as const).sort((a, b) => b[0] - a[0]);
  const picked = order.filter(([c], i) => i === 0 || c > (2 * n) / 10).slice(0, 2);
  return picked.map(([, d]) => String(d)).join(', ');
}

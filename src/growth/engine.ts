/**
 * The WHO Child Growth Standards z-score engine, reproducing WHO `anthro` (R package 1.1.0.9000)
 * `anthro_zscores()` exactly: same missing pattern, same 2-decimal values, same flags.
 * Pure: the tables come in as text (parseWhoTables) and are held in typed arrays.
 * @see ALGORITHM.md (who-growth-standards) §1–§13
 */
import {
  FIELD_BITS,
  growthIssue,
  isMissingText,
  issuesForProblems,
  parseDayNumber,
  parseDecimal,
  parseMeasureCode,
  parseOedemaCode,
  parseSexCode,
  type GrowthField,
} from './fields.js';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from './permenkes.js';
import type {
  Flag,
  GrowthBatchInput,
  GrowthBatchOutput,
  GrowthEngine,
  GrowthIssue,
  GrowthResult,
  MeasurementInput,
  Sex,
  WhoTableName,
} from './types.js';

/** 1 month = 365.25 / 12 days. @see ALGORITHM.md §2 */
export const DAYS_PER_MONTH = 30.4375;
/** Age-indexed tables hold days 0…1826. */
const AGE_ROWS = 1827;
const AGE_MAX_DAY = 1826;

/** An age-indexed table: L,M,S interleaved at ((sex−1)·1827 + day)·3; NaN where WHO has no row. */
export interface AgeLmsTable {
  lms: Float64Array;
}

/** A size-indexed table on the 0.1 cm grid: row k = cm·10, at ((sex−1)·(kMax−kMin+1) + k−kMin)·3. */
export interface SizeLmsTable {
  kMin: number;
  kMax: number;
  lms: Float64Array;
}

/** The nine WHO tables in typed arrays, ready for the engine. */
export interface WhoTables {
  weightForAge: AgeLmsTable;
  lengthForAge: AgeLmsTable;
  bmiForAge: AgeLmsTable;
  headCircumferenceForAge: AgeLmsTable;
  armCircumferenceForAge: AgeLmsTable;
  tricepsSkinfoldForAge: AgeLmsTable;
  subscapularSkinfoldForAge: AgeLmsTable;
  weightForLength: SizeLmsTable;
  weightForHeight: SizeLmsTable;
}

/** Every table name, in the order of data/who/README.md. */
export const WHO_TABLE_NAMES: readonly WhoTableName[] = [
  'weight-for-age',
  'length-height-for-age',
  'weight-for-length',
  'weight-for-height',
  'bmi-for-age',
  'head-circumference-for-age',
  'arm-circumference-for-age',
  'triceps-skinfold-for-age',
  'subscapular-skinfold-for-age',
];

interface ParsedRow {
  sex: number;
  key: string;
  l: number;
  m: number;
  s: number;
}

function parseRows(name: string, text: string, keyColumn: string): ParsedRow[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const ix = (col: string) => {
    const i = header.indexOf(col);
    if (i < 0) throw new Error(`WHO table ${name}: column ${col} missing`);
    return i;
  };
  const iSex = ix('sex');
  const iKey = ix(keyColumn);
  const iL = ix('L');
  const iM = ix('M');
  const iS = ix('S');
  const rows: ParsedRow[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === '') continue;
    const f = line.split(',');
    const row = { sex: Number(f[iSex]), key: f[iKey].trim(), l: Number(f[iL]), m: Number(f[iM]), s: Number(f[iS]) };
    if ((row.sex !== 1 && row.sex !== 2) || !Number.isFinite(row.l) || !(row.m > 0) || !(row.s > 0) || row.l === 0) {
      throw new Error(`WHO table ${name}: bad row ${li + 1}`);
    }
    rows.push(row);
  }
  return rows;
}

function ageTable(name: string, text: string, firstDay: number): AgeLmsTable {
  const lms = new Float64Array(2 * AGE_ROWS * 3).fill(NaN);
  const seen = new Uint8Array(2 * AGE_ROWS);
  for (const r of parseRows(name, text, 'age_days')) {
    const day = Number(r.key);
    if (!Number.isInteger(day) || day < firstDay || day > AGE_MAX_DAY) {
      throw new Error(`WHO table ${name}: day ${r.key} outside ${firstDay}…${AGE_MAX_DAY}`);
    }
    const row = (r.sex - 1) * AGE_ROWS + day;
    if (seen[row]) throw new Error(`WHO table ${name}: day ${day} twice`);
    seen[row] = 1;
    lms[row * 3] = r.l;
    lms[row * 3 + 1] = r.m;
    lms[row * 3 + 2] = r.s;
  }
  for (let sex = 0; sex < 2; sex++) {
    for (let day = firstDay; day <= AGE_MAX_DAY; day++) {
      if (!seen[sex * AGE_ROWS + day]) throw new Error(`WHO table ${name}: sex ${sex + 1} day ${day} missing`);
    }
  }
  return { lms };
}

function sizeTable(name: string, text: string, keyColumn: string, kMin: number, kMax: number): SizeLmsTable {
  const width = kMax - kMin + 1;
  const lms = new Float64Array(2 * width * 3).fill(NaN);
  const seen = new Uint8Array(2 * width);
  for (const r of parseRows(name, text, keyColumn)) {
    const cm = Number(r.key);
    const k = Math.round(cm * 10);
    // The key must be a one-decimal value on the grid (k/10 is then the same double as the text).
    if (!Number.isFinite(cm) || k / 10 !== cm || k < kMin || k > kMax) {
      throw new Error(`WHO table ${name}: size ${r.key} outside ${kMin / 10}…${kMax / 10}`);
    }
    const row = (r.sex - 1) * width + (k - kMin);
    if (seen[row]) throw new Error(`WHO table ${name}: size ${r.key} twice`);
    seen[row] = 1;
    lms[row * 3] = r.l;
    lms[row * 3 + 1] = r.m;
    lms[row * 3 + 2] = r.s;
  }
  if (seen.includes(0)) throw new Error(`WHO table ${name}: rows missing on the 0.1 cm grid`);
  return { kMin, kMax, lms };
}

/**
 * Reads the nine WHO LMS tables (CSV text as shipped in data/who/) into typed arrays; throws when
 * a table is malformed or incomplete (reference data, not user input).
 * @see ALGORITHM.md §4.1 (0.1 cm grid), data/who/README.md
 */
export function parseWhoTables(texts: Readonly<Record<WhoTableName, string>>): WhoTables {
  return {
    weightForAge: ageTable('weight-for-age', texts['weight-for-age'], 0),
    lengthForAge: ageTable('length-height-for-age', texts['length-height-for-age'], 0),
    bmiForAge: ageTable('bmi-for-age', texts['bmi-for-age'], 0),
    headCircumferenceForAge: ageTable('head-circumference-for-age', texts['head-circumference-for-age'], 0),
    armCircumferenceForAge: ageTable('arm-circumference-for-age', texts['arm-circumference-for-age'], 91),
    tricepsSkinfoldForAge: ageTable('triceps-skinfold-for-age', texts['triceps-skinfold-for-age'], 91),
    subscapularSkinfoldForAge: ageTable('subscapular-skinfold-for-age', texts['subscapular-skinfold-for-age'], 91),
    weightForLength: sizeTable('weight-for-length', texts['weight-for-length'], 'length_cm', 450, 1100),
    weightForHeight: sizeTable('weight-for-height', texts['weight-for-height'], 'height_cm', 650, 1200),
  };
}

/**
 * R's `round(x, 2)` (R ≥ 4.0): the nearer of the two 2-decimal candidates, ties to the even last
 * digit, symmetric around 0. Differs from Math.round(x·100)/100 (e.g. −7.995 → −8).
 * @see ALGORITHM.md §10
 */
export function roundR2(x: number): number {
  const a = x < 0 ? -x : x;
  const a100 = a * 100;
  const fl = Math.floor(a100);
  const lo = fl / 100;
  const hi = Math.ceil(a100) / 100;
  const dLo = a - lo;
  const dHi = hi - a;
  const r = dLo < dHi ? lo : dHi < dLo ? hi : fl % 2 === 1 ? hi : lo;
  return x < 0 ? -r : r;
}

/**
 * LMS z-score `((y/M)^L − 1) / (S·L)`. With L = 1 the power is skipped: pow(q, 1) is exactly q in
 * IEEE arithmetic, so the bits are unchanged and length/head tables (L = 1 everywhere) run faster.
 * @see ALGORITHM.md §5
 */
export function lmsZ(y: number, l: number, m: number, s: number): number {
  return l === 1 ? (y / m - 1) / s : (Math.pow(y / m, l) - 1) / (s * l);
}

/**
 * The LMS z-score restricted beyond ±3 SD (WHO 2006 method): linear in the measurement using the
 * distance between the 2 and 3 SD lines.
 * @see ALGORITHM.md §6
 */
export function restrictedZ(y: number, l: number, m: number, s: number): number {
  const z = lmsZ(y, l, m, s);
  if (z > 3) {
    const sd3 = m * Math.pow(1 + l * s * 3, 1 / l);
    const sd2 = m * Math.pow(1 + l * s * 2, 1 / l);
    return 3 + (y - sd3) / (sd3 - sd2);
  }
  if (z < -3) {
    const sd3 = m * Math.pow(1 + l * s * -3, 1 / l);
    const sd2 = m * Math.pow(1 + l * s * -2, 1 / l);
    return -3 + (y - sd3) / (sd2 - sd3);
  }
  return z;
}

/** Options of {@link createGrowthEngine}. */
export interface GrowthEngineOptions {
  /**
   * Round z-scores to 2 decimals (anthro's output, the default). `false` gives the unrounded
   * z-scores, only to verify the LMS arithmetic against anthro's `*_unrounded` columns; flags are
   * then evaluated on the unrounded value.
   */
  round?: boolean;
}

/** Allocates a columnar output for `length` rows. */
export function createBatchOutput(length: number): GrowthBatchOutput & { problems: Uint16Array } {
  return {
    length,
    ageDays: new Float64Array(length),
    clenhei: new Float64Array(length),
    cbmi: new Float64Array(length),
    cmeasure: new Uint8Array(length),
    c9mo: new Uint8Array(length),
    zlen: new Float64Array(length),
    flen: new Int8Array(length),
    zwei: new Float64Array(length),
    fwei: new Int8Array(length),
    zwfl: new Float64Array(length),
    fwfl: new Int8Array(length),
    zbmi: new Float64Array(length),
    fbmi: new Int8Array(length),
    zhc: new Float64Array(length),
    fhc: new Int8Array(length),
    zac: new Float64Array(length),
    fac: new Int8Array(length),
    zts: new Float64Array(length),
    fts: new Int8Array(length),
    zss: new Float64Array(length),
    fss: new Int8Array(length),
    problems: new Uint16Array(length),
  };
}

/** Allocates a columnar input for `length` rows (NaN / 0 = missing everywhere). */
export function createBatchInput(length: number, ageInMonths = false): Required<GrowthBatchInput> {
  return {
    length,
    ageInMonths,
    sex: new Uint8Array(length),
    age: new Float64Array(length).fill(NaN),
    weight: new Float64Array(length).fill(NaN),
    lenhei: new Float64Array(length).fill(NaN),
    measure: new Uint8Array(length),
    oedema: new Uint8Array(length),
    headc: new Float64Array(length).fill(NaN),
    armc: new Float64Array(length).fill(NaN),
    triskin: new Float64Array(length).fill(NaN),
    subskin: new Float64Array(length).fill(NaN),
    ageIsMonths: new Uint8Array(length),
    problems: new Uint16Array(length),
  };
}

const B = FIELD_BITS;
const AGE_BAD = B.age | B.birthDate | B.measureDate;
const LENHEI_BAD = B.lenhei | B.measure;

/**
 * Builds the engine from the WHO tables. computeOne fills a one-row batch and runs the same
 * kernel as computeBatch, so forms and imports can never disagree.
 * @see ALGORITHM.md §13 (order of operations)
 */
export function createGrowthEngine(tables: WhoTables, options: GrowthEngineOptions = {}): GrowthEngine {
  const round = options.round !== false;
  const wfa = tables.weightForAge.lms;
  const lhfa = tables.lengthForAge.lms;
  const bfa = tables.bmiForAge.lms;
  const hcfa = tables.headCircumferenceForAge.lms;
  const acfa = tables.armCircumferenceForAge.lms;
  const tsfa = tables.tricepsSkinfoldForAge.lms;
  const ssfa = tables.subscapularSkinfoldForAge.lms;
  const wfl = tables.weightForLength.lms;
  const wflMin = tables.weightForLength.kMin;
  const wflMax = tables.weightForLength.kMax;
  const wflWidth = wflMax - wflMin + 1;
  const wfh = tables.weightForHeight.lms;
  const wfhMin = tables.weightForHeight.kMin;
  const wfhMax = tables.weightForHeight.kMax;
  const wfhWidth = wfhMax - wfhMin + 1;


  /** z for an age-indexed table at LMS offset `o` (−1 = no row); NaN when y or the row is missing. */
  function ageZ(table: Float64Array, o: number, y: number, restricted: boolean): number {
    if (o < 0 || !(y > 0)) return NaN;
    const l = table[o];
    const m = table[o + 1];
    const s = table[o + 2];
    const z = restricted ? restrictedZ(y, l, m, s) : lmsZ(y, l, m, s);
    return round ? roundR2(z) : z;
  }

  /** Weight-for-length/height z with 0.1 cm interpolation. @see ALGORITHM.md §4.1 */
  function sizeZ(useLength: boolean, sexRow: number, x: number, w: number): number {
    const table = useLength ? wfl : wfh;
    const kMin = useLength ? wflMin : wfhMin;
    const kMax = useLength ? wflMax : wfhMax;
    const width = useLength ? wflWidth : wfhWidth;
    if (useLength ? !(x >= 45 && x <= 110) : !(x >= 65 && x <= 120)) return NaN;
    const x10 = x * 10;
    const kLo = Math.trunc(x10);
    const lo = kLo / 10;
    const f = (x - lo) / 0.1;
    const oLo = (sexRow * width + (kLo - kMin)) * 3;
    let l = table[oLo];
    let m = table[oLo + 1];
    let s = table[oLo + 2];
    if (f > 0) {
      const kHi = Math.trunc(x10 + 1);
      if (kHi > kMax) return NaN;
      const oHi = (sexRow * width + (kHi - kMin)) * 3;
      l = l + f * (table[oHi] - l);
      m = m + f * (table[oHi + 1] - m);
      s = s + f * (table[oHi + 2] - s);
    }
    const z = restrictedZ(w, l, m, s);
    return round ? roundR2(z) : z;
  }

  function computeBatch(input: GrowthBatchInput, outArg?: GrowthBatchOutput): GrowthBatchOutput {
    const n = input.length;
    const out = outArg ?? createBatchOutput(n);
    if (out.length < n) throw new RangeError('computeBatch: output shorter than input');
    const problems = out.problems && out.problems.length >= n ? out.problems : (out.problems = new Uint16Array(n));
    const { sex: sexA, age: ageA, weight: wA, lenhei: lhA, measure: msA, oedema: oeA } = input;
    const hcA = input.headc;
    const acA = input.armc;
    const tsA = input.triskin;
    const ssA = input.subskin;
    const unitA = input.ageIsMonths;
    const preA = input.problems;
    const monthsAll = input.ageInMonths;
    const { ageDays, clenhei, cbmi, cmeasure, c9mo, zlen, flen, zwei, fwei, zwfl, fwfl, zbmi, fbmi } = out;
    const { zhc, fhc, zac, fac, zts, fts, zss, fss } = out;

    for (let i = 0; i < n; i++) {
      let mask = preA !== undefined ? preA[i] : 0;

      // §1 validation, per value instead of anthro's whole-call abort.
      let sex = sexA[i];
      if (sex > 2) mask |= B.sex;
      let age = ageA[i];
      if (age < 0 || age === Infinity) mask |= B.age;
      let w = wA[i];
      if (w <= 0 || w === Infinity) mask |= B.weight;
      let lenhei = lhA[i];
      if (lenhei <= 0 || lenhei === Infinity) mask |= B.lenhei;
      let pos = msA[i];
      if (pos > 2) mask |= B.measure;
      let oedema = oeA[i];
      if (oedema > 1) mask |= B.oedema;
      let hc = hcA !== undefined ? hcA[i] : NaN;
      if (hc <= 0 || hc === Infinity) mask |= B.headc;
      let ac = acA !== undefined ? acA[i] : NaN;
      if (ac <= 0 || ac === Infinity) mask |= B.armc;
      let ts = tsA !== undefined ? tsA[i] : NaN;
      if (ts <= 0 || ts === Infinity) mask |= B.triskin;
      let ss = ssA !== undefined ? ssA[i] : NaN;
      if (ss <= 0 || ss === Infinity) mask |= B.subskin;

      // A bad value blanks exactly the results that depend on it.
      if (mask !== 0) {
        if (mask & B.sex) sex = 0;
        if (mask & AGE_BAD) {
          age = NaN;
          lenhei = NaN; // the ±0.7 cm adjustment and the WFL/WFH choice depend on the age
        }
        if (mask & B.weight) w = NaN;
        if (mask & LENHEI_BAD) {
          lenhei = NaN;
          pos = 0;
        }
        if (mask & B.oedema) oedema = 1; // unknown oedema: weight-based z-scores cannot be trusted
        if (mask & B.headc) hc = NaN;
        if (mask & B.armc) ac = NaN;
        if (mask & B.triskin) ts = NaN;
        if (mask & B.subskin) ss = NaN;
      }
      problems[i] = mask;

      // §2 ages: integer days (half-up) for look-ups, unrounded months for the < 60 and < 9 rules.
      let days = NaN;
      let months = NaN;
      if (age === age) {
        const unit = unitA !== undefined ? unitA[i] : 0;
        const inMonths = unit === 0 ? monthsAll : unit === 1;
        const d = inMonths ? age * DAYS_PER_MONTH : age;
        const fd = Math.floor(d);
        days = d - fd >= 0.5 ? fd + 1 : fd;
        months = inMonths ? age : age / DAYS_PER_MONTH;
      }
      const ageKnown = days === days;

      // §3.2 standing height before 9 months is implausible: position dropped, no adjustment.
      let c9 = 0;
      if (pos === 2 && ageKnown && months < 9) {
        pos = 0;
        c9 = 1;
      }
      // §3.3 the ±0.7 cm length/height adjustment at 731 days.
      let h = lenhei;
      if (ageKnown) {
        if (days < 731) {
          if (pos === 2) h = lenhei + 0.7;
        } else if (pos === 1) h = lenhei - 0.7;
      }
      // §7 BMI from the adjusted length/height; R squares as x * x.
      const hm = h / 100;
      const bmi = w / (hm * hm);

      ageDays[i] = days;
      clenhei[i] = h;
      cbmi[i] = bmi;
      cmeasure[i] = pos;
      c9mo[i] = c9;

      // §2 age windows and the under-5 rule; every age table stops at day 1826.
      const sexRow = sex - 1;
      const ageOk = sex !== 0 && ageKnown && months < 60 && days <= AGE_MAX_DAY;
      const o = ageOk ? (sexRow * AGE_ROWS + days) * 3 : -1;
      const noOedema = oedema === 0;

      let z = ageZ(lhfa, o, h, false);
      zlen[i] = z;
      flen[i] = z !== z ? -1 : z < -6 || z > 6 ? 1 : 0;

      z = noOedema ? ageZ(wfa, o, w, true) : NaN;
      zwei[i] = z;
      fwei[i] = z !== z ? -1 : z < -6 || z > 5 ? 1 : 0;

      // §4 WFL/WFH: by age when known, else by position, else by size (< 87 cm = length).
      z = NaN;
      if (sex !== 0 && noOedema && w > 0 && h > 0 && (!ageKnown || (days <= 1856 && months < 60))) {
        const useLength = ageKnown ? days < 731 : pos === 1 ? true : pos === 2 ? false : h < 87;
        z = sizeZ(useLength, sexRow, h, w);
      }
      zwfl[i] = z;
      fwfl[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;

      z = noOedema && h > 0 ? ageZ(bfa, o, bmi, true) : NaN;
      zbmi[i] = z;
      fbmi[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;

      z = ageZ(hcfa, o, hc, false);
      zhc[i] = z;
      fhc[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;

      z = ageZ(acfa, o, ac, true);
      zac[i] = z;
      fac[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;

      z = ageZ(tsfa, o, ts, true);
      zts[i] = z;
      fts[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;

      z = ageZ(ssfa, o, ss, true);
      zss[i] = z;
      fss[i] = z !== z ? -1 : z < -5 || z > 5 ? 1 : 0;
    }
    return out;
  }

  // One-row scratch batch for computeOne (JS is single-threaded, so reuse is safe).
  const one = createBatchInput(1);
  const oneOut = createBatchOutput(1);

  function computeOne(input: MeasurementInput): GrowthResult {
    const issues: GrowthIssue[] = [];
    let known = 0;
    const bad = (field: GrowthField, code: Parameters<typeof growthIssue>[1]) => {
      known |= B[field];
      issues.push(growthIssue(field, code));
    };
    // Forms may hand over the typed text ("12,5"); anything that is not a number is reported.
    const num = (field: GrowthField, v: unknown): number => {
      if (v === null || v === undefined) return NaN;
      const x = typeof v === 'number' ? v : typeof v === 'string' ? (isMissingText(v) ? null : parseDecimal(v)) : NaN;
      if (x === null) return NaN;
      if (x !== x) bad(field, 'not_a_number');
      return x;
    };

    one.sex[0] = parseSexCode(input.sex);
    one.measure[0] = parseMeasureCode(input.measure);
    one.oedema[0] = parseOedemaCode(input.oedema);
    one.weight[0] = num('weight', input.weight);
    one.lenhei[0] = num('lenhei', input.lenhei);
    one.headc[0] = num('headc', input.headc);
    one.armc[0] = num('armc', input.armc);
    one.triskin[0] = num('triskin', input.triskin);
    one.subskin[0] = num('subskin', input.subskin);

    let age = num('age', input.age);
    let inMonths = input.ageUnit === 'months';
    const hasBirth = input.birthDate !== null && input.birthDate !== undefined && !isMissingText(input.birthDate);
    const hasMeasure =
      input.measureDate !== null && input.measureDate !== undefined && !isMissingText(input.measureDate);
    if (hasBirth && hasMeasure) {
      const b = parseDayNumber(String(input.birthDate));
      const m = parseDayNumber(String(input.measureDate));
      if (b !== b) bad('birthDate', 'invalid_date');
      if (m !== m) bad('measureDate', 'invalid_date');
      if (b === b && m === m) {
        if (m < b) bad('measureDate', 'date_order');
        else {
          age = m - b;
          inMonths = false;
          known &= ~B.age; // the dates replace a bad age value
          for (let k = issues.length - 1; k >= 0; k--) if (issues[k].field === 'age') issues.splice(k, 1);
        }
      }
    }
    one.age[0] = age;
    one.ageIsMonths[0] = inMonths ? 1 : 2;
    one.problems[0] = known;

    const out = computeBatch(one, oneOut);
    const mask = out.problems![0];
    issues.push(
      ...issuesForProblems(mask, known, {
        sex: one.sex[0],
        age,
        measure: one.measure[0],
        oedema: one.oedema[0],
        measurements: {
          weight: one.weight[0],
          lenhei: one.lenhei[0],
          headc: one.headc[0],
          armc: one.armc[0],
          triskin: one.triskin[0],
          subskin: one.subskin[0],
        },
      }),
    );

    const val = (a: Float64Array) => (a[0] === a[0] ? a[0] : null);
    const flag = (a: Int8Array) => (a[0] < 0 ? null : (a[0] as Flag));
    const sexCode = mask & B.sex ? 0 : one.sex[0];
    const ageDays = val(out.ageDays);
    const zlen = val(out.zlen);
    const zwei = val(out.zwei);
    const zwfl = val(out.zwfl);
    const zbmi = val(out.zbmi);
    const flen = flag(out.flen);
    const fwei = flag(out.fwei);
    const fwfl = flag(out.fwfl);
    const fbmi = flag(out.fbmi);
    return {
      ageDays,
      ageMonths: ageDays === null ? null : inMonths ? age : age / DAYS_PER_MONTH,
      clenhei: val(out.clenhei),
      cmeasure: out.cmeasure[0] === 1 ? 'l' : out.cmeasure[0] === 2 ? 'h' : null,
      c9moFlag: out.c9mo[0] as Flag,
      cbmi: val(out.cbmi),
      csex: sexCode === 1 || sexCode === 2 ? (sexCode as Sex) : null,
      zlen,
      flen,
      zwei,
      fwei,
      zwfl,
      fwfl,
      zbmi,
      fbmi,
      zhc: val(out.zhc),
      fhc: flag(out.fhc),
      zac: val(out.zac),
      fac: flag(out.fac),
      zts: val(out.zts),
      fts: flag(out.fts),
      zss: val(out.zss),
      fss: flag(out.fss),
      status: {
        weightForAge: weightForAgeStatus(zwei, fwei),
        lengthForAge: lengthForAgeStatus(zlen, flen),
        weightForLength: weightForLengthStatus(zwfl, fwfl),
        bmiForAge: bmiForAgeStatus(zbmi, fbmi),
      },
      issues,
    };
  }

  return { computeOne, computeBatch };
}

/**
 * The contract of the growth engine (src/growth). Other features code against these types.
 * Pure module: no I/O. Missing values: `null` in the one-record API; NaN (numbers), 0 (codes)
 * and -1 (flags) in the columnar batch API.
 */

/** 1 = male (laki-laki), 2 = female (perempuan). */
export type Sex = 1 | 2;

/** Names of the nine WHO tables shipped under data/who/. */
export type WhoTableName =
  | 'weight-for-age'
  | 'length-height-for-age'
  | 'weight-for-length'
  | 'weight-for-height'
  | 'bmi-for-age'
  | 'head-circumference-for-age'
  | 'arm-circumference-for-age'
  | 'triceps-skinfold-for-age'
  | 'subscapular-skinfold-for-age';

/** One measurement as a form or an import row gives it (anthro's inputs, plus dates). */
export interface MeasurementInput {
  /** 1/2, 'm'/'f', 'M'/'F', 'L'/'P' (Indonesian laki-laki/perempuan), or null. */
  sex: Sex | string | null;
  /** Age in `ageUnit`; may be fractional. Ignored when both dates are given. */
  age?: number | null;
  ageUnit?: 'days' | 'months';
  /** ISO dates (yyyy-mm-dd); age in days = measureDate − birthDate. */
  birthDate?: string | null;
  measureDate?: string | null;
  /** kg */
  weight?: number | null;
  /** cm, as measured (before the ±0.7 cm adjustment) */
  lenhei?: number | null;
  /** 'L'/'l' recumbent length, 'H'/'h' standing height (Indonesian 'Telentang'/'Berdiri' also accepted) */
  measure?: string | null;
  /** true/'y'/'Y'/'1' = bilateral pitting oedema; false/'n'/'N'/'2'/null = none */
  oedema?: boolean | string | null;
  /** cm */
  headc?: number | null;
  /** cm (LiLA / MUAC) */
  armc?: number | null;
  /** mm */
  triskin?: number | null;
  /** mm */
  subskin?: number | null;
}

export type Flag = 0 | 1;

/** Why a record (or one of its values) could not be computed; bilingual for the user. */
export interface GrowthIssue {
  code: string;
  field: string;
  id: string;
  en: string;
}

/** Permenkes 2/2020 category of one index. */
export interface PermenkesStatus {
  /** Stable machine code, e.g. 'severely_stunted', 'stunted', 'normal', 'tall'. */
  code: string;
  /** The regulation's exact Indonesian label, e.g. 'Sangat pendek'. */
  id: string;
  /** English as in the regulation, e.g. 'Severely stunted'. */
  en: string;
  /**
   * True when the z-score behind this status is outside WHO's plausible band (flag = 1). The
   * status is still given so a form can show it, but analytics excludes flagged values.
   */
  flagged?: boolean;
}

/** anthro_zscores' outputs for one record, plus ages, Permenkes statuses and issues. */
export interface GrowthResult {
  ageDays: number | null;
  ageMonths: number | null;
  clenhei: number | null;
  cmeasure: 'l' | 'h' | null;
  c9moFlag: Flag;
  cbmi: number | null;
  csex: Sex | null;
  zlen: number | null; flen: Flag | null;
  zwei: number | null; fwei: Flag | null;
  zwfl: number | null; fwfl: Flag | null;
  zbmi: number | null; fbmi: Flag | null;
  zhc: number | null; fhc: Flag | null;
  zac: number | null; fac: Flag | null;
  zts: number | null; fts: Flag | null;
  zss: number | null; fss: Flag | null;
  /** BB/U, PB/U–TB/U, BB/PB–BB/TB, IMT/U (null when the z-score is missing). */
  status: {
    weightForAge: PermenkesStatus | null;
    lengthForAge: PermenkesStatus | null;
    weightForLength: PermenkesStatus | null;
    bmiForAge: PermenkesStatus | null;
  };
  /** Empty when every given input was usable. */
  issues: GrowthIssue[];
}

/**
 * Columnar input for imports and analytics. All arrays have `length` entries.
 * Codes: sex 0 missing / 1 / 2; measure 0 missing / 1 'l' / 2 'h'; oedema 0 no / 1 yes.
 * Numbers: NaN = missing. `age` is in days unless `ageInMonths`.
 */
export interface GrowthBatchInput {
  length: number;
  ageInMonths: boolean;
  sex: Uint8Array;
  age: Float64Array;
  weight: Float64Array;
  lenhei: Float64Array;
  measure: Uint8Array;
  oedema: Uint8Array;
  headc?: Float64Array;
  armc?: Float64Array;
  triskin?: Float64Array;
  subskin?: Float64Array;
  /**
   * Optional per-row age unit: 0 = as `ageInMonths` says, 1 = months, 2 = days (e.g. a row whose
   * age came from dates is in days while the file's age column is in months).
   */
  ageIsMonths?: Uint8Array;
  /**
   * Optional per-row bit set of fields already found unusable while parsing (text in a number
   * column, an impossible date…), see `FIELD_BITS` in src/growth/fields.ts. Those values are
   * treated as bad: the results depending on them are left empty.
   */
  problems?: Uint16Array;
}

/** Columnar output: z-scores NaN when missing, flags -1 when missing, cmeasure 0/1/2, c9mo 0/1. */
export interface GrowthBatchOutput {
  length: number;
  ageDays: Float64Array;
  clenhei: Float64Array;
  cbmi: Float64Array;
  cmeasure: Uint8Array;
  c9mo: Uint8Array;
  zlen: Float64Array; flen: Int8Array;
  zwei: Float64Array; fwei: Int8Array;
  zwfl: Float64Array; fwfl: Int8Array;
  zbmi: Float64Array; fbmi: Int8Array;
  zhc: Float64Array; fhc: Int8Array;
  zac: Float64Array; fac: Int8Array;
  zts: Float64Array; fts: Int8Array;
  zss: Float64Array; fss: Int8Array;
  /**
   * Per-row bit set of unusable input fields (`FIELD_BITS` in src/growth/fields.ts): the input's
   * `problems` plus what the engine rejected (unknown code, value ≤ 0, negative age, ±Infinity).
   * Always filled by computeBatch (allocated when the caller's `out` lacks it); 0 = clean row.
   */
  problems?: Uint16Array;
}

/**
 * The engine: created once from the WHO tables (`createGrowthEngine(tables)` in
 * src/growth/engine.ts); `loadGrowthEngine()` in src/reference/who-tables.ts reads data/who/
 * and returns a memoised engine for Node code.
 */
export interface GrowthEngine {
  /** One record (forms): validates, computes, classifies; never throws on bad input. */
  computeOne(input: MeasurementInput): GrowthResult;
  /** Many records (imports, analytics), same code path as computeOne. */
  computeBatch(input: GrowthBatchInput, out?: GrowthBatchOutput): GrowthBatchOutput;
}

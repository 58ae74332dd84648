/**
 * Input fields of the growth engine: their bit in a row's problem set, how text codes and numbers
 * are read (anthro's codes plus the Indonesian ones), and the bilingual reason given when a value
 * cannot be used. Shared by the one-record API, the batch API and `tumbuh zscore`.
 */
import { defineMessages, t, tBoth } from '../common/i18n.js';
import type { GrowthIssue } from './types.js';

/** The input fields that can carry a problem. */
export type GrowthField =
  | 'sex'
  | 'age'
  | 'birthDate'
  | 'measureDate'
  | 'weight'
  | 'lenhei'
  | 'measure'
  | 'oedema'
  | 'headc'
  | 'armc'
  | 'triskin'
  | 'subskin';

/** One bit per field in the `problems` arrays of the batch API. */
export const FIELD_BITS: Readonly<Record<GrowthField, number>> = {
  sex: 1,
  age: 2,
  birthDate: 4,
  measureDate: 8,
  weight: 16,
  lenhei: 32,
  measure: 64,
  oedema: 128,
  headc: 256,
  armc: 512,
  triskin: 1024,
  subskin: 2048,
};

/** Fields in the order issues are reported. */
export const GROWTH_FIELDS: readonly GrowthField[] = Object.keys(FIELD_BITS) as GrowthField[];

/** Stable reason codes of a {@link GrowthIssue}. */
export type GrowthIssueCode =
  | 'not_a_number'
  | 'not_positive'
  | 'not_finite'
  | 'negative_age'
  | 'unknown_code'
  | 'invalid_date'
  | 'date_order';

const M = defineMessages({
  'growth.field.sex': { id: 'jenis kelamin', en: 'sex' },
  'growth.field.age': { id: 'umur', en: 'age' },
  'growth.field.birthDate': { id: 'tanggal lahir', en: 'birth date' },
  'growth.field.measureDate': { id: 'tanggal ukur', en: 'measurement date' },
  'growth.field.weight': { id: 'berat badan', en: 'weight' },
  'growth.field.lenhei': { id: 'panjang/tinggi badan', en: 'length/height' },
  'growth.field.measure': { id: 'cara ukur', en: 'measuring position' },
  'growth.field.oedema': { id: 'edema', en: 'oedema' },
  'growth.field.headc': { id: 'lingkar kepala', en: 'head circumference' },
  'growth.field.armc': { id: 'LiLA', en: 'arm circumference' },
  'growth.field.triskin': { id: 'lipatan kulit trisep', en: 'triceps skinfold' },
  'growth.field.subskin': { id: 'lipatan kulit subskapula', en: 'subscapular skinfold' },
  'growth.issue.not_a_number': {
    id: '{label}: bukan angka, hasil yang memakai nilai ini dikosongkan',
    en: '{label}: not a number, results using this value left empty',
  },
  'growth.issue.not_positive': {
    id: '{label}: harus lebih dari 0, hasil yang memakai nilai ini dikosongkan',
    en: '{label}: must be greater than 0, results using this value left empty',
  },
  'growth.issue.not_finite': {
    id: '{label}: nilai tak hingga, hasil yang memakai nilai ini dikosongkan',
    en: '{label}: infinite value, results using this value left empty',
  },
  'growth.issue.negative_age': {
    id: '{label}: umur negatif, z-score dikosongkan',
    en: '{label}: negative age, z-scores left empty',
  },
  'growth.issue.unknown_code': {
    id: '{label}: kode tidak dikenal (pakai {codes}), hasil yang memakai nilai ini dikosongkan',
    en: '{label}: unknown code (use {codes}), results using this value left empty',
  },
  'growth.issue.invalid_date': {
    id: '{label}: tanggal tidak valid (pakai yyyy-mm-dd atau dd/mm/yyyy), z-score dikosongkan',
    en: '{label}: invalid date (use yyyy-mm-dd or dd/mm/yyyy), z-scores left empty',
  },
  'growth.issue.date_order': {
    id: '{label}: tanggal ukur sebelum tanggal lahir, z-score dikosongkan',
    en: '{label}: measurement date before birth date, z-scores left empty',
  },
});

const CODES: Partial<Record<GrowthField, string>> = {
  sex: '1/2, m/f, L/P',
  measure: 'L/H, Telentang/Berdiri',
  oedema: 'y/n, 1/2, ya/tidak',
};

/**
 * The bilingual reason for one unusable value. `column` names the file's column (CLI) so the
 * user can find it; without it the field's plain-language name is used.
 */
export function growthIssue(field: GrowthField, code: GrowthIssueCode, column?: string): GrowthIssue {
  const name = tBoth(M[`growth.field.${field}`]);
  const codes = CODES[field] ?? '';
  const key = M[`growth.issue.${code}`];
  return {
    code,
    field,
    id: t(key, { label: column ? `${name.id} (kolom ${column})` : name.id, codes }, 'id'),
    en: t(key, { label: column ? `${name.en} (column ${column})` : name.en, codes }, 'en'),
  };
}

/** True for a cell that means "missing": empty, blanks only, or R's `NA`. */
export function isMissingText(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  // Fast exit for the usual cell that starts with a digit, sign or decimal separator.
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) return false;
  const s = text.trim();
  return s === '' || s === 'NA' || s === 'na' || s === 'NaN';
}

const NUMBER_RE = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number written with a decimal point or a decimal comma (`12.5`, `12,5`); NaN for anything
 * else (thousand separators, units, words). Call {@link isMissingText} first for empty cells.
 */
export function parseDecimal(text: string): number {
  // Fast path for plain `123`, `12.5` and `12,5`, checked character by character.
  const n = text.length;
  let sep = -1;
  let digits = 0;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c === 46 || c === 44) && sep < 0) sep = i;
    else break;
  }
  if (i === n && digits > 0) return sep >= 0 && text.charCodeAt(sep) === 44 ? Number(text.replace(',', '.')) : Number(text);
  const s = text.trim();
  if (!NUMBER_RE.test(s)) return NaN;
  return Number(s.replace(',', '.'));
}

/** Sex code of the batch API: 1 male, 2 female, 0 missing, 255 unknown. */
export function parseSexCode(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (value === 1 || value === 2) return value;
  if (typeof value !== 'string') return 255;
  const s = value.trim().toLowerCase();
  switch (s) {
    case '':
    case 'na':
      return 0;
    case '1':
    case 'm':
    case 'l':
    case 'laki-laki':
    case 'laki laki':
    case 'male':
      return 1;
    case '2':
    case 'f':
    case 'p':
    case 'perempuan':
    case 'female':
      return 2;
    default:
      return 255;
  }
}

/** Position code of the batch API: 1 recumbent length, 2 standing height, 0 missing, 255 unknown. */
export function parseMeasureCode(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value !== 'string') return 255;
  const s = value.trim().toLowerCase();
  switch (s) {
    case '':
    case 'na':
      return 0;
    case 'l':
    case 'telentang':
    case 'terlentang':
      return 1;
    case 'h':
    case 'berdiri':
      return 2;
    default:
      return 255;
  }
}

/** Oedema code of the batch API: 1 present, 0 absent or missing, 255 unknown. */
export function parseOedemaCode(value: unknown): number {
  if (value === null || value === undefined || value === false) return 0;
  if (value === true) return 1;
  if (typeof value !== 'string') return 255;
  const s = value.trim().toLowerCase();
  switch (s) {
    case '':
    case 'na':
    case 'n':
    case '2':
    case 'tidak':
      return 0;
    case 'y':
    case '1':
    case 'ya':
      return 1;
    default:
      return 255;
  }
}

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const DMY_RE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const MS_PER_DAY = 86_400_000;

/**
 * A calendar date as a whole day number (days since 1970-01-01); NaN when the text is not a real
 * date. Accepts ISO `yyyy-mm-dd` (a time part is ignored) and the Indonesian `dd/mm/yyyy`,
 * `dd-mm-yyyy`, `dd.mm.yyyy`.
 */
export function parseDayNumber(text: string): number {
  const s = text.trim();
  let y: number, m: number, d: number;
  let match = ISO_RE.exec(s);
  if (match) {
    y = +match[1];
    m = +match[2];
    d = +match[3];
  } else {
    match = DMY_RE.exec(s);
    if (!match) return NaN;
    d = +match[1];
    m = +match[2];
    y = +match[3];
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return NaN;
  return ms / MS_PER_DAY;
}

/** The issues for the bits of `mask` that are not in `known` (already described by a parser). */
export function issuesForProblems(
  mask: number,
  known: number,
  values: {
    sex: number;
    age: number;
    measure: number;
    oedema: number;
    measurements: Partial<Record<GrowthField, number>>;
  },
  columns?: Partial<Record<GrowthField, string>>,
): GrowthIssue[] {
  const issues: GrowthIssue[] = [];
  const todo = mask & ~known;
  if (todo === 0) return issues;
  for (const field of GROWTH_FIELDS) {
    if ((todo & FIELD_BITS[field]) === 0) continue;
    let code: GrowthIssueCode;
    if (field === 'sex' || field === 'measure' || field === 'oedema') code = 'unknown_code';
    else if (field === 'age') code = values.age < 0 ? 'negative_age' : 'not_finite';
    else if (field === 'birthDate' || field === 'measureDate') code = 'invalid_date';
    else {
      const v = values.measurements[field] ?? NaN;
      code = v === Infinity || v === -Infinity ? 'not_finite' : v <= 0 ? 'not_positive' : 'not_a_number';
    }
    issues.push(growthIssue(field, code, columns?.[field]));
  }
  return issues;
}

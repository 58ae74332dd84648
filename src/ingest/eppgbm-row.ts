import { tBoth, type Bilingual } from '../common/i18n.js';
import type { EppgbmKey } from './eppgbm-columns.js';
import type { HeaderMap } from './header-map.js';
import { IM } from './messages.js';
import { facilityKey, type RegionMatcher } from './region-matcher.js';
import { isBlank, parseDate, parseMeasure, parseNik, parseNumber, parseNumberValue, parseSex } from './value-parsers.js';

/** A problem found in one cell: the column as the file writes it, the value, and why (id + en). */
export interface RowIssue {
  row: number;
  column: string;
  value: string;
  reason: Bilingual;
}

/** e-PPGBM's own results for the row, kept to compare with WHO's (never a reason to reject). */
export interface EppgbmOwnResults {
  zwei: number | null;
  zlen: number | null;
  zwfl: number | null;
  bbU: string;
  tbU: string;
  bbTb: string;
  naikBb: string;
}

/** One accepted measurement row, values parsed and the region matched. */
export interface EppgbmRecord {
  row: number;
  /** 16 digits, or null when absent or unusable (then the child is matched by name + birth + mother). */
  nik: string | null;
  name: string;
  motherName: string;
  sex: 1 | 2;
  birthDate: string;
  birthDay: number;
  measureDate: string;
  measureDay: number;
  /** kg */
  weight: number;
  /** cm as measured, null when not measured */
  height: number | null;
  measure: 'l' | 'h' | null;
  /** cm */
  lila: number | null;
  /** cm */
  headc: number | null;
  birthWeight: number | null;
  birthLength: number | null;
  kecCode: string;
  desaCode: string;
  posyandu: string;
  posyanduKey: string;
  puskesmas: string;
  rt: string;
  rw: string;
  address: string;
  own: EppgbmOwnResults;
  /** Columns Tumbuh does not interpret, by header (only when the caller keeps them). */
  extras: Record<string, string> | null;
}

/** What a row's validation gives: the record (null when rejected), rejections and warnings. */
export interface RowOutcome {
  record: EppgbmRecord | null;
  rejects: RowIssue[];
  warnings: RowIssue[];
}

/** What the validator needs besides the row: the header, the district's regions and today. */
export interface RowContext {
  header: HeaderMap<EppgbmKey>;
  matcher: RegionMatcher;
  /** Day number of today (measurements after it are rejected) and its ISO text for messages. */
  todayDay: number;
  todayIso: string;
  keepExtras: boolean;
  /** Columns kept verbatim with the record (see {@link extraColumns}). */
  extraColumns: readonly { index: number; header: string }[];
}

/** Known columns Tumbuh keeps verbatim but does not interpret. Identifiers of relatives (NIK
 * Orang Tua, Nomor KK, phone) are deliberately absent: they are never stored in clear. */
const PASSTHROUGH: ReadonlySet<EppgbmKey> = new Set<EppgbmKey>([
  'prov', 'kabKota', 'usiaSaatUkur', 'pmt', 'vitA', 'kpsp', 'kia', 'detail', 'kelasIbuBalita', 'mbg', 'anakKe', 'usiaKehamilan', 'imd', 'lkLahir',
]);

/** The columns of a file kept verbatim with each record: unknown ones and {@link PASSTHROUGH}. */
export function extraColumns(header: HeaderMap<EppgbmKey>): { index: number; header: string }[] {
  const out = [...header.extras];
  for (const key of PASSTHROUGH) {
    const i = header.index[key];
    if (i !== undefined) out.push({ index: i, header: header.headers[i] });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Z-scores of 999.99 (and other |z| ≥ 99) are e-PPGBM placeholders, not values. */
function ownZ(raw: string): number | null {
  if (isBlank(raw)) return null;
  const n = parseNumberValue(raw);
  if (n === null || Math.abs(n) >= 99) return null;
  return n;
}

/** Collapses runs of whitespace; most cells need nothing, so test before allocating. */
function tidy(text: string): string {
  return /\s\s|^\s|\s$|[\t\n\r\u00a0]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

const facilityKeys = new Map<string, string>();

/** The key under which a posyandu name is matched within its desa ({@link facilityKey}, memoised: exports repeat the same few hundred names). */
export function posyanduKey(name: string): string {
  let key = facilityKeys.get(name);
  if (key === undefined) {
    key = facilityKey(name);
    if (facilityKeys.size < 50_000) facilityKeys.set(name, key);
  }
  return key;
}

function optionalMeasure(raw: string): number | null {
  if (isBlank(raw)) return null;
  const n = parseNumberValue(raw);
  return n !== null && n > 0 ? n : null;
}

/**
 * Validates one e-PPGBM data row under the import rules (issue 4 §2): a row is rejected when the
 * measurement date is missing, unparseable, in the future or before birth; the birth date is
 * missing or unparseable; JK is not L/P; the weight is missing, not a number, ≤ 0 or > 60 kg;
 * a height is given but is not a number, ≤ 0 or > 150 cm; Desa/Kel names no desa of the district.
 * Everything else (NIK, Cara Ukur, e-PPGBM's own z-scores and labels) can only warn.
 */
export function validateEppgbmRow(cells: readonly string[], row: number, ctx: RowContext, longNumbers?: readonly number[]): RowOutcome {
  const { index, headers } = ctx.header;
  const get = (key: EppgbmKey): string => {
    const i = index[key];
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const col = (key: EppgbmKey): string => {
    const i = index[key];
    return i === undefined ? key : headers[i];
  };
  const rejects: { at: number; issue: RowIssue }[] = [];
  const warnings: RowIssue[] = [];
  const reject = (key: EppgbmKey, messageKey: string, params?: Record<string, unknown>): void => {
    rejects.push({ at: index[key] ?? 0, issue: { row, column: col(key), value: get(key), reason: tBoth(messageKey, params) } });
  };
  const warn = (key: EppgbmKey, messageKey: string, params?: Record<string, unknown>): void => {
    warnings.push({ row, column: col(key), value: get(key), reason: tBoth(messageKey, params) });
  };

  // Dates
  const measureRaw = get('tglUkur');
  const birthRaw = get('tglLahir');
  const measured = isBlank(measureRaw) ? null : parseDate(measureRaw);
  const born = isBlank(birthRaw) ? null : parseDate(birthRaw);
  if (isBlank(birthRaw)) reject('tglLahir', IM['ingest.row.missing']);
  else if (!born) reject('tglLahir', IM['ingest.row.dateUnparseable']);
  if (isBlank(measureRaw)) reject('tglUkur', IM['ingest.row.missing']);
  else if (!measured) reject('tglUkur', IM['ingest.row.dateUnparseable']);
  else if (measured.day > ctx.todayDay) reject('tglUkur', IM['ingest.row.dateFuture'], { today: ctx.todayIso });
  else if (born && measured.day < born.day) reject('tglUkur', IM['ingest.row.beforeBirth'], { birth: born.iso });

  // JK
  const sex = parseSex(get('jk'));
  if (sex === 0) reject('jk', IM['ingest.row.sex']);

  // Weight (kg)
  const weightRaw = get('berat');
  let weight = NaN;
  if (isBlank(weightRaw)) reject('berat', IM['ingest.row.missing']);
  else {
    const n = parseNumber(weightRaw);
    if (!n) reject('berat', IM['ingest.row.notNumber']);
    else {
      weight = n.value;
      if (n.unit === 'g' || n.unit === 'gr' || n.unit === 'gram') weight = n.value / 1000;
      else if (n.unit !== '' && n.unit !== 'kg' && n.unit !== 'kgs') warn('berat', IM['ingest.warn.unit'], { unit: n.unit });
      if (!(weight > 0 && weight <= 60)) reject('berat', IM['ingest.row.weightRange']);
    }
  }

  // Height (cm), optional
  const heightRaw = get('tinggi');
  let height: number | null = null;
  if (!isBlank(heightRaw)) {
    const n = parseNumber(heightRaw);
    if (!n) reject('tinggi', IM['ingest.row.notNumber']);
    else {
      height = n.value;
      if (n.unit === 'mm') height = n.value / 10;
      else if (n.unit === 'm' && n.value < 3) height = n.value * 100;
      else if (n.unit !== '' && n.unit !== 'cm') warn('tinggi', IM['ingest.warn.unit'], { unit: n.unit });
      if (!(height > 0 && height <= 150)) reject('tinggi', IM['ingest.row.heightRange']);
    }
  }

  // Region
  const desaRaw = get('desa');
  const kecRaw = get('kec');
  let desaCode = '';
  let kecCode = '';
  if (isBlank(desaRaw)) reject('desa', IM['ingest.row.missing']);
  else {
    const m = ctx.matcher.matchDesa(desaRaw, kecRaw);
    if (!m.ok) {
      if (m.problem === 'ambiguous') reject('desa', IM['ingest.row.desaAmbiguous'], { candidates: m.candidates.join(', ') });
      else reject('desa', IM['ingest.row.desaUnknown'], { district: ctx.matcher.districtName, candidates: m.candidates.join(', ') });
    } else {
      desaCode = m.desaCode;
      kecCode = m.kecCode;
      if (m.warning === 'kecUnknown') warn('kec', IM['ingest.warn.kecUnknown']);
      else if (m.warning === 'kecMismatch') warn('kec', IM['ingest.warn.kecMismatch'], { kec: m.kecName });
    }
  }

  // Warnings only
  const nikParsed = parseNik(get('nik'));
  let nik: string | null = null;
  const nikIndex = index.nik;
  if ('nik' in nikParsed && longNumbers && nikIndex !== undefined && longNumbers.includes(nikIndex)) {
    warn('nik', IM['ingest.warn.nikNumber']);
  } else if ('nik' in nikParsed) nik = nikParsed.nik;
  else if ('problem' in nikParsed) {
    warn('nik', nikParsed.problem === 'scientific' ? IM['ingest.warn.nikScientific'] : IM['ingest.warn.nikLength']);
  }
  const measureText = get('caraUkur');
  const measure = isBlank(measureText) ? null : parseMeasure(measureText);
  if (!isBlank(measureText) && measure === null) warn('caraUkur', IM['ingest.warn.measure']);

  if (rejects.length > 0) {
    rejects.sort((a, b) => a.at - b.at);
    return { record: null, rejects: rejects.map((r) => r.issue), warnings };
  }

  let extras: Record<string, string> | null = null;
  if (ctx.keepExtras && ctx.extraColumns.length > 0) {
    extras = {};
    for (const e of ctx.extraColumns) {
      const v = cells[e.index];
      if (v !== undefined && v !== '') extras[e.header] = v;
    }
  }
  const posyandu = tidy(get('posyandu'));
  const record: EppgbmRecord = {
    row,
    nik,
    name: tidy(get('nama')),
    motherName: tidy(get('namaOrtu')),
    sex: sex as 1 | 2,
    birthDate: born!.iso,
    birthDay: born!.day,
    measureDate: measured!.iso,
    measureDay: measured!.day,
    weight,
    height,
    measure,
    lila: optionalMeasure(get('lila')),
    headc: optionalMeasure(get('lingkarKepala')),
    birthWeight: optionalMeasure(get('bbLahir')),
    birthLength: optionalMeasure(get('tbLahir')),
    kecCode,
    desaCode,
    posyandu,
    posyanduKey: posyandu ? posyanduKey(posyandu) : '',
    puskesmas: tidy(get('puskesmas')),
    rt: get('rt').trim(),
    rw: get('rw').trim(),
    address: get('alamat').trim(),
    own: {
      zwei: ownZ(get('zsBbU')),
      zlen: ownZ(get('zsTbU')),
      zwfl: ownZ(get('zsBbTb')),
      bbU: get('bbU').trim(),
      tbU: get('tbU').trim(),
      bbTb: get('bbTb').trim(),
      naikBb: get('naikBb').trim(),
    },
    extras,
  };
  return { record, rejects: [], warnings };
}

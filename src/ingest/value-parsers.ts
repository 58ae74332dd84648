/**
 * Parsers for the cell values found in real exports: Indonesian and English dates, Excel serial
 * dates, decimal commas, units typed into the cell, JK L/P, Cara Ukur, NIK as a 16-digit string.
 * Pure functions: no I/O, no clock (callers pass "today").
 */
import { daysFromCivil as dayNumber, isoDate as isoFromDay } from '../common/dates.js';

/** A calendar date as ISO text plus its day number (days since 1970-01-01, UTC). */
export interface ParsedDate {
  iso: string;
  day: number;
}

const MONTHS: Record<string, number> = {};
(
  [
    [1, ['januari', 'january', 'jan', 'janu', 'djanuari']],
    [2, ['februari', 'pebruari', 'febuari', 'pebuari', 'february', 'feb', 'peb', 'febr']],
    [3, ['maret', 'march', 'mar', 'mrt']],
    [4, ['april', 'apr', 'apl']],
    [5, ['mei', 'may']],
    [6, ['juni', 'june', 'jun']],
    [7, ['juli', 'july', 'jul']],
    [8, ['agustus', 'agustur', 'augustus', 'august', 'agu', 'agt', 'ags', 'agus', 'aug']],
    [9, ['september', 'septembe', 'sep', 'sept', 'spt']],
    [10, ['oktober', 'october', 'okt', 'oct', 'okto']],
    [11, ['november', 'nopember', 'nov', 'nop', 'novem']],
    [12, ['desember', 'december', 'des', 'dec', 'dese']],
  ] as [number, string[]][]
).forEach(([m, names]) => names.forEach((n) => (MONTHS[n] = m)));

/** The month number (1–12) of an Indonesian or English month name or abbreviation, else 0. */
export function monthFromName(name: string): number {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')] ?? 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 (`dayNumber`) and its ISO date (`isoFromDay`): the shared calendar helpers. */
export { daysFromCivil as dayNumber, isoDate as isoFromDay } from '../common/dates.js';

function make(y: number, m: number, d: number): ParsedDate | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const dim = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
  if (d > dim) return null;
  const day = dayNumber(y, m, d);
  return { iso: `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`, day };
}

function fullYear(text: string): number {
  const y = Number(text);
  // Two-digit years occur only for recent dates in these exports (children under five, their mothers).
  return text.length === 2 ? 2000 + y : y;
}

const RE_YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RE_DMY = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/;
const RE_DNAMEY = /^(\d{1,2})[\s\-/.]*([A-Za-z]{3,10})\.?[\s\-/.,]+(\d{4}|\d{2})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/;
const RE_NAMEDY = /^([A-Za-z]{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})$/;
const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const RE_SERIAL = /^\d{1,5}(?:[.,]\d+)?$/;
const RE_WEEKDAY = /^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\s*,?\s*/i;

/** Excel's day 0 is 1899-12-30 for serials ≥ 61 (it counts the non-existent 1900-02-29). */
const EXCEL_EPOCH = dayNumber(1899, 12, 30);

/** Converts an Excel serial day number (time fraction ignored) to a date, or null. */
export function dateFromExcelSerial(serial: number): ParsedDate | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null;
  const whole = Math.floor(serial);
  if (whole === 60) return null; // 1900-02-29 never existed
  const day = whole < 60 ? EXCEL_EPOCH + whole + 1 : EXCEL_EPOCH + whole;
  return { iso: isoFromDay(day), day };
}

/**
 * Parses a date as the exports write it: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (with an
 * optional time), "27 Nov 2025", "27 Nopember 2025", "Kamis, 27 November 2025", yyyymmdd, or an
 * Excel serial day number. Day-first always: "03/04/2025" is 3 April. Returns null when the
 * text is not one of those or not a real calendar date.
 */
export function parseDate(raw: string): ParsedDate | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > 40) return null;
  let m = RE_YMD.exec(s);
  if (m) return make(+m[1], +m[2], +m[3]);
  m = RE_DMY.exec(s);
  if (m) return make(fullYear(m[3]), +m[2], +m[1]);
  if (RE_WEEKDAY.test(s)) s = s.replace(RE_WEEKDAY, '');
  m = RE_DNAMEY.exec(s);
  if (m) {
    const month = monthFromName(m[2]);
    return month ? make(fullYear(m[3]), month, +m[1]) : null;
  }
  m = RE_NAMEDY.exec(s);
  if (m) {
    const month = monthFromName(m[1]);
    return month ? make(+m[3], month, +m[2]) : null;
  }
  m = RE_COMPACT.exec(s);
  if (m) return make(+m[1], +m[2], +m[3]);
  if (RE_SERIAL.test(s)) {
    const serial = Number(s.replace(',', '.'));
    // Serials below 1950-01-01 would be ages or codes typed into a date column, not dates.
    return serial >= 18264 ? dateFromExcelSerial(serial) : null;
  }
  return null;
}

/** Placeholders that mean "no value" in the exports. */
export function isBlank(raw: string | undefined): boolean {
  if (raw === undefined) return true;
  const n = raw.length;
  // Fast path: a value longer than any placeholder, with no surrounding space.
  if (n > 5 && raw.charCodeAt(0) > 32 && raw.charCodeAt(n - 1) > 32) return false;
  const s = raw.trim();
  if (s.length === 0) return true;
  if (s.length > 5) return false;
  const l = s.toLowerCase();
  return l === '-' || l === '--' || l === '—' || l === 'null' || l === 'n/a' || l === '#n/a' || l === 'na' || l === '.';
}

/** A number read from a cell, with the unit typed after it (lower case, '' when none). */
export interface ParsedNumber {
  value: number;
  unit: string;
}

const RE_NUMBER_UNIT = /^([+-]?)\s*([0-9][0-9.,' \u00a0]*|[.,][0-9][0-9.,]*)\s*([A-Za-z]{0,8})\.?$/;

/**
 * Parses a decimal number written with a comma or a point ("83,5", "10.7"), doubled separators
 * ("83..9"), thousands separators when both kinds appear ("1.234,5"), and a unit typed after it
 * ("10.7 kg", "83,5 cm", "10.7 it"). Returns null when it is not a number.
 */
export function parseNumber(raw: string): ParsedNumber | null {
  const s = raw.trim();
  if (s.length === 0 || s.length > 40) return null;
  // Fast path: plain decimals as most cells hold them.
  if (/^-?\d+(?:\.\d+)?$/.test(s)) return { value: Number(s), unit: '' };
  if (/^-?\d+,\d+$/.test(s)) return { value: Number(s.replace(',', '.')), unit: '' };
  const m = RE_NUMBER_UNIT.exec(s);
  if (!m) {
    const sci = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/.exec(s);
    const v = sci ? Number(s.replace(',', '.')) : NaN;
    return Number.isFinite(v) ? { value: v, unit: '' } : null;
  }
  let body = m[2].replace(/[ '\u00a0]/g, '').replace(/([.,])[.,]+/g, (_w, first: string) => first);
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? '.' : ',';
    const thousands = dec === '.' ? ',' : '.';
    body = body.split(thousands).join('');
    if (body.indexOf(dec) !== body.lastIndexOf(dec)) return null;
    body = body.replace(',', '.');
  } else if (lastComma >= 0) {
    if (body.indexOf(',') !== lastComma) return null;
    body = body.replace(',', '.');
  } else if (lastDot >= 0 && body.indexOf('.') !== lastDot) {
    return null;
  }
  if (body.endsWith('.')) body = body.slice(0, -1);
  if (body.length === 0 || body === '.') return null;
  const value = Number((m[1] === '-' ? '-' : '') + body);
  if (!Number.isFinite(value)) return null;
  return { value, unit: m[3].toLowerCase() };
}

/**
 * A plain decimal ("10.7", "-0,5", "83") read by scanning its characters, without the object and
 * regular expressions of {@link parseNumber}; NaN for anything else (the caller then falls back).
 */
export function plainDecimal(raw: string): number {
  const n = raw.length;
  if (n === 0 || n > 24) return NaN;
  let i = raw.charCodeAt(0) === 45 ? 1 : 0;
  const start = i;
  while (i < n && raw.charCodeAt(i) >= 48 && raw.charCodeAt(i) <= 57) i++;
  if (i === start) return NaN;
  if (i === n) return Number(raw);
  const sep = raw.charCodeAt(i);
  if (sep !== 46 && sep !== 44) return NaN;
  const fracStart = ++i;
  while (i < n && raw.charCodeAt(i) >= 48 && raw.charCodeAt(i) <= 57) i++;
  if (i !== n || i === fracStart) return NaN;
  return Number(sep === 44 ? raw.replace(',', '.') : raw);
}

/** The number of a cell whatever its unit, or null ({@link parseNumber} when not a plain decimal). */
export function parseNumberValue(raw: string): number | null {
  const fast = plainDecimal(raw);
  if (!Number.isNaN(fast)) return fast;
  const n = parseNumber(raw);
  return n ? n.value : null;
}

/** Sex code from JK: 1 = L (laki-laki), 2 = P (perempuan), 0 = anything else. */
export function parseSex(raw: string): 0 | 1 | 2 {
  const s = raw.trim().toUpperCase();
  if (s === 'L') return 1;
  if (s === 'P') return 2;
  const letters = s.replace(/[^A-Z]/g, '');
  if (letters === 'L' || letters === 'LAKILAKI' || letters === 'LK') return 1;
  if (letters === 'P' || letters === 'PEREMPUAN' || letters === 'PR') return 2;
  return 0;
}

/** Cara Ukur: 'h' standing (Berdiri), 'l' recumbent (Telentang/Terlentang), null when unknown. */
export function parseMeasure(raw: string): 'l' | 'h' | null {
  const s = raw.trim().toLowerCase().replace(/[^a-z]/g, '');
  if (s === 'berdiri' || s === 'h' || s === 'tb' || s === 'standing') return 'h';
  if (
    s === 'telentang' ||
    s === 'terlentang' ||
    s === 'tlentang' ||
    s === 'berbaring' ||
    s === 'baring' ||
    s === 'l' ||
    s === 'pb' ||
    s === 'recumbent' ||
    s === 'lying'
  ) {
    return 'l';
  }
  return null;
}

/** NIK as read: the 16-digit string, or why it cannot be used ('scientific', 'length'), or absent. */
export type ParsedNik = { nik: string } | { problem: 'scientific' | 'length' } | { absent: true };

/**
 * Reads a NIK as a 16-digit string. Excel's scientific notation (3.2E+15) and other lengths are
 * reported, never repaired: a NIK is never guessed.
 */
export function parseNik(raw: string): ParsedNik {
  let s = raw.trim();
  if (isBlank(s)) return { absent: true };
  if (s.startsWith("'")) s = s.slice(1);
  s = s.replace(/[\s\u00a0-]/g, '');
  if (/^\d+\.0+$/.test(s)) s = s.slice(0, s.indexOf('.'));
  if (/^\d{16}$/.test(s)) return /^0+$/.test(s) ? { problem: 'length' } : { nik: s };
  if (/^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(s)) return { problem: 'scientific' };
  return { problem: 'length' };
}

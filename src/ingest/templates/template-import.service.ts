import { basename } from 'node:path';
import type { AppError } from '../../common/app-error.js';
import { tBoth } from '../../common/i18n.js';
import type { RowIssue } from '../eppgbm-row.js';
import { todayInJakarta } from '../eppgbm-import.service.js';
import { locateHeader, normaliseHeader, type DataRow, type HeaderMap } from '../header-map.js';
import { IM } from '../messages.js';
import { openTable } from '../readers/open-table.js';
import type { TableFormat } from '../readers/table.js';
import type { RegionMatcher } from '../region-matcher.js';
import { dayNumber, isBlank, isoFromDay, monthFromName, parseDate, parseNik, parseNumber, type ParsedDate } from '../value-parsers.js';
import type { TemplateColumn, TemplateSpec } from './template-kinds.js';

/** A reporting period: its type and first/last day (ISO). */
export interface Period {
  type: 'month' | 'quarter' | 'semester' | 'year';
  start: string;
  end: string;
}

function lastDayOfMonth(y: number, m: number): number {
  return m === 12 ? dayNumber(y + 1, 1, 1) - 1 : dayNumber(y, m + 1, 1) - 1;
}

function span(type: Period['type'], y: number, m1: number, m2: number): Period | null {
  if (y < 2000 || y > 2100 || m1 < 1 || m2 > 12) return null;
  return { type, start: isoFromDay(dayNumber(y, m1, 1)), end: isoFromDay(lastDayOfMonth(y, m2)) };
}

/**
 * Parses a reporting period: "2025-03", "03/2025", "Mar 2025", "Maret 2025" (month),
 * "2025-T1"/"2025-Q1"/"TW1 2025" (quarter), "2025-S1"/"Semester 1 2025" (semester), "2025" (year).
 */
export function parsePeriod(raw: string): Period | null {
  const s = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  if (m) return span('month', +m[1], +m[2], +m[2]);
  m = /^(\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return span('month', +m[2], +m[1], +m[1]);
  m = /^([A-Z]{3,10})\.? (\d{4})$/.exec(s);
  if (m && monthFromName(m[1])) return span('month', +m[2], monthFromName(m[1]), monthFromName(m[1]));
  m = /^(\d{4}) ?-? ?(?:T|Q|TW|TRIWULAN ?)([1-4])$/.exec(s);
  if (m) return span('quarter', +m[1], +m[2] * 3 - 2, +m[2] * 3);
  m = /^(?:T|Q|TW|TRIWULAN ?)([1-4]) ?-? ?(\d{4})$/.exec(s);
  if (m) return span('quarter', +m[2], +m[1] * 3 - 2, +m[1] * 3);
  m = /^(\d{4}) ?-? ?(?:S|SEM|SEMESTER ?)([12])$/.exec(s);
  if (m) return span('semester', +m[1], +m[2] === 1 ? 1 : 7, +m[2] === 1 ? 6 : 12);
  m = /^(?:S|SEM|SEMESTER ?)([12]) ?-? ?(\d{4})$/.exec(s);
  if (m) return span('semester', +m[2], +m[1] === 1 ? 1 : 7, +m[1] === 1 ? 6 : 12);
  m = /^(\d{4})$/.exec(s);
  if (m) return span('year', +m[1], 1, 12);
  return null;
}

/** A parsed template cell. */
export type TemplateValue = string | number | boolean | ParsedDate | Period | null;

/** One accepted template row: values by column key, the region matched. */
export interface TemplateRecord {
  row: number;
  values: Record<string, TemplateValue>;
  desaCode: string;
  kecCode: string;
}

const YES = new Set(['ya', 'y', 'yes', '1', 'true', 'benar', 'ada']);
const NO = new Set(['tidak', 't', 'tdk', 'no', 'n', '0', 'false', 'salah', 'tidakada']);

/**
 * Validates one template row column by column (type, range, region) plus the kind's cross-field
 * rules. Rejections name the column as the file writes it.
 */
export function validateTemplateRow(
  spec: TemplateSpec,
  header: HeaderMap<string>,
  cells: readonly string[],
  row: number,
  ctx: { matcher: RegionMatcher; todayDay: number; todayIso: string },
): { record: TemplateRecord | null; rejects: RowIssue[]; warnings: RowIssue[] } {
  const rejects: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const values: Record<string, TemplateValue> = {};
  const raw = (key: string): string => {
    const i = header.index[key];
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const issue = (col: TemplateColumn, messageKey: string, params?: Record<string, unknown>): RowIssue => {
    const i = header.index[col.key];
    return { row, column: i === undefined ? col.header : header.headers[i], value: raw(col.key), reason: tBoth(messageKey, params) };
  };
  let desaCode = '';
  let kecCode = '';
  for (const col of spec.columns) {
    const text = raw(col.key);
    if (isBlank(text)) {
      if (col.required) rejects.push(issue(col, IM['ingest.row.missing']));
      values[col.key] = null;
      continue;
    }
    const f = col.field;
    switch (f.type) {
      case 'text': {
        const v = text.replace(/\s+/g, ' ').trim();
        if (f.maxLength && v.length > f.maxLength) rejects.push(issue(col, IM['ingest.row.tooLong'], { max: f.maxLength }));
        values[col.key] = v;
        break;
      }
      case 'nik': {
        const n = parseNik(text);
        if ('nik' in n) values[col.key] = n.nik;
        else {
          values[col.key] = null;
          if ('problem' in n) warnings.push(issue(col, n.problem === 'scientific' ? IM['ingest.warn.nikScientific'] : IM['ingest.warn.nikLength']));
        }
        break;
      }
      case 'date': {
        const d = parseDate(text);
        if (!d) rejects.push(issue(col, IM['ingest.row.dateUnparseable']));
        else if (f.notFuture && d.day > ctx.todayDay) rejects.push(issue(col, IM['ingest.row.dateFuture'], { today: ctx.todayIso }));
        values[col.key] = d;
        break;
      }
      case 'number': {
        const n = parseNumber(text);
        if (!n) rejects.push(issue(col, IM['ingest.row.notNumber']));
        else if ((f.min !== undefined && n.value < f.min) || (f.max !== undefined && n.value > f.max)) {
          rejects.push(issue(col, IM['ingest.row.range'], { min: f.min ?? '-∞', max: f.max ?? '∞' }));
        } else if (f.integer && !Number.isInteger(n.value)) rejects.push(issue(col, IM['ingest.row.integer']));
        values[col.key] = n ? n.value : null;
        break;
      }
      case 'yesno': {
        const v = text.trim().toLowerCase().replace(/\s+/g, '');
        if (YES.has(v)) values[col.key] = true;
        else if (NO.has(v)) values[col.key] = false;
        else rejects.push(issue(col, IM['ingest.row.yesNo']));
        break;
      }
      case 'choice': {
        const found = f.choices.find((c) => normaliseHeader(c) === normaliseHeader(text));
        if (!found) rejects.push(issue(col, IM['ingest.row.choice'], { choices: f.choices.join(', ') }));
        values[col.key] = found ?? null;
        break;
      }
      case 'kec': {
        const code = ctx.matcher.matchKec(text);
        if (!code) warnings.push(issue(col, IM['ingest.warn.kecUnknown']));
        values[col.key] = text.trim();
        break;
      }
      case 'desa': {
        const m = ctx.matcher.matchDesa(text, raw('kec'));
        if (!m.ok) {
          rejects.push(
            m.problem === 'ambiguous'
              ? issue(col, IM['ingest.row.desaAmbiguous'], { candidates: m.candidates.join(', ') })
              : issue(col, IM['ingest.row.desaUnknown'], { district: ctx.matcher.districtName, candidates: m.candidates.join(', ') }),
          );
        } else {
          desaCode = m.desaCode;
          kecCode = m.kecCode;
        }
        values[col.key] = text.trim();
        break;
      }
      case 'period': {
        const p = parsePeriod(text);
        if (!p) rejects.push(issue(col, IM['ingest.row.periodUnparseable']));
        values[col.key] = p;
        break;
      }
      case 'code': {
        const v = text.trim().toUpperCase();
        if (!f.pattern.test(v)) rejects.push(issue(col, IM['ingest.row.code'], { hint: f.hint }));
        values[col.key] = v;
        break;
      }
    }
  }
  if (rejects.length === 0) crossFieldRules(spec, values, (key, messageKey, params) => {
    const col = spec.columns.find((c) => c.key === key)!;
    rejects.push(issue(col, messageKey, params));
  });
  if (rejects.length > 0) return { record: null, rejects, warnings };
  return { record: { row, values, desaCode, kecCode }, rejects, warnings };
}

function crossFieldRules(
  spec: TemplateSpec,
  v: Record<string, TemplateValue>,
  reject: (key: string, messageKey: string, params?: Record<string, unknown>) => void,
): void {
  const day = (k: string): number | null => (v[k] && typeof v[k] === 'object' && 'day' in (v[k] as object) ? (v[k] as ParsedDate).day : null);
  if (spec.kind === 'sektor') {
    if (v.pembilang === null && v.nilai === null) reject('pembilang', IM['ingest.row.noFigure']);
    else if (typeof v.pembilang === 'number' && typeof v.penyebut === 'number' && v.pembilang > v.penyebut) {
      reject('pembilang', IM['ingest.row.numeratorAboveDenominator']);
    }
  }
  if (spec.kind === 'ibu-hamil') {
    const hpht = day('hpht');
    const hpl = day('hpl');
    if (hpht !== null && hpl !== null && hpl <= hpht) reject('hpl', IM['ingest.row.dateOrder'], { other: 'HPHT' });
  }
  const lahir = day('tglLahir');
  const daftar = day('tglDaftar');
  if (lahir !== null && daftar !== null && daftar < lahir) reject('tglDaftar', IM['ingest.row.dateOrder'], { other: 'Tgl Lahir' });
  const layanan = day('tglLayanan');
  if (v.layanan && layanan === null && spec.columns.some((c) => c.key === 'tglLayanan')) reject('tglLayanan', IM['ingest.row.missing']);
}

/** Counts and rejections of one template file, as the JSON contract reports them. */
export interface TemplateFileReport {
  file: string;
  kind: string;
  format: TableFormat;
  read: number;
  accepted: number;
  rejected: number;
  rejects: RowIssue[];
  warningCount: number;
  warnings: RowIssue[];
}

/** Reads and validates a filled template; accepted rows go to `sink` (the database loader). */
export async function importTemplateFile(
  spec: TemplateSpec,
  path: string,
  options: {
    matcher: RegionMatcher;
    today?: string;
    displayName?: string;
    sink?: (records: readonly TemplateRecord[]) => Promise<void>;
  },
): Promise<TemplateFileReport> {
  const file = options.displayName ?? basename(path);
  const source = await openTable(path, file);
  let found: { header: HeaderMap<string>; data: AsyncGenerator<DataRow[]> } | null = null;
  let firstError: unknown = null;
  for (let i = 0; i < source.sheets.length && !found; i++) {
    try {
      found = await locateHeader(source.rows(i), spec.columns, file);
    } catch (err) {
      if ((err as AppError).code !== 'ingest.file') throw err;
      firstError ??= err;
    }
  }
  if (!found) throw firstError;
  const todayIso = options.today ?? todayInJakarta();
  const [y, m, d] = todayIso.split('-').map(Number);
  const ctx = { matcher: options.matcher, todayDay: dayNumber(y, m, d), todayIso };
  const report: TemplateFileReport = { file, kind: spec.kind, format: source.format, read: 0, accepted: 0, rejected: 0, rejects: [], warningCount: 0, warnings: [] };
  let block: TemplateRecord[] = [];
  for await (const rows of found.data) {
    for (const { cells, row } of rows) {
      report.read++;
      const out = validateTemplateRow(spec, found.header, cells, row, ctx);
      report.warningCount += out.warnings.length;
      for (const w of out.warnings) if (report.warnings.length < 1000) report.warnings.push(w);
      if (!out.record) {
        report.rejected++;
        report.rejects.push(...out.rejects);
      } else {
        report.accepted++;
        block.push(out.record);
      }
    }
    if (options.sink && block.length >= 4096) {
      await options.sink(block);
      block = [];
    }
  }
  if (options.sink && block.length > 0) await options.sink(block);
  return report;
}

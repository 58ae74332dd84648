import { basename } from 'node:path';
import type { AppError } from '../common/app-error.js';
import type { GrowthEngine } from '../growth/types.js';
import { EPPGBM_COLUMNS, type EppgbmKey } from './eppgbm-columns.js';
import { extraColumns, validateEppgbmRow, type EppgbmRecord, type RowContext, type RowIssue } from './eppgbm-row.js';
import { checkGrowth, DISAGREE_LEN, DISAGREE_WEI, DISAGREE_WFL, type GrowthCheck } from './growth-check.js';
import { locateHeader, type DataRow, type HeaderMap } from './header-map.js';
import { openTable } from './readers/open-table.js';
import type { TableFormat, TableSource } from './readers/table.js';
import type { RegionMatcher } from './region-matcher.js';
import { dayNumber } from './value-parsers.js';

/** Distinct posyandu named in a file, under their desa. */
export interface PosyanduSeen {
  desaCode: string;
  key: string;
  name: string;
  rows: number;
}

/** Everything an e-PPGBM file import found: counts, rejections, warnings, posyandu, disagreements. */
export interface EppgbmFileReport {
  file: string;
  format: TableFormat;
  sheet: string;
  read: number;
  accepted: number;
  rejected: number;
  rejects: RowIssue[];
  warningCount: number;
  /** The first warnings (at most {@link MAX_WARNINGS_KEPT}). */
  warnings: RowIssue[];
  posyandu: PosyanduSeen[];
  puskesmas: string[];
  /** Rows whose e-PPGBM z-score differs from WHO's, per index. */
  disagreements: { zwei: number; zlen: number; zwfl: number };
  columns: { mapped: string[]; extras: string[] };
}

/** Receives accepted rows block by block with their WHO results (the database loader). */
export type RecordSink = (records: readonly EppgbmRecord[], growth: GrowthCheck | null) => Promise<void>;

export interface EppgbmImportOptions {
  matcher: RegionMatcher;
  /** ISO date of today: later measurement dates are rejected. Default: today in Asia/Jakarta. */
  today?: string;
  /** Null skips z-score recomputation (pure validation only). */
  engine: GrowthEngine | null;
  sink?: RecordSink;
  /** Name shown in messages (default: the file's base name). */
  displayName?: string;
  keepExtras?: boolean;
  /** Called after each block with the rows processed so far and a 0..1 fraction when known. */
  onProgress?: (rows: number, fraction: number | null) => void;
  /** Rows per block handed to the growth engine and the sink. */
  blockSize?: number;
  /** Called once with the header found, before any row (the store names columns as written). */
  onHeader?: (header: HeaderMap<EppgbmKey>) => void;
}

export const MAX_WARNINGS_KEPT = 1000;

/** Today's date in Indonesia's western time zone (WIB), where Kobar lies, as yyyy-mm-dd. */
export function todayInJakarta(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

async function pickSheet(
  source: TableSource,
  file: string,
): Promise<{ header: HeaderMap<EppgbmKey>; data: AsyncGenerator<DataRow[]>; sheet: string }> {
  let firstError: unknown = null;
  for (let i = 0; i < source.sheets.length; i++) {
    try {
      const found = await locateHeader(source.rows(i), EPPGBM_COLUMNS, file);
      return { ...found, sheet: source.sheets[i] };
    } catch (err) {
      if ((err as AppError).code !== 'ingest.file') throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}

/**
 * Reads one e-PPGBM export (CSV, XLSX, HTML-as-.xls), validates every row, matches regions,
 * recomputes z-scores and hands accepted rows to the sink block by block. Memory holds one block
 * plus the rejections. File-level problems throw an AppError (code `ingest.file`).
 */
export async function importEppgbmFile(path: string, options: EppgbmImportOptions): Promise<EppgbmFileReport> {
  const file = options.displayName ?? basename(path);
  const source = await openTable(path, file);
  const { header, data, sheet } = await pickSheet(source, file);
  options.onHeader?.(header);
  const todayIso = options.today ?? todayInJakarta();
  const [ty, tm, td] = todayIso.split('-').map(Number);
  const ctx: RowContext = {
    header,
    matcher: options.matcher,
    todayDay: dayNumber(ty, tm, td),
    todayIso,
    keepExtras: options.keepExtras ?? false,
    extraColumns: extraColumns(header),
  };
  const report: EppgbmFileReport = {
    file,
    format: source.format,
    sheet,
    read: 0,
    accepted: 0,
    rejected: 0,
    rejects: [],
    warningCount: 0,
    warnings: [],
    posyandu: [],
    puskesmas: [],
    disagreements: { zwei: 0, zlen: 0, zwfl: 0 },
    columns: {
      mapped: EPPGBM_COLUMNS.filter((c) => header.index[c.key] !== undefined).map((c) => header.headers[header.index[c.key]!]),
      extras: header.extras.map((e) => e.header),
    },
  };
  const posyandu = new Map<string, PosyanduSeen>();
  const puskesmas = new Set<string>();
  const blockSize = options.blockSize ?? 2048;
  let block: EppgbmRecord[] = [];

  const flush = async (): Promise<void> => {
    if (block.length === 0) return;
    const growth = options.engine ? checkGrowth(options.engine, block) : null;
    if (growth) {
      for (let i = 0; i < growth.disagree.length; i++) {
        const bits = growth.disagree[i];
        if (bits === 0) continue;
        if (bits & DISAGREE_WEI) report.disagreements.zwei++;
        if (bits & DISAGREE_LEN) report.disagreements.zlen++;
        if (bits & DISAGREE_WFL) report.disagreements.zwfl++;
      }
    }
    if (options.sink) await options.sink(block, growth);
    block = [];
    options.onProgress?.(report.read, source.progress ? source.progress() : null);
  };

  for await (const rows of data) {
    for (const { cells, row, longNumbers } of rows) {
      report.read++;
      const outcome = validateEppgbmRow(cells, row, ctx, longNumbers);
      for (const w of outcome.warnings) {
        report.warningCount++;
        if (report.warnings.length < MAX_WARNINGS_KEPT) report.warnings.push(w);
      }
      if (!outcome.record) {
        report.rejected++;
        for (const r of outcome.rejects) report.rejects.push(r);
        continue;
      }
      const rec = outcome.record;
      report.accepted++;
      if (rec.posyanduKey) {
        const key = `${rec.desaCode}|${rec.posyanduKey}`;
        const seen = posyandu.get(key);
        if (seen) seen.rows++;
        else posyandu.set(key, { desaCode: rec.desaCode, key: rec.posyanduKey, name: rec.posyandu, rows: 1 });
      }
      if (rec.puskesmas && puskesmas.size < 10_000) puskesmas.add(rec.puskesmas);
      block.push(rec);
      if (block.length >= blockSize) await flush();
    }
  }
  await flush();
  report.posyandu = [...posyandu.values()].sort((a, b) => a.desaCode.localeCompare(b.desaCode) || a.name.localeCompare(b.name));
  report.puskesmas = [...puskesmas].sort();
  return report;
}

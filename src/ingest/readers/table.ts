import { AppError } from '../../common/app-error.js';

/** One row of a table as read: cell texts left to right and its 1-based position in the table. */
export interface TableRow {
  cells: string[];
  /** 1-based ordinal of the row in its sheet/table (Excel row number for XLSX). */
  position: number;
  /** XLSX: columns holding a number of 12+ digits (Excel keeps 15 significant digits: NIKs lose their last). */
  longNumbers?: number[];
}

/** What a file turned out to be, decided from its bytes, not its name. */
export type TableFormat = 'csv' | 'xlsx' | 'html' | 'xml-spreadsheet';

/** A readable table: one or more sheets, each a restartable stream of row batches. */
export interface TableSource {
  format: TableFormat;
  /** Sheet names in workbook order (one entry for CSV/HTML). */
  sheets: string[];
  /** Streams the rows of one sheet in batches. */
  rows(sheetIndex: number): AsyncGenerator<TableRow[]>;
  /** Fraction of the file read so far (0..1), when the reader can tell. */
  progress?: () => number;
}

/** Bytes consumed by a streaming reader, for progress reporting. */
export interface ByteCounter {
  read: number;
}

/** A file-level error of the importers (status 422: the file, not the program, is at fault). */
export function fileError(messageKey: string, params: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError('ingest.file', messageKey, params, { status: 422, cause });
}

/** True when every cell is empty or whitespace. */
export function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim().length > 0) return false;
  return true;
}

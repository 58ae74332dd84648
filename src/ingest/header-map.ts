import type { Bilingual } from '../common/i18n.js';
import { fileError, isBlankRow, type TableRow } from './readers/table.js';

/** One column an importer understands: its key, the header as documented, and accepted spellings. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  /** The header as the source (or the template) writes it. */
  header: string;
  /** Other spellings, compared after {@link normaliseHeader}. */
  aliases?: readonly string[];
  required?: boolean;
  /** For templates: what goes in the column. */
  description?: Bilingual;
  /** For templates: an example value. */
  example?: string;
}

/**
 * The comparable form of a header: lower case, letters and digits only. "Tgl. Lahir",
 * "TGL LAHIR" and "tgl_lahir" all become "tgllahir"; "Desa/Kel" becomes "desakel".
 */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Where each known column sits in a file, and the header text as the file writes it. */
export interface HeaderMap<K extends string> {
  /** Column index per key (absent when the file has no such column). */
  index: Partial<Record<K, number>>;
  /** Every header cell as written (trimmed). */
  headers: string[];
  /** Columns the importer does not know: kept with the row, never an error. */
  extras: { index: number; header: string }[];
}

/** Maps header cells to the specs' keys (first occurrence wins; unit suffixes like "(kg)" ignored). */
export function mapHeader<K extends string>(cells: readonly string[], specs: readonly ColumnSpec<K>[]): HeaderMap<K> {
  const lookup = new Map<string, K>();
  for (const spec of specs) {
    for (const name of [spec.header, ...(spec.aliases ?? [])]) {
      const n = normaliseHeader(name);
      if (!lookup.has(n)) lookup.set(n, spec.key);
    }
  }
  const index: Partial<Record<K, number>> = {};
  const headers = cells.map((c) => c.replace(/\s+/g, ' ').trim());
  const extras: { index: number; header: string }[] = [];
  headers.forEach((h, i) => {
    const full = normaliseHeader(h);
    const bare = normaliseHeader(h.replace(/\([^)]*\)|\[[^\]]*\]/g, ''));
    const key = lookup.get(full) ?? lookup.get(bare);
    if (key !== undefined && index[key] === undefined) index[key] = i;
    else if (h.length > 0) extras.push({ index: i, header: h });
  });
  return { index, headers, extras };
}

/** A data row with its number as the user counts it: the first row after the header is 1. */
export interface DataRow {
  cells: string[];
  row: number;
  /** See {@link TableRow.longNumbers}. */
  longNumbers?: number[];
}

/** How many leading rows are searched for the header (title lines may precede it). */
const HEADER_SEARCH_ROWS = 30;

/**
 * Finds the header row among the first rows of a table (exports often start with a title),
 * then streams the data rows after it, blank rows dropped, numbered from the header. Throws a
 * bilingual file-level error naming the required columns that are missing.
 */
export async function locateHeader<K extends string>(
  rows: AsyncGenerator<TableRow[]>,
  specs: readonly ColumnSpec<K>[],
  file: string,
): Promise<{ header: HeaderMap<K>; data: AsyncGenerator<DataRow[]> }> {
  const required = specs.filter((s) => s.required);
  const seen: TableRow[] = [];
  let best: { map: HeaderMap<K>; score: number; at: number } | null = null;
  let found: { map: HeaderMap<K>; at: number } | null = null;
  let exhausted = true;
  // Manual iteration: `for await … break` would close the generator we keep reading from.
  outer: for (;;) {
    const next = await rows.next();
    if (next.done) break;
    const batch = next.value;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i];
      seen.push(r);
      if (isBlankRow(r.cells)) continue;
      const map = mapHeader(r.cells, specs);
      const score = Object.keys(map.index).length;
      if (score > 0 && required.every((s) => map.index[s.key] !== undefined)) {
        found = { map, at: seen.length - 1 };
        for (let j = i + 1; j < batch.length; j++) seen.push(batch[j]);
        exhausted = false;
        break outer;
      }
      if (!best || score > best.score) best = { map, score, at: seen.length - 1 };
      if (seen.filter((s) => !isBlankRow(s.cells)).length >= HEADER_SEARCH_ROWS) {
        exhausted = false;
        break outer;
      }
    }
  }
  const requiredList = required.map((s) => s.header).join(', ');
  if (!found) {
    await rows.return(undefined);
    if (best && best.score >= Math.min(3, Math.max(1, specs.length - 1))) {
      const missing = required.filter((s) => best.map.index[s.key] === undefined).map((s) => s.header);
      throw fileError('ingest.file.missingColumns', {
        file,
        columns: missing.join(', '),
        found: best.map.headers.filter((h) => h.length > 0).join(', ') || '-',
      });
    }
    throw fileError('ingest.file.noHeader', { file, columns: requiredList });
  }
  const headerPosition = seen[found.at].position;
  const buffered = seen.slice(found.at + 1);
  async function* data(): AsyncGenerator<DataRow[]> {
    const convert = (batch: TableRow[]): DataRow[] => {
      const out: DataRow[] = [];
      for (const r of batch) {
        if (isBlankRow(r.cells)) continue;
        const row = r.position - headerPosition;
        out.push(r.longNumbers ? { cells: r.cells, row, longNumbers: r.longNumbers } : { cells: r.cells, row });
      }
      return out;
    };
    try {
      if (buffered.length > 0) yield convert(buffered);
      if (exhausted) return;
      for (;;) {
        const next = await rows.next();
        if (next.done) return;
        yield convert(next.value);
      }
    } finally {
      await rows.return(undefined);
    }
  }
  return { header: found.map, data: data() };
}

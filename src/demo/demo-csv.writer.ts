/**
 * Writes the synthetic district as CSV files, one per table (`<table>.csv`, header first, LF line
 * ends, UTF-8 without BOM). Deterministic bytes: numbers in JavaScript's shortest form, booleans
 * as true/false, null as an empty field.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { csvField } from '../common/csv.js';
import { DEMO_COLUMNS, DEMO_TABLES, type DemoBatch, type DemoCell, type DemoTable } from './demo.types.js';

/** One cell as CSV text. */
export function demoCellText(cell: DemoCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return csvField(cell);
  return String(cell);
}

function rowsText(rows: readonly DemoCell[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += ',';
      out += demoCellText(row[i]);
    }
    out += '\n';
  }
  return out;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Writes every batch to `<dir>/<table>.csv` (the folder is created; existing files are replaced)
 * and returns the row count per table. Every table gets a file, with its header even when empty.
 */
export async function writeDemoCsv(
  batches: Iterable<DemoBatch> | AsyncIterable<DemoBatch>,
  dir: string,
): Promise<Record<DemoTable, number>> {
  mkdirSync(dir, { recursive: true });
  const streams = new Map<DemoTable, WriteStream>();
  const counts = {} as Record<DemoTable, number>;
  try {
    for (const table of DEMO_TABLES) {
      const s = createWriteStream(join(dir, `${table}.csv`), { encoding: 'utf8' });
      streams.set(table, s);
      counts[table] = 0;
      await write(s, DEMO_COLUMNS[table].join(',') + '\n');
    }
    for await (const batch of batches) {
      await write(streams.get(batch.table) as WriteStream, rowsText(batch.rows));
      counts[batch.table] += batch.rows.length;
    }
  } finally {
    await Promise.all(
      [...streams.values()].map(
        (s) => new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve()))),
      ),
    );
  }
  return counts;
}

import { createReadStream } from 'node:fs';
import { CsvParser, type Delimiter } from '../../common/csv.js';
import { READ_LIMITS } from './limits.js';
import { decodeText, type TextEncodingName } from './text-decode.js';
import { fileError, type ByteCounter, type TableRow } from './table.js';

/**
 * Streams the records of a CSV file (comma, semicolon or tab; quotes; BOM; CRLF) in batches,
 * through the shared {@link CsvParser}. Text that piles up without completing a record (an
 * unclosed quote, a 100 MB cell) is stopped at {@link READ_LIMITS.maxRecordChars}.
 */
export async function* readCsvTable(
  path: string,
  encoding: TextEncodingName,
  limits: { maxRecordChars: number; maxCellChars: number; maxColumns: number } = READ_LIMITS,
  counter?: ByteCounter,
  delimiter?: Delimiter,
): AsyncGenerator<TableRow[]> {
  const parser = new CsvParser(delimiter);
  let batch: TableRow[] = [];
  let position = 0;
  let pending = 0;
  let lastLine = 1;
  const take = (fields: string[], line: number): void => {
    position++;
    lastLine = line;
    if (fields.length > limits.maxColumns) {
      throw fileError('ingest.file.tooManyColumns', { row: position, max: limits.maxColumns });
    }
    for (const f of fields) {
      if (f.length > limits.maxCellChars) throw fileError('ingest.file.cellTooLong', { row: position, max: limits.maxCellChars });
    }
    batch.push({ cells: fields, position });
  };
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (counter) stream.on('data', (chunk) => (counter.read += chunk.length));
  try {
    for await (const text of decodeText(stream, encoding)) {
      // Feed in slices so the parser never rescans more than a bounded buffer.
      for (let off = 0; off < text.length; off += 65_536) {
        const before = position;
        parser.push(off === 0 && text.length <= 65_536 ? text : text.slice(off, off + 65_536), take);
        pending = position === before ? pending + Math.min(65_536, text.length - off) : 0;
        if (pending > limits.maxRecordChars) {
          throw fileError('ingest.file.rowTooLong', { max: limits.maxRecordChars, line: lastLine + 1 });
        }
      }
      if (batch.length >= 2048) {
        yield batch;
        batch = [];
      }
    }
    parser.end(take);
    if (batch.length > 0) yield batch;
  } finally {
    stream.destroy();
  }
}

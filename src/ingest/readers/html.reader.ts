import { createReadStream } from 'node:fs';
import { Parser } from 'htmlparser2';
import { READ_LIMITS } from './limits.js';
import { decodeText, type TextEncodingName } from './text-decode.js';
import { fileError, type ByteCounter, type TableRow } from './table.js';

/**
 * Streams the rows of the tables in an HTML file — what e-PPGBM saves with an .xls extension —
 * and of an "XML Spreadsheet 2003" file (Row/Cell/Data), which Excel also opens as .xls.
 * Only rows of outermost tables are read; a nested table's text joins the cell around it.
 * `colspan` and `ss:Index` keep later cells under their header.
 */
export async function* readHtmlTable(
  path: string,
  encoding: TextEncodingName,
  file: string,
  limits: { maxCellChars: number; maxColumns: number } = READ_LIMITS,
  counter?: ByteCounter,
): AsyncGenerator<TableRow[]> {
  let batch: TableRow[] = [];
  let position = 0;
  let tableDepth = 0;
  let sawTable = false;
  let row: string[] | null = null;
  let cell: string | null = null;
  let span = 1;
  let failure: unknown = null;

  const closeCell = (): void => {
    if (row === null || cell === null) return;
    row.push(cell.replace(/\s+/g, ' ').trim());
    for (let i = 1; i < span; i++) row.push('');
    cell = null;
    if (row.length > limits.maxColumns) throw fileError('ingest.file.tooManyColumns', { row: position + 1, max: limits.maxColumns });
  };
  const closeRow = (): void => {
    closeCell();
    if (row === null) return;
    position++;
    batch.push({ cells: row, position });
    row = null;
  };
  const isTable = (n: string): boolean => n === 'table' || n === 'ss:table';
  const isRow = (n: string): boolean => n === 'tr' || n === 'row' || n === 'ss:row';
  const isCell = (n: string): boolean => n === 'td' || n === 'th' || n === 'cell' || n === 'ss:cell';

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (failure) return;
        try {
          if (isTable(name)) {
            tableDepth++;
            sawTable = true;
            return;
          }
          if (tableDepth !== 1) {
            if (cell !== null && (name === 'br' || name === 'p' || name === 'div')) cell += ' ';
            return;
          }
          if (isRow(name)) {
            closeRow();
            row = [];
            const index = Number(attribs['ss:index'] ?? attribs['index']);
            if (Number.isInteger(index) && index > position + 1) position = index - 1;
          } else if (isCell(name)) {
            if (row === null) row = [];
            closeCell();
            const index = Number(attribs['ss:index'] ?? attribs['index']);
            if (Number.isInteger(index) && index > row.length + 1) {
              if (index > limits.maxColumns) throw fileError('ingest.file.tooManyColumns', { row: position + 1, max: limits.maxColumns });
              while (row.length < index - 1) row.push('');
            }
            const colspan = Number(attribs.colspan);
            const mergeAcross = Number(attribs['ss:mergeacross']);
            span = 1;
            if (Number.isInteger(colspan) && colspan > 1) span = Math.min(colspan, limits.maxColumns);
            else if (Number.isInteger(mergeAcross) && mergeAcross > 0) span = Math.min(mergeAcross + 1, limits.maxColumns);
            cell = '';
          } else if (cell !== null && (name === 'br' || name === 'p' || name === 'div')) {
            cell += ' ';
          }
        } catch (err) {
          failure = err;
        }
      },
      ontext(text) {
        if (failure || cell === null) return;
        cell += text;
        if (cell.length > limits.maxCellChars) failure = fileError('ingest.file.cellTooLong', { row: position + 1, max: limits.maxCellChars });
      },
      onclosetag(name) {
        if (failure) return;
        try {
          if (isTable(name)) {
            if (tableDepth === 1) closeRow();
            tableDepth = Math.max(0, tableDepth - 1);
          } else if (tableDepth <= 1) {
            if (isRow(name)) closeRow();
            else if (isCell(name)) closeCell();
          }
        } catch (err) {
          failure = err;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );

  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (counter) stream.on('data', (chunk) => (counter.read += chunk.length));
  try {
    for await (const text of decodeText(stream, encoding)) {
      for (let off = 0; off < text.length; off += 65_536) {
        parser.write(text.length <= 65_536 ? text : text.slice(off, off + 65_536));
        if (failure) throw failure;
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    parser.end();
    if (failure) throw failure;
    closeRow();
    if (!sawTable) throw fileError('ingest.file.noTable', { file });
    if (batch.length > 0) yield batch;
  } finally {
    stream.destroy();
  }
}

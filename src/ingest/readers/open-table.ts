import { open, stat } from 'node:fs/promises';
import { detectDelimiter, type Delimiter } from '../../common/csv.js';
import { readCsvTable } from './csv.reader.js';
import { readHtmlTable } from './html.reader.js';
import { READ_LIMITS } from './limits.js';
import { fileError, type ByteCounter, type TableSource } from './table.js';
import { sniffTextEncoding } from './text-decode.js';
import { XlsxReader } from './xlsx.reader.js';

/**
 * The delimiter of a CSV from its first lines: the one giving the most fields on any line, so a
 * title line above a semicolon header ("Daftar Anak…") does not mislead the choice.
 */
export function guessDelimiter(head: string): Delimiter {
  const lines = head.split('\n').slice(0, 30);
  if (lines.length > 1) lines.pop(); // possibly cut in the middle
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const line of lines) {
    const d = detectDelimiter(line);
    const count = line.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Opens a table file by looking at its bytes, not its extension: a ZIP is an .xlsx workbook,
 * an OLE2 compound file is a binary .xls (refused with advice to save as .xlsx/.csv), text
 * starting with markup is an HTML table (e-PPGBM's ".xls") or an XML Spreadsheet, other text is
 * CSV. Binary garbage is refused. `file` is the name shown in messages.
 */
export async function openTable(path: string, file: string = path): Promise<TableSource> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (err) {
    throw fileError('ingest.file.notFound', { file }, err);
  }
  if (size === 0) throw fileError('ingest.file.empty', { file });
  const head = Buffer.alloc(Math.min(size, READ_LIMITS.sniffBytes));
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) {
    const reader = await XlsxReader.open(path, file);
    return { format: 'xlsx', sheets: reader.sheets.map((s) => s.name), rows: (i) => reader.rows(i) };
  }
  if (head.length >= 8 && OLE2.every((b, i) => head[i] === b)) throw fileError('ingest.file.biffXls', { file });
  const counter: ByteCounter = { read: 0 };
  const progress = (): number => Math.min(1, counter.read / size);
  const sniff = sniffTextEncoding(head);
  if ('binary' in sniff) throw fileError('ingest.file.binary', { file });
  const text = new TextDecoder(sniff.encoding).decode(head.subarray(0, Math.min(head.length, 8192)));
  const start = text.replace(/^[\ufeff\s]+/, '').slice(0, 4096).toLowerCase();
  if (start.startsWith('<')) {
    const xmlSheet = /urn:schemas-microsoft-com:office:spreadsheet/.test(start) && !/<html/.test(start);
    const format = xmlSheet ? 'xml-spreadsheet' : 'html';
    return { format, sheets: [file], rows: () => readHtmlTable(path, sniff.encoding, file, READ_LIMITS, counter), progress };
  }
  const delimiter = guessDelimiter(text);
  return { format: 'csv', sheets: [file], rows: () => readCsvTable(path, sniff.encoding, READ_LIMITS, counter, delimiter), progress };
}

import { Parser } from 'htmlparser2';
import { READ_LIMITS } from './limits.js';
import { fileError, type TableRow } from './table.js';
import { ZipArchive } from './zip.reader.js';

/** One worksheet of a workbook: its name and the archive part holding its cells. */
interface SheetRef {
  name: string;
  part: string;
}

const local = (name: string): string => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

function attr(tag: string, key: RegExp): string | undefined {
  const m = key.exec(tag);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') : undefined;
}

/** Column index (0-based) from a cell reference such as "AB12"; -1 when absent. */
export function columnIndex(ref: string | undefined): number {
  if (!ref) return -1;
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : n - 1;
}

/**
 * A streaming .xlsx reader (Office Open XML): ZIP central directory + SAX over the parts, so
 * memory holds the shared strings and one batch of rows, never the sheet. Every part is inflated
 * through {@link ZipArchive}'s zip-bomb guard; cells and rows are bounded by {@link READ_LIMITS}.
 * Cells come back as the text Excel stores: numbers as written (dates as serial numbers), shared
 * and inline strings as text, booleans TRUE/FALSE, errors like #N/A.
 */
export class XlsxReader {
  private sharedStrings: string[] | null = null;

  private constructor(
    private readonly zip: ZipArchive,
    readonly sheets: SheetRef[],
    private readonly limits: typeof READ_LIMITS,
  ) {}

  /** Opens a workbook and lists its sheets in workbook order. */
  static async open(path: string, file: string, limits: typeof READ_LIMITS = READ_LIMITS): Promise<XlsxReader> {
    const zip = await ZipArchive.open(path, file, limits);
    if (!zip.entries.has('xl/workbook.xml')) throw fileError('ingest.file.unsupportedZip', { file });
    const workbook = await zip.text('xl/workbook.xml', 16 * 1024 * 1024);
    const rels = zip.entries.has('xl/_rels/workbook.xml.rels')
      ? await zip.text('xl/_rels/workbook.xml.rels', 16 * 1024 * 1024)
      : '';
    const targets = new Map<string, string>();
    for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      const id = attr(m[0], /\bId="([^"]*)"/);
      const target = attr(m[0], /\bTarget="([^"]*)"/);
      if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
    }
    const sheets: SheetRef[] = [];
    for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
      const id = attr(m[0], /\b(?:\w+:)?id="([^"]*)"/);
      const part = id ? targets.get(id) : undefined;
      if (part && zip.entries.has(part)) sheets.push({ name: attr(m[0], /\bname="([^"]*)"/) ?? part, part });
    }
    if (sheets.length === 0) {
      const parts = [...zip.entries.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
      parts.sort((a, b) => Number(/\d+/.exec(a.slice(14))?.[0]) - Number(/\d+/.exec(b.slice(14))?.[0]));
      for (const part of parts) sheets.push({ name: part, part });
    }
    if (sheets.length === 0) throw fileError('ingest.file.corruptXlsx', { file, detail: 'no worksheet' });
    return new XlsxReader(zip, sheets, limits);
  }

  private async loadSharedStrings(): Promise<string[]> {
    if (this.sharedStrings) return this.sharedStrings;
    const strings: string[] = [];
    const part = this.zip.entries.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : null;
    if (part) {
      let current: string | null = null;
      let inText = false;
      let phonetic = 0;
      let failure: unknown = null;
      const parser = new Parser(
        {
          onopentag: (name) => {
            const n = local(name);
            if (n === 'si') current = '';
            else if (n === 't') inText = true;
            else if (n === 'rPh') phonetic++;
          },
          ontext: (text) => {
            if (current !== null && inText && phonetic === 0) {
              current += text;
              if (current.length > this.limits.maxCellChars) {
                failure ??= fileError('ingest.file.cellTooLong', { row: 0, max: this.limits.maxCellChars });
                current = '';
              }
            }
          },
          onclosetag: (name) => {
            const n = local(name);
            if (n === 'si') {
              strings.push(current ?? '');
              current = null;
            } else if (n === 't') inText = false;
            else if (n === 'rPh') phonetic--;
          },
        },
        { xmlMode: true, decodeEntities: true },
      );
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of this.zip.read(part, this.limits.maxSharedStringsBytes)) {
        parser.write(decoder.decode(chunk, { stream: true }));
        if (failure) throw failure;
      }
      parser.end(decoder.decode());
      if (failure) throw failure;
    }
    this.sharedStrings = strings;
    return strings;
  }

  /** Streams one sheet's rows in batches (position = Excel row number). */
  async *rows(sheetIndex: number): AsyncGenerator<TableRow[]> {
    const sheet = this.sheets[sheetIndex];
    if (!sheet) return;
    const shared = await this.loadSharedStrings();
    const limits = this.limits;
    let batch: TableRow[] = [];
    let failure: unknown = null;
    let position = 0;
    let row: string[] | null = null;
    let cellType = '';
    let cellCol = -1;
    let cellText: string | null = null;
    let capture = false;
    let phonetic = 0;
    let longNumbers: number[] | undefined;

    const finishCell = (): void => {
      if (row === null || cellText === null) return;
      let value = cellText;
      if (cellType === 's') value = shared[Number(value)] ?? '';
      else if (cellType === 'b') value = value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
      const col = cellCol >= 0 ? cellCol : row.length;
      if (col >= limits.maxColumns) throw fileError('ingest.file.tooManyColumns', { row: position, max: limits.maxColumns });
      while (row.length < col) row.push('');
      row[col] = value;
      if ((cellType === '' || cellType === 'n') && value.length >= 12 && /^\d{12,}$|^\d(\.\d+)?E\+?\d+$/i.test(value)) {
        (longNumbers ??= []).push(col);
      }
      cellText = null;
    };

    const parser = new Parser(
      {
        onopentag(name, attribs) {
          if (failure) return;
          try {
            const n = local(name);
            if (n === 'row') {
              const r = Number(attribs.r);
              position = Number.isInteger(r) && r > position ? r : position + 1;
              row = [];
            } else if (n === 'c') {
              cellType = attribs.t ?? '';
              cellCol = columnIndex(attribs.r);
              if (row !== null && cellCol < 0) cellCol = row.length;
              cellText = '';
            } else if (n === 'v' || (n === 't' && phonetic === 0)) {
              capture = true;
            } else if (n === 'rPh') {
              phonetic++;
            }
          } catch (err) {
            failure = err;
          }
        },
        ontext(text) {
          if (failure || !capture || cellText === null) return;
          cellText += text;
          if (cellText.length > limits.maxCellChars) failure = fileError('ingest.file.cellTooLong', { row: position, max: limits.maxCellChars });
        },
        onclosetag(name) {
          if (failure) return;
          try {
            const n = local(name);
            if (n === 'v' || n === 't') capture = false;
            else if (n === 'rPh') phonetic--;
            else if (n === 'c') finishCell();
            else if (n === 'row' && row !== null) {
              batch.push(longNumbers ? { cells: row, position, longNumbers } : { cells: row, position });
              row = null;
              longNumbers = undefined;
            }
          } catch (err) {
            failure = err;
          }
        },
      },
      { xmlMode: true, decodeEntities: true },
    );
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of this.zip.read(sheet.part)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      if (failure) throw failure;
      if (batch.length >= 1024) {
        yield batch;
        batch = [];
      }
    }
    parser.end(decoder.decode());
    if (failure) throw failure;
    if (batch.length > 0) yield batch;
  }
}

/**
 * A small, fast CSV reader and writer shared by every file-facing feature (zscore, quality,
 * prevalence, imports). RFC 4180 quoting, comma or semicolon (or tab) delimiters detected from
 * the header line, UTF-8 with or without BOM, CRLF or LF line ends. Streaming: records are
 * produced chunk by chunk, so memory stays bounded whatever the file size.
 */

export type Delimiter = ',' | ';' | '\t';

/** Picks the delimiter that splits the header line into the most fields (quotes respected). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < headerLine.length; i++) {
    const ch = headerLine[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/**
 * Incremental CSV parser: feed it text chunks, get complete records back. A record is an array
 * of field strings (quotes removed, doubled quotes unescaped). `lineNumber` of each record is the
 * 1-based physical line on which it started, so error messages can point at the file's row.
 */
export class CsvParser {
  private delimiter: Delimiter | undefined;
  private buf = '';
  private line = 1;
  private first = true;

  constructor(delimiter?: Delimiter) {
    this.delimiter = delimiter;
  }

  get detectedDelimiter(): Delimiter | undefined {
    return this.delimiter;
  }

  /** Parses what is complete in `chunk` (plus what was left from before). */
  push(chunk: string, onRecord: (fields: string[], lineNumber: number) => void): void {
    if (this.first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      if (chunk.length === 0) return;
      this.first = false;
    }
    this.buf += chunk;
    this.consume(onRecord, false);
  }

  /** Parses whatever is left at the end of input (a last line without a newline). */
  end(onRecord: (fields: string[], lineNumber: number) => void): void {
    this.consume(onRecord, true);
  }

  private consume(onRecord: (fields: string[], lineNumber: number) => void, final: boolean): void {
    const s = this.buf;
    if (this.delimiter === undefined) {
      const nl = s.indexOf('\n');
      if (nl < 0 && !final) return;
      this.delimiter = detectDelimiter(nl < 0 ? s : s.slice(0, nl));
    }
    const d = this.delimiter.charCodeAt(0);
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const startLine = this.line;
      const fields: string[] = [];
      let i = pos;
      let lines = 0;
      let complete = false;
      for (;;) {
        if (i < n && s.charCodeAt(i) === 34 /* " */) {
          // Quoted field: find the closing quote, unescaping "" pairs.
          let value = '';
          let j = i + 1;
          let closed = false;
          while (j < n) {
            const q = s.indexOf('"', j);
            if (q < 0) break;
            value += s.slice(j, q);
            if (q + 1 < n && s.charCodeAt(q + 1) === 34) {
              value += '"';
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) break; // cannot tell yet whether "" follows
            j = q + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (!final) break;
            value += s.slice(j); // unterminated quote at end of input: take the rest
            j = n;
          }
          for (let k = i; k < j; k++) if (s.charCodeAt(k) === 10) lines++;
          // Anything between the closing quote and the delimiter is kept verbatim.
          let e = j;
          while (e < n && s.charCodeAt(e) !== d && s.charCodeAt(e) !== 10) e++;
          if (e >= n && !final) break;
          value += s.slice(j, e).replace(/\r$/, '');
          fields.push(value);
          i = e;
        } else {
          let e = i;
          while (e < n) {
            const c = s.charCodeAt(e);
            if (c === d || c === 10) break;
            e++;
          }
          if (e >= n && !final) break;
          let end = e;
          if (end > i && s.charCodeAt(end - 1) === 13 && (e >= n || s.charCodeAt(e) === 10)) end--;
          fields.push(s.slice(i, end));
          i = e;
        }
        if (i >= n) {
          complete = true; // final and no newline
          break;
        }
        if (s.charCodeAt(i) === d) {
          i++;
          if (i >= n && final) {
            fields.push('');
            complete = true;
            break;
          }
          continue;
        }
        // newline
        i++;
        lines++;
        complete = true;
        break;
      }
      if (!complete) break;
      pos = i;
      this.line = startLine + lines;
      // Skip blank lines (a lone empty field) – they are not records.
      if (!(fields.length === 1 && fields[0] === '')) onRecord(fields, startLine);
    }
    this.buf = s.slice(pos);
  }
}

/** Parses a whole CSV text into records (header included). */
export function parseCsv(text: string, delimiter?: Delimiter): { records: string[][]; lines: number[]; delimiter: Delimiter } {
  const p = new CsvParser(delimiter);
  const records: string[][] = [];
  const lines: number[] = [];
  const take = (f: string[], l: number) => {
    records.push(f);
    lines.push(l);
  };
  p.push(text, take);
  p.end(take);
  return { records, lines, delimiter: p.detectedDelimiter ?? ',' };
}

/**
 * Streams records from an async iterable of text chunks (e.g. `fs.createReadStream(path, 'utf8')`),
 * in batches so callers can process columnar blocks.
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<string | Buffer>,
  delimiter?: Delimiter,
): AsyncGenerator<{ fields: string[]; line: number }[]> {
  const p = new CsvParser(delimiter);
  let batch: { fields: string[]; line: number }[] = [];
  const take = (fields: string[], line: number) => {
    batch.push({ fields, line });
  };
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    p.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), take);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  const rest = decoder.decode();
  if (rest) p.push(rest, take);
  p.end(take);
  if (batch.length > 0) yield batch;
}

/** Quotes a field when it contains the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter: Delimiter = ','): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** One CSV line (with a trailing LF). */
export function csvLine(values: readonly string[], delimiter: Delimiter = ','): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += delimiter;
    out += csvField(values[i], delimiter);
  }
  return out + '\n';
}

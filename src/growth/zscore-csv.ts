/**
 * The row logic of `tumbuh zscore`, without I/O: maps a CSV header (anthro's column names or the
 * Indonesian ones, case-insensitive) to engine inputs, turns blocks of records into columnar
 * batches, runs the engine, and renders output lines: every input column unchanged, then anthro's
 * output columns, the Permenkes status columns and an `error` column.
 * @see ALGORITHM.md §12 (output columns), issue 2 §3
 */
import { csvField, type Delimiter } from '../common/csv.js';
import { defineMessages, t } from '../common/i18n.js';
import { createBatchInput, createBatchOutput } from './engine.js';
import {
  FIELD_BITS,
  growthIssue,
  isMissingText,
  issuesForProblems,
  parseDayNumber,
  parseDecimal,
  parseMeasureCode,
  parseOedemaCode,
  parseSexCode,
  type GrowthField,
} from './fields.js';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from './permenkes.js';
import type { GrowthBatchOutput, GrowthEngine, GrowthIssue } from './types.js';

/** Input columns the command understands. */
export type ZscoreColumn = GrowthField;

/**
 * Accepted header names per field, after lower-casing and turning spaces, dots, slashes and
 * hyphens into `_`: anthro's names first, then Indonesian (e-PPGBM export) names.
 */
export const ZSCORE_COLUMN_ALIASES: Readonly<Record<ZscoreColumn, readonly string[]>> = {
  sex: ['sex', 'jk', 'jenis_kelamin'],
  age: ['age', 'umur'],
  birthDate: ['tgl_lahir', 'tanggal_lahir', 'birth_date', 'birthdate', 'dob'],
  measureDate: ['tgl_ukur', 'tanggal_ukur', 'tanggal_pengukuran', 'tgl_pengukuran', 'measure_date'],
  weight: ['weight', 'bb', 'berat', 'berat_badan'],
  lenhei: ['lenhei', 'tb', 'pb', 'tinggi', 'tinggi_badan', 'panjang_badan', 'pb_tb'],
  measure: ['measure', 'cara_ukur'],
  oedema: ['oedema', 'edema'],
  headc: ['headc', 'lk', 'lingkar_kepala'],
  armc: ['armc', 'lila'],
  triskin: ['triskin'],
  subskin: ['subskin'],
};

/** Columns appended after the input columns, in order. */
export const ZSCORE_OUTPUT_COLUMNS = [
  'clenhei',
  'cmeasure',
  'c9mo_flag',
  'cbmi',
  'csex',
  'zlen',
  'flen',
  'zwei',
  'fwei',
  'zwfl',
  'fwfl',
  'zbmi',
  'fbmi',
  'zhc',
  'fhc',
  'zac',
  'fac',
  'zts',
  'fts',
  'zss',
  'fss',
  'status_bbu',
  'status_tbu',
  'status_bbtb',
  'status_imtu',
  'error',
] as const;

const M = defineMessages({
  'zscore.row.tooManyFields': {
    id: 'baris berisi {count} kolom, kepala berkas {expected}: kolom tidak dapat dicocokkan, tidak dihitung',
    en: 'row has {count} fields, header has {expected}: columns cannot be matched, not computed',
  },
});

function normaliseHeader(name: string): string {
  return name.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s./-]+/g, '_');
}

/** Which input column (index) feeds which field; the first matching column wins. */
export function mapZscoreColumns(header: readonly string[]): Partial<Record<ZscoreColumn, number>> {
  const map: Partial<Record<ZscoreColumn, number>> = {};
  const names = header.map(normaliseHeader);
  for (const field of Object.keys(ZSCORE_COLUMN_ALIASES) as ZscoreColumn[]) {
    for (const alias of ZSCORE_COLUMN_ALIASES[field]) {
      const i = names.indexOf(alias);
      if (i >= 0) {
        map[field] = i;
        break;
      }
    }
  }
  return map;
}

/** Counts of a run. */
export interface ZscoreStats {
  rows: number;
  /** Rows with at least one z-score. */
  computed: number;
  /** Rows with a non-empty `error` column. */
  withErrors: number;
}

// Rounded z-scores are k/100; their shortest round-trip text is cached for |k| ≤ 2000.
const Z_CACHE_HALF = 2000;
const zCache: string[] = [];
for (let k = -Z_CACHE_HALF; k <= Z_CACHE_HALF; k++) zCache.push(String(k / 100));

/** Shortest text that parses back to the same double; empty for missing. */
function fmtZ(z: number): string {
  if (z !== z) return '';
  const k = Math.round(z * 100);
  if (k >= -Z_CACHE_HALF && k <= Z_CACHE_HALF && k / 100 === z) return zCache[k + Z_CACHE_HALF];
  return String(z);
}

// Lengths/heights are mostly one-decimal values k/10: their text is cached too.
const CM_CACHE_MAX = 3000;
const cmCache: string[] = [];
for (let k = 0; k <= CM_CACHE_MAX; k++) cmCache.push(String(k / 10));

function fmtCm(x: number): string {
  if (x !== x) return '';
  const k = Math.round(x * 10);
  if (k >= 0 && k <= CM_CACHE_MAX && k / 10 === x) return cmCache[k];
  return String(x);
}

const fmtNum = (x: number): string => (x !== x ? '' : String(x));

const encoder = new TextEncoder();

/**
 * Appends text to a growing byte buffer: ASCII byte by byte, the rest through TextEncoder.
 * Building output lines with `+` or `join` costs more than the z-scores themselves at 1 M rows.
 */
class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(private readonly initial: number) {
    this.buf = new Uint8Array(initial);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  text(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        this.pos = p;
        const rest = s.slice(i);
        this.room(rest.length * 3);
        this.pos += encoder.encodeInto(rest, this.buf.subarray(this.pos)).written;
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** The bytes written so far; the writer starts a fresh buffer (the caller may still hold these). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(Math.max(this.initial, this.pos));
    this.pos = 0;
    return out;
  }
}

/** A streaming transformer for one file. */
export class ZscoreCsv {
  readonly columns: Partial<Record<ZscoreColumn, number>>;
  readonly stats: ZscoreStats = { rows: 0, computed: 0, withErrors: 0 };
  private readonly headerLength: number;
  private readonly needsQuote: RegExp;
  private capacity = 0;
  private input = createBatchInput(0);
  private output: GrowthBatchOutput = createBatchOutput(0);
  private readonly columnNames: Partial<Record<GrowthField, string>> = {};
  private readonly delimiterCode: number;
  private readonly writer = new ByteWriter(256 * 1024);

  constructor(
    private readonly engine: GrowthEngine,
    private readonly header: readonly string[],
    private readonly delimiter: Delimiter,
    private readonly ageInMonths: boolean,
  ) {
    this.columns = mapZscoreColumns(header);
    this.headerLength = header.length;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.needsQuote = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]`);
    for (const [field, i] of Object.entries(this.columns) as [GrowthField, number][]) {
      this.columnNames[field] = header[i].trim();
    }
  }

  /** True when the file has what a z-score needs: a sex column and at least one measurement. */
  get usable(): boolean {
    const c = this.columns;
    const measurement = ['weight', 'lenhei', 'headc', 'armc', 'triskin', 'subskin'].some(
      (f) => c[f as ZscoreColumn] !== undefined,
    );
    return c.sex !== undefined && measurement;
  }

  /** The output header line. */
  headerLine(): string {
    const cells = this.header.map((f) => (this.needsQuote.test(f) ? csvField(f, this.delimiter) : f));
    return [...cells, ...ZSCORE_OUTPUT_COLUMNS].join(this.delimiter) + '\n';
  }

  /** Writes the row's first `headerLength` fields (quoted where needed), each followed by the delimiter. */
  private echo(fields: readonly string[]): void {
    const w = this.writer;
    const h = this.headerLength;
    for (let i = 0; i < h; i++) {
      const f = i < fields.length ? fields[i] : '';
      w.text(this.needsQuote.test(f) ? csvField(f, this.delimiter) : f);
      w.byte(this.delimiterCode);
    }
  }

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    this.capacity = Math.max(n, this.capacity * 2, 1024);
    this.input = createBatchInput(this.capacity, this.ageInMonths);
    this.output = createBatchOutput(this.capacity);
  }

  private rowIssues: GrowthIssue[] | undefined;
  private rowMask = 0;

  private bad(field: GrowthField, code: Parameters<typeof growthIssue>[1]): void {
    this.rowMask |= FIELD_BITS[field];
    (this.rowIssues ??= []).push(growthIssue(field, code, this.columnNames[field]));
  }

  /** The number in the row's `field` column: NaN when missing, NaN plus an issue when not a number. */
  private num(f: readonly string[], field: GrowthField): number {
    const ix = this.columns[field];
    if (ix === undefined) return NaN;
    const s = f[ix];
    if (s === undefined || isMissingText(s)) return NaN;
    const v = parseDecimal(s);
    if (v !== v) this.bad(field, 'not_a_number');
    return v;
  }

  /** Computes one block of records and returns the output lines for it as UTF-8 bytes. */
  processBlock(records: readonly { fields: string[] }[]): Uint8Array {
    const n = records.length;
    this.ensure(n);
    const inp = this.input;
    inp.length = n;
    const c = this.columns;
    const names = this.columnNames;
    const pre: (GrowthIssue[] | undefined)[] = new Array(n);
    const tooLong: boolean[] = new Array(n);

    for (let i = 0; i < n; i++) {
      const f = records[i].fields;
      this.rowIssues = undefined;
      this.rowMask = 0;
      tooLong[i] = f.length > this.headerLength;

      inp.sex[i] = c.sex === undefined ? 0 : parseSexCode(f[c.sex] ?? '');
      inp.measure[i] = c.measure === undefined ? 0 : parseMeasureCode(f[c.measure] ?? '');
      inp.oedema[i] = c.oedema === undefined ? 0 : parseOedemaCode(f[c.oedema] ?? '');
      inp.weight[i] = this.num(f, 'weight');
      inp.lenhei[i] = this.num(f, 'lenhei');
      inp.headc[i] = this.num(f, 'headc');
      inp.armc[i] = this.num(f, 'armc');
      inp.triskin[i] = this.num(f, 'triskin');
      inp.subskin[i] = this.num(f, 'subskin');

      let age = NaN;
      let unit = 0; // the file's --age-unit
      let fromDates = false;
      if (c.birthDate !== undefined && c.measureDate !== undefined) {
        const bs = f[c.birthDate] ?? '';
        const ms = f[c.measureDate] ?? '';
        if (!isMissingText(bs) && !isMissingText(ms)) {
          fromDates = true;
          const b = parseDayNumber(bs);
          const m = parseDayNumber(ms);
          if (b !== b) this.bad('birthDate', 'invalid_date');
          if (m !== m) this.bad('measureDate', 'invalid_date');
          if (b === b && m === m) {
            if (m < b) this.bad('measureDate', 'date_order');
            else {
              age = m - b;
              unit = 2; // days
            }
          }
        }
      }
      if (!fromDates) age = this.num(f, 'age');
      inp.age[i] = age;
      inp.ageIsMonths[i] = unit;
      inp.problems[i] = this.rowMask;
      pre[i] = this.rowIssues;
    }

    const out = this.engine.computeBatch(inp, this.output);
    const problems = out.problems!;
    const st = this.stats;
    for (let i = 0; i < n; i++) {
      const f = records[i].fields;
      st.rows++;
      if (tooLong[i]) {
        st.withErrors++;
        const p = { count: f.length, expected: this.headerLength };
        const err = `${t(M['zscore.row.tooManyFields'], p, 'id')} / ${t(M['zscore.row.tooManyFields'], p, 'en')}`;
        this.echo(f);
        for (let k = 1; k < ZSCORE_OUTPUT_COLUMNS.length; k++) this.writer.byte(this.delimiterCode);
        this.writer.text(csvField(err, this.delimiter));
        this.writer.byte(10);
        continue;
      }
      let issues = pre[i];
      const mask = problems[i];
      if (mask !== inp.problems[i]) {
        const more = issuesForProblems(mask, inp.problems[i], {
          sex: inp.sex[i],
          age: inp.age[i],
          measure: inp.measure[i],
          oedema: inp.oedema[i],
          measurements: {
            weight: inp.weight[i],
            lenhei: inp.lenhei[i],
            headc: inp.headc[i],
            armc: inp.armc[i],
            triskin: inp.triskin[i],
            subskin: inp.subskin[i],
          },
        }, names);
        issues = issues ? issues.concat(more) : more;
      }
      const zlen = out.zlen[i];
      const zwei = out.zwei[i];
      const zwfl = out.zwfl[i];
      const zbmi = out.zbmi[i];
      const zhc = out.zhc[i];
      const zac = out.zac[i];
      const zts = out.zts[i];
      const zss = out.zss[i];
      if (zlen === zlen || zwei === zwei || zwfl === zwfl || zbmi === zbmi || zhc === zhc || zac === zac || zts === zts || zss === zss) {
        st.computed++;
      }
      const sex = mask & FIELD_BITS.sex ? 0 : inp.sex[i];
      const cm = out.cmeasure[i];
      const w = this.writer;
      const d = this.delimiterCode;
      this.echo(f);
      w.text(fmtCm(out.clenhei[i]));
      w.byte(d);
      if (cm !== 0) w.byte(cm === 1 ? 108 /* l */ : 104 /* h */);
      w.byte(d);
      w.byte(out.c9mo[i] === 1 ? 49 : 48);
      w.byte(d);
      w.text(fmtNum(out.cbmi[i]));
      w.byte(d);
      if (sex !== 0) w.byte(48 + sex);
      w.byte(d);
      this.zf(zlen, out.flen[i]);
      this.zf(zwei, out.fwei[i]);
      this.zf(zwfl, out.fwfl[i]);
      this.zf(zbmi, out.fbmi[i]);
      this.zf(zhc, out.fhc[i]);
      this.zf(zac, out.fac[i]);
      this.zf(zts, out.fts[i]);
      this.zf(zss, out.fss[i]);
      w.text(weightForAgeStatus(zwei)?.id ?? '');
      w.byte(d);
      w.text(lengthForAgeStatus(zlen)?.id ?? '');
      w.byte(d);
      w.text(weightForLengthStatus(zwfl)?.id ?? '');
      w.byte(d);
      w.text(bmiForAgeStatus(zbmi)?.id ?? '');
      w.byte(d);
      if (issues && issues.length > 0) {
        st.withErrors++;
        w.text(csvField(issues.map((x) => `${x.id} / ${x.en}`).join('; '), this.delimiter));
      }
      w.byte(10);
    }
    return this.writer.take();
  }

  /** A z-score and its flag, each followed by the delimiter. */
  private zf(z: number, flag: number): void {
    const w = this.writer;
    w.text(fmtZ(z));
    w.byte(this.delimiterCode);
    if (flag >= 0) w.byte(48 + flag);
    w.byte(this.delimiterCode);
  }
}

/**
 * The input side of `tumbuh quality`, without I/O: maps a CSV header to the plausibility
 * columns, parses records block by block into columnar arrays and builds the grouping.
 */
import { isMissingText, parseDecimal, parseOedemaCode, parseSexCode } from '../growth/fields.js';
import { groupRows, type Grouping, type QualityColumns } from './plausibility.js';

/** Columns `tumbuh quality` reads. */
export type QualityField = 'sex' | 'ageMonths' | 'ageDays' | 'weight' | 'height' | 'muac' | 'whz' | 'haz' | 'waz' | 'oedema';

/** Accepted header names per field (after {@link normaliseHeaderName}); anthro output names included. */
export const QUALITY_COLUMN_ALIASES: Readonly<Record<QualityField, readonly string[]>> = {
  sex: ['sex', 'jk', 'jenis_kelamin'],
  ageMonths: ['age_months', 'umur_bulan', 'usia_bulan'],
  ageDays: ['age', 'age_days', 'umur_hari', 'usia_hari'],
  weight: ['weight', 'bb', 'berat', 'berat_badan'],
  height: ['height', 'lenhei', 'tb', 'pb', 'tinggi', 'tinggi_badan', 'panjang_badan', 'pb_tb'],
  muac: ['muac', 'lila_mm'],
  whz: ['whz', 'zwfl', 'zbbtb'],
  haz: ['haz', 'zlen', 'ztbu'],
  waz: ['waz', 'zwei', 'zbbu'],
  oedema: ['oedema', 'edema'],
};

/** Days per month in the WHO standards (365.25 / 12), as anthro converts ages. */
export const DAYS_PER_MONTH = 30.4375;

/** Lower case, trimmed; spaces, dots, slashes and hyphens become `_`. */
export function normaliseHeaderName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s./-]+/g, '_');
}

/** Why a header cannot be used: the missing required fields and unknown grouping columns. */
export interface HeaderProblems {
  missing: string[];
  unknownBy: string[];
  unknownCluster: string | null;
}

const NUMERIC_FIELDS = ['weight', 'height', 'muac', 'whz', 'haz', 'waz'] as const;

/**
 * Accumulates records of a quality input file into columns. Required: sex, age (age_months or
 * age in days), and the grouping columns; weight, height, MUAC, z-scores, oedema are optional.
 */
export class QualityTableBuilder {
  private readonly index: Partial<Record<QualityField, number>> = {};
  private readonly byIndex: number[];
  private readonly clusterIndex: number;
  private readonly cols: Record<'sex' | 'age' | (typeof NUMERIC_FIELDS)[number] | 'oedema' | 'cluster', number[]> = {
    sex: [],
    age: [],
    weight: [],
    height: [],
    muac: [],
    whz: [],
    haz: [],
    waz: [],
    oedema: [],
    cluster: [],
  };
  private readonly keys: (string | null)[] = [];
  private readonly clusterCodes = new Map<string, number>();
  /** Cells that were filled but not readable as a value of their column, per column. */
  readonly unreadable: Record<string, number> = {};
  /** Rows without a group key (left out). */
  ungrouped = 0;
  readonly problems: HeaderProblems;

  constructor(header: readonly string[], by: readonly string[], cluster?: string) {
    const names = header.map(normaliseHeaderName);
    for (const field of Object.keys(QUALITY_COLUMN_ALIASES) as QualityField[]) {
      const at = names.findIndex((n) => QUALITY_COLUMN_ALIASES[field].includes(n));
      if (at >= 0) this.index[field] = at;
    }
    const find = (name: string) => {
      const exact = header.indexOf(name);
      return exact >= 0 ? exact : names.indexOf(normaliseHeaderName(name));
    };
    this.byIndex = by.map(find);
    this.clusterIndex = cluster === undefined ? -1 : find(cluster);
    const missing: string[] = [];
    if (this.index.sex === undefined) missing.push('sex');
    if (this.index.ageMonths === undefined && this.index.ageDays === undefined) missing.push('age_months | age');
    this.problems = {
      missing,
      unknownBy: by.filter((_, i) => this.byIndex[i] < 0),
      unknownCluster: cluster !== undefined && this.clusterIndex < 0 ? cluster : null,
    };
  }

  /** True when the header has every required column. */
  get usable(): boolean {
    const p = this.problems;
    return p.missing.length === 0 && p.unknownBy.length === 0 && p.unknownCluster === null;
  }

  /** Which optional measurement columns were found. */
  get present(): QualityField[] {
    return Object.keys(this.index) as QualityField[];
  }

  get rows(): number {
    return this.keys.length;
  }

  /** Adds one data record. */
  push(fields: readonly string[]): void {
    const cell = (i: number | undefined): string => (i === undefined ? '' : (fields[i] ?? ''));
    let key: string | null = this.byIndex.map((i) => cell(i).trim()).join(' | ');
    if (this.byIndex.length > 0 && this.byIndex.every((i) => cell(i).trim() === '')) key = null;
    if (this.byIndex.length === 0) key = 'all';
    if (key === null) this.ungrouped++;
    this.keys.push(key);

    const sexText = cell(this.index.sex);
    const sex = parseSexCode(sexText);
    if (sex === 255) this.count('sex');
    this.cols.sex.push(sex === 1 || sex === 2 ? sex : 0);

    const age =
      this.index.ageMonths !== undefined
        ? this.number('age_months', cell(this.index.ageMonths))
        : this.number('age', cell(this.index.ageDays)) / DAYS_PER_MONTH;
    this.cols.age.push(age);
    for (const f of NUMERIC_FIELDS) {
      if (this.index[f] !== undefined) this.cols[f].push(this.number(f, cell(this.index[f])));
    }
    if (this.index.oedema !== undefined) {
      const o = parseOedemaCode(cell(this.index.oedema));
      this.cols.oedema.push(o === 1 ? 1 : 0);
    }
    if (this.clusterIndex >= 0) {
      const c = cell(this.clusterIndex).trim();
      let code = -1;
      if (c !== '') {
        code = this.clusterCodes.get(c) ?? this.clusterCodes.size;
        this.clusterCodes.set(c, code);
      }
      this.cols.cluster.push(code);
    }
  }

  /** The columns and grouping for {@link plausibilityByGroup}. */
  build(): { columns: QualityColumns; grouping: Grouping } {
    const f = (a: number[]) => Float64Array.from(a);
    const columns: QualityColumns = { sex: Uint8Array.from(this.cols.sex), ageMonths: f(this.cols.age) };
    for (const name of NUMERIC_FIELDS) if (this.index[name] !== undefined) columns[name] = f(this.cols[name]);
    if (this.index.oedema !== undefined) columns.oedema = Uint8Array.from(this.cols.oedema);
    if (this.clusterIndex >= 0) columns.cluster = Int32Array.from(this.cols.cluster);
    return { columns, grouping: groupRows(this.keys) };
  }

  private number(column: string, text: string): number {
    if (isMissingText(text)) return NaN;
    const v = parseDecimal(text);
    if (Number.isNaN(v)) this.count(column);
    return v;
  }

  private count(column: string): void {
    this.unreadable[column] = (this.unreadable[column] ?? 0) + 1;
  }
}

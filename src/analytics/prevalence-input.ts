/**
 * From an anthro-style table (the columns of `tumbuh zscore`: sex, age, weight, lenhei, measure,
 * oedema, plus the design and grouping columns the user names) to the z-scores and design of
 * {@link anthroPrevalence}, computing the z-scores with the growth engine as anthro_prevalence
 * runs anthro_zscores first. Pure: records in, result out (the CLI reads the file).
 * @see ALGORITHM.md §14, prevalence-reference/README.md
 */
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import {
  isMissingText,
  parseDayNumber,
  parseDecimal,
  parseMeasureCode,
  parseOedemaCode,
  parseSexCode,
} from '../growth/fields.js';
import { mapZscoreColumns } from '../growth/zscore-csv.js';
import type { GrowthBatchInput, GrowthEngine } from '../growth/types.js';
import {
  anthroPrevalence,
  DAYS_PER_MONTH,
  type AnthroGroupingKind,
  type PrevalenceGrouping,
  type PrevalenceInput,
  type PrevalenceResult,
} from './survey-prevalence.js';

const M = defineMessages({
  'prevalence.input.noSex': {
    id: 'Kolom jenis kelamin (sex / jk) tidak ditemukan di kepala berkas.',
    en: 'No sex column (sex / jk) in the file header.',
  },
  'prevalence.input.noColumn': {
    id: 'Kolom "{column}" (untuk {option}) tidak ada di kepala berkas.',
    en: 'Column "{column}" (for {option}) is not in the file header.',
  },
  'prevalence.input.empty': {
    id: 'Berkas tidak berisi baris data.',
    en: 'The file has no data rows.',
  },
});

/** Which file columns play which role; ages are in days unless `ageUnit` is 'months'. */
export interface PrevalenceColumnOptions {
  ageUnit?: 'days' | 'months';
  weights?: string;
  cluster?: string;
  strata?: string;
  /** Project groupings, each printed as `<column>: <value>`. */
  by?: readonly string[];
  /** anthro's named groupings (typeres, gregion, wealthq, mothered, othergr) → column. */
  anthroGroupings?: Partial<Record<AnthroGroupingKind, string>>;
}

/** Values that could not be read and were treated as missing (anthro would abort instead). */
export interface PrevalenceInputIssues {
  unknownSex: number;
  unknownMeasure: number;
  unknownOedema: number;
  badAge: number;
  badWeight: number;
  badLenhei: number;
  badSamplingWeight: number;
}

export interface PrevalenceFromRecords {
  result: PrevalenceResult;
  issues: PrevalenceInputIssues;
  rowsRead: number;
}

function findColumn(header: readonly string[], name: string, option: string): number {
  const want = name.trim().toLowerCase();
  const i = header.findIndex((h) => h.replace(/^\ufeff/, '').trim().toLowerCase() === want);
  if (i < 0) throw new AppError('prevalence.no_column', M['prevalence.input.noColumn'], { column: name, option });
  return i;
}

/**
 * Reads anthro-style records (header first), computes z-scores with `engine`, and returns the
 * anthro_prevalence table. Throws an AppError (status 400) when a named column is absent.
 * @see ALGORITHM.md §14
 */
export function prevalenceFromRecords(
  engine: GrowthEngine,
  header: readonly string[],
  records: readonly (readonly string[])[],
  options: PrevalenceColumnOptions = {},
): PrevalenceFromRecords {
  const cols = mapZscoreColumns(header);
  if (cols.sex === undefined) throw new AppError('prevalence.no_sex', M['prevalence.input.noSex']);
  if (records.length === 0) throw new AppError('prevalence.empty', M['prevalence.input.empty']);
  const wCol = options.weights !== undefined ? findColumn(header, options.weights, '--weights') : -1;
  const cCol = options.cluster !== undefined ? findColumn(header, options.cluster, '--cluster') : -1;
  const sCol = options.strata !== undefined ? findColumn(header, options.strata, '--strata') : -1;
  const groupingCols: { kind: AnthroGroupingKind | 'custom'; label?: string; col: number }[] = [];
  for (const [kind, name] of Object.entries(options.anthroGroupings ?? {}) as [AnthroGroupingKind, string][]) {
    groupingCols.push({ kind, col: findColumn(header, name, `--${kind}`) });
  }
  for (const name of options.by ?? []) groupingCols.push({ kind: 'custom', label: name, col: findColumn(header, name, '--by') });

  const n = records.length;
  const months = options.ageUnit === 'months';
  const batch: GrowthBatchInput = {
    length: n,
    ageInMonths: months,
    sex: new Uint8Array(n),
    age: new Float64Array(n),
    weight: new Float64Array(n),
    lenhei: new Float64Array(n),
    measure: new Uint8Array(n),
    oedema: new Uint8Array(n),
  };
  const ageDays = new Float64Array(n);
  const weights = wCol >= 0 ? new Float64Array(n) : null;
  const cluster = cCol >= 0 ? new Array<string | null>(n) : null;
  const strata = sCol >= 0 ? new Array<string | null>(n) : null;
  const groupings: PrevalenceGrouping[] = groupingCols.map((g) => ({
    kind: g.kind,
    label: g.label,
    values: new Array<string | null>(n),
  }));
  const issues: PrevalenceInputIssues = {
    unknownSex: 0,
    unknownMeasure: 0,
    unknownOedema: 0,
    badAge: 0,
    badWeight: 0,
    badLenhei: 0,
    badSamplingWeight: 0,
  };

  const num = (rec: readonly string[], col: number | undefined, onBad: () => void): number => {
    if (col === undefined) return NaN;
    const text = rec[col] ?? '';
    if (isMissingText(text)) return NaN;
    const v = parseDecimal(text);
    if (v !== v) onBad();
    return v;
  };

  for (let i = 0; i < n; i++) {
    const rec = records[i];
    let sex = parseSexCode(rec[cols.sex] ?? '');
    if (sex === 255) {
      issues.unknownSex++;
      sex = 0;
    }
    batch.sex[i] = sex;
    let age = num(rec, cols.age, () => issues.badAge++);
    let days = months ? age * DAYS_PER_MONTH : age;
    // As in `tumbuh zscore`: birth and measurement dates, when both are filled, win over age.
    if (cols.birthDate !== undefined && cols.measureDate !== undefined) {
      const b = rec[cols.birthDate] ?? '';
      const m = rec[cols.measureDate] ?? '';
      if (!isMissingText(b) && !isMissingText(m)) {
        days = parseDayNumber(m) - parseDayNumber(b);
        if (days !== days) issues.badAge++;
        age = months ? days / DAYS_PER_MONTH : days;
      }
    }
    if (age < 0) {
      issues.badAge++;
      age = days = NaN;
    }
    batch.age[i] = age;
    ageDays[i] = days;
    batch.weight[i] = num(rec, cols.weight, () => issues.badWeight++);
    batch.lenhei[i] = num(rec, cols.lenhei, () => issues.badLenhei++);
    let measure = cols.measure === undefined ? 0 : parseMeasureCode(rec[cols.measure] ?? '');
    if (measure === 255) {
      issues.unknownMeasure++;
      measure = 0;
    }
    batch.measure[i] = measure;
    let oedema = cols.oedema === undefined ? 0 : parseOedemaCode(rec[cols.oedema] ?? '');
    if (oedema === 255) {
      issues.unknownOedema++;
      oedema = 0;
    }
    batch.oedema[i] = oedema;
    if (weights) weights[i] = num(rec, wCol, () => issues.badSamplingWeight++);
    if (cluster) cluster[i] = isMissingText(rec[cCol] ?? '') ? null : rec[cCol].trim();
    if (strata) strata[i] = isMissingText(rec[sCol] ?? '') ? null : rec[sCol].trim();
    for (let g = 0; g < groupings.length; g++) {
      const text = rec[groupingCols[g].col] ?? '';
      (groupings[g].values as (string | null)[])[i] = isMissingText(text) ? null : text.trim();
    }
  }

  const z = engine.computeBatch(batch);
  const input: PrevalenceInput = {
    length: n,
    sex: batch.sex,
    ageDays,
    oedema: batch.oedema,
    zlen: z.zlen,
    flen: z.flen,
    zwei: z.zwei,
    fwei: z.fwei,
    zwfl: z.zwfl,
    fwfl: z.fwfl,
    zbmi: z.zbmi,
    fbmi: z.fbmi,
    weights,
    cluster,
    strata,
    groupings,
  };
  return { result: anthroPrevalence(input), issues, rowsRead: n };
}

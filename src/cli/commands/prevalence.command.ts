import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { csvLine, readCsvRecords } from '../../common/csv.js';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { prevalenceFromRecords, type PrevalenceColumnOptions } from '../../analytics/prevalence-input.js';
import { prevalenceRecords, PREVALENCE_COLUMNS, type AnthroGroupingKind } from '../../analytics/survey-prevalence.js';
import { loadGrowthEngine } from '../../reference/who-tables.js';
import type { CliCommand } from '../command.js';
import { optionTokens } from '../options.js';

const USAGE =
  'prevalence IN.csv [--by COL]… [--cluster COL] [--strata COL] [--weights COL] [--age-unit days|months] [--format csv|json] [-o OUT]';

const M = defineMessages({
  'prevalence.usage': {
    id: `Argumen salah. Pemakaian: tumbuh ${USAGE}`,
    en: `Wrong arguments. Usage: tumbuh ${USAGE}`,
  },
  'prevalence.cannotRead': {
    id: 'Berkas tidak dapat dibaca: {file} ({reason})',
    en: 'File cannot be read: {file} ({reason})',
  },
  'prevalence.cannotWrite': {
    id: 'Berkas keluaran tidak dapat ditulis: {file} ({reason})',
    en: 'Output file cannot be written: {file} ({reason})',
  },
  'prevalence.empty': { id: 'Berkas kosong: {file}', en: 'File is empty: {file}' },
  'prevalence.warn.age': {
    id: 'peringatan: {count} baris dengan umur > 1826 hari tidak dihitung (seperti anthro)',
    en: 'warning: {count} rows with age > 1826 days were left out (as anthro does)',
  },
  'prevalence.warn.design': {
    id: 'peringatan: {count} baris tanpa klaster/strata tidak dihitung',
    en: 'warning: {count} rows without cluster/strata were left out',
  },
  'prevalence.warn.weights': {
    id: 'peringatan: {count} baris tanpa bobot sampel diberi bobot 0 (tidak ikut dihitung)',
    en: 'warning: {count} rows without a sampling weight got weight 0 (left out of the estimates)',
  },
  'prevalence.warn.values': {
    id: 'peringatan: nilai tidak terbaca dianggap kosong — jenis kelamin {sex}, umur {age}, berat {weight}, panjang/tinggi {lenhei}, cara ukur {measure}, edema {oedema}, bobot {sw}, kuintil kekayaan {wealth}',
    en: 'warning: unreadable values treated as missing — sex {sex}, age {age}, weight {weight}, length/height {lenhei}, position {measure}, oedema {oedema}, weight {sw}, wealth quintile {wealth}',
  },
  'prevalence.done': {
    id: 'prevalensi: {rows} baris dibaca, {used} dianalisis, jalur {design}, df {df}',
    en: 'prevalence: {rows} rows read, {used} analysed, {design} path, df {df}',
  },
});

const ANTHRO_OPTIONS: Record<string, AnthroGroupingKind> = {
  '--typeres': 'area',
  '--gregion': 'region',
  '--wealthq': 'wealth',
  '--mothered': 'mothered',
  '--othergr': 'other',
};

const HELP = `tumbuh ${USAGE}

Tabel prevalensi survei persis seperti WHO anthro_prevalence: untuk tiap kelompok (All, kelompok
umur, jenis kelamin, umur + jenis kelamin, lalu kolom --by) dan tiap indeks (HA = TB/U, WA = BB/U,
BMI = IMT/U, WH = BB/TB) jumlah anak, prevalensi < −3/−2/−1 dan > +1/+2/+3 SD dengan SE dan IK 95 %,
rerata z-score dan SD, serta pendek-dan-kurus / pendek-dan-gemuk. Z-score dihitung dari ukuran
mentah seperti tumbuh zscore. / The survey prevalence table exactly as WHO anthro_prevalence:
for each group (All, age group, sex, age + sex, then the --by columns) and index, the counts,
prevalences below −3/−2/−1 and above +1/+2/+3 SD with SE and 95 % CI, mean z-score and SD, and
stunted-and-wasted / stunted-and-overweight. Z-scores are computed from the raw measurements as
tumbuh zscore does.

Masukan / Input: kolom seperti tumbuh zscore / columns as for tumbuh zscore (sex, age, weight,
lenhei, measure, oedema …).

Opsi / Options:
  --by COL                  kelompok tambahan, baris "COL: nilai" (boleh berulang) / extra grouping,
                            rows "COL: value" (repeatable)
  --cluster COL             klaster (PSU) / cluster (PSU)
  --strata COL              strata
  --weights COL             bobot sampel / sampling weights
  --typeres|--gregion|--wealthq|--mothered|--othergr COL
                            pengelompokan anthro dengan label anthro (Area, Geographical region,
                            Wealth quintile, Maternal education, Other grouping) / anthro's
                            groupings with anthro's labels
  --age-unit days|months    satuan kolom age (bawaan days) / unit of the age column (default days)
  --format csv|json         csv: 135 kolom anthro; json: satu rekaman per kelompok × indeks ×
                            batas / csv: anthro's 135 columns; json: one record per group × index
                            × cut-off (bawaan / default csv)
  -o, --output OUT          tulis ke berkas (bawaan stdout) / write to a file (default stdout)

Perbedaan sengaja dengan anthro / deliberate difference from anthro: anthro reports the CI [1, 1]
when a survey/weighted prevalence is exactly 1 %; Tumbuh reports the logit CI.

Kode keluar / exit code: 0 = selesai / done; 2 = argumen salah atau berkas tidak terbaca / bad
arguments or unreadable file.
`;

interface Options {
  input: string;
  output?: string;
  format: 'csv' | 'json';
  columns: PrevalenceColumnOptions;
}

function parseArgs(args: string[]): Options | 'help' {
  let input: string | undefined;
  let output: string | undefined;
  let format = 'csv';
  let ageUnit = 'days';
  const by: string[] = [];
  const anthroGroupings: Partial<Record<AnthroGroupingKind, string>> = {};
  const design: { weights?: string; cluster?: string; strata?: string } = {};
  const usage = () => new AppError('usage', M['prevalence.usage']);
  for (const { arg: a, value: take } of optionTokens(args, usage)) {
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--by') by.push(take());
    else if (a === '--cluster') design.cluster = take();
    else if (a === '--strata') design.strata = take();
    else if (a === '--weights') design.weights = take();
    else if (a === '--age-unit') ageUnit = take();
    else if (a === '--format') format = take();
    else if (a === '-o' || a === '--output') output = take();
    else if (a in ANTHRO_OPTIONS) anthroGroupings[ANTHRO_OPTIONS[a]] = take();
    else if (a.startsWith('-') && a !== '-') throw usage();
    else if (input === undefined) input = a;
    else throw usage();
  }
  if (input === undefined) throw usage();
  if (ageUnit !== 'days' && ageUnit !== 'months') throw usage();
  if (format !== 'csv' && format !== 'json') throw usage();
  return {
    input,
    output: output === '-' ? undefined : output,
    format,
    columns: { ageUnit, by, anthroGroupings, ...design },
  };
}

const fmt = (x: number): string => (x === x ? String(x) : '');

export const prevalenceCommand: CliCommand = {
  name: 'prevalence',
  // Short form for the overview's column; the full one is in --help and the usage error.
  async run(args, io) {
    const opts = parseArgs(args);
    if (opts === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    const inPath = resolve(io.cwd, opts.input);
    const records: string[][] = [];
    try {
      const st = await stat(inPath);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      for await (const block of readCsvRecords(createReadStream(inPath))) {
        for (const r of block) records.push(r.fields);
      }
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new AppError('file_unreadable', M['prevalence.cannotRead'], { file: opts.input, reason }, { cause: err });
    }
    if (records.length === 0) throw new AppError('file_empty', M['prevalence.empty'], { file: opts.input });
    const [header, ...rows] = records;
    const { result, issues, rowsRead } = prevalenceFromRecords(loadGrowthEngine(), header, rows, opts.columns);

    const warn = (key: string, params: Record<string, unknown>) => io.stderr.write(bilingualLine(key, params) + '\n');
    if (result.excluded.ageOver1826 > 0) warn(M['prevalence.warn.age'], { count: result.excluded.ageOver1826 });
    const designDropped = Math.max(result.excluded.missingCluster, result.excluded.missingStrata);
    if (designDropped > 0) warn(M['prevalence.warn.design'], { count: designDropped });
    if (result.weightsSetToZero > 0) warn(M['prevalence.warn.weights'], { count: result.weightsSetToZero });
    const unreadable =
      issues.unknownSex + issues.badAge + issues.badWeight + issues.badLenhei + issues.unknownMeasure +
      issues.unknownOedema + issues.badSamplingWeight + result.invalidWealthValues;
    if (unreadable > 0) {
      warn(M['prevalence.warn.values'], {
        sex: issues.unknownSex,
        age: issues.badAge,
        weight: issues.badWeight,
        lenhei: issues.badLenhei,
        measure: issues.unknownMeasure,
        oedema: issues.unknownOedema,
        sw: issues.badSamplingWeight,
        wealth: result.invalidWealthValues,
      });
    }

    let text: string;
    if (opts.format === 'csv') {
      text = csvLine(PREVALENCE_COLUMNS);
      for (const row of result.rows) text += csvLine([row.group, ...Array.from(row.values, fmt)]);
    } else {
      text =
        JSON.stringify(
          {
            design: result.design,
            rowsRead,
            rowsUsed: result.rowsUsed,
            excluded: result.excluded,
            weightsSetToZero: result.weightsSetToZero,
            df: result.df,
            psuCount: result.psuCount,
            strataCount: result.strataCount,
            records: prevalenceRecords(result),
          },
          null,
          1,
        ) + '\n';
    }
    if (opts.output === undefined) io.stdout.write(text);
    else {
      const outPath = resolve(io.cwd, opts.output);
      try {
        await writeFile(outPath, text);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new AppError('file_unwritable', M['prevalence.cannotWrite'], { file: opts.output, reason }, { cause: err });
      }
    }
    warn(M['prevalence.done'], {
      rows: rowsRead,
      used: result.rowsUsed,
      design: result.design,
      df: result.df.prevalence,
    });
    return 0;
  },
};

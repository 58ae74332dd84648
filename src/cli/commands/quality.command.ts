import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { csvLine, readCsvRecords } from '../../common/csv.js';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { finiteOrNull, LONG_FORM_COLUMNS, plausibilityJson, plausibilityLongRows } from '../../quality/long-form.js';
import { DEFAULT_PLAUSIBILITY_OPTIONS, plausibilityByGroup, type PlausibilityOptions } from '../../quality/plausibility.js';
import { QUALITY_COLUMN_ALIASES, QualityTableBuilder } from '../../quality/quality-input.js';
import { validityScore } from '../../quality/validity.js';
import type { CliCommand } from '../command.js';

const M = defineMessages({
  'quality.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh quality IN.csv [--by KOLOM[,KOLOM]] [--format csv|json] [--cluster KOLOM] [--flags who|smart] [--age-ratio 0.85]',
    en: 'Wrong arguments. Usage: tumbuh quality IN.csv [--by COL[,COL]] [--format csv|json] [--cluster COL] [--flags who|smart] [--age-ratio 0.85]',
  },
  'quality.cannotRead': {
    id: 'Berkas tidak dapat dibaca: {file} ({reason})',
    en: 'File cannot be read: {file} ({reason})',
  },
  'quality.empty': { id: 'Berkas kosong: {file}', en: 'File is empty: {file}' },
  'quality.missingColumns': {
    id: 'Kolom wajib tidak ada di {file}: {columns}. Perlu: sex (1/2 atau L/P), age_months (atau age dalam hari){by}.',
    en: 'Required columns missing in {file}: {columns}. Needed: sex (1/2 or L/P), age_months (or age in days){by}.',
  },
  'quality.unreadableCells': {
    id: 'Peringatan: {count} sel kolom {column} tidak terbaca sebagai angka/kode dan dianggap kosong',
    en: 'Warning: {count} cells of column {column} are not a readable number/code and count as missing',
  },
  'quality.ungrouped': {
    id: 'Peringatan: {count} baris tanpa nilai kolom kelompok dilewati',
    en: 'Warning: {count} rows without a value in the grouping column were left out',
  },
  'quality.done': {
    id: 'quality: {rows} baris, {groups} kelompok',
    en: 'quality: {rows} rows, {groups} groups',
  },
});

const HELP = `tumbuh quality IN.csv [--by KOLOM[,KOLOM]] [--format csv|json] [--cluster KOLOM]
                [--flags who|smart] [--age-ratio 0.85]

Statistik kelayakan (plausibility) data antropometri per kelompok, dengan definisi SMART dan
paket R nipnTK: skor preferensi digit (berat, tinggi, LiLA), uji rasio umur, uji rasio jenis
kelamin, skewness/kurtosis z-score, penumpukan umur; lalu milik Tumbuh: laju flag, SD z-score
tersensor, sebaran kasus antar-klaster (uji Poisson), nilai gabungan gaya ENA dan skor validitas
0–100 (memperhitungkan jumlah anak) dengan masalah dan saran perbaikan (di JSON).
Plausibility statistics of anthropometric data per group, as SMART and the R package nipnTK
define them, then Tumbuh's own: flag rate, censored z-score SD, dispersion of cases across
clusters (Poisson test), an ENA-style overall grade and a 0–100 validity score (aware of the
group's size) with problems and suggested fixes (in JSON).

Masukan / Input (nama kolom tanpa membedakan huruf besar/kecil / column names, any case):
  sex          ${QUALITY_COLUMN_ALIASES.sex.join(', ')}  (1/2, L/P, m/f)        wajib / required
  age_months   ${QUALITY_COLUMN_ALIASES.ageMonths.join(', ')}  (bulan / months)   wajib, atau / required, or
  age          ${QUALITY_COLUMN_ALIASES.ageDays.join(', ')}  (hari / days)
  weight       ${QUALITY_COLUMN_ALIASES.weight.join(', ')}  (kg)
  height       ${QUALITY_COLUMN_ALIASES.height.join(', ')}  (cm)
  muac         ${QUALITY_COLUMN_ALIASES.muac.join(', ')}  (mm)
  whz/haz/waz  ${[...QUALITY_COLUMN_ALIASES.whz, ...QUALITY_COLUMN_ALIASES.haz, ...QUALITY_COLUMN_ALIASES.waz].join(', ')}
  oedema       ${QUALITY_COLUMN_ALIASES.oedema.join(', ')}  (y/n)

Keluaran / Output: CSV panjang / long CSV group,test,variable,statistic,value (nama nipnTK /
nipnTK's names), atau / or JSON (--format json).

Opsi / Options:
  --by KOLOM[,KOLOM]   kolom pengelompokan, mis. posyandu,bulan (bawaan: satu kelompok "all") /
                       grouping columns, e.g. posyandu,month (default: one group "all")
  --format csv|json    bentuk keluaran (bawaan csv) / output format (default csv)
  --cluster KOLOM      klaster untuk uji sebaran kasus, mis. posyandu / clusters for the
                       dispersion test, e.g. posyandu
  --flags who|smart    aturan flag untuk sensor z-score (bawaan who) / flag rule (default who)
  --age-ratio R        rasio umur 6–29 : 30–59 bulan yang diharapkan (bawaan 0.85) / expected ratio
  -h, --help           bantuan ini / this help

Kode keluar / exit code: 0 = selesai / done; 2 = argumen salah, berkas tidak terbaca atau kolom
wajib tidak ada / wrong arguments, unreadable file or required columns missing.
`;

interface Options {
  input: string;
  by: string[];
  format: 'csv' | 'json';
  cluster?: string;
  flags: 'who' | 'smart';
  ageRatio: number;
}

function parseArgs(args: string[]): Options | 'help' {
  const usage = () => new AppError('usage', M['quality.usage']);
  let input: string | undefined;
  const opts: Omit<Options, 'input'> = { by: [], format: 'csv', flags: 'who', ageRatio: DEFAULT_PLAUSIBILITY_OPTIONS.ageRatio };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      if (i + 1 >= args.length) throw usage();
      return args[++i];
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--by') opts.by = next().split(',').map((s) => s.trim()).filter((s) => s !== '');
    else if (a === '--format') {
      const f = next();
      if (f !== 'csv' && f !== 'json') throw usage();
      opts.format = f;
    } else if (a === '--cluster') opts.cluster = next();
    else if (a === '--flags') {
      const f = next();
      if (f !== 'who' && f !== 'smart') throw usage();
      opts.flags = f;
    } else if (a === '--age-ratio') {
      const r = Number(next());
      if (!(r > 0) || !Number.isFinite(r)) throw usage();
      opts.ageRatio = r;
    } else if (a.startsWith('-') && a !== '-') throw usage();
    else if (input === undefined) input = a;
    else throw usage();
  }
  if (input === undefined) throw usage();
  return { input, ...opts };
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export const qualityCommand: CliCommand = {
  name: 'quality',
  async run(args, io) {
    const opts = parseArgs(args);
    if (opts === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    const path = resolve(io.cwd, opts.input);
    const unreadable = (err: unknown) => {
      const e = err as NodeJS.ErrnoException;
      return new AppError('file_unreadable', M['quality.cannotRead'], { file: opts.input, reason: e.code ?? e.message }, { cause: err });
    };
    try {
      const st = await stat(path);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    } catch (err) {
      throw unreadable(err);
    }
    let table: QualityTableBuilder | undefined;
    try {
      for await (const block of readCsvRecords(createReadStream(path, { highWaterMark: 256 * 1024 }))) {
        let from = 0;
        if (table === undefined) {
          table = new QualityTableBuilder(block[0].fields, opts.by, opts.cluster);
          if (!table.usable) {
            const p = table.problems;
            const columns = [...p.missing, ...p.unknownBy, ...(p.unknownCluster ? [p.unknownCluster] : [])].join(', ');
            const by = opts.by.length > 0 || opts.cluster ? `, ${[...opts.by, ...(opts.cluster ? [opts.cluster] : [])].join(', ')}` : '';
            throw new AppError('missing_columns', M['quality.missingColumns'], { file: opts.input, columns, by });
          }
          from = 1;
        }
        for (let i = from; i < block.length; i++) table.push(block[i].fields);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw unreadable(err);
    }
    if (table === undefined) throw new AppError('file_empty', M['quality.empty'], { file: opts.input });

    for (const [column, count] of Object.entries(table.unreadable)) {
      io.stderr.write(bilingualLine(M['quality.unreadableCells'], { column, count }) + '\n');
    }
    if (table.ungrouped > 0) io.stderr.write(bilingualLine(M['quality.ungrouped'], { count: table.ungrouped }) + '\n');

    const { columns, grouping } = table.build();
    const options: Partial<PlausibilityOptions> = { flagSystem: opts.flags, ageRatio: opts.ageRatio };
    const results = plausibilityByGroup(columns, grouping, options).map((g) => ({
      ...g,
      validity: validityScore({ plausibility: g.result }),
    }));
    if (opts.format === 'json') {
      const doc = {
        by: opts.by,
        cluster: opts.cluster ?? null,
        options: { flagSystem: opts.flags, ageRatio: opts.ageRatio },
        groups: results.map((g) => plausibilityJson(g.group, g.result, g.validity)),
      };
      await write(io.stdout, JSON.stringify(doc, finiteOrNull, 2) + '\n');
    } else {
      await write(io.stdout, csvLine([...LONG_FORM_COLUMNS]));
      for (const g of results) {
        let text = '';
        for (const r of plausibilityLongRows(g.group, g.result, g.validity)) text += csvLine([r.group, r.test, r.variable, r.statistic, r.value]);
        await write(io.stdout, text);
      }
    }
    io.stderr.write(bilingualLine(M['quality.done'], { rows: table.rows, groups: results.length }) + '\n');
    return 0;
  },
};

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
import { writeFile } from 'node:fs/promises';
import { defaultWritePathDeps } from '../../db/growth-columns.js';
import { openDatabase } from '../../db/connection.js';
import { listCandidates, listMerges, mergeChildren, rejectCandidate, undoMerge } from '../../quality/duplicate-merge.service.js';
import { buildQualityReport, qualityReportCsv, renderQualityReportText, renderQualityReportXlsx } from '../../quality/quality-report.js';
import { eppgbmDisagreementsByPosyandu, refreshDuplicateCandidates, scoreValidity } from '../../quality/quality.service.js';
import { currentLang, t } from '../../common/i18n.js';
import type { CliCommand, CliIO } from '../command.js';
import { optionTokens } from '../options.js';

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
  'quality.db.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh quality score [--month YYYY-MM | --all] [--kabupaten KODE] | report --month YYYY-MM [--format text|json|csv|xlsx] [--out BERKAS] [--lang id|en] | duplicates [--desa KODE] [--status usulan|digabung|ditolak] [--find] | duplicates merge A B | duplicates undo-merge ID | duplicates reject ID | duplicates merges | eppgbm [--month YYYY-MM]',
    en: 'Wrong arguments. Usage: tumbuh quality score [--month YYYY-MM | --all] [--kabupaten CODE] | report --month YYYY-MM [--format text|json|csv|xlsx] [--out FILE] [--lang id|en] | duplicates [--desa CODE] [--status usulan|digabung|ditolak] [--find] | duplicates merge A B | duplicates undo-merge ID | duplicates reject ID | duplicates merges | eppgbm [--month YYYY-MM]',
  },
  'quality.db.scored': {
    id: 'Skor validitas {kab}: {months} bulan, {posyandu} posyandu-bulan, {desa} desa-bulan, {puskesmas} puskesmas-bulan dinilai; {measurements} pengukuran dibaca; {candidates} usulan data ganda; {seconds} detik',
    en: 'Validity scores {kab}: {months} months, {posyandu} posyandu-months, {desa} village-months, {puskesmas} puskesmas-months scored; {measurements} measurements read; {candidates} duplicate candidates; {seconds} s',
  },
  'quality.db.xlsxNeedsOut': { id: '--format xlsx perlu --out BERKAS.xlsx', en: '--format xlsx needs --out FILE.xlsx' },
  'quality.db.written': { id: 'Ditulis: {file}', en: 'Written: {file}' },
  'quality.db.found': {
    id: 'Pencarian data ganda: {found} pasangan ditemukan, {added} baru, {removed} usulan lama hilang; {open} usulan terbuka',
    en: 'Duplicate search: {found} pairs found, {added} new, {removed} old proposals gone; {open} open proposals',
  },
  'quality.db.candidate': {
    id: '#{id} [{status}] skor {score} ({level}: {reasons}) — anak {a} «{nameA}», lahir {birthA}, ibu {motherA}, {mA} ukur | anak {b} «{nameB}», lahir {birthB}, ibu {motherB}, {mB} ukur',
    en: '#{id} [{status}] score {score} ({level}: {reasons}) — child {a} «{nameA}», born {birthA}, mother {motherA}, {mA} measurements | child {b} «{nameB}», born {birthB}, mother {motherB}, {mB} measurements',
  },
  'quality.db.noCandidates': { id: 'Tidak ada usulan data ganda', en: 'No duplicate candidates' },
  'quality.db.merged': {
    id: 'Digabung (penggabungan #{mergeId}): anak {merged} ke anak {survivor}; {measurements} pengukuran dan {services} layanan dipindah{growth}. Batalkan: tumbuh quality duplicates undo-merge {mergeId}',
    en: 'Merged (merge #{mergeId}): child {merged} into child {survivor}; {measurements} measurements and {services} services moved{growth}. Undo: tumbuh quality duplicates undo-merge {mergeId}',
  },
  'quality.db.growth': { id: ', z-score dihitung ulang', en: ', z-scores recomputed' },
  'quality.db.undone': {
    id: 'Penggabungan #{mergeId} dibatalkan: {measurements} pengukuran dan {services} layanan kembali ke anak {merged}',
    en: 'Merge #{mergeId} undone: {measurements} measurements and {services} services back to child {merged}',
  },
  'quality.db.rejected': { id: 'Usulan #{id} ditolak (bukan anak yang sama)', en: 'Candidate #{id} rejected (not the same child)' },
  'quality.db.merge': {
    id: '#{id}: anak {merged} → anak {survivor}, {at}, {items} data{undone}',
    en: '#{id}: child {merged} → child {survivor}, {at}, {items} records{undone}',
  },
  'quality.db.mergeUndone': { id: ' (dibatalkan {at})', en: ' (undone {at})' },
  'quality.db.eppgbm': {
    id: '{posyandu} (desa {desa}): {disagree} dari {compared} pengukuran impor berbeda (BB/U {zwei}, TB/U {zlen}, BB/TB {zwfl}, status {status})',
    en: '{posyandu} (village {desa}): {disagree} of {compared} imported measurements differ (WAZ {zwei}, HAZ {zlen}, WHZ {zwfl}, status {status})',
  },
  'quality.db.noEppgbm': {
    id: 'Tidak ada pengukuran impor e-PPGBM dengan z-score/status e-PPGBM untuk dibandingkan',
    en: 'No e-PPGBM imported measurements with e-PPGBM z-scores/status to compare',
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

Subperintah basis data / database subcommands (skor validitas tersimpan, laporan, data ganda,
e-PPGBM / stored validity scores, report, duplicates, e-PPGBM): tumbuh quality score --help

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
  for (const { arg: a, value: next } of optionTokens(args, usage)) {
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
    if (args[0] !== undefined && DB_SUBCOMMANDS.has(args[0])) return runDbSubcommand(args[0], args.slice(1), io);
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

const DB_SUBCOMMANDS = new Set(['score', 'report', 'duplicates', 'eppgbm']);

const DB_HELP = `tumbuh quality score [--month YYYY-MM | --all] [--kabupaten KODE]
tumbuh quality report --month YYYY-MM [--format text|json|csv|xlsx] [--out BERKAS] [--lang id|en] [--limit N]
tumbuh quality duplicates [--desa KODE] [--status usulan|digabung|ditolak] [--find] [--format text|json]
tumbuh quality duplicates merge A B | undo-merge ID | reject ID | merges
tumbuh quality eppgbm [--month YYYY-MM] [--format text|json]

score      menghitung dan menyimpan skor validitas (0–100) tiap posyandu, desa dan puskesmas per
           bulan (bawaan: semua bulan) / computes and stores the validity score of every posyandu,
           village and puskesmas per month (default: every month)
report     daftar posyandu, yang paling tidak valid dulu, dengan masalah dan saran perbaikan /
           posyandu, least valid first, with problems and suggested fixes
duplicates usulan data ganda untuk ditinjau petugas gizi puskesmas (--find mencari ulang);
           merge A B menggabungkan anak B ke anak A (tidak ada data yang dihapus; dapat dibatalkan)
           / duplicate candidates for the puskesmas nutrition officer (--find searches again);
           merge A B merges child B into child A (nothing deleted; undoable)
eppgbm     pengukuran impor yang z-score/statusnya di e-PPGBM berbeda dari WHO, per posyandu /
           imported measurements whose e-PPGBM z-score/status differ from WHO's, per posyandu
`;

interface DbOptions {
  positional: string[];
  month?: string;
  all: boolean;
  kabupaten?: string;
  desa?: string;
  status?: 'usulan' | 'digabung' | 'ditolak';
  format: string;
  out?: string;
  lang?: 'id' | 'en';
  limit?: number;
  find: boolean;
}

function parseDbArgs(args: string[]): DbOptions | 'help' {
  const usage = () => new AppError('usage', M['quality.db.usage']);
  const o: DbOptions = { positional: [], all: false, format: 'text', find: false };
  for (const { arg: a, value: next } of optionTokens(args, usage)) {
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--month') {
      o.month = next();
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw usage();
    } else if (a === '--all') o.all = true;
    else if (a === '--find') o.find = true;
    else if (a === '--kabupaten') {
      o.kabupaten = next();
      if (!/^\d{2}\.\d{2}$/.test(o.kabupaten)) throw usage();
    } else if (a === '--desa') {
      o.desa = next();
      if (!/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(o.desa)) throw usage();
    } else if (a === '--status') {
      const s = next();
      if (s !== 'usulan' && s !== 'digabung' && s !== 'ditolak') throw usage();
      o.status = s;
    } else if (a === '--format') o.format = next();
    else if (a === '--out') o.out = next();
    else if (a === '--lang') {
      const l = next();
      if (l !== 'id' && l !== 'en') throw usage();
      o.lang = l;
    } else if (a === '--limit') {
      o.limit = Number(next());
      if (!Number.isInteger(o.limit) || o.limit < 1) throw usage();
    } else if (a.startsWith('-')) throw usage();
    else o.positional.push(a);
  }
  if (o.month && o.all) throw usage();
  return o;
}

function positiveId(s: string | undefined): number {
  const n = Number(s);
  if (!s || !Number.isSafeInteger(n) || n <= 0) throw new AppError('usage', M['quality.db.usage']);
  return n;
}

async function runDbSubcommand(sub: string, args: string[], io: CliIO): Promise<number> {
  const o = parseDbArgs(args);
  if (o === 'help') {
    io.stdout.write(DB_HELP);
    return 0;
  }
  const usage = () => new AppError('usage', M['quality.db.usage']);
  const formats: Record<string, string[]> = { score: ['text', 'json'], report: ['text', 'json', 'csv', 'xlsx'], duplicates: ['text', 'json'], eppgbm: ['text', 'json'] };
  if (!formats[sub].includes(o.format)) throw usage();
  if (sub === 'report' && !o.month) throw usage();
  if (sub === 'report' && o.format === 'xlsx' && !o.out) throw new AppError('usage', M['quality.db.xlsxNeedsOut']);
  const action = sub === 'duplicates' ? (o.positional[0] ?? 'list') : 'run';
  if (sub === 'duplicates' && !['list', 'merge', 'undo-merge', 'reject', 'merges'].includes(action)) throw usage();
  if (sub !== 'duplicates' && o.positional.length > 0) throw usage();
  const lang = o.lang ?? currentLang();
  const out = (text: string) => write(io.stdout, text);
  const handle = await openDatabase({ env: io.env, cwd: io.cwd });
  try {
    const db = handle.db;
    if (sub === 'score') {
      const results = await scoreValidity(db, { kabupatenCode: o.kabupaten, months: o.month ? [o.month] : undefined });
      if (o.format === 'json') await out(JSON.stringify(results) + '\n');
      else {
        for (const r of results) {
          await out(bilingualLine(M['quality.db.scored'], {
            kab: r.kabupatenCode, months: r.months.length, posyandu: r.scored.posyandu, desa: r.scored.desa, puskesmas: r.scored.puskesmas,
            measurements: r.measurementsRead, candidates: r.duplicateCandidates, seconds: r.seconds.total.toFixed(1),
          }) + '\n');
        }
      }
      return 0;
    }
    if (sub === 'report') {
      const report = await buildQualityReport(db, { month: o.month as string, kabupatenCode: o.kabupaten });
      if (o.format === 'xlsx') {
        const file = resolve(io.cwd, o.out as string);
        await writeFile(file, await renderQualityReportXlsx(report, lang));
        io.stderr.write(bilingualLine(M['quality.db.written'], { file }) + '\n');
        return 0;
      }
      const text = o.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : o.format === 'csv' ? qualityReportCsv(report) : renderQualityReportText(report, lang, o.limit);
      if (o.out) {
        const file = resolve(io.cwd, o.out);
        await writeFile(file, text);
        io.stderr.write(bilingualLine(M['quality.db.written'], { file }) + '\n');
      } else await out(text);
      return 0;
    }
    if (sub === 'eppgbm') {
      const rows = await eppgbmDisagreementsByPosyandu(db, { kabupatenCode: o.kabupaten, month: o.month });
      if (o.format === 'json') await out(JSON.stringify(rows, null, 2) + '\n');
      else if (rows.length === 0) await out(t(M['quality.db.noEppgbm'], {}, lang) + '\n');
      else {
        for (const r of rows) {
          await out(t(M['quality.db.eppgbm'], {
            posyandu: r.posyandu, desa: r.desa, disagree: r.disagreements, compared: r.compared, zwei: r.zweiDiffers, zlen: r.zlenDiffers, zwfl: r.zwflDiffers, status: r.statusDiffers,
          }, lang) + '\n');
        }
      }
      return 0;
    }
    // duplicates
    const actor = { userId: null };
    if (action === 'merge') {
      if (o.positional.length !== 3) throw usage();
      const r = await mergeChildren(db, defaultWritePathDeps(), positiveId(o.positional[1]), positiveId(o.positional[2]), actor);
      await out(bilingualLine(M['quality.db.merged'], {
        mergeId: r.mergeId, merged: r.mergedId, survivor: r.survivorId, measurements: r.measurementsMoved, services: r.servicesMoved,
        growth: r.growthRecomputed ? t(M['quality.db.growth'], {}, lang) : '',
      }) + '\n');
      return 0;
    }
    if (action === 'undo-merge') {
      if (o.positional.length !== 2) throw usage();
      const r = await undoMerge(db, defaultWritePathDeps(), positiveId(o.positional[1]), actor);
      await out(bilingualLine(M['quality.db.undone'], { mergeId: r.mergeId, measurements: r.measurementsMoved, services: r.servicesMoved, merged: r.mergedId }) + '\n');
      return 0;
    }
    if (action === 'reject') {
      if (o.positional.length !== 2) throw usage();
      const id = positiveId(o.positional[1]);
      await rejectCandidate(db, id, actor);
      await out(bilingualLine(M['quality.db.rejected'], { id }) + '\n');
      return 0;
    }
    if (action === 'merges') {
      const merges = await listMerges(db, o.kabupaten);
      if (o.format === 'json') await out(JSON.stringify(merges, null, 2) + '\n');
      else {
        for (const m of merges) {
          await out(t(M['quality.db.merge'], {
            id: m.id, merged: m.mergedId, survivor: m.survivorId, at: m.mergedAt.toISOString().slice(0, 16), items: m.items,
            undone: m.undoneAt ? t(M['quality.db.mergeUndone'], { at: m.undoneAt.toISOString().slice(0, 16) }, lang) : '',
          }, lang) + '\n');
        }
      }
      return 0;
    }
    if (o.positional.length > 1) throw usage();
    if (o.find) {
      const kabs = o.kabupaten ? [o.kabupaten] : (await handle.pool.query<{ k: string }>('SELECT DISTINCT kabupaten_code AS k FROM child ORDER BY 1')).rows.map((r) => r.k);
      for (const kab of kabs) {
        const r = await refreshDuplicateCandidates(db, kab, { desaCode: o.desa });
        io.stderr.write(bilingualLine(M['quality.db.found'], r) + '\n');
      }
    }
    const list = await listCandidates(db, { kabupatenCode: o.kabupaten, desaCode: o.desa, status: o.status });
    if (o.format === 'json') await out(JSON.stringify(list, null, 2) + '\n');
    else if (list.length === 0) await out(t(M['quality.db.noCandidates'], {}, lang) + '\n');
    else {
      for (const c of list) {
        await out(t(M['quality.db.candidate'], {
          id: c.id, status: c.status, score: c.score.toFixed(3), level: c.level, reasons: c.reasons.join(', '), a: c.childA, b: c.childB,
          nameA: c.nameA, nameB: c.nameB, birthA: c.birthA, birthB: c.birthB, motherA: c.motherA ?? '–', motherB: c.motherB ?? '–',
          mA: c.measurementsA, mB: c.measurementsB,
        }, lang) + '\n');
      }
    }
    return 0;
  } finally {
    await handle.close();
  }
}

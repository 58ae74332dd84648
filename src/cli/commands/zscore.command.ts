import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { detectDelimiter, readCsvRecords } from '../../common/csv.js';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { ZSCORE_COLUMN_ALIASES, ZSCORE_OUTPUT_COLUMNS, ZscoreCsv } from '../../growth/zscore-csv.js';
import { loadGrowthEngine } from '../../reference/who-tables.js';
import type { CliCommand, CliIO } from '../command.js';

const M = defineMessages({
  'zscore.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh zscore IN.csv [-o OUT.csv] [--age-unit days|months]',
    en: 'Wrong arguments. Usage: tumbuh zscore IN.csv [-o OUT.csv] [--age-unit days|months]',
  },
  'zscore.cannotRead': {
    id: 'Berkas tidak dapat dibaca: {file} ({reason})',
    en: 'File cannot be read: {file} ({reason})',
  },
  'zscore.cannotWrite': {
    id: 'Berkas keluaran tidak dapat ditulis: {file} ({reason})',
    en: 'Output file cannot be written: {file} ({reason})',
  },
  'zscore.sameFile': {
    id: 'Berkas keluaran sama dengan berkas masukan: {file}',
    en: 'Output file is the input file: {file}',
  },
  'zscore.empty': { id: 'Berkas kosong: {file}', en: 'File is empty: {file}' },
  'zscore.noColumns': {
    id: 'Kolom tidak dikenali di {file}: perlu kolom jenis kelamin (sex/jk) dan minimal satu ukuran (weight/bb, lenhei/tb, headc, armc/lila, triskin, subskin).',
    en: 'No recognisable columns in {file}: a sex column (sex/jk) and at least one measurement (weight/bb, lenhei/tb, headc, armc/lila, triskin, subskin) are needed.',
  },
  'zscore.done': {
    id: 'zscore: {rows} baris, {computed} dihitung, {errors} baris dengan galat',
    en: 'zscore: {rows} rows, {computed} computed, {errors} rows with errors',
  },
  'zscore.progress': { id: 'baris', en: 'rows' },
});

const HELP = `tumbuh zscore IN.csv [-o OUT.csv] [--age-unit days|months]

Menghitung z-score Standar Pertumbuhan Anak WHO persis seperti WHO anthro (anthro_zscores),
ditambah status gizi Permenkes 2/2020. / Computes WHO Child Growth Standards z-scores exactly as
WHO anthro (anthro_zscores) does, plus the Permenkes 2/2020 nutritional status.

Masukan / Input: CSV dipisah koma atau titik koma; desimal titik atau koma; sel kosong atau NA =
tidak ada. Nama kolom tanpa membedakan huruf besar/kecil / comma- or semicolon-separated;
decimal point or comma; empty cell or NA = missing. Column names, case-insensitive:
${(Object.keys(ZSCORE_COLUMN_ALIASES) as (keyof typeof ZSCORE_COLUMN_ALIASES)[])
  .map((k) => `  ${ZSCORE_COLUMN_ALIASES[k].join(', ')}`)
  .join('\n')}
  Kode / codes: sex 1/2, m/f, L/P (laki-laki/perempuan); measure L/H, Telentang/Berdiri;
  oedema y/n, 1/2, ya/tidak. Berat kg, panjang/tinggi/lingkar cm, lipatan kulit mm /
  weight kg, length/height/circumferences cm, skinfolds mm.
  Umur / age: kolom age (hari, atau bulan dengan --age-unit months) atau tgl_lahir + tgl_ukur
  (yyyy-mm-dd atau dd/mm/yyyy); tanggal diutamakan bila keduanya ada / the age column (days, or
  months with --age-unit months) or tgl_lahir + tgl_ukur; the dates win when both are filled.

Keluaran / Output: semua kolom masukan apa adanya, lalu / every input column unchanged, then
  ${ZSCORE_OUTPUT_COLUMNS.join(', ')}
  (kosong = tidak ada / empty = missing). Baris yang salah tetap ditulis dengan alasan di kolom
  error / bad rows are still written, with the reason in the error column.

Opsi / Options:
  -o, --output OUT.csv      tulis ke berkas (bawaan: stdout) / write to a file (default: stdout)
  --age-unit days|months    satuan kolom age (bawaan: days) / unit of the age column (default: days)
  -h, --help                bantuan ini / this help

Kode keluar / exit code: 0 = berkas diproses (termasuk baris salah) / file processed (bad rows
included); 2 = berkas tidak dapat dibaca atau kolom tidak dikenali / file unreadable or no
recognisable columns.
`;

interface Options {
  input: string;
  output?: string;
  ageInMonths: boolean;
}

function parseArgs(args: string[]): Options | 'help' {
  let input: string | undefined;
  let output: string | undefined;
  let ageUnit = 'days';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '-o' || a === '--output') {
      if (i + 1 >= args.length) throw new AppError('usage', M['zscore.usage']);
      output = args[++i];
    } else if (a.startsWith('--output=')) output = a.slice(9);
    else if (a === '--age-unit') {
      if (i + 1 >= args.length) throw new AppError('usage', M['zscore.usage']);
      ageUnit = args[++i];
    } else if (a.startsWith('--age-unit=')) ageUnit = a.slice(11);
    else if (a.startsWith('-') && a !== '-') throw new AppError('usage', M['zscore.usage']);
    else if (input === undefined) input = a;
    else throw new AppError('usage', M['zscore.usage']);
  }
  if (input === undefined || (ageUnit !== 'days' && ageUnit !== 'months')) throw new AppError('usage', M['zscore.usage']);
  return { input, output: output === '-' ? undefined : output, ageInMonths: ageUnit === 'months' };
}

/** Chunks of the file, counting bytes for the progress bar. */
async function* counted(path: string, progress: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    progress.bytes += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
}

/** Reads until the first line end so the delimiter is known before the first block. */
async function* withDelimiter(
  source: AsyncGenerator<Buffer>,
  found: { delimiter?: ReturnType<typeof detectDelimiter> },
): AsyncGenerator<Buffer> {
  const held: Buffer[] = [];
  for await (const chunk of source) {
    if (found.delimiter === undefined) {
      held.push(chunk);
      const all = Buffer.concat(held);
      const nl = all.indexOf(10);
      if (nl < 0) continue;
      found.delimiter = detectDelimiter(all.subarray(0, nl).toString('utf8'));
      held.length = 0;
      yield all;
    } else yield chunk;
  }
  if (held.length > 0) {
    const all = Buffer.concat(held);
    found.delimiter = detectDelimiter(all.toString('utf8'));
    yield all;
  }
}

function progressBar(io: CliIO, progress: { bytes: number; rows: number }, total: number): () => void {
  if (!io.stderr.isTTY) return () => {};
  const draw = () => {
    const frac = total > 0 ? Math.min(1, progress.bytes / total) : 0;
    const width = 30;
    const done = Math.round(frac * width);
    io.stderr.write(
      `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${Math.round(frac * 100)}% ${progress.rows} ${bilingualLine(M['zscore.progress'])}`,
    );
  };
  const timer = setInterval(draw, 200);
  return () => {
    clearInterval(timer);
    draw();
    io.stderr.write('\n');
  };
}

async function write(stream: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * `tumbuh zscore IN.csv [-o OUT.csv] [--age-unit days|months]`: WHO anthro z-scores for a CSV file,
 * streamed in blocks through the batch engine; exit 0 when processed, 2 when unreadable.
 * @see ALGORITHM.md §12, src/growth/zscore-csv.ts
 */
export const zscoreCommand: CliCommand = {
  name: 'zscore',
  async run(args, io) {
    const opts = parseArgs(args);
    if (opts === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    const inPath = resolve(io.cwd, opts.input);
    let size: number;
    try {
      const st = await stat(inPath);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      size = st.size;
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new AppError('file_unreadable', M['zscore.cannotRead'], { file: opts.input, reason }, { cause: err });
    }
    const outPath = opts.output === undefined ? undefined : resolve(io.cwd, opts.output);
    if (outPath === inPath) throw new AppError('usage', M['zscore.sameFile'], { file: opts.input });

    const engine = loadGrowthEngine();
    const progress = { bytes: 0, rows: 0 };
    const found: { delimiter?: ReturnType<typeof detectDelimiter> } = {};
    let csv: ZscoreCsv | undefined;
    let out: NodeJS.WritableStream | undefined;
    let outError: Error | undefined;
    let stopBar = () => {};
    try {
      for await (const block of readCsvRecords(withDelimiter(counted(inPath, progress), found), undefined)) {
        let records = block;
        if (csv === undefined) {
          csv = new ZscoreCsv(engine, block[0].fields, found.delimiter ?? ',', opts.ageInMonths);
          if (!csv.usable) throw new AppError('no_columns', M['zscore.noColumns'], { file: opts.input });
          if (outPath !== undefined) {
            const file = createWriteStream(outPath);
            file.on('error', (e) => (outError = e));
            await Promise.race([once(file, 'open'), once(file, 'error')]);
            if (outError) throw outError;
            out = file;
          } else out = io.stdout;
          stopBar = progressBar(io, progress, size);
          await write(out, csv.headerLine());
          records = block.slice(1);
        }
        if (records.length === 0) continue;
        const text = csv.processBlock(records);
        progress.rows = csv.stats.rows;
        await write(out!, text);
        if (outError) throw outError;
      }
    } catch (err) {
      stopBar();
      if (err instanceof AppError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (outError || (outPath !== undefined && e.syscall === 'open' && e.path === outPath)) {
        throw new AppError('file_unwritable', M['zscore.cannotWrite'], { file: opts.output, reason: e.code ?? e.message }, { cause: err });
      }
      throw new AppError('file_unreadable', M['zscore.cannotRead'], { file: opts.input, reason: e.code ?? e.message }, { cause: err });
    }
    stopBar();
    if (csv === undefined) throw new AppError('file_empty', M['zscore.empty'], { file: opts.input });
    if (out !== undefined && out !== io.stdout) {
      out.end();
      await once(out, 'finish');
    }
    const s = csv.stats;
    io.stderr.write(bilingualLine(M['zscore.done'], { rows: s.rows, computed: s.computed, errors: s.withErrors }) + '\n');
    return 0;
  },
};

import { sql } from 'kysely';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages, tBoth } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { runAnalyticsJob } from '../../analytics/analytics.job.js';
import { loadAnalyticsConfig, soleKabupaten } from '../../analytics/analytics.repo.js';
import { analyticsDb } from '../../analytics/analytics.tables.js';
import { priorityReport, type PriorityReport } from '../../analytics/priority.service.js';
import type { CliCommand, CliIO } from '../command.js';

const M = defineMessages({
  'priority.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh priority --year TAHUN [--kabupaten KODE] [--refresh] [--format text|json]',
    en: 'Wrong arguments. Usage: tumbuh priority --year YEAR [--kabupaten CODE] [--refresh] [--format text|json]',
  },
  'priority.whichKabupaten': {
    id: 'Basis data berisi beberapa kabupaten (atau belum ada anak): sebutkan --kabupaten KODE',
    en: 'The database holds several kabupaten (or no child yet): give --kabupaten CODE',
  },
  'priority.header': { id: 'Desa prioritas {kab}, tahun {year}', en: 'Priority villages of {kab}, year {year}' },
  'priority.lokus': {
    id: 'Lokus {year}: {count} desa; {inTop} di antaranya ada di {count} peringkat teratas',
    en: 'Lokus {year}: {count} villages; {inTop} of them are among the top {count} ranks',
  },
  'priority.noLokus': { id: 'Tidak ada daftar lokus untuk tahun {year}', en: 'No lokus list for {year}' },
  'priority.verify': { id: 'Verifikasi data dulu (tidak diperingkat)', en: 'Verify the data first (not ranked)' },
  'priority.noData': { id: 'Tanpa data tahun ini', en: 'No data this year' },
  'priority.lokusMark': { id: 'lokus', en: 'lokus' },
});

const HELP = `tumbuh priority --year TAHUN [--kabupaten KODE] [--refresh] [--format text|json]

Indeks desa prioritas: prevalensi stunting yang dihaluskan (empirical Bayes), jumlah anak stunting,
tren, dan kesenjangan cakupan intervensi kunci, dengan bobot dari konfigurasi. Setiap peringkat
dijelaskan per komponen. Desa yang datanya tidak lolos uji validitas ditandai "verifikasi data
dulu" dan tidak diperingkat. Dibandingkan dengan daftar lokus kabupaten.
Priority-village index: shrunk stunting prevalence, number of stunted children, trend and coverage
gaps of key interventions, weighted by configuration; every rank explained component by
component; desa failing the validity check are marked "verify the data first"; compared with the
district's lokus list.

--refresh menjalankan ulang pekerjaan analitik (rollup periode, cakupan, validitas) lebih dulu;
tanpa itu dijalankan hanya bila tahun itu belum pernah dihitung. / --refresh reruns the analytics
batch first; otherwise it runs only when the year was never computed.

Kode keluar / exit code: 0 = selesai / done; 2 = argumen salah / wrong arguments.`;

interface Options {
  year: number;
  kabupaten?: string;
  refresh: boolean;
  format: 'text' | 'json';
}

function parseArgs(args: string[]): Options | 'help' {
  const usage = () => new AppError('usage', M['priority.usage']);
  let year: number | undefined;
  const o: Omit<Options, 'year'> = { refresh: false, format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      if (i + 1 >= args.length) throw usage();
      return args[++i];
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--year') {
      const v = value();
      if (!/^\d{4}$/.test(v)) throw usage();
      year = Number(v);
    } else if (a === '--kabupaten') {
      o.kabupaten = value();
      if (!/^\d{2}\.\d{2}$/.test(o.kabupaten)) throw usage();
    } else if (a === '--refresh') o.refresh = true;
    else if (a === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw usage();
      o.format = f;
    } else throw usage();
  }
  if (year === undefined) throw usage();
  return { ...o, year };
}

function printText(io: CliIO, r: PriorityReport, kabName: string): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w(bilingualLine(M['priority.header'], { kab: `${kabName} (${r.kabupatenCode})`, year: r.year }));
  w(r.lokusCount > 0
    ? bilingualLine(M['priority.lokus'], { year: r.year, count: r.lokusCount, inTop: r.lokusInTop })
    : bilingualLine(M['priority.noLokus'], { year: r.year }));
  let section: string | null = null;
  for (const row of r.rows) {
    if (row.status !== 'ranked' && section !== row.status) {
      section = row.status;
      w('');
      w(`== ${bilingualLine(row.status === 'verify_data' ? M['priority.verify'] : M['priority.noData'])} ==`);
    }
    const lokus = row.inLokus ? ` [${tBoth(M['priority.lokusMark']).id}]` : '';
    if (row.status === 'ranked') {
      w('');
      w(`${String(row.rank).padStart(3)}. ${row.name} (${row.desaCode})${lokus} — indeks / index ${(row.index as number).toFixed(1)}${row.lokusText ? ` — ${row.lokusText.id} / ${row.lokusText.en}` : ''}`);
      for (const c of row.components) {
        w(`     - ${c.text.id}`);
        w(`       ${c.text.en}`);
      }
    } else {
      w(`  ${row.name} (${row.desaCode})${lokus}: ${row.note?.id ?? ''}`);
      if (row.note) w(`    ${row.note.en}`);
    }
  }
}

/** `tumbuh priority --year Y`: the priority-village index, explained, against the lokus list. */
export const priorityCommand: CliCommand = {
  name: 'priority',
  async run(args, io) {
    const o = parseArgs(args);
    if (o === 'help') {
      io.stdout.write(HELP + '\n');
      return 0;
    }
    const handle = await openDatabase({ env: io.env, cwd: io.cwd });
    try {
      const db = analyticsDb(handle.db);
      const kab = o.kabupaten ?? (await soleKabupaten(db));
      if (!kab) throw new AppError('which_kabupaten', M['priority.whichKabupaten']);
      const computed = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM desa_validity WHERE kabupaten_code = ${kab} AND year = ${o.year}`.execute(db);
      if (o.refresh || computed.rows[0].n === 0) await runAnalyticsJob(db, kab, { years: [o.year] });
      const config = await loadAnalyticsConfig(db, kab);
      const report = await priorityReport(db, kab, o.year, config);
      if (o.format === 'json') {
        io.stdout.write(JSON.stringify(report) + '\n');
        return 0;
      }
      const kabName = (await db.selectFrom('region').select('name').where('code', '=', kab).executeTakeFirst())?.name ?? kab;
      printText(io, report, kabName);
      return 0;
    } finally {
      await handle.close();
    }
  },
};

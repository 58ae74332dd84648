import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { writeDemoCsv } from '../../demo/demo-csv.writer.js';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { planDemo } from '../../demo/demo-plan.js';
import { generateDemo } from '../../demo/demo.generator.js';
import { loadDemo, loadProvinceDemo } from '../../demo/demo.loader.js';
import { planProvince, PROVINCE_DEFAULT_CHILDREN, type ProvinceDistrict } from '../../demo/demo-province.js';
import { defaultRegionFiles, loadRegions, readRegionsCsv } from '../../reference/regions.js';
import { DEMO_DEFAULTS, type DemoOptions, type DemoTable } from '../../demo/demo.types.js';
import type { CliCommand, CliIO } from '../command.js';
import { optionTokens } from '../options.js';

const M = defineMessages({
  'demo.usage': {
    id: 'Argumen salah. Pemakaian: tumbuh demo [--children N] [--months M] [--seed S] [--end-month YYYY-MM] [--out FOLDER] [--regions BERKAS.csv] [--province KODE]',
    en: 'Wrong arguments. Usage: tumbuh demo [--children N] [--months M] [--seed S] [--end-month YYYY-MM] [--out DIR] [--regions FILE.csv] [--province CODE]',
  },
  'demo.badOption': {
    id: 'Nilai opsi tidak dapat dipakai: {reason}',
    en: 'Option value cannot be used: {reason}',
  },
  'demo.banner': { id: 'DATA SINTETIS', en: 'SYNTHETIC DATA' },
  'demo.notReal': {
    id: 'Semua orang, nama, NIK dan angka di bawah ini dibuat oleh komputer; wilayahnya asli.',
    en: 'Every person, name, NIK and figure below is computer-made; the regions are real.',
  },
  'demo.district': {
    id: '{name} ({code}): {kecamatan} kecamatan, {desa} desa/kelurahan, {puskesmas} puskesmas, {posyandu} posyandu',
    en: '{name} ({code}): {kecamatan} kecamatan, {desa} villages, {puskesmas} puskesmas, {posyandu} posyandu',
  },
  'demo.period': {
    id: 'Periode {from} s.d. {to} ({months} bulan), seed {seed}',
    en: 'Period {from} to {to} ({months} months), seed {seed}',
  },
  'demo.people': {
    id: 'Balita per bulan {balita}; anak terdaftar {children}; pengukuran {measurements}; keluarga {families}; ibu hamil/nifas, remaja putri, catin {persons}; layanan {services}',
    en: 'Under-fives per month {balita}; children registered {children}; measurements {measurements}; families {families}; pregnant/post-partum women, adolescent girls, couples-to-marry {persons}; services {services}',
  },
  'demo.faults': {
    id: 'Kesalahan data yang sengaja ditanam ({count} posyandu):',
    en: 'Data faults planted on purpose ({count} posyandu):',
  },
  'demo.written': {
    id: 'Ditulis ke {dir} ({files} berkas CSV, satu per tabel) dalam {seconds} detik',
    en: 'Written to {dir} ({files} CSV files, one per table) in {seconds} s',
  },
  'demo.province': {
    id: 'Provinsi {code}: {districts} kabupaten/kota, {children} balita per bulan dibagi menurut jumlah desa',
    en: 'Province {code}: {districts} districts, {children} under-fives per month shared out by number of villages',
  },
  'demo.loaded': {
    id: 'Dimuat ke {target} dalam {seconds} detik (satu transaksi); demo sebelumnya diganti ({replaced} baris dihapus)',
    en: 'Loaded into {target} in {seconds} s (one transaction); the earlier demo was replaced ({replaced} rows deleted)',
  },
});

const HELP = `tumbuh demo [--children N] [--months M] [--seed S] [--end-month YYYY-MM] [--out FOLDER]
            [--regions BERKAS.csv]

Membuat kabupaten sintetis yang deterministik: kecamatan dan desa asli Kotawaringin Barat,
puskesmas, posyandu, balita dengan kunjungan bulanan (pertumbuhan dari standar WHO), ibu hamil,
ibu nifas, remaja putri, catin, keluarga berisiko stunting, layanan intervensi, angka sektor,
mitra CSR, dan beberapa kesalahan data yang sengaja ditanam di posyandu tertentu (tercatat).
Builds a deterministic synthetic district: the real kecamatan and desa of Kotawaringin Barat,
puskesmas, posyandu, under-fives with monthly visits (growth drawn from the WHO standards),
pregnant and post-partum women, adolescent girls, couples-to-marry, at-risk families, services,
sector figures, CSR partners, and a few data faults planted in recorded posyandu.

Tanpa --out: dimuat ke basis data (bawaan: PostgreSQL tertanam di ./var, atau DATABASE_URL),
menggantikan demo sebelumnya. Dengan --out: satu berkas CSV per tabel, byte demi byte sama untuk
seed yang sama. / Without --out: loaded into the database (embedded by default, or DATABASE_URL),
replacing an earlier demo. With --out: one CSV file per table, byte-identical for the same seed.

Opsi / Options:
  --children N        balita yang tinggal di kabupaten pada satu bulan (bawaan ${DEMO_DEFAULTS.children}) /
                      under-fives living in the district in any one month (default ${DEMO_DEFAULTS.children})
  --months M          bulan kunjungan posyandu (bawaan ${DEMO_DEFAULTS.months}) / months of visits (default ${DEMO_DEFAULTS.months})
  --seed S            bilangan bulat (bawaan ${DEMO_DEFAULTS.seed}) / integer seed (default ${DEMO_DEFAULTS.seed})
  --end-month Y-M     bulan terakhir data (bawaan ${DEMO_DEFAULTS.endMonth}) / last month of data (default ${DEMO_DEFAULTS.endMonth})
  --out FOLDER        tulis CSV ke folder ini / write CSV files to this folder
  --regions BERKAS    wilayah lain dengan kolom code,name,level,parent_code (bawaan Kobar) /
                      another district's regions CSV (default Kobar)
  --province KODE     semua kabupaten/kota provinsi ini (62 = Kalimantan Tengah, wilayah dari
                      data/regions/kalteng-regions.csv; bawaan ${PROVINCE_DEFAULT_CHILDREN} balita) /
                      every district of this province (62 = Kalimantan Tengah; default ${PROVINCE_DEFAULT_CHILDREN} under-fives)
  -h, --help          bantuan ini / this help

Lihat / see docs/DEMO.md. Kode keluar / exit code: 0 = selesai / done; 2 = argumen salah / wrong arguments.`;

interface Options {
  children?: number;
  months?: number;
  seed?: number;
  endMonth?: string;
  out?: string;
  regions?: string;
  province?: string;
}

function parseArgs(args: string[]): Options | 'help' {
  const usage = () => new AppError('usage', M['demo.usage']);
  const opts: Options = {};
  const int = (v: string, name: string, min: number): number => {
    if (!/^-?\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      throw new AppError('bad_option', M['demo.badOption'], { reason: `${name} ${v}` });
    }
    return Number(v);
  };
  for (const { arg: a, value } of optionTokens(args, usage)) {
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--children') opts.children = int(value(), '--children', 1);
    else if (a === '--months') opts.months = int(value(), '--months', 1);
    else if (a === '--seed') opts.seed = int(value(), '--seed', Number.MIN_SAFE_INTEGER);
    else if (a === '--end-month') {
      const v = value();
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new AppError('bad_option', M['demo.badOption'], { reason: `--end-month ${v}` });
      opts.endMonth = v;
    } else if (a === '--out') opts.out = value();
    else if (a === '--regions') opts.regions = value();
    else if (a === '--province') {
      const v = value();
      if (!/^\d{2}$/.test(v)) throw new AppError('bad_option', M['demo.badOption'], { reason: `--province ${v}` });
      opts.province = v;
    }
    else throw usage();
  }
  return opts;
}

function summary(io: CliIO, options: DemoOptions, rows: Record<DemoTable, number>, regionsName: string): void {
  const plan = planDemo(options);
  const w = (line: string) => io.stdout.write(line + '\n');
  w(`*** ${bilingualLine(M['demo.banner'])} ***`);
  w(bilingualLine(M['demo.notReal']));
  w(bilingualLine(M['demo.district'], {
    name: regionsName,
    code: plan.kabupatenCode,
    kecamatan: plan.puskesmas.length,
    desa: plan.desa.length,
    puskesmas: plan.puskesmas.length,
    posyandu: plan.desa.reduce((s, d) => s + d.posyandu.length, 0),
  }));
  const month = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  w(bilingualLine(M['demo.period'], { from: month(plan.firstMonth), to: month(plan.lastMonth), months: plan.months, seed: plan.seed }));
  w(bilingualLine(M['demo.people'], {
    balita: plan.children,
    children: rows.child,
    measurements: rows.measurement,
    families: rows.family,
    persons: rows.person,
    services: rows.service,
  }));
  w(bilingualLine(M['demo.faults'], { count: plan.faults.length }));
  for (const f of plan.faults) w(`  ${f.posyanduId.padEnd(24)} ${f.kind.padEnd(18)} ${f.firstMonth}..${f.lastMonth}`);
}

/** `tumbuh demo --province CODE`: every district of the province into the database, in one transaction. */
async function runProvince(opts: Options, io: CliIO): Promise<number> {
  if (opts.out !== undefined) throw new AppError('bad_option', M['demo.badOption'], { reason: '--province with --out' });
  const regionsFile = opts.regions ? resolve(io.cwd, opts.regions) : join(dirname(defaultRegionFiles().regions), 'kalteng-regions.csv');
  const inputs = loadDemoInputs(regionsFile);
  let districts: ProvinceDistrict[];
  try {
    districts = planProvince({ ...inputs, provinceCode: opts.province as string, children: opts.children, months: opts.months, seed: opts.seed, endMonth: opts.endMonth });
    for (const d of districts) planDemo(d.options);
  } catch (err) {
    throw new AppError('bad_option', M['demo.badOption'], { reason: (err as Error).message }, { cause: err });
  }
  const handle = await openDatabase({ env: io.env, cwd: io.cwd });
  try {
    // The province's regions into the database first (an upsert: Kobar's rows are the same).
    const rows = readRegionsCsv(regionsFile);
    await handle.db.transaction().execute((trx) => loadRegions(trx, rows));
    const result = await loadProvinceDemo(handle, opts.province as string, districts.map((d) => d.options));
    const w = (text: string) => io.stdout.write(text + '\n');
    w(`*** ${bilingualLine(M['demo.banner'])} ***`);
    w(bilingualLine(M['demo.notReal']));
    w(bilingualLine(M['demo.province'], { code: opts.province, districts: districts.length, children: districts.reduce((s, d) => s + (d.options.children ?? 0), 0) }));
    for (const d of districts) {
      const plan = planDemo(d.options);
      w(bilingualLine(M['demo.district'], {
        name: d.name, code: d.kabupatenCode, kecamatan: d.kecamatan, desa: d.villages, puskesmas: plan.puskesmas.length,
        posyandu: plan.desa.reduce((s, x) => s + x.posyandu.length, 0),
      }));
    }
    w(bilingualLine(M['demo.people'], {
      balita: districts.reduce((s, d) => s + (d.options.children ?? 0), 0), children: result.rows.child, measurements: result.rows.measurement,
      families: result.rows.family, persons: result.rows.person, services: result.rows.service,
    }));
    const replaced = Object.values(result.replaced).reduce((s, n) => s + n, 0);
    w(bilingualLine(M['demo.loaded'], { target: handle.target, seconds: result.seconds.toFixed(1), replaced }));
  } finally {
    await handle.close();
  }
  return 0;
}

/** `tumbuh demo`: the synthetic district into the database, or as CSV files with --out. */
export const demoCommand: CliCommand = {
  name: 'demo',
  async run(args, io) {
    const opts = parseArgs(args);
    if (opts === 'help') {
      io.stdout.write(HELP + '\n');
      return 0;
    }
    if (opts.province !== undefined) return runProvince(opts, io);
    const inputs = loadDemoInputs(opts.regions ? resolve(io.cwd, opts.regions) : undefined);
    const options: DemoOptions = { ...inputs, children: opts.children, months: opts.months, seed: opts.seed, endMonth: opts.endMonth };
    try {
      planDemo(options);
    } catch (err) {
      throw new AppError('bad_option', M['demo.badOption'], { reason: (err as Error).message }, { cause: err });
    }
    const kab = planDemo(options).kabupatenCode;
    const kabName = inputs.regions.find((r) => r.code === kab)?.name ?? kab;
    const started = performance.now();
    if (opts.out !== undefined) {
      const dir = resolve(io.cwd, opts.out);
      const rows = await writeDemoCsv(generateDemo(options), dir);
      summary(io, options, rows, kabName);
      io.stdout.write(bilingualLine(M['demo.written'], { dir, files: Object.keys(rows).length, seconds: ((performance.now() - started) / 1000).toFixed(1) }) + '\n');
      return 0;
    }
    const handle = await openDatabase({ env: io.env, cwd: io.cwd });
    try {
      const result = await loadDemo(handle, options);
      summary(io, options, result.rows, kabName);
      const replaced = Object.values(result.replaced).reduce((s, n) => s + n, 0);
      io.stdout.write(bilingualLine(M['demo.loaded'], { target: handle.target, seconds: result.seconds.toFixed(1), replaced }) + '\n');
    } finally {
      await handle.close();
    }
    return 0;
  },
};

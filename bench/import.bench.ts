/**
 * Import benchmark: writes a 1,000,000-row e-PPGBM-format CSV (semicolon, decimal commas,
 * Indonesian dates, the official column set) and runs it through the importer: parse, validate,
 * match regions, recompute z-scores with the WHO engine. Prints one JSON line last.
 *
 * Usage: npm run bench:import [-- ROWS]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importEppgbmFile } from '../src/ingest/eppgbm-import.service.js';
import { loadRegionRecords, RegionMatcher } from '../src/ingest/region-matcher.js';
import { isoFromDay, dayNumber } from '../src/ingest/value-parsers.js';
import { loadGrowthEngine } from '../src/reference/who-tables.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const HEADER = [
  'NIK', 'Nama', 'JK', 'Tgl Lahir', 'BB Lahir', 'TB Lahir', 'Nama Ortu', 'Prov', 'Kab/Kota', 'Kec', 'Pukesmas', 'Desa/Kel',
  'Posyandu', 'RT', 'RW', 'Alamat', 'Usia Saat Ukur', 'Tanggal Pengukuran', 'Berat', 'Tinggi', 'Cara Ukur', 'LiLA', 'BB/U',
  'ZS BB/U', 'TB/U', 'ZS TB/U', 'BB/TB', 'ZS BB/TB', 'Naik Berat Badan', 'PMT Diterima (kg)', 'Jml Vit A', 'KPSP', 'KIA', 'Detail',
];
const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

async function writeFixture(path: string, rows: number): Promise<void> {
  const regions = loadRegionRecords().filter((r) => r.level === 'desa' || r.level === 'kelurahan');
  const kec = new Map(loadRegionRecords().filter((r) => r.level === 'kecamatan').map((r) => [r.code, r.name]));
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(HEADER.join(';') + '\n');
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const measureBase = dayNumber(2025, 11, 1);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const desa = regions[i % regions.length];
    const ageDays = Math.floor(rand() * 1800);
    const mday = measureBase + Math.floor(rand() * 28);
    const birth = isoFromDay(mday - ageDays).split('-');
    const measured = isoFromDay(mday).split('-');
    const ageM = ageDays / 30.4375;
    const height = (49 + ageM * 1.1 + rand() * 6).toFixed(1).replace('.', ',');
    const weight = (3.3 + ageM * 0.22 + rand() * 2).toFixed(1).replace('.', ',');
    const dateStyle = i % 3;
    const birthText = dateStyle === 0 ? `${birth[2]}/${birth[1]}/${birth[0]}` : dateStyle === 1 ? `${birth[0]}-${birth[1]}-${birth[2]}` : `${+birth[2]} ${BULAN[+birth[1] - 1]} ${birth[0]}`;
    const measureText = `${measured[2]}/${measured[1]}/${measured[0]}`;
    buf +=
      [
        `62010${String(1000000 + (i % 8999999)).padStart(11, '0')}`, `Anak ${i}`, i % 2 ? 'L' : 'P', birthText, '3,1', '49', `Ibu ${i % 50000}`,
        'KALIMANTAN TENGAH', 'KOTAWARINGIN BARAT', kec.get(desa.parentCode ?? '') ?? '', 'Puskesmas', i % 7 === 0 ? `Desa ${desa.name}` : desa.name,
        `Posyandu ${(i % 9) + 1}`, '001', '002', 'Jl. Contoh', '1 Tahun - 2 Bulan - 3 Hari', measureText, weight, height,
        ageDays < 730 ? 'Telentang' : 'Berdiri', '', 'Normal', '-0,5', 'Normal', '-1,1', 'Gizi Baik', i % 50 === 0 ? '999,99' : '0,2', 'N', '0', '1', '', 'Ya', '',
      ].join(';') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-import-'));
  const path = join(dir, 'eppgbm-1m.csv');
  try {
    const t0 = performance.now();
    await writeFixture(path, ROWS);
    const genSeconds = (performance.now() - t0) / 1000;
    const matcher = new RegionMatcher(loadRegionRecords(), '62.01');
    const engine = loadGrowthEngine();
    let peakRss = process.memoryUsage().rss;
    let zBlocks = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const report = await importEppgbmFile(path, {
      matcher,
      engine,
      today: '2025-12-31',
      sink: async (block, growth) => {
        zBlocks += growth ? 1 : 0;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        void block;
      },
    });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // On a shared machine wall time includes waiting for a core; CPU time shows the work itself.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    console.error(
      `file ${(statSync(path).size / 1024 ** 2).toFixed(0)} MB generated in ${genSeconds.toFixed(1)} s; read ${report.read}, accepted ${report.accepted}, rejected ${report.rejected}, z blocks ${zBlocks}`,
    );
    console.log(
      JSON.stringify({
        name: 'import',
        rows: report.read,
        seconds: Math.round(seconds * 1000) / 1000,
        rows_per_s: Math.round(report.read / seconds),
        cpu_seconds: Math.round(cpuSeconds * 1000) / 1000,
        rows_per_cpu_s: Math.round(report.read / cpuSeconds),
        peak_rss_mb: Math.round(peakRss / 1024 ** 2),
        accepted: report.accepted,
        rejected: report.rejected,
        stages: 'parse+validate+match+zscores (no database: COPY and rollups not included)',
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

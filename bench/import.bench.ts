/**
 * Import benchmark, end to end: writes a 1,000,000-row e-PPGBM-format CSV (semicolons, decimal
 * commas, Indonesian dates, the official column set; one new child per row) and imports it into a
 * fresh embedded PostgreSQL as one batch: parse, validate, match regions and children, create
 * children and posyandu, z-scores with the WHO engine, COPY, weight gain, rollups, commit.
 * Prints one JSON line last. `--pure` measures only the file path (parse, validate, match, z-scores).
 *
 * Usage: npm run bench:import [-- ROWS] [--pure]
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { defaultWritePathDeps } from '../src/db/growth-columns.js';
import { importEppgbmFile } from '../src/ingest/eppgbm-import.service.js';
import { loadRegionRecords, RegionMatcher } from '../src/ingest/region-matcher.js';
import { storeEppgbmFile } from '../src/ingest/store/eppgbm-store.service.js';
import { writeSyntheticEppgbm } from '../src/ingest/store/eppgbm-synthetic.js';
import { loadGrowthEngine } from '../src/reference/who-tables.js';

const args = process.argv.slice(2);
const pure = args.includes('--pure');
const ROWS = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const round = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-import-'));
  const path = join(dir, 'eppgbm-1m.csv');
  // The embedded server runs as an unprivileged user when we are root: it must enter the folder.
  chmodSync(dir, 0o755);
  try {
    const t0 = performance.now();
    await writeSyntheticEppgbm(path, ROWS);
    const genSeconds = (performance.now() - t0) / 1000;
    const matcher = new RegionMatcher(loadRegionRecords(), '62.01');
    let peakRss = process.memoryUsage().rss;
    const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
    const cpu0 = process.cpuUsage();
    if (pure) {
      const start = performance.now();
      const report = await importEppgbmFile(path, { matcher, engine: loadGrowthEngine(), today: '2025-12-31', sink: async () => undefined });
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(sample);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      console.log(JSON.stringify({
        name: 'import', mode: 'pure', rows: report.read, seconds: round(seconds), rows_per_s: Math.round(report.read / seconds),
        cpu_seconds: round(cpuSeconds), rows_per_cpu_s: Math.round(report.read / cpuSeconds),
        peak_rss_mb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 ** 2), accepted: report.accepted,
        stages: 'parse+validate+match+zscores (no database)',
        load_average: +loadavg()[0].toFixed(1),
      }));
      return;
    }
    const handle = await openDatabase({
      dataDir: join(dir, 'data'), durable: false, env: {}, handleSignals: false,
      // PostgreSQL's own log to stderr (startup, checkpoints, errors): TUMBUH_BENCH_PGLOG=1.
      log: process.env.TUMBUH_BENCH_PGLOG ? (l) => process.stderr.write(`[pg] ${l}\n`) : undefined,
    });
    try {
      const ctx = { pool: handle.pool, nik: handle.nik, deps: defaultWritePathDeps() };
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const r = await storeEppgbmFile(ctx, path, { matcher, importedBy: 'bench', today: '2025-12-31' });
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      clearInterval(sample);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const stored = (await handle.pool.query<{ m: string; c: string }>(
        'SELECT (SELECT count(*) FROM measurement) AS m, (SELECT count(*) FROM child) AS c')).rows[0];
      console.error(
        `file ${(statSync(path).size / 1024 ** 2).toFixed(0)} MB generated in ${genSeconds.toFixed(1)} s; batch ${r.batchId}: read ${r.report.read}, ` +
        `inserted ${r.inserted}, rejected ${r.report.rejected}, children ${r.newChildren}, posyandu ${r.newPosyandu.length}; ` +
        `stored ${stored.m} measurements, ${stored.c} children`,
      );
      console.log(JSON.stringify({
        name: 'import',
        mode: 'end-to-end',
        rows: r.report.read,
        seconds: round(seconds),
        rows_per_s: Math.round(r.report.read / seconds),
        // On a shared machine wall time includes waiting for a core; this is the Node process's share.
        node_cpu_seconds: round(cpuSeconds),
        stage_seconds: { parse_match_children: round(r.seconds.parse), copy_zscores: round(r.seconds.load), rollups_commit: round(r.seconds.finish) },
        peak_rss_mb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 ** 2),
        inserted: r.inserted,
        rejected: r.report.rejected,
        new_children: r.newChildren,
        stored_measurements: Number(stored.m),
        load_average: +loadavg()[0].toFixed(1),
      }));
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

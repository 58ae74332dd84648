/**
 * Province-scale benchmark (issue 10): the province demo of Kalimantan Tengah (14 districts,
 * their real kecamatan and desa, synthetic people; default 250,000 balita × 24 months) loaded into
 * a fresh embedded PostgreSQL (TUMBUH_DATA_DIR, else a temporary folder), then timed:
 * - load rate (measurements per second, the whole load in one transaction);
 * - full rollup rebuild (desa/posyandu × month of every district) and the analytics batch job of
 *   every district (period rollups, alerts, coverage, validity);
 * - the district dashboard (kabupatenDashboard of the largest district) and the province
 *   dashboard (provinceDashboard: district × month grid, province line, alerts per district),
 *   p50/p95 warm;
 * - one district's evaluation report (round frozen, then the PDF);
 * - disk per million measurements (pg_total_relation_size of the partitions);
 * then projects to national size from the measured per-row costs, stating the assumptions.
 * JSON lines; the last is {"name":"scale","rows":…,"seconds":…,"rows_per_s":…}.
 *
 *   npm run bench:scale [-- --children 50000] [--months 24] [--iterations 50] [--skip-report]
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { runAnalyticsJob } from '../src/analytics/analytics.job.js';
import { dataMonths, loadAnalyticsConfig } from '../src/analytics/analytics.repo.js';
import { analyticsDb } from '../src/analytics/analytics.tables.js';
import { kabupatenDashboard } from '../src/analytics/dashboard.service.js';
import { periodsBetween } from '../src/analytics/periods.js';
import { provinceDashboard } from '../src/analytics/province.service.js';
import { openDatabase } from '../src/db/connection.js';
import { rebuildAllRollups } from '../src/db/rollup.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { planProvince, PROVINCE_DEFAULT_CHILDREN } from '../src/demo/demo-province.js';
import { loadProvinceDemo } from '../src/demo/demo.loader.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';
import { createRound, freezeRound } from '../src/evaluation/round.service.js';
import { defaultRegionFiles, loadRegions, readRegionsCsv } from '../src/reference/regions.js';
import { renderEvaluationReport } from '../src/report/report.service.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const children = arg('--children', PROVINCE_DEFAULT_CHILDREN);
const months = arg('--months', DEMO_DEFAULTS.months);
const iterations = arg('--iterations', 50);
const skipReport = process.argv.includes('--skip-report');
const line = (o: object) => console.log(JSON.stringify(o));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const round = (x: number, d = 3) => Number(x.toFixed(d));
const load = () => round(loadavg()[0], 2);

const KALTENG = join(defaultRegionFiles().regions, '..', 'kalteng-regions.csv');
const own = process.env.TUMBUH_DATA_DIR?.trim();
const dir = own || mkdtempSync(join(tmpdir(), 'tumbuh-bench-scale-'));
chmodSync(dir, 0o755);
const started = performance.now();
line({ name: 'scale.start', children, months, data_dir: dir, loadavg_1m: load() });
const handle = await openDatabase({ dataDir: dir, durable: false, handleSignals: false, env: { TUMBUH_NIK_KEY: 'bench-scale-key-0123456789abcdef0123456789' } });
try {
  const db = analyticsDb(handle.db);
  await handle.db.transaction().execute((trx) => loadRegions(trx, readRegionsCsv(KALTENG)));
  const districts = planProvince({ ...loadDemoInputs(KALTENG), provinceCode: '62', children, months });

  // 1. Load.
  let t = performance.now();
  const loaded = await loadProvinceDemo(handle, '62', districts.map((d) => d.options));
  const loadSeconds = (performance.now() - t) / 1000;
  const measurements = loaded.rows.measurement;
  line({
    name: 'scale.load', districts: districts.length, children: loaded.rows.child, measurements, services: loaded.rows.service,
    persons: loaded.rows.person, families: loaded.rows.family, seconds: round(loadSeconds), measurements_per_s: Math.round(measurements / loadSeconds),
    phases: loaded.phases, loadavg_1m: load(),
  });

  // 2. Full rebuilds.
  t = performance.now();
  await handle.db.transaction().execute((trx) => rebuildAllRollups(trx));
  const rollupSeconds = (performance.now() - t) / 1000;
  const rollupRows = await sql<{ n: number }>`SELECT (SELECT count(*) FROM rollup_desa_month) + (SELECT count(*) FROM rollup_posyandu_month) AS n`.execute(db);
  line({ name: 'scale.rollup_rebuild', seconds: round(rollupSeconds), measurements_per_s: Math.round(measurements / rollupSeconds), rollup_rows: Number(rollupRows.rows[0].n), loadavg_1m: load() });
  t = performance.now();
  for (const d of districts) await runAnalyticsJob(db, d.kabupatenCode, {});
  const jobSeconds = (performance.now() - t) / 1000;
  line({ name: 'scale.analytics_job', districts: districts.length, seconds: round(jobSeconds), loadavg_1m: load() });

  // 3. Dashboards, warm.
  const sizes = await sql<{ kab: string; n: number }>`SELECT kabupaten_code AS kab, count(*)::int AS n FROM child GROUP BY 1 ORDER BY 2 DESC LIMIT 1`.execute(db);
  const kab = sizes.rows[0].kab;
  const range = (await dataMonths(db, kab)) as { first: string; last: string };
  const periods = periodsBetween('month', range.first, range.last).slice(-24);
  const year = Number(range.last.slice(0, 4));
  const config = await loadAnalyticsConfig(db, kab);
  const district: number[] = [];
  const province: number[] = [];
  let gridCells = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const t0 = performance.now();
    await kabupatenDashboard(db, { kabupatenCode: kab, months: periods, indicator: 'stunting', alertMonth: range.last, year, config });
    const t1 = performance.now();
    const p = await provinceDashboard(db, { provinceCode: '62', periods, indicator: 'stunting', alertMonth: range.last });
    const t2 = performance.now();
    gridCells = p.prevalence.districts.length;
    if (i < 3) continue;
    district.push(t1 - t0);
    province.push(t2 - t1);
  }
  const dashboards = {
    district_code: kab, district_children: sizes.rows[0].n, months: periods.length, iterations, province_grid_cells: gridCells,
    district_p50_ms: round(quantile(district, 0.5), 2), district_p95_ms: round(quantile(district, 0.95), 2), district_goal_p95_ms: 100,
    province_p50_ms: round(quantile(province, 0.5), 2), province_p95_ms: round(quantile(province, 0.95), 2), province_goal_p95_ms: 200,
  };
  line({ name: 'scale.dashboards', ...dashboards, loadavg_1m: load() });

  // 4. One district's evaluation report.
  let reportSeconds: number | null = null;
  if (!skipReport) {
    t = performance.now();
    const r = await createRound(handle.db, {
      kabupatenCode: kab, title: `Evaluasi Kinerja TPPS ${year}`, kind: 'annual', period: { start: `${year}-01-01`, end: `${year}-12-31` },
      heldOn: range.last, place: 'Aula Bappeda', participants: ['Sekretaris Daerah', 'Dinas Kesehatan'],
    });
    await freezeRound(handle.db, r.id, range.last);
    const tf = performance.now();
    const pdf = await renderEvaluationReport(handle.db, r.id, { format: 'pdf', lang: 'id', today: range.last });
    reportSeconds = (performance.now() - t) / 1000;
    line({ name: 'scale.report', district_code: kab, freeze_s: round((tf - t) / 1000), pdf_s: round((performance.now() - tf) / 1000), pdf_bytes: pdf.bytes.length, seconds: round(reportSeconds), loadavg_1m: load() });
  }

  // 5. Disk.
  const size = async (table: string): Promise<number> => {
    const r = await sql<{ b: string }>`
      SELECT pg_total_relation_size(${table}::regclass) + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = ${table}::regclass), 0) AS b`.execute(db);
    return Number(r.rows[0].b);
  };
  const bytes = {
    measurement: await size('measurement'), service: await size('service'), child: await size('child'), person: await size('person'), family: await size('family'),
    rollups: (await size('rollup_desa_month')) + (await size('rollup_posyandu_month')) + (await size('rollup_desa_period')) + (await size('rollup_posyandu_period')),
    child_alert: await size('child_alert'),
    database: Number((await sql<{ b: string }>`SELECT pg_database_size(current_database()) AS b`.execute(db)).rows[0].b),
  };
  const perMillion = (b: number, n: number) => Math.round((b / n) * 1e6);
  const disk = {
    measurement_bytes_per_row: round(bytes.measurement / measurements, 1),
    measurement_mb_per_million: round(perMillion(bytes.measurement, measurements) / 1048576, 1),
    service_bytes_per_row: round(bytes.service / loaded.rows.service, 1),
    database_mb_per_million_measurements: round(perMillion(bytes.database, measurements) / 1048576, 1),
    database_bytes_per_child: Math.round(bytes.database / loaded.rows.child),
    bytes,
  };
  line({ name: 'scale.disk', ...disk });

  // 6. National projection from the measured per-row costs.
  const nationalChildren = 20_000_000;
  const nationalMeasurementsYear = 250_000_000;
  const measurementsPerChildYear = measurements / loaded.rows.child / (months / 12);
  const servicesPerMeasurement = loaded.rows.service / measurements;
  const measurementBytes = bytes.measurement / measurements;
  const otherPerChild = (bytes.child + bytes.person + bytes.family) / loaded.rows.child;
  const serviceBytes = bytes.service / loaded.rows.service;
  const workers = 8;
  const yearBytes = nationalMeasurementsYear * (measurementBytes + servicesPerMeasurement * serviceBytes);
  const projection = {
    assumptions: {
      children: nationalChildren,
      measurements_per_year: nationalMeasurementsYear,
      districts: 514,
      retention_years_online: 5,
      services_per_measurement: round(servicesPerMeasurement, 2),
      citus_workers: workers,
      note: 'per-row sizes and rates as measured here on one embedded PostgreSQL 18 on a shared 2-core machine; load and rebuild scale with workers (each district is one shard group); rollups are per desa × month (about 84,000 desa nationally) and do not grow with children',
      measured_measurements_per_child_year: round(measurementsPerChildYear, 2),
    },
    measurement_gb_per_year: round((nationalMeasurementsYear * measurementBytes) / 1073741824, 1),
    event_tables_gb_per_year: round(yearBytes / 1073741824, 1),
    people_tables_gb: round((nationalChildren * otherPerChild) / 1073741824, 1),
    online_gb_5_years: round((5 * yearBytes + nationalChildren * otherPerChild) / 1073741824, 1),
    load_hours_per_year_one_node: round(nationalMeasurementsYear / (measurements / loadSeconds) / 3600, 1),
    load_hours_per_year_citus: round(nationalMeasurementsYear / (measurements / loadSeconds) / 3600 / workers, 2),
    // The month-rollup rebuild walks every child's registration months (S) as well as the
    // measurements (D): its cost is projected per child registered, over the same window.
    rollup_rebuild_hours_national_one_node: round((rollupSeconds / loaded.rows.child) * nationalChildren / 3600, 2),
    rollup_rebuild_hours_national_citus: round((rollupSeconds / loaded.rows.child) * nationalChildren / 3600 / workers, 2),
    average_district_rollup_rebuild_s: round((rollupSeconds / loaded.rows.child) * (nationalChildren / 514), 1),
  };
  line({ name: 'scale.projection', ...projection });

  const seconds = (performance.now() - started) / 1000;
  line({
    name: 'scale', rows: measurements, seconds: round(seconds), rows_per_s: Math.round(measurements / loadSeconds), children: loaded.rows.child,
    balita: children, districts: districts.length, load_s: round(loadSeconds), rollup_rebuild_s: round(rollupSeconds), analytics_job_s: round(jobSeconds),
    district_p95_ms: dashboards.district_p95_ms, province_p95_ms: dashboards.province_p95_ms, report_s: reportSeconds === null ? null : round(reportSeconds),
    measurement_mb_per_million: disk.measurement_mb_per_million, database_mb_per_million_measurements: disk.database_mb_per_million_measurements,
    loadavg_1m: load(),
  });
} finally {
  await handle.close();
  if (!own) rmSync(dir, { recursive: true, force: true });
}

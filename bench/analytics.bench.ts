/**
 * Benchmark of the analytics dashboards: a synthetic district (src/demo; default size, or
 * --children N) loaded into a throw-away embedded PostgreSQL; times the full rollup rebuild (the
 * month rollups of src/db and the analytics batch job: period rollups, alerts of every month,
 * coverage, convergence, validity), then the kabupaten dashboard query set warm — prevalence by
 * desa × month for 24 months, alert counts per desa, the priority index — and prints p50/p95:
 * each read alone, and the set as the dashboard asks it (kabupatenDashboard: the three at once).
 * JSON lines; the last is {"name":"analytics",…}.
 *
 *   npm run bench:analytics [-- --children 200000] [--months 24] [--iterations 50]
 *
 * The province size is 2,000,000 children × 24 months (~35 million measurements); loading
 * that into the embedded PostgreSQL takes hours on the 2-core machine, so run what fits and read
 * the rebuild figures per measurement (rows_per_s) for the projection: the dashboard reads scale
 * with desa × months (the rollups), not with children.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.js';
import { rebuildAllRollups } from '../src/db/rollup.js';
import { loadDemo } from '../src/demo/demo.loader.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';
import { alertCounts } from '../src/analytics/alerts.service.js';
import { runAnalyticsJob } from '../src/analytics/analytics.job.js';
import { dataMonths, loadAnalyticsConfig } from '../src/analytics/analytics.repo.js';
import { analyticsDb } from '../src/analytics/analytics.tables.js';
import { kabupatenDashboard } from '../src/analytics/dashboard.service.js';
import { periodsBetween } from '../src/analytics/periods.js';
import { routinePrevalenceRows } from '../src/analytics/prevalence.service.js';
import { priorityReport } from '../src/analytics/priority.service.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const children = arg('--children', DEMO_DEFAULTS.children);
const months = arg('--months', DEMO_DEFAULTS.months);
const iterations = arg('--iterations', 50);
const line = (o: object) => console.log(JSON.stringify(o));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-analytics-'));
chmodSync(dir, 0o755);
const handle = await openDatabase({ dataDir: dir, durable: false, handleSignals: false, env: { TUMBUH_NIK_KEY: 'bench-analytics-key-0123456789abcdef0123' } });
try {
  const db = analyticsDb(handle.db);
  const loaded = await loadDemo(handle, { ...loadDemoInputs(), children, months });
  const measurements = loaded.rows.measurement;
  line({ name: 'analytics.load', children, months, measurements, seconds: loaded.seconds });
  const kab = '62.01';

  let t = performance.now();
  await handle.db.transaction().execute((trx) => rebuildAllRollups(trx));
  const monthRollups = (performance.now() - t) / 1000;
  line({ name: 'analytics.step', step: 'monthRollups', seconds: +monthRollups.toFixed(3), loadavg_1m: +loadavg()[0].toFixed(2) });
  t = performance.now();
  const job = await runAnalyticsJob(db, kab, {
    alertMonths: 'all',
    onStep: (step, seconds) => line({ name: 'analytics.step', step, seconds: +seconds.toFixed(3), loadavg_1m: +loadavg()[0].toFixed(2) }),
  });
  const jobSeconds = (performance.now() - t) / 1000;
  const alerts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM child_alert`.execute(db);
  line({ name: 'analytics.rebuild', month_rollups_s: monthRollups, ...Object.fromEntries(Object.entries(job.seconds).map(([k, v]) => [`job_${k}_s`, v])), alerts: alerts.rows[0].n, period_rows: job.periodRows });

  const range = (await dataMonths(db, kab)) as { first: string; last: string };
  const last = range.last;
  const first = periodsBetween('month', range.first, last).slice(-24)[0].start;
  const periods = periodsBetween('month', first, last);
  const year = Number(last.slice(0, 4));
  const config = await loadAnalyticsConfig(db, kab);
  const timings: Record<'prevalence' | 'alerts' | 'priority' | 'sequential' | 'total', number[]> = { prevalence: [], alerts: [], priority: [], sequential: [], total: [] };
  let cells = 0;
  for (let i = 0; i < iterations + 3; i++) {
    const t0 = performance.now();
    const rows = await routinePrevalenceRows(db, { kabupatenCode: kab, level: 'desa', indicator: 'stunting', periods });
    const t1 = performance.now();
    await alertCounts(db, kab, last, 'desa');
    const t2 = performance.now();
    await priorityReport(db, kab, year, config);
    const t3 = performance.now();
    await kabupatenDashboard(db, { kabupatenCode: kab, months: periods, indicator: 'stunting', alertMonth: last, year, config });
    const t4 = performance.now();
    cells = rows.length;
    if (i < 3) continue;
    timings.prevalence.push(t1 - t0);
    timings.alerts.push(t2 - t1);
    timings.priority.push(t3 - t2);
    timings.sequential.push(t3 - t0);
    timings.total.push(t4 - t3);
  }
  const ms = (k: keyof typeof timings) => ({ [`${k}_p50_ms`]: +quantile(timings[k], 0.5).toFixed(2), [`${k}_p95_ms`]: +quantile(timings[k], 0.95).toFixed(2) });
  line({ name: 'analytics.dashboard', iterations, desa_month_cells: cells, ...ms('prevalence'), ...ms('alerts'), ...ms('priority'), ...ms('sequential'), ...ms('total') });
  const rebuild = monthRollups + jobSeconds;
  line({
    name: 'analytics', rows: measurements, seconds: +rebuild.toFixed(3), rows_per_s: Math.round(measurements / rebuild),
    children, months, dashboard_p95_ms: +quantile(timings.total, 0.95).toFixed(2), dashboard_p50_ms: +quantile(timings.total, 0.5).toFixed(2),
    goal_p95_ms: 100, loadavg_1m: +loadavg()[0].toFixed(2), rebuild_month_rollups_s: +monthRollups.toFixed(3), rebuild_analytics_job_s: +jobSeconds.toFixed(3),
  });
} finally {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

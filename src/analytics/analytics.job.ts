/**
 * The analytics batch job: everything that scans raw data, run after an import or nightly, never
 * while a user waits — period rollups, alerts of the chosen months, and per year the coverage,
 * convergence and validity tables the priority index reads. Dashboards then read small tables.
 */
import { sql } from 'kysely';
import { dataMonths, ensureShippedAnalyticsData, loadAnalyticsConfig } from './analytics.repo.js';
import type { AnalyticsConfig } from './analytics-config.schema.js';
import { analyticsDb, type AnyDb } from './analytics.tables.js';
import { refreshAlertMonths, type AlertRefreshResult } from './alerts.job.js';
import { rebuildCoverage } from './coverage.job.js';
import { rebuildPeriodRollups } from './period-rollup.job.js';
import { periodsBetween } from './periods.js';
import { rebuildValidity } from './validity.job.js';

export interface AnalyticsJobOptions {
  /** Years for coverage, convergence and validity (default: every year with data). */
  years?: readonly number[];
  /** Alert months, yyyy-mm (default: the last month with data; 'all' = every month with data). */
  alertMonths?: readonly string[] | 'all';
  config?: AnalyticsConfig;
  /** Called after each step with its seconds (progress of a long batch). */
  onStep?: (step: 'periodRollups' | 'alerts' | 'coverage' | 'validity', seconds: number) => void;
}

export interface AnalyticsJobResult {
  seconds: { periodRollups: number; alerts: number; coverage: number; validity: number; total: number };
  periodRows: number;
  alerts: AlertRefreshResult[];
  years: number[];
}

/** Runs the whole analytics batch for one kabupaten. */
export async function runAnalyticsJob(db: AnyDb, kabupatenCode: string, options: AnalyticsJobOptions = {}): Promise<AnalyticsJobResult> {
  const t0 = performance.now();
  // After a bulk load the planner has no statistics yet; without them the joins below pick nested loops over millions of rows.
  await sql`ANALYZE measurement, child, person, family, service, indicator_value, rollup_desa_month`.execute(analyticsDb(db));
  await ensureShippedAnalyticsData(db);
  const config = options.config ?? (await loadAnalyticsConfig(db, kabupatenCode));
  const range = await dataMonths(db, kabupatenCode);
  const rollups = await rebuildPeriodRollups(db, kabupatenCode);
  const t1 = performance.now();
  options.onStep?.('periodRollups', (t1 - t0) / 1000);
  let alerts: AlertRefreshResult[] = [];
  if (range) {
    const months = options.alertMonths === 'all'
      ? periodsBetween('month', range.first, range.last).map((p) => p.start)
      : (options.alertMonths ?? [range.last.slice(0, 7)]).map((m) => `${m.slice(0, 7)}-01`);
    alerts = await refreshAlertMonths(db, kabupatenCode, months, config.alerts);
  }
  const t2 = performance.now();
  options.onStep?.('alerts', (t2 - t1) / 1000);
  const years = options.years
    ? [...options.years]
    : range ? periodsBetween('year', range.first, range.last).map((p) => Number(p.label)) : [];
  let coverageSeconds = 0;
  let validitySeconds = 0;
  for (const y of years) {
    const a = performance.now();
    await rebuildCoverage(db, kabupatenCode, y, config);
    const b = performance.now();
    await rebuildValidity(db, kabupatenCode, y, config.priority.minChildrenForValidity);
    coverageSeconds += (b - a) / 1000;
    validitySeconds += (performance.now() - b) / 1000;
    options.onStep?.('coverage', (b - a) / 1000);
    options.onStep?.('validity', (performance.now() - b) / 1000);
  }
  // Dashboards read these tables with index-only scans, which need a current visibility map.
  if (!analyticsDb(db).isTransaction) {
    await sql`VACUUM (ANALYZE) child_alert, rollup_desa_period, rollup_posyandu_period, desa_coverage, desa_convergence, desa_validity`.execute(analyticsDb(db));
  }
  return {
    seconds: {
      periodRollups: (t1 - t0) / 1000,
      alerts: (t2 - t1) / 1000,
      coverage: coverageSeconds,
      validity: validitySeconds,
      total: (performance.now() - t0) / 1000,
    },
    periodRows: rollups.desaRows + rollups.posyanduRows,
    alerts,
    years,
  };
}

/**
 * Makes sure the batch tables a year's reports read exist — the period rollups, and desa
 * coverage, convergence and validity of that year — and builds only what is missing (a district
 * whose batch job never ran for the year). Returns what it built. Tables built earlier are read
 * as they are: keeping them current is the batch job's work after each import or nightly.
 */
export async function ensureAnalyticsYear(db: AnyDb, kabupatenCode: string, year: number, config?: AnalyticsConfig): Promise<string[]> {
  const a = analyticsDb(db);
  const r = await sql<{ periods: boolean; coverage: boolean; validity: boolean; measured: boolean }>`
    SELECT
      EXISTS (SELECT 1 FROM rollup_desa_period WHERE kabupaten_code = ${kabupatenCode} AND period_type = 'year' AND period_start = ${`${year}-01-01`}::date) AS periods,
      EXISTS (SELECT 1 FROM desa_coverage WHERE kabupaten_code = ${kabupatenCode} AND year = ${year}) AS coverage,
      EXISTS (SELECT 1 FROM desa_validity WHERE kabupaten_code = ${kabupatenCode} AND year = ${year}) AS validity,
      EXISTS (SELECT 1 FROM rollup_desa_month WHERE kabupaten_code = ${kabupatenCode} AND month >= ${`${year}-01-01`}::date
        AND month < ${`${year + 1}-01-01`}::date AND measured > 0) AS measured`.execute(a);
  const have = r.rows[0];
  const built: string[] = [];
  if (!have?.measured) return built;
  const cfg = config ?? (await loadAnalyticsConfig(db, kabupatenCode));
  if (!have.periods) {
    await ensureShippedAnalyticsData(db);
    await rebuildPeriodRollups(db, kabupatenCode);
    built.push('period_rollups');
  }
  if (!have.coverage) {
    await rebuildCoverage(db, kabupatenCode, year, cfg);
    built.push('coverage');
  }
  if (!have.validity) {
    await rebuildValidity(db, kabupatenCode, year, cfg.priority.minChildrenForValidity);
    built.push('validity');
  }
  return built;
}

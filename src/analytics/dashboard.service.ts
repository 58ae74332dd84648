/**
 * The kabupaten dashboard's query set (issue 6 §9): prevalence by desa × month, alert counts per
 * desa and the priority index, read from the rollups and the batch job's small tables. The three
 * reads are independent, so they run at once on separate pool connections: the dashboard waits
 * for the slowest of them, not for their sum.
 */
import type { AnalyticsConfig } from './analytics-config.schema.js';
import { alertCounts, type AlertCounts } from './alerts.service.js';
import type { AnyDb } from './analytics.tables.js';
import type { Period } from './periods.js';
import { routinePrevalenceRows, type PrevalenceRow, type RoutineIndicator } from './prevalence.service.js';
import { priorityReport, type PriorityReport } from './priority.service.js';

export interface DashboardQuery {
  kabupatenCode: string;
  /** The months of the prevalence grid (e.g. the last 24). */
  months: readonly Period[];
  indicator: RoutineIndicator;
  /** Month of the alert counts (yyyy-mm or its first day). */
  alertMonth: string;
  /** Year of the priority index. */
  year: number;
  config: AnalyticsConfig;
}

export interface KabupatenDashboard {
  prevalence: PrevalenceRow[];
  alerts: AlertCounts[];
  priority: PriorityReport;
}

/** The kabupaten dashboard: desa × month prevalence grid, alert counts per desa, priority index. */
export async function kabupatenDashboard(db: AnyDb, q: DashboardQuery): Promise<KabupatenDashboard> {
  const [prevalence, alerts, priority] = await Promise.all([
    routinePrevalenceRows(db, { kabupatenCode: q.kabupatenCode, level: 'desa', indicator: q.indicator, periods: q.months }),
    alertCounts(db, q.kabupatenCode, q.alertMonth, 'desa'),
    priorityReport(db, q.kabupatenCode, q.year, q.config),
  ]);
  return { prevalence, alerts, priority };
}

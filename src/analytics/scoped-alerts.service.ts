/**
 * SKDN, priority villages and the by-name alert list with follow-up, limited to the caller's
 * scope: regions outside it are refused (403), a kader sees only its posyandu's alerts, every
 * read of the by-name list is audited, and a follow-up is accepted only for an alert in scope.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { assertPersonalData, assertPosyandu, assertRegion, type AccessScope } from '../auth/access.js';
import { actorOf, auditPersonalRead } from '../db/personal-read-audit.js';
import type { Database } from '../db/schema.js';
import { dataMonths, loadAnalyticsConfig } from './analytics.repo.js';
import { analyticsDb, type AlertKind, type AlertStatus } from './analytics.tables.js';
import { followUpAlert, listAlerts, type AlertListItem } from './alerts.service.js';
import { bumpDashboardGeneration } from './dashboard-cache.js';
import { parsePeriod } from './periods.js';
import { priorityReport, type PriorityReport } from './priority.service.js';
import { skdnByPosyandu, sumSkdn, type SkdnRow } from './skdn.service.js';

const M = defineMessages({
  'analytics.scope.kabupaten': {
    id: 'Pilih kabupaten, kecamatan atau desa (bukan {code})',
    en: 'Choose a kabupaten, kecamatan or desa (not {code})',
  },
  'analytics.alert.missing': { id: 'Peringatan {id} tidak ada', en: 'Alert {id} does not exist' },
});

const within = (code: string, region: string) => code === region || code.startsWith(`${region}.`);

function kabupatenOf(code: string): string {
  if (code.length < 5) throw new AppError('bad_region_level', M['analytics.scope.kabupaten'], { code });
  return code.slice(0, 5);
}

async function monthOr(db: Kysely<Database>, kab: string, month: string | undefined): Promise<string | null> {
  if (month) return month;
  return (await dataMonths(db, kab))?.last.slice(0, 7) ?? null;
}

/** SKDN of the posyandu below a region in a month (latest with data by default); a kader: its posyandu. */
export async function scopedSkdn(db: Kysely<Database>, scope: AccessScope, code: string, month?: string) {
  assertRegion(scope, code);
  const kab = kabupatenOf(code);
  const [m, config] = await Promise.all([monthOr(db, kab, month), loadAnalyticsConfig(db, kab)]);
  const convention = config.skdn.ndDenominator;
  let rows: SkdnRow[] = m ? await skdnByPosyandu(db, kab, parsePeriod('month', m), convention, code.length === 13 ? code : undefined) : [];
  rows = rows.filter((r) => within(r.desaCode, code) && (scope.regionCodes === null || scope.regionCodes.some((c) => within(r.desaCode, c))));
  if (scope.role === 'kader') rows = rows.filter((r) => r.posyanduId === scope.posyanduId);
  const total = sumSkdn(rows);
  return { month: m, convention, total, posyandu: rows.map(({ month: _m, convention: _c, ...r }) => r) };
}

/** The priority index of the kabupaten, rows limited to the desa below `code` the caller may see. */
export async function scopedPriority(db: Kysely<Database>, scope: AccessScope, code: string, year?: number): Promise<PriorityReport> {
  assertRegion(scope, code);
  const kab = kabupatenOf(code);
  const y = year ?? Number((await monthOr(db, kab, undefined))?.slice(0, 4) ?? new Date().getUTCFullYear());
  const report = await priorityReport(db, kab, y, await loadAnalyticsConfig(db, kab));
  const rows = report.rows.filter((r) => within(r.desaCode, code) && (scope.regionCodes === null || scope.regionCodes.some((c) => within(r.desaCode, c))));
  return { ...report, rows };
}

/**
 * The by-name alert list (CONFIDENTIAL) of a region in a month: only roles that may see personal
 * data, only regions in scope, a kader only its posyandu; the read is audited with the alert ids.
 */
export async function scopedAlertList(
  db: Kysely<Database>,
  scope: AccessScope,
  code: string,
  filter: { month?: string; status?: AlertStatus; posyanduId?: number; kind?: AlertKind },
): Promise<{ month: string | null; alerts: AlertListItem[] }> {
  assertPersonalData(scope);
  assertRegion(scope, code);
  if (filter.posyanduId !== undefined) assertPosyandu(scope, filter.posyanduId);
  const kab = kabupatenOf(code);
  const month = await monthOr(db, kab, filter.month);
  if (month === null) return { month: null, alerts: [] };
  const posyanduId = scope.role === 'kader' ? (scope.posyanduId ?? -1) : filter.posyanduId;
  const all = await listAlerts(db, {
    kabupatenCode: kab, desaCode: code.length === 13 ? code : undefined, posyanduId, month, status: filter.status,
    kinds: filter.kind ? [filter.kind] : undefined,
  });
  const alerts = all.filter((a) => within(a.desaCode, code) && (scope.regionCodes === null || scope.regionCodes.some((c) => within(a.desaCode, c))));
  await auditPersonalRead(db, scope, { entity: 'child_alert', ids: alerts.map((a) => a.id), purpose: 'alert_list', kabupatenCode: kab });
  return { month, alerts };
}

/** Records a follow-up of an alert the caller may see (its desa in scope; a kader: its posyandu). */
export async function scopedFollowUpAlert(
  db: Kysely<Database>,
  scope: AccessScope,
  alertId: number,
  change: { status: AlertStatus; by?: string; note?: string | null },
): Promise<void> {
  assertPersonalData(scope);
  const alert = await analyticsDb(db).selectFrom('child_alert').select(['id', 'kabupaten_code', 'desa_code', 'posyandu_id']).where('id', '=', alertId).executeTakeFirst();
  if (!alert) throw new AppError('not_found', M['analytics.alert.missing'], { id: alertId }, { status: 404 });
  assertRegion(scope, alert.desa_code);
  assertPosyandu(scope, alert.posyandu_id);
  await followUpAlert(db, alertId, { ...change, by: change.by ?? scope.username }, actorOf(scope));
  bumpDashboardGeneration(alert.kabupaten_code);
}

/**
 * Province level (issue 10 §3): one installation holding several kabupaten/kota. Routine
 * prevalence per district and for the province, and alert counts per district, read from the
 * same rollups as the kabupaten dashboard — never from raw measurements, and never joining one
 * district's rows to another's (a Citus cluster answers each district on its own shard and adds
 * the counts). A province figure is the sum of its districts' counts (numerators over
 * denominators), not an average of their percentages. Every read is limited to the caller's
 * regions: a `provinsi` account sees all its districts, a district account only its own.
 */
import { sql } from 'kysely';
import { regionCondition, type AccessScope, SYSTEM_SCOPE, assertRegion } from '../auth/access.js';
import type { AlertCounts } from './alerts.service.js';
import { ALERT_KINDS, analyticsDb, type AlertKind, type AnyDb } from './analytics.tables.js';
import type { Period } from './periods.js';
import type { RoutineIndicator } from './prevalence.service.js';
import { routinePrevalence, sumCounts, type RoutineCounts, type RoutinePrevalence } from './routine-prevalence.js';

const COLUMNS: Record<RoutineIndicator, [string, string]> = {
  stunting: ['stunted', 'stunting_denom'],
  severe_stunting: ['severely_stunted', 'stunting_denom'],
  wasting: ['wasted', 'wasting_denom'],
  severe_wasting: ['severely_wasted', 'wasting_denom'],
  underweight: ['underweight', 'underweight_denom'],
  overweight: ['overweight', 'wasting_denom'],
};

/** A district (kabupaten or kota) of a province. */
export interface ProvinceDistrict {
  code: string;
  name: string;
  level: string;
}

/** One district's routine prevalence in one period. */
export interface DistrictPrevalence extends RoutinePrevalence {
  kabupatenCode: string;
  name: string;
  period: Period;
}

/** The province's routine prevalence in one period: the sums of its (visible) districts. */
export interface ProvincePrevalence extends RoutinePrevalence {
  provinceCode: string;
  period: Period;
  /** Districts with any registered or measured child in the period. */
  districtsReporting: number;
}

export interface ProvincePrevalenceResult {
  province: ProvincePrevalence[];
  districts: DistrictPrevalence[];
}

/** Alert counts of one district for a month. */
export interface DistrictAlertCounts extends Omit<AlertCounts, 'unit' | 'desaCode'> {
  kabupatenCode: string;
}

export interface ProvinceDashboardQuery {
  provinceCode: string;
  /** The months (or quarters, semesters, years) of the grid; all of one type. */
  periods: readonly Period[];
  indicator: RoutineIndicator;
  /** Month of the alert counts (yyyy-mm or its first day). */
  alertMonth: string;
  /** Who asks (default: the system, everything). */
  scope?: AccessScope;
}

export interface ProvinceDashboard {
  districts: ProvinceDistrict[];
  prevalence: ProvincePrevalenceResult;
  alerts: DistrictAlertCounts[];
}

/** The kabupaten and kota of a province that the caller may see, in code order. */
export async function provinceDistricts(db: AnyDb, provinceCode: string, scope: AccessScope = SYSTEM_SCOPE): Promise<ProvinceDistrict[]> {
  const r = await sql<ProvinceDistrict>`
    SELECT code, name, level FROM region
    WHERE parent_code = ${provinceCode} AND level IN ('kabupaten', 'kota') ORDER BY code`.execute(analyticsDb(db));
  if (scope.regionCodes === null) return r.rows;
  // A district is visible when the caller's regions cover it or lie inside it (a desa account
  // sees its own district's line, limited below to its own rows).
  return r.rows.filter((d) => scope.regionCodes?.some((own) => own === provinceCode || own === d.code || own.startsWith(`${d.code}.`) || d.code.startsWith(`${own}.`)));
}

/**
 * Routine prevalence per district and for the province in each period, from the desa rollups of
 * the caller's regions: district rows carry the sums of their desa, province rows the sums of the
 * district rows. `visibleDistricts` saves the district lookup when the caller already has it.
 */
export async function provincePrevalence(
  db: AnyDb,
  provinceCode: string,
  indicator: RoutineIndicator,
  periods: readonly Period[],
  scope: AccessScope = SYSTEM_SCOPE,
  visibleDistricts?: readonly ProvinceDistrict[],
): Promise<ProvincePrevalenceResult> {
  if (periods.length === 0) return { province: [], districts: [] };
  if (scope.regionCodes !== null && !scope.regionCodes.some((c) => c === provinceCode || c.startsWith(`${provinceCode}.`))) assertRegion(scope, provinceCode);
  const districts = visibleDistricts ?? (await provinceDistricts(db, provinceCode, scope));
  const codes = districts.map((d) => d.code);
  const type = periods[0].type;
  const monthly = type === 'month' || type === 'bpb';
  const [num, den] = COLUMNS[indicator];
  const start = sql.raw(monthly ? 'month' : 'period_start');
  const table = sql.raw(monthly ? 'rollup_desa_month' : 'rollup_desa_period');
  const typeFilter = monthly ? sql`` : sql`AND period_type = ${type}`;
  const visible = regionCondition(scope, 'desa_code');
  const r = await sql<{ kab: string; start: string; n: number; d: number; s: number; m: number; f: number }>`
    SELECT kabupaten_code AS kab, ${start}::text AS start, sum(${sql.ref(num)})::int AS n, sum(${sql.ref(den)})::int AS d,
      sum(registered)::int AS s, sum(measured)::int AS m, sum(flagged)::int AS f
    FROM ${table}
    WHERE kabupaten_code = ANY(${codes}::text[]) AND ${start} = ANY(${periods.map((p) => p.start)}::date[]) ${typeFilter}
      ${visible ? sql`AND ${visible}` : sql``}
    GROUP BY 1, 2`.execute(analyticsDb(db));
  const counts = new Map<string, RoutineCounts>();
  for (const x of r.rows) counts.set(`${x.kab}|${x.start}`, { numerator: x.n, denominator: x.d, registered: x.s, measured: x.m, flaggedExcluded: x.f });
  const out: ProvincePrevalenceResult = { province: [], districts: [] };
  for (const period of periods) {
    const mine: RoutineCounts[] = [];
    for (const d of districts) {
      const c = counts.get(`${d.code}|${period.start}`);
      if (c) mine.push(c);
      out.districts.push({ ...routinePrevalence(c ?? sumCounts([])), kabupatenCode: d.code, name: d.name, period });
    }
    out.province.push({
      ...routinePrevalence(sumCounts(mine)),
      provinceCode,
      period,
      districtsReporting: mine.filter((c) => c.registered + c.measured > 0).length,
    });
  }
  return out;
}

/**
 * Alert counts of one month per district of the province (districts without alerts have zeros),
 * in one grouped read of the alert table's (kabupaten, month, …) index.
 */
export async function provinceAlertCounts(
  db: AnyDb,
  provinceCode: string,
  month: string,
  scope: AccessScope = SYSTEM_SCOPE,
  districts?: readonly ProvinceDistrict[],
): Promise<DistrictAlertCounts[]> {
  const list = districts ?? (await provinceDistricts(db, provinceCode, scope));
  const visible = regionCondition(scope, 'desa_code');
  const r = await sql<{ kab: string; kind: AlertKind; status: string; n: number }>`
    SELECT kabupaten_code AS kab, kind, status, count(*)::int AS n FROM child_alert
    WHERE kabupaten_code = ANY(${list.map((d) => d.code)}::text[]) AND month = ${`${month.slice(0, 7)}-01`}::date
      ${visible ? sql`AND ${visible}` : sql``}
    GROUP BY 1, 2, 3`.execute(analyticsDb(db));
  const out = new Map<string, DistrictAlertCounts>(list.map((d) => [d.code, {
    kabupatenCode: d.code, total: 0, open: 0, followedUp: 0, closed: 0,
    byKind: Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>,
  }]));
  for (const row of r.rows) {
    const c = out.get(row.kab) as DistrictAlertCounts;
    c.total += row.n;
    c.byKind[row.kind] += row.n;
    if (row.status === 'open') c.open += row.n;
    else if (row.status === 'followed_up') c.followedUp += row.n;
    else c.closed += row.n;
  }
  return [...out.values()];
}

/**
 * The province dashboard: the district × period prevalence grid with the province line, and
 * this month's alert counts per district. The reads run at once on separate pool connections.
 */
export async function provinceDashboard(db: AnyDb, q: ProvinceDashboardQuery): Promise<ProvinceDashboard> {
  const scope = q.scope ?? SYSTEM_SCOPE;
  const districts = await provinceDistricts(db, q.provinceCode, scope);
  const [prevalence, alerts] = await Promise.all([
    provincePrevalence(db, q.provinceCode, q.indicator, q.periods, scope, districts),
    provinceAlertCounts(db, q.provinceCode, q.alertMonth, scope, districts),
  ]);
  return { districts, prevalence, alerts };
}

/**
 * The dashboard of a kabupaten, kecamatan or desa (issue 9 "Beranda" and "Wilayah"): headline
 * cards, the trend, the per-desa values of the choropleth, priority villages with their reasons
 * and validity badges — aggregates only, read from rollups and the batch tables, cached per
 * region, month, indicator and language (dashboard-cache.ts) after the caller's scope is checked.
 */
import { sql, type Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages, type Bilingual, type Lang } from '../common/i18n.js';
import { assertRegion, type AccessScope } from '../auth/access.js';
import type { Database } from '../db/schema.js';
import { dataMonths, loadAnalyticsConfig, surveyFigures } from './analytics.repo.js';
import { cachedDashboard } from './dashboard-cache.js';
import { addMonths, parsePeriod, periodsBetween } from './periods.js';
import { regionPrevalence, routinePrevalenceRows, type RoutineIndicator } from './prevalence.service.js';
import { priorityReport } from './priority.service.js';
import type { RoutinePrevalence } from './routine-prevalence.js';

const M = defineMessages({
  'analytics.dashboard.level': {
    id: 'Dasbor tersedia untuk kabupaten, kecamatan atau desa; {code} bukan salah satunya',
    en: 'Dashboards exist for a kabupaten, kecamatan or desa; {code} is none of them',
  },
  'analytics.dashboard.unknown': { id: 'Wilayah {code} tidak dikenal', en: 'Unknown region {code}' },
});

export interface DashboardRequest {
  code: string;
  month?: string;
  indicator: RoutineIndicator;
  months: number;
  lang: Lang;
  /** Today (yyyy-mm-dd) for overdue actions; default the server's date. */
  today?: string;
}

type Figure = Pick<RoutinePrevalence, 'numerator' | 'denominator' | 'registered' | 'measured' | 'flaggedExcluded' | 'prevalence' | 'ciLow' | 'ciHigh' | 'coverage' | 'coverageAboveRegistered'>;

export interface DashboardView {
  region: { code: string; name: string; level: string; kabupatenCode: string };
  indicator: RoutineIndicator;
  month: string | null;
  cards: {
    routine: Figure;
    survey: { survey: string; year: number; valuePercent: number; ciLowPercent: number | null; ciHighPercent: number | null; source: string } | null;
    measuredThisMonth: number;
    registered: number;
    openAlerts: number;
    overdueActions: number;
  };
  trend: (Figure & { month: string })[];
  desa: (Figure & { code: string; name: string; shrunkRate: number | null })[];
  priority: { desaCode: string; name: string; rank: number | null; index: number | null; status: 'ranked' | 'verify_data' | 'no_data'; inLokus: boolean; reasons: Bilingual[] }[];
  validity: { code: string; name: string; score: number | null; children: number; badge: 'good' | 'fair' | 'poor' | 'unscored'; problems: Bilingual[] }[];
  generatedAt: string;
}

const figure = (r: RoutinePrevalence): Figure => ({
  numerator: r.numerator, denominator: r.denominator, registered: r.registered, measured: r.measured, flaggedExcluded: r.flaggedExcluded,
  prevalence: r.prevalence, ciLow: r.ciLow, ciHigh: r.ciHigh, coverage: r.coverage, coverageAboveRegistered: r.coverageAboveRegistered,
});

const within = (code: string, region: string) => code === region || code.startsWith(`${region}.`);

/** Validity badge of a score: good ≥ 90, fair ≥ 75, poor below, unscored without a score. */
export function validityBadge(score: number | null): 'good' | 'fair' | 'poor' | 'unscored' {
  if (score === null) return 'unscored';
  return score >= 90 ? 'good' : score >= 75 ? 'fair' : 'poor';
}

/**
 * The dashboard of a region the caller may see (403 otherwise). Answers come from the cache while
 * the kabupaten's rollups are unchanged in this process and the entry is younger than its TTL.
 */
export async function scopedDashboard(db: Kysely<Database>, scope: AccessScope, q: DashboardRequest): Promise<DashboardView> {
  assertRegion(scope, q.code);
  if (q.code.length < 5) throw new AppError('bad_region_level', M['analytics.dashboard.level'], { code: q.code });
  const kab = q.code.slice(0, 5);
  const key = `${q.code}|${q.month ?? 'latest'}|${q.indicator}|${q.months}|${q.lang}|${q.today ?? ''}`;
  return cachedDashboard(kab, key, () => computeDashboard(db, kab, q));
}

async function computeDashboard(db: Kysely<Database>, kab: string, q: DashboardRequest): Promise<DashboardView> {
  const region = await db.selectFrom('region').select(['code', 'name', 'level']).where('code', '=', q.code).executeTakeFirst();
  if (!region) throw new AppError('not_found', M['analytics.dashboard.unknown'], { code: q.code }, { status: 404 });
  const range = q.month ? null : await dataMonths(db, kab);
  const month = q.month ?? range?.last.slice(0, 7) ?? null;
  const today = q.today ?? new Date().toISOString().slice(0, 10);
  const empty = regionPrevalenceEmpty();
  if (month === null) {
    return {
      region: { code: region.code, name: region.name, level: region.level, kabupatenCode: kab }, indicator: q.indicator, month: null,
      cards: { routine: empty, survey: null, measuredThisMonth: 0, registered: 0, openAlerts: 0, overdueActions: await overdueActions(db, kab, q.code, today) },
      trend: [], desa: [], priority: [], validity: [], generatedAt: new Date().toISOString(),
    };
  }
  const first = addMonths(`${month}-01`, -(q.months - 1)).slice(0, 7);
  const periods = periodsBetween('month', `${first}-01`, `${month}-01`);
  const year = Number(month.slice(0, 4));
  const [trendValues, desaRows, survey, alerts, overdue, priority, validity] = await Promise.all([
    regionPrevalence(db, kab, q.code, q.indicator, periods),
    routinePrevalenceRows(db, { kabupatenCode: kab, level: 'desa', indicator: q.indicator, periods: [parsePeriod('month', month)], within: q.code, shrunkInterval: false }),
    latestSurvey(db, q.code, kab, q.indicator),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM child_alert WHERE kabupaten_code = ${kab} AND status = 'open' AND month = ${`${month}-01`}::date
      AND (desa_code = ${q.code} OR desa_code LIKE ${`${q.code}.%`})`.execute(db),
    overdueActions(db, kab, q.code, today),
    loadAnalyticsConfig(db, kab).then((config) => priorityReport(db, kab, year, config)),
    sql<{ unit: string; name: string | null; score: string | number | null; children: number; problems: { problem: Bilingual }[] }>`
      SELECT q.unit, r.name, q.score, q.children, q.problems FROM quality_score q LEFT JOIN region r ON r.code = q.unit
      WHERE q.kabupaten_code = ${kab} AND q.level = 'desa' AND q.month = ${`${month}-01`}::date
        AND (q.unit = ${q.code} OR q.unit LIKE ${`${q.code}.%`}) ORDER BY q.unit`.execute(db),
  ]);
  const routine = trendValues[trendValues.length - 1] ?? empty;
  return {
    region: { code: region.code, name: region.name, level: region.level, kabupatenCode: kab },
    indicator: q.indicator,
    month,
    cards: {
      routine: figure(routine),
      survey,
      measuredThisMonth: routine.measured,
      registered: routine.registered,
      openAlerts: alerts.rows[0]?.n ?? 0,
      overdueActions: overdue,
    },
    trend: trendValues.map((v, i) => ({ ...figure(v), month: periods[i].label })),
    desa: desaRows.map((d) => ({ ...figure(d), code: d.code, name: d.name, shrunkRate: d.shrunk?.rate ?? null })),
    priority: priority.rows
      .filter((r) => within(r.desaCode, q.code) && r.status !== 'no_data')
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))
      .slice(0, 10)
      .map((r) => ({
        desaCode: r.desaCode, name: r.name, rank: r.rank, index: r.index, status: r.status, inLokus: r.inLokus,
        reasons: r.note ? [r.note] : [...r.components].filter((c) => c.value !== null).sort((a, b) => b.points - a.points).slice(0, 2).map((c) => c.text),
      })),
    validity: validity.rows.map((v) => {
      const score = v.score === null ? null : Number(v.score);
      return { code: v.unit, name: v.name ?? v.unit, score, children: v.children, badge: validityBadge(score), problems: v.problems.slice(0, 3).map((p) => p.problem) };
    }),
    generatedAt: new Date().toISOString(),
  };
}

function regionPrevalenceEmpty(): Figure {
  return { numerator: 0, denominator: 0, registered: 0, measured: 0, flaggedExcluded: 0, prevalence: null, ciLow: null, ciHigh: null, coverage: null, coverageAboveRegistered: false };
}

async function latestSurvey(db: Kysely<Database>, code: string, kab: string, indicator: RoutineIndicator): Promise<DashboardView['cards']['survey']> {
  const name = indicator === 'severe_wasting' ? 'wasting' : indicator;
  for (const c of code === kab ? [kab] : [code, kab]) {
    const rows = (await surveyFigures(db, c, name)).filter((f) => f.kind === 'survey');
    const last = rows[rows.length - 1];
    if (last) {
      return {
        survey: last.survey, year: last.year, valuePercent: Number(last.value_percent),
        ciLowPercent: last.ci_low_percent === null ? null : Number(last.ci_low_percent),
        ciHighPercent: last.ci_high_percent === null ? null : Number(last.ci_high_percent), source: last.source,
      };
    }
  }
  return null;
}

/** Unfinished follow-up actions past their due date in the kabupaten, or linked to the region below it. */
async function overdueActions(db: Kysely<Database>, kab: string, code: string, today: string): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM action a
    WHERE a.kabupaten_code = ${kab} AND a.status IN ('open', 'in_progress') AND a.due_on < ${today}::date
      AND (${code === kab} OR EXISTS (SELECT 1 FROM action_region x WHERE x.action_id = a.id
        AND (x.region_code = ${code} OR x.region_code LIKE ${`${code}.%`} OR ${code} LIKE x.region_code || '.%')))`.execute(db);
  return r.rows[0]?.n ?? 0;
}

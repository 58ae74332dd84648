/**
 * What an evaluation round shows from the analytics of issue 6, read through its services (never
 * from the rollups directly): the monthly routine stunting trend (trends.service), the
 * routine-versus-survey panel per year (trends.service), and the priority villages with the
 * reasons for each rank (priority.service). The round freezes these values in its snapshot.
 */
import type { Bilingual } from '../common/i18n.js';
import { loadAnalyticsConfig } from '../analytics/analytics.repo.js';
import { ensureAnalyticsYear } from '../analytics/analytics.job.js';
import type { AnyDb } from '../analytics/analytics.tables.js';
import { parsePeriod } from '../analytics/periods.js';
import { routinePrevalenceRows } from '../analytics/prevalence.service.js';
import { priorityReport } from '../analytics/priority.service.js';
import { monthlyTrend, routineVersusSurvey } from '../analytics/trends.service.js';
import type { Period } from './period.js';

/** One month of the kabupaten's routine series: stunted ÷ stuntingDenom, D/S = measured ÷ registered. */
export interface MonthPoint {
  month: string;
  stunted: number;
  stuntingDenom: number;
  measured: number;
  registered: number;
  /** Change against the same month a year earlier, percentage points with its 95 % interval (null without both). */
  change: { points: number; low: number; high: number } | null;
}

/** A survey or published figure of the kabupaten (the panel's right-hand side). */
export interface SurveyPoint {
  year: number;
  survey: string;
  kind: 'survey' | 'routine_published';
  valuePercent: number;
  source: string;
}

/** Tumbuh's routine figure of a year (each child's latest measurement in the year) beside the surveys. */
export interface RoutineYear {
  year: number;
  prevalencePercent: number | null;
  measured: number;
  registered: number;
  coveragePercent: number | null;
  /** Routine minus the year's survey, percentage points. */
  gapPoints: number | null;
  explanation: Bilingual;
}

/** A priority village as ranked by the analytics' priority index, with the reasons in words. */
export interface PriorityVillage {
  desaCode: string;
  name: string;
  /** ranked, or verify_data: the desa's data fail plausibility ("verifikasi data dulu"), not ranked. */
  status: 'ranked' | 'verify_data';
  rank: number | null;
  /** Index points 0–100 (null when not ranked). */
  score: number | null;
  stunted: number;
  /** Percent: the year's raw routine prevalence and the rate shrunk toward the kecamatan. */
  rawPrevalence: number | null;
  shrunkPrevalence: number | null;
  /** D/S of the year, percent. */
  coverage: number | null;
  /** Components that put the desa there, largest contribution first. */
  reasons: { component: string; points: number; text: Bilingual }[];
  inLokus: boolean;
  lokus: Bilingual | null;
  note: Bilingual | null;
}

export interface RoundAnalytics {
  trend: MonthPoint[];
  survey: SurveyPoint[];
  routineYears: RoutineYear[];
  priority: PriorityVillage[];
  /** Batch tables that had to be built for the year (empty when the batch job had run). */
  built: string[];
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : 100 * x);

/**
 * The round's analytics for kabupaten `kab`: the trend from the previous period's start to the
 * period's end, the routine-versus-survey panel for those years, and the `priorityCount` first
 * priority villages of the period's final year (plus every desa to verify first).
 */
export async function roundAnalytics(db: AnyDb, kab: string, period: Period, previous: Period, priorityCount: number): Promise<RoundAnalytics> {
  const year = Number(period.end.slice(0, 4));
  const config = await loadAnalyticsConfig(db, kab);
  const built = await ensureAnalyticsYear(db, kab, year, config);
  const from = previous.start.slice(0, 7);
  const to = period.end.slice(0, 7);
  const points = await monthlyTrend(db, kab, kab, 'stunting', from, to);
  const trend: MonthPoint[] = points
    .filter((p) => p.measured > 0 || p.registered > 0)
    .map((p) => ({
      month: p.period.label, stunted: p.numerator, stuntingDenom: p.denominator, measured: p.measured, registered: p.registered,
      change: p.change ? { points: 100 * p.change.difference, low: 100 * p.change.low, high: 100 * p.change.high } : null,
    }));
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= year; y++) years.push(y);
  const panel = await routineVersusSurvey(db, kab, kab, 'stunting', years);
  const survey: SurveyPoint[] = panel.flatMap((p) => p.surveys.map((s) => ({ year: p.year, survey: s.survey, kind: s.kind, valuePercent: s.valuePercent, source: s.source })));
  const routineYears: RoutineYear[] = panel.filter((p) => p.routine !== null).map((p) => ({
    year: p.year, prevalencePercent: pct(p.routine?.prevalence), measured: p.routine?.measured ?? 0, registered: p.routine?.registered ?? 0,
    coveragePercent: pct(p.routine?.coverage), gapPoints: p.gapPoints, explanation: p.explanation,
  }));
  const [report, counts] = await Promise.all([
    priorityReport(db, kab, year, config),
    routinePrevalenceRows(db, { kabupatenCode: kab, level: 'desa', indicator: 'stunting', periods: [parsePeriod('year', String(year))], shrunkInterval: false }),
  ]);
  const byDesa = new Map(counts.map((c) => [c.code, c]));
  const village = (r: (typeof report.rows)[number]): PriorityVillage => {
    const c = byDesa.get(r.desaCode);
    return {
      desaCode: r.desaCode, name: r.name, status: r.status === 'verify_data' ? 'verify_data' : 'ranked', rank: r.rank, score: r.index,
      stunted: c?.numerator ?? 0, rawPrevalence: pct(c?.prevalence), shrunkPrevalence: pct(c?.shrunk?.rate), coverage: pct(c?.coverage),
      reasons: r.components.filter((x) => x.points > 0).sort((a, b) => b.points - a.points).map((x) => ({ component: x.component, points: x.points, text: x.text })),
      inLokus: r.inLokus, lokus: r.lokusText, note: r.note,
    };
  };
  const ranked = report.rows.filter((r) => r.status === 'ranked' && r.rank !== null).sort((a, b) => (a.rank as number) - (b.rank as number)).slice(0, priorityCount);
  const verify = report.rows.filter((r) => r.status === 'verify_data');
  return { trend, survey, routineYears, priority: [...ranked.map(village), ...verify.map(village)], built };
}

/**
 * Trends (issue 6 §4): a monthly series per region with the change against the same month a
 * year earlier, and the routine-versus-survey panel that puts the routine (e-PPGBM-like)
 * prevalence beside the official survey figure (SSGI/SKI, entered as data with year and source)
 * with the measurement coverage, so the gap is explained rather than hidden.
 * @see DOMAIN.md §5.5
 */
import type { Bilingual } from '../common/i18n.js';
import { defineMessages, tBoth } from '../common/i18n.js';
import { bilingual, num, percent } from './analytics-format.js';
import { surveyFigures } from './analytics.repo.js';
import type { AnyDb } from './analytics.tables.js';
import { addMonths, parsePeriod, periodsBetween, samePeriodLastYear, type Period } from './periods.js';
import { regionPrevalence, type RoutineIndicator } from './prevalence.service.js';
import type { RoutinePrevalence } from './routine-prevalence.js';

const M = defineMessages({
  'analytics.panel.noSurvey': {
    id: 'Tidak ada angka survei untuk tahun ini.',
    en: 'No survey figure for this year.',
  },
  'analytics.panel.noRoutine': {
    id: 'Tidak ada data rutin tahun ini.',
    en: 'No routine data this year.',
  },
  'analytics.panel.gap': {
    id: 'Angka rutin {routine} % (hanya {measured} dari {registered} balita terdaftar yang diukur, cakupan D/S {coverage} %; {flagged} nilai tidak masuk akal dikeluarkan) vs {survey} {value} % (sampel survei berbobot, mewakili semua balita): selisih {gap} poin. Angka rutin bergantung pada siapa yang datang ke posyandu dan mutu pengukuran; survei tidak memberi nama anak, data rutin memberi.',
    en: 'Routine {routine} % (only {measured} of {registered} registered under-fives measured, coverage D/S {coverage} %; {flagged} implausible values excluded) vs {survey} {value} % (weighted survey sample, representing all under-fives): a gap of {gap} points. Routine figures depend on who comes to the posyandu and on measurement quality; the survey names no child, routine data do.',
  },
});

/** A difference of two proportions with Newcombe's hybrid score interval (method 10, from the Wilson limits). */
export interface Change {
  /** p − p_last_year, as a proportion (0.012 = 1.2 percentage points). */
  difference: number;
  low: number;
  high: number;
}

/**
 * p1 − p2 with Newcombe's (1998) method-10 95 % interval built from each rate's Wilson interval;
 * null when either rate is missing.
 * @see Newcombe RG (1998) Stat Med 17:873–890
 */
export function changeBetween(now: RoutinePrevalence, before: RoutinePrevalence): Change | null {
  if (now.prevalence === null || before.prevalence === null) return null;
  const [p1, l1, u1] = [now.prevalence, now.ciLow as number, now.ciHigh as number];
  const [p2, l2, u2] = [before.prevalence, before.ciLow as number, before.ciHigh as number];
  const d = p1 - p2;
  return {
    difference: d,
    low: d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    high: d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  };
}

export interface TrendPoint extends RoutinePrevalence {
  period: Period;
  lastYear: RoutinePrevalence;
  /** Against the same month a year earlier (null when either has no child measured). */
  change: Change | null;
}

/**
 * The monthly series of one region (kabupaten, kecamatan or desa code) from `from` to `to`
 * (yyyy-mm), each month with the same month a year earlier and the change.
 */
export async function monthlyTrend(
  db: AnyDb,
  kabupatenCode: string,
  regionCode: string,
  indicator: RoutineIndicator,
  from: string,
  to: string,
): Promise<TrendPoint[]> {
  const months = periodsBetween('month', `${from}-01`, `${to}-01`);
  const earlier = months.map(samePeriodLastYear);
  const all = [...earlier.filter((p) => p.start < months[0]?.start), ...months];
  const values = await regionPrevalence(db, kabupatenCode, regionCode, indicator, all);
  const byStart = new Map(all.map((p, i) => [p.start, values[i]]));
  return months.map((period) => {
    const now = byStart.get(period.start) as RoutinePrevalence;
    const lastYear = byStart.get(addMonths(period.start, -12)) as RoutinePrevalence;
    return { ...now, period, lastYear, change: changeBetween(now, lastYear) };
  });
}

export interface PanelSurvey {
  survey: string;
  kind: 'survey' | 'routine_published';
  valuePercent: number;
  ciLowPercent: number | null;
  ciHighPercent: number | null;
  source: string;
  sourceUrl: string | null;
  note: string | null;
}

export interface PanelYear {
  year: number;
  /** Tumbuh's routine figure for the year (each child's latest measurement in the year). */
  routine: RoutinePrevalence | null;
  surveys: PanelSurvey[];
  /** Routine minus the first population survey of the year, in percentage points. */
  gapPoints: number | null;
  explanation: Bilingual;
}

/**
 * The routine-versus-survey panel of one region and indicator: per year, the routine figure
 * (with S, D, D/S and flagged-excluded) beside every survey or published figure stored for that
 * region and year, and a sentence explaining the gap.
 */
export async function routineVersusSurvey(
  db: AnyDb,
  kabupatenCode: string,
  regionCode: string,
  indicator: RoutineIndicator,
  years: readonly number[],
): Promise<PanelYear[]> {
  const figures = await surveyFigures(db, regionCode, indicator === 'severe_wasting' ? 'wasting' : indicator);
  const allYears = [...new Set([...years, ...figures.map((f) => f.year)])].sort((a, b) => a - b);
  const periods = allYears.map((y) => parsePeriod('year', String(y)));
  const routine = await regionPrevalence(db, kabupatenCode, regionCode, indicator, periods);
  return allYears.map((year, i) => {
    const r = routine[i].measured > 0 ? routine[i] : null;
    const surveys: PanelSurvey[] = figures.filter((f) => f.year === year).map((f) => ({
      survey: f.survey, kind: f.kind, valuePercent: f.value_percent, ciLowPercent: f.ci_low_percent, ciHighPercent: f.ci_high_percent,
      source: f.source, sourceUrl: f.source_url, note: f.note,
    }));
    const official = surveys.find((s) => s.kind === 'survey');
    const gapPoints = r && r.prevalence !== null && official ? 100 * r.prevalence - official.valuePercent : null;
    let explanation: Bilingual;
    if (!r) explanation = tBoth(M['analytics.panel.noRoutine']);
    else if (!official) explanation = tBoth(M['analytics.panel.noSurvey']);
    else {
      explanation = bilingual(M['analytics.panel.gap'], (lang) => ({
        routine: percent(r.prevalence, 1, lang), measured: r.measured, registered: r.registered, coverage: percent(r.coverage, 0, lang),
        flagged: r.flaggedExcluded, survey: official.survey, value: num(official.valuePercent, 1, lang), gap: num(gapPoints, 1, lang),
      }));
    }
    return { year, routine: r, surveys, gapPoints, explanation };
  });
}

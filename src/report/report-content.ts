/** Texts and colours shared by the PDF and XLSX reports (what a row or a summary line says). */
import { t, type Lang } from '../common/i18n.js';
import type { RegionInfo } from '../evaluation/achievement.repo.js';
import type { FollowUpAction } from '../evaluation/follow-up.service.js';
import type { EvaluationFigures, PriorityVillage } from '../evaluation/round.service.js';
import type { ScoreStatus } from '../evaluation/scorecard.js';
import type { ScorecardRow } from '../evaluation/scorecard.service.js';
import type { EvaluationReportModel } from './evaluation-report.model.js';
import { fmtNumber, fmtValue } from './report-format.js';
import { R } from './report-labels.js';

export const STATUS_COLORS: Record<ScoreStatus, string> = {
  tercapai: '#27ae60', hampir_tercapai: '#f1c40f', belum_tercapai: '#e74c3c', tidak_ada_data: '#bdc3c7',
};

/** WHO public-health bands of stunting prevalence (DOMAIN.md §1.5), lightest to darkest. */
export const PREVALENCE_BANDS = [
  { upTo: 2.5, label: '< 2.5 %', color: '#fef0d9' },
  { upTo: 10, label: '2.5 – < 10 %', color: '#fdcc8a' },
  { upTo: 20, label: '10 – < 20 %', color: '#fc8d59' },
  { upTo: 30, label: '20 – < 30 %', color: '#e34a33' },
  { upTo: Number.POSITIVE_INFINITY, label: '>= 30 %', color: '#b30000' },
] as const;

/** The map colour of a prevalence (percent), grey without data. */
export function prevalenceColor(p: number | null): string {
  if (p === null) return '#d5d8dc';
  return (PREVALENCE_BANDS.find((b) => p < b.upTo) ?? PREVALENCE_BANDS[PREVALENCE_BANDS.length - 1]).color;
}

/** A region's name from its code (the code itself when unknown). */
export function regionName(regions: readonly RegionInfo[], code: string | null): string {
  if (!code) return '–';
  return regions.find((r) => r.code === code)?.name ?? code;
}

export function statusText(s: ScoreStatus, lang: Lang): string {
  return t(`report.status.${s}`, {}, lang);
}

/** "90 %" with its source document, carried-forward year and the disagreeing figures. */
export function targetText(r: ScorecardRow, unit: string, lang: Lang): string {
  if (!r.target) return '–';
  let s = `${fmtValue(r.target.value, unit, lang)} (${r.target.sourceKey}${r.target.level !== 'nasional' ? `, ${r.target.level}` : ''}`;
  if (r.target.carriedFrom !== null) s += `, ${t(R['report.targetCarried'], { year: r.target.carriedFrom }, lang)}`;
  s += ')';
  if (r.target.alternatives.length) s += `; ${t(R['report.targetAlt'], { list: r.target.alternatives.map((a) => `${fmtValue(a.value, unit, lang)} ${a.sourceKey}`).join(', ') }, lang)}`;
  return s;
}

/** "membaik (+2,3)" against the previous period. */
export function trendText(r: ScorecardRow, unit: string, lang: Lang): string {
  if (r.trend === 'tidak_ada_data' || r.delta === null) return '–';
  const d = unit === 'percent' ? fmtNumber(r.delta, 1, lang) : fmtNumber(r.delta, 0, lang);
  return `${t(`report.trend.${r.trend}`, {}, lang)} (${r.delta > 0 ? '+' : ''}${d})`;
}

export function actionStatusText(a: Pick<FollowUpAction, 'status' | 'daysOverdue'>, lang: Lang): string {
  return t(`report.action.${a.status}`, { days: a.daysOverdue }, lang);
}

/** Why a village is where it is: the index components in words (or why it is not ranked) and its lokus status. */
export function priorityReasons(p: PriorityVillage, lang: Lang): string {
  const parts = p.status === 'verify_data' && p.note ? [p.note[lang]] : p.reasons.map((r) => r.text[lang]);
  if (p.lokus) parts.push(p.lokus[lang]);
  return parts.join('; ');
}

/** Tumbuh's routine prevalence per calendar year (each child's latest measurement in the year), percent. */
export function annualRoutine(f: Pick<EvaluationFigures, 'routineYears'>): Map<number, number> {
  return new Map(f.routineYears.filter((y) => y.prevalencePercent !== null).map((y) => [y.year, y.prevalencePercent as number]));
}

/** The executive summary's lines, with the district's numbers. */
export function reportSummary(m: EvaluationReportModel, lang: Lang): string[] {
  const f = m.figures;
  const kab = f.scorecard.filter((r) => r.level === 'kabupaten');
  const out: string[] = [];
  const prev = kab.find((r) => r.indicatorId === 'OUT-01');
  if (prev) {
    out.push(t(R['report.sum.prevalence'], {
      value: fmtValue(prev.value, 'percent', lang), target: fmtValue(prev.target?.value, 'percent', lang), source: prev.target?.sourceKey ?? '–',
      status: statusText(prev.status, lang), previous: fmtValue(prev.previous, 'percent', lang), trend: t(`report.trend.${prev.trend}`, {}, lang),
    }, lang));
  }
  const ds = kab.find((r) => r.indicatorId === 'SPE-07');
  if (ds) out.push(t(R['report.sum.coverage'], { value: fmtValue(ds.value, 'percent', lang), completeness: fmtValue(ds.completeness, 'percent', lang) }, lang));
  const c = (s: ScoreStatus) => kab.filter((r) => r.status === s).length;
  out.push(t(R['report.sum.statuses'], { total: kab.length, tercapai: c('tercapai'), hampir: c('hampir_tercapai'), belum: c('belum_tercapai'), nodata: c('tidak_ada_data') }, lang));
  const worst = kab.filter((r) => r.status === 'belum_tercapai' && r.ratio !== null).sort((a, b) => (a.ratio as number) - (b.ratio as number)).slice(0, 3);
  if (worst.length) {
    out.push(t(R['report.sum.worst'], {
      list: worst.map((r) => {
        const unit = f.indicators.find((i) => i.id === r.indicatorId)?.unit ?? 'percent';
        return `${r.indicatorId} ${fmtValue(r.value, unit, lang)} / ${fmtValue(r.target?.value, unit, lang)}`;
      }).join('; '),
    }, lang));
  }
  const survey = [...f.survey].filter((s) => s.kind === 'survey').sort((a, b) => b.year - a.year)[0];
  if (survey) out.push(t(R['report.sum.survey'], { survey: survey.survey, value: fmtValue(survey.valuePercent, 'percent', lang), year: survey.year }, lang));
  if (f.priority.some((p) => p.status === 'ranked')) out.push(t(R['report.sum.priority'], { list: f.priority.filter((p) => p.status === 'ranked').slice(0, 5).map((p) => `${regionName(f.regions, p.desaCode)} (${fmtValue(p.rawPrevalence, 'percent', lang)})`).join(', ') }, lang));
  const low = [...f.validity].filter((v) => v.score !== null).sort((a, b) => (a.score as number) - (b.score as number)).slice(0, 2);
  if (low.length) out.push(t(R['report.sum.validity'], { list: low.map((v) => `${regionName(f.regions, v.regionCode)} ${fmtNumber(v.score, 0, lang)}`).join(', ') }, lang));
  out.push(t(R['report.sum.actions'], {
    total: m.actions.length, late: m.actions.filter((a) => a.status === 'terlambat').length, done: m.actions.filter((a) => a.status === 'selesai').length,
    gaps: m.roles.gaps.length, offTrack: m.roles.offTrack,
  }, lang));
  return out;
}

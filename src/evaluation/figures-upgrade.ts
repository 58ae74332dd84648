/**
 * Reads a round snapshot frozen by an earlier version. Version 1 (before the evaluation read the
 * analytics services) held each desa's latest month, a month series without the change against the
 * last year, and priority villages of the evaluation's own index with coded reasons; they are
 * shown as they were frozen, reshaped to version 2 — never recomputed, as a frozen round's
 * figures must not move.
 */
import type { Bilingual } from '../common/i18n.js';
import type { EvaluationFigures } from './round.service.js';

interface V1 {
  version: 1;
  trend: { month: string; stunted: number; stuntingDenom: number; measured: number; registered: number }[];
  desaLatest: { desaCode: string; stunted: number; stuntingDenom: number }[];
  priority: { desaCode: string; rank: number; score: number; prevalence: number | null; rawPrevalence: number | null; stunted: number; coverage: number | null;
    reasons: { code: 'prevalence' | 'stunted' | 'coverage' | 'offTrack'; value: number; rank: number }[] }[];
  regions: { code: string; name: string }[];
}

const fmt = (x: number, digits: number, comma: boolean) => (comma ? x.toFixed(digits).replace('.', ',') : x.toFixed(digits));

function reasonText(r: V1['priority'][number]['reasons'][number]): Bilingual {
  const v = (comma: boolean) => (r.code === 'prevalence' || r.code === 'coverage' ? `${fmt(r.value, 1, comma)} %` : fmt(r.value, 0, comma));
  switch (r.code) {
    case 'prevalence': return { id: `prevalensi ${v(true)} (peringkat ${r.rank})`, en: `prevalence ${v(false)} (rank ${r.rank})` };
    case 'stunted': return { id: `${v(true)} balita stunting (peringkat ${r.rank})`, en: `${v(false)} stunted children (rank ${r.rank})` };
    case 'coverage': return { id: `D/S hanya ${v(true)} (peringkat ${r.rank})`, en: `D/S only ${v(false)} (rank ${r.rank})` };
    case 'offTrack': return { id: `${v(true)} indikator belum tercapai`, en: `${v(false)} indicators off-track` };
  }
}

/** A stored snapshot payload as version-2 figures (version 2 is returned unchanged). */
export function upgradeFigures(payload: unknown): EvaluationFigures {
  const p = payload as { version: number };
  if (p.version !== 1) return payload as EvaluationFigures;
  const { desaLatest, ...v1 } = payload as V1 & Record<string, unknown>;
  const years = new Map<number, { s: number; n: number; d: number; r: number }>();
  for (const m of v1.trend) {
    const y = years.get(Number(m.month.slice(0, 4))) ?? { s: 0, n: 0, d: 0, r: 0 };
    y.s += m.stunted; y.n += m.stuntingDenom; y.d += m.measured; y.r += m.registered;
    years.set(Number(m.month.slice(0, 4)), y);
  }
  const none: Bilingual = { id: 'Dibekukan sebelum panel rutin-survei tersedia.', en: 'Frozen before the routine-versus-survey panel existed.' };
  return {
    ...(v1 as unknown as EvaluationFigures),
    version: 2,
    trend: v1.trend.map((m) => ({ ...m, change: null })),
    desaYear: desaLatest.map((d) => ({ desaCode: d.desaCode, prevalence: d.stuntingDenom > 0 ? (100 * d.stunted) / d.stuntingDenom : null, stunted: d.stunted, denominator: d.stuntingDenom })),
    routineYears: [...years].filter(([, y]) => y.n > 0).map(([year, y]) => ({
      year, prevalencePercent: (100 * y.s) / y.n, measured: y.d, registered: y.r, coveragePercent: y.r > 0 ? (100 * y.d) / y.r : null, gapPoints: null, explanation: none,
    })),
    priority: v1.priority.map((v) => ({
      desaCode: v.desaCode, name: v1.regions.find((r) => r.code === v.desaCode)?.name ?? v.desaCode, status: 'ranked' as const, rank: v.rank, score: v.score,
      stunted: v.stunted, rawPrevalence: v.rawPrevalence, shrunkPrevalence: v.prevalence, coverage: v.coverage,
      reasons: v.reasons.map((r) => ({ component: r.code, points: 0, text: reasonText(r) })), inLokus: false, lokus: null, note: null,
    })),
  };
}

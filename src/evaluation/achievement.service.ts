/**
 * Achievements per indicator, region and period: from by-name data where Tumbuh holds them
 * (summed per desa, then kecamatan and kabupaten as Σnumerator ÷ Σdenominator — never an
 * average of percentages), otherwise from the sector figures entered with evidence. Every value
 * carries its source and completeness.
 */
import type { IndicatorMethods, ScorecardSettings } from './evaluation-config.js';
import type { EvalDb } from '../db/schema.js';
import { byNameCounts, desaReporting, regionsOf, sectorFigures, type RegionInfo, type SectorFigure } from './achievement.repo.js';
import { monthsOf, type Period } from './period.js';

export type Unit = 'percent' | 'persons' | 'families' | 'count';

export interface EvidenceRef {
  source: string;
  evidence: string | null;
  evidenceUrl: string | null;
  enteredBy: string | null;
  enteredAt: string;
  periodStart: string;
  periodEnd: string;
}

/** One indicator's achievement in one region over one period. */
export interface Achievement {
  indicatorId: string;
  regionCode: string;
  level: RegionInfo['level'];
  method: 'by_name' | 'sector_figure';
  numerator: number | null;
  denominator: number | null;
  /** Percent (0–100) for percentage indicators, otherwise the count; null = no data. */
  value: number | null;
  /** Where the value comes from, in words (a sector's name or "by-name"). */
  source: string;
  /** Share (0–100) of the region's desa that reported (by-name: months weighed; sector: figures entered). */
  completeness: number | null;
  unitsReporting: number;
  unitsTotal: number;
  /** Up to three entries behind a sector figure, and how many there are in all. */
  evidence: EvidenceRef[];
  evidenceCount: number;
}

export interface IndicatorForAchievement {
  id: string;
  unit: Unit;
}

interface Acc {
  num: number;
  den: number;
  withData: number;
  complete: number;
  figures: SectorFigure[];
  valuesOnly: number;
}

const emptyAcc = (): Acc => ({ num: 0, den: 0, withData: 0, complete: 0, figures: [], valuesOnly: 0 });

/** The region a desa rolls up into at each level (the desa itself, its kecamatan, the kabupaten). */
function ancestors(code: string): string[] {
  return [code, code.slice(0, 8), code.slice(0, 5)];
}

function evidenceOf(figures: SectorFigure[]): { evidence: EvidenceRef[]; count: number } {
  const seen = new Map<string, EvidenceRef>();
  for (const f of figures) {
    const key = `${f.source}|${f.enteredBy ?? ''}|${f.evidence ?? ''}|${f.evidenceUrl ?? ''}`;
    if (!seen.has(key)) {
      seen.set(key, { source: f.source, evidence: f.evidence, evidenceUrl: f.evidenceUrl, enteredBy: f.enteredBy, enteredAt: f.enteredAt, periodStart: f.periodStart, periodEnd: f.periodEnd });
    }
  }
  return { evidence: [...seen.values()].slice(0, 3), count: figures.length };
}

const BY_NAME_SOURCE = 'Data by-name Tumbuh (posyandu, layanan, keluarga)';

/**
 * Every indicator's achievement for every region of the kabupaten (kabupaten, kecamatan, desa)
 * over `period`.
 */
export async function computeAchievements(
  db: EvalDb,
  kab: string,
  period: Period,
  indicators: readonly IndicatorForAchievement[],
  methods: IndicatorMethods,
  settings: ScorecardSettings,
): Promise<Achievement[]> {
  const regions = await regionsOf(db, kab);
  const desa = regions.filter((r) => r.level === 'desa');
  const desaUnder = new Map<string, number>();
  for (const d of desa) for (const a of ancestors(d.code)) desaUnder.set(a, (desaUnder.get(a) ?? 0) + 1);
  const months = monthsOf(period).length;
  const reporting = await desaReporting(db, kab, period);
  const reportShare = new Map<string, { reported: number }>();
  for (const r of reporting) {
    for (const a of ancestors(r.desaCode)) {
      const cur = reportShare.get(a) ?? { reported: 0 };
      cur.reported += Math.min(r.monthsReported, months);
      reportShare.set(a, cur);
    }
  }
  const figures = await sectorFigures(db, kab, period);
  const counts = new Map(await Promise.all(indicators.map(async (ind) => {
    const m = methods.indicators[ind.id];
    return [ind.id, m?.method === 'by_name' ? await byNameCounts(db, m.key, kab, period, settings) : []] as const;
  })));
  const out: Achievement[] = [];

  for (const ind of indicators) {
    const m = methods.indicators[ind.id];
    if (!m) continue;
    const percent = ind.unit === 'percent';
    if (m.method === 'by_name') {
      const acc = new Map<string, Acc>();
      for (const c of counts.get(ind.id) ?? []) {
        for (const a of ancestors(c.desaCode)) {
          const x = acc.get(a) ?? emptyAcc();
          x.num += c.numerator;
          x.den += c.denominator;
          if (c.denominator > 0) x.withData++;
          acc.set(a, x);
        }
      }
      for (const region of regions) {
        const x = acc.get(region.code) ?? emptyAcc();
        const total = desaUnder.get(region.code) ?? 0;
        const rep = reportShare.get(region.code)?.reported ?? 0;
        const value = x.den > 0 ? (percent ? (100 * x.num) / x.den : x.num) : null;
        out.push({
          indicatorId: ind.id, regionCode: region.code, level: region.level, method: 'by_name',
          numerator: x.den > 0 ? x.num : null, denominator: x.den > 0 ? x.den : null, value,
          source: BY_NAME_SOURCE, completeness: total > 0 && months > 0 ? (100 * rep) / (total * months) : null,
          unitsReporting: x.withData, unitsTotal: total, evidence: [], evidenceCount: 0,
        });
      }
      continue;
    }
    const own = figures.filter((f) => f.indicatorId === ind.id);
    const direct = new Map(own.map((f) => [f.regionCode, f]));
    const acc = new Map<string, Acc>();
    for (const f of own) {
      if (f.regionCode.length !== 13) continue;
      for (const a of ancestors(f.regionCode)) {
        const x = acc.get(a) ?? emptyAcc();
        x.figures.push(f);
        x.withData++;
        if (f.numerator !== null && (f.denominator !== null || !percent)) {
          x.num += f.numerator;
          x.den += f.denominator ?? 0;
        } else if (!percent && f.value !== null) x.num += f.value;
        else x.valuesOnly++;
        acc.set(a, x);
      }
    }
    for (const region of regions) {
      const total = desaUnder.get(region.code) ?? 0;
      const d = direct.get(region.code);
      if (d && region.level !== 'desa') {
        // A figure entered for the whole kecamatan/kabupaten is taken as entered.
        const { evidence, count } = evidenceOf([d]);
        out.push({
          indicatorId: ind.id, regionCode: region.code, level: region.level, method: 'sector_figure',
          numerator: d.numerator, denominator: d.denominator,
          value: d.value ?? (percent && d.numerator !== null && d.denominator ? (100 * d.numerator) / d.denominator : d.numerator),
          source: d.source, completeness: d.completenessPercent ?? 100, unitsReporting: total, unitsTotal: total, evidence, evidenceCount: count,
        });
        continue;
      }
      const x = acc.get(region.code);
      if (!x) {
        out.push({
          indicatorId: ind.id, regionCode: region.code, level: region.level, method: 'sector_figure', numerator: null,
          denominator: null, value: null, source: m.opd, completeness: total > 0 ? 0 : null, unitsReporting: 0, unitsTotal: total, evidence: [], evidenceCount: 0,
        });
        continue;
      }
      let value: number | null;
      if (region.level === 'desa' && d) value = d.value ?? (percent && d.denominator ? (100 * (d.numerator ?? 0)) / d.denominator : d.numerator);
      else if (x.valuesOnly > 0) value = null; // percentages without denominators cannot be summed
      else value = percent ? (x.den > 0 ? (100 * x.num) / x.den : null) : x.num;
      const { evidence, count } = evidenceOf(x.figures);
      const sources = [...new Set(x.figures.map((f) => f.source))].join('; ');
      out.push({
        indicatorId: ind.id, regionCode: region.code, level: region.level, method: 'sector_figure',
        numerator: x.valuesOnly > 0 ? null : x.num, denominator: percent && x.valuesOnly === 0 ? x.den : null, value,
        source: sources, completeness: total > 0 ? (100 * x.withData) / total : null, unitsReporting: x.withData, unitsTotal: total,
        evidence, evidenceCount: count,
      });
    }
  }
  return out;
}

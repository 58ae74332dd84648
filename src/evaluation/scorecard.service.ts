/**
 * The scorecard of a kabupaten for a period: every indicator × region (kabupaten, kecamatan,
 * desa) with its achievement, the target that applies, the status, and the trend against the
 * previous period of the same length. Sector by sector through each row's `sector`.
 */
import type { IndicatorMethods, ScorecardSettings, Sector } from './evaluation-config.js';
import type { EvalDb } from '../db/schema.js';
import { computeAchievements, type Achievement, type Unit } from './achievement.service.js';
import { previousPeriod, targetYearOf, type Period } from './period.js';
import { performanceRatio, scoreStatus, trendOf, type Direction, type ScoreStatus, type Trend } from './scorecard.js';
import { resolveTarget, type ResolvedTarget, type TargetRow } from './targets.js';

export interface IndicatorMeta {
  id: string;
  kind: 'spesifik' | 'sensitif' | 'outcome' | 'lainnya';
  unit: Unit;
  direction: Direction;
  nameId: string;
  nameEn: string;
  targetGroup: string;
  numerator: string;
  denominator: string | null;
  opd: string;
  sector: Sector;
  method: 'by_name' | 'sector_figure';
  howId: string;
  howEn: string;
}

export interface ScorecardRow extends Achievement {
  sector: Sector;
  target: ResolvedTarget | null;
  status: ScoreStatus;
  /** Achievement ÷ target (target ÷ achievement when lower is better); null without both. */
  ratio: number | null;
  previous: number | null;
  trend: Trend;
  delta: number | null;
}

export interface Scorecard {
  kabupatenCode: string;
  period: Period;
  previousPeriod: Period;
  targetYear: number;
  rows: ScorecardRow[];
}

/** The catalogue indicators that have a measuring method, with it. */
export async function loadIndicatorMeta(db: EvalDb, methods: IndicatorMethods): Promise<IndicatorMeta[]> {
  const rows = await db.selectFrom('indicator').selectAll().orderBy('id').execute();
  const order = (id: string) => (id.startsWith('OUT') ? 0 : id.startsWith('SPE') ? 1 : id.startsWith('SEN') ? 2 : 3);
  return rows
    .filter((r) => methods.indicators[r.id])
    .map((r) => {
      const m = methods.indicators[r.id];
      return {
        id: r.id, kind: r.kind, unit: r.unit, direction: r.direction, nameId: r.name_id, nameEn: r.name_en, targetGroup: r.target_group,
        numerator: r.numerator, denominator: r.denominator, opd: m.opd, sector: m.sector, method: m.method, howId: m.how_id, howEn: m.how_en,
      };
    })
    .sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id));
}

/** Every target row, grouped by indicator. */
export async function loadTargets(db: EvalDb): Promise<Map<string, TargetRow[]>> {
  const rows = await db.selectFrom('target').selectAll().execute();
  const out = new Map<string, TargetRow[]>();
  for (const r of rows) {
    const list = out.get(r.indicator_id) ?? [];
    list.push({ indicatorId: r.indicator_id, year: r.year, level: r.level, regionCode: r.region_code, value: Number(r.value), sourceKey: r.source_key, verified: r.verified, origin: r.origin });
    out.set(r.indicator_id, list);
  }
  return out;
}

/** The district's choices between disagreeing target documents, key `${indicator}|${year}`. */
export async function loadPreferences(db: EvalDb, kab: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('target_preference').selectAll().where('kabupaten_code', '=', kab).execute();
  return new Map(rows.map((r) => [`${r.indicator_id}|${r.year}`, r.source_key]));
}

/** Builds the scorecard of `period` (figures computed now from the database). */
export async function buildScorecard(db: EvalDb, kab: string, period: Period, settings: ScorecardSettings, methods: IndicatorMethods): Promise<{ scorecard: Scorecard; indicators: IndicatorMeta[] }> {
  const indicators = await loadIndicatorMeta(db, methods);
  const targets = await loadTargets(db);
  const choice = { preferences: await loadPreferences(db, kab), sourcePriority: settings.sourcePriority, carryForward: settings.carryForwardTargets };
  const prev = previousPeriod(period);
  // Both periods at once: the queries are independent and PostgreSQL runs them on separate connections.
  const [current, before] = await Promise.all([
    computeAchievements(db, kab, period, indicators, methods, settings),
    computeAchievements(db, kab, prev, indicators, methods, settings),
  ]);
  const prevValue = new Map(before.map((a) => [`${a.indicatorId}|${a.regionCode}`, a.value]));
  const meta = new Map(indicators.map((i) => [i.id, i]));
  const year = targetYearOf(period);
  const rows: ScorecardRow[] = current.map((a) => {
    const ind = meta.get(a.indicatorId) as IndicatorMeta;
    const target = resolveTarget(targets.get(a.indicatorId) ?? [], a.regionCode, year, choice);
    const status = scoreStatus(a.value, target?.value ?? null, ind.direction, settings.thresholds);
    const previous = prevValue.get(`${a.indicatorId}|${a.regionCode}`) ?? null;
    const { trend, delta } = trendOf(a.value, previous, ind.direction, settings.trendTolerance);
    const ratio = a.value !== null && target ? performanceRatio(a.value, target.value, ind.direction) : null;
    return { ...a, sector: ind.sector, target, status, ratio: ratio !== null && Number.isFinite(ratio) ? ratio : null, previous, trend, delta };
  });
  return { scorecard: { kabupatenCode: kab, period, previousPeriod: prev, targetYear: year, rows }, indicators };
}

/**
 * Routine prevalence service (issue 6 §1–2): stunting (HAZ < −2, < −3), wasting (< −2, < −3),
 * underweight and overweight per kabupaten, kecamatan, desa and posyandu, per month, quarter,
 * semester, year or bulan penimbangan, read from the rollups only. Each rate carries numerator,
 * denominator, S, D, D/S, flagged-excluded and a Wilson 95 % interval; higher levels sum the
 * counts of their desa (never average percentages); desa and posyandu rates also come shrunk
 * toward their kecamatan (empirical Bayes) beside the raw rate.
 * @see DOMAIN.md §5.5; routine-prevalence.ts; small-area.ts
 */
import { sql } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { listPosyandu, listRegions, regionCountsByPeriod } from './analytics.repo.js';
import { analyticsDb, type AnyDb, type PeriodCounts } from './analytics.tables.js';
import { parsePeriod, type Period, type PeriodType } from './periods.js';
import { aggregateRoutine, routinePrevalence, type RoutineCounts, type RoutinePrevalence } from './routine-prevalence.js';
import { fitBetaPrior, shrinkTowardParent, type AreaCount } from './small-area.js';

export type RoutineIndicator = 'stunting' | 'severe_stunting' | 'wasting' | 'severe_wasting' | 'underweight' | 'overweight';
export const ROUTINE_INDICATORS: readonly RoutineIndicator[] = ['stunting', 'severe_stunting', 'wasting', 'severe_wasting', 'underweight', 'overweight'];
export type RegionLevel = 'kabupaten' | 'kecamatan' | 'desa' | 'posyandu';

const M = defineMessages({
  'analytics.prevalence.badIndicator': {
    id: 'Indikator {name} tidak dikenal (stunting, severe_stunting, wasting, severe_wasting, underweight, overweight)',
    en: 'Unknown indicator {name} (stunting, severe_stunting, wasting, severe_wasting, underweight, overweight)',
  },
});

/** Cut-offs in words, for labels: which counts are the numerator and the denominator. */
const COLUMNS: Record<RoutineIndicator, { numerator: keyof PeriodCounts; denominator: keyof PeriodCounts }> = {
  stunting: { numerator: 'stunted', denominator: 'stunting_denom' },
  severe_stunting: { numerator: 'severely_stunted', denominator: 'stunting_denom' },
  wasting: { numerator: 'wasted', denominator: 'wasting_denom' },
  severe_wasting: { numerator: 'severely_wasted', denominator: 'wasting_denom' },
  underweight: { numerator: 'underweight', denominator: 'underweight_denom' },
  overweight: { numerator: 'overweight', denominator: 'wasting_denom' },
};

/** Checks an indicator name from outside (CLI, HTTP). */
export function parseIndicator(name: string): RoutineIndicator {
  if (!(ROUTINE_INDICATORS as readonly string[]).includes(name)) throw new AppError('bad_indicator', M['analytics.prevalence.badIndicator'], { name });
  return name as RoutineIndicator;
}

/** The routine counts of one rollup row for one indicator. */
export function countsFor(row: PeriodCounts, indicator: RoutineIndicator): RoutineCounts {
  const c = COLUMNS[indicator];
  return {
    numerator: row[c.numerator],
    denominator: row[c.denominator],
    registered: row.registered,
    measured: row.measured,
    flaggedExcluded: row.flagged,
  };
}

/** The shrunk (empirical-Bayes) estimate shown beside a desa's or posyandu's raw rate. */
export interface ShrunkEstimate {
  rate: number;
  /** 95 % posterior interval; null when not asked for (see PrevalenceQuery.shrunkInterval). */
  low: number | null;
  high: number | null;
  /** How far the unit was pulled toward its kecamatan: 0 not at all, 1 all the way. */
  shrinkage: number;
  /** The kecamatan's pooled rate it was pulled toward. */
  parentRate: number;
}

export interface PrevalenceRow extends RoutinePrevalence {
  level: RegionLevel;
  /** Region code, or the posyandu id as text. */
  code: string;
  name: string;
  /** Desa of a posyandu, kecamatan of a desa, kabupaten of a kecamatan. */
  parentCode: string | null;
  period: Period;
  indicator: RoutineIndicator;
  /** Desa and posyandu only (null when no child was measured). */
  shrunk: ShrunkEstimate | null;
}

export interface PrevalenceQuery {
  kabupatenCode: string;
  level: RegionLevel;
  indicator: RoutineIndicator;
  /** Periods of one type (e.g. 24 months); one query reads all of them. */
  periods: readonly Period[];
  /** Only this desa's posyandu (level posyandu) or only this desa/kecamatan's rows. */
  within?: string;
  /**
   * Also the 95 % posterior interval of the shrunk rates (default: only for a single period).
   * Each interval costs two incomplete-beta inversions (~0.15 ms each), so a desa × 24-month grid
   * shows shrunk rates and asks for intervals only where a user opens one period.
   */
  shrunkInterval?: boolean;
}

/**
 * Posterior means (and shrinkage weights) of units toward their parent, without intervals: the
 * same estimator as shrinkTowardParent, for grids of many periods.
 */
export function shrunkRates(units: readonly AreaCount[]): Map<string, ShrunkEstimate> {
  const byParent = new Map<string, AreaCount[]>();
  for (const u of units) {
    let list = byParent.get(u.parent);
    if (!list) byParent.set(u.parent, (list = []));
    list.push(u);
  }
  const out = new Map<string, ShrunkEstimate>();
  for (const list of byParent.values()) {
    const prior = fitBetaPrior(list);
    if (!prior) continue;
    for (const u of list) {
      if (u.n === 0) continue;
      out.set(u.code, {
        rate: (u.cases + prior.alpha) / (u.n + prior.strength),
        low: null,
        high: null,
        shrinkage: prior.strength / (u.n + prior.strength),
        parentRate: prior.mean,
      });
    }
  }
  return out;
}

interface Naming {
  regions: Map<string, { name: string; parentCode: string | null }>;
  posyandu: Map<string, { name: string; desaCode: string }>;
}

const namingCache = new WeakMap<object, Map<string, { at: number; naming: Naming }>>();

/** Region and posyandu names of a kabupaten, kept for a minute per connection (small, rarely changing). */
async function naming(db: AnyDb, kabupatenCode: string): Promise<Naming> {
  let perDb = namingCache.get(db);
  if (!perDb) namingCache.set(db, (perDb = new Map()));
  const hit = perDb.get(kabupatenCode);
  if (hit && performance.now() - hit.at < 60_000) return hit.naming;
  const [regions, posyandu] = await Promise.all([listRegions(db, kabupatenCode), listPosyandu(db, kabupatenCode)]);
  const n: Naming = {
    regions: new Map(regions.map((r) => [r.code, { name: r.name, parentCode: r.parentCode }])),
    posyandu: new Map(posyandu.map((p) => [String(p.id), { name: p.name, desaCode: p.desaCode }])),
  };
  perDb.set(kabupatenCode, { at: performance.now(), naming: n });
  return n;
}

/** Forgets the cached names (after regions or posyandu changed). */
export function clearNamingCache(db: AnyDb): void {
  namingCache.delete(db);
}

/** One indicator's counts per unit and period, as parallel arrays (what the grid query returns). */
interface GridColumns {
  unit: string[];
  desa: string[];
  start: string[];
  num: number[];
  den: number[];
  registered: number[];
  measured: number[];
  flagged: number[];
}

/**
 * The counts a prevalence grid needs — five numbers per unit × period, one row of parallel
 * arrays: the 24-month desa grid is 2,256 rows, and decoding them row by row with all 18 rollup
 * columns cost more than the whole query in PostgreSQL.
 */
async function gridCounts(db: AnyDb, kabupatenCode: string, unit: 'desa' | 'posyandu', type: PeriodType, starts: readonly string[], indicator: RoutineIndicator): Promise<GridColumns> {
  const monthly = type === 'month' || type === 'bpb';
  const table = sql.raw(`rollup_${unit}_${monthly ? 'month' : 'period'}`);
  const unitCol = sql.raw(unit === 'desa' ? 'desa_code' : 'posyandu_id::text');
  const start = sql.raw(monthly ? 'month' : 'period_start');
  const typeFilter = monthly ? sql`` : sql`AND period_type = ${type}`;
  const c = COLUMNS[indicator];
  const r = await sql<Partial<GridColumns>>`
    SELECT array_agg(${unitCol}) AS unit, array_agg(desa_code) AS desa, array_agg(${start}::text) AS start,
      array_agg(${sql.ref(c.numerator)}) AS num, array_agg(${sql.ref(c.denominator)}) AS den, array_agg(registered) AS registered,
      array_agg(measured) AS measured, array_agg(flagged) AS flagged
    FROM ${table}
    WHERE kabupaten_code = ${kabupatenCode} AND ${start} = ANY(${[...starts]}::date[]) ${typeFilter}`.execute(analyticsDb(db));
  const g = r.rows[0] ?? {};
  return {
    unit: g.unit ?? [], desa: g.desa ?? [], start: g.start ?? [], num: g.num ?? [], den: g.den ?? [],
    registered: g.registered ?? [], measured: g.measured ?? [], flagged: g.flagged ?? [],
  };
}

function unitKey(level: RegionLevel, unit: string, desa: string): string {
  if (level === 'posyandu') return unit;
  if (level === 'desa') return desa;
  if (level === 'kecamatan') return desa.slice(0, 8);
  return desa.slice(0, 5);
}

/**
 * Routine prevalence rows for every unit of a level and every period asked for, from the
 * rollups (sums of counts, Wilson 95 % CI, D/S, flagged-excluded; desa and posyandu with the
 * shrunk estimate beside the raw one). Rows are ordered by period, then code.
 */
export async function routinePrevalenceRows(db: AnyDb, q: PrevalenceQuery): Promise<PrevalenceRow[]> {
  if (q.periods.length === 0) return [];
  const type = q.periods[0].type;
  const unit = q.level === 'posyandu' ? 'posyandu' : 'desa';
  const [g, names] = await Promise.all([
    gridCounts(db, q.kabupatenCode, unit, type, q.periods.map((p) => p.start), q.indicator),
    naming(db, q.kabupatenCode),
  ]);
  const byStart = new Map<string, number[]>();
  for (let i = 0; i < g.start.length; i++) {
    let list = byStart.get(g.start[i]);
    if (!list) byStart.set(g.start[i], (list = []));
    list.push(i);
  }
  const out: PrevalenceRow[] = [];
  for (const period of q.periods) {
    const list = byStart.get(period.start) ?? [];
    const sums = aggregateRoutine(list, (i) => unitKey(q.level, g.unit[i], g.desa[i]), (i) => ({
      numerator: g.num[i], denominator: g.den[i], registered: g.registered[i], measured: g.measured[i], flaggedExcluded: g.flagged[i],
    }));
    let shrunk = new Map<string, ShrunkEstimate>();
    if (q.level === 'desa' || q.level === 'posyandu') {
      const units = [...sums].map(([code, s]) => {
        const desa = q.level === 'desa' ? code : (names.posyandu.get(code)?.desaCode ?? g.desa[list.find((i) => g.unit[i] === code) as number] ?? '');
        return { code, parent: desa.slice(0, 8), cases: s.numerator, n: s.denominator };
      });
      if (q.shrunkInterval ?? q.periods.length === 1) {
        for (const e of shrinkTowardParent(units)) {
          if (e.n === 0) continue;
          shrunk.set(e.code, { rate: e.shrunkRate, low: e.low, high: e.high, shrinkage: e.shrinkage, parentRate: e.prior.mean });
        }
      } else shrunk = shrunkRates(units);
    }
    const codes = [...sums.keys()].sort();
    for (const code of codes) {
      if (q.within && !(q.level === 'posyandu' ? names.posyandu.get(code)?.desaCode.startsWith(q.within) : code.startsWith(q.within))) continue;
      const p = names.posyandu.get(code);
      const region = names.regions.get(code);
      const row = sums.get(code) as RoutinePrevalence & Partial<PrevalenceRow>;
      row.level = q.level;
      row.code = code;
      row.name = q.level === 'posyandu' ? (p?.name ?? code) : (region?.name ?? code);
      row.parentCode = q.level === 'posyandu' ? (p?.desaCode ?? null) : (region?.parentCode ?? null);
      row.period = period;
      row.indicator = q.indicator;
      row.shrunk = shrunk.get(code) ?? null;
      out.push(row as PrevalenceRow);
    }
  }
  return out;
}

/** Routine prevalence of one region (kabupaten, kecamatan or desa code) in each period, as sums of its desa. */
export async function regionPrevalence(
  db: AnyDb,
  kabupatenCode: string,
  regionCode: string,
  indicator: RoutineIndicator,
  periods: readonly Period[],
): Promise<RoutinePrevalence[]> {
  if (periods.length === 0) return [];
  const rows = await regionCountsByPeriod(db, kabupatenCode, regionCode, periods[0].type, periods.map((p) => p.start));
  const sums = aggregateRoutine(rows, (r) => r.periodStart, (r) => countsFor(r, indicator));
  return periods.map((p) => sums.get(p.start) ?? routinePrevalence({ numerator: 0, denominator: 0, registered: 0, measured: 0, flaggedExcluded: 0 }));
}

/** Convenience for callers holding a type and a label (CLI, HTTP). */
export function periodOf(type: PeriodType, label: string): Period {
  return parsePeriod(type, label);
}

/**
 * The scorecard's judgements, pure: status of an achievement against its target (tercapai /
 * hampir tercapai / belum tercapai / tidak ada data) with lower-is-better indicators handled, and
 * the trend against the previous period.
 */
import type { Thresholds } from './evaluation-config.js';

export type Direction = 'higher_better' | 'lower_better';
export type ScoreStatus = 'tercapai' | 'hampir_tercapai' | 'belum_tercapai' | 'tidak_ada_data';
export type Trend = 'membaik' | 'memburuk' | 'tetap' | 'tidak_ada_data';

export const SCORE_STATUSES: readonly ScoreStatus[] = ['tercapai', 'hampir_tercapai', 'belum_tercapai', 'tidak_ada_data'];

// Ratios computed by division land a hair below a threshold (0.9 × 90 / 90); such a value is on it.
const EPS = 1e-9;

/**
 * How far an achievement is towards its target: achievement ÷ target, or target ÷ achievement
 * when lower is better (an achievement of 0 then meets any target). 1 = exactly on target.
 */
export function performanceRatio(value: number, target: number, direction: Direction): number {
  if (direction === 'higher_better') return target === 0 ? Number.POSITIVE_INFINITY : value / target;
  if (value === 0) return Number.POSITIVE_INFINITY;
  return target / value;
}

/** The status of one achievement; a missing achievement or target gives tidak ada data. */
export function scoreStatus(value: number | null, target: number | null, direction: Direction, thresholds: Thresholds): ScoreStatus {
  if (value === null || target === null || !Number.isFinite(value) || !Number.isFinite(target)) return 'tidak_ada_data';
  const ratio = performanceRatio(value, target, direction);
  if (ratio >= thresholds.achievedRatio - EPS) return 'tercapai';
  if (ratio >= thresholds.nearRatio - EPS) return 'hampir_tercapai';
  return 'belum_tercapai';
}

/** The trend from the previous period's value: membaik / memburuk / tetap (within `tolerance`). */
export function trendOf(value: number | null, previous: number | null, direction: Direction, tolerance: number): { trend: Trend; delta: number | null } {
  if (value === null || previous === null) return { trend: 'tidak_ada_data', delta: null };
  const delta = value - previous;
  if (Math.abs(delta) <= tolerance + EPS) return { trend: 'tetap', delta };
  const better = direction === 'higher_better' ? delta > 0 : delta < 0;
  return { trend: better ? 'membaik' : 'memburuk', delta };
}

/** Counts of each status, for summaries. */
export function countStatuses(statuses: Iterable<ScoreStatus>): Record<ScoreStatus, number> {
  const out: Record<ScoreStatus, number> = { tercapai: 0, hampir_tercapai: 0, belum_tercapai: 0, tidak_ada_data: 0 };
  for (const s of statuses) out[s]++;
  return out;
}

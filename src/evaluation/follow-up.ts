/**
 * Follow-up actions (rencana tindak lanjut), pure: the status a person reads, with overdue
 * detection against a given day (no clock here), and whether an action's indicators moved.
 */
import type { Direction, Trend } from './scorecard.js';
import { trendOf } from './scorecard.js';

export type StoredActionStatus = 'open' | 'in_progress' | 'done' | 'cancelled';
export type ActionStatus = 'direncanakan' | 'berjalan' | 'selesai' | 'terlambat' | 'dibatalkan';

export const ACTION_STATUS_FROM_INPUT: Readonly<Record<string, StoredActionStatus>> = {
  direncanakan: 'open', planned: 'open', open: 'open',
  berjalan: 'in_progress', in_progress: 'in_progress', ongoing: 'in_progress',
  selesai: 'done', done: 'done',
  dibatalkan: 'cancelled', cancelled: 'cancelled',
};

/**
 * The status of an action on `today`: terlambat when it is not finished (nor cancelled) and its
 * due date has passed; otherwise the stored status in the meeting's words.
 */
export function actionStatus(a: { status: StoredActionStatus; due_on: string }, today: string): ActionStatus {
  if (a.status === 'done') return 'selesai';
  if (a.status === 'cancelled') return 'dibatalkan';
  if (a.due_on < today) return 'terlambat';
  return a.status === 'in_progress' ? 'berjalan' : 'direncanakan';
}

/** Days past the due date (0 when not overdue or finished). */
export function daysOverdue(a: { status: StoredActionStatus; due_on: string }, today: string): number {
  if (actionStatus(a, today) !== 'terlambat') return 0;
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${a.due_on}T00:00:00Z`)) / 86_400_000);
}

export interface IndicatorMovement {
  indicatorId: string;
  regionCode: string;
  before: number | null;
  after: number | null;
  trend: Trend;
  delta: number | null;
}

/** Whether an indicator moved between the round an action came from and the current round. */
export function movement(indicatorId: string, regionCode: string, before: number | null, after: number | null, direction: Direction, tolerance: number): IndicatorMovement {
  const { trend, delta } = trendOf(after, before, direction, tolerance);
  return { indicatorId, regionCode, before, after, trend, delta };
}

/**
 * Kysely's view of the tables of migration 0003_analytics (src/db/migrations/0003_analytics.ts),
 * added to the storage schema for the analytics services.
 */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Default<T> = ColumnType<T, T | undefined, T>;
type Json = ColumnType<unknown, string | undefined, string>;

/** Counts of one unit × period (the definitions of rollup_desa_month, over a longer period). */
export interface PeriodCounts {
  registered: number;
  measured: number;
  stunted: number;
  severely_stunted: number;
  stunting_denom: number;
  wasted: number;
  severely_wasted: number;
  overweight: number;
  wasting_denom: number;
  underweight: number;
  underweight_denom: number;
  flagged: number;
}

export type PeriodType3 = 'quarter' | 'semester' | 'year';

export interface RollupDesaPeriodTable extends PeriodCounts {
  kabupaten_code: string;
  desa_code: string;
  period_type: PeriodType3;
  period_start: string;
  period_end: string;
}
export interface RollupPosyanduPeriodTable extends RollupDesaPeriodTable {
  posyandu_id: number;
}

export const ALERT_KINDS = ['T', '2T', 'BGM', 'newly_stunted', 'haz_falling', 'wasted', 'severely_wasted', 'not_weighed', 'kek_no_pmt'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertStatus = 'open' | 'followed_up' | 'closed';

export interface ChildAlertTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  child_id: number | null;
  person_id: number | null;
  kind: AlertKind;
  month: string;
  measurement_id: number | null;
  detail: Json;
  status: Default<AlertStatus>;
  created_at: Default<Date>;
  followed_up_by: string | null;
  followed_up_user_id: number | null;
  followed_up_at: Date | null;
  follow_up_note: string | null;
  closed_at: Date | null;
}

export interface SurveyFigureTable {
  id: Generated<number>;
  region_code: string;
  indicator: 'stunting' | 'severe_stunting' | 'wasting' | 'underweight' | 'overweight';
  year: number;
  survey: string;
  kind: 'survey' | 'routine_published';
  value_percent: number;
  ci_low_percent: number | null;
  ci_high_percent: number | null;
  source: string;
  source_url: string | null;
  note: string | null;
  origin: Default<'shipped' | 'district'>;
}

export interface LokusDesaTable {
  kabupaten_code: string;
  year: number;
  desa_code: string;
  source: string;
  note: string | null;
  origin: Default<'shipped' | 'district'>;
}

export interface AnalyticsSettingTable {
  kabupaten_code: string;
  value: Json;
  updated_at: Default<Date>;
  updated_by: number | null;
}

export interface DesaCoverageTable {
  kabupaten_code: string;
  desa_code: string;
  year: number;
  intervention_code: string;
  source: 'by_name' | 'sector';
  numerator: number;
  denominator: number | null;
}

export interface DesaConvergenceTable {
  kabupaten_code: string;
  desa_code: string;
  year: number;
  target_group: 'baduta' | 'ibu_hamil' | 'krs_family';
  targets: number;
  complete: number;
  missing: Json;
}

export interface DesaValidityTable {
  kabupaten_code: string;
  desa_code: string;
  year: number;
  children: number;
  score: number | null;
  problems: Json;
}

export interface AnalyticsTables {
  rollup_desa_period: RollupDesaPeriodTable;
  rollup_posyandu_period: RollupPosyanduPeriodTable;
  child_alert: ChildAlertTable;
  survey_figure: SurveyFigureTable;
  lokus_desa: LokusDesaTable;
  analytics_setting: AnalyticsSettingTable;
  desa_coverage: DesaCoverageTable;
  desa_convergence: DesaConvergenceTable;
  desa_validity: DesaValidityTable;
}

export type AnalyticsDatabase = Database & AnalyticsTables;
export type AnyDb = Kysely<Database> | Transaction<Database> | Kysely<AnalyticsDatabase> | Transaction<AnalyticsDatabase>;

/** The same connection, typed with the analytics tables too. */
export function analyticsDb(db: AnyDb): Kysely<AnalyticsDatabase> {
  return db as unknown as Kysely<AnalyticsDatabase>;
}

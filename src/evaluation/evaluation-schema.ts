/**
 * Kysely's view of the tables and columns migration 0004_evaluation adds, on top of src/db's
 * Database. Kept here until src/db/schema.ts takes them in (then this file re-exports that).
 */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type {
  ActionNoteTable, ActionTable, BarrierTable, Database, EvaluationTable, IndicatorValueTable,
} from '../db/schema.js';

type Default<T> = ColumnType<T, T | undefined, T>;
type Json = ColumnType<unknown, string | undefined, string>;

export interface EvaluationRoundTable extends EvaluationTable {
  kind: Default<'annual' | 'semester' | 'other'>;
  previous_evaluation_id: number | null;
  settings: Json;
  frozen_at: Date | null;
  as_of: string | null;
}
export interface EvaluationSnapshotTable {
  evaluation_id: number;
  frozen_at: Date;
  as_of: string;
  payload: ColumnType<unknown, string, never>;
  payload_sha256: string;
}
export interface EvaluationNoteTable {
  id: Generated<number>;
  evaluation_id: number;
  kind: 'fgd' | 'opportunity';
  group_name: string | null;
  note: string;
  created_at: Default<Date>;
}
export interface BarrierRowTable extends BarrierTable {
  sector: string | null;
  intervention_line: 'spesifik' | 'sensitif' | 'tata_kelola' | 'data' | null;
  created_at: Default<Date>;
}
export interface ActionRowTable extends ActionTable {
  stakeholder_name: string | null;
  partner_id: number | null;
}
export interface ActionNoteRowTable extends ActionNoteTable {
  evidence: string | null;
  evidence_url: string | null;
}
export interface IndicatorValueRowTable extends IndicatorValueTable {
  completeness_percent: number | null;
}
export interface SurveyFigureTable {
  id: Generated<number>;
  region_code: string;
  indicator: string;
  year: number;
  survey: string;
  kind: 'survey' | 'routine_published';
  value_percent: number;
  source: string;
  source_url: string | null;
}

/** The whole schema as the evaluation sees it. */
export interface EvaluationDatabase
  extends Omit<Database, 'evaluation' | 'barrier' | 'action' | 'action_note' | 'indicator_value'> {
  evaluation: EvaluationRoundTable;
  evaluation_snapshot: EvaluationSnapshotTable;
  evaluation_note: EvaluationNoteTable;
  barrier: BarrierRowTable;
  action: ActionRowTable;
  action_indicator: { action_id: number; indicator_id: string };
  action_region: { action_id: number; region_code: string };
  action_note: ActionNoteRowTable;
  indicator_value: IndicatorValueRowTable;
  target_preference: { kabupaten_code: string; indicator_id: string; year: number; source_key: string; chosen_at: Default<Date> };
  survey_figure: SurveyFigureTable;
}

export type EvalDb = Kysely<EvaluationDatabase> | Transaction<EvaluationDatabase>;

/** The same connection, typed with the evaluation's tables. */
export function evalDb(db: Kysely<Database>): Kysely<EvaluationDatabase> {
  return db as unknown as Kysely<EvaluationDatabase>;
}

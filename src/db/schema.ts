import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

// Kysely's view of the schema of src/db/migrations. Type parsers (src/db/pool.ts): bigint and
// numeric come back as number, date as 'yyyy-mm-dd' string, timestamptz as Date, bytea as Buffer.

/** A column that the database fills (identity, default or generated) and callers may omit. */
type Default<T> = ColumnType<T, T | undefined, T>;
/** A column computed by PostgreSQL (GENERATED ALWAYS): readable, never written. */
type Computed<T> = ColumnType<T, never, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export type RegionLevel = 'provinsi' | 'kabupaten' | 'kota' | 'kecamatan' | 'desa' | 'kelurahan';
export type Source = 'form' | 'import' | 'demo';
export type WeightGainCode = 'N' | 'T' | 'O' | 'B';
export type PersonType = 'ibu_hamil' | 'ibu_nifas' | 'remaja_putri' | 'catin';

export interface AppSettingTable { key: string; value: string; updated_at: Default<Date> }

export interface RegionTable {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  kabupaten_code: Computed<string | null>;
}
export interface RegionAliasTable { alias: string; region_code: string }
export interface RegionBoundaryTable {
  region_code: string;
  centroid_lat: number;
  centroid_lng: number;
  geometry: Json;
  source: string;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: 'admin' | 'provinsi' | 'tpps' | 'opd' | 'puskesmas' | 'desa' | 'kader' | 'tpk' | 'csr' | 'viewer';
  /** provinsi: '62'; tpps/opd/viewer: its kabupaten; desa/tpk: its desa; others null (0008). */
  scope_region_code: string | null;
  /** kader: its posyandu (facility id). */
  scope_posyandu_id: number | null;
  /** puskesmas: its facility id (the desa list comes from facility_catchment). */
  scope_puskesmas_id: number | null;
  /** opd: the sector whose indicators it writes. */
  scope_sector: string | null;
  active: Default<boolean>;
  created_at: Timestamp & Default<Date>;
  last_login_at: Timestamp | null;
  failed_logins: Default<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp & Default<Date>;
  must_change_password: Default<boolean>;
  /** Encrypted ('v1:…'); never returned by src/auth. */
  totp_secret: string | null;
  totp_enabled: Default<boolean>;
  totp_last_step: number | null;
  disabled_at: Timestamp | null;
  updated_at: Timestamp & Default<Date>;
}
/** The desa list of a CSR account (0008). */
export interface AppUserRegionTable { user_id: number; region_code: string }
export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Default<Date>;
  last_seen_at: Default<Date>;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: Default<Date>;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  kabupaten_code: string | null;
  request_id: string | null;
  details: ColumnType<unknown, string | undefined, never>;
}
export interface ImportBatchTable {
  id: Generated<number>;
  kabupaten_code: string | null;
  kind: string;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  status: Default<'running' | 'done' | 'failed'>;
  rows_total: Default<number>;
  rows_loaded: Default<number>;
  rows_rejected: Default<number>;
  user_id: number | null;
  started_at: Default<Date>;
  finished_at: Timestamp | null;
}
export interface ImportRowErrorTable {
  batch_id: number;
  line: number;
  field: string | null;
  code: string;
  message_id: string;
  message_en: string;
  raw: Json | null;
}

export interface FacilityTable {
  id: Generated<number>;
  kind: 'puskesmas' | 'posyandu';
  code: string | null;
  name: string;
  kabupaten_code: string;
  desa_code: string;
  puskesmas_id: number | null;
  is_synthetic: Default<boolean>;
  active: Default<boolean>;
}
/** kabupaten_code is generated from desa_code (the distribution column, migration 0010). */
export interface FacilityCatchmentTable { facility_id: number; desa_code: string; kabupaten_code: Generated<string> }

export interface FamilyTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  kk_hash: Buffer | null;
  head_name: string;
  address: string | null;
  rt: string | null;
  rw: string | null;
  has_pus: Default<boolean>;
  has_pregnant: Default<boolean>;
  has_baduta: Default<boolean>;
  has_balita: Default<boolean>;
  unsafe_water: boolean | null;
  poor_sanitation: boolean | null;
  wife_too_young: boolean | null;
  wife_too_old: boolean | null;
  birth_spacing_too_close: boolean | null;
  too_many_children: boolean | null;
  poor: boolean | null;
  at_risk: Computed<boolean>;
  assessed_on: string | null;
  tpk_accompanied: Default<boolean>;
  is_synthetic: Default<boolean>;
  created_at: Default<Date>;
}

export interface ChildTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  family_id: number | null;
  nik_hash: Buffer | null;
  nik_last4: string | null;
  name: string;
  sex: 1 | 2;
  birth_date: string;
  birth_weight_kg: number | null;
  birth_length_cm: number | null;
  mother_name: string | null;
  external_id: string | null;
  registered_on: string;
  exited_on: string | null;
  exit_reason: 'moved' | 'died' | 'other' | null;
  is_synthetic: Default<boolean>;
  created_at: Default<Date>;
  updated_at: Default<Date>;
}

export interface MeasurementTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  posyandu_id: number | null;
  child_id: number;
  birth_date: string;
  sex: 1 | 2;
  measured_on: string;
  month: Computed<string>;
  age_days: Computed<number>;
  weight_kg: number | null;
  lenhei_cm: number | null;
  position: 'L' | 'H' | null;
  oedema: Default<boolean>;
  muac_cm: number | null;
  head_cm: number | null;
  clenhei: number | null;
  cbmi: number | null;
  zlen: number | null; flen: 0 | 1 | null;
  zwei: number | null; fwei: 0 | 1 | null;
  zwfl: number | null; fwfl: 0 | 1 | null;
  zbmi: number | null; fbmi: 0 | 1 | null;
  zac: number | null; fac: 0 | 1 | null;
  zhc: number | null; fhc: 0 | 1 | null;
  status_wfa: string | null;
  status_lfa: string | null;
  status_wfl: string | null;
  status_bfa: string | null;
  weight_gain: WeightGainCode | null;
  two_t: Default<boolean>;
  source: Source;
  import_batch_id: number | null;
  created_at: Default<Date>;
}

export interface PersonTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  type: PersonType;
  nik_hash: Buffer | null;
  nik_last4: string | null;
  name: string;
  sex: Default<1 | 2>;
  birth_date: string | null;
  family_id: number | null;
  posyandu_id: number | null;
  registered_on: string;
  hpht: string | null;
  expected_delivery: string | null;
  gravida: number | null;
  delivery_date: string | null;
  marriage_planned_on: string | null;
  elsimil_result: 'ideal' | 'berisiko' | null;
  school: string | null;
  lila_cm: number | null;
  kek: boolean | null;
  hb_g_dl: number | null;
  anaemia: boolean | null;
  is_synthetic: Default<boolean>;
  created_at: Default<Date>;
}

export interface IndicatorTable {
  id: string;
  kind: 'spesifik' | 'sensitif' | 'outcome' | 'lainnya';
  unit: 'percent' | 'persons' | 'families' | 'count';
  direction: 'higher_better' | 'lower_better';
  name_id: string;
  name_en: string;
  target_group: string;
  numerator: string;
  denominator: string | null;
  national_owner: string;
  district_opd: string;
  note: string | null;
  origin: Default<'catalogue' | 'district'>;
}
export interface InterventionTable {
  code: string;
  name_id: string;
  name_en: string;
  kind: 'spesifik' | 'sensitif';
  recipient: 'child' | 'person' | 'family';
  indicator_id: string | null;
}
export interface TargetSourceTable { key: string; title: string; url: string | null }
export interface TargetTable {
  id: Generated<number>;
  indicator_id: string;
  year: number;
  level: 'nasional' | 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa';
  region_code: string | null;
  value: number;
  source_key: string;
  verified: Default<boolean>;
  note: string | null;
  origin: Default<'catalogue' | 'district'>;
}
export interface IndicatorValueTable {
  id: Generated<number>;
  indicator_id: string;
  kabupaten_code: string;
  region_code: string;
  period_type: 'month' | 'quarter' | 'semester' | 'year';
  period_start: string;
  period_end: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  source: string;
  evidence: string | null;
  evidence_url: string | null;
  entered_by: number | null;
  entered_at: Default<Date>;
  is_synthetic: Default<boolean>;
  /** 0004: the completeness the provider declares for a sector figure. */
  completeness_percent: number | null;
}

export interface ServiceTable {
  id: Generated<number>;
  kabupaten_code: string;
  desa_code: string;
  intervention_code: string;
  served_on: string;
  child_id: number | null;
  person_id: number | null;
  family_id: number | null;
  provider: string;
  provider_facility_id: number | null;
  quantity: number | null;
  unit: string | null;
  source: Source;
  import_batch_id: number | null;
  note: string | null;
  created_at: Default<Date>;
}

export interface EvaluationTable {
  id: Generated<number>;
  kabupaten_code: string;
  title: string;
  period_start: string;
  period_end: string;
  held_on: string | null;
  place: string | null;
  participants: ColumnType<unknown, string | undefined, string>;
  notes: string | null;
  status: Default<'draft' | 'final'>;
  created_at: Default<Date>;
  // 0004: the round's kind, previous round, scorecard settings, freeze time and data cut-off.
  kind: Default<'annual' | 'semester' | 'other'>;
  previous_evaluation_id: number | null;
  settings: ColumnType<unknown, string | undefined, string>;
  frozen_at: Date | null;
  as_of: string | null;
}
/** 0004: the frozen payload of a final evaluation round. */
export interface EvaluationSnapshotTable {
  evaluation_id: number;
  frozen_at: Date;
  as_of: string;
  payload: ColumnType<unknown, string, never>;
  payload_sha256: string;
}
/** 0004: FGD notes and improvement opportunities of a round. */
export interface EvaluationNoteTable {
  id: Generated<number>;
  evaluation_id: number;
  kind: 'fgd' | 'opportunity';
  group_name: string | null;
  note: string;
  created_at: Default<Date>;
}
export interface BarrierTable {
  id: Generated<number>;
  evaluation_id: number;
  level: 'desa' | 'kecamatan' | 'sektor' | 'kabupaten';
  category: string | null;
  description: string;
  indicator_id: string | null;
  region_code: string | null;
  // 0004
  sector: string | null;
  intervention_line: 'spesifik' | 'sensitif' | 'tata_kelola' | 'data' | null;
  created_at: Default<Date>;
}
export interface ActionTable {
  id: Generated<number>;
  kabupaten_code: string;
  evaluation_id: number | null;
  barrier_id: number | null;
  title: string;
  description: string | null;
  stakeholder_type: 'opd' | 'pkk' | 'tpk' | 'kader' | 'nakes' | 'pemdes' | 'csr' | 'lainnya';
  owner: string;
  owner_user_id: number | null;
  due_on: string;
  status: Default<'open' | 'in_progress' | 'done' | 'cancelled'>;
  completed_on: string | null;
  indicator_id: string | null;
  region_code: string | null;
  created_at: Default<Date>;
  updated_at: Default<Date>;
  // 0004
  stakeholder_name: string | null;
  partner_id: number | null;
}
export interface ActionNoteTable {
  id: Generated<number>;
  action_id: number;
  noted_at: Default<Date>;
  user_id: number | null;
  progress_percent: number | null;
  note: string;
  // 0004
  evidence: string | null;
  evidence_url: string | null;
}
/** 0004: published survey and routine figures the evaluation compares against. */
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
export interface PartnerTable {
  id: Generated<number>;
  name: string;
  kind: 'csr' | 'ngo' | 'university' | 'other';
  contact: string | null;
  is_synthetic: Default<boolean>;
}
export interface PartnerCommitmentTable {
  id: Generated<number>;
  partner_id: number;
  kabupaten_code: string;
  region_code: string | null;
  intervention_code: string | null;
  description: string;
  amount_idr: number | null;
  period_start: string;
  period_end: string;
  status: Default<'committed' | 'in_progress' | 'delivered' | 'cancelled'>;
  is_synthetic: Default<boolean>;
}

/** The SKDN and nutrition counts of one unit × month (definitions: docs/DATA-MODEL.md "Rollups"). */
export interface RollupCounts {
  registered: number;
  measured: number;
  weight_up: number;
  weight_gain_denom: number;
  two_t: number;
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
export interface RollupDesaMonthTable extends RollupCounts {
  kabupaten_code: string;
  desa_code: string;
  month: string;
}
export interface RollupPosyanduMonthTable extends RollupCounts {
  kabupaten_code: string;
  posyandu_id: number;
  desa_code: string;
  month: string;
}

/** Every table Tumbuh stores, for `Kysely<Database>`. */
export interface Database {
  app_setting: AppSettingTable;
  region: RegionTable;
  region_alias: RegionAliasTable;
  region_boundary: RegionBoundaryTable;
  app_user: AppUserTable;
  app_user_region: AppUserRegionTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  import_batch: ImportBatchTable;
  import_row_error: ImportRowErrorTable;
  facility: FacilityTable;
  facility_catchment: FacilityCatchmentTable;
  family: FamilyTable;
  child: ChildTable;
  measurement: MeasurementTable;
  person: PersonTable;
  indicator: IndicatorTable;
  intervention: InterventionTable;
  target_source: TargetSourceTable;
  target: TargetTable;
  indicator_value: IndicatorValueTable;
  service: ServiceTable;
  evaluation: EvaluationTable;
  evaluation_snapshot: EvaluationSnapshotTable;
  evaluation_note: EvaluationNoteTable;
  barrier: BarrierTable;
  action: ActionTable;
  action_indicator: { action_id: number; indicator_id: string };
  action_region: { action_id: number; region_code: string };
  action_note: ActionNoteTable;
  target_preference: { kabupaten_code: string; indicator_id: string; year: number; source_key: string; chosen_at: Default<Date> };
  survey_figure: SurveyFigureTable;
  partner: PartnerTable;
  partner_commitment: PartnerCommitmentTable;
  rollup_desa_month: RollupDesaMonthTable;
  rollup_posyandu_month: RollupPosyanduMonthTable;
}

export type Child = Selectable<ChildTable>;
export type NewChild = Insertable<ChildTable>;
export type ChildUpdate = Updateable<ChildTable>;
export type Measurement = Selectable<MeasurementTable>;
export type NewMeasurement = Insertable<MeasurementTable>;
export type Facility = Selectable<FacilityTable>;
export type Region = Selectable<RegionTable>;

/** The schema as src/evaluation names it (the same Database since 0004's tables joined it). */
export type EvaluationDatabase = Database;
/** A connection or transaction, as the evaluation's repositories take it. */
export type EvalDb = Kysely<Database> | Transaction<Database>;
/** The same connection (kept for src/evaluation's call sites: the types are one schema now). */
export function evalDb(db: Kysely<Database>): Kysely<EvaluationDatabase> {
  return db;
}

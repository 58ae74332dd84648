/**
 * The shape of the synthetic district: options, the tables it produces (column lists in output
 * order) and the batches the generator streams. The CSV files written by `tumbuh demo --out` have
 * exactly these columns.
 */
import type { DemoGrowthReference } from './demo-growth.js';

/** One row of a regions CSV (code,name,level,parent_code), e.g. data/regions/kobar-regions.csv. */
export interface RegionRecord {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** What the caller may choose; everything except the data has a default. */
export interface DemoOptions {
  /** Seed of every random draw (default 6201). */
  seed?: number;
  /** Balita (0–59 months) living in the district in any one month (default 25,000). */
  children?: number;
  /** Months of posyandu visits, ending with `endMonth` (default 24). */
  months?: number;
  /** Last month of data, yyyy-mm: the fixed "today" (default 2025-10, the last complete month before the TPPS evaluation of 27 Nov 2025). */
  endMonth?: string;
  /** Rows per streamed batch (default 10,000). */
  batchSize?: number;
  /** Desa stunting prevalence the village tendencies aim at, lowest and highest (default 0.05–0.35). */
  minDesaPrevalence?: number;
  maxDesaPrevalence?: number;
  /** Kabupaten to build (default: the only kabupaten with kecamatan in `regions`). */
  kabupatenCode?: string;
  /** Regions as data (a regions CSV, parsed). */
  regions: readonly RegionRecord[];
  /** WHO LMS tables (data/who). */
  reference: DemoGrowthReference;
}

/** The defaults of {@link DemoOptions}. */
export const DEMO_DEFAULTS = {
  seed: 6201,
  children: 25_000,
  months: 24,
  endMonth: '2025-10',
  batchSize: 10_000,
  minDesaPrevalence: 0.05,
  maxDesaPrevalence: 0.35,
} as const;

/** A cell: text, number, boolean or null (empty in CSV, NULL in the database). */
export type DemoCell = string | number | boolean | null;

/** Columns of every demo table, in output order. Parents come before the tables that refer to them. */
export const DEMO_COLUMNS = {
  facility: [
    'facility_id', 'kind', 'name', 'kabupaten_code', 'kecamatan_code', 'desa_code', 'puskesmas_id', 'meeting_day',
    'is_synthetic',
  ],
  partner: ['partner_id', 'name', 'kind', 'sector', 'is_synthetic'],
  family: [
    'family_id', 'kabupaten_code', 'kecamatan_code', 'desa_code', 'posyandu_id', 'kk_number', 'head_name',
    'mother_name', 'mother_nik', 'mother_birth_date', 'children_total', 'has_pus', 'has_pregnant', 'has_baduta',
    'has_balita', 'water_source', 'water_improved', 'latrine', 'sanitation_improved', 'wife_too_young',
    'wife_too_old', 'birth_spacing_too_close', 'too_many_children', 'poor', 'pkh', 'bpnt', 'jkn_pbi', 'krs',
    'krs_factors', 'assessed_on', 'tpk_accompanied', 'is_synthetic',
  ],
  child: [
    'child_id', 'family_id', 'kabupaten_code', 'kecamatan_code', 'desa_code', 'posyandu_id', 'nik', 'name', 'sex',
    'birth_date', 'birth_weight_kg', 'birth_length_cm', 'mother_name', 'registered_on', 'is_synthetic',
  ],
  person: [
    'person_id', 'type', 'family_id', 'kabupaten_code', 'kecamatan_code', 'desa_code', 'posyandu_id', 'nik', 'name',
    'birth_date', 'registered_on', 'hpht', 'expected_delivery', 'gravida', 'delivery_date', 'marriage_planned_on',
    'elsimil_result', 'school', 'lila_cm', 'kek', 'hb_g_dl', 'anaemia', 'is_synthetic',
  ],
  measurement: [
    'measurement_id', 'child_id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'birth_date', 'sex', 'measured_on',
    'weight_kg', 'lenhei_cm', 'position', 'oedema', 'muac_cm', 'is_synthetic',
  ],
  service: [
    'service_id', 'intervention_code', 'served_on', 'child_id', 'person_id', 'family_id', 'kabupaten_code',
    'desa_code', 'provider', 'provider_facility_id', 'quantity', 'unit', 'is_synthetic',
  ],
  indicator_value: [
    'indicator_id', 'kabupaten_code', 'region_code', 'period_type', 'period_start', 'period_end', 'numerator',
    'denominator', 'value', 'source', 'is_synthetic',
  ],
  partner_commitment: [
    'commitment_id', 'partner_id', 'kabupaten_code', 'region_code', 'intervention_code', 'description',
    'amount_idr', 'period_start', 'period_end', 'status', 'is_synthetic',
  ],
  demo_fault: [
    'fault_id', 'posyandu_id', 'desa_code', 'fault_kind', 'first_month', 'last_month', 'affected_children',
    'affected_measurements', 'detail',
  ],
  demo_fault_child: ['fault_id', 'fault_kind', 'posyandu_id', 'child_id', 'original_child_id', 'first_month'],
} as const;

export type DemoTable = keyof typeof DEMO_COLUMNS;

/** Tables in the order they are written and loaded (parents first). */
export const DEMO_TABLES = Object.keys(DEMO_COLUMNS) as DemoTable[];

/** Rows of one table, cells in the order of `DEMO_COLUMNS[table]`. */
export interface DemoBatch {
  table: DemoTable;
  columns: readonly string[];
  rows: DemoCell[][];
}

/** The faults planted on purpose, for the quality checks to find. */
export type DemoFaultKind =
  | 'digit_preference'
  | 'age_heaping'
  | 'shrinking_height'
  | 'copied_weight'
  | 'duplicate_child'
  | 'wrong_position';

/** One planted fault: which posyandu, what, and over which months (yyyy-mm, both included). */
export interface DemoFault {
  faultId: number;
  posyanduId: string;
  desaCode: string;
  kind: DemoFaultKind;
  firstMonth: string;
  lastMonth: string;
  detail: string;
}

import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * The rules that keep Tumbuh's schema ready for Citus (distributed PostgreSQL), checked against
 * the migrated catalogue (docs/SCALING.md "Citus-ready schema"):
 * - every table is declared: distributed by `kabupaten_code` (the large, per-district tables),
 *   reference (small tables copied to every node) or local (coordinator-only logs);
 * - a distributed table has a NOT NULL `kabupaten_code`, and its primary key, every unique
 *   constraint and every unique index include it;
 * - a foreign key between distributed tables pairs `kabupaten_code` with `kabupaten_code` (rows
 *   of one district only ever point to rows of the same district: co-located shards);
 * - reference and local tables never point to distributed tables, and nothing points to a local table
 *   except another local table.
 */

/** The distribution column of every large table. */
export const DISTRIBUTION_COLUMN = 'kabupaten_code';

/** How a table is placed on a Citus cluster. */
export type TableClass = 'distributed' | 'reference' | 'local';

/**
 * Every table of the schema and its class. A new migration that adds a table adds it here (the
 * schema test fails otherwise). Distributed tables are co-located with `child` in this order.
 */
export const TABLE_CLASSES: Readonly<Record<string, TableClass>> = {
  // Large, one district's rows at a time: distributed by kabupaten_code, co-located.
  facility: 'distributed',
  facility_catchment: 'distributed',
  family: 'distributed',
  child: 'distributed',
  person: 'distributed',
  measurement: 'distributed',
  service: 'distributed',
  rollup_desa_month: 'distributed',
  rollup_posyandu_month: 'distributed',
  rollup_desa_period: 'distributed',
  rollup_posyandu_period: 'distributed',
  child_alert: 'distributed',
  desa_coverage: 'distributed',
  desa_convergence: 'distributed',
  desa_validity: 'distributed',
  import_row: 'distributed',
  quality_score: 'distributed',
  duplicate_candidate: 'distributed',
  child_merge: 'distributed',
  child_merge_item: 'distributed',
  // Small, read everywhere: reference tables (a copy on every node).
  app_setting: 'reference',
  region: 'reference',
  region_alias: 'reference',
  region_boundary: 'reference',
  app_user: 'reference',
  app_user_region: 'reference',
  import_batch: 'reference',
  indicator: 'reference',
  intervention: 'reference',
  target_source: 'reference',
  target: 'reference',
  target_preference: 'reference',
  indicator_value: 'reference',
  evaluation: 'reference',
  evaluation_snapshot: 'reference',
  evaluation_note: 'reference',
  barrier: 'reference',
  action: 'reference',
  action_note: 'reference',
  action_indicator: 'reference',
  action_region: 'reference',
  partner: 'reference',
  partner_commitment: 'reference',
  survey_figure: 'reference',
  lokus_desa: 'reference',
  analytics_setting: 'reference',
  // Append-mostly logs written and read on the coordinator only.
  session: 'local',
  audit_log: 'local',
  import_row_error: 'local',
  import_change: 'local',
};

/** Tables that are Tumbuh's machinery, not data (never distributed, never checked). */
const IGNORED = new Set(['tumbuh_migration', 'tumbuh_migration_lock']);

/** One broken rule: which rule, on which table and object, in words. */
export interface SchemaViolation {
  rule: 'unclassified' | 'missing' | 'no_distribution_column' | 'key_without_distribution_column' | 'cross_district_fk' | 'reference_to_distributed' | 'fk_to_local';
  table: string;
  object: string;
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;

interface KeyRow { table: string; name: string; kind: string; columns: string[] }
interface FkRow { table: string; name: string; ref: string; columns: string[]; ref_columns: string[] }

/**
 * Checks the schema of the connected database (schema `public`) against `classes`; returns
 * every violation (none = Citus-ready). Partitions are checked through their parent.
 */
export async function checkSchemaRules(db: AnyDb, classes: Readonly<Record<string, TableClass>> = TABLE_CLASSES): Promise<SchemaViolation[]> {
  const out: SchemaViolation[] = [];
  const tables = await sql<{ name: string }>`
    SELECT c.relname::text AS name FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`.execute(db);
  const present = new Set(tables.rows.map((t) => t.name).filter((t) => !IGNORED.has(t)));
  for (const t of present) {
    if (!(t in classes)) {
      out.push({ rule: 'unclassified', table: t, object: t, message: `table ${t} is not declared as distributed, reference or local in src/db/schema-rules.ts TABLE_CLASSES` });
    }
  }
  for (const t of Object.keys(classes)) {
    if (!present.has(t)) out.push({ rule: 'missing', table: t, object: t, message: `table ${t} is declared in TABLE_CLASSES but does not exist` });
  }
  const classOf = (t: string): TableClass | undefined => classes[t];

  const distCols = await sql<{ table: string; not_null: boolean }>`
    SELECT c.relname::text AS table, a.attnotnull AS not_null FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND a.attname = ${DISTRIBUTION_COLUMN} AND NOT a.attisdropped`.execute(db);
  const hasDist = new Map(distCols.rows.map((r) => [r.table, r.not_null]));
  for (const t of present) {
    if (classOf(t) !== 'distributed') continue;
    if (hasDist.get(t) !== true) {
      out.push({ rule: 'no_distribution_column', table: t, object: t, message: `distributed table ${t} has no NOT NULL ${DISTRIBUTION_COLUMN} column` });
    }
  }

  // Primary keys, unique constraints and unique indexes (constraint-backed or not).
  const keys = await sql<KeyRow>`
    SELECT c.relname::text AS table, ic.relname::text AS name,
      CASE WHEN i.indisprimary THEN 'primary key' ELSE 'unique index' END AS kind,
      array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition AND (i.indisunique OR i.indisprimary)`.execute(db);
  for (const k of keys.rows) {
    if (classOf(k.table) !== 'distributed') continue;
    if (!k.columns.includes(DISTRIBUTION_COLUMN)) {
      out.push({
        rule: 'key_without_distribution_column', table: k.table, object: k.name,
        message: `${k.kind} ${k.name} on distributed table ${k.table} (${k.columns.join(', ') || 'expression'}) does not include ${DISTRIBUTION_COLUMN}`,
      });
    }
  }

  const fks = await sql<FkRow>`
    SELECT c.relname::text AS table, con.conname::text AS name, r.relname::text AS ref,
      array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
      array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
    WHERE con.contype = 'f' AND c.relnamespace = 'public'::regnamespace AND NOT c.relispartition
      AND con.conparentid = 0`.execute(db);
  for (const fk of fks.rows) {
    const from = classOf(fk.table);
    const to = classOf(fk.ref);
    if (from === undefined || to === undefined) continue;
    if (to === 'distributed' && from !== 'distributed') {
      out.push({
        rule: 'reference_to_distributed', table: fk.table, object: fk.name,
        message: `foreign key ${fk.name}: ${from} table ${fk.table} refers to distributed table ${fk.ref}; only a distributed table may (make ${fk.table} distributed, or drop the key)`,
      });
    } else if (from === 'distributed' && to === 'distributed') {
      const at = fk.columns.indexOf(DISTRIBUTION_COLUMN);
      if (at < 0 || fk.ref_columns[at] !== DISTRIBUTION_COLUMN) {
        out.push({
          rule: 'cross_district_fk', table: fk.table, object: fk.name,
          message: `foreign key ${fk.name} ${fk.table} (${fk.columns.join(', ')}) → ${fk.ref} (${fk.ref_columns.join(', ')}) does not pair ${DISTRIBUTION_COLUMN} with ${DISTRIBUTION_COLUMN}: it could cross districts`,
        });
      }
    } else if (to === 'local' && from !== 'local') {
      out.push({
        rule: 'fk_to_local', table: fk.table, object: fk.name,
        message: `foreign key ${fk.name}: ${from} table ${fk.table} refers to local table ${fk.ref}`,
      });
    }
  }
  return out;
}

/** Violations as one readable block (one line each), for test failures and the CLI. */
export function formatViolations(violations: readonly SchemaViolation[]): string {
  return violations.map((v) => `- [${v.rule}] ${v.message}`).join('\n');
}

/** The distributed tables in co-location order (the first is the co-location anchor). */
export function distributedTables(classes: Readonly<Record<string, TableClass>> = TABLE_CLASSES): string[] {
  return Object.entries(classes).filter(([, c]) => c === 'distributed').map(([t]) => t);
}

/** The reference tables, parents first as declared. */
export function referenceTables(classes: Readonly<Record<string, TableClass>> = TABLE_CLASSES): string[] {
  return Object.entries(classes).filter(([, c]) => c === 'reference').map(([t]) => t);
}

/**
 * The Citus statements that place every table: reference tables first (distributed tables refer
 * to them), then each distributed table by kabupaten_code co-located with the first. Local
 * tables stay on the coordinator (Citus adds them to its metadata for their foreign keys to
 * reference tables).
 * @see docs/SCALING.md "Running on Citus"
 */
export function citusStatements(classes: Readonly<Record<string, TableClass>> = TABLE_CLASSES): string[] {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const dist = distributedTables(classes);
  const anchor = dist[0];
  return [
    ...referenceTables(classes).map((t) => `SELECT create_reference_table(${lit(t)})`),
    ...dist.map((t) => `SELECT create_distributed_table(${lit(t)}, ${lit(DISTRIBUTION_COLUMN)}${t === anchor ? '' : `, colocate_with => ${lit(anchor)}`})`),
  ];
}

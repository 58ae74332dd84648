import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * Month partitions of the large event tables (docs/SCALING.md "Partitioning"). Each table is
 * range-partitioned on its date column, one partition per calendar month named
 * `<table>_pYYYY_MM`, plus a DEFAULT partition `<table>_default` that catches any month without
 * its own partition, so a write never fails for want of a partition. Maintenance creates the
 * months ahead, moves rows out of the DEFAULT partition into months that got their own, and
 * detaches old months into the `archive` schema (outside Tumbuh's backup and queries).
 */

/** A table partitioned by month on `column`. */
export interface PartitionedTable {
  table: string;
  column: string;
}

/** The partitioned tables: growth measurements and service records, the two that grow with every posyandu day. */
export const PARTITIONED_TABLES: readonly PartitionedTable[] = [
  { table: 'measurement', column: 'measured_on' },
  { table: 'service', column: 'served_on' },
];

/** Months created ahead of the current one by default. */
export const DEFAULT_MONTHS_AHEAD = 6;
/** Rows older than this many months before today stay in the DEFAULT partition (no partition per month is made for them). */
export const MAX_MONTHS_BACK = 120;
/** Schema that receives detached partitions. */
export const ARCHIVE_SCHEMA = 'archive';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;

/** First day of the month of a yyyy-mm or yyyy-mm-dd string. */
export function monthStart(value: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a month: ${value}`);
  return `${m[1]}-${m[2]}-01`;
}

/** The first day of the month `n` months after (or before, n < 0) the month of `month`. */
export function addMonths(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
}

/** Name of the partition of `table` holding `month`: measurement_p2025_01. */
export function partitionName(table: string, month: string): string {
  return `${table}_p${month.slice(0, 4)}_${month.slice(5, 7)}`;
}

/** Name of the DEFAULT partition of `table`. */
export function defaultPartitionName(table: string): string {
  return `${table}_default`;
}

/** One partition as stored: its month (null for DEFAULT), rows estimate and size. */
export interface PartitionInfo {
  table: string;
  name: string;
  month: string | null;
  rows: number;
  bytes: number;
}

function partitionMonthOf(table: string, name: string): string | null {
  const m = new RegExp(`^${table}_p(\\d{4})_(\\d{2})$`).exec(name);
  return m ? `${m[1]}-${m[2]}-01` : null;
}

/** True when `table` is a partitioned table in this database (migration 0009 applied). */
export async function isPartitioned(db: AnyDb, table: string): Promise<boolean> {
  const r = await sql<{ p: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
      WHERE c.relname = ${table} AND c.relnamespace = 'public'::regnamespace) AS p`.execute(db);
  return r.rows[0].p;
}

/** The partitions of the partitioned tables, months in order, DEFAULT last, with exact row counts when `exact`. */
export async function listPartitions(db: AnyDb, options: { exact?: boolean } = {}): Promise<PartitionInfo[]> {
  const out: PartitionInfo[] = [];
  for (const { table } of PARTITIONED_TABLES) {
    if (!(await isPartitioned(db, table))) continue;
    const r = await sql<{ name: string; rows: string; bytes: string }>`
      SELECT c.relname::text AS name, greatest(c.reltuples, 0)::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = ${sql.raw(`'public.${table}'::regclass`)}
      ORDER BY c.relname`.execute(db);
    const parts = r.rows.map((x) => ({ table, name: x.name, month: partitionMonthOf(table, x.name), rows: Number(x.rows), bytes: Number(x.bytes) }));
    if (options.exact) {
      for (const p of parts) {
        const n = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(p.name)}`.execute(db);
        p.rows = Number(n.rows[0].n);
      }
    }
    parts.sort((a, b) => (a.month === null ? 1 : b.month === null ? -1 : a.month.localeCompare(b.month)));
    out.push(...parts);
  }
  return out;
}

/** Stored (non-generated) columns of a table, in order. */
async function storedColumns(db: AnyDb, table: string): Promise<string[]> {
  const r = await sql<{ c: string }>`
    SELECT column_name::text AS c FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table} AND is_generated = 'NEVER' ORDER BY ordinal_position`.execute(db);
  return r.rows.map((x) => x.c);
}

/**
 * Creates the month partition of `table` for `month` when missing. Rows of that month sitting in
 * the DEFAULT partition are moved into it (PostgreSQL refuses a new partition whose range the
 * DEFAULT partition still holds rows of). Returns true when it created the partition.
 */
export async function createMonthPartition(trx: AnyDb, spec: PartitionedTable, month: string): Promise<boolean> {
  const from = monthStart(month);
  const to = addMonths(from, 1);
  const name = partitionName(spec.table, from);
  const exists = await sql<{ e: boolean }>`SELECT to_regclass(${`public.${name}`}) IS NOT NULL AS e`.execute(trx);
  if (exists.rows[0].e) return false;
  const def = defaultPartitionName(spec.table);
  const col = sql.ref(spec.column);
  const hasDefault = (await sql<{ e: boolean }>`SELECT to_regclass(${`public.${def}`}) IS NOT NULL AS e`.execute(trx)).rows[0].e;
  let moved = false;
  if (hasDefault) {
    const waiting = await sql<{ e: boolean }>`
      SELECT EXISTS (SELECT 1 FROM ${sql.table(def)} WHERE ${col} >= ${from}::date AND ${col} < ${to}::date) AS e`.execute(trx);
    if (waiting.rows[0].e) {
      const cols = sql.raw((await storedColumns(trx, spec.table)).join(', '));
      await sql`DROP TABLE IF EXISTS pg_temp.tumbuh_partition_move`.execute(trx);
      await sql`CREATE TEMP TABLE tumbuh_partition_move ON COMMIT DROP AS SELECT ${cols} FROM ${sql.table(def)} WHERE false`.execute(trx);
      await sql`WITH gone AS (DELETE FROM ${sql.table(def)} WHERE ${col} >= ${from}::date AND ${col} < ${to}::date RETURNING ${cols})
        INSERT INTO tumbuh_partition_move SELECT ${cols} FROM gone`.execute(trx);
      moved = true;
    }
  }
  await sql`CREATE TABLE ${sql.table(name)} PARTITION OF ${sql.table(spec.table)} FOR VALUES FROM (${sql.lit(from)}) TO (${sql.lit(to)})`.execute(trx);
  if (moved) {
    const cols = sql.raw((await storedColumns(trx, spec.table)).join(', '));
    await sql`INSERT INTO ${sql.table(spec.table)} (${cols}) SELECT ${cols} FROM tumbuh_partition_move`.execute(trx);
    await sql`DROP TABLE pg_temp.tumbuh_partition_move`.execute(trx);
  }
  return true;
}

export interface EnsurePartitionsOptions {
  /** Months ahead of the current month to create (default {@link DEFAULT_MONTHS_AHEAD}). */
  ahead?: number;
  /** Also cover this span of months (yyyy-mm or yyyy-mm-dd, both included), e.g. the months a load brings. */
  from?: string;
  to?: string;
  /** "Today" (tests). */
  now?: Date;
}

/**
 * Makes sure every partitioned table has a partition for each month from its earliest data month
 * (at most {@link MAX_MONTHS_BACK} months back) through `ahead` months after the current one, and
 * for the `from`..`to` span when given; rows waiting in DEFAULT for a month that now has its own
 * partition are moved there. Runs under an advisory lock, so concurrent starts do not collide.
 * Returns the names of the partitions created. A table not partitioned yet is skipped.
 */
export async function ensurePartitions(db: AnyDb, options: EnsurePartitionsOptions = {}): Promise<string[]> {
  if (!db.isTransaction) return (db as Kysely<unknown>).transaction().execute((trx) => ensurePartitionsInTransaction(trx, options));
  return ensurePartitionsInTransaction(db, options);
}

/**
 * {@link ensurePartitions} on a connection whose transaction the caller has already opened (a
 * loader's own BEGIN on one client): nothing is begun or committed here.
 */
export async function ensurePartitionsInTransaction(trx: AnyDb, options: EnsurePartitionsOptions = {}): Promise<string[]> {
  const ahead = options.ahead ?? DEFAULT_MONTHS_AHEAD;
  if (!Number.isInteger(ahead) || ahead < 0 || ahead > 120) throw new RangeError('ahead must be 0–120 months');
  const now = options.now ?? new Date();
  const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const floor = addMonths(current, -MAX_MONTHS_BACK);
  await sql`SELECT pg_advisory_xact_lock(7412, 1)`.execute(trx);
  const created: string[] = [];
  for (const spec of PARTITIONED_TABLES) {
    if (!(await isPartitioned(trx, spec.table))) continue;
    const months = new Set<string>();
    for (let m = current; m <= addMonths(current, ahead); m = addMonths(m, 1)) months.add(m);
    if (options.from !== undefined || options.to !== undefined) {
      const from = monthStart(options.from ?? options.to as string);
      const to = monthStart(options.to ?? options.from as string);
      for (let m = from < floor ? floor : from; m <= to; m = addMonths(m, 1)) months.add(m);
    }
    // Months with rows waiting in DEFAULT, and every month between the earliest partition and the
    // latest one, so the months form one unbroken span.
    const def = defaultPartitionName(spec.table);
    const hasDefault = (await sql<{ e: boolean }>`SELECT to_regclass(${`public.${def}`}) IS NOT NULL AS e`.execute(trx)).rows[0].e;
    if (hasDefault) {
      const waiting = await sql<{ m: string }>`
        SELECT DISTINCT to_char(date_trunc('month', ${sql.ref(spec.column)}::timestamp), 'YYYY-MM-DD') AS m
        FROM ${sql.table(def)} WHERE ${sql.ref(spec.column)} >= ${floor}::date`.execute(trx);
      for (const w of waiting.rows) months.add(w.m);
    }
    const existing = (await listPartitions(trx)).filter((p) => p.table === spec.table && p.month !== null).map((p) => p.month as string);
    const all = [...months, ...existing].sort();
    if (all.length > 0) for (let m = all[0]; m <= all[all.length - 1]; m = addMonths(m, 1)) months.add(m);
    for (const m of [...months].sort()) {
      if (await createMonthPartition(trx, spec, m)) created.push(partitionName(spec.table, m));
    }
  }
  return created;
}

/**
 * Detaches the partitions of `month` from every partitioned table and moves them into the
 * `archive` schema: their rows leave every query (and `tumbuh db backup`) but stay on disk until
 * the operator exports or drops them. Rollups already computed for that month are kept; a later
 * full rollup rebuild no longer sees the archived rows. Returns the archived table names
 * (schema-qualified); an absent partition is skipped.
 */
export async function detachMonth(db: AnyDb, month: string): Promise<string[]> {
  if (!db.isTransaction) return (db as Kysely<unknown>).transaction().execute((trx) => detachMonth(trx, month));
  const m = monthStart(month);
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.raw(ARCHIVE_SCHEMA)}`.execute(db);
  const out: string[] = [];
  for (const spec of PARTITIONED_TABLES) {
    const name = partitionName(spec.table, m);
    const attached = await sql<{ e: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(${`public.${name}`})) AS e`.execute(db);
    if (!attached.rows[0].e) continue;
    await sql`ALTER TABLE ${sql.table(spec.table)} DETACH PARTITION ${sql.table(name)}`.execute(db);
    // An archived month must not hold live rows hostage: its cloned foreign keys would block
    // deleting or merging the children it mentions.
    const fks = await sql<{ name: string }>`
      SELECT conname::text AS name FROM pg_constraint WHERE conrelid = ${sql.raw(`'public.${name}'::regclass`)} AND contype = 'f'`.execute(db);
    for (const fk of fks.rows) await sql`ALTER TABLE ${sql.table(name)} DROP CONSTRAINT ${sql.ref(fk.name)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(name)} SET SCHEMA ${sql.raw(ARCHIVE_SCHEMA)}`.execute(db);
    out.push(`${ARCHIVE_SCHEMA}.${name}`);
  }
  return out;
}

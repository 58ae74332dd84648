import { sql, type Kysely } from 'kysely';
import { addMonths, createMonthPartition, DEFAULT_MONTHS_AHEAD, defaultPartitionName, MAX_MONTHS_BACK, PARTITIONED_TABLES, type PartitionedTable } from '../partitions.js';

// Issue 10: measurement and service become range-partitioned by month on their date column
// (docs/SCALING.md "Partitioning"). Each table is rebuilt: the old one is renamed, a partitioned
// table LIKE it takes its name (same columns, defaults, generated columns, CHECK constraints and
// their names), the rows are copied, then the foreign keys (validated once, set-based), the
// indexes, triggers and dependent views come back under their old names. The primary key gains
// the partition column, as PostgreSQL requires: (kabupaten_code, id, <date>). Partitions are made
// for every month of the existing data (at most MAX_MONTHS_BACK back) through DEFAULT_MONTHS_AHEAD
// months after the current one, plus a DEFAULT partition so a write never fails for a month
// without its own partition (src/db/partitions.ts moves such rows out later).

interface Captured {
  pk: { name: string; columns: string[] };
  foreignKeys: { name: string; def: string }[];
  indexes: string[];
  triggers: string[];
  views: { name: string; def: string }[];
}

async function capture(db: Kysely<unknown>, table: string): Promise<Captured> {
  const rel = sql.raw(`'public.${table}'::regclass`);
  const referencing = await sql<{ name: string }>`SELECT conname::text AS name FROM pg_constraint WHERE confrelid = ${rel} AND contype = 'f'`.execute(db);
  if (referencing.rows.length > 0) throw new Error(`${table} is referenced by ${referencing.rows.map((r) => r.name).join(', ')}: cannot partition it`);
  const uniques = await sql<{ name: string }>`SELECT conname::text AS name FROM pg_constraint WHERE conrelid = ${rel} AND contype IN ('u', 'x')`.execute(db);
  if (uniques.rows.length > 0) throw new Error(`${table} has unique/exclusion constraints ${uniques.rows.map((r) => r.name).join(', ')}: add the partition column first`);
  const pk = await sql<{ name: string; columns: string[] }>`
    SELECT c.conname::text AS name, array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.conrelid = ${rel} AND c.contype = 'p' GROUP BY c.conname`.execute(db);
  const foreignKeys = await sql<{ name: string; def: string }>`
    SELECT conname::text AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = ${rel} AND contype = 'f' ORDER BY conname`.execute(db);
  const indexes = await sql<{ def: string }>`
    SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
    WHERE i.indrelid = ${rel} AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY i.indexrelid::regclass::text`.execute(db);
  const triggers = await sql<{ def: string }>`
    SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = ${rel} AND NOT tgisinternal ORDER BY tgname`.execute(db);
  const views = await sql<{ name: string; def: string }>`
    SELECT DISTINCT v.relname::text AS name, pg_get_viewdef(v.oid) AS def
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
    WHERE d.refobjid = ${rel} AND v.oid <> d.refobjid AND v.relkind = 'v'`.execute(db);
  if (pk.rows.length !== 1) throw new Error(`${table} has no primary key`);
  return { pk: pk.rows[0], foreignKeys: foreignKeys.rows, indexes: indexes.rows.map((r) => r.def), triggers: triggers.rows.map((r) => r.def), views: views.rows };
}

async function partitionTable(db: Kysely<unknown>, spec: PartitionedTable, identity: boolean): Promise<void> {
  const { table, column } = spec;
  const old = `${table}_unpartitioned`;
  const c = await capture(db, table);
  for (const v of c.views) await sql`DROP VIEW ${sql.table(v.name)}`.execute(db);
  await sql`ALTER TABLE ${sql.table(table)} RENAME TO ${sql.table(old)}`.execute(db);
  await sql`ALTER TABLE ${sql.table(old)} RENAME CONSTRAINT ${sql.ref(c.pk.name)} TO ${sql.ref(`${old}_pkey`)}`.execute(db);
  const idx = await sql<{ name: string }>`
    SELECT i.indexrelid::regclass::text AS name FROM pg_index i
    WHERE i.indrelid = ${sql.raw(`'public.${old}'::regclass`)} AND NOT i.indisprimary`.execute(db);
  for (const i of idx.rows) await sql`DROP INDEX ${sql.raw(i.name)}`.execute(db);
  for (const t of await sql<{ name: string }>`SELECT tgname::text AS name FROM pg_trigger WHERE tgrelid = ${sql.raw(`'public.${old}'::regclass`)} AND NOT tgisinternal`.execute(db).then((r) => r.rows)) {
    await sql`DROP TRIGGER ${sql.ref(t.name)} ON ${sql.table(old)}`.execute(db);
  }
  const seq = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${old}, 'id') AS seq`.execute(db);
  const oldSeq = seq.rows[0].seq;
  if (oldSeq) await sql`ALTER SEQUENCE ${sql.raw(oldSeq)} RENAME TO ${sql.raw(`${old}_id_seq`)}`.execute(db);

  // Identity columns on a partitioned table need PostgreSQL 17; on 15–16 the id takes its values
  // from an owned sequence instead (same numbers, same pg_get_serial_sequence).
  await sql.raw(`CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED
    INCLUDING STORAGE INCLUDING COMMENTS${identity ? ' INCLUDING IDENTITY' : ''}) PARTITION BY RANGE (${column})`).execute(db);
  if (!identity && oldSeq) {
    await sql.raw(`CREATE SEQUENCE ${table}_id_seq AS bigint OWNED BY ${table}.id;
      ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT nextval('${table}_id_seq')`).execute(db);
  }
  await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${c.pk.name} PRIMARY KEY (${[...c.pk.columns.filter((x) => x !== column), column].join(', ')})`).execute(db);

  await sql.raw(`CREATE TABLE ${defaultPartitionName(table)} PARTITION OF ${table} DEFAULT`).execute(db);
  const now = new Date();
  const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const floor = addMonths(current, -MAX_MONTHS_BACK);
  const span = await sql<{ lo: string | null; hi: string | null }>`
    SELECT to_char(date_trunc('month', min(${sql.ref(column)})::timestamp), 'YYYY-MM-DD') AS lo,
           to_char(date_trunc('month', max(${sql.ref(column)})::timestamp), 'YYYY-MM-DD') AS hi
    FROM ${sql.table(old)} WHERE ${sql.ref(column)} >= ${floor}::date`.execute(db);
  const lo = span.rows[0].lo !== null && span.rows[0].lo < current ? span.rows[0].lo : current;
  const last = addMonths(current, DEFAULT_MONTHS_AHEAD);
  const hi = span.rows[0].hi !== null && span.rows[0].hi > last ? span.rows[0].hi : last;
  for (let m = lo; m <= hi; m = addMonths(m, 1)) await createMonthPartition(db, spec, m);

  const cols = await sql<{ c: string }>`
    SELECT column_name::text AS c FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${old} AND is_generated = 'NEVER' ORDER BY ordinal_position`.execute(db);
  const list = cols.rows.map((r) => r.c).join(', ');
  await sql.raw(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${old}`).execute(db);
  if (oldSeq) {
    await sql.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), last_value, is_called) FROM ${old}_id_seq`).execute(db);
  }
  for (const fk of c.foreignKeys) await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${fk.name} ${fk.def}`).execute(db);
  for (const def of c.indexes) await sql.raw(def).execute(db);
  for (const def of c.triggers) await sql.raw(def).execute(db);
  await sql.raw(`DROP TABLE ${old}`).execute(db);
  for (const v of c.views) await sql.raw(`CREATE VIEW ${v.name} AS ${v.def}`).execute(db);
  await sql.raw(`ANALYZE ${table}`).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const version = await sql<{ v: number }>`SELECT current_setting('server_version_num')::int AS v`.execute(db);
  const identity = version.rows[0].v >= 170000;
  for (const spec of PARTITIONED_TABLES) await partitionTable(db, spec, identity);
}

// Back to plain tables (rows kept; partitions of the archive schema are not brought back).
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table, column } of [...PARTITIONED_TABLES].reverse()) {
    const c = await capture(db, table);
    for (const v of c.views) await sql`DROP VIEW ${sql.table(v.name)}`.execute(db);
    await sql.raw(`ALTER TABLE ${table} RENAME TO ${table}_partitioned;
      ALTER TABLE ${table}_partitioned RENAME CONSTRAINT ${c.pk.name} TO ${table}_partitioned_pkey`).execute(db);
    const idx = await sql<{ name: string }>`
      SELECT i.indexrelid::regclass::text AS name FROM pg_index i
      WHERE i.indrelid = ${sql.raw(`'public.${table}_partitioned'::regclass`)} AND NOT i.indisprimary`.execute(db);
    for (const i of idx.rows) await sql`DROP INDEX ${sql.raw(i.name)}`.execute(db);
    const seq = (await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${`${table}_partitioned`}, 'id') AS seq`.execute(db)).rows[0].seq;
    if (seq) await sql`ALTER SEQUENCE ${sql.raw(seq)} RENAME TO ${sql.raw(`${table}_partitioned_id_seq`)}`.execute(db);
    await sql.raw(`CREATE TABLE ${table} (LIKE ${table}_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED
      INCLUDING STORAGE INCLUDING COMMENTS)`).execute(db);
    await sql.raw(`ALTER TABLE ${table} ALTER COLUMN id DROP DEFAULT;
      ALTER TABLE ${table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;
      ALTER TABLE ${table} ADD CONSTRAINT ${c.pk.name} PRIMARY KEY (${c.pk.columns.filter((x) => x !== column).join(', ')})`).execute(db);
    const cols = await sql<{ c: string }>`
      SELECT column_name::text AS c FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ${table} AND is_generated = 'NEVER' ORDER BY ordinal_position`.execute(db);
    const list = cols.rows.map((r) => r.c).join(', ');
    await sql.raw(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${table}_partitioned`).execute(db);
    await sql.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest(coalesce(max(id), 0), 1)) FROM ${table}`).execute(db);
    for (const fk of c.foreignKeys) await sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${fk.name} ${fk.def}`).execute(db);
    for (const def of c.indexes) await sql.raw(def.replace(' ON ONLY ', ' ON ')).execute(db);
    for (const def of c.triggers) await sql.raw(def).execute(db);
    await sql.raw(`DROP TABLE ${table}_partitioned CASCADE`).execute(db);
    for (const v of c.views) await sql.raw(`CREATE VIEW ${v.name} AS ${v.def}`).execute(db);
  }
}

import { sql, type Kysely, type Transaction } from 'kysely';
import { citusStatements, TABLE_CLASSES, type TableClass } from './schema-rules.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;

/** True when the Citus extension is installed in this database. */
export async function citusInstalled(db: AnyDb): Promise<boolean> {
  const r = await sql<{ e: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS e`.execute(db);
  return r.rows[0].e;
}

/** The table a create_*_table statement of {@link citusStatements} places. */
export function statementTable(statement: string): string {
  const m = /create_(?:reference|distributed)_table\('([^']+)'/.exec(statement);
  if (!m) throw new Error(`not a Citus placement statement: ${statement}`);
  return m[1];
}

/**
 * Places every declared table on Citus (reference tables, then distributed tables co-located by
 * kabupaten_code) when the extension is installed; a no-op on plain PostgreSQL. Tables already
 * placed, and declared tables that do not exist yet, are skipped, so it runs after every
 * migration. Returns the statements executed.
 * @see docs/SCALING.md "Running on Citus"
 */
export async function placeOnCitus(db: AnyDb, classes: Readonly<Record<string, TableClass>> = TABLE_CLASSES): Promise<string[]> {
  if (!(await citusInstalled(db))) return [];
  const placed = await sql<{ t: string }>`SELECT logicalrelid::regclass::text AS t FROM pg_dist_partition`.execute(db);
  const done = new Set(placed.rows.map((r) => r.t));
  const executed: string[] = [];
  for (const statement of citusStatements(classes)) {
    const table = statementTable(statement);
    const exists = await sql<{ e: boolean }>`SELECT to_regclass(${`public.${table}`}) IS NOT NULL AS e`.execute(db);
    if (!exists.rows[0].e || done.has(table)) continue;
    await sql.raw(statement).execute(db);
    executed.push(statement);
  }
  return executed;
}

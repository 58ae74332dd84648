import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { placeOnCitus } from './citus.js';
import { ensurePartitions } from './partitions.js';
import * as m0001 from './migrations/0001_core.js';
import * as m0002 from './migrations/0002_rollups.js';
import * as m0003 from './migrations/0003_analytics.js';
import * as m0004 from './migrations/0004_evaluation.js';
import * as m0005 from './migrations/0005_ingest.js';
import * as m0006 from './migrations/0006_quality.js';
import * as m0007 from './migrations/0007_storage_perf.js';
import * as m0008 from './migrations/0008_accounts.js';
import * as m0009 from './migrations/0009_partitioning.js';
import * as m0010 from './migrations/0010_citus_ready.js';

/** Every migration, in order. A new one is a new file `NNNN_name.ts` plus one line here. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_core': m0001,
  '0002_rollups': m0002,
  '0003_analytics': m0003,
  '0004_evaluation': m0004,
  '0005_ingest': m0005,
  '0006_quality': m0006,
  '0007_storage_perf': m0007,
  '0008_accounts': m0008,
  '0009_partitioning': m0009,
  '0010_citus_ready': m0010,
};

/** The newest migration this build knows: the schema level written into backups. */
export const LATEST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1) as string;

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: 'tumbuh_migration',
    migrationLockTableName: 'tumbuh_migration_lock',
  });
}

export interface MigrationState {
  name: string;
  executedAt: Date | null;
}

/**
 * Applies the pending migrations (each run in one transaction, recorded in `tumbuh_migration`),
 * then creates the month partitions due (src/db/partitions.ts), and returns the names applied
 * now; throws the first failure.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) throw result.error;
  // Every start and `tumbuh db migrate` keeps the month partitions ahead of the calendar.
  await ensurePartitions(db);
  // With Citus, tables added by newer migrations are placed too (a no-op on plain PostgreSQL).
  await placeOnCitus(db);
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Every known migration with the time it was applied (null = pending). */
export async function migrationStatus(db: Kysely<unknown>): Promise<MigrationState[]> {
  const all = await migrator(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

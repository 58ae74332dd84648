import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { AppError } from '../common/app-error.js';
import { ensureDataDir, resolveDataDir } from './data-dir.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { DB_MESSAGES as M } from './messages.js';
import { migrateToLatest } from './migrator.js';
import { loadNikHasher, sameFingerprint, type NikHasher } from './nik.js';
import { createPool } from './pool.js';
import type { Database } from './schema.js';
import { seedFilesFromEnv, seedReferenceData, type SeedFiles } from './seed.js';

export interface OpenDatabaseOptions {
  /** Tumbuh's data directory; default TUMBUH_DATA_DIR or ./var. */
  dataDir?: string;
  /** postgres://… of a PostgreSQL ≥ 15 server; default DATABASE_URL; none = embedded server. */
  databaseUrl?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Load the reference data when it changed (default true, implies migrate). */
  seed?: boolean;
  seedFiles?: SeedFiles;
  /** Embedded only: false for throw-away clusters (tests, benchmarks on temp dirs). Default true. */
  durable?: boolean;
  /** Stop cleanly on SIGINT/SIGTERM (default true for the embedded server). */
  handleSignals?: boolean;
  poolSize?: number;
  log?: (line: string) => void;
}

/** An open database: the typed query builder, the raw pool (for COPY) and how to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  mode: 'embedded' | 'server';
  dataDir: string;
  /** Where it runs, without the password (for messages and logs). */
  target: string;
  nik: NikHasher;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Opens Tumbuh's database: the embedded PostgreSQL of the data directory (started, and created on
 * first use) or the server of DATABASE_URL; applies migrations and loads reference data. The same
 * code and migrations run in both modes.
 * @see docs/OPERATIONS.md
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? resolveDataDir(env, options.cwd ?? process.cwd());
  const url = options.databaseUrl ?? (env.DATABASE_URL?.trim() || undefined);
  let embedded: EmbeddedServer | null = null;
  let pool: pg.Pool;
  let target: string;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (err) {
      throw new AppError('db_bad_url', M['db.badUrl'], {}, { status: 500, cause: err });
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new AppError('db_bad_url', M['db.badUrl'], {}, { status: 500 });
    ensureDataDir(dataDir);
    pool = createPool({ connectionString: url, max: options.poolSize ?? 8 });
    target = describeUrl(url);
  } else {
    embedded = await startEmbeddedPostgres({ dataDir, durable: options.durable, log: options.log });
    pool = createPool({
      host: embedded.host, port: embedded.port, user: embedded.user, password: embedded.password,
      database: embedded.database, max: options.poolSize ?? 8,
    });
    target = `embedded PostgreSQL ${embedded.host}:${embedded.port} (${embedded.pgDir})`;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  const onSignal = (signal: NodeJS.Signals) => {
    void close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await db.destroy().catch(() => undefined);
    if (embedded) await embedded.stop();
  }
  try {
    const version = await pool.query<{ server_version_num: string }>('SHOW server_version_num').catch((err: Error) => {
      throw new AppError('db_connect_failed', M['db.connectFailed'], { target, reason: err.message }, { status: 503, cause: err });
    });
    const num = Number(version.rows[0].server_version_num);
    if (num < 150000) throw new AppError('db_version', M['db.versionTooOld'], { version: (num / 10000).toFixed(0) }, { status: 500 });
    if (options.migrate !== false || options.seed !== false) await migrateToLatest(db as unknown as Kysely<unknown>);
    if (options.seed !== false) await seedReferenceData(db, options.seedFiles ?? seedFilesFromEnv(env));
    const nik = loadNikHasher(env, dataDir);
    if (options.migrate !== false || options.seed !== false) await checkNikKey(db, nik);
    if (embedded && options.handleSignals !== false) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    return { db, pool, mode: embedded ? 'embedded' : 'server', dataDir, target, nik, embedded, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Records the NIK key's fingerprint on first use; refuses a different key afterwards. */
async function checkNikKey(db: Kysely<Database>, nik: NikHasher): Promise<void> {
  await db.insertInto('app_setting').values({ key: 'nik_key_fingerprint', value: nik.fingerprint })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await db.selectFrom('app_setting').select('value').where('key', '=', 'nik_key_fingerprint').executeTakeFirstOrThrow();
  if (!sameFingerprint(stored.value, nik.fingerprint)) throw new AppError('nik_key_mismatch', M['db.nikKeyMismatch'], {}, { status: 500 });
}

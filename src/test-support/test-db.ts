// A fresh database per test file, cloned from the migrated and seeded template of globalSetup.
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { defaultWritePathDeps, type WritePathDeps } from '../db/growth-columns.js';
import { createNikHasher, type NikHasher } from '../db/nik.js';
import { createPool } from '../db/pool.js';
import type { Database } from '../db/schema.js';
import { TEMPLATE_DB } from './test-servers.js';

export type TestServerKind = 'embedded' | 'server';

export interface TestDatabase {
  kind: TestServerKind;
  name: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  nik: NikHasher;
  deps: WritePathDeps;
  /** Connection settings of this database (for code that opens its own pool). */
  config: pg.PoolConfig;
  close(): Promise<void>;
}

/** The servers tests run against: always the embedded one, plus TEST_DATABASE_URL's when set. */
export function testServerKinds(): TestServerKind[] {
  return inject('tumbuhTestServers').serverUrl ? ['embedded', 'server'] : ['embedded'];
}

function configFor(kind: TestServerKind, database: string): pg.PoolConfig {
  const servers = inject('tumbuhTestServers');
  if (kind === 'embedded') return { ...servers.embedded, database };
  const url = new URL(servers.serverUrl as string);
  url.pathname = `/${database}`;
  return { connectionString: url.toString() };
}

async function admin(kind: TestServerKind, sql: string): Promise<void> {
  const client = new pg.Client(configFor(kind, 'postgres'));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (no migrations) on a test server; returns its connection settings. */
export async function createEmptyTestDatabase(kind: TestServerKind = 'embedded'): Promise<{ name: string; config: pg.PoolConfig; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin(kind, `CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  return { name, config: configFor(kind, name), drop: () => admin(kind, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A new database with the current schema and reference data, for one test file. */
export async function createTestDatabase(kind: TestServerKind = 'embedded'): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin(kind, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  const config = configFor(kind, name);
  const pool = createPool(config);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind,
    name,
    db,
    pool,
    nik: createNikHasher('test-nik-key-0123456789abcdef0123456789abcdef'),
    deps: defaultWritePathDeps(),
    config,
    async close() {
      await db.destroy();
      await admin(kind, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

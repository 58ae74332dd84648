// Vitest globalSetup: one embedded PostgreSQL per test run (plus TEST_DATABASE_URL's server when
// set), each with a migrated and seeded template database that test files clone (CREATE DATABASE
// … TEMPLATE is a file copy, far faster than migrating per file).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrator.js';
import { createPool } from '../db/pool.js';
import type { Database } from '../db/schema.js';
import { seedReferenceData } from '../db/seed.js';
import { defaultRegionFiles } from '../reference/regions.js';
import { TEMPLATE_DB, type TestServers } from './test-servers.js';

async function buildTemplate(admin: pg.ClientConfig, connect: (database: string) => pg.Pool): Promise<void> {
  const client = new pg.Client({ ...admin, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DB} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const pool = connect(TEMPLATE_DB);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
    const files = defaultRegionFiles();
    await seedReferenceData(db, { regions: files.regions, boundaries: files.boundaries });
  } finally {
    await db.destroy();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'tumbuh-test-pg-'));
  // The server runs as an unprivileged user when we are root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: dir, durable: false });
  const embedded = { host: server.host, port: server.port, user: server.user, password: server.password };
  const servers: TestServers = { embedded, serverUrl: process.env.TEST_DATABASE_URL?.trim() || null };
  try {
    await buildTemplate(embedded, (database) => createPool({ ...embedded, database }));
    if (servers.serverUrl) {
      const u = servers.serverUrl;
      await buildTemplate({ connectionString: u }, (database) => {
        const url = new URL(u);
        url.pathname = `/${database}`;
        return createPool({ connectionString: url.toString() });
      });
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  project.provide('tumbuhTestServers', servers);
  return async () => {
    if (servers.serverUrl) {
      const client = new pg.Client({ connectionString: servers.serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).finally(() => client.end());
    }
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

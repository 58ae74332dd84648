/**
 * The world of the browser tests: a fresh test database with a small synthetic district (the
 * demo loader), one account per role scoped to real demo regions, and the real server (buildApp)
 * serving the API and the built web app on a free loopback port.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { runAnalyticsJob } from '../../src/analytics/analytics.job.js';
import type { Role } from '../../src/auth/access.js';
import { SYSTEM_SCOPE } from '../../src/auth/access.js';
import { createUser } from '../../src/auth/users.service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { loadDemoInputs } from '../../src/demo/demo-inputs.js';
import { loadDemo } from '../../src/demo/demo.loader.js';
import { buildApp, createServerDeps } from '../../src/server/app.js';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/test-db.js';
import { ensureWebBuilt, WEB_DIST } from './web-build.js';

/** The password of every test account (meets the password policy). */
export const E2E_PASSWORD = 'Tanjung-Puting-2025';

export interface E2eRegions {
  kabupatenCode: string;
  kecamatanCode: string;
  desaCode: string;
  desaName: string;
  posyanduId: number;
  posyanduName: string;
  puskesmasId: number;
  /** A child of the posyandu with several measurements. */
  childId: number;
  childName: string;
}

export interface E2eWorld {
  url: string;
  app: FastifyInstance;
  tdb: TestDatabase;
  regions: E2eRegions;
  /** username per role */
  accounts: Record<Role, string>;
  close(): Promise<void>;
}

async function pickRegions(tdb: TestDatabase): Promise<E2eRegions> {
  const db = tdb.db;
  // The posyandu with the most children that lies in a puskesmas catchment.
  const p = await db
    .selectFrom('facility as f')
    .innerJoin('child as c', 'c.posyandu_id', 'f.id')
    .innerJoin('facility_catchment as fc', 'fc.desa_code', 'f.desa_code')
    .innerJoin('region as r', 'r.code', 'f.desa_code')
    .select(['f.id', 'f.name', 'f.desa_code', 'r.name as desa_name', 'fc.facility_id as puskesmas_id', sql<number>`count(distinct c.id)`.as('n')])
    .where('f.kind', '=', 'posyandu')
    .groupBy(['f.id', 'f.name', 'f.desa_code', 'r.name', 'fc.facility_id'])
    .orderBy('n', 'desc')
    .orderBy('f.id')
    .executeTakeFirstOrThrow();
  const child = await db
    .selectFrom('child as c')
    .innerJoin('measurement as m', 'm.child_id', 'c.id')
    .select(['c.id', 'c.name', sql<number>`count(*)`.as('n')])
    .where('c.posyandu_id', '=', p.id)
    .groupBy(['c.id', 'c.name'])
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .executeTakeFirstOrThrow();
  return {
    kabupatenCode: p.desa_code.slice(0, 5),
    kecamatanCode: p.desa_code.slice(0, 8),
    desaCode: p.desa_code,
    desaName: p.desa_name,
    posyanduId: p.id,
    posyanduName: p.name,
    puskesmasId: p.puskesmas_id,
    childId: child.id,
    childName: child.name,
  };
}

async function createAccounts(tdb: TestDatabase, r: E2eRegions): Promise<Record<Role, string>> {
  const scopes: Record<Role, { regionCodes?: string[]; posyanduId?: number; puskesmasId?: number; sector?: string }> = {
    admin: {},
    provinsi: { regionCodes: ['62'] },
    tpps: { regionCodes: [r.kabupatenCode] },
    opd: { regionCodes: [r.kabupatenCode], sector: 'kesehatan' },
    puskesmas: { puskesmasId: r.puskesmasId },
    desa: { regionCodes: [r.desaCode] },
    kader: { posyanduId: r.posyanduId },
    tpk: { regionCodes: [r.desaCode] },
    csr: { regionCodes: [r.desaCode] },
    viewer: { regionCodes: [r.kabupatenCode] },
  };
  const accounts = {} as Record<Role, string>;
  for (const [role, scope] of Object.entries(scopes) as [Role, (typeof scopes)[Role]][]) {
    const username = `uji.${role}`;
    await createUser(tdb.db, SYSTEM_SCOPE, {
      username, displayName: `Uji ${role}`, role, password: E2E_PASSWORD, mustChangePassword: false, ...scope,
    });
    accounts[role] = username;
  }
  return accounts;
}

/** Starts the world; `children` sizes the synthetic district (small keeps the tests quick). */
export async function startWorld(children = 800): Promise<E2eWorld> {
  ensureWebBuilt();
  const tdb = await createTestDatabase();
  await loadDemo({ pool: tdb.pool, nik: tdb.nik }, { ...loadDemoInputs(), children, months: 12, seed: 2611, batchSize: 5000 });
  // What the nightly analytics job leaves behind: alerts, validity scores, period rollups.
  await runAnalyticsJob(tdb.db, '62.01');
  const regions = await pickRegions(tdb);
  const accounts = await createAccounts(tdb, regions);
  const handle: DatabaseHandle = {
    db: tdb.db, pool: tdb.pool, mode: 'server', dataDir: '', target: `test database ${tdb.name}`, nik: tdb.nik, embedded: null,
    close: async () => undefined,
  };
  const deps = await createServerDeps(handle, {});
  const app = await buildApp(deps, { webRoot: WEB_DIST, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url, app, tdb, regions, accounts,
    async close() {
      await app.close();
      await tdb.close();
    },
  };
}

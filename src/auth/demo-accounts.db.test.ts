import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../demo/demo-inputs.js';
import { loadDemo } from '../demo/demo.loader.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { ROLES, regionVisible } from './access.js';
import { DEMO_ACCOUNTS_SETTING, ensureDemoAccounts } from './demo-accounts.js';
import { IpRateLimiter, login } from './login.service.js';
import { passwordPolicyProblems } from './password.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.close());

describe('ensureDemoAccounts', () => {
  it('does nothing before a demo is loaded (and tries again later)', async () => {
    expect(await ensureDemoAccounts(t.db)).toEqual({ created: [] });
    expect(await t.db.selectFrom('app_setting').select('key').where('key', '=', DEMO_ACCOUNTS_SETTING).executeTakeFirst()).toBeUndefined();
  });

  it('creates one account per role in the demo\'s places, once; each logs in with its printed password', async () => {
    await loadDemo(t, { ...loadDemoInputs(), children: 200, months: 3, seed: 7, batchSize: 2000 });
    const { created } = await ensureDemoAccounts(t.db);
    expect(created.map((c) => c.role)).toEqual([...ROLES]);
    expect(created.map((c) => c.username)).toEqual(ROLES.map((r) => `demo.${r}`));
    expect(new Set(created.map((c) => c.password)).size).toBe(ROLES.length);
    for (const c of created) expect(passwordPolicyProblems(c.password, c.username)).toEqual([]);

    const limiter = new IpRateLimiter();
    const scopes = Object.fromEntries(
      await Promise.all(created.map(async (c) => [c.role, (await login(t.db, { username: c.username, password: c.password, ip: '127.0.0.1', userAgent: null }, { limiter })).scope] as const)),
    );
    const pos = await t.db.selectFrom('facility').select(['id', 'desa_code', 'kabupaten_code']).where('id', '=', scopes.kader.posyanduId as number).executeTakeFirstOrThrow();
    const catchment = (await t.db.selectFrom('facility_catchment').select('desa_code').where('facility_id', '=', scopes.puskesmas.puskesmasId as number).execute()).map((r) => r.desa_code);
    expect(scopes.admin.regionCodes).toBeNull();
    expect(scopes.provinsi.regionCodes).toEqual([pos.kabupaten_code.slice(0, 2)]);
    for (const r of ['tpps', 'opd', 'viewer'] as const) expect(scopes[r].regionCodes).toEqual([pos.kabupaten_code]);
    expect(scopes.opd.sector).toBe('kesehatan');
    expect(scopes.kader.regionCodes).toEqual([pos.desa_code]);
    expect(scopes.desa.regionCodes).toEqual([pos.desa_code]);
    expect(scopes.tpk.regionCodes).toEqual([pos.desa_code]);
    expect(catchment).toContain(pos.desa_code);
    expect([...scopes.puskesmas.regionCodes as string[]].sort()).toEqual([...catchment].sort());
    expect(scopes.csr.regionCodes?.length).toBeGreaterThan(0);
    expect((scopes.csr.regionCodes as string[]).every((d) => regionVisible(scopes.puskesmas, d))).toBe(true);
    // The printout describes each scope with a name.
    expect(created.find((c) => c.role === 'kader')?.scopeLabel).toMatch(/Posyandu|\(/);

    expect(await ensureDemoAccounts(t.db)).toEqual({ created: [] });
    expect(Number((await t.db.selectFrom('app_user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(ROLES.length);
  });

  it('does not block replacing the demo (the loader truncates facility; no foreign key from app_user)', async () => {
    const again = await loadDemo(t, { ...loadDemoInputs(), children: 150, months: 2, seed: 8, batchSize: 2000 });
    expect(again.replaced.facility).toBeGreaterThan(0);
    expect(await t.db.selectFrom('app_user').select('id').where('username', '=', 'demo.kader').executeTakeFirst()).toBeDefined();
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m0008 from '../db/migrations/0008_accounts.js';
import { DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { seedAuthWorld, type AuthWorld } from './auth-test-world.js';

let t: TestDatabase;
let w: AuthWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await seedAuthWorld(t.db);
});
afterAll(async () => t?.close());

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$' + 'x'.repeat(40);
let n = 0;

/** Inserts a raw app_user row (bypassing the service) and resolves to the error code or 'ok'. */
async function insert(values: Record<string, unknown>, regions: string[] = []): Promise<string> {
  const username = `user${++n}`;
  try {
    await t.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('app_user')
        .values({ username, display_name: 'Petugas', password_hash: HASH, role: 'viewer', ...values } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const r of regions) await trx.insertInto('app_user_region').values({ user_id: row.id, region_code: r }).execute();
    });
    return 'ok';
  } catch (e) {
    return (e as { constraint?: string }).constraint ?? (e as Error).message;
  }
}

describe('migration 0008_accounts: role and scope are constraints', () => {
  it('accepts every role with its proper scope', async () => {
    expect(await insert({ role: 'admin' })).toBe('ok');
    expect(await insert({ role: 'provinsi', scope_region_code: '62' })).toBe('ok');
    expect(await insert({ role: 'tpps', scope_region_code: KOBAR })).toBe('ok');
    expect(await insert({ role: 'opd', scope_region_code: KOBAR, scope_sector: 'air_sanitasi' })).toBe('ok');
    expect(await insert({ role: 'viewer', scope_region_code: KOBAR })).toBe('ok');
    expect(await insert({ role: 'desa', scope_region_code: DESA_A })).toBe('ok');
    expect(await insert({ role: 'tpk', scope_region_code: DESA_A })).toBe('ok');
    expect(await insert({ role: 'kader', scope_posyandu_id: w.posyanduId })).toBe('ok');
    expect(await insert({ role: 'puskesmas', scope_puskesmas_id: w.puskesmasId })).toBe('ok');
    expect(await insert({ role: 'csr' }, [DESA_A])).toBe('ok');
  });

  it('refuses accounts whose scope does not fit the role', async () => {
    expect(await insert({ role: 'root' })).toBe('app_user_role_check');
    expect(await insert({ role: 'kader' })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'kader', scope_posyandu_id: w.posyanduId, scope_region_code: DESA_A })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'desa' })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'desa', scope_region_code: KOBAR })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'tpps', scope_region_code: DESA_A })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'provinsi', scope_region_code: KOBAR })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'puskesmas' })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'admin', scope_region_code: KOBAR })).toBe('app_user_scope_shape');
    expect(await insert({ role: 'opd', scope_region_code: KOBAR })).toBe('app_user_sector');
    expect(await insert({ role: 'tpps', scope_region_code: KOBAR, scope_sector: 'kesehatan' })).toBe('app_user_sector');
    expect(await insert({ role: 'desa', scope_region_code: '62.01.99.9999' })).toBe('app_user_scope_region_code_fkey');
  });

  it('refuses a kader pointing to a puskesmas, a puskesmas pointing to a posyandu, a csr without desa', async () => {
    expect(await insert({ role: 'kader', scope_posyandu_id: w.puskesmasId })).toBe('app_user_scope_posyandu');
    expect(await insert({ role: 'kader', scope_posyandu_id: 987654 })).toBe('app_user_scope_posyandu');
    expect(await insert({ role: 'puskesmas', scope_puskesmas_id: w.posyanduId })).toBe('app_user_scope_puskesmas');
    expect(await insert({ role: 'csr' })).toBe('app_user_region_list');
    expect(await insert({ role: 'tpps', scope_region_code: KOBAR }, [DESA_A])).toBe('app_user_region_list');
    expect(await insert({ role: 'csr' }, [KOBAR])).toBe('app_user_region_region_code_check');
  });

  it('refuses removing the last desa of a csr account', async () => {
    const u = await t.db.selectFrom('app_user').select('id').where('role', '=', 'csr').executeTakeFirstOrThrow();
    await expect(t.db.deleteFrom('app_user_region').where('user_id', '=', u.id).execute()).rejects.toMatchObject({ constraint: 'app_user_region_list' });
  });

  it('refuses TOTP switched on without a secret and a disabled account without its date', async () => {
    expect(await insert({ role: 'admin', totp_enabled: true })).toBe('app_user_totp');
    expect(await insert({ role: 'admin', active: false })).toBe('app_user_disabled');
    expect(await insert({ role: 'admin', totp_secret: 'plain-base32-secret' })).toBe('app_user_totp_secret_check');
  });

  it('keeps audit_log append-only', async () => {
    await t.db.insertInto('audit_log').values({ action: 'test', entity: 'test', entity_id: null, kabupaten_code: null, user_id: null, request_id: null }).execute();
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('down() restores the old role rule (new-role accounts kept, disabled, as viewers) and up() applies again', async () => {
    await m0008.down(t.db as never);
    const roles = await sql<{ role: string; active: boolean }>`SELECT role, active FROM app_user ORDER BY id`.execute(t.db);
    expect(new Set(roles.rows.map((r) => r.role))).toEqual(new Set(['admin', 'tpps', 'opd', 'viewer', 'tpk', 'kader', 'puskesmas']));
    expect(roles.rows.filter((r) => !r.active)).toHaveLength(3); // provinsi, desa, csr
    const cols = await sql<{ n: string }>`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'app_user' AND column_name LIKE 'scope_p%'`.execute(t.db);
    expect(Number(cols.rows[0].n)).toBe(0);
    await expect(sql`INSERT INTO app_user (username, display_name, password_hash, role) VALUES ('x1x', 'X', ${HASH}, 'csr')`.execute(t.db)).rejects.toThrow(/app_user_role_check/);
    // The accounts left by down() (kader/puskesmas without their facility columns) do not fit 0008's rule.
    await sql`DELETE FROM app_user`.execute(t.db);
    await m0008.up(t.db as never);
    expect(await insert({ role: 'csr' }, [DESA_A])).toBe('ok');
  });
});

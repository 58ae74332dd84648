import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ROLES, SYSTEM_SCOPE, type Role } from './access.js';
import { generatePassword } from './password.js';
import { createUser, type UserScopeInput } from './users.service.js';

/** app_setting key set once the demo accounts were created (they are never created again). */
export const DEMO_ACCOUNTS_SETTING = 'demo_accounts';

/** One demo account as `start` prints it, once. */
export interface DemoAccount {
  role: Role;
  username: string;
  password: string;
  /** The region code(s) the account sees ('' for admin = everything). */
  region: string;
  /** What the scope is, for the printout: a region or facility name. */
  scopeLabel: string;
}

interface DemoPlaces {
  kabupaten: { code: string; name: string };
  provinsi: { code: string; name: string };
  puskesmas: { id: number; name: string; catchment: string[] };
  posyandu: { id: number; name: string; desaCode: string };
  desa: { code: string; name: string };
  csrDesa: string[];
}

/**
 * The places the demo accounts are bound to, picked from the loaded demo: the first synthetic
 * puskesmas (by kecamatan) with a catchment, a posyandu of one of its desa, that desa, its
 * kabupaten and provinsi. Null when no demo is loaded.
 */
async function demoPlaces(db: Kysely<Database>): Promise<DemoPlaces | null> {
  const pkm = await db
    .selectFrom('facility as f')
    .select(['f.id', 'f.name', 'f.kabupaten_code'])
    .where('f.kind', '=', 'puskesmas')
    .where('f.is_synthetic', '=', true)
    .where('f.active', '=', true)
    .where((eb) => eb.exists(eb.selectFrom('facility_catchment as c').select('c.facility_id').whereRef('c.facility_id', '=', 'f.id')))
    .orderBy('f.desa_code')
    .orderBy('f.id')
    .executeTakeFirst();
  if (!pkm) return null;
  const catchment = (await db.selectFrom('facility_catchment').select('desa_code').where('facility_id', '=', pkm.id).orderBy('desa_code').execute()).map((r) => r.desa_code);
  const pos = await db
    .selectFrom('facility')
    .select(['id', 'name', 'desa_code'])
    .where('kind', '=', 'posyandu')
    .where('active', '=', true)
    .where('desa_code', 'in', catchment)
    .orderBy('desa_code')
    .orderBy('id')
    .executeTakeFirst();
  if (!pos) return null;
  const names = await db.selectFrom('region').select(['code', 'name']).where('code', 'in', [pkm.kabupaten_code, pkm.kabupaten_code.slice(0, 2), pos.desa_code]).execute();
  const name = (code: string) => names.find((r) => r.code === code)?.name ?? code;
  const csrDesa = catchment.filter((d) => d !== pos.desa_code).slice(0, 2);
  return {
    kabupaten: { code: pkm.kabupaten_code, name: name(pkm.kabupaten_code) },
    provinsi: { code: pkm.kabupaten_code.slice(0, 2), name: name(pkm.kabupaten_code.slice(0, 2)) },
    puskesmas: { id: pkm.id, name: pkm.name, catchment },
    posyandu: { id: pos.id, name: pos.name, desaCode: pos.desa_code },
    desa: { code: pos.desa_code, name: name(pos.desa_code) },
    csrDesa: csrDesa.length > 0 ? csrDesa : [pos.desa_code],
  };
}

function planFor(role: Role, p: DemoPlaces): { scope: UserScopeInput; region: string; label: string } {
  switch (role) {
    case 'admin':
      return { scope: {}, region: '', label: 'semua wilayah / everywhere' };
    case 'provinsi':
      return { scope: { regionCodes: [p.provinsi.code] }, region: p.provinsi.code, label: p.provinsi.name };
    case 'tpps':
    case 'viewer':
      return { scope: { regionCodes: [p.kabupaten.code] }, region: p.kabupaten.code, label: p.kabupaten.name };
    case 'opd':
      return { scope: { regionCodes: [p.kabupaten.code], sector: 'kesehatan' }, region: p.kabupaten.code, label: `${p.kabupaten.name}, sektor kesehatan` };
    case 'puskesmas':
      return { scope: { puskesmasId: p.puskesmas.id }, region: p.puskesmas.catchment.join(' '), label: p.puskesmas.name };
    case 'desa':
    case 'tpk':
      return { scope: { regionCodes: [p.desa.code] }, region: p.desa.code, label: p.desa.name };
    case 'kader':
      return { scope: { posyanduId: p.posyandu.id }, region: p.posyandu.desaCode, label: `${p.posyandu.name} (${p.desa.name})` };
    case 'csr':
      return { scope: { regionCodes: p.csrDesa }, region: p.csrDesa.join(' '), label: `${p.csrDesa.length} desa` };
  }
}

/**
 * Creates one demo account per role (`demo.admin`, `demo.kader`, …) bound to real places of the
 * loaded demo, with random passwords meeting the policy, and returns them so `start` can print
 * them once. Runs once per installation (app_setting `demo_accounts`); returns nothing when it
 * ran before or when no demo is loaded yet (it will run after the demo is). Accounts whose
 * username already exists are left alone.
 */
export async function ensureDemoAccounts(db: Kysely<Database>): Promise<{ created: DemoAccount[] }> {
  const done = await db.selectFrom('app_setting').select('value').where('key', '=', DEMO_ACCOUNTS_SETTING).executeTakeFirst();
  if (done) return { created: [] };
  const places = await demoPlaces(db);
  if (!places) return { created: [] };
  const existing = new Set((await db.selectFrom('app_user').select('username').where('username', 'like', 'demo.%').execute()).map((r) => r.username));
  const created: DemoAccount[] = [];
  for (const role of ROLES) {
    const username = `demo.${role}`;
    if (existing.has(username)) continue;
    const plan = planFor(role, places);
    const password = generatePassword();
    await createUser(db, SYSTEM_SCOPE, {
      username,
      displayName: `Demo ${role}`,
      role,
      password,
      mustChangePassword: false,
      ...plan.scope,
    });
    created.push({ role, username, password, region: plan.region, scopeLabel: plan.label });
  }
  await db
    .insertInto('app_setting')
    .values({ key: DEMO_ACCOUNTS_SETTING, value: JSON.stringify({ createdAt: new Date().toISOString(), usernames: created.map((c) => c.username) }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return { created };
}

/**
 * Constructed data for the analytics tests: children, measurements with the z-scores chosen by
 * the test (not computed), persons, families and services, written straight into the tables.
 * Used by the *.test.ts files beside it; never by the product.
 */
import type { Kysely } from 'kysely';
import type { Database, WeightGainCode } from '../db/schema.js';

let seq = 0;

/** Inserts a child and returns its id. */
export async function addChild(
  db: Kysely<Database>,
  c: { desaCode: string; posyanduId?: number | null; birthDate: string; registeredOn?: string; sex?: 1 | 2; name?: string; exitedOn?: string },
): Promise<number> {
  const row = await db.insertInto('child').values({
    kabupaten_code: c.desaCode.slice(0, 5), desa_code: c.desaCode, posyandu_id: c.posyanduId ?? null, name: c.name ?? `Anak Uji ${++seq}`,
    sex: c.sex ?? 1, birth_date: c.birthDate, registered_on: c.registeredOn ?? c.birthDate, mother_name: `Ibu Uji ${seq}`,
    exited_on: c.exitedOn ?? null, exit_reason: c.exitedOn ? 'moved' : null, is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface TestMeasurement {
  childId: number;
  measuredOn: string;
  zlen?: number | null;
  flen?: 0 | 1;
  zwei?: number | null;
  fwei?: 0 | 1;
  zwfl?: number | null;
  fwfl?: 0 | 1;
  oedema?: boolean;
  weightKg?: number | null;
  weightGain?: WeightGainCode | null;
  twoT?: boolean;
  posyanduId?: number | null;
}

/** Inserts a measurement with the given z-scores (a length and weight are stored so the z-scores are allowed). */
export async function addMeasurement(db: Kysely<Database>, m: TestMeasurement): Promise<number> {
  const child = await db.selectFrom('child').select(['kabupaten_code', 'desa_code', 'posyandu_id', 'birth_date', 'sex']).where('id', '=', m.childId).executeTakeFirstOrThrow();
  const weight = m.weightKg === undefined ? 9.5 : m.weightKg;
  const row = await db.insertInto('measurement').values({
    kabupaten_code: child.kabupaten_code, desa_code: child.desa_code, posyandu_id: m.posyanduId === undefined ? child.posyandu_id : m.posyanduId,
    child_id: m.childId, birth_date: child.birth_date, sex: child.sex, measured_on: m.measuredOn,
    weight_kg: weight, lenhei_cm: 75, oedema: m.oedema ?? false,
    zlen: m.zlen ?? null, flen: m.zlen === undefined || m.zlen === null ? null : (m.flen ?? 0),
    zwei: weight === null ? null : (m.zwei ?? null), fwei: weight === null || m.zwei === undefined || m.zwei === null ? null : (m.fwei ?? 0),
    zwfl: weight === null ? null : (m.zwfl ?? null), fwfl: weight === null || m.zwfl === undefined || m.zwfl === null ? null : (m.fwfl ?? 0),
    weight_gain: m.weightGain ?? null, two_t: m.twoT ?? false, source: 'form',
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts a person (ibu hamil by default) and returns its id. */
export async function addPerson(
  db: Kysely<Database>,
  p: { desaCode: string; type?: 'ibu_hamil' | 'ibu_nifas' | 'remaja_putri' | 'catin'; registeredOn: string; hpht?: string; expectedDelivery?: string; kek?: boolean; lilaCm?: number; deliveryDate?: string },
): Promise<number> {
  const row = await db.insertInto('person').values({
    kabupaten_code: p.desaCode.slice(0, 5), desa_code: p.desaCode, type: p.type ?? 'ibu_hamil', name: `Ibu Hamil Uji ${++seq}`,
    registered_on: p.registeredOn, hpht: p.hpht ?? null, expected_delivery: p.expectedDelivery ?? null, kek: p.kek ?? null,
    lila_cm: p.lilaCm ?? null, delivery_date: p.deliveryDate ?? null, is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts a family and returns its id. */
export async function addFamily(
  db: Kysely<Database>,
  f: { desaCode: string; unsafeWater?: boolean; poorSanitation?: boolean; poor?: boolean; assessedOn?: string },
): Promise<number> {
  const row = await db.insertInto('family').values({
    kabupaten_code: f.desaCode.slice(0, 5), desa_code: f.desaCode, head_name: `Keluarga Uji ${++seq}`,
    unsafe_water: f.unsafeWater ?? false, poor_sanitation: f.poorSanitation ?? false, poor: f.poor ?? false,
    assessed_on: f.assessedOn ?? null, is_synthetic: true,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records a service for a child, person or family. */
export async function addService(
  db: Kysely<Database>,
  s: { desaCode: string; code: string; servedOn: string; childId?: number; personId?: number; familyId?: number; quantity?: number },
): Promise<void> {
  await db.insertInto('service').values({
    kabupaten_code: s.desaCode.slice(0, 5), desa_code: s.desaCode, intervention_code: s.code, served_on: s.servedOn,
    child_id: s.childId ?? null, person_id: s.personId ?? null, family_id: s.familyId ?? null, provider: 'Puskesmas Uji',
    quantity: s.quantity ?? null, source: 'form',
  }).execute();
}

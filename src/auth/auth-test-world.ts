// Test helpers of src/auth: a puskesmas with its catchment and a posyandu in real Kobar desa.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addPosyandu, DESA_A, DESA_B } from '../test-support/fixtures.js';
import { SYSTEM_SCOPE, type AccessScope } from './access.js';

export interface AuthWorld {
  puskesmasId: number;
  posyanduId: number;
  /** A posyandu in DESA_B (inside the catchment, another desa than the kader's). */
  otherPosyanduId: number;
}

/** A puskesmas in DESA_A serving DESA_A and DESA_B, a posyandu in each desa. */
export async function seedAuthWorld(db: Kysely<Database>): Promise<AuthWorld> {
  const pkm = await db
    .insertInto('facility')
    .values({ kind: 'puskesmas', name: 'Puskesmas Kumai', kabupaten_code: '62.01', desa_code: DESA_A, is_synthetic: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('facility_catchment').values([{ facility_id: pkm.id, desa_code: DESA_A }, { facility_id: pkm.id, desa_code: DESA_B }]).execute();
  const posyanduId = await addPosyandu(db, DESA_A, 'Posyandu Melati');
  const otherPosyanduId = await addPosyandu(db, DESA_B, 'Posyandu Kenanga');
  return { puskesmasId: pkm.id, posyanduId, otherPosyanduId };
}

/** The system acting as an administrator would (CLI): a scope that passes every role check. */
export const SYSTEM: AccessScope = SYSTEM_SCOPE;

/** A strong password for tests (meets the policy). */
export const GOOD_PASSWORD = 'Tanjung-Puting-2025';

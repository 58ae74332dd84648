// Small building blocks for database tests: a posyandu and children in real Kobar desa.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export const KOBAR = '62.01';
/** Kelurahan Candi (Kumai) and Desa Sungai Cabang (Kumai), from data/regions/kobar-regions.csv. */
export const DESA_A = '62.01.01.1011';
export const DESA_B = '62.01.01.2001';

/** Inserts a posyandu in a desa and returns its id. */
export async function addPosyandu(db: Kysely<Database>, desaCode: string, name = `Posyandu ${desaCode}`): Promise<number> {
  const row = await db
    .insertInto('facility')
    .values({ kind: 'posyandu', name, kabupaten_code: desaCode.slice(0, 5), desa_code: desaCode, is_synthetic: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

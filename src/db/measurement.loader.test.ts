import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testServerKinds, type TestDatabase } from '../test-support/test-db.js';
import { dropPlainIndexes } from './measurement.loader.js';

/** Every index of the table and, for a partitioned table, of its partitions: name → definition. */
async function indexesOf(t: TestDatabase, table: string): Promise<string[]> {
  const r = await t.pool.query<{ def: string; valid: boolean }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid FROM pg_index i
     WHERE i.indrelid = $1::regclass OR i.indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::regclass)`,
    [table],
  );
  return r.rows.map((x) => `${x.def} ${x.valid ? 'valid' : 'INVALID'}`).sort();
}

describe.each(testServerKinds())('dropPlainIndexes on %s PostgreSQL', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  it.each(['measurement', 'child', 'import_row'] as const)('drops only plain indexes of %s, and its definitions rebuild every index as it was (partitions included)', async (table) => {
    const before = await indexesOf(t, table);
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      const defs = await dropPlainIndexes(client, table, Number.MAX_SAFE_INTEGER);
      expect(defs.length).toBeGreaterThan(0);
      const during = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique`, [table]);
      expect(during.rows[0].n).toBe(0);
      for (const def of defs) await client.query(def);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await indexesOf(t, table)).toEqual(before);
  });
});

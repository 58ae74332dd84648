import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { placeOnCitus, statementTable } from './citus.js';
import { checkSchemaRules, citusStatements, DISTRIBUTION_COLUMN, formatViolations, TABLE_CLASSES } from './schema-rules.js';

let good: TestDatabase;
let scratch: TestDatabase;

beforeAll(async () => {
  [good, scratch] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await good?.close();
  await scratch?.close();
});

describe('the Citus-ready schema rules', () => {
  it('hold for the migrated schema', async () => {
    const violations = await checkSchemaRules(good.db);
    expect(violations, `schema rules broken:\n${formatViolations(violations)}`).toEqual([]);
  });

  it('fail, naming table and rule, on a deliberately bad migration', async () => {
    await sql.raw(`
      CREATE TABLE visit_note (
        id bigint PRIMARY KEY,
        kabupaten_code text NOT NULL,
        other_kabupaten text NOT NULL,
        child_id bigint NOT NULL,
        FOREIGN KEY (other_kabupaten, child_id) REFERENCES child (kabupaten_code, id));
      CREATE TABLE visit_kind (code text PRIMARY KEY, child_kab text, child_id bigint,
        FOREIGN KEY (child_kab, child_id) REFERENCES child (kabupaten_code, id));
      CREATE TABLE undeclared_log (id bigint PRIMARY KEY);
      CREATE UNIQUE INDEX child_nik_unique ON child (nik_hash);
      ALTER TABLE region_alias ADD COLUMN session_id text REFERENCES session (id);`).execute(scratch.db);
    const classes = { ...TABLE_CLASSES, visit_note: 'distributed', visit_kind: 'reference', gone_table: 'reference' } as const;
    const violations = await checkSchemaRules(scratch.db, classes);
    const found = violations.map((v) => `${v.rule} ${v.object}`).sort();
    expect(found).toEqual([
      'cross_district_fk visit_note_other_kabupaten_child_id_fkey',
      'fk_to_local region_alias_session_id_fkey',
      'key_without_distribution_column child_nik_unique',
      'key_without_distribution_column visit_note_pkey',
      'missing gone_table',
      'reference_to_distributed visit_kind_child_kab_child_id_fkey',
      'unclassified undeclared_log',
    ]);
    expect(formatViolations(violations)).toContain('primary key visit_note_pkey on distributed table visit_note (id) does not include kabupaten_code');
  });

  it('fail on a distributed table without a NOT NULL distribution column', async () => {
    await sql.raw(`CREATE TABLE loose_rows (id bigint, kabupaten_code text)`).execute(scratch.db);
    const violations = await checkSchemaRules(scratch.db, { ...TABLE_CLASSES, loose_rows: 'distributed' });
    expect(violations.filter((v) => v.table === 'loose_rows').map((v) => v.rule)).toEqual(['no_distribution_column']);
  });
});

describe('the guarded Citus placement', () => {
  it('has a statement for every table of the migrated catalogue: reference first, distributed by kabupaten_code co-located', async () => {
    const statements = citusStatements();
    const tables = await sql<{ name: string; dist: boolean }>`
      SELECT c.relname::text AS name, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ${DISTRIBUTION_COLUMN} AND a.attnotnull) AS dist
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname NOT LIKE 'tumbuh_migration%'`.execute(good.db);
    const placed = new Map(statements.map((s) => [statementTable(s), s]));
    for (const t of tables.rows) {
      const cls = TABLE_CLASSES[t.name];
      const s = placed.get(t.name);
      if (cls === 'local') {
        expect(s, t.name).toBeUndefined();
      } else if (cls === 'distributed') {
        expect(t.dist, t.name).toBe(true);
        expect(s, t.name).toMatch(new RegExp(`^SELECT create_distributed_table\\('${t.name}', 'kabupaten_code'(, colocate_with => 'facility')?\\)$`));
      } else {
        expect(s, t.name).toBe(`SELECT create_reference_table('${t.name}')`);
      }
    }
    for (const big of ['measurement', 'service', 'child', 'rollup_desa_month', 'child_alert']) {
      expect(placed.get(big)).toBe(`SELECT create_distributed_table('${big}', 'kabupaten_code', colocate_with => 'facility')`);
    }
    const firstDistributed = statements.findIndex((s) => s.includes('create_distributed_table'));
    expect(statements.slice(firstDistributed).every((s) => s.includes('create_distributed_table'))).toBe(true);
  });

  it('is a no-op without the citus extension', async () => {
    expect(await placeOnCitus(good.db)).toEqual([]);
  });
});

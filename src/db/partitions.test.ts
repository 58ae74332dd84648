import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPosyandu, DESA_A, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { addMonths, detachMonth, ensurePartitions, listPartitions, partitionName } from './partitions.js';
import { rebuildAllRollups } from './rollup.js';

let t: TestDatabase;
let childId: number;
let posyanduId: number;

async function where(id: number): Promise<string> {
  const r = await sql<{ part: string }>`SELECT tableoid::regclass::text AS part FROM measurement WHERE id = ${id}`.execute(t.db);
  return r.rows[0]?.part ?? 'gone';
}

async function addMeasurement(on: string, weight: number): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO measurement (kabupaten_code, desa_code, posyandu_id, child_id, birth_date, sex, measured_on, weight_kg, source)
    VALUES (${KOBAR}, ${DESA_A}, ${posyanduId}, ${childId}, '2022-01-10', 1, ${on}, ${weight}, 'form') RETURNING id`.execute(t.db);
  return Number(r.rows[0].id);
}

beforeAll(async () => {
  t = await createTestDatabase();
  posyanduId = await addPosyandu(t.db, DESA_A);
  const c = await t.db.insertInto('child').values({
    kabupaten_code: KOBAR, desa_code: DESA_A, posyandu_id: posyanduId, name: 'Anak Uji', sex: 1, birth_date: '2022-01-10', registered_on: '2022-01-10',
  }).returning('id').executeTakeFirstOrThrow();
  childId = c.id;
});
afterAll(async () => t?.close());

describe('month partitions of measurement and service', () => {
  it('are made by the migration for the current month and the months ahead, with a DEFAULT partition', async () => {
    const parts = await listPartitions(t.db);
    const now = new Date();
    const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
    for (const table of ['measurement', 'service']) {
      const mine = parts.filter((p) => p.table === table);
      expect(mine.map((p) => p.name)).toContain(partitionName(table, current));
      expect(mine.map((p) => p.name)).toContain(partitionName(table, addMonths(current, 6)));
      expect(mine.at(-1)).toMatchObject({ name: `${table}_default`, month: null });
    }
  });

  it('take a write for a month without its own partition (DEFAULT), then move it into the month made for it', async () => {
    const id = await addMeasurement('2024-03-14', 11.2);
    expect(await where(id)).toBe('measurement_default');
    const created = await ensurePartitions(t.db);
    expect(created).toContain('measurement_p2024_03');
    // The span stays unbroken from the earliest data month to the months ahead.
    expect(created).toContain('measurement_p2025_07');
    expect(await where(id)).toBe('measurement_p2024_03');
    const row = await sql<{ weight_kg: string; month: string; age_days: number }>`
      SELECT weight_kg::text, to_char(month, 'YYYY-MM-DD') AS month, age_days FROM measurement WHERE id = ${id}`.execute(t.db);
    expect(row.rows[0]).toEqual({ weight_kg: '11.20', month: '2024-03-01', age_days: 794 });
    expect(await ensurePartitions(t.db)).toEqual([]);
  });

  it('are queried through the parent, a date range reading only its month', async () => {
    const a = await addMeasurement('2024-04-02', 11.4);
    const b = await addMeasurement('2024-05-06', 11.5);
    expect(await where(a)).toBe('measurement_p2024_04');
    expect(await where(b)).toBe('measurement_p2024_05');
    const plan = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT count(*) FROM measurement WHERE measured_on >= '2024-04-01' AND measured_on < '2024-05-01'`.execute(t.db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('measurement_p2024_04');
    expect(text).not.toContain('measurement_p2024_05');
    expect(text).not.toContain('measurement_default');
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM measurement WHERE child_id = ${childId}`.execute(t.db);
    expect(n.rows[0].n).toBe(3);
  });

  it('detach a month into the archive schema: gone from queries, kept on disk, rollups unchanged, no key holding the child', async () => {
    await rebuildAllRollups(t.db);
    const before = await sql<{ measured: number }>`SELECT measured FROM rollup_desa_month WHERE desa_code = ${DESA_A} AND month = '2024-04-01'`.execute(t.db);
    expect(before.rows[0].measured).toBe(1);
    const archived = await detachMonth(t.db, '2024-04');
    // service has no rows that old, so no partition of that month to archive.
    expect(archived).toEqual(['archive.measurement_p2024_04']);
    const live = await sql<{ n: number }>`SELECT count(*)::int AS n FROM measurement WHERE child_id = ${childId}`.execute(t.db);
    expect(live.rows[0].n).toBe(2);
    const kept = await sql<{ n: number }>`SELECT count(*)::int AS n FROM archive.measurement_p2024_04`.execute(t.db);
    expect(kept.rows[0].n).toBe(1);
    const after = await sql<{ measured: number }>`SELECT measured FROM rollup_desa_month WHERE desa_code = ${DESA_A} AND month = '2024-04-01'`.execute(t.db);
    expect(after.rows[0].measured).toBe(1);
    const fks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'archive.measurement_p2024_04'::regclass AND contype = 'f'`.execute(t.db);
    expect(fks.rows[0].n).toBe(0);
    expect((await listPartitions(t.db)).map((p) => p.name)).not.toContain('measurement_p2024_04');
    expect(await detachMonth(t.db, '2024-04')).toEqual([]);
    // A new write for the archived month is not lost: it lands in DEFAULT, and maintenance gives it a fresh partition.
    const late = await addMeasurement('2024-04-20', 11.6);
    expect(await where(late)).toBe('measurement_default');
    await ensurePartitions(t.db);
    expect(await where(late)).toBe('measurement_p2024_04');
  });

  it('refuse a month that is not one', async () => {
    await expect(detachMonth(t.db, '2024-13')).rejects.toThrow(/not a month/);
    await expect(ensurePartitions(t.db, { ahead: -1 })).rejects.toThrow(/ahead/);
  });
});

describe('migrations 0009 and 0010 down and up again', () => {
  it('keep every measurement and service row, and give the partitions back', async () => {
    const { Migrator } = await import('kysely');
    const { MIGRATIONS } = await import('./migrator.js');
    const m = new Migrator({
      db: t.db,
      provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
      migrationTableName: 'tumbuh_migration',
      migrationLockTableName: 'tumbuh_migration_lock',
    });
    const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM measurement`.execute(t.db)).rows[0].n;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    const down = await m.migrateTo('0008_accounts');
    expect(down.error).toBeUndefined();
    const plain = await sql<{ kind: string }>`SELECT relkind::text AS kind FROM pg_class WHERE oid = 'measurement'::regclass`.execute(t.db);
    expect(plain.rows[0].kind).toBe('r');
    expect(await count()).toBe(before);
    const up = await m.migrateToLatest();
    expect(up.error).toBeUndefined();
    const part = await sql<{ kind: string }>`SELECT relkind::text AS kind FROM pg_class WHERE oid = 'measurement'::regclass`.execute(t.db);
    expect(part.rows[0].kind).toBe('p');
    expect(await count()).toBe(before);
    expect((await listPartitions(t.db)).some((p) => p.name === 'measurement_p2024_03')).toBe(true);
  });
});

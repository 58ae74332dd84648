import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { generateDemoBatches } from './demo.generator.js';
import { loadDemoInputs } from './demo-inputs.js';
import { DEMO_SETTING_KEY, loadDemo, type LoadedDemoFault } from './demo.loader.js';
import { DEMO_TABLES, type DemoOptions, type DemoTable } from './demo.types.js';

const inputs = loadDemoInputs();
let handle: DatabaseHandle;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tumbuh-demo-db-'));
  // The embedded server runs as an unprivileged user when tests run as root: it must traverse the folder.
  chmodSync(dataDir, 0o755);
  handle = await openDatabase({
    dataDir,
    env: { TUMBUH_NIK_KEY: 'demo-loader-test-key-0123456789abcdef' },
    durable: false,
    handleSignals: false,
  });
});

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function expectedRows(options: DemoOptions): Record<DemoTable, number> {
  const rows = Object.fromEntries(DEMO_TABLES.map((t) => [t, 0])) as Record<DemoTable, number>;
  for (const b of generateDemoBatches(options)) rows[b.table] += b.rows.length;
  return rows;
}

async function count(table: string, where = 'true'): Promise<number> {
  const r = await handle.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
  return Number(r.rows[0].n);
}

describe('loadDemo (embedded PostgreSQL)', () => {
  const first: DemoOptions = { ...inputs, children: 1500, months: 12, seed: 11, batchSize: 2000 };

  const schemaShape = async () =>
    (await handle.pool.query<{ def: string }>(`
      SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid IN ('measurement'::regclass, 'service'::regclass)
      UNION ALL SELECT indexdef FROM pg_indexes WHERE tablename IN ('measurement', 'service') ORDER BY 1`)).rows.map((r) => r.def);

  it('loads every table in one go, with z-scores, weight-gain codes and rollups', async () => {
    const shape = await schemaShape();
    const result = await loadDemo(handle, first);
    // Keys and indexes dropped for the bulk load are all back.
    expect(await schemaShape()).toEqual(shape);
    expect(shape.filter((d) => d.startsWith('FOREIGN KEY')).length).toBeGreaterThanOrEqual(8);
    const expected = expectedRows(first);
    expect(result.rows).toEqual(expected);
    expect(await count('child', 'is_synthetic')).toBe(expected.child);
    expect(await count('measurement', "source = 'demo'")).toBe(expected.measurement);
    expect(await count('person', 'is_synthetic')).toBe(expected.person);
    expect(await count('family', 'is_synthetic')).toBe(expected.family);
    expect(await count('service', "source = 'demo'")).toBe(expected.service);
    expect(await count('facility', 'is_synthetic')).toBe(expected.facility);
    expect(await count('indicator_value', 'is_synthetic')).toBe(expected.indicator_value);
    expect(await count('partner_commitment', 'is_synthetic')).toBe(expected.partner_commitment);
    // Every measurement with a length got its z-score; weight-gain codes were judged.
    expect(await count('measurement', 'lenhei_cm IS NOT NULL AND zlen IS NULL AND flen IS NULL')).toBe(0);
    expect(await count('measurement', "weight_gain = 'N'")).toBeGreaterThan(expected.measurement * 0.3);
    expect(await count('measurement', "weight_gain = 'B'")).toBeGreaterThan(0);
    // Rollups hold D for every child-month measured under five.
    const d = await handle.pool.query<{ rollup: string; raw: string }>(`
      SELECT (SELECT sum(measured) FROM rollup_desa_month) AS rollup,
             (SELECT count(*) FROM (SELECT DISTINCT child_id, month FROM measurement WHERE age_days <= 1826) x) AS raw`);
    expect(Number(d.rows[0].rollup)).toBe(Number(d.rows[0].raw));
    expect(await count('rollup_posyandu_month', 'stunted > 0')).toBeGreaterThan(0);
  });

  it('records the planted faults with the database ids of their posyandu', async () => {
    const s = await handle.db.selectFrom('app_setting').select('value').where('key', '=', DEMO_SETTING_KEY).executeTakeFirstOrThrow();
    const setting = JSON.parse(s.value) as { synthetic: boolean; seed: number; faults: LoadedDemoFault[]; faultChildren: { childId: number }[] };
    expect(setting.synthetic).toBe(true);
    expect(setting.seed).toBe(11);
    expect(setting.faults.length).toBe(7);
    for (const f of setting.faults) {
      const row = await handle.db.selectFrom('facility').select(['code', 'kind', 'desa_code']).where('id', '=', f.posyanduId).executeTakeFirstOrThrow();
      expect(row).toEqual({ code: f.posyanduCode, kind: 'posyandu', desa_code: f.desaCode });
    }
    const ids = setting.faultChildren.map((c) => c.childId);
    expect(ids.length).toBeGreaterThan(0);
    expect(await count('child', `id IN (${ids.join(',')})`)).toBe(ids.length);
    expect(await count('audit_log', "action = 'demo.load'")).toBe(1);
    expect(await count('child', 'nik_hash IS NOT NULL AND nik_last4 IS NOT NULL')).toBeGreaterThan(0);
  });

  it('reloads over a database that holds only the demo (truncate path), with the same result', async () => {
    const before = await count('measurement');
    const again = await loadDemo(handle, first);
    expect(again.replaced.measurement).toBe(before);
    expect(again.rows).toEqual(expectedRows(first));
    expect(await count('measurement')).toBe(before);
    expect(await count('child', 'is_synthetic')).toBe(again.rows.child);
    expect(await count('rollup_posyandu_month')).toBeGreaterThan(0);
    expect(await count('audit_log', "action = 'demo.load'")).toBe(2);
  });

  it('replaces an earlier demo and leaves real records alone', async () => {
    const desa = '62.01.01.2001';
    const real = await handle.db.insertInto('facility')
      .values({ kind: 'posyandu', code: 'REAL-1', name: 'Posyandu Nyata', kabupaten_code: '62.01', desa_code: desa, puskesmas_id: null })
      .returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('child').values({
      kabupaten_code: '62.01', desa_code: desa, posyandu_id: real.id, name: 'Anak Nyata', sex: 1,
      birth_date: '2024-01-05', registered_on: '2024-01-10',
    }).execute();
    const before = await count('measurement', "source = 'demo'");
    const second: DemoOptions = { ...first, seed: 12, children: 1000 };
    const result = await loadDemo(handle, second);
    expect(result.replaced.measurement).toBe(before);
    const expected = expectedRows(second);
    expect(await count('measurement', "source = 'demo'")).toBe(expected.measurement);
    expect(await count('child', 'is_synthetic')).toBe(expected.child);
    expect(await count('child', 'NOT is_synthetic')).toBe(1);
    expect(await count('facility', 'NOT is_synthetic')).toBe(1);
    const d = await sql<{ rollup: string; raw: string }>`
      SELECT (SELECT sum(measured) FROM rollup_desa_month) AS rollup,
             (SELECT count(*) FROM (SELECT DISTINCT child_id, month FROM measurement WHERE age_days <= 1826) x) AS raw`.execute(handle.db);
    expect(Number(d.rows[0].rollup)).toBe(Number(d.rows[0].raw));
  });

  it('rolls everything back when the load fails half-way', async () => {
    const before = await count('measurement');
    const bad: DemoOptions = { ...first, seed: 13, regions: inputs.regions.map((r) => (r.code === '62.01.06.2017' ? { ...r, code: '62.01.06.2999' } : r)) };
    await expect(loadDemo(handle, bad)).rejects.toThrow();
    expect(await count('measurement')).toBe(before);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';

const FIXTURES = fileURLToPath(new URL('../../ingest/fixtures/', import.meta.url));
let t: TestDatabase;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-import-db-cli-'));
  env = { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_NIK_KEY: 'import-cli-test-key-0123456789abcdef0123', TUMBUH_DATA_DIR: dir };
});

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const count = async (table: string): Promise<number> => Number((await t.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('tumbuh import eppgbm (database) and import undo', () => {
  let batch = 0;

  it('stores a batch, reports it as JSON and writes the rejects report beside the data', async () => {
    const dry = JSON.parse((await runCli(['import', 'eppgbm', 'eppgbm-semicolon.csv', '--dry-run', '--format', 'json', '--today', '2025-12-01'], env, FIXTURES)).out);
    const run = await runCli(['import', 'eppgbm', 'eppgbm-semicolon.csv', '--format', 'json', '--today', '2025-12-01', '--user', 'kader.budi'], env, FIXTURES);
    expect(run.code, run.err).toBe(0);
    const json = JSON.parse(run.out);
    batch = json.batch;
    expect(batch).toBeGreaterThan(0);
    expect([json.read, json.accepted, json.rejected]).toEqual([dry.read, dry.accepted, dry.rejected]);
    expect(json.inserted + json.duplicates).toBe(json.accepted);
    expect(await count('measurement')).toBe(json.inserted);
    const stored = (await t.pool.query('SELECT imported_by, rows_total, rows_rejected, status FROM import_batch WHERE id = $1', [batch])).rows[0];
    expect(stored).toEqual({ imported_by: 'kader.budi', rows_total: dry.read, rows_rejected: dry.rejected, status: 'done' });
    expect(await count('import_row_error')).toBe(dry.rejects.length);
    expect(json.rejectsReport).toEqual([join(dir, 'imports', `batch-${batch}-rejects.csv`), join(dir, 'imports', `batch-${batch}-rejects.xlsx`)]);
    expect(readFileSync(json.rejectsReport[0], 'utf8').split('\n').length).toBeGreaterThan(dry.rejects.length);
    expect(existsSync(json.rejectsReport[1])).toBe(true);
  });

  it('says so and changes nothing when the same file comes again', async () => {
    const before = await count('measurement');
    const run = await runCli(['import', 'eppgbm', 'eppgbm-semicolon.csv', '--today', '2025-12-01'], env, FIXTURES);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`batch ${batch}`);
    expect(await count('measurement')).toBe(before);
    expect(await count('import_batch')).toBe(1);
  });

  it('undoes the batch', async () => {
    const run = await runCli(['import', 'undo', String(batch), '--format', 'json'], env, dir);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ batchId: batch, restored: 0 });
    expect([await count('measurement'), await count('child'), await count('import_row')]).toEqual([0, 0, 0]);
    const again = await runCli(['import', 'undo', String(batch)], env, dir);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/undone/);
    expect((await runCli(['import', 'undo', '999999'], env, dir)).err).toMatch(/Batch tidak ditemukan: 999999/);
  });

  it('prints a bilingual text summary with the new batch, new children and posyandu', async () => {
    const run = await runCli(['import', 'eppgbm', 'eppgbm-semicolon.csv', '--today', '2025-12-01', '--user', 'kader.budi'], env, FIXTURES);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Pengukuran baru \/ New measurements: [1-9]/);
    expect(run.out).toMatch(/Anak baru \/ New children: [1-9]/);
    expect(run.out).toMatch(/Posyandu baru \/ New posyandu: .+\(/);
    expect(run.out).toMatch(/Batch impor \d+ disimpan\. \/ Import batch \d+ saved\./);
  });
});

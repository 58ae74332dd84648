// `tumbuh quality score | report | duplicates | eppgbm` against the embedded database, on a small demo district.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';

let t: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'tumbuh-quality-cli-'));
const cli = (args: string[]) => runCli(args, env, dir);

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_NIK_KEY: 'test-nik-key-0123456789abcdef0123456789abcdef', TUMBUH_DATA_DIR: dir };
  await loadDemo(t, { ...loadDemoInputs(), children: 3000, months: 6 });
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tumbuh quality (database subcommands)', () => {
  it('scores every month, then reports one month as text, CSV, JSON and XLSX', async () => {
    const s = await cli(['quality', 'score', '--all']);
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Skor validitas 62\.01: 6 bulan, \d+ posyandu-bulan/);
    const stored = await sql<{ n: number }>`SELECT count(DISTINCT month)::int AS n FROM quality_score`.execute(t.db);
    expect(stored.rows[0].n).toBe(6);

    const text = await cli(['quality', 'report', '--month', '2025-10', '--limit', '3']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Laporan validitas data posyandu — 2025-10');
    expect(text.out).toMatch(/^1\. Posyandu /m);
    const csv = await cli(['quality', 'report', '--month', '2025-10', '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toMatch(/^rank,month,posyandu_id,posyandu,desa_code/);
    const json = JSON.parse((await cli(['quality', 'report', '--month', '2025-10', '--format', 'json'])).out);
    expect(json.rows.length).toBeGreaterThan(100);
    const x = await cli(['quality', 'report', '--month', '2025-10', '--format', 'xlsx', '--out', 'q.xlsx']);
    expect(x.code).toBe(0);
    expect(readFileSync(join(dir, 'q.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect((await cli(['quality', 'report', '--month', '2025-10', '--format', 'xlsx'])).code).toBe(2);
    expect((await cli(['quality', 'report'])).code).toBe(2);
  });

  it('lists duplicate candidates, merges, undoes and rejects', async () => {
    const list = JSON.parse((await cli(['quality', 'duplicates', '--find', '--format', 'json'])).out) as { id: number; childA: number; childB: number; status: string }[];
    expect(list.length).toBeGreaterThan(0);
    const [first, second] = list;
    const m = await cli(['quality', 'duplicates', 'merge', String(first.childA), String(first.childB)]);
    expect(m.code).toBe(0);
    const mergeId = Number(/penggabungan #(\d+)/.exec(m.out)?.[1]);
    expect(mergeId).toBeGreaterThan(0);
    const merged = await sql<{ merged_into: number | null }>`SELECT merged_into FROM child WHERE id = ${first.childB}`.execute(t.db);
    expect(merged.rows[0].merged_into).toBe(first.childA);
    expect((await cli(['quality', 'duplicates', 'merges'])).out).toContain(`#${mergeId}: anak ${first.childB} → anak ${first.childA}`);
    const u = await cli(['quality', 'duplicates', 'undo-merge', String(mergeId)]);
    expect(u.code).toBe(0);
    expect((await sql<{ merged_into: number | null }>`SELECT merged_into FROM child WHERE id = ${first.childB}`.execute(t.db)).rows[0].merged_into).toBeNull();
    if (second) {
      expect((await cli(['quality', 'duplicates', 'reject', String(second.id)])).code).toBe(0);
      const rejected = await cli(['quality', 'duplicates', '--status', 'ditolak']);
      expect(rejected.out).toContain(`#${second.id} [ditolak]`);
    }
    expect((await cli(['quality', 'duplicates', 'merge', '1'])).code).toBe(2);
  });

  it('says when there is nothing from e-PPGBM to compare', async () => {
    const r = await cli(['quality', 'eppgbm']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Tidak ada pengukuran impor e-PPGBM');
  });
});

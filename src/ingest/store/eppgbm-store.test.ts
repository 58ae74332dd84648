import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAllRollups } from '../../db/rollup.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { loadRegionRecords, RegionMatcher } from '../region-matcher.js';
import { storeEppgbmFile, type StoreContext } from './eppgbm-store.service.js';
import { undoImportBatch } from './import-undo.service.js';

const HEADER = 'NIK;Nama;JK;Tgl Lahir;Nama Ortu;Kec;Desa/Kel;Posyandu;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur;ZS BB/U;ZS TB/U;ZS BB/TB';
// Children A (NIK), B (NIK mangled by Excel: matched by name + birth date + mother), C (weight 0: rejected by the row
// rules), D (over 60 months: cannot be stored), and a duplicate of A's November visit.
const ROWS = [
  '6201011234560001;Anak Satu;L;12/03/2024;Ibu Satu;Kumai;Candi;Posyandu Mawar;15/11/2025;10,2;80,1;Telentang;3,00;-1,2;0,3',
  '6201011234560001;Anak Satu;L;12/03/2024;Ibu Satu;Kumai;Candi;Posyandu Mawar;15/10/2025;9,9;79,0;Telentang;;;',
  '3.2E+15;Anak Dua;P;3 Pebruari 2024;Ibu Dua;Arut Selatan;Desa Sidorejo;Posyandu Melati;20/11/2025;10,7;81,0;Berdiri;999,99;;',
  '6201011234560003;Anak Tiga;L;01/01/2024;Ibu Tiga;Kumai;Candi;Posyandu Mawar;20/11/2025;0;80;Telentang;;;',
  '6201011234560004;Anak Empat;L;01/01/2019;Ibu Empat;Kumai;Candi;Posyandu Mawar;20/11/2025;18;110;Berdiri;;;',
  '6201011234560001;Anak Satu;L;12/03/2024;Ibu Satu;Kumai;Candi;Posyandu Mawar;15/11/2025;10,2;80,1;Telentang;3,00;-1,2;0,3',
];

let tdb: TestDatabase;
let ctx: StoreContext;
let dir: string;
const matcher = new RegionMatcher(loadRegionRecords(), '62.01');

function file(name: string, rows: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, [HEADER, ...rows].join('\r\n') + '\r\n');
  return p;
}

async function count(table: string, where = 'true'): Promise<number> {
  return Number((await tdb.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);
}

async function rollupSnapshot(): Promise<string> {
  const d = await tdb.pool.query('SELECT * FROM rollup_desa_month ORDER BY desa_code, month');
  const p = await tdb.pool.query('SELECT * FROM rollup_posyandu_month ORDER BY posyandu_id, month');
  return JSON.stringify([d.rows.map((r: Record<string, unknown>) => ({ ...r, updated_at: null })), p.rows.map((r: Record<string, unknown>) => ({ ...r, updated_at: null }))]);
}

/** The stored rollups equal a rebuild from the raw rows (the import kept exactly the right keys current). */
async function expectRollupsCurrent(): Promise<void> {
  const stored = await rollupSnapshot();
  await rebuildAllRollups(tdb.db);
  expect(await rollupSnapshot()).toBe(stored);
}

const opts = { matcher, importedBy: 'tester', today: '2025-12-31' };

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = { pool: tdb.pool, nik: tdb.nik, deps: tdb.deps };
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-store-'));
});

afterAll(async () => {
  await tdb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('storeEppgbmFile / undoImportBatch', () => {
  let first = 0;
  let second = 0;
  const facilitiesBefore = { n: 0 };

  it('stores one batch with exact counts, children, posyandu, rejects and e-PPGBM disagreements', async () => {
    facilitiesBefore.n = await count('facility');
    const r = await storeEppgbmFile(ctx, file('a.csv', ROWS), opts);
    expect(r.batchId).not.toBeNull();
    first = r.batchId!;
    expect([r.report.read, r.report.accepted, r.report.rejected]).toEqual([6, 4, 2]);
    expect(r.report.rejects.map((x) => [x.row, x.column])).toEqual([[4, 'Berat'], [5, 'Tanggal Pengukuran']]);
    expect([r.inserted, r.updated, r.unchanged, r.duplicates, r.newChildren]).toEqual([3, 0, 0, 1, 2]);
    expect(r.newPosyandu.map((p) => p.name).sort()).toEqual(['Posyandu Mawar', 'Posyandu Melati']);
    expect(await count('measurement', `import_batch_id = ${first}`)).toBe(3);
    expect(await count('child')).toBe(2);
    expect(await count('child', 'nik_hash IS NULL')).toBe(1);
    expect(await count('facility')).toBe(facilitiesBefore.n + 2);
    expect(await count('import_row', `batch_id = ${first}`)).toBe(3);
    expect(await count('import_row_error', `batch_id = ${first}`)).toBe(2);
    const b = (await tdb.pool.query('SELECT * FROM import_batch WHERE id = $1', [first])).rows[0];
    expect([b.status, b.rows_total, b.rows_loaded, b.rows_rejected, b.rows_inserted, b.imported_by]).toEqual(['done', 6, 4, 2, 3, 'tester']);
    expect(b.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    // Every stored measurement carries WHO z-scores; e-PPGBM's +3.00 BB/U is recorded as a disagreement.
    expect(await count('measurement', `import_batch_id = ${first} AND zwei IS NULL`)).toBe(0);
    expect(await count('eppgbm_disagreement', 'zwei_differs')).toBe(1);
    expect(r.report.disagreements.zwei).toBe(1);
    const wg = (await tdb.pool.query("SELECT weight_gain FROM measurement WHERE measured_on = '2025-11-15'")).rows[0];
    expect(wg.weight_gain).not.toBeNull();
    await expectRollupsCurrent();
  });

  it('importing the same file again changes nothing', async () => {
    const before = [await count('measurement'), await count('child'), await count('import_batch'), await count('facility'), await rollupSnapshot()];
    const r = await storeEppgbmFile(ctx, join(dir, 'a.csv'), opts);
    expect(r.batchId).toBeNull();
    expect(r.sameFileBatch).toBe(first);
    expect([await count('measurement'), await count('child'), await count('import_batch'), await count('facility'), await rollupSnapshot()]).toEqual(before);
  });

  it('the same rows in another file (re-saved) are all unchanged', async () => {
    const ids = (await tdb.pool.query('SELECT id FROM measurement ORDER BY id')).rows;
    const r = await storeEppgbmFile(ctx, file('a-resaved.csv', [...ROWS].reverse()), opts);
    expect([r.inserted, r.updated, r.unchanged, r.newChildren, r.newPosyandu.length]).toEqual([0, 0, 3, 0, 0]);
    expect((await tdb.pool.query('SELECT id FROM measurement ORDER BY id')).rows).toEqual(ids);
    await undoImportBatch(ctx, r.batchId!, { undoneBy: 'tester' });
  });

  it('a corrected re-export updates only the rows that changed', async () => {
    const untouched = (await tdb.pool.query("SELECT id, created_at FROM measurement WHERE measured_on IN ('2025-11-15', '2025-10-15') ORDER BY id")).rows;
    const corrected = [...ROWS];
    corrected[2] = corrected[2].replace(';10,7;', ';11,3;');
    corrected.push('3.2E+15;Anak Dua;P;3 Pebruari 2024;Ibu Dua;Arut Selatan;Desa Sidorejo;Posyandu Melati;20/12/2025;11,5;82,0;Berdiri;;;');
    const r = await storeEppgbmFile(ctx, file('b.csv', corrected), opts);
    second = r.batchId!;
    expect([r.report.read, r.report.accepted, r.report.rejected]).toEqual([7, 5, 2]);
    expect([r.inserted, r.updated, r.unchanged, r.duplicates, r.newChildren]).toEqual([1, 1, 2, 1, 0]);
    expect((await tdb.pool.query("SELECT id, created_at FROM measurement WHERE measured_on IN ('2025-11-15', '2025-10-15') ORDER BY id")).rows).toEqual(untouched);
    expect(Number((await tdb.pool.query("SELECT weight_kg FROM measurement WHERE measured_on = '2025-11-20'")).rows[0].weight_kg)).toBe(11.3);
    expect(await count('measurement')).toBe(4);
    expect(await count('child')).toBe(2);
    await expectRollupsCurrent();
  });

  it('undo is refused while a later batch changed the same rows, then restores each batch exactly', async () => {
    await expect(undoImportBatch(ctx, first, { undoneBy: 'tester' })).rejects.toMatchObject({ code: 'ingest.undoBlocked' });
    const u2 = await undoImportBatch(ctx, second, { undoneBy: 'tester' });
    expect([u2.removed, u2.restored, u2.children, u2.posyandu]).toEqual([2, 1, 0, 0]);
    expect(Number((await tdb.pool.query("SELECT weight_kg FROM measurement WHERE measured_on = '2025-11-20'")).rows[0].weight_kg)).toBe(10.7);
    expect(await count('measurement')).toBe(3);
    expect(await count('import_row', `batch_id = ${first}`)).toBe(3);
    await expectRollupsCurrent();
    await expect(undoImportBatch(ctx, second, { undoneBy: 'tester' })).rejects.toMatchObject({ code: 'ingest.notUndoable' });

    const u1 = await undoImportBatch(ctx, first, { undoneBy: 'tester' });
    expect([u1.removed, u1.restored, u1.children, u1.posyandu]).toEqual([3, 0, 2, 2]);
    expect([await count('measurement'), await count('child'), await count('import_row'), await count('facility')]).toEqual([0, 0, 0, facilitiesBefore.n]);
    expect(await count('rollup_desa_month')).toBe(0);
    expect((await tdb.pool.query('SELECT status, undone_by FROM import_batch WHERE id = $1', [first])).rows[0]).toEqual({ status: 'undone', undone_by: 'tester' });
    // After an undo the same file may be imported again.
    const again = await storeEppgbmFile(ctx, join(dir, 'a.csv'), opts);
    expect([again.inserted, again.newChildren]).toEqual([3, 2]);
  });

  it('a failing import leaves nothing behind', async () => {
    const before = [await count('measurement'), await count('child'), await count('import_batch'), await count('import_row')];
    const failing = file('fail.csv', ['6201011234569999;Anak Lima;L;12/03/2024;Ibu Lima;Kumai;Candi;Posyandu Baru;15/11/2025;10,2;80,1;Telentang;;;']);
    await expect(storeEppgbmFile(ctx, failing, { ...opts, onProgress: () => { throw new Error('stop midway'); } })).rejects.toThrow('stop midway');
    expect([await count('measurement'), await count('child'), await count('import_batch'), await count('import_row')]).toEqual(before);
    expect(await count('facility', "name = 'Posyandu Baru'")).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChild, addMeasurement } from '../../analytics/analytics-test-data.js';
import { rebuildAllRollups } from '../../db/rollup.js';
import { DESA_A, DESA_B } from '../../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';

let t: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'tumbuh-priority-cli-'));

const cli = (args: string[]) => runCli(args, env, dir);

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_NIK_KEY: 'priority-cli-test-key-0123456789abcdef', TUMBUH_DATA_DIR: dir };
  // Candi (A): 6 of 10 stunted; Sungai Cabang (B, a 2025 lokus): 1 of 10.
  for (const [desa, stunted] of [[DESA_A, 6], [DESA_B, 1]] as const) {
    for (let i = 0; i < 10; i++) {
      const id = await addChild(t.db, { desaCode: desa, birthDate: '2023-05-01' });
      await addMeasurement(t.db, { childId: id, measuredOn: '2025-04-10', zlen: i < stunted ? -2.6 : -0.4 });
    }
  }
  await t.db.transaction().execute((trx) => rebuildAllRollups(trx));
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tumbuh priority', () => {
  it('ranks the desa with every component explained and compares with the lokus list', async () => {
    const r = await cli(['priority', '--year', '2025']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Desa prioritas Kabupaten Kotawaringin Barat (62.01), tahun 2025');
    expect(r.out).toContain('Lokus 2025: 12 desa');
    expect(r.out).toMatch(/ {2}1\. Candi \(62\.01\.01\.1011\) — indeks \/ index 66\.7 — prioritas menurut data, tetapi bukan lokus/);
    expect(r.out).toMatch(/ {2}2\. Sungai Cabang \(62\.01\.01\.2001\) \[lokus\] — indeks \/ index 0\.0 — lokus dan prioritas/);
    expect(r.out).toContain('Jumlah anak stunting 6: skala 1,00 × bobot 28 % = 27,8 poin');
    // No trend without 2024 data; both desa lack MPASI for their baduta, so the coverage gap does not separate them.
    expect(r.out).toContain('Tren: tidak ada data, komponen tidak dihitung');
    expect(r.out).toContain('Rata-rata kesenjangan cakupan intervensi kunci 100 % (MPASI 0 %): skala 0,00 × bobot 33 % = 0,0 poin');
    expect(r.out).toContain('Tanpa data tahun ini');
    const json = JSON.parse((await cli(['priority', '--year', '2025', '--format', 'json'])).out);
    expect(json.rows[0]).toMatchObject({ desaCode: DESA_A, rank: 1, status: 'ranked' });
    expect(json.rows[0].components.map((c: { component: string }) => c.component)).toEqual(['shrunkPrevalence', 'stuntedChildren', 'trend', 'coverageGap']);
  });

  it('needs a year', async () => {
    expect((await cli(['priority'])).code).toBe(2);
  });
});

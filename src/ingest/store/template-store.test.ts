import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { loadRegionRecords, RegionMatcher } from '../region-matcher.js';
import { templateFor } from '../templates/template-kinds.js';
import { undoImportBatch } from './import-undo.service.js';
import { storeTemplateFile } from './template-store.service.js';

let tdb: TestDatabase;
let dir: string;
const matcher = new RegionMatcher(loadRegionRecords(), '62.01');
const opts = { matcher, importedBy: 'tester', today: '2025-12-01' };

function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}
const count = async (table: string, where = 'true'): Promise<number> =>
  Number((await tdb.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-template-store-'));
});
afterAll(async () => {
  await tdb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const BUMIL_HEADER = 'NIK;Nama;Tgl Lahir;Kec;Desa/Kel;Posyandu;Tgl Daftar;HPHT;HPL;Kehamilan Ke;LiLA (cm);KEK;Hb (g/dL);Kode Layanan;Tgl Layanan;Jumlah;Pemberi Layanan';
const BUMIL = [
  "'6201014101990001;Siti;01/01/1999;Kumai;Candi;Mawar;05/01/2025;01/10/2024;08/07/2025;2;22,5;Ya;10,8;PMT_BUMIL_KEK;10/01/2025;30;Bidan Desa",
  ';Ani;01/01/2000;Kumai;Candi;;05/01/2025;01/10/2024;08/07/2025;1;24;Tidak;12;TTD_BUMIL;10/01/2025;30;Bidan Desa',
  ';Rina;01/01/2001;Kumai;Candi;;05/01/2025;;;;;;;BUKAN_KODE;10/01/2025;1;Bidan',
];

describe('storeTemplateFile', () => {
  it('ibu hamil with services: one batch, the same file again changes nothing, a correction updates one person, undo restores', async () => {
    const spec = templateFor('ibu-hamil')!;
    const a = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, spec, file('bumil.csv', [BUMIL_HEADER, ...BUMIL]), opts);
    expect([a.report.read, a.report.accepted, a.report.rejected, a.inserted, a.services]).toEqual([3, 2, 1, 2, 2]);
    expect(a.report.rejects.map((r) => [r.row, r.column])).toEqual([[3, 'Kode Layanan']]);
    expect(await count('person', "type = 'ibu_hamil'")).toBe(2);
    expect(await count('person', 'nik_hash IS NOT NULL')).toBe(1);
    expect(await count('service', `import_batch_id = ${a.batchId}`)).toBe(2);
    expect(await count('facility', "name = 'Mawar'")).toBe(1);

    const same = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, spec, join(dir, 'bumil.csv'), opts);
    expect(same.sameFileBatch).toBe(a.batchId);
    expect(await count('import_batch')).toBe(1);

    const corrected = [BUMIL_HEADER, BUMIL[0].replace(';10,8;', ';11,4;'), BUMIL[1]];
    const b = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, spec, file('bumil-2.csv', corrected), opts);
    expect([b.inserted, b.updated, b.unchanged, b.services]).toEqual([0, 1, 1, 0]);
    expect(Number((await tdb.pool.query("SELECT hb_g_dl FROM person WHERE name = 'Siti'")).rows[0].hb_g_dl)).toBe(11.4);

    await expect(undoImportBatch({ pool: tdb.pool, deps: tdb.deps }, a.batchId!, { undoneBy: 't' })).rejects.toMatchObject({ code: 'ingest.undoBlocked' });
    await undoImportBatch({ pool: tdb.pool, deps: tdb.deps }, b.batchId!, { undoneBy: 't' });
    expect(Number((await tdb.pool.query("SELECT hb_g_dl FROM person WHERE name = 'Siti'")).rows[0].hb_g_dl)).toBe(10.8);
    const u = await undoImportBatch({ pool: tdb.pool, deps: tdb.deps }, a.batchId!, { undoneBy: 't' });
    expect(u.posyandu).toBe(1);
    expect([await count('person'), await count('service'), await count('facility', "name = 'Mawar'")]).toEqual([0, 0, 0]);
  });

  it('families with KRS factors, TPK visits on them, and sector figures', async () => {
    const kel = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, templateFor('keluarga')!, file('kel.csv', [
      'Nomor KK;Nama Kepala Keluarga;Kec;Desa/Kel;RT;RW;Alamat;Ada PUS;Ada Ibu Hamil;Ada Baduta;Ada Balita;Air Minum Tidak Layak;Jamban Tidak Layak;Istri < 20 Tahun;Istri 35-40 Tahun;Jarak Lahir < 2 Tahun;Anak > 3;Keluarga Miskin;Tgl Pendataan',
      "'6201010101250001;Ahmad;Kumai;Candi;003;001;Jl. Pelabuhan;Ya;Tidak;Ya;Tidak;Ya;Tidak;Tidak;Tidak;Tidak;Tidak;Ya;15/03/2025",
      ';Bahri;Kumai;Candi;004;001;Jl. Pantai;Ya;Tidak;Tidak;Tidak;Tidak;Tidak;Tidak;Tidak;Tidak;Tidak;Tidak;15/03/2025',
    ]), opts);
    expect([kel.report.accepted, kel.inserted]).toEqual([2, 2]);
    expect(await count('family', 'at_risk')).toBe(1);
    const tpk = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, templateFor('kunjungan-tpk')!, file('tpk.csv', [
      'Nomor KK;Nama Kepala Keluarga;Kec;Desa/Kel;Tgl Kunjungan;Sasaran;Kegiatan;Petugas TPK',
      "'6201010101250001;Ahmad;Kumai;Candi;20/03/2025;Ibu Hamil;Penyuluhan;TPK Candi 1",
      "'6201010101250001;Ahmad;Kumai;Candi;20/03/2025;Ibu Hamil;Penyuluhan;TPK Candi 1",
    ]), opts);
    expect([tpk.report.accepted, tpk.updated, tpk.unchanged, tpk.services]).toEqual([2, 1, 1, 1]);
    expect(await count('family')).toBe(2);
    expect(await count('family', 'tpk_accompanied')).toBe(1);
    expect(await count('service', "intervention_code = 'PENDAMPINGAN_KRS'")).toBe(1);

    const sek = await storeTemplateFile({ pool: tdb.pool, nik: tdb.nik }, templateFor('sektor')!, file('sektor.csv', [
      'Kode Indikator;Kec;Desa/Kel;Periode;Pembilang;Penyebut;Nilai;Sumber;Bukti',
      'SEN-04;Kumai;Candi;2025-S1;812;1020;;Dinas PUPR;Laporan STBM',
      'XYZ-99;Kumai;Candi;2025-S1;1;2;;Dinas PUPR;',
    ]), opts);
    expect([sek.report.accepted, sek.report.rejected, sek.inserted]).toEqual([1, 1, 1]);
    expect((await tdb.pool.query("SELECT numerator, denominator, period_start, period_end FROM indicator_value WHERE region_code LIKE '62.01.%'")).rows)
      .toEqual([{ numerator: 812, denominator: 1020, period_start: '2025-01-01', period_end: '2025-06-30' }]);
    await undoImportBatch({ pool: tdb.pool, deps: tdb.deps }, tpk.batchId!, { undoneBy: 't' });
    expect([await count('family', 'tpk_accompanied'), await count('service')]).toEqual([0, 0]);
  });
});

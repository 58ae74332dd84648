import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

const FIXTURES = fileURLToPath(new URL('../../ingest/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tumbuh-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(args, { stdout, stderr, env: {}, cwd: FIXTURES });
  return { code, out, err };
}

describe('tumbuh import eppgbm --dry-run --format json', () => {
  it('prints exactly the contract keys with 1-based data rows and the header as written', async () => {
    const { code, out } = await cli(['import', 'eppgbm', 'eppgbm-semicolon.csv', '--dry-run', '--format', 'json', '--today', '2025-12-01']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['read', 'accepted', 'rejected', 'rejects']);
    expect(json).toMatchObject({ read: 8, accepted: 4, rejected: 4 });
    expect(json.rejects[0]).toEqual({
      row: 4,
      column: 'desa / kel',
      value: 'Sidoreja',
      reason: expect.stringMatching(/^desa\/kelurahan tidak ada di Kabupaten Kotawaringin Barat; .+ \/ no desa\/kelurahan of .+Sidorejo \(Arut Selatan\)/),
    });
    for (const r of json.rejects) expect(Object.keys(r)).toEqual(['row', 'column', 'value', 'reason']);
  });

  it('prints one JSON line per file and a clear error for an unreadable one', async () => {
    const ok = await cli(['import', 'eppgbm', 'eppgbm-comma.csv', 'eppgbm-html.xls', '--dry-run', '--format', 'json', '--today', '2025-12-01']);
    const lines = ok.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.read, l.accepted, l.rejected])).toEqual([
      [23, 9, 14],
      [5, 2, 3],
    ]);
    const bad = await cli(['import', 'eppgbm', 'biff-binary.xls', '--dry-run', '--format', 'json']);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toContain('simpan sebagai .xlsx atau .csv');
    expect(bad.err).toContain('save it as .xlsx or .csv');
  });

  it('writes a text summary and the rejects report as CSV and XLSX', async () => {
    const base = join(dir, 'ditolak');
    const { code, out } = await cli(['import', 'eppgbm', 'eppgbm-html.xls', '--dry-run', '--today', '2025-12-01', '--rejects', base]);
    expect(code).toBe(0);
    expect(out).toContain('Baris dibaca / Rows read: 5');
    expect(out).toContain('Ditolak / Rejected: 3');
    const csv = readFileSync(`${base}.csv`, 'utf8');
    expect(csv.split('\n')[1]).toMatch(/^3,Desa\/Kel,,kosong \(wajib diisi\),missing \(required\)$/);
    expect(existsSync(`${base}.xlsx`)).toBe(true);
  });

  it('refuses unknown options and a missing file list', async () => {
    expect((await cli(['import', 'eppgbm', 'x.csv', '--bogus'])).code).toBe(2);
    expect((await cli(['import', 'eppgbm'])).code).toBe(2);
  });
});

describe('tumbuh import template / KIND', () => {
  it('writes the .xlsx and .csv template that the importer then reads back', async () => {
    const { code } = await cli(['import', 'template', 'sektor', '-o', dir]);
    expect(code).toBe(0);
    const csvPath = join(dir, 'tumbuh-template-sektor.csv');
    expect(readFileSync(csvPath, 'utf8')).toBe('\ufeffKode Indikator;Kec;Desa/Kel;Periode;Pembilang;Penyebut;Nilai;Sumber;Bukti\n');
    const empty = await cli(['import', 'sektor', join(dir, 'tumbuh-template-sektor.xlsx'), '--dry-run', '--format', 'json']);
    expect(JSON.parse(empty.out)).toEqual({ read: 0, accepted: 0, rejected: 0, rejects: [] });

    const filled = join(dir, 'sektor.csv');
    writeFileSync(
      filled,
      [
        'Kode Indikator;Kec;Desa/Kel;Periode;Pembilang;Penyebut;Nilai;Sumber;Bukti',
        'SEN-04;Kumai;Candi;2025-S1;812;1020;;Dinas PUPR;Laporan',
        'sen-05;;Kel. Raja;Maret 2025;90;100;;Dinkes;',
        'SEN-04;Kumai;Candi;2025-S1;1100;1020;;Dinas PUPR;',
        'SEN-04;Kumai;Candi;semester tiga;1;2;;Dinas PUPR;',
        'XX;Kumai;Atlantis;2025;;;5;Dinsos;',
      ].join('\n'),
    );
    const res = JSON.parse((await cli(['import', 'sektor', filled, '--dry-run', '--format', 'json'])).out);
    expect([res.read, res.accepted, res.rejected]).toEqual([5, 2, 3]);
    expect(res.rejects.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([
      [3, 'Pembilang'],
      [4, 'Periode'],
      [5, 'Kode Indikator'],
      [5, 'Desa/Kel'],
    ]);
  });

  it('validates a filled ibu-hamil template', async () => {
    const p = join(dir, 'bumil.csv');
    writeFileSync(
      p,
      [
        'NIK,Nama,Tgl Lahir,Kec,Desa/Kel,Posyandu,Tgl Daftar,HPHT,HPL,Kehamilan Ke,LiLA (cm),KEK,Hb (g/dL),Kode Layanan,Tgl Layanan,Jumlah,Pemberi Layanan',
        "'6201014101990001,Siti,01/01/1999,Kumai,Candi,Mawar,05/01/2025,01/10/2024,08/07/2025,2,\"22,5\",Ya,\"10,8\",PMT,10/01/2025,30,Bidan Desa",
        ',Ani,01/01/2000,Kumai,Candi,,05/01/2025,01/10/2024,01/09/2024,1,24,Tidak,12,,,,',
        ',Budi,01/01/2000,Kumai,Candi,,05/01/2025,,,,5,Mungkin,12,,,,',
      ].join('\n'),
    );
    const res = JSON.parse((await cli(['import', 'ibu-hamil', p, '--dry-run', '--format', 'json', '--today', '2025-12-01'])).out);
    expect([res.read, res.accepted, res.rejected]).toEqual([3, 1, 2]);
    expect(res.rejects.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([
      [2, 'HPL'],
      [3, 'LiLA (cm)'],
      [3, 'KEK'],
    ]);
  });
});

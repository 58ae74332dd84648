import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrowthEngine } from '../reference/who-tables.js';
import { importEppgbmFile, type EppgbmFileReport } from './eppgbm-import.service.js';
import type { EppgbmRecord } from './eppgbm-row.js';
import { loadRegionRecords, RegionMatcher } from './region-matcher.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TODAY = '2025-12-01';
const matcher = new RegionMatcher(loadRegionRecords(), '62.01');
const engine = loadGrowthEngine();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-ingest-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(path: string): Promise<{ report: EppgbmFileReport; records: EppgbmRecord[] }> {
  const records: EppgbmRecord[] = [];
  const report = await importEppgbmFile(path, {
    matcher,
    engine,
    today: TODAY,
    keepExtras: true,
    sink: async (block) => {
      records.push(...block);
    },
  });
  return { report, records };
}

const cols = (r: EppgbmFileReport): [number, string][] => r.rejects.map((x) => [x.row, x.column]);

describe('e-PPGBM comma CSV (official column set)', () => {
  it('accepts every tolerance and rejects each rule once, naming the column', async () => {
    const { report, records } = await run(join(FIXTURES, 'eppgbm-comma.csv'));
    expect([report.read, report.accepted, report.rejected]).toEqual([23, 9, 14]);
    expect(cols(report)).toEqual([
      [5, 'Tanggal Pengukuran'],
      [6, 'Tanggal Pengukuran'],
      [7, 'Tanggal Pengukuran'],
      [8, 'Tanggal Pengukuran'],
      [9, 'Tgl Lahir'],
      [10, 'Tgl Lahir'],
      [11, 'JK'],
      [12, 'Berat'],
      [13, 'Berat'],
      [14, 'Berat'],
      [15, 'Berat'],
      [16, 'Tinggi'],
      [17, 'Tinggi'],
      [18, 'Desa/Kel'],
    ]);
    expect(report.rejects[2].reason.en).toContain('future');
    expect(report.rejects[3].reason.id).toContain('sebelum tanggal lahir');
    expect(report.rejects[13].reason.id).toMatch(/yang paling mirip: .+\(.+\)/);
    expect(report.rejects[13].value).toBe('Antah Berantah');

    const byRow = new Map(records.map((r) => [r.row, r]));
    expect([...byRow.keys()]).toEqual([1, 2, 3, 4, 19, 20, 21, 22, 23]);
    // Indonesian month names, "Desa" prefix on a kelurahan, unit in the cell, Berdiri in lower case
    expect(byRow.get(2)).toMatchObject({ birthDate: '2024-02-03', measureDate: '2025-11-27', desaCode: '62.01.02.1006', height: 83.5, measure: 'h', nik: '6201021234560002' });
    // Excel's scientific NIK: accepted, never guessed
    expect(byRow.get(3)).toMatchObject({ nik: null, weight: 10.7, measure: 'l', birthDate: '2023-08-01' });
    expect(byRow.get(4)).toMatchObject({ sex: 2, height: null, nik: null });
    expect(byRow.get(19)!.own).toMatchObject({ zwei: null, zlen: null, zwfl: null, bbTb: 'Outlier' });
    expect(byRow.get(20)).toMatchObject({ desaCode: '62.01.02.1005', kecCode: '62.01.02' });
    expect(byRow.get(21)).toMatchObject({ weight: 60, height: 150 });
    expect(byRow.get(22)).toMatchObject({ birthDate: '2024-05-10', measureDate: '2025-11-27' });
    expect(byRow.get(23)).toMatchObject({ height: 83.9, desaCode: '62.01.02.1003' });
    expect(byRow.get(1)!.extras).toMatchObject({ 'Kelas Ibu Balita': 'Ya', MBG: 'Tidak', Prov: 'Kalimantan Tengah', KIA: 'Ya' });

    expect(report.warnings.map((w) => [w.row, w.column])).toEqual([
      [3, 'NIK'],
      [4, 'NIK'],
    ]);
    expect(report.posyandu.map((p) => `${p.desaCode} ${p.name}`)).toContain('62.01.02.1005 Posyandu Kenanga Baru');
  });
});

describe('semicolon CSV with BOM, CRLF, decimal commas, title line and shuffled headers', () => {
  it('maps headers by meaning and reads Indonesian number and date forms', async () => {
    const { report, records } = await run(join(FIXTURES, 'eppgbm-semicolon.csv'));
    expect([report.read, report.accepted, report.rejected]).toEqual([8, 4, 4]);
    expect(cols(report)).toEqual([
      [4, 'desa / kel'],
      [5, 'BERAT (kg)'],
      [7, 'tinggi (cm)'],
      [8, 'tanggal pengukuran'],
    ]);
    expect(report.rejects[0].reason.en).toContain('Sidorejo (Arut Selatan)');
    const [budi, citra, dewi, gilang] = records;
    expect(budi).toMatchObject({ weight: 9.8, height: 74.5, birthDate: '2024-06-05', measureDate: '2025-11-27', nik: '6201021234560011', motherName: 'Sri' });
    expect(citra).toMatchObject({ weight: 10.7, height: 83.9, measure: 'l', desaCode: '62.01.06.2005', nik: null, posyandu: 'Posyandu Anggrek' });
    expect(citra.own.zwfl).toBeNull();
    expect(dewi).toMatchObject({ sex: 2, height: null, birthDate: '2022-12-01', measureDate: '2025-08-01', desaCode: '62.01.02.1007' });
    expect(gilang).toMatchObject({ sex: 1, birthDate: '2024-07-12' });
    // newer columns are understood; identifiers of relatives are not carried along
    expect(budi.extras).toEqual({ 'Anak Ke': '1' });
    expect(report.columns.mapped).toEqual(expect.arrayContaining(['Nomor KK', 'NIK Orang Tua', 'Anak Ke', 'puskesmas']));
  });
});

describe('HTML table saved as .xls (what e-PPGBM produces)', () => {
  it('finds the header under the title rows and numbers data rows from it', async () => {
    const { report, records } = await run(join(FIXTURES, 'eppgbm-html.xls'));
    expect(report.format).toBe('html');
    expect([report.read, report.accepted, report.rejected]).toEqual([5, 2, 3]);
    expect(cols(report)).toEqual([
      [3, 'Desa/Kel'],
      [4, 'Berat'],
      [5, 'JK'],
      [5, 'Tanggal Pengukuran'],
    ]);
    expect(records[0]).toMatchObject({ name: 'Nur & Ain', desaCode: '62.01.01.1011', birthDate: '2024-01-14', measureDate: '2025-11-27', nik: '6201011234560101' });
    expect(records[1]).toMatchObject({ weight: 13.4, height: 95, measure: 'h', desaCode: '62.01.04.1002', posyandu: 'Posyandu Cempaka RT 02', nik: null });
    expect(report.puskesmas).toEqual(['Arut Utara', 'Kumai']);
  });

  it('reads the same table with an .html name and from an XML Spreadsheet 2003', async () => {
    const xml = `<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Sheet1"><Table>
<Row><Cell><Data ss:Type="String">JK</Data></Cell><Cell><Data ss:Type="String">Tgl Lahir</Data></Cell><Cell><Data ss:Type="String">Tanggal Pengukuran</Data></Cell><Cell><Data ss:Type="String">Berat</Data></Cell><Cell><Data ss:Type="String">Desa/Kel</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">L</Data></Cell><Cell><Data ss:Type="String">01/01/2024</Data></Cell><Cell><Data ss:Type="String">01/11/2025</Data></Cell><Cell><Data ss:Type="Number">11.2</Data></Cell><Cell><Data ss:Type="String">Runtu</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">P</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">01/11/2025</Data></Cell><Cell><Data ss:Type="Number">9</Data></Cell><Cell><Data ss:Type="String">Runtu</Data></Cell></Row>
</Table></Worksheet></Workbook>`;
    const p = join(dir, 'export.xls');
    writeFileSync(p, xml);
    const { report, records } = await run(p);
    expect(report.format).toBe('xml-spreadsheet');
    expect([report.read, report.accepted, report.rejected]).toEqual([2, 1, 1]);
    expect(cols(report)).toEqual([[2, 'Tgl Lahir']]);
    expect(records[0].desaCode).toBe('62.01.02.2012');
  });
});

describe('XLSX (Excel) exports', () => {
  it('reads real dates, numeric cells, text NIKs and a title row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Daftar');
    ws.addRow(['Daftar Anak Berdasarkan Status Gizi']);
    ws.addRow(['NIK', 'Nama', 'JK', 'Tgl Lahir', 'Nama Ortu', 'Kec', 'Pukesmas', 'Desa/Kel', 'Posyandu', 'Tanggal Pengukuran', 'Berat', 'Tinggi', 'Cara Ukur', 'ZS BB/U', 'MBG']);
    ws.addRow(['6201011234560001', 'Ani', 'P', new Date(Date.UTC(2024, 0, 15)), 'Sri', 'Kumai', 'Kumai', 'Candi', 'Mawar', new Date(Date.UTC(2025, 10, 20)), 9.5, 77.1, 'Telentang', -0.42, 'Ya']);
    ws.addRow([3.2e15, 'Budi', 'L', '15/01/2023', 'Rina', 'Kumai', 'Kumai', 'Sungai Cabang', 'Melati', '20 Nov 2025', '11,3', 85, 'Berdiri', 999.99, '']);
    ws.addRow([]);
    ws.addRow(['', 'Cici', 'L', new Date(Date.UTC(2024, 0, 15)), 'Sri', 'Kumai', 'Kumai', 'Candi', 'Mawar', new Date(Date.UTC(2026, 0, 20)), 9.5, 77.1, 'Telentang', '', '']);
    ws.addRow(['', 'Dodi', 'L', new Date(Date.UTC(2024, 0, 15)), 'Sri', 'Kumai', 'Kumai', 'Candi', 'Mawar', new Date(Date.UTC(2025, 10, 20)), { formula: '30*3', result: 90 }, 77.1, 'Telentang', '', '']);
    const p = join(dir, 'export.xlsx');
    await wb.xlsx.writeFile(p);
    const { report, records } = await run(p);
    expect(report.format).toBe('xlsx');
    expect([report.read, report.accepted, report.rejected]).toEqual([4, 2, 2]);
    // the empty spreadsheet row keeps Excel's numbering: data row 4 is Excel row 6
    expect(cols(report)).toEqual([
      [4, 'Tanggal Pengukuran'],
      [5, 'Berat'],
    ]);
    expect(records[0]).toMatchObject({ nik: '6201011234560001', birthDate: '2024-01-15', measureDate: '2025-11-20', weight: 9.5, height: 77.1, desaCode: '62.01.01.1011' });
    expect(records[0].own.zwei).toBe(-0.42);
    expect(records[1]).toMatchObject({ nik: null, birthDate: '2023-01-15', weight: 11.3, desaCode: '62.01.01.2001' });
    expect(report.warnings.map((w) => [w.row, w.column])).toEqual([[2, 'NIK']]);
  });

  it('finds the data on a later sheet when the first one is a cover page', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Petunjuk').addRow(['Baca dulu']);
    const ws = wb.addWorksheet('Data');
    ws.addRow(['jk', 'tgl lahir', 'tgl pengukuran', 'bb', 'desa']);
    ws.addRow(['L', '01/01/2024', '01/11/2025', 10, 'Kubu']);
    const p = join(dir, 'two-sheets.xlsx');
    await wb.xlsx.writeFile(p);
    const { report } = await run(p);
    expect(report.sheet).toBe('Data');
    expect([report.read, report.accepted, report.rejected]).toEqual([1, 1, 0]);
  });
});

describe('z-scores recomputed with the WHO engine', () => {
  it('counts where e-PPGBM disagrees with WHO and ignores its 999.99 placeholders', async () => {
    const who = engine.computeOne({ sex: 'L', birthDate: '2024-01-01', measureDate: '2025-11-01', weight: 11, lenhei: 82, measure: 'h' });
    const csv = [
      'JK,Tgl Lahir,Tanggal Pengukuran,Berat,Tinggi,Cara Ukur,Desa/Kel,ZS BB/U,ZS TB/U,ZS BB/TB',
      `L,01/01/2024,01/11/2025,11,82,Berdiri,Candi,${who.zwei},${who.zlen},${who.zwfl}`,
      `L,01/01/2024,01/11/2025,11,82,Berdiri,Candi,${(who.zwei! + 1).toFixed(2)},999.99,Outlier`,
    ].join('\n');
    const p = join(dir, 'z.csv');
    writeFileSync(p, csv);
    const { report } = await run(p);
    expect(report.accepted).toBe(2);
    expect(report.disagreements).toEqual({ zwei: 1, zlen: 0, zwfl: 0 });
  });
});

describe('file-level errors', () => {
  it('names the missing required columns in both languages', async () => {
    const err = await run(join(FIXTURES, 'missing-columns.csv')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ingest.file' });
    const { messages } = err as { messages: { id: string; en: string } };
    expect(messages.id).toContain('Kolom wajib tidak ada');
    expect(messages.id).toContain('Tgl Lahir, Berat');
    expect(messages.en).toContain('Required columns are missing');
  });

  it('asks to re-save a binary Excel 97-2003 .xls as .xlsx or .csv', async () => {
    const err = (await run(join(FIXTURES, 'biff-binary.xls')).catch((e: unknown) => e)) as { messages: { en: string } };
    expect(err.messages.en).toMatch(/save it as \.xlsx or \.csv/);
  });
});

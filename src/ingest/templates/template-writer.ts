import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { csvLine } from '../../common/csv.js';
import type { TemplateSpec } from './template-kinds.js';

/** File names of a kind's template: tumbuh-template-<kind>.xlsx / .csv. */
export function templateFileNames(spec: TemplateSpec): { xlsx: string; csv: string } {
  return { xlsx: `tumbuh-template-${spec.kind}.xlsx`, csv: `tumbuh-template-${spec.kind}.csv` };
}

/**
 * Builds a template workbook: a "Data" sheet with the header row (NIK/KK columns formatted as
 * text so Excel keeps all 16 digits) and a "Petunjuk" sheet explaining every column in Bahasa
 * Indonesia (English beside it), with an example value.
 */
export function buildTemplateWorkbook(spec: TemplateSpec): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tumbuh';
  const data = wb.addWorksheet('Data');
  data.addRow(spec.columns.map((c) => c.header));
  data.getRow(1).font = { bold: true };
  spec.columns.forEach((c, i) => {
    const column = data.getColumn(i + 1);
    column.width = Math.max(12, c.header.length + 4);
    if (c.field.type === 'nik' || c.field.type === 'text') column.numFmt = '@';
  });
  data.views = [{ state: 'frozen', ySplit: 1 }];

  const help = wb.addWorksheet('Petunjuk');
  help.addRow([`Templat ${spec.title.id} — Tumbuh`]).font = { bold: true, size: 14 };
  help.addRow([spec.purpose]);
  help.addRow([
    'Isi satu baris per orang/keluarga/capaian di lembar "Data", mulai baris 2. Jangan ubah judul kolom. ' +
      'Tanggal ditulis dd/mm/yyyy (mis. 27/11/2025) atau "27 Nov 2025". Desimal boleh koma (22,5). ' +
      'NIK dan Nomor KK diketik sebagai teks 16 angka. Kolom bertanda "Wajib" harus diisi; baris yang salah ' +
      'ditolak dengan alasan per kolom, baris lain tetap masuk. Simpan sebagai .xlsx atau .csv.',
  ]);
  help.addRow([`Template for ${spec.title.en}. One row per record on the "Data" sheet; dates dd/mm/yyyy; decimal comma allowed.`]);
  help.addRow([]);
  const head = help.addRow(['Kolom', 'Wajib', 'Isi', 'Contoh', 'Column (English)']);
  head.font = { bold: true };
  for (const c of spec.columns) {
    help.addRow([c.header, c.required ? 'Wajib' : 'Boleh kosong', c.description?.id ?? '', c.example ?? '', c.description?.en ?? '']);
  }
  help.getColumn(1).width = 26;
  help.getColumn(2).width = 14;
  help.getColumn(3).width = 60;
  help.getColumn(4).width = 22;
  help.getColumn(5).width = 50;
  return wb;
}

/** The CSV template: UTF-8 with BOM and semicolons, as Excel in an Indonesian locale opens it. */
export function templateCsv(spec: TemplateSpec): string {
  return '\ufeff' + csvLine(spec.columns.map((c) => c.header), ';');
}

/** Writes both template files into `dir` and returns their paths. */
export async function writeTemplate(spec: TemplateSpec, dir: string): Promise<string[]> {
  const names = templateFileNames(spec);
  const xlsx = join(dir, names.xlsx);
  const csv = join(dir, names.csv);
  await buildTemplateWorkbook(spec).xlsx.writeFile(xlsx);
  await writeFile(csv, templateCsv(spec), 'utf8');
  return [xlsx, csv];
}

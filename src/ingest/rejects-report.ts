import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { csvLine } from '../common/csv.js';
import type { RowIssue } from './eppgbm-row.js';

const HEADER = ['Baris / Row', 'Kolom / Column', 'Nilai / Value', 'Alasan', 'Reason'];

/** Writes the rejected rows as CSV (UTF-8 with BOM, so Excel shows the Indonesian text right). */
export async function writeRejectsCsv(path: string, rejects: readonly RowIssue[]): Promise<void> {
  const out = createWriteStream(path, 'utf8');
  out.write('\ufeff' + csvLine(HEADER));
  for (const r of rejects) {
    if (!out.write(csvLine([String(r.row), r.column, r.value, r.reason.id, r.reason.en]))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Writes the rejected rows as an .xlsx (streamed, so a long list stays within memory). */
export async function writeRejectsXlsx(path: string, rejects: readonly RowIssue[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const ws = wb.addWorksheet('Ditolak');
  ws.columns = [{ width: 12 }, { width: 24 }, { width: 24 }, { width: 70 }, { width: 70 }];
  const head = ws.addRow(HEADER);
  head.font = { bold: true };
  head.commit();
  for (const r of rejects) ws.addRow([r.row, r.column, r.value, r.reason.id, r.reason.en]).commit();
  ws.commit();
  await wb.commit();
}

import { bilingualLine } from '../common/i18n.js';
import type { EppgbmFileReport } from './eppgbm-import.service.js';
import type { RowIssue } from './eppgbm-row.js';
import { IM } from './messages.js';

/** The `--dry-run --format json` contract: exactly these keys, reason "Indonesian / English". */
export interface DryRunJson {
  read: number;
  accepted: number;
  rejected: number;
  rejects: { row: number; column: string; value: string; reason: string }[];
}

/** One rejection's reason as the JSON contract carries it: "Bahasa Indonesia / English". */
export function reasonText(issue: RowIssue): string {
  return `${issue.reason.id} / ${issue.reason.en}`;
}

/** The JSON object of issue 4 §8 for one file, keys in contract order and nothing else. */
export function toDryRunJson(report: Pick<EppgbmFileReport, 'read' | 'accepted' | 'rejected' | 'rejects'>): DryRunJson {
  return {
    read: report.read,
    accepted: report.accepted,
    rejected: report.rejected,
    rejects: report.rejects.map((r) => ({ row: r.row, column: r.column, value: r.value, reason: reasonText(r) })),
  };
}

/** Human summary of a file import, bilingual labels, at most `maxRejects` rejections listed. */
export function formatTextReport(report: EppgbmFileReport, maxRejects = 20, newPosyandu?: readonly { name: string; desaName: string }[]): string {
  const lines: string[] = [];
  lines.push(`${bilingualLine(IM['ingest.cli.fileHeader'])}: ${report.file} (${report.format})`);
  lines.push(`  ${bilingualLine(IM['ingest.summary.read'])}: ${report.read}`);
  lines.push(`  ${bilingualLine(IM['ingest.summary.accepted'])}: ${report.accepted}`);
  lines.push(`  ${bilingualLine(IM['ingest.summary.rejected'])}: ${report.rejected}`);
  if (report.warningCount > 0) lines.push(`  ${bilingualLine(IM['ingest.summary.warnings'])}: ${report.warningCount}`);
  const d = report.disagreements;
  if (d.zwei + d.zlen + d.zwfl > 0) {
    lines.push(`  ${bilingualLine(IM['ingest.summary.disagree'])}: BB/U ${d.zwei}, TB/U ${d.zlen}, BB/TB ${d.zwfl}`);
  }
  for (const r of report.rejects.slice(0, maxRejects)) {
    lines.push(`  - ${bilingualLine(IM['ingest.summary.rejectLine'], { row: r.row, column: r.column })}: "${r.value}" — ${reasonText(r)}`);
  }
  if (report.rejects.length > maxRejects) {
    lines.push(`  ${bilingualLine(IM['ingest.summary.moreRejects'], { n: report.rejects.length - maxRejects })}`);
  }
  for (const w of report.warnings.slice(0, 10)) {
    lines.push(`  ! ${bilingualLine(IM['ingest.summary.rejectLine'], { row: w.row, column: w.column })}: ${reasonText(w)}`);
  }
  if (newPosyandu && newPosyandu.length > 0) {
    lines.push(`  ${bilingualLine(IM['ingest.summary.newPosyandu'])}: ${newPosyandu.map((p) => `${p.name} (${p.desaName})`).join(', ')}`);
  } else if (!newPosyandu && report.posyandu.length > 0) {
    lines.push(`  ${bilingualLine(IM['ingest.summary.posyandu'])}: ${report.posyandu.length}`);
  }
  return lines.join('\n') + '\n';
}

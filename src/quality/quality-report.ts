/**
 * The monthly data-validity report (`tumbuh quality report --month YYYY-MM`): per posyandu, least
 * valid first, the score and its worst problems in plain Bahasa Indonesia (English second) with
 * the suggested fix; as text, JSON, CSV or an XLSX workbook. Built from the stored scores
 * (quality_score) — run `tumbuh quality score` first.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { csvLine } from '../common/csv.js';
import { defineMessages, t, type Bilingual, type Lang } from '../common/i18n.js';
import type { QualityDb } from './quality.repo.js';

const M = defineMessages({
  'quality.report.title': { id: 'Laporan validitas data posyandu — {month}', en: 'Posyandu data validity report — {month}' },
  'quality.report.synthetic': { id: 'DATA SINTETIS', en: 'SYNTHETIC DATA' },
  'quality.report.summary': {
    id: '{scored} posyandu dinilai, {attention} perlu perhatian (skor < {threshold}), {unscored} terlalu sedikit anak untuk dinilai',
    en: '{scored} posyandu scored, {attention} need attention (score < {threshold}), {unscored} with too few children to judge',
  },
  'quality.report.row': {
    id: '{rank}. {posyandu} (desa {desa}, {puskesmas}) — skor {score}; {children} anak, {measurements} pengukuran',
    en: '{rank}. {posyandu} (village {desa}, {puskesmas}) — score {score}; {children} children, {measurements} measurements',
  },
  'quality.report.noProblem': { id: 'tidak ada masalah berarti', en: 'no notable problem' },
  'quality.report.unscored': { id: 'tidak dinilai (kurang dari 10 anak)', en: 'not scored (fewer than 10 children)' },
  'quality.report.problem': { id: 'Masalah: {problem}', en: 'Problem: {problem}' },
  'quality.report.fix': { id: 'Saran: {fix}', en: 'Suggested fix: {fix}' },
  'quality.report.extra': {
    id: 'Data ganda: {duplicates} anak dalam usulan; beda z-score/status e-PPGBM: {eppgbm}',
    en: 'Duplicates: {duplicates} children in candidate pairs; e-PPGBM z-score/status disagreements: {eppgbm}',
  },
  'quality.report.empty': {
    id: 'Belum ada skor validitas untuk {month}. Jalankan dulu: tumbuh quality score --month {month}',
    en: 'No validity scores for {month} yet. Run first: tumbuh quality score --month {month}',
  },
  'quality.report.sheet': { id: 'Validitas posyandu', en: 'Posyandu validity' },
});

/** One posyandu's line of the report. */
export interface QualityReportRow {
  rank: number;
  posyanduId: number;
  posyandu: string;
  desaCode: string;
  desa: string;
  puskesmas: string;
  score: number | null;
  children: number;
  measurements: number;
  duplicateRecords: number;
  eppgbmDisagreements: number;
  problems: { component: string; deduction: number; problem: Bilingual; fix: Bilingual }[];
}

export interface QualityReport {
  kabupatenCode: string | null;
  month: string;
  threshold: number;
  synthetic: boolean;
  rows: QualityReportRow[];
}

/**
 * The report of one month from the stored posyandu scores: least valid first (unscored last),
 * each with its `maxProblems` worst problems and fixes.
 */
export async function buildQualityReport(
  db: QualityDb,
  options: { month: string; kabupatenCode?: string; maxProblems?: number; threshold?: number },
): Promise<QualityReport> {
  const month = options.month.length === 7 ? `${options.month}-01` : options.month;
  const r = await sql<{
    kabupaten_code: string; unit: string; posyandu: string | null; desa_code: string; desa: string | null; puskesmas: string | null;
    score: number | null; children: number; measurements: number; duplicate_records: number; eppgbm_disagreements: number; problems: QualityReportRow['problems'];
    synthetic: boolean | null;
  }>`
    SELECT q.kabupaten_code, q.unit, f.name AS posyandu, q.desa_code, d.name AS desa, p.name AS puskesmas, q.score, q.children, q.measurements,
      q.duplicate_records, q.eppgbm_disagreements, q.problems, f.is_synthetic AS synthetic
    FROM quality_score q
    LEFT JOIN facility f ON f.id = q.unit::bigint
    LEFT JOIN facility p ON p.id = q.puskesmas_id
    LEFT JOIN region d ON d.code = q.desa_code
    WHERE q.level = 'posyandu' AND q.month = ${month}::date
      AND (${options.kabupatenCode ?? null}::text IS NULL OR q.kabupaten_code = ${options.kabupatenCode ?? null})
    ORDER BY q.score ASC NULLS LAST, q.children DESC, q.unit::bigint`.execute(db);
  const max = options.maxProblems ?? 3;
  return {
    kabupatenCode: options.kabupatenCode ?? r.rows[0]?.kabupaten_code ?? null,
    month: month.slice(0, 7),
    threshold: options.threshold ?? 95,
    synthetic: r.rows.some((x) => x.synthetic === true),
    rows: r.rows.map((x, i) => ({
      rank: i + 1,
      posyanduId: Number(x.unit),
      posyandu: x.posyandu ?? `#${x.unit}`,
      desaCode: x.desa_code,
      desa: x.desa ?? x.desa_code,
      puskesmas: x.puskesmas ?? '',
      score: x.score,
      children: x.children,
      measurements: x.measurements,
      duplicateRecords: x.duplicate_records,
      eppgbmDisagreements: x.eppgbm_disagreements,
      problems: x.problems.slice(0, max),
    })),
  };
}

const fmtScore = (s: number | null, lang: Lang) => (s === null ? '–' : lang === 'id' ? s.toFixed(1).replace('.', ',') : s.toFixed(1));

/** The report as plain text in one language; `limit` posyandu (default all). */
export function renderQualityReportText(report: QualityReport, lang: Lang, limit = Infinity): string {
  if (report.rows.length === 0) return `${t(M['quality.report.empty'], { month: report.month }, lang)}\n`;
  const scored = report.rows.filter((r) => r.score !== null);
  const lines = [t(M['quality.report.title'], { month: report.month }, lang)];
  if (report.synthetic) lines.push(t(M['quality.report.synthetic'], {}, lang));
  lines.push(t(M['quality.report.summary'], {
    scored: scored.length, attention: scored.filter((r) => (r.score as number) < report.threshold).length,
    threshold: report.threshold, unscored: report.rows.length - scored.length,
  }, lang), '');
  for (const r of report.rows.slice(0, limit)) {
    lines.push(t(M['quality.report.row'], {
      rank: r.rank, posyandu: r.posyandu, desa: r.desa, puskesmas: r.puskesmas || '–', score: fmtScore(r.score, lang), children: r.children, measurements: r.measurements,
    }, lang));
    if (r.score === null) lines.push(`   ${t(M['quality.report.unscored'], {}, lang)}`);
    else if (r.problems.length === 0) lines.push(`   ${t(M['quality.report.noProblem'], {}, lang)}`);
    for (const p of r.problems) {
      lines.push(`   - ${t(M['quality.report.problem'], { problem: p.problem[lang] }, lang)} (−${fmtScore(p.deduction, lang)})`);
      lines.push(`     ${t(M['quality.report.fix'], { fix: p.fix[lang] }, lang)}`);
    }
    if (r.duplicateRecords > 0 || r.eppgbmDisagreements > 0) {
      lines.push(`   ${t(M['quality.report.extra'], { duplicates: r.duplicateRecords, eppgbm: r.eppgbmDisagreements }, lang)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** CSV columns of the report (one row per posyandu, its three worst problems side by side). */
export const QUALITY_REPORT_COLUMNS = [
  'rank', 'month', 'posyandu_id', 'posyandu', 'desa_code', 'desa', 'puskesmas', 'score', 'children', 'measurements',
  'duplicate_records', 'eppgbm_disagreements',
  ...[1, 2, 3].flatMap((k) => [`problem_${k}_component`, `problem_${k}_deduction`, `problem_${k}_id`, `fix_${k}_id`, `problem_${k}_en`, `fix_${k}_en`]),
] as const;

function tableRows(report: QualityReport): (string | number | null)[][] {
  return report.rows.map((r) => [
    r.rank, report.month, r.posyanduId, r.posyandu, r.desaCode, r.desa, r.puskesmas, r.score, r.children, r.measurements,
    r.duplicateRecords, r.eppgbmDisagreements,
    ...[0, 1, 2].flatMap((k) => {
      const p = r.problems[k];
      return p ? [p.component, p.deduction, p.problem.id, p.fix.id, p.problem.en, p.fix.en] : ['', null, '', '', '', ''];
    }),
  ]);
}

/** The report as CSV text (header first; numbers with a dot). */
export function qualityReportCsv(report: QualityReport): string {
  let out = csvLine([...QUALITY_REPORT_COLUMNS]);
  for (const row of tableRows(report)) out += csvLine(row.map((c) => (c === null ? '' : String(c))));
  return out;
}

/** The report as an XLSX workbook (one sheet, header frozen). */
export async function renderQualityReportXlsx(report: QualityReport, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tumbuh';
  const ws = wb.addWorksheet(t(M['quality.report.sheet'], {}, lang).slice(0, 31));
  ws.addRow([t(M['quality.report.title'], { month: report.month }, lang)]).font = { bold: true };
  if (report.synthetic) ws.addRow([t(M['quality.report.synthetic'], {}, lang)]);
  ws.addRow([...QUALITY_REPORT_COLUMNS]).font = { bold: true };
  for (const r of tableRows(report)) ws.addRow(r.map((c) => (c === null ? '' : c)));
  ws.views = [{ state: 'frozen', ySplit: report.synthetic ? 3 : 2 }];
  ws.columns.forEach((col) => { col.width = 16; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

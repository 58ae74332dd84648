/**
 * Renders an evaluation round's report: `format` pdf or xlsx, `template` tpps (the TPPS
 * evaluation meeting) or semester (the bupati's semester report to the gubernur).
 */
import type { Kysely } from 'kysely';
import type { Lang } from '../common/i18n.js';
import type { Database } from '../db/schema.js';
import { buildEvaluationReportModel } from './evaluation-report.model.js';
import { renderEvaluationPdf, type ReportTemplate } from './evaluation.pdf.js';
import { renderEvaluationXlsx } from './evaluation.xlsx.js';

export type ReportFormat = 'pdf' | 'xlsx';

export interface RenderedReport {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  /** Seconds spent gathering the figures and drawing. */
  seconds: { model: number; render: number };
}

/** The report of round `roundId` as a file, statuses judged on `today`. */
export async function renderEvaluationReport(db: Kysely<Database>, roundId: number, options: { format: ReportFormat; lang: Lang; template?: ReportTemplate; today: string }): Promise<RenderedReport> {
  const t0 = performance.now();
  const model = await buildEvaluationReportModel(db, roundId, options.today);
  const t1 = performance.now();
  const template = options.template ?? 'tpps';
  const bytes = options.format === 'pdf' ? await renderEvaluationPdf(model, options.lang, template) : await renderEvaluationXlsx(model, options.lang);
  const t2 = performance.now();
  const base = `${template === 'semester' ? 'laporan-semester' : 'evaluasi-tpps'}-${model.figures.kabupaten.code}-round${roundId}-${options.lang}`;
  return {
    bytes,
    contentType: options.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${base}.${options.format}`,
    seconds: { model: (t1 - t0) / 1000, render: (t2 - t1) / 1000 },
  };
}

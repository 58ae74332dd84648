import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../common/app-error.js';
import { bilingualLine } from '../../common/i18n.js';
import { importEppgbmFile, type EppgbmFileReport } from '../../ingest/eppgbm-import.service.js';
import { IM } from '../../ingest/messages.js';
import { createProgress } from '../../ingest/progress.js';
import { writeRejectsCsv, writeRejectsXlsx } from '../../ingest/rejects-report.js';
import { formatTextReport, reasonText, toDryRunJson } from '../../ingest/report-format.js';
import { loadRegionRecords, RegionMatcher } from '../../ingest/region-matcher.js';
import { importTemplateFile, type TemplateFileReport } from '../../ingest/templates/template-import.service.js';
import { TEMPLATES, templateFor } from '../../ingest/templates/template-kinds.js';
import { writeTemplate } from '../../ingest/templates/template-writer.js';
import { loadGrowthEngine } from '../../reference/who-tables.js';
import type { CliCommand, CliIO } from '../command.js';

interface ImportArgs {
  files: string[];
  dryRun: boolean;
  format: 'text' | 'json';
  kabupaten: string;
  regions?: string;
  today?: string;
  rejects?: string;
  out?: string;
}

const KINDS = TEMPLATES.map((t) => t.kind);

function usageError(option: string): AppError {
  return new AppError('cli.usage', IM['ingest.cli.badOption'], { option }, { status: 400 });
}

function parseArgs(args: string[]): ImportArgs {
  const a: ImportArgs = { files: [], dryRun: false, format: 'text', kabupaten: '62.01' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw usageError(arg);
      return v;
    };
    if (arg === '--dry-run') a.dryRun = true;
    else if (arg === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw usageError(`--format ${f}`);
      a.format = f;
    } else if (arg.startsWith('--format=')) {
      const f = arg.slice(9);
      if (f !== 'text' && f !== 'json') throw usageError(arg);
      a.format = f;
    } else if (arg === '--kabupaten') a.kabupaten = value();
    else if (arg === '--regions') a.regions = value();
    else if (arg === '--today') {
      a.today = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(a.today)) throw usageError(`--today ${a.today}`);
    } else if (arg === '--rejects') a.rejects = value();
    else if (arg === '-o' || arg === '--out') a.out = value();
    else if (arg.startsWith('-') && arg !== '-') throw usageError(arg);
    else a.files.push(arg);
  }
  return a;
}

function matcherFor(a: ImportArgs, io: CliIO): RegionMatcher {
  const records = a.regions ? loadRegionRecords(resolve(io.cwd, a.regions)) : loadRegionRecords();
  return new RegionMatcher(records, a.kabupaten);
}

async function writeRejectReports(base: string, report: { rejects: EppgbmFileReport['rejects'] }, io: CliIO): Promise<string[]> {
  const stem = resolve(io.cwd, base).replace(/\.(csv|xlsx)$/i, '');
  await writeRejectsCsv(`${stem}.csv`, report.rejects);
  await writeRejectsXlsx(`${stem}.xlsx`, report.rejects);
  return [`${stem}.csv`, `${stem}.xlsx`];
}

function printJson(io: CliIO, report: EppgbmFileReport | TemplateFileReport): void {
  io.stdout.write(JSON.stringify(toDryRunJson(report)) + '\n');
}

async function runEppgbm(a: ImportArgs, io: CliIO): Promise<number> {
  if (a.files.length === 0) throw new AppError('cli.usage', IM['ingest.cli.noFiles'], {}, { status: 400 });
  if (!a.dryRun) throw new AppError('ingest.noDatabase', IM['ingest.cli.noDatabase'], {}, { status: 503 });
  const matcher = matcherFor(a, io);
  const engine = loadGrowthEngine();
  for (const f of a.files) {
    const progress = a.format === 'text' ? createProgress(io.stderr, f) : null;
    let report: EppgbmFileReport;
    try {
      report = await importEppgbmFile(resolve(io.cwd, f), {
        matcher,
        engine,
        today: a.today,
        displayName: f,
        onProgress: progress ? (rows, fraction) => progress.update(rows, fraction) : undefined,
      });
    } finally {
      progress?.done();
    }
    if (a.format === 'json') printJson(io, report);
    else {
      io.stdout.write(formatTextReport(report));
      io.stdout.write(bilingualLine(IM['ingest.summary.dryRun']) + '\n');
    }
    if (a.rejects && report.rejects.length > 0) {
      const files = await writeRejectReports(a.files.length > 1 ? `${a.rejects}-${a.files.indexOf(f) + 1}` : a.rejects, report, io);
      if (a.format === 'text') io.stdout.write(bilingualLine(IM['ingest.summary.rejectsReport'], { files: files.join(', ') }) + '\n');
    }
  }
  return 0;
}

async function runTemplateImport(kind: string, a: ImportArgs, io: CliIO): Promise<number> {
  const spec = templateFor(kind)!;
  if (a.files.length === 0) throw new AppError('cli.usage', IM['ingest.cli.noFiles'], {}, { status: 400 });
  if (!a.dryRun) throw new AppError('ingest.noDatabase', IM['ingest.cli.noDatabase'], {}, { status: 503 });
  const matcher = matcherFor(a, io);
  for (const f of a.files) {
    const report = await importTemplateFile(spec, resolve(io.cwd, f), { matcher, today: a.today, displayName: f });
    if (a.format === 'json') printJson(io, report);
    else {
      const lines = [
        `${bilingualLine(IM['ingest.cli.fileHeader'])}: ${f} (${spec.title.id})`,
        `  ${bilingualLine(IM['ingest.summary.read'])}: ${report.read}`,
        `  ${bilingualLine(IM['ingest.summary.accepted'])}: ${report.accepted}`,
        `  ${bilingualLine(IM['ingest.summary.rejected'])}: ${report.rejected}`,
        ...report.rejects.slice(0, 20).map((r) => `  - ${bilingualLine(IM['ingest.summary.rejectLine'], { row: r.row, column: r.column })}: "${r.value}" — ${reasonText(r)}`),
        bilingualLine(IM['ingest.summary.dryRun']),
      ];
      io.stdout.write(lines.join('\n') + '\n');
    }
    if (a.rejects && report.rejects.length > 0) await writeRejectReports(a.rejects, report, io);
  }
  return 0;
}

async function runTemplate(a: ImportArgs, io: CliIO): Promise<number> {
  const kind = a.files[0];
  const spec = kind ? templateFor(kind) : undefined;
  if (!spec) throw new AppError('cli.usage', IM['ingest.cli.unknownKind'], { kind: kind ?? '-', kinds: KINDS.join(', ') }, { status: 400 });
  const dir = resolve(io.cwd, a.out ?? '.');
  await mkdir(dir, { recursive: true });
  const files = await writeTemplate(spec, dir);
  io.stdout.write(bilingualLine(IM['ingest.cli.templateWritten'], { files: files.join(', ') }) + '\n');
  return 0;
}

/** `tumbuh import …`: e-PPGBM exports, target-group/family/sector templates, template files, undo. */
export const importCommand: CliCommand = {
  name: 'import',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(bilingualLine(IM['ingest.cli.usage'], { kinds: KINDS.join(', ') }) + '\n');
      return sub ? 0 : 2;
    }
    const a = parseArgs(rest);
    if (sub === 'eppgbm') return runEppgbm(a, io);
    if (sub === 'template') return runTemplate(a, io);
    if (sub === 'undo') throw new AppError('ingest.noDatabase', IM['ingest.cli.noDatabase'], {}, { status: 503 });
    if (templateFor(sub)) return runTemplateImport(sub, a, io);
    throw new AppError('cli.usage', IM['ingest.cli.unknownKind'], { kind: sub, kinds: ['eppgbm', 'template', 'undo', ...KINDS].join(', ') }, { status: 400 });
  },
};

import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../common/app-error.js';
import { openDatabase, type DatabaseHandle } from '../../db/connection.js';
import { defaultWritePathDeps } from '../../db/growth-columns.js';
import { bilingualLine } from '../../common/i18n.js';
import { importEppgbmFile, type EppgbmFileReport } from '../../ingest/eppgbm-import.service.js';
import { IM } from '../../ingest/messages.js';
import { createProgress } from '../../ingest/progress.js';
import { writeRejectsCsv, writeRejectsXlsx } from '../../ingest/rejects-report.js';
import { formatTextReport, reasonText, toDryRunJson } from '../../ingest/report-format.js';
import { loadRegionRecords, RegionMatcher } from '../../ingest/region-matcher.js';
import { storeEppgbmFile, type EppgbmStoreResult } from '../../ingest/store/eppgbm-store.service.js';
import { undoImportBatch } from '../../ingest/store/import-undo.service.js';
import { storeTemplateFile, type TemplateStoreResult } from '../../ingest/store/template-store.service.js';
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
  user?: string;
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
    else if (arg === '--user') a.user = value();
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

/** Who imports: --user, else the operating-system account running the command. */
function importer(a: ImportArgs): string {
  if (a.user) return a.user;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

async function userIdOf(handle: DatabaseHandle, name: string): Promise<number | null> {
  const row = await handle.pool.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [name]);
  return row.rowCount ? row.rows[0].id : null;
}

function storedJson(r: EppgbmStoreResult): Record<string, unknown> {
  return {
    ...toDryRunJson(r.report),
    batch: r.batchId,
    sameFileBatch: r.sameFileBatch,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    duplicates: r.duplicates,
    newChildren: r.newChildren,
    newPosyandu: r.newPosyandu.map((p) => ({ id: p.id, name: p.name, desaCode: p.desaCode })),
    disagreements: r.report.disagreements,
  };
}

function storedText(r: EppgbmStoreResult, matcher: RegionMatcher, by: string): string {
  const names = new Map(loadRegionRecords().map((x) => [x.code, x.name]));
  let out = formatTextReport(r.report, 20, r.newPosyandu.map((p) => ({ name: p.name, desaName: names.get(p.desaCode) ?? p.desaCode })));
  if (r.batchId === null) return out + bilingualLine(IM['ingest.summary.sameFile'], { batch: r.sameFileBatch }) + '\n';
  out += `  ${bilingualLine(IM['ingest.summary.inserted'])}: ${r.inserted}\n`;
  out += `  ${bilingualLine(IM['ingest.summary.updated'])}: ${r.updated}\n`;
  out += `  ${bilingualLine(IM['ingest.summary.unchanged'])}: ${r.unchanged}\n`;
  if (r.duplicates > 0) out += `  ${bilingualLine(IM['ingest.summary.duplicates'])}: ${r.duplicates}\n`;
  out += `  ${bilingualLine(IM['ingest.summary.newChildren'])}: ${r.newChildren}\n`;
  out += `  ${bilingualLine(IM['ingest.summary.importedBy'])}: ${by} (${matcher.districtName})\n`;
  return out + bilingualLine(IM['ingest.summary.batch'], { batch: r.batchId }) + '\n';
}

async function runEppgbm(a: ImportArgs, io: CliIO): Promise<number> {
  if (a.files.length === 0) throw new AppError('cli.usage', IM['ingest.cli.noFiles'], {}, { status: 400 });
  const matcher = matcherFor(a, io);
  if (!a.dryRun) return storeEppgbm(a, io, matcher);
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

/** Each file one batch in the database, committed entirely or not at all. */
async function storeEppgbm(a: ImportArgs, io: CliIO, matcher: RegionMatcher): Promise<number> {
  const by = importer(a);
  const handle = await openDatabase({ env: io.env, cwd: io.cwd });
  try {
    const ctx = { pool: handle.pool, nik: handle.nik, deps: defaultWritePathDeps() };
    const userId = await userIdOf(handle, by);
    for (const f of a.files) {
      const progress = a.format === 'text' ? createProgress(io.stderr, f) : null;
      let r: EppgbmStoreResult;
      try {
        r = await storeEppgbmFile(ctx, resolve(io.cwd, f), {
          matcher, importedBy: by, userId, today: a.today, displayName: f,
          onProgress: progress ? (rows, fraction) => progress.update(rows, fraction) : undefined,
        });
      } finally {
        progress?.done();
      }
      let files: string[] = [];
      if (r.batchId !== null && r.report.rejects.length > 0) {
        const base = a.rejects
          ? (a.files.length > 1 ? `${a.rejects}-${a.files.indexOf(f) + 1}` : a.rejects)
          : join(handle.dataDir, 'imports', `batch-${r.batchId}-rejects`);
        await mkdir(resolve(io.cwd, base, '..'), { recursive: true });
        files = await writeRejectReports(base, r.report, io);
      }
      if (a.format === 'json') io.stdout.write(JSON.stringify({ ...storedJson(r), rejectsReport: files }) + '\n');
      else {
        io.stdout.write(storedText(r, matcher, by));
        if (files.length > 0) io.stdout.write(bilingualLine(IM['ingest.summary.rejectsReport'], { files: files.join(', ') }) + '\n');
      }
    }
  } finally {
    await handle.close();
  }
  return 0;
}

async function runUndo(a: ImportArgs, io: CliIO): Promise<number> {
  const id = Number(a.files[0]);
  if (a.files.length !== 1 || !Number.isInteger(id) || id <= 0) {
    throw new AppError('ingest.batchNotFound', IM['ingest.cli.batchNotFound'], { batch: a.files[0] ?? '-' }, { status: 404 });
  }
  const by = importer(a);
  const handle = await openDatabase({ env: io.env, cwd: io.cwd });
  try {
    const userId = await userIdOf(handle, by);
    const r = await undoImportBatch({ pool: handle.pool, deps: defaultWritePathDeps() }, id, { undoneBy: by, userId });
    if (a.format === 'json') io.stdout.write(JSON.stringify(r) + '\n');
    else io.stdout.write(bilingualLine(IM['ingest.cli.undoneDetail'], { batch: id, removed: r.removed, restored: r.restored, children: r.children, posyandu: r.posyandu }) + '\n');
  } finally {
    await handle.close();
  }
  return 0;
}

async function runTemplateImport(kind: string, a: ImportArgs, io: CliIO): Promise<number> {
  const spec = templateFor(kind)!;
  if (a.files.length === 0) throw new AppError('cli.usage', IM['ingest.cli.noFiles'], {}, { status: 400 });
  const matcher = matcherFor(a, io);
  const handle = a.dryRun ? null : await openDatabase({ env: io.env, cwd: io.cwd });
  try {
    const by = importer(a);
    const userId = handle ? await userIdOf(handle, by) : null;
    for (const f of a.files) {
      let report: TemplateFileReport;
      let stored: TemplateStoreResult | null = null;
      if (handle) {
        stored = await storeTemplateFile({ pool: handle.pool, nik: handle.nik }, spec, resolve(io.cwd, f), { matcher, importedBy: by, userId, today: a.today, displayName: f });
        report = stored.report;
      } else report = await importTemplateFile(spec, resolve(io.cwd, f), { matcher, today: a.today, displayName: f });
      let files: string[] = [];
      if (report.rejects.length > 0 && (a.rejects || (stored && stored.batchId !== null && handle))) {
        const base = a.rejects ?? join(handle!.dataDir, 'imports', `batch-${stored!.batchId}-rejects`);
        await mkdir(resolve(io.cwd, base, '..'), { recursive: true });
        files = await writeRejectReports(base, report, io);
      }
      if (a.format === 'json') {
        if (!stored) printJson(io, report);
        else {
          const r = stored;
          io.stdout.write(JSON.stringify({ ...toDryRunJson(report), batch: r.batchId, sameFileBatch: r.sameFileBatch, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, services: r.services, rejectsReport: files }) + '\n');
        }
      } else {
        const lines = [
          `${bilingualLine(IM['ingest.cli.fileHeader'])}: ${f} (${spec.title.id})`,
          `  ${bilingualLine(IM['ingest.summary.read'])}: ${report.read}`,
          `  ${bilingualLine(IM['ingest.summary.accepted'])}: ${report.accepted}`,
          `  ${bilingualLine(IM['ingest.summary.rejected'])}: ${report.rejected}`,
          ...report.rejects.slice(0, 20).map((r) => `  - ${bilingualLine(IM['ingest.summary.rejectLine'], { row: r.row, column: r.column })}: "${r.value}" — ${reasonText(r)}`),
        ];
        if (!stored) lines.push(bilingualLine(IM['ingest.summary.dryRun']));
        else if (stored.batchId === null) lines.push(bilingualLine(IM['ingest.summary.sameFile'], { batch: stored.sameFileBatch }));
        else {
          lines.push(`  ${bilingualLine(IM['ingest.summary.inserted'])}: ${stored.inserted}`, `  ${bilingualLine(IM['ingest.summary.updated'])}: ${stored.updated}`,
            `  ${bilingualLine(IM['ingest.summary.unchanged'])}: ${stored.unchanged}`, bilingualLine(IM['ingest.summary.batch'], { batch: stored.batchId }));
        }
        if (files.length > 0) lines.push(bilingualLine(IM['ingest.summary.rejectsReport'], { files: files.join(', ') }));
        io.stdout.write(lines.join('\n') + '\n');
      }
    }
  } finally {
    await handle?.close();
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
    if (sub === 'undo') return runUndo(a, io);
    if (templateFor(sub)) return runTemplateImport(sub, a, io);
    throw new AppError('cli.usage', IM['ingest.cli.unknownKind'], { kind: sub, kinds: ['eppgbm', 'template', 'undo', ...KINDS].join(', ') }, { status: 400 });
  },
};

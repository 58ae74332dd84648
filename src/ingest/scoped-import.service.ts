/**
 * Imports through the HTTP API, scoped: an upload is stored (or only checked, dry run) for one
 * kabupaten the caller covers whole; batches are listed and shown only for kabupaten in scope;
 * the rejects download (raw values: personal data) is audited; undo needs the batch's kabupaten
 * in scope. The upload goes through a private temporary file, removed afterwards.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { assertRegion, regionCondition, type AccessScope } from '../auth/access.js';
import { bumpDashboardGeneration } from '../analytics/dashboard-cache.js';
import { AppError } from '../common/app-error.js';
import { csvLine } from '../common/csv.js';
import { defineMessages } from '../common/i18n.js';
import type { WritePathDeps } from '../db/growth-columns.js';
import type { NikHasher } from '../db/nik.js';
import { auditPersonalRead } from '../db/personal-read-audit.js';
import type { Database } from '../db/schema.js';
import { packageRoot } from '../reference/who-tables.js';
import { importEppgbmFile, type EppgbmFileReport } from './eppgbm-import.service.js';
import { loadRegionRecords, RegionMatcher, type RegionRecord } from './region-matcher.js';
import { storeEppgbmFile } from './store/eppgbm-store.service.js';
import { undoImportBatch } from './store/import-undo.service.js';
import { storeTemplateFile } from './store/template-store.service.js';
import { importTemplateFile, type TemplateFileReport } from './templates/template-import.service.js';
import { templateFor } from './templates/template-kinds.js';

const M = defineMessages({
  'ingest.api.kabupaten': { id: 'Sebutkan satu kabupaten untuk impor (bukan {code})', en: 'Name one kabupaten to import into (not {code})' },
  'ingest.api.batchMissing': { id: 'Impor {id} tidak ada', en: 'Import {id} does not exist' },
  'ingest.api.kind': { id: 'Jenis impor {kind} tidak dikenal', en: 'Unknown import kind {kind}' },
});

let regionRecords: RegionRecord[] | undefined;
const matcherFor = (kab: string) => new RegionMatcher((regionRecords ??= loadRegionRecords(join(packageRoot(), 'data', 'regions', 'kalteng-regions.csv'))), kab);

export interface ImportContext {
  db: Kysely<Database>;
  pool: pg.Pool;
  nik: NikHasher;
  deps: WritePathDeps;
}

const KEPT = 100;

/** Stores (or, dry run, only checks) an uploaded e-PPGBM export or filled template for a kabupaten in scope. */
export async function scopedImport(
  ctx: ImportContext,
  scope: AccessScope,
  upload: { fileName: string; bytes: Buffer },
  options: { kind: string; kabupatenCode: string; dryRun: boolean },
) {
  if (options.kabupatenCode.length !== 5) throw new AppError('bad_region_level', M['ingest.api.kabupaten'], { code: options.kabupatenCode });
  assertRegion(scope, options.kabupatenCode);
  const spec = options.kind === 'eppgbm' ? null : templateFor(options.kind);
  if (options.kind !== 'eppgbm' && !spec) throw new AppError('bad_kind', M['ingest.api.kind'], { kind: options.kind });
  const dir = await mkdtemp(join(tmpdir(), 'tumbuh-upload-'));
  const displayName = basename(upload.fileName).replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'upload';
  const path = join(dir, displayName);
  try {
    await writeFile(path, upload.bytes, { mode: 0o600 });
    const matcher = matcherFor(options.kabupatenCode);
    const base = { kind: options.kind, file: displayName, dryRun: options.dryRun, batchId: null as number | null, sameFileBatch: null as number | null,
      inserted: 0, updated: 0, unchanged: 0, newChildren: 0, newPosyandu: [] as { id: number; name: string; desaCode: string }[] };
    const counts = (r: EppgbmFileReport | TemplateFileReport) => ({
      read: r.read, accepted: r.accepted, rejected: r.rejected, warningCount: r.warningCount,
      rejects: r.rejects.slice(0, KEPT).map((x) => ({ row: x.row, column: x.column, value: x.value, reason: x.reason })),
      warnings: r.warnings.slice(0, KEPT).map((x) => ({ row: x.row, column: x.column, value: x.value, reason: x.reason })),
    });
    if (options.dryRun) {
      const report = spec
        ? await importTemplateFile(spec, path, { matcher, displayName })
        : await importEppgbmFile(path, { matcher, engine: ctx.deps.engine, displayName });
      return { ...base, ...counts(report) };
    }
    const importedBy = scope.username;
    if (spec) {
      const r = await storeTemplateFile({ pool: ctx.pool, nik: ctx.nik }, spec, path, { matcher, importedBy, userId: scope.userId, displayName });
      bumpDashboardGeneration(options.kabupatenCode);
      return { ...base, ...counts(r.report), batchId: r.batchId, sameFileBatch: r.sameFileBatch, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged };
    }
    const r = await storeEppgbmFile({ pool: ctx.pool, nik: ctx.nik, deps: ctx.deps }, path, { matcher, importedBy, userId: scope.userId, displayName });
    bumpDashboardGeneration(options.kabupatenCode);
    return {
      ...base, ...counts(r.report), batchId: r.batchId, sameFileBatch: r.sameFileBatch, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged,
      newChildren: r.newChildren, newPosyandu: r.newPosyandu.map((p) => ({ id: p.id, name: p.name, desaCode: p.desaCode })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type BatchRow = {
  id: number; kabupaten_code: string | null; kind: string; file_name: string; file_bytes: number | string; status: string; rows_total: number;
  rows_loaded: number; rows_rejected: number; imported_by: string | null; started_at: Date; finished_at: Date | null; undone_at: Date | null;
};

const batchView = (b: BatchRow) => ({
  id: Number(b.id), kabupatenCode: b.kabupaten_code, kind: b.kind, fileName: b.file_name, fileBytes: Number(b.file_bytes),
  status: b.undone_at ? 'undone' : b.status, rowsTotal: b.rows_total, rowsLoaded: b.rows_loaded, rowsRejected: b.rows_rejected, importedBy: b.imported_by,
  startedAt: new Date(b.started_at).toISOString(), finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
});

const BATCH_COLUMNS = ['id', 'kabupaten_code', 'kind', 'file_name', 'file_bytes', 'status', 'rows_total', 'rows_loaded', 'rows_rejected', 'imported_by', 'started_at', 'finished_at', 'undone_at'] as const;

/** Import batches of the kabupaten in scope, newest first. */
export async function scopedImportList(db: Kysely<Database>, scope: AccessScope, filter: { kabupatenCode?: string; limit: number; offset: number }) {
  if (filter.kabupatenCode) assertRegion(scope, filter.kabupatenCode);
  let q = db.selectFrom('import_batch');
  const cond = regionCondition(scope, 'kabupaten_code');
  if (cond) q = q.where(cond);
  if (filter.kabupatenCode) q = q.where('kabupaten_code', '=', filter.kabupatenCode);
  const [rows, total] = await Promise.all([
    q.select(BATCH_COLUMNS as never).orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute() as unknown as Promise<BatchRow[]>,
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { batches: rows.map(batchView), total: Number(total.n) };
}

async function batchInScope(db: Kysely<Database>, scope: AccessScope, id: number): Promise<BatchRow> {
  const b = (await db.selectFrom('import_batch').select(BATCH_COLUMNS as never).where('id', '=', id).executeTakeFirst()) as unknown as BatchRow | undefined;
  if (!b) throw new AppError('not_found', M['ingest.api.batchMissing'], { id }, { status: 404 });
  assertRegion(scope, b.kabupaten_code ?? '-');
  return b;
}

/** One batch in scope with its reject counts per reason. */
export async function scopedImportDetail(db: Kysely<Database>, scope: AccessScope, id: number) {
  const b = await batchInScope(db, scope, id);
  const codes = await db.selectFrom('import_row_error').select(['code', 'message_id', 'message_en', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', '=', id).groupBy(['code', 'message_id', 'message_en']).orderBy('n', 'desc').limit(200).execute();
  return { batch: batchView(b), rejectsByCode: codes.map((c) => ({ code: c.code, count: Number(c.n), message: { id: c.message_id, en: c.message_en } })) };
}

/** The rejected rows of a batch in scope as CSV (UTF-8 with BOM); audited as an export of personal data. */
export async function scopedRejectsCsv(db: Kysely<Database>, scope: AccessScope, id: number): Promise<{ fileName: string; body: string }> {
  const b = await batchInScope(db, scope, id);
  const rows = await db.selectFrom('import_row_error').select(['line', 'field', 'code', 'message_id', 'message_en', 'raw']).where('batch_id', '=', id).orderBy('line').execute();
  let out = '\ufeff' + csvLine(['Baris / Row', 'Kolom / Column', 'Nilai / Value', 'Kode / Code', 'Alasan', 'Reason']);
  for (const r of rows) {
    const raw = typeof r.raw === 'string' ? r.raw : r.raw === null ? '' : JSON.stringify(r.raw);
    out += csvLine([String(r.line), r.field ?? '', raw, r.code, r.message_id, r.message_en]);
  }
  await auditPersonalRead(db, scope, { entity: 'import_row_error', ids: [id], purpose: 'export', action: 'export', kabupatenCode: b.kabupaten_code });
  return { fileName: `ditolak-impor-${id}.csv`, body: out };
}

/** Undoes a batch of a kabupaten in scope. */
export async function scopedUndoImport(ctx: ImportContext, scope: AccessScope, id: number) {
  const b = await batchInScope(ctx.db, scope, id);
  const r = await undoImportBatch({ pool: ctx.pool, deps: ctx.deps }, id, { undoneBy: scope.username, userId: scope.userId });
  if (b.kabupaten_code) bumpDashboardGeneration(b.kabupaten_code);
  return r;
}

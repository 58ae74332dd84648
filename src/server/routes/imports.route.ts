/** Imports: upload (e-PPGBM or a template; dry run), list, detail, rejects download, undo. */
import { idParamsSchema } from '../../api/common.schema.js';
import { importDetailSchema, importListQuerySchema, importListSchema, importResultSchema, importUndoSchema, importUploadBodySchema } from '../../api/imports.schema.js';
import type { AccessScope } from '../../auth/access.js';
import { AppError } from '../../common/app-error.js';
import { defineMessages } from '../../common/i18n.js';
import { scopedImport, scopedImportDetail, scopedImportList, scopedRejectsCsv, scopedUndoImport, type ImportContext } from '../../ingest/scoped-import.service.js';
import { defineRoute, type ServerDeps } from '../route-def.js';
import { sampleOf } from '../test-support/matrix-world.js';
import { DISTRICT_READ_ROLES, DISTRICT_WRITE_ROLES } from './route-roles.js';

const M = defineMessages({
  'imports.route.kabupaten': { id: 'Sebutkan kabupatenCode untuk impor', en: 'Give kabupatenCode for the import' },
  'imports.route.noFile': { id: 'Lampirkan berkas impor', en: 'Attach the file to import' },
});

const ctxOf = (deps: ServerDeps): ImportContext => ({ db: deps.db, pool: deps.handle.pool, nik: deps.handle.nik, deps: { engine: deps.engine, kbm: deps.kbm } });

function ownKabupaten(scope: AccessScope, given: string | undefined): string {
  if (given) return given;
  const kabs = [...new Set((scope.regionCodes ?? []).filter((c) => c.length >= 5).map((c) => c.slice(0, 5)))];
  if (kabs.length === 1) return kabs[0];
  throw new AppError('kabupaten_required', M['imports.route.kabupaten'], {}, { status: 400 });
}

const SAMPLE_CSV = Buffer.from('Nama Anak;JK;Tgl Lahir;Tanggal Pengukuran;Berat;Tinggi;Desa/Kel;Posyandu\nAnak Uji;L;2023-01-05;2025-03-10;10,2;80,1;Candi;Posyandu Matriks A\n', 'utf8');

export const importUploadRoute = defineRoute({
  id: 'imports.create', method: 'POST', path: '/api/v1/imports', tag: 'imports', status: 201,
  summary: { id: 'Unggah berkas e-PPGBM atau templat (bisa uji coba)', en: 'Upload an e-PPGBM export or a template (dry run possible)' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES, personal: true },
  body: importUploadBodySchema, response: importResultSchema,
  upload: { maxBytes: 50 * 1024 * 1024, extensions: ['.xls', '.xlsx', '.csv'] },
  matrix: (w, t) => ({ body: { kind: 'eppgbm', kabupatenCode: sampleOf(w, t).kabupatenCode, dryRun: 'true' }, upload: { fileName: 'uji.csv', bytes: SAMPLE_CSV } }),
  handler: async ({ deps, scope, body, upload }) => {
    if (!upload) throw new AppError('upload_missing', M['imports.route.noFile'], {}, { status: 400 });
    return scopedImport(ctxOf(deps), scope, upload, { kind: body.kind, kabupatenCode: ownKabupaten(scope, body.kabupatenCode), dryRun: body.dryRun });
  },
});

export const importListRoute = defineRoute({
  id: 'imports.list', method: 'GET', path: '/api/v1/imports', tag: 'imports',
  summary: { id: 'Riwayat impor', en: 'Import history' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  query: importListQuerySchema, response: importListSchema,
  matrix: (w, t) => ({ query: { kabupatenCode: sampleOf(w, t).kabupatenCode } }),
  handler: async ({ deps, scope, query }) => scopedImportList(deps.db, scope, query),
});

export const importGetRoute = defineRoute({
  id: 'imports.get', method: 'GET', path: '/api/v1/imports/:id', tag: 'imports',
  summary: { id: 'Ringkasan satu impor', en: 'Summary of one import' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, response: importDetailSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).importBatchId) } }),
  handler: async ({ deps, scope, params }) => scopedImportDetail(deps.db, scope, params.id),
});

export const importRejectsRoute = defineRoute({
  id: 'imports.rejects', method: 'GET', path: '/api/v1/imports/:id/rejects', tag: 'imports',
  summary: { id: 'Unduh baris yang ditolak (CSV, data pribadi)', en: 'Download the rejected rows (CSV, personal data)' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES, personal: true },
  params: idParamsSchema, response: { kind: 'file', contentType: 'text/csv; charset=utf-8' },
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).importBatchId) } }),
  handler: async ({ deps, scope, params }) => {
    const r = await scopedRejectsCsv(deps.db, scope, params.id);
    return { kind: 'file' as const, fileName: r.fileName, contentType: 'text/csv; charset=utf-8', body: r.body };
  },
});

export const importUndoRoute = defineRoute({
  id: 'imports.undo', method: 'POST', path: '/api/v1/imports/:id/undo', tag: 'imports',
  summary: { id: 'Batalkan impor', en: 'Undo an import' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  params: idParamsSchema, response: importUndoSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).importBatchId) } }),
  handler: async ({ deps, scope, params }) => scopedUndoImport(ctxOf(deps), scope, params.id),
});

export const IMPORT_ROUTES = [importUploadRoute, importListRoute, importGetRoute, importRejectsRoute, importUndoRoute];

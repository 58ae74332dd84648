/**
 * Imports of e-PPGBM exports and filled templates (pure zod, shared with the web app). The upload
 * is multipart: the file in field `file`, the other fields below as form fields.
 */
import { z } from 'zod';
import { bilingualSchema, regionCodeSchema } from './common.schema.js';

export const TEMPLATE_KIND_NAMES = ['ibu-hamil', 'ibu-nifas', 'remaja-putri', 'catin', 'keluarga', 'kunjungan-tpk', 'sektor'] as const;
export const IMPORT_KIND_NAMES = ['eppgbm', ...TEMPLATE_KIND_NAMES] as const;

const boolField = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

export const importUploadBodySchema = z.object({
  kind: z.enum(IMPORT_KIND_NAMES).default('eppgbm'),
  /** The kabupaten the file belongs to (default: the caller's own). */
  kabupatenCode: regionCodeSchema.optional(),
  /** Validate only: nothing is stored. */
  dryRun: boolField.default(false),
});
export type ImportUploadBody = z.infer<typeof importUploadBodySchema>;

export const rowIssueSchema = z.object({ row: z.number().int(), column: z.string(), value: z.string(), reason: bilingualSchema });

export const importResultSchema = z.object({
  kind: z.enum(IMPORT_KIND_NAMES),
  file: z.string(),
  dryRun: z.boolean(),
  batchId: z.number().int().nullable(),
  /** Set when the very same file had been imported before (nothing changed). */
  sameFileBatch: z.number().int().nullable(),
  read: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  warningCount: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  newChildren: z.number().int(),
  newPosyandu: z.array(z.object({ id: z.number().int(), name: z.string(), desaCode: z.string() })),
  /** The first rejects (the full list: GET /imports/:id/rejects). */
  rejects: z.array(rowIssueSchema),
  warnings: z.array(rowIssueSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const importBatchSchema = z.object({
  id: z.number().int(),
  kabupatenCode: z.string().nullable(),
  kind: z.string(),
  fileName: z.string(),
  fileBytes: z.number().int(),
  status: z.string(),
  rowsTotal: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsRejected: z.number().int(),
  importedBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportBatch = z.infer<typeof importBatchSchema>;

export const importListQuerySchema = z.object({
  kabupatenCode: regionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const importListSchema = z.object({ batches: z.array(importBatchSchema), total: z.number().int() });
export type ImportList = z.infer<typeof importListSchema>;

export const importDetailSchema = z.object({
  batch: importBatchSchema,
  /** Reject counts per reason code (the full list is the CSV download). */
  rejectsByCode: z.array(z.object({ code: z.string(), count: z.number().int(), message: bilingualSchema })),
});
export type ImportDetail = z.infer<typeof importDetailSchema>;

export const importUndoSchema = z.object({
  batchId: z.number().int(), removed: z.number().int(), restored: z.number().int(), children: z.number().int(), posyandu: z.number().int(),
});
export type ImportUndo = z.infer<typeof importUndoSchema>;

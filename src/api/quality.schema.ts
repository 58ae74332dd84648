/**
 * Data validity (posyandu ranking with problems and fixes) and duplicate review (pure zod).
 */
import { z } from 'zod';
import { bilingualSchema, monthSchema } from './common.schema.js';

export const qualityQuerySchema = z.object({ month: monthSchema.optional() });
export const qualityRankingSchema = z.object({
  month: z.string().nullable(),
  threshold: z.number(),
  rows: z.array(z.object({
    rank: z.number().int(),
    posyanduId: z.number().int(),
    posyandu: z.string(),
    desaCode: z.string(),
    desa: z.string(),
    puskesmas: z.string(),
    score: z.number().nullable(),
    children: z.number().int(),
    measurements: z.number().int(),
    duplicateRecords: z.number().int(),
    eppgbmDisagreements: z.number().int(),
    problems: z.array(z.object({ component: z.string(), deduction: z.number(), problem: bilingualSchema, fix: bilingualSchema })),
  })),
});
export type QualityRanking = z.infer<typeof qualityRankingSchema>;

export const DUPLICATE_STATUS_NAMES = ['usulan', 'digabung', 'ditolak'] as const;
export const duplicatesQuerySchema = z.object({ status: z.enum(DUPLICATE_STATUS_NAMES).optional() });
/** Candidate pairs (CONFIDENTIAL: names and birth dates). */
export const duplicateListSchema = z.object({
  candidates: z.array(z.object({
    id: z.number().int(), childA: z.number().int(), childB: z.number().int(), desaCode: z.string(), posyanduId: z.number().int().nullable(),
    score: z.number(), level: z.string(), reasons: z.array(z.string()), status: z.enum(DUPLICATE_STATUS_NAMES),
    nameA: z.string(), nameB: z.string(), birthA: z.string(), birthB: z.string(), motherA: z.string().nullable(), motherB: z.string().nullable(),
    measurementsA: z.number().int(), measurementsB: z.number().int(),
  })),
  merges: z.array(z.object({
    id: z.number().int(), survivorId: z.number().int(), mergedId: z.number().int(), mergedAt: z.string(), undoneAt: z.string().nullable(), items: z.number().int(),
  })),
});
export type DuplicateList = z.infer<typeof duplicateListSchema>;

export const mergeBodySchema = z.object({ survivorId: z.number().int().positive(), mergedId: z.number().int().positive() });
export type MergeBody = z.infer<typeof mergeBodySchema>;
export const mergeResultSchema = z.object({
  mergeId: z.number().int(), survivorId: z.number().int(), mergedId: z.number().int(), measurementsMoved: z.number().int(),
  servicesMoved: z.number().int(), growthRecomputed: z.boolean(),
});
export type MergeResultBody = z.infer<typeof mergeResultSchema>;

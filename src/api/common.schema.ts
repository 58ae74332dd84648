/**
 * Building blocks shared by every API schema (pure zod: the web app imports this file too).
 */
import { z } from 'zod';

/** A text in Bahasa Indonesia and English. */
export const bilingualSchema = z.object({ id: z.string(), en: z.string() });
export type BilingualText = z.infer<typeof bilingualSchema>;

/** A Kemendagri region code: provinsi 62, kabupaten 62.01, kecamatan 62.01.03, desa 62.01.03.2004. */
export const regionCodeSchema = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'kode wilayah / region code');
export const regionParamsSchema = z.object({ code: regionCodeSchema });
export type RegionParams = z.infer<typeof regionParamsSchema>;

/** A numeric id in the path. */
export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(2 ** 53 - 1) });
export type IdParams = z.infer<typeof idParamsSchema>;

/** yyyy-mm-dd */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
/** yyyy-mm */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'yyyy-mm');

export const okSchema = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof okSchema>;

/** The error body of every failed request. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: bilingualSchema, details: z.unknown().optional(), requestId: z.string().optional() }),
});
export type ErrorResponse = z.infer<typeof errorSchema>;

/** Routine prevalence of one unit and period (counts, rate, Wilson 95 % CI, coverage D/S). */
export const prevalenceSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  registered: z.number().int(),
  measured: z.number().int(),
  flaggedExcluded: z.number().int(),
  prevalence: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  coverage: z.number().nullable(),
  coverageAboveRegistered: z.boolean(),
});
export type PrevalenceFigure = z.infer<typeof prevalenceSchema>;

export const ROUTINE_INDICATOR_NAMES = ['stunting', 'severe_stunting', 'wasting', 'severe_wasting', 'underweight', 'overweight'] as const;
export const routineIndicatorSchema = z.enum(ROUTINE_INDICATOR_NAMES);

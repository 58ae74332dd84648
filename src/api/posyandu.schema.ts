/**
 * The posyandu day: children of a posyandu, measurements, growth preview, registration, child
 * profile, growth card and WHO curves (pure zod, shared with the web app).
 */
import { z } from 'zod';
import { bilingualSchema, isoDateSchema, regionCodeSchema } from './common.schema.js';

export const statusSchema = z.object({ code: z.string(), id: z.string(), en: z.string(), flagged: z.boolean().optional() });

/** The inputs a kader types for one child. */
export const measurementInputSchema = z.object({
  measuredOn: isoDateSchema,
  weightKg: z.number().positive().max(60).nullable().optional(),
  lenheiCm: z.number().positive().max(150).nullable().optional(),
  position: z.enum(['L', 'H']).nullable().optional(),
  oedema: z.boolean().optional(),
  muacCm: z.number().positive().max(40).nullable().optional(),
  headCm: z.number().positive().max(70).nullable().optional(),
});

export const measurementCreateSchema = measurementInputSchema.extend({
  childId: z.number().int().positive(),
});
export type MeasurementCreate = z.infer<typeof measurementCreateSchema>;

export const measurementPatchSchema = measurementInputSchema.partial();
export type MeasurementPatch = z.infer<typeof measurementPatchSchema>;

/** Warnings before saving: implausible values (flags), engine issues, big changes since last time. */
export const growthWarningSchema = z.object({ code: z.string(), field: z.string(), message: bilingualSchema });

/** Weight gain against the previous weighing (Permenkes / KMS): N naik, T tidak naik, O/B. */
export const weightGainSchema = z.object({
  code: z.enum(['N', 'T', 'O', 'B']).nullable(),
  twoT: z.boolean(),
  reason: bilingualSchema,
  previous: z.object({ measuredOn: z.string(), weightKg: z.number().nullable() }).nullable(),
});

export const growthValuesSchema = z.object({
  ageDays: z.number().nullable(),
  ageMonths: z.number().nullable(),
  zwei: z.number().nullable(), fwei: z.number().int().nullable(),
  zlen: z.number().nullable(), flen: z.number().int().nullable(),
  zwfl: z.number().nullable(), fwfl: z.number().int().nullable(),
  zbmi: z.number().nullable(), fbmi: z.number().int().nullable(),
  zac: z.number().nullable(), fac: z.number().int().nullable(),
  zhc: z.number().nullable(), fhc: z.number().int().nullable(),
  status: z.object({
    weightForAge: statusSchema.nullable(),
    lengthForAge: statusSchema.nullable(),
    weightForLength: statusSchema.nullable(),
    bmiForAge: statusSchema.nullable(),
  }),
  weightGain: weightGainSchema,
  warnings: z.array(growthWarningSchema),
});
export type GrowthValues = z.infer<typeof growthValuesSchema>;

export const growthPreviewBodySchema = measurementInputSchema.extend({
  /** A stored child (birth date, sex and previous weighing read from it) … */
  childId: z.number().int().positive().optional(),
  /** … or a child not registered yet. */
  sex: z.union([z.literal(1), z.literal(2)]).optional(),
  birthDate: isoDateSchema.optional(),
}).refine((b) => b.childId !== undefined || (b.sex !== undefined && b.birthDate !== undefined), { message: 'childId, or sex and birthDate' });
export type GrowthPreviewBody = z.infer<typeof growthPreviewBodySchema>;

export const storedMeasurementSchema = growthValuesSchema.omit({ weightGain: true, warnings: true }).extend({
  id: z.number().int(),
  childId: z.number().int(),
  measuredOn: z.string(),
  desaCode: z.string(),
  posyanduId: z.number().int().nullable(),
  weightKg: z.number().nullable(),
  lenheiCm: z.number().nullable(),
  position: z.enum(['L', 'H']).nullable(),
  oedema: z.boolean(),
  muacCm: z.number().nullable(),
  headCm: z.number().nullable(),
  weightGain: z.enum(['N', 'T', 'O', 'B']).nullable(),
  twoT: z.boolean(),
  source: z.string(),
});
export type StoredMeasurement = z.infer<typeof storedMeasurementSchema>;

/** A saved measurement: the stored row plus the N/T reason and warnings the form shows. */
export const measurementSavedSchema = z.object({
  measurement: storedMeasurementSchema,
  weightGain: weightGainSchema,
  warnings: z.array(growthWarningSchema),
  /** True when an identical measurement of the child on that date was already stored (an offline entry synced twice): nothing new was written. */
  replayed: z.boolean(),
});
export type MeasurementSaved = z.infer<typeof measurementSavedSchema>;

export const posyanduChildrenQuerySchema = z.object({ date: isoDateSchema.optional() });
export const posyanduChildrenSchema = z.object({
  posyandu: z.object({ id: z.number().int(), name: z.string(), desaCode: z.string() }),
  date: z.string(),
  children: z.array(z.object({
    id: z.number().int(),
    name: z.string(),
    sex: z.union([z.literal(1), z.literal(2)]),
    birthDate: z.string(),
    ageMonths: z.number().int(),
    motherName: z.string().nullable(),
    nikLast4: z.string().nullable(),
    last: storedMeasurementSchema.nullable(),
    /** Measured on the chosen date already (the entry is then an edit). */
    measuredOnDate: z.boolean(),
  })),
});
export type PosyanduChildren = z.infer<typeof posyanduChildrenSchema>;

export const childCreateSchema = z.object({
  desaCode: regionCodeSchema,
  posyanduId: z.number().int().positive().nullable().optional(),
  name: z.string().trim().min(1).max(120),
  sex: z.union([z.literal(1), z.literal(2)]),
  birthDate: isoDateSchema,
  nik: z.string().max(40).nullable().optional(),
  motherName: z.string().trim().max(120).nullable().optional(),
  birthWeightKg: z.number().positive().max(8).nullable().optional(),
  birthLengthCm: z.number().positive().max(70).nullable().optional(),
  familyId: z.number().int().positive().nullable().optional(),
});
export type ChildCreate = z.infer<typeof childCreateSchema>;

export const childSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  sex: z.union([z.literal(1), z.literal(2)]),
  birthDate: z.string(),
  desaCode: z.string(),
  desaName: z.string(),
  posyanduId: z.number().int().nullable(),
  posyanduName: z.string().nullable(),
  motherName: z.string().nullable(),
  nikLast4: z.string().nullable(),
  registeredOn: z.string(),
  exitedOn: z.string().nullable(),
});
export type ChildSummary = z.infer<typeof childSummarySchema>;

export const childProfileSchema = z.object({
  child: childSummarySchema,
  measurements: z.array(storedMeasurementSchema),
  alerts: z.array(z.object({
    id: z.number().int(), kind: z.string(), month: z.string(), status: z.string(), reason: bilingualSchema, action: bilingualSchema,
  })),
  services: z.array(z.object({
    code: z.string(), name: bilingualSchema, servedOn: z.string(), provider: z.string(), quantity: z.number().nullable(), unit: z.string().nullable(),
  })),
  family: z.object({
    id: z.number().int(),
    atRisk: z.boolean(),
    /** Risk factors that are true (unsafe_water, poor_sanitation, wife_too_young, …). */
    riskFactors: z.array(z.string()),
    assessedOn: z.string().nullable(),
    tpkAccompanied: z.boolean(),
  }).nullable(),
});
export type ChildProfile = z.infer<typeof childProfileSchema>;

export const growthCardQuerySchema = z.object({ format: z.enum(['html', 'pdf']).default('html') });

export const GROWTH_CURVE_INDICATORS = ['wfa', 'lhfa', 'wfl', 'wfh', 'bfa', 'hcfa', 'acfa'] as const;
export const growthCurvesQuerySchema = z.object({
  indicator: z.enum(GROWTH_CURVE_INDICATORS),
  sex: z.coerce.number().int().min(1).max(2).transform((s) => s as 1 | 2),
});
export const growthCurvesSchema = z.object({
  indicator: z.enum(GROWTH_CURVE_INDICATORS),
  sex: z.union([z.literal(1), z.literal(2)]),
  /** x: age in days (age-based) or length/height in cm. */
  xUnit: z.enum(['days', 'cm']),
  yUnit: z.enum(['kg', 'cm', 'kg/m2']),
  /** One point per x: the values at z = −3, −2, −1, 0, +1, +2, +3. */
  points: z.array(z.object({ x: z.number(), sd: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]) })),
});
export type GrowthCurves = z.infer<typeof growthCurvesSchema>;

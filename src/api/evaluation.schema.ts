/**
 * Evaluation: rounds, scorecard by level and sector, barriers, the follow-up actions board, the
 * roles matrix, report downloads; and the district's targets and configuration (pure zod).
 */
import { z } from 'zod';
import { isoDateSchema, regionCodeSchema } from './common.schema.js';

export const ROUND_KINDS = ['annual', 'semester', 'other'] as const;
export const SECTOR_NAMES = ['hasil', 'kesehatan', 'keluarga_berencana', 'air_sanitasi', 'perlindungan_sosial', 'komunikasi'] as const;
export const STAKEHOLDER_TYPES = ['opd', 'pkk', 'tpk', 'kader', 'nakes', 'pemdes', 'csr', 'lainnya'] as const;
export const ACTION_STATUSES = ['direncanakan', 'berjalan', 'selesai', 'terlambat', 'dibatalkan'] as const;
export const BARRIER_LEVELS = ['desa', 'kecamatan', 'sektor', 'kabupaten'] as const;
export const INTERVENTION_LINES = ['spesifik', 'sensitif', 'tata_kelola', 'data'] as const;

export const roundSchema = z.object({
  id: z.number().int(),
  kabupatenCode: z.string(),
  title: z.string(),
  kind: z.enum(ROUND_KINDS),
  period: z.object({ start: z.string(), end: z.string() }),
  heldOn: z.string().nullable(),
  place: z.string().nullable(),
  participants: z.array(z.string()),
  notes: z.string().nullable(),
  status: z.enum(['draft', 'final']),
  frozenAt: z.string().nullable(),
  asOf: z.string().nullable(),
  previousId: z.number().int().nullable(),
});
export type RoundView = z.infer<typeof roundSchema>;

export const roundListQuerySchema = z.object({ kabupatenCode: regionCodeSchema.optional() });
export const roundListSchema = z.object({ rounds: z.array(roundSchema) });

export const roundCreateSchema = z.object({
  kabupatenCode: regionCodeSchema,
  title: z.string().trim().min(3).max(200),
  kind: z.enum(ROUND_KINDS),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
  heldOn: isoDateSchema.nullable().optional(),
  place: z.string().max(200).nullable().optional(),
  participants: z.array(z.string().max(200)).max(200).optional(),
  notes: z.string().max(5000).nullable().optional(),
});
export type RoundCreate = z.infer<typeof roundCreateSchema>;

export const scorecardQuerySchema = z.object({
  level: z.enum(['kabupaten', 'kecamatan', 'desa']).optional(),
  sector: z.enum(SECTOR_NAMES).optional(),
  /** Only rows of this region (and below). */
  region: regionCodeSchema.optional(),
});
export const scorecardSchema = z.object({
  roundId: z.number().int(),
  period: z.object({ start: z.string(), end: z.string() }),
  targetYear: z.number().int(),
  indicators: z.array(z.object({ id: z.string(), nameId: z.string(), nameEn: z.string(), unit: z.string(), direction: z.string(), sector: z.string(), opd: z.string() })),
  rows: z.array(z.object({
    indicatorId: z.string(), regionCode: z.string(), level: z.string(), sector: z.string(), method: z.string(),
    value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable(),
    target: z.number().nullable(), targetSource: z.string().nullable(), status: z.string(), ratio: z.number().nullable(),
    previous: z.number().nullable(), trend: z.string(), delta: z.number().nullable(), completeness: z.number().nullable(), source: z.string(),
  })),
});
export type ScorecardView = z.infer<typeof scorecardSchema>;

export const barrierSchema = z.object({
  id: z.number().int(), evaluationId: z.number().int(), level: z.enum(BARRIER_LEVELS), description: z.string(), category: z.string().nullable(),
  indicatorId: z.string().nullable(), regionCode: z.string().nullable(), sector: z.string().nullable(), interventionLine: z.enum(INTERVENTION_LINES).nullable(),
});
export const barrierListSchema = z.object({ barriers: z.array(barrierSchema) });
export const barrierCreateSchema = z.object({
  level: z.enum(BARRIER_LEVELS),
  description: z.string().trim().min(3).max(2000),
  category: z.string().max(100).nullable().optional(),
  indicatorId: z.string().max(20).nullable().optional(),
  regionCode: regionCodeSchema.nullable().optional(),
  sector: z.string().max(100).nullable().optional(),
  interventionLine: z.enum(INTERVENTION_LINES).nullable().optional(),
});
export type BarrierCreate = z.infer<typeof barrierCreateSchema>;

export const actionSchema = z.object({
  id: z.number().int(), evaluationId: z.number().int().nullable(), barrierId: z.number().int().nullable(), title: z.string(), description: z.string().nullable(),
  stakeholderType: z.enum(STAKEHOLDER_TYPES), stakeholderName: z.string().nullable(), owner: z.string(), dueOn: z.string(),
  status: z.enum(ACTION_STATUSES), daysOverdue: z.number().int(), completedOn: z.string().nullable(),
  indicatorIds: z.array(z.string()), regionCodes: z.array(z.string()), partnerId: z.number().int().nullable(),
  notes: z.array(z.object({ notedAt: z.string(), progressPercent: z.number().nullable(), note: z.string(), evidence: z.string().nullable(), evidenceUrl: z.string().nullable() })),
});
export type ActionView = z.infer<typeof actionSchema>;
export const actionListQuerySchema = z.object({ status: z.enum(ACTION_STATUSES).optional(), stakeholderType: z.enum(STAKEHOLDER_TYPES).optional() });
export const actionListSchema = z.object({ actions: z.array(actionSchema) });
export const actionCreateSchema = z.object({
  barrierId: z.number().int().positive().nullable().optional(),
  title: z.string().trim().min(3).max(300),
  description: z.string().max(5000).nullable().optional(),
  stakeholderType: z.enum(STAKEHOLDER_TYPES),
  stakeholderName: z.string().max(200).nullable().optional(),
  owner: z.string().trim().min(1).max(200),
  dueOn: isoDateSchema,
  indicatorIds: z.array(z.string().max(20)).max(50).optional(),
  regionCodes: z.array(regionCodeSchema).max(200).optional(),
});
export type ActionCreate = z.infer<typeof actionCreateSchema>;
export const actionUpdateSchema = z.object({
  status: z.enum(['direncanakan', 'berjalan', 'selesai', 'dibatalkan']).optional(),
  note: z.string().trim().min(1).max(5000).optional(),
  progressPercent: z.number().min(0).max(100).nullable().optional(),
  evidence: z.string().max(500).nullable().optional(),
  evidenceUrl: z.string().url().max(1000).nullable().optional(),
}).refine((b) => b.status !== undefined || b.note !== undefined, { message: 'status or note' });
export type ActionUpdate = z.infer<typeof actionUpdateSchema>;

export const rolesSchema = z.object({
  offTrack: z.number().int(),
  cells: z.array(z.object({
    stakeholderType: z.enum(STAKEHOLDER_TYPES), stakeholder: z.string(), indicatorId: z.string(), regionCode: z.string(),
    actions: z.array(z.number().int()), commitments: z.array(z.number().int()),
  })),
  gaps: z.array(z.object({ indicatorId: z.string(), desaCode: z.string(), status: z.string() })),
});
export type RolesView = z.infer<typeof rolesSchema>;

export const reportQuerySchema = z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf') });

/** District targets (admin/TPPS): a target per indicator, year, level and region. */
export const targetSchema = z.object({
  id: z.number().int(), indicatorId: z.string(), year: z.number().int(), level: z.enum(['nasional', 'provinsi', 'kabupaten', 'kecamatan', 'desa']),
  regionCode: z.string().nullable(), value: z.number(), sourceKey: z.string(), verified: z.boolean(), note: z.string().nullable(),
  origin: z.enum(['catalogue', 'district']),
});
export const targetListQuerySchema = z.object({ kabupatenCode: regionCodeSchema.optional(), year: z.coerce.number().int().min(2000).max(2100).optional() });
export const targetListSchema = z.object({ targets: z.array(targetSchema) });
export const targetPutSchema = z.object({
  kabupatenCode: regionCodeSchema,
  targets: z.array(z.object({
    indicatorId: z.string().max(20),
    year: z.number().int().min(2000).max(2100),
    regionCode: regionCodeSchema,
    value: z.number().finite(),
    sourceKey: z.string().max(100).default('district'),
    note: z.string().max(1000).nullable().optional(),
  })).max(2000),
});
export type TargetPut = z.infer<typeof targetPutSchema>;

export const configQuerySchema = z.object({ kabupatenCode: regionCodeSchema.optional() });
/** The analytics configuration in force (defaults merged with the district's changes). */
export const configSchema = z.object({ kabupatenCode: z.string(), config: z.record(z.string(), z.unknown()) });
export const configPutSchema = z.object({ kabupatenCode: regionCodeSchema, patch: z.record(z.string(), z.unknown()) });
export type ConfigPut = z.infer<typeof configPutSchema>;

/**
 * Regions, dashboard, map, SKDN, alerts and priority villages (pure zod, shared with the web app).
 */
import { z } from 'zod';
import { bilingualSchema, monthSchema, prevalenceSchema, regionCodeSchema, routineIndicatorSchema } from './common.schema.js';

export const REGION_LEVELS = ['provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa', 'kelurahan'] as const;

/** One region of the tree; `visible` false = shown only as the parent of a visible region. */
export const regionNodeSchema = z.object({
  code: regionCodeSchema,
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  visible: z.boolean(),
});
export const regionTreeSchema = z.object({ regions: z.array(regionNodeSchema) });
export type RegionNode = z.infer<typeof regionNodeSchema>;
export type RegionTree = z.infer<typeof regionTreeSchema>;

/** Posyandu of a region the caller may see (the posyandu-day picker). */
export const posyanduListSchema = z.object({
  posyandu: z.array(z.object({ id: z.number().int(), name: z.string(), desaCode: z.string(), desaName: z.string() })),
});
export type PosyanduList = z.infer<typeof posyanduListSchema>;

/** GeoJSON of the desa below a region (properties: code, name, centroid). */
export const boundariesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    properties: z.object({ code: z.string(), name: z.string(), level: z.string(), centroid: z.tuple([z.number(), z.number()]) }),
    geometry: z.unknown(),
  })),
});
export type Boundaries = z.infer<typeof boundariesSchema>;

export const dashboardQuerySchema = z.object({
  /** The month shown (default: latest month with data in the kabupaten). */
  month: monthSchema.optional(),
  indicator: routineIndicatorSchema.default('stunting'),
  /** Length of the trend series in months. */
  months: z.coerce.number().int().min(1).max(60).default(24),
});
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

export const validityBadgeSchema = z.object({
  code: z.string(),
  name: z.string(),
  score: z.number().nullable(),
  children: z.number().int(),
  /** good ≥ 90, fair ≥ 75, poor < 75, unscored = too few children to judge or not scored yet. */
  badge: z.enum(['good', 'fair', 'poor', 'unscored']),
  problems: z.array(bilingualSchema),
});

export const dashboardSchema = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.string(), kabupatenCode: z.string() }),
  indicator: routineIndicatorSchema,
  /** yyyy-mm, null when the kabupaten has no data yet. */
  month: z.string().nullable(),
  cards: z.object({
    routine: prevalenceSchema,
    survey: z.object({
      survey: z.string(), year: z.number().int(), valuePercent: z.number(), ciLowPercent: z.number().nullable(),
      ciHighPercent: z.number().nullable(), source: z.string(),
    }).nullable(),
    measuredThisMonth: z.number().int(),
    registered: z.number().int(),
    openAlerts: z.number().int(),
    overdueActions: z.number().int(),
  }),
  trend: z.array(prevalenceSchema.extend({ month: z.string() })),
  /** Per desa (the choropleth): raw and shrunk rate of the month. */
  desa: z.array(prevalenceSchema.extend({ code: z.string(), name: z.string(), shrunkRate: z.number().nullable() })),
  priority: z.array(z.object({
    desaCode: z.string(), name: z.string(), rank: z.number().int().nullable(), index: z.number().nullable(),
    status: z.enum(['ranked', 'verify_data', 'no_data']), inLokus: z.boolean(), reasons: z.array(bilingualSchema),
  })),
  validity: z.array(validityBadgeSchema),
  generatedAt: z.string(),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const skdnQuerySchema = z.object({ month: monthSchema.optional() });
const skdnFigures = {
  S: z.number().int(), K: z.number().int(), D: z.number().int(), N: z.number().int(), ndDenominator: z.number().int(), twoT: z.number().int(),
  KS: z.number().nullable(), DS: z.number().nullable(), ND: z.number().nullable(), NS: z.number().nullable(),
};
export const skdnSchema = z.object({
  month: z.string().nullable(),
  convention: z.enum(['weighed_both_months', 'weighed_this_month']),
  total: z.object(skdnFigures),
  posyandu: z.array(z.object({ posyanduId: z.number().int(), posyanduName: z.string(), desaCode: z.string(), ...skdnFigures })),
});
export type Skdn = z.infer<typeof skdnSchema>;

export const ALERT_KIND_NAMES = ['T', '2T', 'BGM', 'newly_stunted', 'haz_falling', 'wasted', 'severely_wasted', 'not_weighed', 'kek_no_pmt'] as const;
export const ALERT_STATUS_NAMES = ['open', 'followed_up', 'closed'] as const;

export const alertsQuerySchema = z.object({
  month: monthSchema.optional(),
  status: z.enum(ALERT_STATUS_NAMES).optional(),
  posyanduId: z.coerce.number().int().positive().optional(),
  kind: z.enum(ALERT_KIND_NAMES).optional(),
});
export type AlertsQuery = z.infer<typeof alertsQuerySchema>;

/** The by-name alert list (CONFIDENTIAL). */
export const alertListSchema = z.object({
  month: z.string().nullable(),
  alerts: z.array(z.object({
    id: z.number().int(),
    kind: z.enum(ALERT_KIND_NAMES),
    month: z.string(),
    status: z.enum(ALERT_STATUS_NAMES),
    desaCode: z.string(),
    posyanduId: z.number().int().nullable(),
    posyanduName: z.string().nullable(),
    subject: z.enum(['child', 'ibu_hamil']),
    subjectId: z.number().int(),
    name: z.string(),
    motherName: z.string().nullable(),
    sex: z.union([z.literal(1), z.literal(2)]).nullable(),
    ageMonths: z.number().int().nullable(),
    reason: bilingualSchema,
    action: bilingualSchema,
    followedUpBy: z.string().nullable(),
    followedUpAt: z.string().nullable(),
    followUpNote: z.string().nullable(),
  })),
});
export type AlertList = z.infer<typeof alertListSchema>;

export const alertFollowUpBodySchema = z.object({
  status: z.enum(ALERT_STATUS_NAMES),
  by: z.string().trim().min(1).max(120).optional(),
  note: z.string().max(2000).nullable().optional(),
});
export type AlertFollowUpBody = z.infer<typeof alertFollowUpBodySchema>;

export const priorityQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const prioritySchema = z.object({
  year: z.number().int(),
  kabupatenCode: z.string(),
  lokusCount: z.number().int(),
  lokusInTop: z.number().int(),
  rows: z.array(z.object({
    desaCode: z.string(), name: z.string(), status: z.enum(['ranked', 'verify_data', 'no_data']), rank: z.number().int().nullable(),
    index: z.number().nullable(), inLokus: z.boolean(), lokusText: bilingualSchema.nullable(), note: bilingualSchema.nullable(),
    components: z.array(z.object({
      component: z.enum(['shrunkPrevalence', 'stuntedChildren', 'trend', 'coverageGap']), value: z.number().nullable(), scaled: z.number().nullable(),
      weight: z.number(), effectiveWeight: z.number(), points: z.number(), text: bilingualSchema,
    })),
  })),
});
export type Priority = z.infer<typeof prioritySchema>;


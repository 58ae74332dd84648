/**
 * The analytics configuration a district may change: SKDN's N/D convention, alert thresholds,
 * coverage target groups, convergence packages and the priority-index weights. Defaults ship in
 * data/analytics/config.json; a district's changes are stored in analytics_setting (audited) and
 * merged over them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../reference/who-tables.js';

/** Target groups the coverage batch job can count by name (definitions in coverage.job.ts). */
export const COVERAGE_GROUPS = [
  'ibu_hamil_kek', 'ibu_hamil_delivered', 'remaja_putri', 'bayi_turned_6m', 'baduta_6_23m', 'balita_severely_wasted',
  'balita_wasted', 'anak_turned_12m', 'ibu_nifas', 'catin', 'krs_family',
] as const;
export type CoverageGroup = (typeof COVERAGE_GROUPS)[number];

/** Conditions under which a package item is due (a KEK pregnancy, a family without safe water …). */
export const PACKAGE_CONDITIONS = ['kek', 'unsafe_water', 'poor_sanitation', 'poor'] as const;

const packageItem = z.object({
  code: z.string().regex(/^[A-Z0-9_]{2,40}$/).describe('intervention code (table intervention)'),
  fromAgeMonths: z.number().int().min(0).max(59).optional().describe('due only for children at least this old (completed months) at the end of the year'),
  when: z.enum(PACKAGE_CONDITIONS).optional().describe('due only when the target has this condition'),
  within: z.enum(['year', 'ever']).default('year').describe('received in the year (recurring services) or at any time up to its end (once-only services)'),
  minQuantity: z.number().positive().optional().describe('received only when the quantities recorded add up to at least this (e.g. 90 TTD tablets)'),
});

export const analyticsConfigSchema = z.object({
  description: z.string().optional(),
  skdn: z.object({
    ndDenominator: z
      .enum(['weighed_both_months', 'weighed_this_month'])
      .describe('N/D denominator: children weighed this month and last month (codes N + T, excluding O and B; DOMAIN.md §5.3 convention) or every child weighed this month (D)'),
  }),
  alerts: z.object({
    bgmWazBelow: z.number().describe('BGM (below the red line): weight-for-age z below this'),
    stuntingHazBelow: z.number().describe('stunted: length/height-for-age z below this'),
    hazFallAtLeast: z.number().positive().describe('HAZ falling: a drop of at least this many z within the window'),
    hazFallWindowDays: z.number().int().positive().describe('HAZ falling: earlier measurements within this many days count'),
    wastingWhzBelow: z.number().describe('wasted: weight-for-length/height z below this'),
    severeWastingWhzBelow: z.number().describe('severely wasted: WHZ below this (or bilateral oedema)'),
    notWeighedMonths: z.number().int().min(1).describe('not weighed: no weighing in this many months up to the alert month'),
    kekPmtIntervention: z.string().describe('intervention code that counts as PMT for an ibu hamil KEK'),
  }),
  smallArea: z.object({
    parent: z.enum(['kecamatan']).describe('desa and posyandu rates are shrunk toward this level'),
  }),
  coverage: z.object({
    targets: z.record(z.string(), z.object({ group: z.enum(COVERAGE_GROUPS), minQuantity: z.number().positive().optional() }))
      .describe('interventions counted by name: the target group that is the denominator, optional minimum quantity per recipient'),
    sector: z.record(z.string(), z.string().regex(/^[A-Z]{2,4}-[0-9]{2,3}$/))
      .describe('interventions whose coverage comes from sector figures (indicator_value of this indicator) when no by-name target is set'),
  }),
  convergence: z.object({
    baduta: z.array(packageItem),
    ibu_hamil: z.array(packageItem),
    krs_family: z.array(packageItem),
  }),
  priority: z.object({
    weights: z.object({
      shrunkPrevalence: z.number().min(0),
      stuntedChildren: z.number().min(0),
      trend: z.number().min(0),
      coverageGap: z.number().min(0),
    }).refine((w) => w.shrunkPrevalence + w.stuntedChildren + w.trend + w.coverageGap > 0, 'at least one weight must be positive'),
    keyInterventions: z.array(z.string()).describe('interventions whose coverage gap enters the index'),
    minValidityScore: z.number().min(0).max(100).describe('a desa whose validity score is below this is marked "verifikasi data dulu" instead of ranked'),
    minChildrenForValidity: z.number().int().min(1).describe('validity is judged only with at least this many children measured in the year'),
  }),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
export type PackageItem = z.infer<typeof packageItem>;
export type ConvergenceGroup = keyof AnalyticsConfig['convergence'];

let shipped: AnalyticsConfig | null = null;

/** The shipped defaults (data/analytics/config.json), validated; read once per process, a fresh copy each call. */
export function readDefaultAnalyticsConfig(file?: string): AnalyticsConfig {
  if (file !== undefined) return analyticsConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  shipped ??= analyticsConfigSchema.parse(JSON.parse(readFileSync(join(packageRoot(), 'data', 'analytics', 'config.json'), 'utf8')));
  return structuredClone(shipped);
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Plain, patch: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isPlain(v) && isPlain(base[k]) ? deepMerge(base[k] as Plain, v) : v;
  return out;
}

/**
 * The configuration in force: the district's stored changes merged over the defaults (objects
 * merged key by key, arrays replaced), validated as a whole.
 */
export function mergeAnalyticsConfig(defaults: AnalyticsConfig, patch: unknown): AnalyticsConfig {
  if (patch === null || patch === undefined) return defaults;
  if (!isPlain(patch)) throw new z.ZodError([{ code: 'custom', path: [], message: 'analytics setting must be an object', input: patch }]);
  return analyticsConfigSchema.parse(deepMerge(defaults as Plain, patch));
}

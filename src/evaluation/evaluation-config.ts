/**
 * The evaluation's data files (data/evaluation/): scorecard settings, how each indicator is
 * measured, Kemenkes' second indicator set and the published survey figures. Validated with zod
 * where they enter; every setting a district may change has a description and a default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../reference/who-tables.js';

const thresholdsSchema = z
  .object({
    achievedRatio: z.number().positive().default(1).describe('Performance ratio (achievement ÷ target, or target ÷ achievement when lower is better) from which an indicator is tercapai'),
    nearRatio: z.number().positive().default(0.9).describe('Performance ratio from which an indicator is hampir tercapai'),
  })
  .refine((t) => t.nearRatio <= t.achievedRatio, { message: 'nearRatio must not exceed achievedRatio' });

/** Settings of a scorecard (stored with each round so its report can be reproduced). */
export const scorecardSettingsSchema = z.object({
  thresholds: thresholdsSchema.default({ achievedRatio: 1, nearRatio: 0.9 }),
  trendTolerance: z.number().min(0).default(0.5).describe('A change smaller than this (in the indicator unit; points for %) counts as "tetap"'),
  offTrackStatuses: z.array(z.enum(['belum_tercapai', 'hampir_tercapai', 'tidak_ada_data'])).min(1).default(['belum_tercapai']).describe('Statuses that count as off-track for role gaps'),
  carryForwardTargets: z.boolean().default(true).describe('Use the latest earlier target when the year has none'),
  sourcePriority: z.array(z.string()).default([]).describe('Target source documents, most authoritative first, for when documents disagree'),
  rematriMinTabletsPerWeek: z.number().positive().default(0.75).describe('SPE-03: iron tablets per week of the period that count as regular'),
  ttdPregnancyMinTablets: z.number().int().positive().default(90).describe('SPE-02: iron tablets during pregnancy'),
  priorityCount: z.number().int().min(1).max(100).default(10).describe('Priority villages listed (ranked by the analytics priority index, whose weights are the analytics configuration)'),
});

export type ScorecardSettings = z.infer<typeof scorecardSettingsSchema>;
export type Thresholds = ScorecardSettings['thresholds'];

const configFileSchema = scorecardSettingsSchema.extend({ version: z.literal(1), description: z.string() });

export const SECTORS = ['hasil', 'kesehatan', 'keluarga_berencana', 'air_sanitasi', 'perlindungan_sosial', 'komunikasi'] as const;
export type Sector = (typeof SECTORS)[number];

/** Method keys computed from by-name data (src/evaluation/achievement.repo.ts). */
export const BY_NAME_METHODS = [
  'pmt_bumil_kek', 'ttd_bumil', 'ttd_rematri', 'asi_eksklusif', 'mpasi', 'gizi_buruk_ditangani', 'balita_dipantau',
  'pmt_gizi_kurang', 'imunisasi_dasar_lengkap', 'kb_pascapersalinan', 'pemeriksaan_catin', 'krs_didampingi',
  'prevalensi_stunting',
] as const;
export type ByNameMethod = (typeof BY_NAME_METHODS)[number];

const methodSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('by_name'), key: z.enum(BY_NAME_METHODS), sector: z.enum(SECTORS), opd: z.string().min(1), how_id: z.string().min(1), how_en: z.string().min(1) }),
  z.object({ method: z.literal('sector_figure'), sector: z.enum(SECTORS), opd: z.string().min(1), how_id: z.string().min(1), how_en: z.string().min(1) }),
]);
export type IndicatorMethod = z.infer<typeof methodSchema>;

const methodsFileSchema = z.object({
  version: z.literal(1),
  description: z.string(),
  indicators: z.record(z.string().regex(/^[A-Z]{2,4}-\d{2,3}$/), methodSchema),
  sectors: z.record(z.enum(SECTORS), z.object({ id: z.string(), en: z.string() })),
});
export type IndicatorMethods = z.infer<typeof methodsFileSchema>;

const kemenkesSchema = z.object({
  version: z.literal(1),
  description: z.string(),
  source: z.object({ key: z.string(), title: z.string(), url: z.string().url() }),
  indicators: z.array(z.object({
    id: z.string().regex(/^KMK-\d{2}$/),
    name_id: z.string().min(1),
    name_en: z.string().min(1),
    maps_to: z.string().nullable(),
    intervention_code: z.string().nullable(),
    target_2023: z.number().nullable(),
    opd: z.string().min(1),
  })).length(11),
});
export type KemenkesSet = z.infer<typeof kemenkesSchema>;

const surveySchema = z.object({
  version: z.literal(1),
  description: z.string(),
  figures: z.array(z.object({
    region_code: z.string(),
    year: z.number().int(),
    survey: z.string().min(1),
    kind: z.enum(['survey', 'routine_published']),
    value_percent: z.number().min(0).max(100),
    source: z.string().min(1),
    url: z.string().url().optional(),
  })),
});
export type SurveyFigureFile = z.infer<typeof surveySchema>;

const dir = (): string => join(packageRoot(), 'data', 'evaluation');
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Default scorecard settings from data/evaluation/evaluation-config.json, validated. */
export function readEvaluationConfig(file = join(dir(), 'evaluation-config.json')): ScorecardSettings {
  const { version: _v, description: _d, ...settings } = configFileSchema.parse(readJson(file));
  return settings;
}

/** How each indicator is measured, its sector and OPD (data/evaluation/indicator-methods.json). */
export function readIndicatorMethods(file = join(dir(), 'indicator-methods.json')): IndicatorMethods {
  return methodsFileSchema.parse(readJson(file));
}

/** Kemenkes' 11 specific-intervention indicators (data/evaluation/kemenkes-11-intervensi.json). */
export function readKemenkesSet(file = join(dir(), 'kemenkes-11-intervensi.json')): KemenkesSet {
  return kemenkesSchema.parse(readJson(file));
}

/** Published survey/routine figures shipped for the district (data/evaluation/survey-figures.json). */
export function readSurveyFigures(file = join(dir(), 'survey-figures.json')): SurveyFigureFile {
  return surveySchema.parse(readJson(file));
}

/** Settings for one round: the shipped defaults with the round's own changes on top. */
export function mergeSettings(base: ScorecardSettings, changes: unknown): ScorecardSettings {
  const c = (changes && typeof changes === 'object' ? changes : {}) as Record<string, unknown>;
  const merged = { ...base, ...c, thresholds: { ...base.thresholds, ...((c.thresholds as object | undefined) ?? {}) } };
  return scorecardSettingsSchema.parse(merged);
}

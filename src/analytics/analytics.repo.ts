/**
 * Reads of the analytics services: rollups (month rollups of src/db, period rollups of the
 * analytics batch job), the region tree, posyandu, survey figures, lokus and configuration.
 * Dashboards go through here and read only small tables.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { writeAudit, type Actor } from '../db/audit.js';
import { packageRoot } from '../reference/who-tables.js';
import { mergeAnalyticsConfig, readDefaultAnalyticsConfig, type AnalyticsConfig } from './analytics-config.schema.js';
import { analyticsDb, type AnyDb, type PeriodCounts } from './analytics.tables.js';
import type { PeriodType } from './periods.js';

export interface RegionInfo {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export interface PosyanduInfo {
  id: number;
  name: string;
  desaCode: string;
}

/** One unit's counts in one period, as stored in a rollup. */
export interface UnitCounts extends PeriodCounts {
  /** Desa code, or the posyandu id as text. */
  unit: string;
  desaCode: string;
  periodStart: string;
  /** Month rollups only: children weighed with a judgement N (weight_up) and N or T (weight_gain_denom), 2T. */
  weight_up?: number;
  weight_gain_denom?: number;
  two_t?: number;
}

const COUNT_COLUMNS = [
  'registered', 'measured', 'stunted', 'severely_stunted', 'stunting_denom', 'wasted', 'severely_wasted', 'overweight',
  'wasting_denom', 'underweight', 'underweight_denom', 'flagged',
] as const;

/** Every region of a kabupaten (itself, its kecamatan and desa/kelurahan). */
export async function listRegions(db: AnyDb, kabupatenCode: string): Promise<RegionInfo[]> {
  const rows = await analyticsDb(db)
    .selectFrom('region')
    .select(['code', 'name', 'level', 'parent_code'])
    .where((eb) => eb.or([eb('code', '=', kabupatenCode), eb('code', 'like', `${kabupatenCode}.%`)]))
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

/** Every posyandu of a kabupaten. */
export async function listPosyandu(db: AnyDb, kabupatenCode: string): Promise<PosyanduInfo[]> {
  const rows = await analyticsDb(db)
    .selectFrom('facility')
    .select(['id', 'name', 'desa_code'])
    .where('kabupaten_code', '=', kabupatenCode)
    .where('kind', '=', 'posyandu')
    .orderBy('desa_code')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, desaCode: r.desa_code }));
}

/**
 * Counts per desa (or posyandu) and period start, for the given period starts: months and
 * bulan penimbangan from the month rollups, quarters/semesters/years from the period rollups.
 */
export async function unitCounts(
  db: AnyDb,
  kabupatenCode: string,
  unit: 'desa' | 'posyandu',
  type: PeriodType,
  starts: readonly string[],
  desaCode?: string,
): Promise<UnitCounts[]> {
  if (starts.length === 0) return [];
  const monthly = type === 'month' || type === 'bpb';
  const table = sql.raw(`rollup_${unit}_${monthly ? 'month' : 'period'}`);
  const unitCol = sql.raw(unit === 'desa' ? 'desa_code' : 'posyandu_id::text');
  const start = sql.raw(monthly ? 'month' : 'period_start');
  const extra = sql.raw(monthly ? ', weight_up, weight_gain_denom, two_t' : '');
  const typeFilter = monthly ? sql`` : sql`AND period_type = ${type}`;
  const desaFilter = desaCode ? sql`AND desa_code = ${desaCode}` : sql``;
  const r = await sql<UnitCounts>`
    SELECT ${unitCol} AS unit, desa_code AS "desaCode", ${start} AS "periodStart", ${sql.raw(COUNT_COLUMNS.join(', '))}${extra}
    FROM ${table}
    WHERE kabupaten_code = ${kabupatenCode} AND ${start} = ANY(${[...starts]}::date[]) ${typeFilter} ${desaFilter}`.execute(analyticsDb(db));
  return r.rows;
}

/**
 * The desa rollups of one region (a kabupaten, kecamatan or desa) summed per period in SQL: one
 * row per period instead of one per desa × period, for trend lines.
 */
export async function regionCountsByPeriod(
  db: AnyDb,
  kabupatenCode: string,
  regionCode: string,
  type: PeriodType,
  starts: readonly string[],
): Promise<Array<PeriodCounts & { periodStart: string }>> {
  if (starts.length === 0) return [];
  const monthly = type === 'month' || type === 'bpb';
  const table = sql.raw(monthly ? 'rollup_desa_month' : 'rollup_desa_period');
  const start = sql.raw(monthly ? 'month' : 'period_start');
  const typeFilter = monthly ? sql`` : sql`AND period_type = ${type}`;
  const regionFilter = regionCode === kabupatenCode ? sql`` : sql`AND (desa_code = ${regionCode} OR desa_code LIKE ${`${regionCode}.%`})`;
  const sums = sql.raw(COUNT_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', '));
  const r = await sql<PeriodCounts & { periodStart: string }>`
    SELECT ${start} AS "periodStart", ${sums}
    FROM ${table}
    WHERE kabupaten_code = ${kabupatenCode} AND ${start} = ANY(${[...starts]}::date[]) ${typeFilter} ${regionFilter}
    GROUP BY ${start}`.execute(analyticsDb(db));
  return r.rows;
}

/** The first and last month with a month rollup in a kabupaten (null when it has no data). */
export async function dataMonths(db: AnyDb, kabupatenCode: string): Promise<{ first: string; last: string } | null> {
  const r = await sql<{ first: string | null; last: string | null }>`
    SELECT min(month) AS first, max(month) AS last FROM rollup_desa_month WHERE kabupaten_code = ${kabupatenCode} AND measured > 0`.execute(analyticsDb(db));
  const row = r.rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** The only kabupaten with children stored, or null when there are none or several. */
export async function soleKabupaten(db: AnyDb): Promise<string | null> {
  const r = await sql<{ k: string }>`SELECT DISTINCT kabupaten_code AS k FROM child LIMIT 2`.execute(analyticsDb(db));
  return r.rows.length === 1 ? r.rows[0].k : null;
}

/** The analytics configuration in force for a kabupaten (shipped defaults + the district's changes). */
export async function loadAnalyticsConfig(db: AnyDb, kabupatenCode: string, defaults = readDefaultAnalyticsConfig()): Promise<AnalyticsConfig> {
  const row = await analyticsDb(db).selectFrom('analytics_setting').select('value').where('kabupaten_code', '=', kabupatenCode).executeTakeFirst();
  return mergeAnalyticsConfig(defaults, row?.value);
}

/**
 * Stores a district's change to the analytics configuration (merged over what it changed
 * before), after validating the result; audited with the changed keys, never values of people.
 */
export async function saveAnalyticsConfig(db: AnyDb, kabupatenCode: string, patch: Record<string, unknown>, actor: Actor): Promise<AnalyticsConfig> {
  const a = analyticsDb(db);
  return a.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('analytics_setting').select('value').where('kabupaten_code', '=', kabupatenCode).forUpdate().executeTakeFirst();
    const stored = (row?.value ?? {}) as Record<string, unknown>;
    const merged = { ...stored, ...patch };
    const config = mergeAnalyticsConfig(readDefaultAnalyticsConfig(), merged);
    const value = JSON.stringify(merged);
    await trx.insertInto('analytics_setting').values({ kabupaten_code: kabupatenCode, value, updated_by: actor.userId })
      .onConflict((oc) => oc.column('kabupaten_code').doUpdateSet({ value, updated_at: new Date(), updated_by: actor.userId })).execute();
    await writeAudit(trx as never, actor, { action: 'update', entity: 'analytics_setting', entityId: kabupatenCode, kabupatenCode, details: { keys: Object.keys(patch) } });
    return config;
  });
}

const surveyFileSchema = z.object({
  description: z.string(),
  figures: z.array(z.object({
    region_code: z.string(),
    indicator: z.enum(['stunting', 'severe_stunting', 'wasting', 'underweight', 'overweight']),
    year: z.number().int(),
    survey: z.string().min(1),
    kind: z.enum(['survey', 'routine_published']),
    value_percent: z.number().min(0).max(100),
    ci_low_percent: z.number().optional(),
    ci_high_percent: z.number().optional(),
    source: z.string().min(1),
    source_url: z.string().optional(),
    note: z.string().optional(),
  })),
});
const lokusFileSchema = z.object({
  description: z.string(),
  lokus: z.array(z.object({ kabupaten_code: z.string(), year: z.number().int(), desa_code: z.string(), source: z.string().min(1), note: z.string().optional() })),
});

/**
 * Loads the shipped survey figures and lokus lists (data/analytics/) for the regions stored,
 * as origin 'shipped'; rows a district entered itself are never touched. Idempotent.
 */
export async function ensureShippedAnalyticsData(db: AnyDb, dir = join(packageRoot(), 'data', 'analytics')): Promise<{ figures: number; lokus: number }> {
  const surveys = surveyFileSchema.parse(JSON.parse(readFileSync(join(dir, 'survey-figures.json'), 'utf8')));
  const lokus = lokusFileSchema.parse(JSON.parse(readFileSync(join(dir, 'lokus.json'), 'utf8')));
  const a = analyticsDb(db);
  const known = new Set((await a.selectFrom('region').select('code').execute()).map((r) => r.code));
  let figures = 0;
  for (const f of surveys.figures) {
    if (!known.has(f.region_code)) continue;
    const row = {
      region_code: f.region_code, indicator: f.indicator, year: f.year, survey: f.survey, kind: f.kind, value_percent: f.value_percent,
      ci_low_percent: f.ci_low_percent ?? null, ci_high_percent: f.ci_high_percent ?? null, source: f.source,
      source_url: f.source_url ?? null, note: f.note ?? null, origin: 'shipped' as const,
    };
    const r = await a.insertInto('survey_figure').values(row)
      .onConflict((oc) => oc.columns(['region_code', 'indicator', 'year', 'survey']).doUpdateSet(row).where('survey_figure.origin', '=', 'shipped'))
      .executeTakeFirst();
    figures += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  let lokusRows = 0;
  for (const l of lokus.lokus) {
    if (!known.has(l.desa_code)) continue;
    const row = { ...l, note: l.note ?? null, origin: 'shipped' as const };
    const r = await a.insertInto('lokus_desa').values(row)
      .onConflict((oc) => oc.columns(['kabupaten_code', 'year', 'desa_code']).doUpdateSet({ source: row.source, note: row.note }).where('lokus_desa.origin', '=', 'shipped'))
      .executeTakeFirst();
    lokusRows += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return { figures, lokus: lokusRows };
}

/** Survey and published figures of one region and indicator, by year. */
export async function surveyFigures(db: AnyDb, regionCode: string, indicator: string) {
  return analyticsDb(db).selectFrom('survey_figure').selectAll()
    .where('region_code', '=', regionCode).where('indicator', '=', indicator as never)
    .orderBy('year').orderBy('kind').orderBy('survey').execute();
}

/** Desa codes of a kabupaten's lokus list for a year. */
export async function lokusOf(db: AnyDb, kabupatenCode: string, year: number): Promise<{ desaCode: string; source: string; note: string | null }[]> {
  const rows = await analyticsDb(db).selectFrom('lokus_desa').select(['desa_code', 'source', 'note'])
    .where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).orderBy('desa_code').execute();
  return rows.map((r) => ({ desaCode: r.desa_code, source: r.source, note: r.note }));
}

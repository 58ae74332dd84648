/**
 * The analytics the evaluation report shows beside the scorecard, read from the rollups and
 * measurements: the monthly routine trend, each desa's latest month, survey figures and the
 * measurements behind the validity summary. Written against the rollup tables directly; the
 * database services of src/analytics (issue 6) replace these queries once they are exported.
 */
import { sql } from 'kysely';
import { plausibility } from '../quality/plausibility.js';
import { validityScore } from '../quality/validity.js';
import { readSurveyFigures } from './evaluation-config.js';
import type { EvalDb } from './evaluation-schema.js';
import type { Period } from './period.js';

export interface MonthPoint {
  month: string;
  stunted: number;
  stuntingDenom: number;
  measured: number;
  registered: number;
}

/** Kabupaten totals per month (routine prevalence = stunted ÷ stuntingDenom; D/S = measured ÷ registered). */
export async function monthlyTrend(db: EvalDb, kab: string, period: Period): Promise<MonthPoint[]> {
  const r = await sql<MonthPoint>`
    SELECT to_char(month, 'YYYY-MM') AS month, sum(stunted) AS stunted, sum(stunting_denom) AS "stuntingDenom",
      sum(measured) AS measured, sum(registered) AS registered
    FROM rollup_desa_month
    WHERE kabupaten_code = ${kab} AND month BETWEEN date_trunc('month', ${period.start}::date)::date AND ${period.end}::date
    GROUP BY month ORDER BY month`.execute(db);
  return r.rows.map((x) => ({ month: x.month, stunted: Number(x.stunted), stuntingDenom: Number(x.stuntingDenom), measured: Number(x.measured), registered: Number(x.registered) }));
}

export interface DesaMonth extends MonthPoint {
  desaCode: string;
}

/** Each desa's latest month with children measured in the period (counts of children, not visits). */
export async function desaLatestMonth(db: EvalDb, kab: string, period: Period): Promise<DesaMonth[]> {
  const r = await sql<DesaMonth>`
    SELECT DISTINCT ON (desa_code) desa_code AS "desaCode", to_char(month, 'YYYY-MM') AS month, stunted,
      stunting_denom AS "stuntingDenom", measured, registered
    FROM rollup_desa_month
    WHERE kabupaten_code = ${kab} AND measured > 0
      AND month BETWEEN date_trunc('month', ${period.start}::date)::date AND ${period.end}::date
    ORDER BY desa_code, month DESC`.execute(db);
  return r.rows.map((x) => ({ desaCode: x.desaCode, month: x.month, stunted: Number(x.stunted), stuntingDenom: Number(x.stuntingDenom), measured: Number(x.measured), registered: Number(x.registered) }));
}

export interface SurveyPoint {
  year: number;
  survey: string;
  kind: 'survey' | 'routine_published';
  valuePercent: number;
  source: string;
}

/** Published stunting figures of the kabupaten: the survey_figure table, else the shipped file. */
export async function surveyPoints(db: EvalDb, kab: string): Promise<SurveyPoint[]> {
  let rows: SurveyPoint[] = [];
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('survey_figure')::text AS t`.execute(db);
  if (exists.rows[0]?.t) {
    const r = await db.selectFrom('survey_figure').select(['year', 'survey', 'kind', 'value_percent', 'source'])
      .where('region_code', '=', kab).where('indicator', '=', 'stunting').orderBy('year').execute();
    rows = r.map((x) => ({ year: x.year, survey: x.survey, kind: x.kind, valuePercent: Number(x.value_percent), source: x.source }));
  }
  if (rows.length > 0) return rows;
  return readSurveyFigures().figures.filter((f) => f.region_code === kab)
    .map((f) => ({ year: f.year, survey: f.survey, kind: f.kind, valuePercent: f.value_percent, source: f.source }));
}

export interface ValidityRow {
  regionCode: string;
  month: string;
  measurements: number;
  score: number | null;
  problems: { id: string; en: string; fixId: string; fixEn: string; deduction: number }[];
}

/**
 * Data validity per kecamatan (src/quality's score on the plausibility statistics) for the
 * period's latest month with measurements.
 */
export async function validityByKecamatan(db: EvalDb, kab: string, period: Period): Promise<ValidityRow[]> {
  const last = await sql<{ month: string | null }>`
    SELECT max(month)::text AS month FROM rollup_desa_month
    WHERE kabupaten_code = ${kab} AND measured > 0 AND month BETWEEN date_trunc('month', ${period.start}::date)::date AND ${period.end}::date`.execute(db);
  const month = last.rows[0]?.month;
  if (!month) return [];
  const r = await sql<{ kec: string; sex: number; age_days: number; weight_kg: number | null; lenhei_cm: number | null; muac_cm: number | null; zwfl: number | null; zlen: number | null; zwei: number | null; oedema: boolean; posyandu_id: number | null }>`
    SELECT left(desa_code, 8) AS kec, sex, age_days, weight_kg, lenhei_cm, muac_cm, zwfl, zlen, zwei, oedema, posyandu_id
    FROM measurement WHERE kabupaten_code = ${kab} AND month = ${month}::date ORDER BY kec`.execute(db);
  const groups = new Map<string, typeof r.rows>();
  for (const x of r.rows) {
    const g = groups.get(x.kec) ?? [];
    g.push(x);
    groups.set(x.kec, g);
  }
  const out: ValidityRow[] = [];
  for (const [kec, g] of groups) {
    const n = g.length;
    const col = (f: (x: (typeof g)[number]) => number | null) => Float64Array.from(g, (x) => f(x) ?? Number.NaN);
    const cluster = new Map<number, number>();
    const pl = plausibility({
      sex: col((x) => x.sex), ageMonths: col((x) => x.age_days / 30.4375), weight: col((x) => x.weight_kg),
      height: col((x) => x.lenhei_cm), muac: col((x) => (x.muac_cm === null ? null : Math.round(x.muac_cm * 10))),
      whz: col((x) => x.zwfl), haz: col((x) => x.zlen), waz: col((x) => x.zwei), oedema: col((x) => (x.oedema ? 1 : 0)),
      cluster: col((x) => {
        if (x.posyandu_id === null) return -1;
        if (!cluster.has(x.posyandu_id)) cluster.set(x.posyandu_id, cluster.size);
        return cluster.get(x.posyandu_id) as number;
      }),
    });
    const v = validityScore({ plausibility: pl });
    out.push({
      regionCode: kec, month: month.slice(0, 7), measurements: n, score: Number.isFinite(v.score) ? v.score : null,
      problems: v.problems.slice(0, 3).map((p) => ({ id: p.problem.id, en: p.problem.en, fixId: p.fix.id, fixEn: p.fix.en, deduction: p.deduction })),
    });
  }
  return out.sort((a, b) => a.regionCode.localeCompare(b.regionCode));
}

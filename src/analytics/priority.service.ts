/**
 * Priority villages for a year (issue 6 §8), from small tables only: the desa × year rollups,
 * desa_coverage and desa_validity written by the analytics batch job, and the lokus list. The
 * index itself is priority-index.ts.
 */
import { sql } from 'kysely';
import { listRegions, lokusOf } from './analytics.repo.js';
import type { AnalyticsConfig } from './analytics-config.schema.js';
import { analyticsDb, type AnyDb } from './analytics.tables.js';
import { priorityIndex, type PriorityInput, type PriorityResult } from './priority-index.js';
import { shrunkRates } from './prevalence.service.js';

export interface PriorityReport extends PriorityResult {
  year: number;
  kabupatenCode: string;
  lokus: { desaCode: string; source: string; note: string | null }[];
}

/** The priority index of every desa of a kabupaten for a year, each rank explained, compared with the lokus list. */
export async function priorityReport(db: AnyDb, kabupatenCode: string, year: number, config: AnalyticsConfig): Promise<PriorityReport> {
  const a = analyticsDb(db);
  const [regions, counts, coverage, validity, lokus] = await Promise.all([
    listRegions(a, kabupatenCode),
    sql<{ desa_code: string; period_start: string; stunted: number; stunting_denom: number }>`
      SELECT desa_code, period_start, stunted, stunting_denom FROM rollup_desa_period
      WHERE kabupaten_code = ${kabupatenCode} AND period_type = 'year' AND period_start IN (${`${year - 1}-01-01`}::date, ${`${year}-01-01`}::date)`.execute(a),
    a.selectFrom('desa_coverage').select(['desa_code', 'intervention_code', 'numerator', 'denominator'])
      .where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).where('intervention_code', 'in', config.priority.keyInterventions.length > 0 ? config.priority.keyInterventions : ['-']).execute(),
    a.selectFrom('desa_validity').select(['desa_code', 'children', 'score', 'problems']).where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).execute(),
    lokusOf(a, kabupatenCode, year),
  ]);
  const desa = regions.filter((r) => r.level === 'desa' || r.level === 'kelurahan');
  const now = new Map<string, { stunted: number; n: number }>();
  const before = new Map<string, number | null>();
  for (const r of counts.rows) {
    if (r.period_start.startsWith(String(year))) now.set(r.desa_code, { stunted: r.stunted, n: r.stunting_denom });
    else before.set(r.desa_code, r.stunting_denom > 0 ? r.stunted / r.stunting_denom : null);
  }
  const shrunk = shrunkRates(desa.map((d) => ({ code: d.code, parent: d.code.slice(0, 8), cases: now.get(d.code)?.stunted ?? 0, n: now.get(d.code)?.n ?? 0 })));
  const cov = new Map<string, Record<string, number | null>>();
  for (const c of coverage) {
    let m = cov.get(c.desa_code);
    if (!m) cov.set(c.desa_code, (m = {}));
    m[c.intervention_code] = c.denominator !== null && c.denominator > 0 ? c.numerator / c.denominator : null;
  }
  const val = new Map(validity.map((v) => [v.desa_code, v]));
  const inputs: PriorityInput[] = desa.map((d) => {
    const c = now.get(d.code) ?? { stunted: 0, n: 0 };
    const v = val.get(d.code);
    return {
      desaCode: d.code,
      name: d.name,
      stunted: c.stunted,
      denominator: c.n,
      shrunkRate: shrunk.get(d.code)?.rate ?? null,
      previousRate: before.get(d.code) ?? null,
      coverage: cov.get(d.code) ?? {},
      validity: v
        ? { score: v.children >= config.priority.minChildrenForValidity ? v.score : null, children: v.children, problems: v.problems as { problem: { id: string; en: string } }[] }
        : null,
    };
  });
  const result = priorityIndex(inputs, config.priority, new Set(lokus.map((l) => l.desaCode)));
  return { ...result, year, kabupatenCode, lokus };
}

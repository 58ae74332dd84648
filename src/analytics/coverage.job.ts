/**
 * Coverage and convergence (issue 6 §7). Coverage of each intervention per desa and year comes
 * from by-name service records where the configuration names a target group (numerator: members
 * of the group with the service; denominator: the group), else from the sector's own figure
 * (indicator_value of the linked indicator, the year's latest). Convergence: for each target —
 * baduta, ibu hamil, KRS family — which services of its package it received and which are
 * missing, and per desa the share of targets with the complete package.
 *
 * Year Y runs from 1 January to 31 December, cut at the day after the last measurement stored
 * ("as of"), so a year in progress is judged on the part already recorded.
 * @see DOMAIN.md §3.1 (complete package of 1000-HPK interventions), §4.1 (target groups)
 */
import { sql, type RawBuilder } from 'kysely';
import type { AnalyticsConfig, ConvergenceGroup, CoverageGroup, PackageItem } from './analytics-config.schema.js';
import { analyticsDb, type AnyDb } from './analytics.tables.js';

export interface YearWindow {
  year: number;
  start: string;
  end: string;
  /** min(end, the day after the last measurement of the kabupaten). */
  asOf: string;
}

/** The year's window for a kabupaten, cut at its last measurement. */
export async function yearWindow(db: AnyDb, kabupatenCode: string, year: number): Promise<YearWindow> {
  const start = `${year}-01-01`;
  const end = `${year + 1}-01-01`;
  const r = await sql<{ last: string | null }>`
    SELECT (max(month) + interval '1 month')::date AS last FROM rollup_desa_month WHERE kabupaten_code = ${kabupatenCode}`.execute(analyticsDb(db));
  const last = r.rows[0]?.last ?? end;
  return { year, start, end, asOf: last < end ? (last > start ? last : start) : end };
}

type Recipient = 'child_id' | 'person_id' | 'family_id';

/** Members of a coverage target group: (desa_code, id), and whether its service counts in the year or ever. */
function groupMembers(group: CoverageGroup, kab: string, w: YearWindow): { sql: RawBuilder<unknown>; recipient: Recipient; within: 'year' | 'ever' } {
  const child = (cond: RawBuilder<unknown>) =>
    sql`SELECT desa_code, id FROM child WHERE kabupaten_code = ${kab} AND ${cond} AND (exited_on IS NULL OR exited_on >= ${w.start}::date)`;
  const person = (type: string, cond: RawBuilder<unknown>) =>
    sql`SELECT desa_code, id FROM person WHERE kabupaten_code = ${kab} AND type = ${type} AND ${cond}`;
  const wastedChildren = (cond: RawBuilder<unknown>) => sql`
    SELECT DISTINCT c.desa_code, c.id FROM measurement m JOIN child c ON c.id = m.child_id
    WHERE m.kabupaten_code = ${kab} AND m.measured_on >= ${w.start}::date AND m.measured_on < ${w.asOf}::date AND m.age_days <= 1826 AND ${cond}`;
  switch (group) {
    case 'ibu_hamil_kek':
      return { recipient: 'person_id', within: 'ever', sql: person('ibu_hamil', sql`kek AND registered_on < ${w.asOf}::date
        AND coalesce(hpht, registered_on) < ${w.asOf}::date AND coalesce(expected_delivery, coalesce(hpht, registered_on) + 280) >= ${w.start}::date`) };
    case 'ibu_hamil_delivered':
      return { recipient: 'person_id', within: 'ever', sql: person('ibu_hamil', sql`expected_delivery >= ${w.start}::date AND expected_delivery < ${w.asOf}::date`) };
    case 'remaja_putri':
      return { recipient: 'person_id', within: 'year', sql: person('remaja_putri', sql`registered_on < ${w.asOf}::date`) };
    case 'ibu_nifas':
      return { recipient: 'person_id', within: 'ever', sql: person('ibu_nifas', sql`delivery_date >= ${w.start}::date AND delivery_date < ${w.asOf}::date`) };
    case 'catin':
      return { recipient: 'person_id', within: 'ever', sql: person('catin', sql`registered_on >= ${w.start}::date AND registered_on < ${w.asOf}::date`) };
    case 'bayi_turned_6m':
      return { recipient: 'child_id', within: 'ever', sql: child(sql`birth_date + 183 >= ${w.start}::date AND birth_date + 183 < ${w.asOf}::date`) };
    case 'anak_turned_12m':
      return { recipient: 'child_id', within: 'ever', sql: child(sql`birth_date + 365 >= ${w.start}::date AND birth_date + 365 < ${w.asOf}::date`) };
    case 'baduta_6_23m':
      return { recipient: 'child_id', within: 'ever', sql: child(sql`birth_date + 183 < ${w.asOf}::date AND birth_date + 730 >= ${w.start}::date`) };
    case 'balita_severely_wasted':
      return { recipient: 'child_id', within: 'year', sql: wastedChildren(sql`(m.oedema OR (m.fwfl = 0 AND m.zwfl < -3))`) };
    case 'balita_wasted':
      return { recipient: 'child_id', within: 'year', sql: wastedChildren(sql`(NOT m.oedema AND m.fwfl = 0 AND m.zwfl >= -3 AND m.zwfl < -2)`) };
    case 'krs_family':
      return { recipient: 'family_id', within: 'year', sql: sql`SELECT desa_code, id FROM family WHERE kabupaten_code = ${kab} AND at_risk
        AND (assessed_on IS NULL OR assessed_on < ${w.asOf}::date)` };
  }
}

export interface CoverageRow {
  desaCode: string;
  interventionCode: string;
  source: 'by_name' | 'sector';
  numerator: number;
  denominator: number | null;
}

/**
 * Coverage of every configured intervention per desa for one year: by name where a target
 * group is configured, else the sector figure (only desa with members or figures appear).
 */
export async function computeCoverage(db: AnyDb, kabupatenCode: string, w: YearWindow, config: AnalyticsConfig['coverage']): Promise<CoverageRow[]> {
  const a = analyticsDb(db);
  const out: CoverageRow[] = [];
  for (const [code, target] of Object.entries(config.targets)) {
    const g = groupMembers(target.group, kabupatenCode, w);
    const recipient = sql.raw(g.recipient);
    const from = g.within === 'year' ? sql`AND served_on >= ${w.start}::date` : sql``;
    const minQ = target.minQuantity ?? null;
    const r = await sql<{ desa_code: string; numerator: number; denominator: number }>`
      WITH t AS (${g.sql}),
      s AS (
        SELECT ${recipient} AS id, sum(coalesce(quantity, 1)) AS q FROM service
        WHERE kabupaten_code = ${kabupatenCode} AND intervention_code = ${code} AND ${recipient} IS NOT NULL AND served_on < ${w.end}::date ${from}
        GROUP BY 1)
      SELECT t.desa_code, count(*)::int AS denominator,
        count(*) FILTER (WHERE s.id IS NOT NULL AND (${minQ}::numeric IS NULL OR s.q >= ${minQ}::numeric))::int AS numerator
      FROM t LEFT JOIN s ON s.id = t.id
      GROUP BY t.desa_code`.execute(a);
    for (const row of r.rows) out.push({ desaCode: row.desa_code, interventionCode: code, source: 'by_name', numerator: row.numerator, denominator: row.denominator });
  }
  for (const [code, indicator] of Object.entries(config.sector)) {
    if (code in config.targets) continue;
    const r = await sql<{ region_code: string; numerator: number | null; denominator: number | null; value: number | null }>`
      SELECT DISTINCT ON (region_code) region_code, numerator, denominator, value
      FROM indicator_value
      WHERE kabupaten_code = ${kabupatenCode} AND indicator_id = ${indicator} AND length(region_code) = 13
        AND period_start >= ${w.start}::date AND period_end < ${w.end}::date
      ORDER BY region_code, period_end DESC, entered_at DESC`.execute(a);
    for (const row of r.rows) {
      // A figure entered as a percentage without counts is kept as value / 100.
      const numerator = row.numerator ?? (row.value === null ? null : row.value);
      const denominator = row.numerator === null ? (row.value === null ? null : 100) : row.denominator;
      if (numerator === null) continue;
      out.push({ desaCode: row.region_code, interventionCode: code, source: 'sector', numerator, denominator });
    }
  }
  return out.sort((x, y) => x.desaCode.localeCompare(y.desaCode) || x.interventionCode.localeCompare(y.interventionCode));
}

/** One target of a convergence package and what it received. By-name: holds a name. */
export interface ConvergenceTarget {
  group: ConvergenceGroup;
  id: number;
  desaCode: string;
  name: string;
  due: string[];
  received: string[];
  missing: string[];
  complete: boolean;
}

interface TargetFacts {
  id: number;
  desa_code: string;
  name: string;
  age_months: number | null;
  kek: boolean | null;
  unsafe_water: boolean | null;
  poor_sanitation: boolean | null;
  poor: boolean | null;
  measured_in_year: boolean;
  ever: Record<string, number> | null;
  in_year: Record<string, number> | null;
}

/** The growth-monitoring item is met by a measurement in the year as well as by a service record. */
export const MONITORING_CODE = 'PEMANTAUAN_TUMBUH_KEMBANG';

/** Which package items are due for a target and which it received (pure). */
export function judgePackage(items: readonly PackageItem[], t: Omit<TargetFacts, 'id' | 'desa_code' | 'name'>): { due: string[]; received: string[]; missing: string[] } {
  const due: string[] = [];
  const received: string[] = [];
  const missing: string[] = [];
  for (const item of items) {
    if (item.fromAgeMonths !== undefined && (t.age_months === null || t.age_months < item.fromAgeMonths)) continue;
    if (item.when && !t[item.when]) continue;
    due.push(item.code);
    const q = (item.within === 'ever' ? t.ever : t.in_year)?.[item.code];
    const got = (item.code === MONITORING_CODE && t.measured_in_year) || (q !== undefined && q >= (item.minQuantity ?? 0));
    (got ? received : missing).push(item.code);
  }
  return { due, received, missing };
}

/**
 * Every target of one convergence group in a kabupaten (or one desa) for a year, with the
 * services of its package received and missing. By-name (CONFIDENTIAL) when names are shown.
 */
export async function convergenceTargets(
  db: AnyDb,
  kabupatenCode: string,
  w: YearWindow,
  group: ConvergenceGroup,
  items: readonly PackageItem[],
  desaCode?: string,
): Promise<ConvergenceTarget[]> {
  const a = analyticsDb(db);
  const desa = desaCode ? sql`AND t.desa_code = ${desaCode}` : sql``;
  const services = (col: Recipient) => sql`
    (SELECT jsonb_object_agg(code, q) FROM (SELECT intervention_code AS code, sum(coalesce(quantity, 1)) AS q FROM service s
      WHERE s.kabupaten_code = ${kabupatenCode} AND s.${sql.raw(col)} = t.id AND s.served_on < ${w.end}::date GROUP BY 1) x) AS ever,
    (SELECT jsonb_object_agg(code, q) FROM (SELECT intervention_code AS code, sum(coalesce(quantity, 1)) AS q FROM service s
      WHERE s.kabupaten_code = ${kabupatenCode} AND s.${sql.raw(col)} = t.id AND s.served_on >= ${w.start}::date AND s.served_on < ${w.end}::date GROUP BY 1) x) AS in_year`;
  let r;
  if (group === 'baduta') {
    r = await sql<TargetFacts>`
      SELECT t.id, t.desa_code, t.name,
        (extract(year FROM age(${w.asOf}::date - 1, t.birth_date)) * 12 + extract(month FROM age(${w.asOf}::date - 1, t.birth_date)))::int AS age_months,
        NULL::boolean AS kek, NULL::boolean AS unsafe_water, NULL::boolean AS poor_sanitation, NULL::boolean AS poor,
        EXISTS (SELECT 1 FROM measurement m WHERE m.kabupaten_code = t.kabupaten_code AND m.child_id = t.id
          AND m.measured_on >= ${w.start}::date AND m.measured_on < ${w.end}::date) AS measured_in_year,
        ${services('child_id')}
      FROM child t
      WHERE t.kabupaten_code = ${kabupatenCode} AND t.birth_date < ${w.asOf}::date AND t.birth_date + 730 >= ${w.start}::date
        AND (t.exited_on IS NULL OR t.exited_on >= ${w.start}::date) ${desa}`.execute(a);
  } else if (group === 'ibu_hamil') {
    r = await sql<TargetFacts>`
      SELECT t.id, t.desa_code, t.name, NULL::int AS age_months, coalesce(t.kek, false) AS kek,
        NULL::boolean AS unsafe_water, NULL::boolean AS poor_sanitation, NULL::boolean AS poor, false AS measured_in_year,
        ${services('person_id')}
      FROM person t
      WHERE t.kabupaten_code = ${kabupatenCode} AND t.type = 'ibu_hamil'
        AND t.expected_delivery >= ${w.start}::date AND t.expected_delivery < ${w.asOf}::date ${desa}`.execute(a);
  } else {
    r = await sql<TargetFacts>`
      SELECT t.id, t.desa_code, t.head_name AS name, NULL::int AS age_months, NULL::boolean AS kek,
        coalesce(t.unsafe_water, false) AS unsafe_water, coalesce(t.poor_sanitation, false) AS poor_sanitation, coalesce(t.poor, false) AS poor,
        false AS measured_in_year, ${services('family_id')}
      FROM family t
      WHERE t.kabupaten_code = ${kabupatenCode} AND t.at_risk AND (t.assessed_on IS NULL OR t.assessed_on < ${w.asOf}::date) ${desa}`.execute(a);
  }
  return r.rows
    .map((t) => {
      const j = judgePackage(items, t);
      return { group, id: t.id, desaCode: t.desa_code, name: t.name, ...j, complete: j.missing.length === 0 && j.due.length > 0 };
    })
    .sort((x, y) => x.desaCode.localeCompare(y.desaCode) || x.id - y.id);
}

export interface ConvergenceSummary {
  desaCode: string;
  group: ConvergenceGroup;
  targets: number;
  complete: number;
  /** Share of targets with the complete package (null without targets). */
  share: number | null;
  /** Targets missing each service of the package. */
  missing: Record<string, number>;
}

/** Per desa: targets, how many have the complete package, and how many miss each service. */
export function summariseConvergence(targets: readonly ConvergenceTarget[]): ConvergenceSummary[] {
  const out = new Map<string, ConvergenceSummary>();
  for (const t of targets) {
    const key = `${t.desaCode}|${t.group}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { desaCode: t.desaCode, group: t.group, targets: 0, complete: 0, share: null, missing: {} }));
    s.targets++;
    if (t.complete) s.complete++;
    for (const m of t.missing) s.missing[m] = (s.missing[m] ?? 0) + 1;
  }
  for (const s of out.values()) s.share = s.targets > 0 ? s.complete / s.targets : null;
  return [...out.values()].sort((a, b) => a.desaCode.localeCompare(b.desaCode) || a.group.localeCompare(b.group));
}

/**
 * Batch job: recomputes desa_coverage and desa_convergence of one kabupaten and year.
 * Returns the rows written.
 */
export async function rebuildCoverage(db: AnyDb, kabupatenCode: string, year: number, config: AnalyticsConfig): Promise<{ coverage: number; convergence: number }> {
  const a = analyticsDb(db);
  return a.transaction().execute(async (trx) => {
    const w = await yearWindow(trx, kabupatenCode, year);
    const coverage = await computeCoverage(trx, kabupatenCode, w, config.coverage);
    const summaries: ConvergenceSummary[] = [];
    for (const group of ['baduta', 'ibu_hamil', 'krs_family'] as const) {
      summaries.push(...summariseConvergence(await convergenceTargets(trx, kabupatenCode, w, group, config.convergence[group])));
    }
    await trx.deleteFrom('desa_coverage').where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).execute();
    await trx.deleteFrom('desa_convergence').where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).execute();
    for (let i = 0; i < coverage.length; i += 1000) {
      await trx.insertInto('desa_coverage').values(coverage.slice(i, i + 1000).map((c) => ({
        kabupaten_code: kabupatenCode, desa_code: c.desaCode, year, intervention_code: c.interventionCode, source: c.source,
        numerator: c.numerator, denominator: c.denominator,
      }))).execute();
    }
    for (let i = 0; i < summaries.length; i += 1000) {
      await trx.insertInto('desa_convergence').values(summaries.slice(i, i + 1000).map((s) => ({
        kabupaten_code: kabupatenCode, desa_code: s.desaCode, year, target_group: s.group, targets: s.targets, complete: s.complete,
        missing: JSON.stringify(s.missing),
      }))).execute();
    }
    return { coverage: coverage.length, convergence: summaries.length };
  });
}

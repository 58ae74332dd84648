/**
 * Batch job: rollups per desa × period and posyandu × period for quarters, semesters and years —
 * the longer-period twin of src/db/rollup.ts (months are kept current by the write path). A
 * period's counts cannot be summed from its months (a child measured in three months would count
 * three times), so they are recomputed from raw measurements here, never while a user waits.
 *
 * Definitions, as rollup_desa_month over the whole period: per child and period the latest
 * measurement (measured_on, then id) counts in the unit where it was taken if the child was then
 * ≤ 1826 days old; each indicator's denominator holds the children whose z-score for it is present
 * and not flagged (a flagged value leaves that indicator, counted in `flagged`); registered (S) are
 * the children of the unit born and registered by the end of the period, ≤ 1826 days old at its
 * start and not exited before it.
 */
import { sql } from 'kysely';
import { analyticsDb, type AnyDb, type PeriodType3 } from './analytics.tables.js';

const START: Record<PeriodType3, string> = {
  quarter: `date_trunc('quarter', m.month)::date`,
  semester: `make_date(extract(year FROM m.month)::int, CASE WHEN extract(month FROM m.month) <= 6 THEN 1 ELSE 7 END, 1)`,
  year: `date_trunc('year', m.month)::date`,
};
const LENGTH: Record<PeriodType3, number> = { quarter: 3, semester: 6, year: 12 };

const AGG = `
  count(*)::int AS measured,
  count(*) FILTER (WHERE flen = 0 AND zlen < -2)::int AS stunted,
  count(*) FILTER (WHERE flen = 0 AND zlen < -3)::int AS severely_stunted,
  count(*) FILTER (WHERE flen = 0)::int AS stunting_denom,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl < -2)::int AS wasted,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl < -3)::int AS severely_wasted,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl > 2)::int AS overweight,
  count(*) FILTER (WHERE fwfl = 0)::int AS wasting_denom,
  count(*) FILTER (WHERE fwei = 0 AND zwei < -2)::int AS underweight,
  count(*) FILTER (WHERE fwei = 0)::int AS underweight_denom,
  count(*) FILTER (WHERE flen = 1 OR fwei = 1 OR fwfl = 1)::int AS flagged`;
const COLS = 'measured, stunted, severely_stunted, stunting_denom, wasted, severely_wasted, overweight, wasting_denom, underweight, underweight_denom, flagged';
const SELECT_COLS = COLS.split(', ').map((c) => `coalesce(a.${c}, 0)`).join(', ');

export interface PeriodRollupResult {
  desaRows: number;
  posyanduRows: number;
  seconds: number;
}

/**
 * Rebuilds rollup_desa_period and rollup_posyandu_period of one kabupaten for every quarter,
 * semester and year that holds a measurement, in one transaction (readers see the old rows
 * until it commits).
 */
export async function rebuildPeriodRollups(db: AnyDb, kabupatenCode: string): Promise<PeriodRollupResult> {
  const started = performance.now();
  const run = async (trx: AnyDb): Promise<PeriodRollupResult> => {
    const t = analyticsDb(trx);
    await sql`DELETE FROM rollup_desa_period WHERE kabupaten_code = ${kabupatenCode}`.execute(t);
    await sql`DELETE FROM rollup_posyandu_period WHERE kabupaten_code = ${kabupatenCode}`.execute(t);
    let desaRows = 0;
    let posyanduRows = 0;
    for (const type of ['quarter', 'semester', 'year'] as const) {
      const start = sql.raw(START[type]);
      const len = sql.raw(`interval '${LENGTH[type]} months'`);
      await sql`DROP TABLE IF EXISTS pg_temp.period_latest`.execute(t);
      await sql`
        CREATE TEMP TABLE period_latest ON COMMIT DROP AS
        SELECT * FROM (
          SELECT DISTINCT ON (m.child_id, ${start}) m.child_id, m.desa_code, m.posyandu_id, ${start} AS period_start,
            m.age_days, m.zlen, m.flen, m.zwfl, m.fwfl, m.zwei, m.fwei
          FROM measurement m
          WHERE m.kabupaten_code = ${kabupatenCode}
          ORDER BY m.child_id, ${start}, m.measured_on DESC, m.id DESC) l
        WHERE l.age_days <= 1826`.execute(t);
      const periods = sql`SELECT DISTINCT period_start, (period_start + ${len})::date AS period_end FROM period_latest`;
      const d = await sql`
        WITH p AS (${periods}),
        a AS (SELECT desa_code, period_start, ${sql.raw(AGG)} FROM period_latest GROUP BY desa_code, period_start),
        r AS (
          SELECT c.desa_code, p.period_start, count(*)::int AS registered
          FROM child c JOIN p ON c.birth_date < p.period_end AND p.period_start - c.birth_date <= 1826
            AND c.registered_on < p.period_end AND (c.exited_on IS NULL OR c.exited_on >= p.period_start)
          WHERE c.kabupaten_code = ${kabupatenCode}
          GROUP BY c.desa_code, p.period_start),
        k AS (SELECT desa_code, period_start FROM a UNION SELECT desa_code, period_start FROM r)
        INSERT INTO rollup_desa_period (kabupaten_code, desa_code, period_type, period_start, period_end, registered, ${sql.raw(COLS)})
        SELECT ${kabupatenCode}, k.desa_code, ${type}, k.period_start, (k.period_start + ${len})::date, coalesce(r.registered, 0), ${sql.raw(SELECT_COLS)}
        FROM k LEFT JOIN a USING (desa_code, period_start) LEFT JOIN r USING (desa_code, period_start)`.execute(t);
      desaRows += Number(d.numAffectedRows ?? 0);
      const p = await sql`
        WITH p AS (${periods}),
        a AS (SELECT posyandu_id, period_start, ${sql.raw(AGG)} FROM period_latest WHERE posyandu_id IS NOT NULL GROUP BY posyandu_id, period_start),
        r AS (
          SELECT c.posyandu_id, p.period_start, count(*)::int AS registered
          FROM child c JOIN p ON c.birth_date < p.period_end AND p.period_start - c.birth_date <= 1826
            AND c.registered_on < p.period_end AND (c.exited_on IS NULL OR c.exited_on >= p.period_start)
          WHERE c.kabupaten_code = ${kabupatenCode} AND c.posyandu_id IS NOT NULL
          GROUP BY c.posyandu_id, p.period_start),
        k AS (SELECT posyandu_id, period_start FROM a UNION SELECT posyandu_id, period_start FROM r)
        INSERT INTO rollup_posyandu_period (kabupaten_code, posyandu_id, desa_code, period_type, period_start, period_end, registered, ${sql.raw(COLS)})
        SELECT ${kabupatenCode}, k.posyandu_id, f.desa_code, ${type}, k.period_start, (k.period_start + ${len})::date, coalesce(r.registered, 0), ${sql.raw(SELECT_COLS)}
        FROM k JOIN facility f ON f.id = k.posyandu_id
          LEFT JOIN a USING (posyandu_id, period_start) LEFT JOIN r USING (posyandu_id, period_start)`.execute(t);
      posyanduRows += Number(p.numAffectedRows ?? 0);
    }
    return { desaRows, posyanduRows, seconds: (performance.now() - started) / 1000 };
  };
  const a = analyticsDb(db);
  if (a.isTransaction) return run(a);
  return a.transaction().execute((trx) => run(trx));
}

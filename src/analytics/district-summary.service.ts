import { sql } from 'kysely';
import { parsePeriod } from './periods.js';
import { routinePrevalenceRows, regionPrevalence } from './prevalence.service.js';
import type { AnyDb } from './analytics.tables.js';
import type { RoutinePrevalence } from './routine-prevalence.js';

/** What `npm start` shows about a district: read from the monthly rollups only. */
export interface DistrictSummary {
  kabupatenCode: string;
  kabupatenName: string;
  /** The latest month with children measured, YYYY-MM. */
  month: string;
  /** Registered S and measured D in that month, with coverage D/S and stunting. */
  district: RoutinePrevalence;
  byKecamatan: { code: string; name: string; stunting: RoutinePrevalence }[];
  /** True when any child of the district is synthetic (the demo). */
  synthetic: boolean;
}

/**
 * The district summary for the latest month with measurements: children registered and measured,
 * coverage D/S, and routine stunting prevalence (HAZ < −2 among the validly measured) for the
 * kabupaten and each kecamatan. Null when no district has measurements yet. Reads rollups only.
 */
export async function districtSummary(db: AnyDb, kabupatenCode?: string): Promise<DistrictSummary | null> {
  const latest = await sql<{ kabupaten_code: string; month: string }>`
    SELECT kabupaten_code, to_char(max(month), 'YYYY-MM') AS month
    FROM rollup_desa_month
    WHERE measured > 0 ${kabupatenCode ? sql`AND kabupaten_code = ${kabupatenCode}` : sql``}
    GROUP BY kabupaten_code
    ORDER BY sum(measured) DESC
    LIMIT 1`.execute(db);
  const row = latest.rows[0];
  if (!row) return null;
  const kab = row.kabupaten_code;
  const period = parsePeriod('month', row.month);
  const [district] = await regionPrevalence(db, kab, kab, 'stunting', [period]);
  const kecamatan = await routinePrevalenceRows(db, { kabupatenCode: kab, level: 'kecamatan', indicator: 'stunting', periods: [period] });
  const names = await sql<{ name: string; synthetic: boolean }>`
    SELECT r.name, EXISTS (SELECT 1 FROM child c WHERE c.kabupaten_code = r.code AND c.is_synthetic) AS synthetic
    FROM region r WHERE r.code = ${kab}`.execute(db);
  return {
    kabupatenCode: kab,
    kabupatenName: names.rows[0]?.name ?? kab,
    month: row.month,
    district,
    byKecamatan: kecamatan.map((k) => ({ code: k.code, name: k.name, stunting: k })),
    synthetic: names.rows[0]?.synthetic ?? false,
  };
}

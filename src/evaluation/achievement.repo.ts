/**
 * Achievement inputs read from the database, per desa and period: by-name counts (rollups,
 * people, families, services) and the sector figures entered with their evidence.
 *
 * The routine prevalence and D/S come from rollup_desa_month (sum over the period's months of the
 * monthly counts). When src/analytics exports its period services, this file is where to switch.
 */
import { sql } from 'kysely';
import type { ByNameMethod, ScorecardSettings } from './evaluation-config.js';
import type { EvalDb } from '../db/schema.js';
import { type Period, weeksOf } from './period.js';

/** Numerator and denominator of one by-name indicator in one desa. */
export interface DesaCount {
  desaCode: string;
  numerator: number;
  denominator: number;
}

/** Per-desa reporting in the period: months with any child weighed (completeness of by-name data). */
export interface DesaReporting {
  desaCode: string;
  monthsReported: number;
}

type Params = { kab: string; start: string; end: string };

async function rows(db: EvalDb, query: ReturnType<typeof sql<DesaCount>>): Promise<DesaCount[]> {
  const r = await query.execute(db);
  return r.rows.map((x) => ({ desaCode: x.desaCode, numerator: Number(x.numerator), denominator: Number(x.denominator) }));
}

const ofPeople = (p: Params, type: string, where: ReturnType<typeof sql>, numerator: ReturnType<typeof sql>) => sql<DesaCount>`
  SELECT p.desa_code AS "desaCode", count(*) AS denominator, count(*) FILTER (WHERE ${numerator}) AS numerator
  FROM person p
  WHERE p.kabupaten_code = ${p.kab} AND p.type = ${type} AND ${where}
  GROUP BY p.desa_code`;

const personHas = (code: string, from: string | null, to: string) => sql`EXISTS (
  SELECT 1 FROM service s WHERE s.kabupaten_code = p.kabupaten_code AND s.person_id = p.id
    AND s.intervention_code = ${code} AND s.served_on <= ${to}::date ${from ? sql`AND s.served_on >= ${from}::date` : sql``})`;

const childHas = (code: string, from: string | null, to: string) => sql`EXISTS (
  SELECT 1 FROM service s WHERE s.kabupaten_code = c.kabupaten_code AND s.child_id = c.id
    AND s.intervention_code = ${code} AND s.served_on <= ${to}::date ${from ? sql`AND s.served_on >= ${from}::date` : sql``})`;

const childrenTurning = (p: Params, ageDays: number, code: string) => sql<DesaCount>`
  SELECT c.desa_code AS "desaCode", count(*) AS denominator, count(*) FILTER (WHERE ${childHas(code, null, p.end)}) AS numerator
  FROM child c
  WHERE c.kabupaten_code = ${p.kab}
    AND c.birth_date BETWEEN ${p.start}::date - ${ageDays}::int AND ${p.end}::date - ${ageDays}::int
    AND c.registered_on <= ${p.end}::date AND (c.exited_on IS NULL OR c.exited_on >= c.birth_date + ${ageDays}::int)
  GROUP BY c.desa_code`;

// Each child counted once, by its worst weight-for-length in the period (WHO flags excluded).
const wasted = (p: Params, severe: boolean, code: string) => sql<DesaCount>`
  WITH worst AS (
    SELECT m.child_id, min(m.desa_code) AS desa_code, min(m.zwfl) AS z, bool_or(m.oedema) AS oedema
    FROM measurement m
    WHERE m.kabupaten_code = ${p.kab} AND m.measured_on BETWEEN ${p.start}::date AND ${p.end}::date
      AND ((m.zwfl IS NOT NULL AND m.fwfl = 0) OR m.oedema)
    GROUP BY m.child_id)
  SELECT w.desa_code AS "desaCode", count(*) AS denominator,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM service s WHERE s.kabupaten_code = ${p.kab} AND s.child_id = w.child_id
      AND s.intervention_code = ${code} AND s.served_on BETWEEN ${p.start}::date AND ${p.end}::date)) AS numerator
  FROM worst w
  WHERE ${severe ? sql`(w.z < -3 OR w.oedema)` : sql`(w.z >= -3 AND w.z < -2 AND NOT w.oedema)`}
  GROUP BY w.desa_code`;

/**
 * Numerator and denominator per desa of one by-name indicator over a period.
 * @see data/evaluation/indicator-methods.json for each method's definition
 */
export async function byNameCounts(db: EvalDb, method: ByNameMethod, kab: string, period: Period, settings: ScorecardSettings): Promise<DesaCount[]> {
  const p: Params = { kab, start: period.start, end: period.end };
  switch (method) {
    case 'prevalensi_stunting':
    case 'balita_dipantau': {
      const num = method === 'prevalensi_stunting' ? sql`stunted` : sql`measured`;
      const den = method === 'prevalensi_stunting' ? sql`stunting_denom` : sql`registered`;
      return rows(db, sql<DesaCount>`
        SELECT desa_code AS "desaCode", sum(${num}) AS numerator, sum(${den}) AS denominator
        FROM rollup_desa_month
        WHERE kabupaten_code = ${kab} AND month BETWEEN date_trunc('month', ${p.start}::date)::date AND ${p.end}::date
        GROUP BY desa_code HAVING sum(${den}) > 0`);
    }
    case 'pmt_bumil_kek':
      return rows(db, ofPeople(p, 'ibu_hamil', sql`p.kek AND p.hpht <= ${p.end}::date AND p.expected_delivery >= ${p.start}::date`, personHas('PMT_BUMIL_KEK', null, p.end)));
    case 'ttd_bumil':
      return rows(db, ofPeople(p, 'ibu_hamil', sql`p.expected_delivery BETWEEN ${p.start}::date AND ${p.end}::date`, sql`coalesce((
        SELECT sum(s.quantity) FROM service s WHERE s.kabupaten_code = p.kabupaten_code AND s.person_id = p.id
          AND s.intervention_code = 'TTD_BUMIL'), 0) >= ${settings.ttdPregnancyMinTablets}`));
    case 'ttd_rematri': {
      const min = settings.rematriMinTabletsPerWeek * weeksOf(period);
      return rows(db, ofPeople(p, 'remaja_putri', sql`p.registered_on <= ${p.end}::date`, sql`coalesce((
        SELECT sum(s.quantity) FROM service s WHERE s.kabupaten_code = p.kabupaten_code AND s.person_id = p.id
          AND s.intervention_code = 'TTD_REMATRI' AND s.served_on BETWEEN ${p.start}::date AND ${p.end}::date), 0) >= ${min}`));
    }
    case 'kb_pascapersalinan':
      return rows(db, ofPeople(p, 'ibu_nifas', sql`p.delivery_date BETWEEN ${p.start}::date AND ${p.end}::date`, personHas('KB_PASCAPERSALINAN', null, `9999-12-31`)));
    case 'pemeriksaan_catin':
      return rows(db, ofPeople(p, 'catin', sql`p.registered_on BETWEEN ${p.start}::date AND ${p.end}::date`, personHas('PEMERIKSAAN_CATIN', null, `9999-12-31`)));
    case 'asi_eksklusif':
      return rows(db, childrenTurning(p, 183, 'ASI_EKSKLUSIF'));
    case 'imunisasi_dasar_lengkap':
      return rows(db, childrenTurning(p, 365, 'IMUNISASI_DASAR_LENGKAP'));
    case 'mpasi':
      return rows(db, sql<DesaCount>`
        SELECT c.desa_code AS "desaCode", count(*) AS denominator, count(*) FILTER (WHERE ${childHas('MPASI', null, p.end)}) AS numerator
        FROM child c
        WHERE c.kabupaten_code = ${kab} AND c.birth_date BETWEEN ${p.end}::date - 730 AND ${p.end}::date - 183
          AND c.registered_on <= ${p.end}::date AND (c.exited_on IS NULL OR c.exited_on >= ${p.end}::date)
        GROUP BY c.desa_code`);
    case 'gizi_buruk_ditangani':
      return rows(db, wasted(p, true, 'TATA_LAKSANA_GIZI_BURUK'));
    case 'pmt_gizi_kurang':
      return rows(db, wasted(p, false, 'PMT_BALITA_GIZI_KURANG'));
    case 'krs_didampingi':
      return rows(db, sql<DesaCount>`
        SELECT f.desa_code AS "desaCode", count(*) AS denominator, count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM service s WHERE s.kabupaten_code = f.kabupaten_code AND s.family_id = f.id
            AND s.intervention_code = 'PENDAMPINGAN_KRS' AND s.served_on BETWEEN ${p.start}::date AND ${p.end}::date)) AS numerator
        FROM family f
        WHERE f.kabupaten_code = ${kab} AND f.at_risk AND (f.assessed_on IS NULL OR f.assessed_on <= ${p.end}::date)
        GROUP BY f.desa_code`);
  }
}

/** Months with at least one child weighed, per desa, in the period. */
export async function desaReporting(db: EvalDb, kab: string, period: Period): Promise<DesaReporting[]> {
  const r = await sql<{ desaCode: string; months: number }>`
    SELECT desa_code AS "desaCode", count(*) FILTER (WHERE measured > 0) AS months
    FROM rollup_desa_month
    WHERE kabupaten_code = ${kab} AND month BETWEEN date_trunc('month', ${period.start}::date)::date AND ${period.end}::date
    GROUP BY desa_code`.execute(db);
  return r.rows.map((x) => ({ desaCode: x.desaCode, monthsReported: Number(x.months) }));
}

/** One sector figure as entered, with who entered it and the evidence. */
export interface SectorFigure {
  id: number;
  indicatorId: string;
  regionCode: string;
  periodStart: string;
  periodEnd: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  source: string;
  evidence: string | null;
  evidenceUrl: string | null;
  enteredBy: string | null;
  enteredAt: string;
  completenessPercent: number | null;
}

/**
 * The sector figures whose period lies inside `period`: per indicator and region only the latest
 * (a figure for the second semester replaces the first's, as coverage is a state, not a flow).
 */
export async function sectorFigures(db: EvalDb, kab: string, period: Period): Promise<SectorFigure[]> {
  const r = await sql<SectorFigure & { enteredAt: Date }>`
    SELECT DISTINCT ON (v.indicator_id, v.region_code)
      v.id, v.indicator_id AS "indicatorId", v.region_code AS "regionCode", v.period_start AS "periodStart",
      v.period_end AS "periodEnd", v.numerator, v.denominator, v.value, v.source, v.evidence, v.evidence_url AS "evidenceUrl",
      u.display_name AS "enteredBy", v.entered_at AS "enteredAt", v.completeness_percent AS "completenessPercent"
    FROM indicator_value v LEFT JOIN app_user u ON u.id = v.entered_by
    WHERE v.kabupaten_code = ${kab} AND v.period_start >= ${period.start}::date AND v.period_end <= ${period.end}::date
    ORDER BY v.indicator_id, v.region_code, v.period_end DESC, v.entered_at DESC, v.id DESC`.execute(db);
  return r.rows.map((x) => ({ ...x, enteredAt: new Date(x.enteredAt).toISOString() }));
}

// The tables behind the correlated service look-ups (measurement and rollups plan well without statistics).
const SCANNED = ['child', 'person', 'family', 'service'] as const;

/**
 * Refreshes the planner statistics of the tables the by-name counts read when they are missing or
 * stale (right after a bulk load, before autovacuum got to them): without them PostgreSQL plans
 * the correlated service look-ups as repeated scans and a freeze takes minutes instead of
 * seconds. Returns the tables analysed; a user without the right to ANALYZE just goes on.
 */
export async function ensurePlannerStatistics(db: EvalDb): Promise<string[]> {
  const r = await sql<{ relname: string }>`
    SELECT relname FROM pg_stat_user_tables
    WHERE relname IN (${sql.join(SCANNED.map((t) => sql.lit(t)))})
      AND (coalesce(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > 0.1 * greatest(n_live_tup, 1000))`.execute(db);
  const done: string[] = [];
  for (const { relname } of r.rows) {
    if (!(SCANNED as readonly string[]).includes(relname)) continue;
    try {
      await sql`ANALYZE ${sql.table(relname)}`.execute(db);
      done.push(relname);
    } catch {
      // Not the table's owner (a read-only role): the counts are still right, only slower.
    }
  }
  return done;
}

/** A region of the kabupaten. */
export interface RegionInfo {
  code: string;
  name: string;
  level: 'kabupaten' | 'kecamatan' | 'desa';
  parentCode: string | null;
}

/** The kabupaten, its kecamatan and desa/kelurahan (kelurahan reported as desa level). */
export async function regionsOf(db: EvalDb, kab: string): Promise<RegionInfo[]> {
  const r = await db.selectFrom('region').select(['code', 'name', 'level', 'parent_code'])
    .where((eb) => eb.or([eb('code', '=', kab), eb('code', 'like', `${kab}.%`)])).orderBy('code').execute();
  return r.map((x) => ({
    code: x.code, name: x.name, parentCode: x.parent_code,
    level: x.level === 'kecamatan' ? 'kecamatan' : x.level === 'desa' || x.level === 'kelurahan' ? 'desa' : 'kabupaten',
  }));
}

/**
 * Batch job: the data validity score of each desa and year (src/quality/validity.ts) from each
 * child's latest measurement in the year, stored in desa_validity for the priority index. A desa
 * whose score is below the configured minimum is shown as "verifikasi data dulu" instead of
 * being ranked on numbers nobody trusts.
 */
import { sql } from 'kysely';
import { plausibility } from '../quality/plausibility.js';
import { validityScore } from '../quality/validity.js';
import { analyticsDb, type AnyDb } from './analytics.tables.js';

interface Row {
  desa_code: string;
  sex: number;
  age_days: number;
  weight_kg: number | null;
  lenhei_cm: number | null;
  muac_cm: number | null;
  oedema: boolean;
  zwfl: number | null;
  zlen: number | null;
  zwei: number | null;
}

export interface DesaValidity {
  desaCode: string;
  children: number;
  /** 0–100, null when fewer children than the minimum were measured. */
  score: number | null;
  problems: { component: string; deduction: number; problem: { id: string; en: string }; fix: { id: string; en: string } }[];
}

const DAYS_PER_MONTH = 365.25 / 12;

/** Validity of each desa from rows (one per child); pure. */
export function desaValidityFromRows(rows: readonly Row[], minChildren: number): DesaValidity[] {
  const byDesa = new Map<string, Row[]>();
  for (const r of rows) {
    let list = byDesa.get(r.desa_code);
    if (!list) byDesa.set(r.desa_code, (list = []));
    list.push(r);
  }
  const out: DesaValidity[] = [];
  for (const [desaCode, list] of [...byDesa].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (list.length < minChildren) {
      out.push({ desaCode, children: list.length, score: null, problems: [] });
      continue;
    }
    const col = (f: (r: Row) => number | null) => Float64Array.from(list, (r) => f(r) ?? NaN);
    const p = plausibility({
      sex: Float64Array.from(list, (r) => r.sex),
      ageMonths: col((r) => r.age_days / DAYS_PER_MONTH),
      weight: col((r) => r.weight_kg),
      height: col((r) => r.lenhei_cm),
      muac: col((r) => (r.muac_cm === null ? null : Math.round(r.muac_cm * 10))),
      whz: col((r) => r.zwfl),
      haz: col((r) => r.zlen),
      waz: col((r) => r.zwei),
      oedema: Float64Array.from(list, (r) => (r.oedema ? 1 : 0)),
    });
    const v = validityScore({ plausibility: p });
    out.push({
      desaCode,
      children: list.length,
      score: v.score,
      problems: v.problems.map((x) => ({ component: x.component, deduction: x.deduction, problem: x.problem, fix: x.fix })),
    });
  }
  return out;
}

/** Recomputes desa_validity of one kabupaten and year; returns the desa scored. */
export async function rebuildValidity(db: AnyDb, kabupatenCode: string, year: number, minChildren: number): Promise<DesaValidity[]> {
  const a = analyticsDb(db);
  const r = await sql<Row>`
    SELECT desa_code, sex, age_days, weight_kg, lenhei_cm, muac_cm, oedema, zwfl, zlen, zwei FROM (
      SELECT DISTINCT ON (m.child_id) m.* FROM measurement m
      WHERE m.kabupaten_code = ${kabupatenCode} AND m.measured_on >= ${`${year}-01-01`}::date AND m.measured_on < ${`${year + 1}-01-01`}::date
      ORDER BY m.child_id, m.measured_on DESC, m.id DESC) l
    WHERE age_days <= 1826`.execute(a);
  const result = desaValidityFromRows(r.rows, minChildren);
  await a.transaction().execute(async (trx) => {
    await trx.deleteFrom('desa_validity').where('kabupaten_code', '=', kabupatenCode).where('year', '=', year).execute();
    if (result.length > 0) {
      await trx.insertInto('desa_validity').values(result.map((v) => ({
        kabupaten_code: kabupatenCode, desa_code: v.desaCode, year, children: v.children, score: v.score, problems: JSON.stringify(v.problems),
      }))).execute();
    }
  });
  return result;
}

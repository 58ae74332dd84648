/**
 * The data validity summary of an evaluation report: src/quality's validity score on the
 * plausibility statistics of each kecamatan's measurements in the period's latest month.
 */
import { sql } from 'kysely';
import { plausibility } from '../quality/plausibility.js';
import { validityScore } from '../quality/validity.js';
import type { EvalDb } from '../db/schema.js';
import type { Period } from './period.js';

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

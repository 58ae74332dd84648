/**
 * Batch job: the data validity score of each desa and year, stored in desa_validity for the
 * priority index. The scores are src/quality's (quality.service.ts, table quality_score: the one
 * place validity is computed from the database); this job makes sure the year's monthly scores
 * are current and condenses each desa's months into the year's figure. A desa whose score is
 * below the configured minimum is shown as "verifikasi data dulu" instead of being ranked on
 * numbers nobody trusts.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { storedScores } from '../quality/quality.repo.js';
import { ensureScored } from '../quality/quality.service.js';
import { analyticsDb, type AnyDb } from './analytics.tables.js';

/** One stored desa-month score (quality_score, level desa). */
interface DesaMonthScore {
  desaCode: string;
  month: string;
  children: number;
  score: number | null;
  problems: { component: string; deduction: number; problem: { id: string; en: string }; fix: { id: string; en: string } }[];
}

export interface DesaValidity {
  desaCode: string;
  children: number;
  /** 0–100, null when fewer children than the minimum were measured. */
  score: number | null;
  problems: { component: string; deduction: number; problem: { id: string; en: string }; fix: { id: string; en: string } }[];
}

/**
 * Validity of each desa over a year from its stored monthly scores; pure. The score is the mean
 * of the scored months weighted by children measured; a problem is kept when its mean deduction
 * is at least half a point, worded as in its worst month. `childrenInYear`: distinct children
 * measured per desa (judged only from `minChildren`).
 */
export function desaValidityFromRows(rows: readonly DesaMonthScore[], minChildren: number, childrenInYear: ReadonlyMap<string, number> = new Map()): DesaValidity[] {
  const byDesa = new Map<string, DesaMonthScore[]>();
  for (const r of rows) {
    let list = byDesa.get(r.desaCode);
    if (!list) byDesa.set(r.desaCode, (list = []));
    list.push(r);
  }
  const out: DesaValidity[] = [];
  for (const [desaCode, list] of [...byDesa].sort((a, b) => a[0].localeCompare(b[0]))) {
    const children = childrenInYear.get(desaCode) ?? Math.max(...list.map((r) => r.children));
    const scored = list.filter((r) => r.score !== null && r.children > 0);
    const weight = scored.reduce((a, r) => a + r.children, 0);
    if (children < minChildren || weight === 0) {
      out.push({ desaCode, children, score: null, problems: [] });
      continue;
    }
    const score = Math.round((scored.reduce((a, r) => a + (r.score as number) * r.children, 0) / weight) * 10) / 10;
    const byComponent = new Map<string, { total: number; worst: DesaValidity['problems'][number] }>();
    for (const r of scored) {
      for (const p of r.problems) {
        const c = byComponent.get(p.component);
        if (!c) byComponent.set(p.component, { total: p.deduction * r.children, worst: p });
        else {
          c.total += p.deduction * r.children;
          if (p.deduction > c.worst.deduction) c.worst = p;
        }
      }
    }
    const problems = [...byComponent.values()]
      .map((c) => ({ ...c.worst, deduction: Math.round((c.total / weight) * 10) / 10 }))
      .filter((p) => p.deduction >= 0.5)
      .sort((a, b) => b.deduction - a.deduction);
    out.push({ desaCode, children, score, problems });
  }
  return out;
}

/** Recomputes desa_validity of one kabupaten and year from src/quality's stored scores (scoring the year first when they are missing or stale); returns the desa scored. */
export async function rebuildValidity(db: AnyDb, kabupatenCode: string, year: number, minChildren: number): Promise<DesaValidity[]> {
  const a = analyticsDb(db);
  const qdb = db as unknown as Kysely<Database>;
  const from = `${year}-01-01`;
  const to = `${year}-12-01`;
  await ensureScored(qdb, kabupatenCode, from, to);
  const stored = await storedScores(qdb, kabupatenCode, 'desa', from, to);
  const distinct = await sql<{ desa_code: string; n: number }>`
    SELECT desa_code, count(DISTINCT child_id)::int AS n FROM measurement
    WHERE kabupaten_code = ${kabupatenCode} AND measured_on >= ${from}::date AND measured_on < ${`${year + 1}-01-01`}::date AND age_days <= 1826
    GROUP BY desa_code`.execute(a);
  const result = desaValidityFromRows(
    stored.map((r) => ({ desaCode: r.unit, month: r.month, children: r.children, score: r.score, problems: r.problems as DesaMonthScore['problems'] })),
    minChildren,
    new Map(distinct.rows.map((r) => [r.desa_code, r.n])),
  );
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

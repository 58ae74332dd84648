/**
 * Batch job: the child-by-child alerts of one month (issue 6 §6), written to child_alert. For
 * each child, its latest measurement in the month (age ≤ 1826 days) is judged:
 * - T: weight not up (code T) but not twice in a row; 2T: T twice in a row;
 * - BGM: weight-for-age z below the red line (default < −3), unflagged;
 * - wasted: WHZ below −2 and not below −3; severely wasted: WHZ below −3 or bilateral oedema;
 * - newly stunted: HAZ below −2 while the child's previous unflagged HAZ was not;
 * - HAZ falling: HAZ at least 0.5 below the highest unflagged HAZ of the previous 92 days;
 * - not weighed: a registered under-five with no weighing in the last 2 months up to this one
 *   (registered before that window and not exited);
 * - kek_no_pmt: an ibu hamil with KEK, pregnant during the month, with no PMT recorded yet.
 * Thresholds are configuration (AnalyticsConfig.alerts). Existing alerts keep their status and
 * follow-up; open alerts of the month whose condition no longer holds (data corrected) go.
 */
import { sql } from 'kysely';
import type { AnalyticsConfig } from './analytics-config.schema.js';
import { analyticsDb, type AlertKind, type AnyDb } from './analytics.tables.js';
import { addMonths } from './periods.js';

export interface AlertRefreshResult {
  month: string;
  byKind: Partial<Record<AlertKind, number>>;
  removed: number;
}

/**
 * Recomputes the alerts of one kabupaten and month (`month` = its first day) in one
 * transaction; returns the number of alerts per kind and how many stale open ones were removed.
 */
export async function refreshAlerts(db: AnyDb, kabupatenCode: string, month: string, config: AnalyticsConfig['alerts']): Promise<AlertRefreshResult> {
  const ms = `${month.slice(0, 7)}-01`;
  const me = addMonths(ms, 1);
  const ws = addMonths(ms, -(config.notWeighedMonths - 1));
  const run = async (trx: AnyDb): Promise<AlertRefreshResult> => {
    const t = analyticsDb(trx);
    await sql`DROP TABLE IF EXISTS pg_temp.alert_candidate`.execute(t);
    await sql`CREATE TEMP TABLE alert_candidate (kind text, child_id bigint, person_id bigint, desa_code text, posyandu_id bigint,
      measurement_id bigint, detail jsonb) ON COMMIT DROP`.execute(t);
    await sql`DROP TABLE IF EXISTS pg_temp.alert_latest`.execute(t);
    await sql`
      CREATE TEMP TABLE alert_latest ON COMMIT DROP AS
      SELECT * FROM (
        SELECT DISTINCT ON (m.child_id) m.id, m.child_id, m.desa_code, m.posyandu_id, m.measured_on, m.age_days, m.weight_kg,
          m.oedema, m.zlen, m.flen, m.zwei, m.fwei, m.zwfl, m.fwfl, m.weight_gain, m.two_t
        FROM measurement m
        WHERE m.kabupaten_code = ${kabupatenCode} AND m.month = ${ms}::date
        ORDER BY m.child_id, m.measured_on DESC, m.id DESC) l
      WHERE l.age_days <= 1826`.execute(t);
    const base = sql.raw(`child_id, NULL::bigint, desa_code, posyandu_id, id`);
    await sql`
      INSERT INTO alert_candidate
      SELECT 'T', ${base}, jsonb_build_object('measuredOn', measured_on, 'weightKg', weight_kg) FROM alert_latest WHERE weight_gain = 'T' AND NOT two_t
      UNION ALL
      SELECT '2T', ${base}, jsonb_build_object('measuredOn', measured_on, 'weightKg', weight_kg) FROM alert_latest WHERE two_t
      UNION ALL
      SELECT 'BGM', ${base}, jsonb_build_object('measuredOn', measured_on, 'zwei', zwei) FROM alert_latest WHERE fwei = 0 AND zwei < ${config.bgmWazBelow}
      UNION ALL
      SELECT 'severely_wasted', ${base}, jsonb_build_object('measuredOn', measured_on, 'zwfl', zwfl, 'oedema', oedema) FROM alert_latest
        WHERE oedema OR (fwfl = 0 AND zwfl < ${config.severeWastingWhzBelow})
      UNION ALL
      SELECT 'wasted', ${base}, jsonb_build_object('measuredOn', measured_on, 'zwfl', zwfl) FROM alert_latest
        WHERE NOT oedema AND fwfl = 0 AND zwfl < ${config.wastingWhzBelow} AND zwfl >= ${config.severeWastingWhzBelow}`.execute(t);
    await sql`
      INSERT INTO alert_candidate
      SELECT 'newly_stunted', l.child_id, NULL, l.desa_code, l.posyandu_id, l.id,
        jsonb_build_object('measuredOn', l.measured_on, 'zlen', l.zlen, 'previousZlen', p.zlen, 'previousOn', p.measured_on)
      FROM alert_latest l
      JOIN LATERAL (
        SELECT q.zlen, q.measured_on FROM measurement q
        WHERE q.kabupaten_code = ${kabupatenCode} AND q.child_id = l.child_id AND q.flen = 0 AND (q.measured_on, q.id) < (l.measured_on, l.id)
        ORDER BY q.measured_on DESC, q.id DESC LIMIT 1) p ON true
      WHERE l.flen = 0 AND l.zlen < ${config.stuntingHazBelow} AND p.zlen >= ${config.stuntingHazBelow}`.execute(t);
    await sql`
      INSERT INTO alert_candidate
      SELECT 'haz_falling', l.child_id, NULL, l.desa_code, l.posyandu_id, l.id,
        jsonb_build_object('measuredOn', l.measured_on, 'zlen', l.zlen, 'previousZlen', p.zlen, 'previousOn', p.measured_on,
          'drop', p.zlen - l.zlen, 'days', l.measured_on - p.measured_on)
      FROM alert_latest l
      JOIN LATERAL (
        SELECT q.zlen, q.measured_on FROM measurement q
        WHERE q.kabupaten_code = ${kabupatenCode} AND q.child_id = l.child_id AND q.flen = 0 AND (q.measured_on, q.id) < (l.measured_on, l.id)
          AND q.measured_on >= l.measured_on - ${config.hazFallWindowDays}::int
        ORDER BY q.zlen DESC, q.measured_on DESC LIMIT 1) p ON true
      WHERE l.flen = 0 AND p.zlen - l.zlen >= ${config.hazFallAtLeast}`.execute(t);
    await sql`
      INSERT INTO alert_candidate
      SELECT 'not_weighed', c.id, NULL, c.desa_code, c.posyandu_id, NULL,
        jsonb_build_object('months', ${config.notWeighedMonths}::int, 'lastWeighedOn', (
          SELECT max(q.measured_on) FROM measurement q
          WHERE q.kabupaten_code = c.kabupaten_code AND q.child_id = c.id AND q.weight_kg IS NOT NULL AND q.measured_on < ${ws}::date))
      FROM child c
      WHERE c.kabupaten_code = ${kabupatenCode} AND c.birth_date < ${me}::date AND ${ms}::date - c.birth_date <= 1826
        AND c.registered_on < ${ws}::date AND (c.exited_on IS NULL OR c.exited_on >= ${ms}::date)
        AND NOT EXISTS (
          SELECT 1 FROM measurement q
          WHERE q.kabupaten_code = c.kabupaten_code AND q.child_id = c.id AND q.weight_kg IS NOT NULL
            AND q.measured_on >= ${ws}::date AND q.measured_on < ${me}::date)`.execute(t);
    await sql`
      INSERT INTO alert_candidate
      SELECT 'kek_no_pmt', NULL, p.id, p.desa_code, p.posyandu_id, NULL, jsonb_build_object('lilaCm', p.lila_cm)
      FROM person p
      WHERE p.kabupaten_code = ${kabupatenCode} AND p.type = 'ibu_hamil' AND p.kek
        AND p.registered_on < ${me}::date AND coalesce(p.hpht, p.registered_on) < ${me}::date
        AND coalesce(p.expected_delivery, coalesce(p.hpht, p.registered_on) + 280) >= ${ms}::date
        AND NOT EXISTS (
          SELECT 1 FROM service s
          WHERE s.kabupaten_code = p.kabupaten_code AND s.person_id = p.id AND s.intervention_code = ${config.kekPmtIntervention}
            AND s.served_on < ${me}::date)`.execute(t);
    await sql`
      INSERT INTO child_alert (kabupaten_code, desa_code, posyandu_id, child_id, person_id, kind, month, measurement_id, detail)
      SELECT ${kabupatenCode}, desa_code, posyandu_id, child_id, NULL, kind, ${ms}::date, measurement_id, detail
      FROM alert_candidate WHERE child_id IS NOT NULL
      ON CONFLICT (kind, child_id, month) WHERE child_id IS NOT NULL DO UPDATE
        SET desa_code = EXCLUDED.desa_code, posyandu_id = EXCLUDED.posyandu_id, measurement_id = EXCLUDED.measurement_id, detail = EXCLUDED.detail`.execute(t);
    await sql`
      INSERT INTO child_alert (kabupaten_code, desa_code, posyandu_id, child_id, person_id, kind, month, measurement_id, detail)
      SELECT ${kabupatenCode}, desa_code, posyandu_id, NULL, person_id, kind, ${ms}::date, NULL, detail
      FROM alert_candidate WHERE person_id IS NOT NULL
      ON CONFLICT (kind, person_id, month) WHERE person_id IS NOT NULL DO UPDATE
        SET desa_code = EXCLUDED.desa_code, posyandu_id = EXCLUDED.posyandu_id, detail = EXCLUDED.detail`.execute(t);
    const removed = await sql`
      DELETE FROM child_alert a
      WHERE a.kabupaten_code = ${kabupatenCode} AND a.month = ${ms}::date AND a.status = 'open'
        AND NOT EXISTS (
          SELECT 1 FROM alert_candidate c
          WHERE c.kind = a.kind AND c.child_id IS NOT DISTINCT FROM a.child_id AND c.person_id IS NOT DISTINCT FROM a.person_id)`.execute(t);
    const counts = await sql<{ kind: AlertKind; n: number }>`SELECT kind, count(*)::int AS n FROM alert_candidate GROUP BY kind`.execute(t);
    return {
      month: ms,
      byKind: Object.fromEntries(counts.rows.map((r) => [r.kind, r.n])),
      removed: Number(removed.numAffectedRows ?? 0),
    };
  };
  const a = analyticsDb(db);
  if (a.isTransaction) return run(a);
  return a.transaction().execute((trx) => run(trx));
}

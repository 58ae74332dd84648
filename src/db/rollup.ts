import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Rollups per desa × month and posyandu × month (docs/DATA-MODEL.md "Rollups"):
 * - registered (S): children whose desa (posyandu) is the unit, born by the end of the month,
 *   aged ≤ 1826 days (under 60 months) at the start of the month, registered by the end of the
 *   month and not exited before it started;
 * - per child and month the latest measurement (measured_on, then id) counts in the unit where
 *   it was taken, when the child was under 60 months (age_days ≤ 1826): measured (D) counts them,
 *   weight_up (N) those with code N over weight_gain_denom (codes N or T, SKDN convention);
 * - stunted/severely_stunted over stunting_denom (zlen present and flen = 0), wasted/
 *   severely_wasted/overweight over wasting_denom (zwfl, fwfl = 0), underweight over
 *   underweight_denom (zwei, fwei = 0): a flagged value leaves that indicator's denominator;
 * - flagged: latest measurements with any of flen, fwei, fwfl = 1.
 */

export interface DesaMonthKey { desaCode: string; month: string }
export interface PosyanduMonthKey { posyanduId: number; month: string }

/** The keys a write touched; recomputed together at the end of the writing transaction. */
export class RollupKeys {
  private readonly desa = new Map<string, DesaMonthKey>();
  private readonly posyandu = new Map<string, PosyanduMonthKey>();

  addDesa(desaCode: string, month: string): void {
    this.desa.set(`${desaCode}|${month}`, { desaCode, month });
  }

  addPosyandu(posyanduId: number | null, month: string): void {
    if (posyanduId !== null) this.posyandu.set(`${posyanduId}|${month}`, { posyanduId, month });
  }

  /** Both units of a measurement (or a child's registration) in one month. */
  add(desaCode: string, posyanduId: number | null, month: string): void {
    this.addDesa(desaCode, month);
    this.addPosyandu(posyanduId, month);
  }

  get size(): number {
    return this.desa.size + this.posyandu.size;
  }

  desaKeys(): DesaMonthKey[] {
    return [...this.desa.values()].sort((a, b) => a.desaCode.localeCompare(b.desaCode) || a.month.localeCompare(b.month));
  }

  posyanduKeys(): PosyanduMonthKey[] {
    return [...this.posyandu.values()].sort((a, b) => a.posyanduId - b.posyanduId || a.month.localeCompare(b.month));
  }
}

/** First day of the month of a yyyy-mm-dd date. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** First days of every month from `from`'s month to `to`'s month inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  const out: string[] = [];
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${y}-${String(m).padStart(2, '0')}-01`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

const DAY = 86_400_000;

/** Last registered-under-five day: birth + 1826 days (the child is counted in S while ≤ 1826 days old at a month's start). */
export function lastUnderFiveDay(birthDate: string): string {
  return new Date(Date.parse(`${birthDate}T00:00:00Z`) + 1826 * DAY).toISOString().slice(0, 10);
}

/** Months in which a child with these dates can count in S (a superset is harmless: keys are recomputed). */
export function registrationMonths(child: { birth_date: string; registered_on: string; exited_on: string | null }): string[] {
  const start = child.registered_on > child.birth_date ? child.registered_on : child.birth_date;
  let end = lastUnderFiveDay(child.birth_date);
  if (child.exited_on !== null && child.exited_on < end) end = child.exited_on;
  if (end < start) return [];
  return monthsBetween(start, end);
}

type Db = Kysely<Database> | Transaction<Database>;

const COUNT_COLUMNS = [
  'registered', 'measured', 'weight_up', 'weight_gain_denom', 'two_t', 'stunted', 'severely_stunted',
  'stunting_denom', 'wasted', 'severely_wasted', 'overweight', 'wasting_denom', 'underweight',
  'underweight_denom', 'flagged',
] as const;

const AGG = sql.raw(`
  count(*)::int AS measured,
  count(*) FILTER (WHERE weight_gain = 'N')::int AS weight_up,
  count(*) FILTER (WHERE weight_gain IN ('N', 'T'))::int AS weight_gain_denom,
  count(*) FILTER (WHERE two_t)::int AS two_t,
  count(*) FILTER (WHERE flen = 0 AND zlen < -2)::int AS stunted,
  count(*) FILTER (WHERE flen = 0 AND zlen < -3)::int AS severely_stunted,
  count(*) FILTER (WHERE flen = 0)::int AS stunting_denom,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl < -2)::int AS wasted,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl < -3)::int AS severely_wasted,
  count(*) FILTER (WHERE fwfl = 0 AND zwfl > 2)::int AS overweight,
  count(*) FILTER (WHERE fwfl = 0)::int AS wasting_denom,
  count(*) FILTER (WHERE fwei = 0 AND zwei < -2)::int AS underweight,
  count(*) FILTER (WHERE fwei = 0)::int AS underweight_denom,
  count(*) FILTER (WHERE flen = 1 OR fwei = 1 OR fwfl = 1)::int AS flagged`);

const LATEST_COLUMNS = sql.raw(
  'm.desa_code, m.posyandu_id, m.month, m.age_days, m.weight_gain, m.two_t, m.zlen, m.flen, m.zwfl, m.fwfl, m.zwei, m.fwei',
);

const SELECT_COUNTS = sql.raw(
  ['coalesce(r.registered, 0)', ...COUNT_COLUMNS.slice(1).map((c) => `coalesce(a.${c}, 0)`)].join(', '),
);

/**
 * Recomputes the rollup rows of the given keys from raw data (rows without children or
 * measurements disappear). Must run inside the writing transaction (it uses a temporary table
 * dropped at commit); keys are locked in a fixed
 * order first so concurrent writers to the same unit × month serialise and the last one
 * recomputes from committed data.
 */
export async function recomputeRollups(db: Db, keys: RollupKeys, strategy: 'auto' | 'bulk' | 'keys' = 'auto'): Promise<void> {
  const desa = keys.desaKeys();
  const posy = keys.posyanduKeys();
  if (desa.length + posy.length === 0) return;
  const bulk = strategy === 'bulk' || (strategy === 'auto' && desa.length + posy.length > 2000);
  if (!bulk) {
    const lockIds = [...desa.map((k) => `d|${k.desaCode}|${k.month}`), ...posy.map((k) => `p|${k.posyanduId}|${k.month}`)].sort();
    await sql`SELECT pg_advisory_xact_lock(7411, hashtext(k)) FROM unnest(${lockIds}::text[]) AS k ORDER BY k`.execute(db);
  } else {
    // A bulk load touches most units: one exclusive lock on the tables is cheaper and equivalent,
    // and its sorts of hundreds of thousands of rows should stay in memory.
    await sql`LOCK TABLE rollup_desa_month, rollup_posyandu_month IN SHARE ROW EXCLUSIVE MODE`.execute(db);
    await sql`SET LOCAL work_mem = '128MB'`.execute(db);
  }
  await loadKeys(db, 'rollup_keys_desa', 'text', desa.map((k) => k.desaCode), desa.map((k) => k.month), bulk);
  await loadKeys(db, 'rollup_keys_posyandu', 'bigint', posy.map((k) => String(k.posyanduId)), posy.map((k) => k.month), bulk);
  if (bulk) {
    // One sequential pass over the affected kabupaten × months and one sort serve both kinds of
    // unit. A child's measurements all carry its kabupaten, so every child-month with a row in a
    // key is inside this superset whole; child-months outside any key are dropped by the joins
    // with the keys in recomputeUnit. Cheaper than finding the child-months by index probes per key
    // once the keys cover a large part of the data (a bulk load, a rebuild).
    await sql`DROP TABLE IF EXISTS pg_temp.rollup_latest`.execute(db);
    await sql`CREATE TEMP TABLE rollup_latest ON COMMIT DROP AS
      SELECT DISTINCT ON (m.child_id, m.month) ${LATEST_COLUMNS}
      FROM measurement m
      WHERE m.month IN (SELECT month FROM rollup_keys_desa UNION SELECT month FROM rollup_keys_posyandu)
        AND m.kabupaten_code IN (
          SELECT left(unit, 5) FROM rollup_keys_desa
          UNION SELECT f.kabupaten_code FROM rollup_keys_posyandu k JOIN facility f ON f.id = k.unit)
      ORDER BY m.child_id, m.month, m.measured_on DESC, m.id DESC`.execute(db);
    await sql`ANALYZE rollup_latest`.execute(db);
  }
  if (desa.length > 0) await recomputeUnit(db, 'desa', bulk);
  if (posy.length > 0) await recomputeUnit(db, 'posyandu', bulk);
}

/** Keys into a temporary table with statistics, so the planner sizes the joins right. */
async function loadKeys(db: Db, name: string, unitType: 'text' | 'bigint', units: string[], months: string[], analyze: boolean): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${sql.raw(`pg_temp.${name}`)}`.execute(db);
  await sql`CREATE TEMP TABLE ${sql.raw(name)} ON COMMIT DROP AS
    SELECT DISTINCT u::${sql.raw(unitType)} AS unit, m::date AS month FROM unnest(${units}::text[], ${months}::date[]) AS k(u, m)`.execute(db);
  if (analyze) await sql`ANALYZE ${sql.raw(name)}`.execute(db);
}

async function recomputeUnit(db: Db, kind: 'desa' | 'posyandu', bulk: boolean): Promise<void> {
  const unit = sql.raw(kind === 'desa' ? 'desa_code' : 'posyandu_id');
  const table = sql.raw(kind === 'desa' ? 'rollup_desa_month' : 'rollup_posyandu_month');
  const keys = sql.raw(kind === 'desa' ? 'rollup_keys_desa' : 'rollup_keys_posyandu');
  await sql`DELETE FROM ${table} r USING ${keys} k WHERE r.${unit} = k.unit AND r.month = k.month`.execute(db);
  // Child-months with a measurement in a key, then each one's latest measurement: for a few keys
  // one backward index step per child-month; a bulk load sorted them all once (rollup_latest).
  const latest = bulk
    ? sql`SELECT * FROM rollup_latest`
    : sql`SELECT l.* FROM cm CROSS JOIN LATERAL (
          SELECT ${LATEST_COLUMNS} FROM measurement m
          WHERE m.child_id = cm.child_id AND m.measured_on >= cm.month AND m.measured_on < (cm.month + interval '1 month')::date
          ORDER BY m.measured_on DESC, m.id DESC LIMIT 1) l`;
  // S: each child of a key's unit counts in the months from max(birth, registration) to
  // min(birth + 1826 days, exit) — the definition above, expanded month by month.
  const insertCols = kind === 'desa'
    ? sql`kabupaten_code, desa_code, month`
    : sql`kabupaten_code, posyandu_id, desa_code, month`;
  const insertKey = kind === 'desa'
    ? sql`left(k.unit, 5), k.unit, k.month`
    : sql`f.kabupaten_code, k.unit, f.desa_code, k.month`;
  const facilityJoin = kind === 'desa' ? sql`` : sql`JOIN facility f ON f.id = k.unit`;
  await sql`
    WITH cm AS (SELECT DISTINCT m2.child_id, m2.month FROM measurement m2 JOIN ${keys} k ON m2.${unit} = k.unit AND m2.month = k.month),
    latest AS (${latest}),
    a AS (
      SELECT l.${unit} AS unit, l.month, ${AGG}
      FROM latest l JOIN ${keys} k ON k.unit = l.${unit} AND k.month = l.month
      WHERE l.age_days <= 1826
      GROUP BY l.${unit}, l.month),
    r AS (
      SELECT c.${unit} AS unit, g.month::date AS month, count(*)::int AS registered
      FROM child c
      CROSS JOIN LATERAL generate_series(
        date_trunc('month', greatest(c.birth_date, c.registered_on)::timestamp),
        date_trunc('month', least(c.birth_date + 1826, coalesce(c.exited_on, c.birth_date + 1826))::timestamp),
        interval '1 month') AS g(month)
      WHERE c.${unit} IN (SELECT unit FROM ${keys})
      GROUP BY c.${unit}, g.month)
    INSERT INTO ${table} (${insertCols}, ${sql.raw(COUNT_COLUMNS.join(', '))})
    SELECT ${insertKey}, ${SELECT_COUNTS}
    FROM ${keys} k ${facilityJoin}
      LEFT JOIN r ON r.unit = k.unit AND r.month = k.month
      LEFT JOIN a ON a.unit = k.unit AND a.month = k.month
    WHERE r.registered IS NOT NULL OR a.measured IS NOT NULL`.execute(db);
}

/** Rebuilds every rollup row from raw data (after a restore, or when a definition changed). */
export async function rebuildAllRollups(db: Db, strategy: 'auto' | 'bulk' | 'keys' = 'auto'): Promise<void> {
  if (!db.isTransaction) {
    await (db as Kysely<Database>).transaction().execute((trx) => rebuildAllRollups(trx, strategy));
    return;
  }
  const keys = new RollupKeys();
  const fromMeasurements = await sql<{ desa_code: string; posyandu_id: number | null; month: string }>`
    SELECT DISTINCT desa_code, posyandu_id, month FROM measurement`.execute(db);
  for (const r of fromMeasurements.rows) keys.add(r.desa_code, r.posyandu_id, r.month);
  const children = await db.selectFrom('child').select(['desa_code', 'posyandu_id', 'birth_date', 'registered_on', 'exited_on']).execute();
  for (const c of children) for (const m of registrationMonths(c)) keys.add(c.desa_code, c.posyandu_id, m);
  await sql`DELETE FROM rollup_desa_month`.execute(db);
  await sql`DELETE FROM rollup_posyandu_month`.execute(db);
  await recomputeRollups(db, keys, strategy);
}

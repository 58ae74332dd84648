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
 * measurements disappear). Must run inside the writing transaction; keys are locked in a fixed
 * order first so concurrent writers to the same unit × month serialise and the last one
 * recomputes from committed data. A few keys (a form's save) take one statement without
 * temporary tables whose measurement reads are bounded by the keys' months, so PostgreSQL reads
 * only those months' partitions; many keys (a bulk load, a rebuild) take temporary tables.
 */
export async function recomputeRollups(db: Db, keys: RollupKeys, strategy: 'auto' | 'bulk' | 'keys' = 'auto'): Promise<void> {
  const desa = keys.desaKeys();
  const posy = keys.posyanduKeys();
  if (desa.length + posy.length === 0) return;
  const bulk = strategy === 'bulk' || (strategy === 'auto' && desa.length + posy.length > 2000);
  if (!bulk) {
    const lockIds = [...desa.map((k) => `d|${k.desaCode}|${k.month}`), ...posy.map((k) => `p|${k.posyanduId}|${k.month}`)].sort();
    await sql`SELECT pg_advisory_xact_lock(7411, hashtext(k)) FROM unnest(${lockIds}::text[]) AS k ORDER BY k`.execute(db);
    // A separate statement from the lock: its snapshot must be taken after the lock was granted.
    await recomputeKeys(db, desa, posy);
    return;
  }
  // A bulk load touches most units: one exclusive lock on the tables is cheaper and equivalent,
  // and its sorts of hundreds of thousands of rows should stay in memory.
  await sql`LOCK TABLE rollup_desa_month, rollup_posyandu_month IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  await sql`SET LOCAL work_mem = '128MB'`.execute(db);
  await loadKeys(db, 'rollup_keys_desa', 'text', desa.map((k) => k.desaCode), desa.map((k) => k.month));
  await loadKeys(db, 'rollup_keys_posyandu', 'bigint', posy.map((k) => String(k.posyanduId)), posy.map((k) => k.month));
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
  if (desa.length > 0) await recomputeUnit(db, 'desa');
  if (posy.length > 0) await recomputeUnit(db, 'posyandu');
}

/** First day of the month after a yyyy-mm-01 month. */
function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const UPDATE_COUNTS = sql.raw(COUNT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '));

/**
 * The keys path: both kinds of unit in one statement (keys as arrays, no temporary tables).
 * Every read of measurement carries literal measured_on bounds (the first key month to the end
 * of the last), so planning and execution see only those months' partitions. Rows that stay
 * non-empty are upserted, emptied ones deleted: two disjoint sets of keys, so the four
 * data-modifying parts of the statement never touch the same row.
 */
async function recomputeKeys(db: Db, desa: DesaMonthKey[], posy: PosyanduMonthKey[]): Promise<void> {
  let lo = '9999-12-01';
  let hi = '0000-01-01';
  for (const k of [...desa, ...posy]) {
    if (k.month < lo) lo = k.month;
    if (k.month > hi) hi = k.month;
  }
  const end = nextMonth(hi);
  const agg = (unit: 'desa_code' | 'posyandu_id', keysName: 'kd' | 'kp') => sql`
    SELECT l.${sql.raw(unit)} AS unit, l.month, ${AGG}
    FROM latest l JOIN ${sql.raw(keysName)} k ON k.unit = l.${sql.raw(unit)} AND k.month = l.month
    WHERE l.age_days <= 1826
    GROUP BY l.${sql.raw(unit)}, l.month`;
  // S: a child counts in the months from max(birth, registration) to min(birth + 1826 days,
  // exit) — the generate_series of recomputeUnit, as a range test per key month.
  const registered = (unit: 'desa_code' | 'posyandu_id', keysName: 'kd' | 'kp') => sql`
    SELECT k.unit, k.month, count(*)::int AS registered
    FROM ${sql.raw(keysName)} k JOIN child c ON c.${sql.raw(unit)} = k.unit
    WHERE date_trunc('month', greatest(c.birth_date, c.registered_on)::timestamp) <= k.month
      AND date_trunc('month', least(c.birth_date + 1826, coalesce(c.exited_on, c.birth_date + 1826))::timestamp) >= k.month
    GROUP BY k.unit, k.month`;
  const counts = (r: string, a: string) => sql.raw(
    [`coalesce(${r}.registered, 0) AS registered`, ...COUNT_COLUMNS.slice(1).map((c) => `coalesce(${a}.${c}, 0) AS ${c}`)].join(', '),
  );
  const cols = sql.raw(COUNT_COLUMNS.join(', '));
  await sql`
    WITH kd AS (
      SELECT DISTINCT u AS unit, m AS month FROM unnest(${desa.map((k) => k.desaCode)}::text[], ${desa.map((k) => k.month)}::date[]) AS x(u, m)),
    kp AS (
      SELECT DISTINCT u AS unit, m AS month FROM unnest(${posy.map((k) => k.posyanduId)}::bigint[], ${posy.map((k) => k.month)}::date[]) AS x(u, m)),
    cm AS (
      SELECT m.child_id, m.month FROM measurement m JOIN kd k ON m.desa_code = k.unit AND m.month = k.month
      WHERE m.measured_on >= ${lo}::date AND m.measured_on < ${end}::date
      UNION
      SELECT m.child_id, m.month FROM measurement m JOIN kp k ON m.posyandu_id = k.unit AND m.month = k.month
      WHERE m.measured_on >= ${lo}::date AND m.measured_on < ${end}::date),
    latest AS (
      SELECT l.* FROM cm CROSS JOIN LATERAL (
        SELECT ${LATEST_COLUMNS} FROM measurement m
        WHERE m.child_id = cm.child_id AND m.measured_on >= cm.month AND m.measured_on < (cm.month + interval '1 month')::date
          AND m.measured_on >= ${lo}::date AND m.measured_on < ${end}::date
        ORDER BY m.measured_on DESC, m.id DESC LIMIT 1) l),
    ad AS (${agg('desa_code', 'kd')}),
    ap AS (${agg('posyandu_id', 'kp')}),
    rd AS (${registered('desa_code', 'kd')}),
    rp AS (${registered('posyandu_id', 'kp')}),
    nd AS (
      SELECT left(k.unit, 5) AS kabupaten_code, k.unit AS desa_code, k.month, ${counts('r', 'a')}
      FROM kd k LEFT JOIN rd r ON r.unit = k.unit AND r.month = k.month LEFT JOIN ad a ON a.unit = k.unit AND a.month = k.month
      WHERE r.registered IS NOT NULL OR a.measured IS NOT NULL),
    np AS (
      SELECT f.kabupaten_code, k.unit AS posyandu_id, f.desa_code, k.month, ${counts('r', 'a')}
      FROM kp k JOIN facility f ON f.id = k.unit
        LEFT JOIN rp r ON r.unit = k.unit AND r.month = k.month LEFT JOIN ap a ON a.unit = k.unit AND a.month = k.month
      WHERE r.registered IS NOT NULL OR a.measured IS NOT NULL),
    dd AS (
      DELETE FROM rollup_desa_month x USING kd k
      WHERE x.desa_code = k.unit AND x.month = k.month AND NOT EXISTS (SELECT 1 FROM nd WHERE nd.desa_code = k.unit AND nd.month = k.month)),
    dp AS (
      DELETE FROM rollup_posyandu_month x USING kp k
      WHERE x.posyandu_id = k.unit AND x.month = k.month AND NOT EXISTS (SELECT 1 FROM np WHERE np.posyandu_id = k.unit AND np.month = k.month)),
    ud AS (
      INSERT INTO rollup_desa_month (kabupaten_code, desa_code, month, ${cols}) SELECT * FROM nd
      ON CONFLICT (kabupaten_code, desa_code, month) DO UPDATE SET ${UPDATE_COUNTS})
    INSERT INTO rollup_posyandu_month (kabupaten_code, posyandu_id, desa_code, month, ${cols}) SELECT * FROM np
    ON CONFLICT (kabupaten_code, posyandu_id, month) DO UPDATE SET desa_code = excluded.desa_code, ${UPDATE_COUNTS}`.execute(db);
}

/**
 * Count changes of rollup rows, per `unit|yyyy-mm-01`: `measured` then the indicator columns in
 * the order of src/db/rollup-delta.ts's BIT (COUNT_COLUMNS without `registered`).
 */
export interface RollupAdjustment {
  desa: Map<string, number[]>;
  posyandu: Map<string, number[]>;
}

/**
 * Adds count changes to the stored rollups of one kabupaten (a single measurement's write, whose
 * effect on every unit × month is known exactly: its child-months' latest measurements before and
 * after). The keys are locked as recomputeRollups locks them, so a recomputation of the same keys
 * by another transaction either sees this one's committed rows or runs first. Stored rows change
 * by the difference (correct as long as they were, which every write path keeps); a unit × month
 * without a stored row yet is recomputed from raw data instead, and rows left without registered
 * or measured children are deleted, as a recomputation would leave them out.
 */
export async function adjustRollups(db: Db, kabupatenCode: string, adj: RollupAdjustment): Promise<void> {
  const rows = (m: Map<string, number[]>) => [...m].filter(([, c]) => c.some((v) => v !== 0)).map(([key, c]) => {
    const bar = key.lastIndexOf('|');
    return { u: key.slice(0, bar), m: key.slice(bar + 1), c };
  });
  const desa = rows(adj.desa);
  const posy = rows(adj.posyandu);
  if (desa.length + posy.length === 0) return;
  const lockIds = [...desa.map((r) => `d|${r.u}|${r.m}`), ...posy.map((r) => `p|${r.u}|${r.m}`)].sort();
  await sql`SELECT pg_advisory_xact_lock(7411, hashtext(k)) FROM unnest(${lockIds}::text[]) AS k ORDER BY k`.execute(db);
  const add = sql.raw(COUNT_COLUMNS.slice(1).map((c, i) => `${c} = r.${c} + x.c[${i + 1}]`).join(', '));
  const updated = await sql<{ kind: 'd' | 'p'; unit: string; month: string; emptied: boolean }>`
    WITH ud AS (
      UPDATE rollup_desa_month r SET ${add}
      FROM jsonb_to_recordset(${JSON.stringify(desa)}::jsonb) AS x(u text, m date, c int[])
      WHERE r.kabupaten_code = ${kabupatenCode} AND r.desa_code = x.u AND r.month = x.m
      RETURNING r.desa_code AS unit, r.month, r.registered = 0 AND r.measured = 0 AS emptied),
    up AS (
      UPDATE rollup_posyandu_month r SET ${add}
      FROM jsonb_to_recordset(${JSON.stringify(posy)}::jsonb) AS x(u bigint, m date, c int[])
      WHERE r.kabupaten_code = ${kabupatenCode} AND r.posyandu_id = x.u AND r.month = x.m
      RETURNING r.posyandu_id::text AS unit, r.month, r.registered = 0 AND r.measured = 0 AS emptied)
    SELECT 'd' AS kind, unit, to_char(month, 'YYYY-MM-DD') AS month, emptied FROM ud
    UNION ALL SELECT 'p', unit, to_char(month, 'YYYY-MM-DD'), emptied FROM up`.execute(db);
  const seen = new Set(updated.rows.map((r) => `${r.kind}|${r.unit}|${r.month}`));
  const missing = new RollupKeys();
  for (const r of desa) if (!seen.has(`d|${r.u}|${r.m}`)) missing.addDesa(r.u, r.m);
  for (const r of posy) if (!seen.has(`p|${r.u}|${r.m}`)) missing.addPosyandu(Number(r.u), r.m);
  // The first change of a unit × month: its row is computed whole (registered included); the
  // keys are locked already and this statement's snapshot is newer than the lock.
  if (missing.size > 0) await recomputeKeys(db, missing.desaKeys(), missing.posyanduKeys());
  const emptied = updated.rows.filter((r) => r.emptied);
  // Rare: a measurement moved away from, or deleted in, a unit where the child is not registered.
  const gone = (kind: 'd' | 'p') => emptied.filter((r) => r.kind === kind);
  if (gone('d').length > 0) {
    await sql`DELETE FROM rollup_desa_month r USING unnest(${gone('d').map((r) => r.unit)}::text[], ${gone('d').map((r) => r.month)}::date[]) AS k(u, m)
      WHERE r.kabupaten_code = ${kabupatenCode} AND r.desa_code = k.u AND r.month = k.m AND r.registered = 0 AND r.measured = 0`.execute(db);
  }
  if (gone('p').length > 0) {
    await sql`DELETE FROM rollup_posyandu_month r USING unnest(${gone('p').map((r) => r.unit)}::bigint[], ${gone('p').map((r) => r.month)}::date[]) AS k(u, m)
      WHERE r.kabupaten_code = ${kabupatenCode} AND r.posyandu_id = k.u AND r.month = k.m AND r.registered = 0 AND r.measured = 0`.execute(db);
  }
}

/** Keys into a temporary table with statistics, so the planner sizes the joins right. */
async function loadKeys(db: Db, name: string, unitType: 'text' | 'bigint', units: string[], months: string[]): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${sql.raw(`pg_temp.${name}`)}`.execute(db);
  await sql`CREATE TEMP TABLE ${sql.raw(name)} ON COMMIT DROP AS
    SELECT DISTINCT u::${sql.raw(unitType)} AS unit, m::date AS month FROM unnest(${units}::text[], ${months}::date[]) AS k(u, m)`.execute(db);
  await sql`ANALYZE ${sql.raw(name)}`.execute(db);
}

async function recomputeUnit(db: Db, kind: 'desa' | 'posyandu'): Promise<void> {
  const unit = sql.raw(kind === 'desa' ? 'desa_code' : 'posyandu_id');
  const table = sql.raw(kind === 'desa' ? 'rollup_desa_month' : 'rollup_posyandu_month');
  const keys = sql.raw(kind === 'desa' ? 'rollup_keys_desa' : 'rollup_keys_posyandu');
  await sql`DELETE FROM ${table} r USING ${keys} k WHERE r.${unit} = k.unit AND r.month = k.month`.execute(db);
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
    WITH a AS (
      SELECT l.${unit} AS unit, l.month, ${AGG}
      FROM rollup_latest l JOIN ${keys} k ON k.unit = l.${unit} AND k.month = l.month
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

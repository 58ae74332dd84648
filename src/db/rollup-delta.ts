import { sql, type Kysely, type Transaction } from 'kysely';
import { civilFromDays, daysFromCivil, isoDayNumber } from '../common/dates.js';
import type { RollupKeys } from './rollup.js';
import type { Database } from './schema.js';

/**
 * The rollup contribution of a bulk load whose children had no measurements before it, computed
 * in Node while the rows stream (docs/DATA-MODEL.md "Rollups" for the definitions): per child and
 * month the latest loaded measurement (measured_on, then load order — the order ids are given in),
 * counted in its desa and posyandu when the child was ≤ 1826 days old. Because those children
 * counted nowhere before, the new rollup of a unit × month is the stored one plus this delta, so
 * the load never re-reads the measurement table.
 */

/** Indicator bits of one measurement (see {@link measurementBits}). */
export const BIT = {
  weightUp: 1 << 0,
  weightGainDenom: 1 << 1,
  twoT: 1 << 2,
  stunted: 1 << 3,
  severelyStunted: 1 << 4,
  stuntingDenom: 1 << 5,
  wasted: 1 << 6,
  severelyWasted: 1 << 7,
  overweight: 1 << 8,
  wastingDenom: 1 << 9,
  underweight: 1 << 10,
  underweightDenom: 1 << 11,
  flagged: 1 << 12,
} as const;

/** Count columns after `registered`, in the order of the bits above preceded by `measured`. */
const DELTA_COLUMNS = [
  'measured', 'weight_up', 'weight_gain_denom', 'two_t', 'stunted', 'severely_stunted', 'stunting_denom', 'wasted',
  'severely_wasted', 'overweight', 'wasting_denom', 'underweight', 'underweight_denom', 'flagged',
] as const;
const NBITS = 13;

/** What the rollups read of one stored measurement: z-scores as stored (2 decimals), flags, weight-gain code. */
export interface RollupInputs {
  zlen: number | null; flen: 0 | 1 | null;
  zwfl: number | null; fwfl: 0 | 1 | null;
  zwei: number | null; fwei: 0 | 1 | null;
  weightGain: string | null;
  twoT: boolean;
}

/** The indicator bits of one measurement, exactly as rollup.ts's SQL counts them. */
export function measurementBits(m: RollupInputs): number {
  let b = 0;
  if (m.weightGain === 'N') b |= BIT.weightUp;
  if (m.weightGain === 'N' || m.weightGain === 'T') b |= BIT.weightGainDenom;
  if (m.twoT) b |= BIT.twoT;
  if (m.flen === 0 && m.zlen !== null) {
    b |= BIT.stuntingDenom;
    const h = Math.round(m.zlen * 100);
    if (h < -200) b |= BIT.stunted;
    if (h < -300) b |= BIT.severelyStunted;
  }
  if (m.fwfl === 0 && m.zwfl !== null) {
    b |= BIT.wastingDenom;
    const h = Math.round(m.zwfl * 100);
    if (h < -200) b |= BIT.wasted;
    if (h < -300) b |= BIT.severelyWasted;
    if (h > 200) b |= BIT.overweight;
  }
  if (m.fwei === 0 && m.zwei !== null) {
    b |= BIT.underweightDenom;
    if (Math.round(m.zwei * 100) < -200) b |= BIT.underweight;
  }
  if (m.flen === 1 || m.fwei === 1 || m.fwfl === 1) b |= BIT.flagged;
  return b;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const yearOf = (s: string): number => digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
const monthNo = (s: string): number => digit(s, 5) * 10 + digit(s, 6);
const dayNo = (s: string): number => digit(s, 8) * 10 + digit(s, 9);
const monthText = (m: number): string => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
const NOT_COUNTED = 1 << 30;

/** Latest measurement per child × month of a load, kept in typed arrays (millions of rows, little garbage). */
export class LatestPerChildMonth {
  private readonly index = new Map<number, number>();
  private day = new Int32Array(1 << 16);
  private bits = new Int32Array(1 << 16);
  private desa = new Int32Array(1 << 16);
  private posyandu = new Float64Array(1 << 16);
  private month = new Int32Array(1 << 16);
  private n = 0;
  private readonly desaCodes: string[] = [];
  private readonly desaIndex = new Map<string, number>();
  private lastDesa = '';
  private lastDesaIdx = -1;

  /** Records a measurement in load order (ISO dates); `bits` from {@link measurementBits}. */
  push(childId: number, birthDate: string, measuredOn: string, desaCode: string, posyanduId: number | null, bits: number): void {
    const y = yearOf(measuredOn);
    const mo = monthNo(measuredOn);
    const monthIdx = y * 12 + mo - 1;
    const day = daysFromCivil(y, mo, dayNo(measuredOn));
    // Children over 1826 days old do not count; the row is still kept so that a later one of the month replaces it.
    const counted = day - isoDayNumber(birthDate) <= 1826 ? 0 : NOT_COUNTED;
    let d = this.lastDesaIdx;
    if (desaCode !== this.lastDesa) {
      const found = this.desaIndex.get(desaCode);
      if (found === undefined) {
        d = this.desaCodes.length;
        this.desaCodes.push(desaCode);
        this.desaIndex.set(desaCode, d);
      } else d = found;
      this.lastDesa = desaCode;
      this.lastDesaIdx = d;
    }
    const key = childId * 65_536 + monthIdx;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.n++;
      if (i === this.day.length) this.grow();
      this.index.set(key, i);
    } else if (day < this.day[i]) return;
    this.day[i] = day;
    this.bits[i] = bits | counted;
    this.desa[i] = d;
    this.posyandu[i] = posyanduId === null ? NaN : posyanduId;
    this.month[i] = monthIdx;
  }

  private grow(): void {
    const size = this.day.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.day = i32(this.day);
    this.bits = i32(this.bits);
    this.desa = i32(this.desa);
    this.month = i32(this.month);
    const p = new Float64Array(size);
    p.set(this.posyandu);
    this.posyandu = p;
  }

  /**
   * Adds the desa × month and posyandu × month of every latest row to `keys` (the units whose
   * counts the load can change) and returns the months of the load.
   */
  addKeysTo(keys: RollupKeys): Set<string> {
    const seen = this.desaCodes.map(() => new Set<number>());
    const months = new Set<string>();
    for (let i = 0; i < this.n; i++) {
      const p = this.posyandu[i];
      const k = (p === p ? p + 1 : 0) * 65_536 + this.month[i];
      const s = seen[this.desa[i]];
      if (s.has(k)) continue;
      s.add(k);
      const month = monthText(this.month[i]);
      months.add(month);
      keys.add(this.desaCodes[this.desa[i]], p === p ? p : null, month);
    }
    return months;
  }

  /** Sums per desa × month and posyandu × month. */
  delta(): RollupDelta {
    const sums = (unitOf: (i: number) => number) => {
      const at = new Map<number, number>();
      let counts = new Int32Array(1024 * (NBITS + 1));
      const unitKeys: number[] = [];
      for (let i = 0; i < this.n; i++) {
        const bits = this.bits[i];
        if (bits & NOT_COUNTED) continue;
        const unit = unitOf(i);
        if (unit !== unit) continue;
        const key = unit * 65_536 + this.month[i];
        let row = at.get(key);
        if (row === undefined) {
          row = unitKeys.length;
          unitKeys.push(key);
          at.set(key, row);
          if ((row + 1) * (NBITS + 1) > counts.length) {
            const next = new Int32Array(counts.length * 2);
            next.set(counts);
            counts = next;
          }
        }
        const base = row * (NBITS + 1);
        counts[base]++;
        for (let k = 0; k < NBITS; k++) if (bits & (1 << k)) counts[base + k + 1]++;
      }
      return unitKeys.map((key, row) => ({
        unit: Math.floor(key / 65_536),
        month: monthText(key % 65_536),
        counts: Array.from(counts.subarray(row * (NBITS + 1), (row + 1) * (NBITS + 1))),
      }));
    };
    const desa = new Map<string, number[]>();
    for (const r of sums((i) => this.desa[i])) desa.set(`${this.desaCodes[r.unit]}|${r.month}`, r.counts);
    const posyandu = new Map<string, number[]>();
    for (const r of sums((i) => this.posyandu[i])) posyandu.set(`${r.unit}|${r.month}`, r.counts);
    return { desa, posyandu };
  }
}

/**
 * Registration (`registered`, S) of children new to the table, counted in Node: a child counts in
 * its desa and posyandu in every month from the month of max(birth, registration) to the month of
 * min(birth + 1826 days, exit) — rollup.ts's definition. Kept as +1/−1 events per unit and month
 * (two per child instead of sixty), expanded into counts by {@link RegistrationDelta.counts}.
 */
export class RegistrationDelta {
  private readonly desa = new Map<string, Map<number, number>>();
  private readonly posyandu = new Map<number, Map<number, number>>();
  /** Children added. */
  size = 0;

  /** A new child (ISO dates; `exitedOn` null while the child stays). */
  add(desaCode: string, posyanduId: number | null, birthDate: string, registeredOn: string, exitedOn: string | null = null): void {
    const birth = isoDayNumber(birthDate);
    const start = Math.max(birth, isoDayNumber(registeredOn));
    const end = Math.min(birth + 1826, exitedOn === null ? Infinity : isoDayNumber(exitedOn));
    const first = monthIndexOfDay(start);
    const last = monthIndexOfDay(end);
    if (last < first) return;
    this.size++;
    const bump = <K>(units: Map<K, Map<number, number>>, unit: K): void => {
      let ev = units.get(unit);
      if (!ev) units.set(unit, (ev = new Map()));
      ev.set(first, (ev.get(first) ?? 0) + 1);
      ev.set(last + 1, (ev.get(last + 1) ?? 0) - 1);
    };
    bump(this.desa, desaCode);
    if (posyanduId !== null) bump(this.posyandu, posyanduId);
  }

  /** Registered counts per `unit|yyyy-mm-01` (only months where the count is not zero). */
  counts(): { desa: Map<string, number>; posyandu: Map<string, number> } {
    const expand = <K>(units: Map<K, Map<number, number>>): Map<string, number> => {
      const out = new Map<string, number>();
      for (const [unit, ev] of units) {
        const months = [...ev.keys()].sort((a, b) => a - b);
        let running = 0;
        for (let i = 0; i < months.length - 1; i++) {
          running += ev.get(months[i])!;
          if (running === 0) continue;
          for (let m = months[i]; m < months[i + 1]; m++) out.set(`${unit}|${monthText(m)}`, running);
        }
      }
      return out;
    };
    return { desa: expand(this.desa), posyandu: expand(this.posyandu) };
  }
}

function monthIndexOfDay(day: number): number {
  const [y, m] = civilFromDays(day);
  return y * 12 + m - 1;
}

/** Counts (measured, then the bit columns) per `unit|yyyy-mm-01`. */
export interface RollupDelta {
  desa: Map<string, number[]>;
  posyandu: Map<string, number[]>;
  /**
   * Registration of children the writing transaction created (from {@link RegistrationDelta}).
   * When present, the caller vouches that the stored rollups count every other child: a unit ×
   * month without a stored row then had nobody registered, and registered counts are added.
   * When absent, `registered` of unit × months new to the rollups is counted from the child table.
   */
  registered?: { desa: Map<string, number>; posyandu: Map<string, number> };
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Adds a load's delta to the stored rollups in the writing transaction. A unit × month without a
 * stored row had no measured child (the write path keeps every such row), so its row is created
 * with `registered` from {@link RollupDelta.registered}, or else counted from the child table as
 * recomputeRollups would.
 */
export async function applyRollupDelta(db: Db, delta: RollupDelta): Promise<void> {
  const reg = delta.registered;
  if (delta.desa.size + delta.posyandu.size + (reg ? reg.desa.size + reg.posyandu.size : 0) === 0) return;
  await sql`LOCK TABLE rollup_desa_month, rollup_posyandu_month IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  await applyKind(db, 'desa', delta.desa, reg?.desa);
  await applyKind(db, 'posyandu', delta.posyandu, reg?.posyandu);
}

async function applyKind(db: Db, kind: 'desa' | 'posyandu', counts: Map<string, number[]>, registered: Map<string, number> | undefined): Promise<void> {
  if (counts.size + (registered?.size ?? 0) === 0) return;
  const units: string[] = [];
  const months: string[] = [];
  const regs: number[] = [];
  const cols: number[][] = DELTA_COLUMNS.map(() => []);
  const zero = DELTA_COLUMNS.map(() => 0);
  const push = (key: string, c: readonly number[]): void => {
    const bar = key.lastIndexOf('|');
    units.push(key.slice(0, bar));
    months.push(key.slice(bar + 1));
    regs.push(registered?.get(key) ?? 0);
    for (let k = 0; k < c.length; k++) cols[k].push(c[k]);
  };
  for (const [key, c] of counts) push(key, c);
  if (registered) for (const key of registered.keys()) if (!counts.has(key)) push(key, zero);
  const name = sql.raw(`rollup_delta_${kind}`);
  const unitType = sql.raw(kind === 'desa' ? 'text' : 'bigint');
  await sql`DROP TABLE IF EXISTS ${sql.raw(`pg_temp.rollup_delta_${kind}`)}`.execute(db);
  await sql`CREATE TEMP TABLE ${name} ON COMMIT DROP AS
    SELECT u::${unitType} AS unit, m::date AS month, r::int AS registered, ${sql.raw(DELTA_COLUMNS.map((c, k) => `c${k}::int AS ${c}`).join(', '))}
    FROM unnest(${units}::text[], ${months}::date[], ${regs}::int[], ${sql.join(cols.map((c) => sql`${c}::int[]`))})
      AS d(u, m, r, ${sql.raw(DELTA_COLUMNS.map((_, k) => `c${k}`).join(', '))})`.execute(db);
  const unit = sql.raw(kind === 'desa' ? 'desa_code' : 'posyandu_id');
  const table = sql.raw(kind === 'desa' ? 'rollup_desa_month' : 'rollup_posyandu_month');
  const conflict = sql.raw(kind === 'desa' ? 'kabupaten_code, desa_code, month' : 'kabupaten_code, posyandu_id, month');
  const insertCols = kind === 'desa' ? sql`kabupaten_code, desa_code, month` : sql`kabupaten_code, posyandu_id, desa_code, month`;
  const insertKey = kind === 'desa' ? sql`left(d.unit, 5), d.unit, d.month` : sql`f.kabupaten_code, d.unit, f.desa_code, d.month`;
  const facilityJoin = kind === 'desa' ? sql`` : sql`JOIN facility f ON f.id = d.unit`;
  const missing = kind === 'desa'
    ? sql`NOT EXISTS (SELECT 1 FROM rollup_desa_month x WHERE x.kabupaten_code = left(d.unit, 5) AND x.desa_code = d.unit AND x.month = d.month)`
    : sql`NOT EXISTS (SELECT 1 FROM rollup_posyandu_month x JOIN facility f ON f.id = d.unit WHERE x.kabupaten_code = f.kabupaten_code AND x.posyandu_id = d.unit AND x.month = d.month)`;
  const cs = DELTA_COLUMNS.join(', ');
  const update = sql.raw(['registered', ...DELTA_COLUMNS].map((c) => `${c} = ${kind === 'desa' ? 'rollup_desa_month' : 'rollup_posyandu_month'}.${c} + excluded.${c}`).join(', '));
  if (registered) {
    await sql`
      INSERT INTO ${table} (${insertCols}, registered, ${sql.raw(cs)})
      SELECT ${insertKey}, d.registered, ${sql.raw(DELTA_COLUMNS.map((c) => `d.${c}`).join(', '))}
      FROM ${name} d ${facilityJoin}
      ON CONFLICT (${conflict}) DO UPDATE SET ${update}`.execute(db);
    return;
  }
  // Registered children of the new unit × months, from +1/−1 events per child (its first and
  // after-last month) summed along the months: two rows per child instead of one per month.
  await sql`
    WITH new_keys AS (SELECT d.unit, d.month FROM ${name} d WHERE ${missing}),
    span AS (
      SELECT c.${unit} AS unit,
        date_trunc('month', greatest(c.birth_date, c.registered_on)::timestamp)::date AS first,
        date_trunc('month', least(c.birth_date + 1826, coalesce(c.exited_on, c.birth_date + 1826))::timestamp)::date AS last
      FROM child c WHERE c.${unit} IN (SELECT unit FROM new_keys)),
    ev AS (
      SELECT unit, month, sum(d)::int AS d FROM (
        SELECT unit, first AS month, 1 AS d FROM span WHERE first <= last
        UNION ALL SELECT unit, (last + interval '1 month')::date, -1 FROM span WHERE first <= last) e
      GROUP BY unit, month),
    run AS (
      SELECT unit, month, lead(month) OVER w AS until, sum(d) OVER w AS registered
      FROM ev WINDOW w AS (PARTITION BY unit ORDER BY month)),
    r AS (
      SELECT k.unit, k.month, run.registered FROM new_keys k
      JOIN run ON run.unit = k.unit AND run.month <= k.month AND (run.until IS NULL OR k.month < run.until))
    INSERT INTO ${table} (${insertCols}, registered, ${sql.raw(cs)})
    SELECT ${insertKey}, coalesce(r.registered, 0), ${sql.raw(DELTA_COLUMNS.map((c) => `d.${c}`).join(', '))}
    FROM ${name} d ${facilityJoin} LEFT JOIN r ON r.unit = d.unit AND r.month = d.month
    ON CONFLICT (${conflict}) DO UPDATE SET ${update}`.execute(db);
}

import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { AppError } from '../common/app-error.js';
import { CopyTextWriter } from './copy-text.js';
import { isoDayNumber } from '../common/dates.js';
import { translateDbError } from './db-errors.js';
import { GROWTH_COLUMN_NAMES, GrowthBatch, rollupBitsOf, type WritePathDeps } from './growth-columns.js';
import { applyRollupDelta, LatestPerChildMonth, type RegistrationDelta } from './rollup-delta.js';
import { DB_MESSAGES as M } from './messages.js';
import { kyselyOnClient } from './pool.js';
import { recomputeRollups, RollupKeys } from './rollup.js';
import type { Database, Source } from './schema.js';
import { judgeStoredSeries, WeightGainTracker, type WeightGainResult } from './weight-gain-tracker.js';

/** One measurement for a bulk load: the child's identity as stored plus the measured inputs. */
export interface BulkMeasurementRow {
  kabupatenCode: string;
  desaCode: string;
  posyanduId: number | null;
  childId: number;
  /** The child's stored birth date and sex (the foreign key checks them). */
  birthDate: string;
  sex: 1 | 2;
  measuredOn: string;
  weightKg: number | null;
  lenheiCm: number | null;
  position: 'L' | 'H' | null;
  oedema?: boolean;
  muacCm?: number | null;
  headCm?: number | null;
}

export interface BulkLoadOptions {
  source: Source;
  importBatchId?: number | null;
  deps: WritePathDeps;
  /** Rows per columnar z-score batch. */
  batchSize?: number;
  /** Run inside this client's open transaction instead of a new one. */
  client?: pg.PoolClient;
  /**
   * How many rows the caller expects to load. A load of at least 100,000 rows that will at least
   * double the table runs the pg_restore way: the secondary indexes of measurement are dropped and
   * rebuilt after the COPY (one sorted build instead of millions of index insertions; the indexes
   * cost about 40 % of a plain COPY). Readers of measurement then wait for the load to commit. In
   * the caller's transaction (`client`) only when it passes this or `rebuildIndexes`.
   */
  expectedRows?: number;
  /** Force (true) or forbid (false) the index rebuild regardless of `expectedRows`. */
  rebuildIndexes?: boolean;
  /**
   * With `client`: the caller's transaction inserted no measurement before this call (deleting is
   * fine: deleted rows still look stored to the lookup of earlier measurements). The rollups are
   * then updated by the load's own delta as in an own transaction, instead of recomputing every
   * touched unit × month from raw data.
   */
  callerInsertedNoMeasurements?: boolean;
  /**
   * Children the caller created in this transaction, not yet counted in the rollups' `registered`.
   * Applied with the delta (the caller vouches that the stored rollups count every other child), or
   * their units × months are added to the recomputed keys.
   */
  registration?: RegistrationDelta;
  /** Called after each batch with the rows written so far. */
  onProgress?: (rows: number) => void;
}

export interface BulkLoadResult {
  rows: number;
  seconds: number;
  /** Time spent in the growth engine and weight-gain judgement. */
  computeSeconds: number;
  /** Reference check, weight-gain fix-ups and rollup recomputation after the COPY. */
  finishSeconds: number;
  /** Of which the rollup recomputation. */
  rollupSeconds: number;
  rollupKeys: number;
  /** Children whose weight-gain series was re-judged whole (rows out of date order, or earlier data). */
  rejudgedChildren: number;
  /** 'delta' = rollups updated by the load's own aggregates (all children new to the table); 'recompute' = touched keys recomputed from raw data. */
  rollupMethod: 'delta' | 'recompute';
  /** 'set' = references verified set-based under table locks; 'row' = per-row foreign-key triggers. */
  referenceCheck: 'set' | 'row';
}

export const BULK_COLUMNS = [
  'kabupaten_code', 'desa_code', 'posyandu_id', 'child_id', 'birth_date', 'sex', 'measured_on', 'weight_kg',
  'lenhei_cm', 'position', 'oedema', 'muac_cm', 'head_cm', ...GROWTH_COLUMN_NAMES, 'weight_gain', 'two_t',
  'source', 'import_batch_id',
] as const;

async function write(stream: Writable, chunk: Buffer, failed: () => unknown): Promise<void> {
  const err = failed();
  if (err) throw err;
  if (!stream.write(chunk)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => { stream.off('error', onError); resolve(); };
      const onError = (e: unknown) => { stream.off('drain', onDrain); reject(e); };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  }
}

/**
 * Loads many measurements in one transaction through COPY: z-scores, flags and Permenkes
 * statuses are computed in columnar batches, weight-gain codes by a streaming judgement, and the
 * touched rollups are recomputed before commit. Where the role may set session_replication_role
 * (the embedded server's owner), the referenced child/posyandu/desa rows are locked (SHARE) and
 * verified set-based instead of by one foreign-key trigger call per row — same guarantee, a
 * fraction of the cost; otherwise the ordinary foreign-key triggers run.
 * Rows must reference stored children. With `options.client` (the caller's transaction), earlier
 * measurements are looked up on a second connection, so measurements the caller wrote in the same
 * transaction before this call are not seen by the weight-gain judgement.
 * @see docs/DATA-MODEL.md "Write path"
 */
export async function loadMeasurements(
  pool: pg.Pool,
  rows: Iterable<BulkMeasurementRow> | AsyncIterable<BulkMeasurementRow>,
  options: BulkLoadOptions,
): Promise<BulkLoadResult> {
  const t0 = performance.now();
  const batchSize = options.batchSize ?? 16_384;
  const client = options.client ?? (await pool.connect());
  const ownTx = options.client === undefined;
  const batchId = options.importBatchId ?? null;
  let computeMs = 0;
  let count = 0;
  let referenceCheck: 'set' | 'row' = 'row';
  const lookup = new EarlierLookup(pool);
  try {
    if (ownTx) await client.query('BEGIN');
    await client.query('SAVEPOINT tumbuh_bulk');
    try {
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query('RELEASE SAVEPOINT tumbuh_bulk');
      // Nobody may delete or re-key a referenced row until we commit, so checking once suffices.
      await client.query('LOCK TABLE child, facility, region IN SHARE MODE');
      referenceCheck = 'set';
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT tumbuh_bulk');
      await client.query('RELEASE SAVEPOINT tumbuh_bulk');
    }

    const tracker = new WeightGainTracker(options.deps.kbm);
    const rejudge = new Set<number>();
    const keys = new RollupKeys();
    const identities = new IdentityList();
    const posyandus = new Map<string, [string, number]>();
    const desas = new Set<string>();
    let prev: BulkMeasurementRow | null = null;
    // Children that already have measurements: found on a second connection (committed data only)
    // while the COPY runs, so the load never waits for it.
    const earlier: Promise<EarlierMonth[]>[] = [];
    // In our own transaction the rollups can be updated by a delta computed here (children new to
    // the table); in a caller's transaction it may have written measurements we cannot see, so
    // the touched keys are recomputed from raw data.
    const latest = new LatestPerChildMonth();
    const seen = new Set<number>();

    const mayRebuild = ownTx || options.rebuildIndexes !== undefined || options.expectedRows !== undefined;
    const rebuild = mayRebuild && referenceCheck === 'set' && (options.rebuildIndexes ?? (options.expectedRows ?? 0) >= 100_000)
      ? await dropSecondaryIndexes(client, options.rebuildIndexes ? Infinity : (options.expectedRows ?? 0))
      : [];
    const copy = client.query(copyStreams.from(`COPY measurement (${BULK_COLUMNS.join(', ')}) FROM STDIN`));
    let copyError: unknown = null;
    copy.on('error', (e: unknown) => { copyError ??= e; });
    const copyDone = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    copyDone.catch(() => undefined);

    const growth = new GrowthBatch(options.deps.engine, batchSize);
    const w = new CopyTextWriter(batchSize * 256);
    let buf: BulkMeasurementRow[] = [];
    const flush = async (): Promise<void> => {
      const n = buf.length;
      if (n === 0) return;
      const tc = performance.now();
      for (let i = 0; i < n; i++) {
        const r = buf[i];
        growth.set(i, {
          sex: r.sex, birthDate: r.birthDate, measuredOn: r.measuredOn, weightKg: r.weightKg, lenheiCm: r.lenheiCm,
          position: r.position, oedema: r.oedema ?? false, muacCm: r.muacCm ?? null, headCm: r.headCm ?? null,
        });
      }
      growth.compute(n);
      const fresh: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = buf[i];
        // Rows of one child usually come together: the per-child bookkeeping runs once per run of rows.
        const sameChild = prev !== null && r.childId === prev.childId && r.birthDate === prev.birthDate && r.sex === prev.sex && r.kabupatenCode === prev.kabupatenCode;
        if (!sameChild && !seen.has(r.childId)) {
          seen.add(r.childId);
          fresh.push(r.childId);
        }
        let wg: WeightGainResult | null = tracker.push(r.childId, { birthDate: r.birthDate, measuredOn: r.measuredOn, weightKg: r.weightKg });
        if (wg === null) {
          rejudge.add(r.childId);
          wg = { code: null, twoT: false };
        }
        if (referenceCheck === 'set') {
          if (!sameChild) identities.push(r.kabupatenCode, r.childId, r.birthDate, r.sex);
          if (!sameChild || r.desaCode !== prev?.desaCode) desas.add(r.desaCode);
          if (r.posyanduId !== null && (!sameChild || r.posyanduId !== prev?.posyanduId)) posyandus.set(`${r.kabupatenCode}|${r.posyanduId}`, [r.kabupatenCode, r.posyanduId]);
        }
        prev = r;
        w.str(r.kabupatenCode).str(r.desaCode).numOrNull(r.posyanduId).int(r.childId).str(r.birthDate).int(r.sex).str(r.measuredOn)
          .numOrNull(r.weightKg).numOrNull(r.lenheiCm).strOrNull(r.position).bool(r.oedema === true).numOrNull(r.muacCm).numOrNull(r.headCm);
        growth.writeCopy(i, w);
        latest.push(r.childId, r.birthDate, r.measuredOn, r.desaCode, r.posyanduId, rollupBitsOf(growth, i, wg.code, wg.twoT));
        w.strOrNull(wg.code).bool(wg.twoT).str(options.source).numOrNull(batchId).endRow();
      }
      computeMs += performance.now() - tc;
      if (fresh.length > 0 && rebuild.length === 0) {
        const found = lookup.earlierOf(fresh);
        found.catch(() => undefined); // awaited after the COPY; a failure of the load must not leave it unhandled
        earlier.push(found);
      }
      await write(copy, w.take(), () => copyError);
      count += n;
      buf = [];
      options.onProgress?.(count);
    };

    for await (const row of rows as AsyncIterable<BulkMeasurementRow>) {
      buf.push(row);
      if (buf.length >= batchSize) await flush();
    }
    await flush();
    copy.end();
    await copyDone;

    const tf = performance.now();
    if (rebuild.length > 0) {
      for (const def of rebuild) await client.query(def);
      // The dropped indexes lock out other connections until commit: earlier rows of the loaded
      // children are found here instead, as the rows this transaction did not write.
      earlier.push(client.query<EarlierMonth>(
        `SELECT DISTINCT child_id, desa_code, posyandu_id, month FROM measurement
         WHERE child_id IN (SELECT unnest($1::bigint[])) AND xmin::text::bigint <> txid_current() % 4294967296`,
        [`{${[...seen].join(',')}}`],
      ).then((r) => r.rows));
    }
    const db = kyselyOnClient<Database>(client);
    if (referenceCheck === 'set') {
      await verifyReferences(client, identities, [...desas], [...posyandus.values()]);
    }
    // Units whose counts can change: where a loaded child-month's latest row is, and (below) where
    // the earlier rows of those child-months are.
    const loadMonths = latest.addKeysTo(keys);
    const earlierRows = await Promise.all(earlier);
    await lookup.release();
    for (const found of earlierRows) {
      for (const e of found) {
        rejudge.add(e.child_id);
        if (loadMonths.has(e.month)) keys.add(e.desa_code, e.posyandu_id, e.month);
      }
    }
    const tj = performance.now();
    await rejudgeChildren(client, [...rejudge], options, keys);
    computeMs += performance.now() - tj;
    const tr = performance.now();
    // Planner statistics from before a large load would make it pick nested loops over millions of rows.
    if (count >= 10_000) await client.query('ANALYZE measurement');
    const rollupMethod = (ownTx || options.callerInsertedNoMeasurements === true) && rejudge.size === 0 ? 'delta' : 'recompute';
    const registered = options.registration && options.registration.size > 0 ? options.registration.counts() : undefined;
    let rollupKeys: number;
    if (rollupMethod === 'delta') {
      const delta = { ...latest.delta(), registered };
      rollupKeys = new Set([...delta.desa.keys(), ...(registered?.desa.keys() ?? [])]).size
        + new Set([...delta.posyandu.keys(), ...(registered?.posyandu.keys() ?? [])]).size;
      await applyRollupDelta(db, delta);
    } else {
      if (registered) {
        const month = (key: string): string => key.slice(key.lastIndexOf('|') + 1);
        const unit = (key: string): string => key.slice(0, key.lastIndexOf('|'));
        for (const key of registered.desa.keys()) keys.addDesa(unit(key), month(key));
        for (const key of registered.posyandu.keys()) keys.addPosyandu(Number(unit(key)), month(key));
      }
      rollupKeys = keys.size;
      await recomputeRollups(db, keys);
    }
    const rollupMs = performance.now() - tr;
    // Kept through the rollup writes: their units come from the rows and children verified above
    // (a delta writes up to units × months rows, each with two foreign-key trigger calls otherwise).
    if (referenceCheck === 'set') await client.query('SET LOCAL session_replication_role = origin');
    if (ownTx) await client.query('COMMIT');
    const finishMs = performance.now() - tf;
    return {
      rows: count,
      seconds: (performance.now() - t0) / 1000,
      computeSeconds: computeMs / 1000,
      finishSeconds: finishMs / 1000,
      rollupSeconds: rollupMs / 1000,
      rollupKeys,
      rollupMethod,
      rejudgedChildren: rejudge.size,
      referenceCheck,
    };
  } catch (err) {
    if (ownTx) await client.query('ROLLBACK').catch(() => undefined);
    throw translateDbError(err);
  } finally {
    await lookup.release();
    if (ownTx) client.release();
  }
}

/** Drops measurement's plain secondary indexes when `rows` will at least double the table; returns their definitions. */
async function dropSecondaryIndexes(client: pg.PoolClient, rows: number): Promise<string[]> {
  return dropPlainIndexes(client, 'measurement', rows);
}

/**
 * For a bulk load of `rows` rows into `table` inside the caller's transaction: when they will at
 * least double the table, drops its plain secondary indexes (not the primary key, unique or
 * constraint indexes) and returns their definitions, to be run again after the load (one sorted
 * build each, with a larger maintenance_work_mem, instead of an index insertion per row). The
 * table stays locked (ACCESS EXCLUSIVE) until commit: readers wait for the load.
 */
export async function dropPlainIndexes(client: pg.PoolClient, table: 'measurement' | 'child' | 'import_row', rows: number): Promise<string[]> {
  // Summed over partitions too (a partitioned parent has no rows of its own).
  const size = await client.query<{ n: number }>(`
    SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS n FROM pg_class c
    WHERE c.oid = $1::regclass OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::regclass)`, [table]);
  if (rows < 2 * Number(size.rows[0].n)) return [];
  const indexes = await client.query<{ name: string; def: string }>(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
    WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, [table]);
  for (const i of indexes.rows) await client.query(`DROP INDEX ${i.name}`);
  if (indexes.rows.length > 0) await client.query("SET LOCAL maintenance_work_mem = '256MB'");
  // A partitioned table's index is defined `ON ONLY` the parent; built that way it would cover no
  // partition. Without ONLY it is built on every partition and attached.
  return indexes.rows.map((i) => i.def.replace(/ ON ONLY /, ' ON '));
}

/**
 * The (kabupaten, child, birth date, sex) identities a load references, in typed arrays: a
 * million of them without a string or an object each. Runs of one child are entered once by the
 * caller; a child seen again later is entered again (harmless for the check).
 */
class IdentityList {
  private ids = new Float64Array(1 << 14);
  private days = new Int32Array(1 << 14);
  private sexes = new Int16Array(1 << 14);
  private kabs = new Int32Array(1 << 14);
  private readonly kabCodes: string[] = [];
  private n = 0;

  push(kabupatenCode: string, childId: number, birthDate: string, sex: number): void {
    if (this.n === this.ids.length) this.grow();
    let k = this.kabCodes.indexOf(kabupatenCode);
    if (k < 0) k = this.kabCodes.push(kabupatenCode) - 1;
    this.ids[this.n] = childId;
    this.days[this.n] = isoDayNumber(birthDate);
    this.sexes[this.n] = sex;
    this.kabs[this.n] = k;
    this.n++;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Float64Array(size); ids.set(this.ids); this.ids = ids;
    const days = new Int32Array(size); days.set(this.days); this.days = days;
    const sexes = new Int16Array(size); sexes.set(this.sexes); this.sexes = sexes;
    const kabs = new Int32Array(size); kabs.set(this.kabs); this.kabs = kabs;
  }

  /** Query parameters: array literals joined straight from the typed arrays (no per-element escaping). */
  params(): string[] {
    const n = this.n;
    const quoted = this.kabCodes.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`);
    const kabText = Array.from(this.kabs.subarray(0, n), (k) => quoted[k]);
    return [`{${kabText.join(',')}}`, `{${this.ids.subarray(0, n).join(',')}}`, `{${this.days.subarray(0, n).join(',')}}`, `{${this.sexes.subarray(0, n).join(',')}}`];
  }
}

interface EarlierMonth { child_id: number; desa_code: string; posyandu_id: number | null; month: string }

/**
 * Committed measurements of the children a load brings, looked up on a second connection (so the
 * load's own uncommitted rows are not seen) while the COPY runs. Index probes only: the table
 * statistics are stale during a large load, and a sequential scan per batch would make the load
 * quadratic in its own size.
 */
class EarlierLookup {
  private client: Promise<pg.PoolClient> | null = null;
  private last: Promise<unknown> = Promise.resolve();
  constructor(private readonly pool: pg.Pool) {}

  earlierOf(childIds: number[]): Promise<EarlierMonth[]> {
    this.client ??= this.pool.connect().then(async (c) => {
      await c.query('SET enable_seqscan = off');
      return c;
    });
    const client = this.client;
    // One query at a time on the connection, in batch order.
    const next = this.last.catch(() => undefined).then(async () => {
      const r = await (await client).query<EarlierMonth>(
        'SELECT DISTINCT child_id, desa_code, posyandu_id, month FROM measurement WHERE child_id = ANY($1::bigint[])',
        [childIds],
      );
      return r.rows;
    });
    this.last = next;
    return next;
  }

  async release(): Promise<void> {
    if (!this.client) return;
    const pending = this.client;
    this.client = null;
    await this.last.catch(() => undefined);
    const c = await pending.catch(() => null);
    if (!c) return;
    try {
      await c.query('RESET enable_seqscan');
      c.release();
    } catch (e) {
      c.release(e instanceof Error ? e : true);
    }
  }
}

async function verifyReferences(
  client: pg.PoolClient,
  identities: IdentityList,
  desas: string[],
  posyandus: [string, number][],
): Promise<void> {
  const missingChild = await client.query(
    `SELECT t.id FROM unnest($1::text[], $2::bigint[], $3::int[], $4::smallint[]) AS t(k, id, b, s)
     WHERE NOT EXISTS (SELECT 1 FROM child c WHERE c.kabupaten_code = t.k AND c.id = t.id AND c.birth_date = DATE '1970-01-01' + t.b AND c.sex = t.s) LIMIT 5`,
    identities.params(),
  );
  if (missingChild.rowCount) fail('measurement_child_fk', `child id ${missingChild.rows.map((r) => r.id).join(', ')} with this kabupaten, birth date and sex`);
  const missingDesa = await client.query(
    'SELECT d FROM unnest($1::text[]) AS d WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = d) LIMIT 5',
    [desas],
  );
  if (missingDesa.rowCount) fail('measurement_desa_code_fkey', `desa ${missingDesa.rows.map((r) => r.d).join(', ')}`);
  const missingPosyandu = await client.query(
    `SELECT t.id FROM unnest($1::text[], $2::bigint[]) AS t(k, id)
     WHERE NOT EXISTS (SELECT 1 FROM facility f WHERE f.kabupaten_code = t.k AND f.id = t.id) LIMIT 5`,
    [posyandus.map((x) => x[0]), posyandus.map((x) => x[1])],
  );
  if (missingPosyandu.rowCount) fail('measurement_posyandu_fk', `posyandu id ${missingPosyandu.rows.map((r) => r.id).join(', ')}`);
}

function fail(constraint: string, what: string): never {
  throw new AppError('db_foreign_key_violation', M['db.constraint'], { constraint, table: 'measurement', detail: `not stored: ${what}` }, { status: 422 });
}

async function rejudgeChildren(client: pg.PoolClient, childIds: number[], options: BulkLoadOptions, keys: RollupKeys): Promise<void> {
  for (let i = 0; i < childIds.length; i += 2000) {
    const chunk = childIds.slice(i, i + 2000);
    const res = await client.query<{ id: number; kabupaten_code: string; child_id: number; birth_date: string; measured_on: string; weight_kg: number | null; weight_gain: string | null; two_t: boolean; desa_code: string; posyandu_id: number | null; month: string }>(
      `SELECT id, kabupaten_code, child_id, birth_date, measured_on, weight_kg, weight_gain, two_t, desa_code, posyandu_id, month FROM measurement
       WHERE child_id = ANY($1::bigint[]) ORDER BY child_id, measured_on, id`,
      [chunk],
    );
    const ids: number[] = [];
    const kabs: string[] = [];
    const codes: (string | null)[] = [];
    const twoTs: boolean[] = [];
    let start = 0;
    const rowsOf = res.rows;
    while (start < rowsOf.length) {
      let end = start;
      while (end < rowsOf.length && rowsOf[end].child_id === rowsOf[start].child_id) end++;
      const series = rowsOf.slice(start, end);
      const judged = judgeStoredSeries(series.map((s) => ({ birthDate: s.birth_date, measuredOn: s.measured_on, weightKg: s.weight_kg })), options.deps.kbm);
      series.forEach((s, k) => {
        if (s.weight_gain !== judged[k].code || s.two_t !== judged[k].twoT) {
          ids.push(s.id);
          kabs.push(s.kabupaten_code);
          codes.push(judged[k].code);
          twoTs.push(judged[k].twoT);
          keys.add(s.desa_code, s.posyandu_id, s.month);
        }
      });
      start = end;
    }
    if (ids.length > 0) {
      await client.query(
        `UPDATE measurement m SET weight_gain = u.code, two_t = u.two_t
         FROM unnest($1::bigint[], $2::text[], $3::char(1)[], $4::boolean[]) AS u(id, k, code, two_t)
         WHERE m.kabupaten_code = u.k AND m.id = u.id`,
        [ids, kabs, codes, twoTs],
      );
    }
  }
}

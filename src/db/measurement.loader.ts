import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { AppError } from '../common/app-error.js';
import { translateDbError } from './db-errors.js';
import { GROWTH_COLUMN_NAMES, GrowthBatch, type WritePathDeps } from './growth-columns.js';
import { DB_MESSAGES as M } from './messages.js';
import { kyselyOnClient } from './pool.js';
import { monthOf, recomputeRollups, RollupKeys } from './rollup.js';
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
  /** 'set' = references verified set-based under table locks; 'row' = per-row foreign-key triggers. */
  referenceCheck: 'set' | 'row';
}

export const BULK_COLUMNS = [
  'kabupaten_code', 'desa_code', 'posyandu_id', 'child_id', 'birth_date', 'sex', 'measured_on', 'weight_kg',
  'lenhei_cm', 'position', 'oedema', 'muac_cm', 'head_cm', ...GROWTH_COLUMN_NAMES, 'weight_gain', 'two_t',
  'source', 'import_batch_id',
] as const;

const N = '\\N';
const text = (v: number | string | null): string => (v === null ? N : String(v));
const flag = (v: 0 | 1 | null): string => (v === null ? N : v === 1 ? '1' : '0');
const HUNDREDTHS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `.0${i}` : `.${i}`));

/**
 * A z-score (the engine rounds it to 2 decimals) as COPY text. Formatting the integer number of
 * hundredths is several times faster than float-to-string, and exact for 2-decimal values.
 */
function z2(v: number | null): string {
  if (v === null) return N;
  const h = Math.round(v * 100);
  const a = h < 0 ? -h : h;
  return `${h < 0 ? '-' : ''}${(a / 100) | 0}${HUNDREDTHS[a % 100]}`;
}

async function write(stream: Writable, chunk: string, failed: () => unknown): Promise<void> {
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
    const loadMonths = new Set<string>();
    const identities = new Map<string, [string, number, string, number]>();
    const posyandus = new Map<string, [string, number]>();
    const desas = new Set<string>();
    const perChildMonths = new Map<number, string>();
    // Children that already have measurements: found on a second connection (committed data only)
    // while the COPY runs, so the load never waits for it.
    const earlier: Promise<{ child_id: number; desa_code: string; posyandu_id: number | null; month: string }[]>[] = [];
    const seen = new Set<number>();

    const copy = client.query(copyStreams.from(`COPY measurement (${BULK_COLUMNS.join(', ')}) FROM STDIN`));
    let copyError: unknown = null;
    copy.on('error', (e: unknown) => { copyError ??= e; });
    const copyDone = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    copyDone.catch(() => undefined);

    const growth = new GrowthBatch(options.deps.engine, batchSize);
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
      let out = '';
      for (let i = 0; i < n; i++) {
        const r = buf[i];
        if (!seen.has(r.childId)) {
          seen.add(r.childId);
          fresh.push(r.childId);
        }
        let wg: WeightGainResult | null = tracker.push(r.childId, { birthDate: r.birthDate, measuredOn: r.measuredOn, weightKg: r.weightKg });
        if (wg === null) {
          rejudge.add(r.childId);
          wg = { code: null, twoT: false };
        }
        const month = monthOf(r.measuredOn);
        if (perChildMonths.get(r.childId) !== month) {
          perChildMonths.set(r.childId, month);
          keys.add(r.desaCode, r.posyanduId, month);
          loadMonths.add(month);
        } else {
          keys.add(r.desaCode, r.posyanduId, month);
        }
        if (referenceCheck === 'set') {
          const idKey = `${r.childId}|${r.birthDate}|${r.sex}|${r.kabupatenCode}`;
          if (!identities.has(idKey)) identities.set(idKey, [r.kabupatenCode, r.childId, r.birthDate, r.sex]);
          desas.add(r.desaCode);
          if (r.posyanduId !== null) posyandus.set(`${r.kabupatenCode}|${r.posyanduId}`, [r.kabupatenCode, r.posyanduId]);
        }
        const c = growth.columns(i);
        out += `${r.kabupatenCode}\t${r.desaCode}\t${text(r.posyanduId)}\t${r.childId}\t${r.birthDate}\t${r.sex}\t${r.measuredOn}\t` +
          `${text(r.weightKg)}\t${text(r.lenheiCm)}\t${text(r.position)}\t${r.oedema ? 't' : 'f'}\t${text(r.muacCm ?? null)}\t${text(r.headCm ?? null)}\t` +
          `${text(c.clenhei)}\t${text(c.cbmi)}\t${z2(c.zlen)}\t${flag(c.flen)}\t${z2(c.zwei)}\t${flag(c.fwei)}\t${z2(c.zwfl)}\t${flag(c.fwfl)}\t` +
          `${z2(c.zbmi)}\t${flag(c.fbmi)}\t${z2(c.zac)}\t${flag(c.fac)}\t${z2(c.zhc)}\t${flag(c.fhc)}\t` +
          `${text(c.status_wfa)}\t${text(c.status_lfa)}\t${text(c.status_wfl)}\t${text(c.status_bfa)}\t` +
          `${text(wg.code)}\t${wg.twoT ? 't' : 'f'}\t${options.source}\t${text(batchId)}\n`;
      }
      computeMs += performance.now() - tc;
      if (fresh.length > 0) {
        earlier.push(
          pool
            .query<{ child_id: number; desa_code: string; posyandu_id: number | null; month: string }>(
              'SELECT DISTINCT child_id, desa_code, posyandu_id, month FROM measurement WHERE child_id = ANY($1::bigint[])',
              [fresh],
            )
            .then((r) => r.rows),
        );
      }
      await write(copy, out, () => copyError);
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
    const db = kyselyOnClient<Database>(client);
    if (referenceCheck === 'set') {
      await verifyReferences(client, [...identities.values()], [...desas], [...posyandus.values()]);
      await client.query('SET LOCAL session_replication_role = origin');
    }
    for (const found of await Promise.all(earlier)) {
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
    await recomputeRollups(db, keys);
    const rollupMs = performance.now() - tr;
    if (ownTx) await client.query('COMMIT');
    const finishMs = performance.now() - tf;
    return {
      rows: count,
      seconds: (performance.now() - t0) / 1000,
      computeSeconds: computeMs / 1000,
      finishSeconds: finishMs / 1000,
      rollupSeconds: rollupMs / 1000,
      rollupKeys: keys.size,
      rejudgedChildren: rejudge.size,
      referenceCheck,
    };
  } catch (err) {
    if (ownTx) await client.query('ROLLBACK').catch(() => undefined);
    throw translateDbError(err);
  } finally {
    if (ownTx) client.release();
  }
}

async function verifyReferences(
  client: pg.PoolClient,
  identities: [string, number, string, number][],
  desas: string[],
  posyandus: [string, number][],
): Promise<void> {
  const missingChild = await client.query(
    `SELECT t.id FROM unnest($1::text[], $2::bigint[], $3::date[], $4::smallint[]) AS t(k, id, b, s)
     WHERE NOT EXISTS (SELECT 1 FROM child c WHERE c.kabupaten_code = t.k AND c.id = t.id AND c.birth_date = t.b AND c.sex = t.s) LIMIT 5`,
    [identities.map((x) => x[0]), identities.map((x) => x[1]), identities.map((x) => x[2]), identities.map((x) => x[3])],
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

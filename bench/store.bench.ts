// npm run bench:store [-- --rows N] [--children N] [--skip-demo | --only-demo]
// Storage benchmark on a fresh embedded PostgreSQL in a temporary data directory (durable settings,
// as on a district laptop). Prints JSON lines:
//   store-copy-zscores       1,000,000 measurements through loadMeasurements (z-scores, flags,
//                            statuses, weight-gain codes computed; rollups recomputed; one transaction)
//   store-copy-postgres      PostgreSQL's own COPY of the same rows, already computed, into the same
//                            empty table with the same reference check (no computation)
//   store-copy-postgres-fk   the same COPY with PostgreSQL's per-row foreign-key triggers
//   store-copy-postgres-rebuild  the same COPY with measurement's secondary indexes dropped first and
//                            built after (what loadMeasurements does for such a load), plus the WAL
//                            each COPY wrote
//   store-demo-load          the default demo district generated and loaded (src/demo)
// and last the summary line {"name":"store","rows":…,"seconds":…,"rows_per_s":…} of the first.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.js';
import { defaultWritePathDeps } from '../src/db/growth-columns.js';
import { BULK_COLUMNS, dropPlainIndexes, loadMeasurements, type BulkMeasurementRow } from '../src/db/measurement.loader.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { loadDemo } from '../src/demo/demo.loader.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROWS = arg('--rows', 1_000_000);
const CHILDREN = arg('--children', 42_000);
const DAY = 86_400_000;

interface Kid { id: number; desa: string; posyandu: number; birth: string; sex: 1 | 2; birthMs: number }

async function setupDistrict(h: DatabaseHandle): Promise<Kid[]> {
  const desas = (await h.db.selectFrom('region').select('code').where('kabupaten_code', '=', '62.01').execute())
    .map((r) => r.code).filter((c) => c.length === 13);
  const posyandu: { id: number; desa: string }[] = [];
  for (const desa of desas) {
    for (let k = 0; k < 3; k++) {
      const r = await h.db.insertInto('facility').values({ kind: 'posyandu', name: `Bench ${desa} ${k}`, kabupaten_code: '62.01', desa_code: desa, is_synthetic: true })
        .returning('id').executeTakeFirstOrThrow();
      posyandu.push({ id: r.id, desa });
    }
  }
  const kids: Kid[] = [];
  let text = '';
  for (let i = 1; i <= CHILDREN; i++) {
    const p = posyandu[i % posyandu.length];
    const birthMs = Date.UTC(2021, 0, 1) + ((i * 7919) % 1400) * DAY;
    const birth = new Date(birthMs).toISOString().slice(0, 10);
    const sex = (1 + (i % 2)) as 1 | 2;
    kids.push({ id: i, desa: p.desa, posyandu: p.id, birth, sex, birthMs });
    text += `${i}\t62.01\t${p.desa}\t${p.id}\tAnak ${i}\t${sex}\t${birth}\t${birth}\tt\n`;
  }
  const client = await h.pool.connect();
  try {
    await pipeline(Readable.from([text]), client.query(copyStreams.from('COPY child (id, kabupaten_code, desa_code, posyandu_id, name, sex, birth_date, registered_on, is_synthetic) FROM STDIN')));
    await client.query(`SELECT setval(pg_get_serial_sequence('child', 'id'), ${CHILDREN})`);
  } finally {
    client.release();
  }
  return kids;
}

/** Monthly visits per child in date order: plausible growth with noise, some missing heights. */
function measurementRows(kids: Kid[]): BulkMeasurementRow[] {
  const rows: BulkMeasurementRow[] = [];
  const perChild = Math.ceil(ROWS / kids.length);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (const k of kids) {
    for (let v = 0; v < perChild && rows.length < ROWS; v++) {
      const ms = k.birthMs + (15 + v * 30.4 + Math.floor(rnd() * 6)) * DAY;
      const ageM = (ms - k.birthMs) / DAY / 30.4375;
      const weight = 3.3 + ageM * (ageM < 12 ? 0.5 : 0.2) + (ageM >= 12 ? 3.6 : 0) - (ageM >= 12 ? 2.4 : 0) + (rnd() - 0.5) * 1.2;
      const height = 50 + ageM * (ageM < 12 ? 2.1 : 0.9) + (ageM >= 12 ? 14.4 : 0) - (ageM >= 12 ? 10.8 : 0) + (rnd() - 0.5) * 5;
      rows.push({
        kabupatenCode: '62.01', desaCode: k.desa, posyanduId: k.posyandu, childId: k.id, birthDate: k.birth, sex: k.sex,
        measuredOn: new Date(ms).toISOString().slice(0, 10), weightKg: +weight.toFixed(1),
        lenheiCm: rnd() < 0.9 ? +height.toFixed(1) : null, position: ageM < 24 ? 'L' : 'H', oedema: false,
        muacCm: rnd() < 0.2 ? +(12 + rnd() * 4).toFixed(1) : null, headCm: null,
      });
    }
  }
  return rows;
}

async function emptyMeasurements(h: DatabaseHandle): Promise<void> {
  await h.pool.query('TRUNCATE measurement, rollup_desa_month, rollup_posyandu_month');
  await h.pool.query('VACUUM ANALYZE measurement');
}

async function postgresCopy(h: DatabaseHandle, dump: Buffer[], fkTriggers: boolean, rebuildIndexes = false) {
  const client = await h.pool.connect();
  try {
    const t0 = performance.now();
    await client.query('BEGIN');
    const lsn = (await client.query<{ l: string }>('SELECT pg_current_wal_insert_lsn()::text AS l')).rows[0].l;
    if (!fkTriggers) {
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query('LOCK TABLE child, facility, region IN SHARE MODE');
    }
    // The table is empty here: any load doubles it.
    const rebuild = rebuildIndexes ? await dropPlainIndexes(client, 'measurement', Number.MAX_SAFE_INTEGER) : [];
    await pipeline(Readable.from(dump), client.query(copyStreams.from(`COPY measurement (${BULK_COLUMNS.join(', ')}) FROM STDIN`)));
    for (const def of rebuild) await client.query(def);
    const wal = (await client.query<{ b: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::bigint AS b', [lsn])).rows[0].b;
    await client.query('COMMIT');
    return { seconds: (performance.now() - t0) / 1000, walMb: Math.round(Number(wal) / 1e6) };
  } finally {
    client.release();
  }
}

const line = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

/** The default demo district generated and loaded into the (emptied) tables, as `tumbuh demo` does. */
async function demoLoad(h: DatabaseHandle, deps: ReturnType<typeof defaultWritePathDeps>): Promise<void> {
  await h.pool.query('TRUNCATE measurement, child, facility, rollup_desa_month, rollup_posyandu_month CASCADE');
  const t0 = performance.now();
  const demo = await loadDemo({ pool: h.pool, nik: h.nik }, { ...DEMO_DEFAULTS, ...loadDemoInputs(), deps });
  const seconds = (performance.now() - t0) / 1000;
  const total = Object.values(demo.rows).reduce((x, y) => x + y, 0);
  line({ name: 'store-demo-load', rows: total, seconds: +seconds.toFixed(3), rows_per_s: Math.round(total / seconds),
    children: DEMO_DEFAULTS.children, months: DEMO_DEFAULTS.months, measurements: demo.rows.measurement, phases: demo.phases, goal_seconds: 60 });
}

/** The 1,000,000-row COPY comparison; returns the summary of our path. */
async function copyBench(h: DatabaseHandle, deps: ReturnType<typeof defaultWritePathDeps>, rows: BulkMeasurementRow[]) {
  await emptyMeasurements(h);
  const a = await loadMeasurements(h.pool, rows, { source: 'demo', deps, expectedRows: rows.length });
  const copyZ = { name: 'store-copy-zscores', rows: a.rows, seconds: +a.seconds.toFixed(3), rows_per_s: Math.round(a.rows / a.seconds),
    compute_seconds: +a.computeSeconds.toFixed(3), finish_seconds: +a.finishSeconds.toFixed(3), rollup_seconds: +a.rollupSeconds.toFixed(3), rollup_keys: a.rollupKeys, rollup_method: a.rollupMethod, reference_check: a.referenceCheck,
    load_average: +loadavg()[0].toFixed(1) };
  line(copyZ);

  // The same rows as PostgreSQL stores them, to time PostgreSQL's own COPY without any computation.
  const dump: Buffer[] = [];
  const c = await h.pool.connect();
  try {
    for await (const chunk of c.query(copyStreams.to(`COPY (SELECT ${BULK_COLUMNS.join(', ')} FROM measurement ORDER BY id) TO STDOUT`))) dump.push(chunk as Buffer);
  } finally {
    c.release();
  }
  await emptyMeasurements(h);
  const b = await postgresCopy(h, dump, false);
  line({ name: 'store-copy-postgres', rows: a.rows, seconds: +b.seconds.toFixed(3), rows_per_s: Math.round(a.rows / b.seconds), reference_check: 'set', wal_mb: b.walMb, load_average: +loadavg()[0].toFixed(1) });
  await emptyMeasurements(h);
  const rb = await postgresCopy(h, dump, false, true);
  line({ name: 'store-copy-postgres-rebuild', rows: a.rows, seconds: +rb.seconds.toFixed(3), rows_per_s: Math.round(a.rows / rb.seconds), reference_check: 'set', wal_mb: rb.walMb, load_average: +loadavg()[0].toFixed(1) });
  await emptyMeasurements(h);
  const fk = await postgresCopy(h, dump, true);
  line({ name: 'store-copy-postgres-fk', rows: a.rows, seconds: +fk.seconds.toFixed(3), rows_per_s: Math.round(a.rows / fk.seconds), reference_check: 'row', wal_mb: fk.walMb, load_average: +loadavg()[0].toFixed(1) });
  return copyZ;
}

const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-store-'));
let handle: DatabaseHandle | undefined;
try {
  const { chmodSync } = await import('node:fs');
  chmodSync(dir, 0o755);
  handle = await openDatabase({
    dataDir: dir, env: { TUMBUH_DATA_DIR: dir }, poolSize: 4,
    // PostgreSQL's own log to stderr (startup, checkpoints, errors): TUMBUH_BENCH_PGLOG=1.
    log: process.env.TUMBUH_BENCH_PGLOG ? (l) => process.stderr.write(`[pg] ${l}\n`) : undefined,
  });
  const h = handle;
  const deps = defaultWritePathDeps();
  if (process.argv.includes('--only-demo')) {
    await demoLoad(h, deps);
  } else {
    const kids = await setupDistrict(h);
    const rows = measurementRows(kids);
    process.stderr.write(`store bench: ${rows.length} measurements of ${kids.length} children, data dir ${dir}\n`);
    const copyZ = await copyBench(h, deps, rows);
    if (!process.argv.includes('--skip-demo')) await demoLoad(h, deps);
    line({ name: 'store', rows: copyZ.rows, seconds: copyZ.seconds, rows_per_s: copyZ.rows_per_s });
  }
} finally {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
}

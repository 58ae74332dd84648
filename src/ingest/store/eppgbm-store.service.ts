import { createHash } from 'node:crypto';
import { isoDayNumber } from '../../common/dates.js';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type pg from 'pg';
import { AppError } from '../../common/app-error.js';
import { tBoth } from '../../common/i18n.js';
import { translateDbError } from '../../db/db-errors.js';
import type { WritePathDeps } from '../../db/growth-columns.js';
import { dropPlainIndexes, loadMeasurements } from '../../db/measurement.loader.js';
import type { NikHasher } from '../../db/nik.js';
import { kyselyOnClient } from '../../db/pool.js';
import { recomputeRollups, RollupKeys } from '../../db/rollup.js';
import { applyRollupDelta, RegistrationDelta } from '../../db/rollup-delta.js';
import type { Database } from '../../db/schema.js';
import type { EppgbmKey } from '../eppgbm-columns.js';
import { importEppgbmFile, todayInJakarta, type EppgbmFileReport } from '../eppgbm-import.service.js';
import { posyanduKey, type EppgbmRecord, type RowIssue } from '../eppgbm-row.js';
import type { HeaderMap } from '../header-map.js';
import { IM } from '../messages.js';
import type { RegionMatcher } from '../region-matcher.js';
import { copyField, copyLinesUnchecked, CopyBuffer } from './copy-text.js';
import { MeasurementSpool } from './measurement-spool.js';

/** What the store needs from an open database (a `DatabaseHandle` or a test database). */
export interface StoreContext {
  pool: pg.Pool;
  nik: NikHasher;
  deps: WritePathDeps;
}

export interface EppgbmStoreOptions {
  matcher: RegionMatcher;
  /** Who imports: `--user` or the OS user (recorded in import_batch.imported_by). */
  importedBy: string;
  /** app_user id when the importer is a Tumbuh user. */
  userId?: number | null;
  today?: string;
  displayName?: string;
  onProgress?: (rows: number, fraction: number | null) => void;
  /** Called once the transaction has started writing (tests kill the process after it). */
  onWriting?: () => void;
}

/** A posyandu the import created under its desa. */
export interface NewPosyandu {
  id: number;
  name: string;
  desaCode: string;
}

/** The outcome of storing one e-PPGBM file. */
export interface EppgbmStoreResult {
  report: EppgbmFileReport;
  /** The new batch, or null when the same file was imported before (then nothing changed). */
  batchId: number | null;
  /** The earlier batch of an identical file. */
  sameFileBatch: number | null;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows repeating a (child, measurement date) already in the file: the first one is kept. */
  duplicates: number;
  newChildren: number;
  newPosyandu: NewPosyandu[];
  seconds: { total: number; parse: number; load: number; finish: number };
}

const CHILD_COLUMNS = [
  'id', 'kabupaten_code', 'desa_code', 'posyandu_id', 'nik_hash', 'nik_last4', 'name', 'sex', 'birth_date',
  'birth_weight_kg', 'birth_length_cm', 'mother_name', 'registered_on',
] as const;
const IMPORT_ROW_COLUMNS = [
  'kabupaten_code', 'child_id', 'measured_on', 'batch_id', 'line', 'content', 'eppgbm_zwei', 'eppgbm_zlen', 'eppgbm_zwfl',
  'eppgbm_bbu', 'eppgbm_tbu', 'eppgbm_bbtb', 'eppgbm_naik_bb',
] as const;
/** Measurement age limit of the table (60 months and a month's grace). */
const MAX_AGE_DAYS = 1856;

/** sha256 and size of a file, read as a stream. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

const NON_LETTERS = /[^a-z0-9]+/g;
/** A name compared across imports: lower case, letters and digits only, words joined by one space. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(NON_LETTERS, ' ').trim();
}

function childKey(name: string, birthDate: string, mother: string): string {
  return `${nameKey(name)}|${birthDate}|${nameKey(mother)}`;
}

interface KnownChild {
  id: number;
  birthDate: string;
  sex: 1 | 2;
  hasNik: boolean;
}

const fmt = (v: number | null): string => (v === null ? '' : String(v));

/**
 * The row key (child, measurement date) as one number instead of a string: a million of them
 * stay small in a Set and cost the garbage collector nothing to trace. Days of the parsable
 * dates (1900–2200) shifted by 40,000 fit in 17 bits.
 */
function rowKey(childId: number, day: number): number {
  return childId * 131_072 + (day + 40_000);
}

/** What decides whether a re-exported row changed: every stored input and e-PPGBM's own values. */
function contentOf(r: EppgbmRecord, posyanduId: number | null, lila: number | null, headc: number | null): string {
  const o = r.own;
  return `${r.desaCode}|${posyanduId ?? ''}|${r.weight}|${fmt(r.height)}|${r.measure ?? ''}|${fmt(lila)}|${fmt(headc)}|` +
    `${fmt(o.zwei)}|${fmt(o.zlen)}|${fmt(o.zwfl)}|${o.bbU}|${o.tbU}|${o.bbTb}|${o.naikBb}`;
}

function inRange(v: number | null, lo: number, hi: number): number | null {
  return v !== null && v >= lo && v <= hi ? v : null;
}

/** A z-score e-PPGBM printed, kept when it fits the column (999.99 placeholders are already null). */
function ownZ(v: number | null): number | null {
  return v !== null && Math.abs(v) < 9999 ? Math.round(v * 100) / 100 : null;
}

/**
 * Imports one e-PPGBM export into the database as one batch, all or nothing: rows validated and
 * matched (src/ingest), children matched by NIK hash, else name + birth date + mother (new ones
 * created with their desa and posyandu; new posyandu created under their desa), each (child,
 * measurement date) keyed in `import_row` so a re-import changes nothing and a corrected
 * re-export replaces only the rows that changed; measurements written by the COPY bulk loader
 * (z-scores with src/growth, weight gain, rollups); e-PPGBM's own z-scores kept for the
 * `eppgbm_disagreement` view; rejects stored in `import_row_error`. An identical file (same
 * sha256) imported before changes nothing and creates no batch.
 * @see src/ingest/README.md "Database"
 */
export async function storeEppgbmFile(ctx: StoreContext, path: string, options: EppgbmStoreOptions): Promise<EppgbmStoreResult> {
  const t0 = performance.now();
  const file = options.displayName ?? basename(path);
  const kab = options.matcher.kabupatenCode;
  const { sha256, bytes } = await fileDigest(path);
  const same = await ctx.pool.query<{ id: number }>(
    "SELECT id FROM import_batch WHERE file_sha256 = $1 AND kind = 'eppgbm' AND status = 'done' AND kabupaten_code = $2 ORDER BY id DESC LIMIT 1",
    [sha256, kab],
  );
  if (same.rowCount) {
    const report = await importEppgbmFile(path, { matcher: options.matcher, engine: null, today: options.today, displayName: file });
    return {
      report, batchId: null, sameFileBatch: same.rows[0].id, inserted: 0, updated: 0, unchanged: report.accepted, duplicates: 0,
      newChildren: 0, newPosyandu: [], seconds: { total: (performance.now() - t0) / 1000, parse: 0, load: 0, finish: 0 },
    };
  }

  const client = await ctx.pool.connect();
  try {
    await client.query('BEGIN');
    // One import per district at a time; children are only created here and by forms, which the
    // lock holds off until commit (the ids reserved below stay contiguous).
    await client.query("SELECT pg_advisory_xact_lock(7412, hashtext('import|' || $1::text))", [kab]);
    await client.query('LOCK TABLE child IN SHARE ROW EXCLUSIVE MODE');
    await client.query('LOCK TABLE region IN SHARE MODE');
    const userRow = options.userId ?? null;
    const batch = await client.query<{ id: number }>(
      `INSERT INTO import_batch (kabupaten_code, kind, file_name, file_sha256, file_bytes, user_id, imported_by)
       VALUES ($1, 'eppgbm', $2, $3, $4, $5, $6) RETURNING id`,
      [kab, file, sha256, bytes, userRow, options.importedBy],
    );
    const batchId = batch.rows[0].id;
    options.onWriting?.();
    const result = await storeInTransaction(ctx, client, path, file, batchId, options, t0);
    await client.query('COMMIT');
    result.seconds.total = (performance.now() - t0) / 1000;
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw translateDbError(err);
  } finally {
    client.release();
  }
}

async function storeInTransaction(
  ctx: StoreContext,
  client: pg.PoolClient,
  path: string,
  file: string,
  batchId: number,
  options: EppgbmStoreOptions,
  t0: number,
): Promise<EppgbmStoreResult> {
  const kab = options.matcher.kabupatenCode;
  const byNik = new Map<string, KnownChild>();
  const byName = new Map<string, KnownChild>();
  const known = await client.query<{ id: number; nik_hash: Buffer | null; name: string; birth_date: string; sex: 1 | 2; mother_name: string | null }>(
    'SELECT id, nik_hash, name, birth_date, sex, mother_name FROM child WHERE kabupaten_code = $1',
    [kab],
  );
  for (const c of known.rows) {
    const k: KnownChild = { id: c.id, birthDate: c.birth_date, sex: c.sex, hasNik: c.nik_hash !== null };
    if (c.nik_hash) byNik.set(c.nik_hash.toString('latin1'), k);
    byName.set(childKey(c.name, c.birth_date, c.mother_name ?? ''), k);
  }
  known.rows.length = 0;
  const facilities = new Map<string, number>();
  for (const f of (await client.query<{ id: number; desa_code: string; name: string }>(
    "SELECT id, desa_code, name FROM facility WHERE kabupaten_code = $1 AND kind = 'posyandu'", [kab])).rows) {
    facilities.set(`${f.desa_code}|${posyanduKey(f.name)}`, f.id);
  }
  const existingRows = new Map<number, { content: string; batchId: number }>();
  for (const r of (await client.query<{ child_id: number; measured_on: string; content: string; batch_id: number }>(
    'SELECT child_id, measured_on, content, batch_id FROM import_row WHERE kabupaten_code = $1', [kab])).rows) {
    existingRows.set(rowKey(r.child_id, isoDayNumber(r.measured_on)), { content: r.content, batchId: r.batch_id });
  }
  const seq = (await client.query<{ s: string }>("SELECT pg_get_serial_sequence('child', 'id') AS s")).rows[0].s;

  let header: HeaderMap<EppgbmKey> | null = null;
  const columnName = (key: EppgbmKey, fallback: string): string => {
    const i = header?.index[key];
    return i === undefined || !header ? fallback : header.headers[i];
  };
  const extraRejects: RowIssue[] = [];
  const rejectedRows = new Set<number>();
  const measurements = new MeasurementSpool(kab);
  const seenKeys = new Set<number>();
  const childLines = new CopyBuffer();
  // Key rows of new (child, date) keys are COPYed as the file is read; those replacing a stored
  // key row wait until the old one is deleted.
  const importRowLines = new CopyBuffer();
  const updatedRowLines = new CopyBuffer();
  const replaced: { childIds: number[]; dates: string[]; batches: number[] } = { childIds: [], dates: [], batches: [] };
  const newPosyandu: NewPosyandu[] = [];
  const extraKeys = new RollupKeys();
  // New children's registration (S) per unit and month: added to the rollups with the load's delta.
  const registration = new RegistrationDelta();
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  let duplicates = 0;
  let newChildren = 0;

  const childDesas = new Set<string>();
  // Rows read so far and the fraction of the file they are (CSV, HTML): at the first COPY of
  // children this estimates how many the file brings; a file that will at least double the child
  // table loads without child's plain indexes, rebuilt once at the end.
  let progressRows = 0;
  let progressFraction: number | null = null;
  let childIndexes: string[] | null = null;
  let importRowIndexes: string[] | null = null;
  const expectedRows = (atLeast: number): number =>
    Math.max(atLeast, progressFraction && progressFraction > 0 ? Math.round(progressRows / progressFraction) : 0);
  const flushChildren = async (): Promise<void> => {
    if (childLines.count === 0) return;
    if (childIndexes === null) {
      const expected = expectedRows(childLines.count);
      childIndexes = expected >= 100_000 ? await dropPlainIndexes(client, 'child', expected) : [];
    }
    await copyLinesUnchecked(client, 'child', CHILD_COLUMNS, childLines.take());
  };
  const flushImportRows = async (): Promise<void> => {
    if (importRowLines.count === 0) return;
    if (importRowIndexes === null) {
      const expected = expectedRows(importRowLines.count);
      importRowIndexes = expected >= 100_000 ? await dropPlainIndexes(client, 'import_row', expected) : [];
    }
    await copyLinesUnchecked(client, 'import_row', IMPORT_ROW_COLUMNS, importRowLines.take());
  };

  /** Posyandu of this block not stored yet: created under their desa in one statement. */
  const createPosyandu = async (records: readonly EppgbmRecord[]): Promise<void> => {
    const fresh = new Map<string, { name: string; desa: string }>();
    for (const rec of records) {
      if (!rec.posyanduKey) continue;
      const fk = `${rec.desaCode}|${rec.posyanduKey}`;
      if (!facilities.has(fk) && !fresh.has(fk)) fresh.set(fk, { name: rec.posyandu, desa: rec.desaCode });
    }
    if (fresh.size === 0) return;
    const list = [...fresh.values()];
    const created = await client.query<{ id: number; name: string; desa_code: string }>(
      `INSERT INTO facility (kind, name, kabupaten_code, desa_code)
       SELECT 'posyandu', n, $3, d FROM unnest($1::text[], $2::text[]) AS u(n, d) RETURNING id, name, desa_code`,
      [list.map((f) => f.name), list.map((f) => f.desa), kab],
    );
    for (const f of created.rows) {
      facilities.set(`${f.desa_code}|${posyanduKey(f.name)}`, f.id);
      newPosyandu.push({ id: f.id, name: f.name, desaCode: f.desa_code });
    }
    await client.query(
      "INSERT INTO import_change (batch_id, entity, op, entity_id, last_id) SELECT $1, 'facility', 'insert', i, i FROM unnest($2::bigint[]) AS i",
      [batchId, created.rows.map((f) => f.id)],
    );
  };

  const sink = async (records: readonly EppgbmRecord[]): Promise<void> => {
    await createPosyandu(records);
    const fresh: { rec: EppgbmRecord; posyanduId: number | null; nikHash: Buffer | null; k: KnownChild }[] = [];
    const rows: { rec: EppgbmRecord; posyanduId: number | null; k: KnownChild }[] = [];
    for (const rec of records) {
      if (rec.height !== null && rec.height < 20) {
        reject(rec, columnName('tinggi', 'Tinggi'), fmt(rec.height), IM['ingest.store.heightTooSmall']);
        continue;
      }
      if (rec.measureDay - rec.birthDay > MAX_AGE_DAYS) {
        reject(rec, columnName('tglUkur', 'Tanggal Pengukuran'), rec.measureDate, IM['ingest.store.tooOld']);
        continue;
      }
      const posyanduId = rec.posyanduKey ? facilities.get(`${rec.desaCode}|${rec.posyanduKey}`) ?? null : null;
      const nikHash = rec.nik ? ctx.nik.hash(rec.nik) : null;
      const nikKey = nikHash ? nikHash.toString('latin1') : null;
      let k = nikKey ? byNik.get(nikKey) : undefined;
      let nameK: string | null = null;
      if (!k) {
        nameK = childKey(rec.name, rec.birthDate, rec.motherName);
        const byN = byName.get(nameK);
        if (byN && (!byN.hasNik || !nikKey)) k = byN;
      }
      if (!k) {
        k = { id: 0, birthDate: rec.birthDate, sex: rec.sex, hasNik: nikKey !== null };
        if (nikKey) byNik.set(nikKey, k);
        byName.set(nameK ?? childKey(rec.name, rec.birthDate, rec.motherName), k);
        fresh.push({ rec, posyanduId, nikHash, k });
      }
      rows.push({ rec, posyanduId, k });
    }
    if (fresh.length > 0) {
      const last = Number((await client.query<{ last: string }>('SELECT setval($1::regclass, nextval($1::regclass) + $2 - 1) AS last', [seq, fresh.length])).rows[0].last);
      const first = last - fresh.length + 1;
      await client.query("INSERT INTO import_change (batch_id, entity, op, entity_id, last_id) VALUES ($1, 'child', 'insert', $2, $3)", [batchId, first, last]);
      for (let i = 0; i < fresh.length; i++) {
        const { rec, posyanduId, nikHash, k } = fresh[i];
        k.id = first + i;
        childLines.add(
          `${k.id}\t${kab}\t${rec.desaCode}\t${copyField(posyanduId)}\t${nikHash ? `\\\\x${nikHash.toString('hex')}` : '\\N'}\t` +
          `${nikHash && rec.nik ? rec.nik.slice(12) : '\\N'}\t${copyField(rec.name)}\t${rec.sex}\t${rec.birthDate}\t` +
          `${copyField(inRange(rec.birthWeight, 0.21, 7.99))}\t${copyField(inRange(rec.birthLength, 20.1, 69.9))}\t${copyField(rec.motherName || null)}\t${rec.birthDate}\n`,
        );
        childDesas.add(rec.desaCode);
        registration.add(rec.desaCode, posyanduId, rec.birthDate, rec.birthDate);
      }
      newChildren += fresh.length;
      if (childLines.count >= 50_000) await flushChildren();
    }
    for (const { rec, posyanduId, k } of rows) {
      const key = rowKey(k.id, rec.measureDay);
      if (seenKeys.has(key)) {
        duplicates++;
        continue;
      }
      seenKeys.add(key);
      const birthDay = k.birthDate === rec.birthDate ? rec.birthDay : dayOf(k.birthDate);
      const age = rec.measureDay - birthDay;
      if (age < 0 || age > MAX_AGE_DAYS) {
        reject(rec, columnName('tglLahir', 'Tgl Lahir'), rec.birthDate, IM['ingest.store.storedBirthDate']);
        continue;
      }
      const lila = inRange(rec.lila, 5, 45);
      const headc = inRange(rec.headc, 20, 70);
      const content = contentOf(rec, posyanduId, lila, headc);
      const before = existingRows.get(key);
      if (before) {
        if (before.content === content) {
          unchanged++;
          continue;
        }
        updated++;
        replaced.childIds.push(k.id);
        replaced.dates.push(rec.measureDate);
        replaced.batches.push(before.batchId);
      } else inserted++;
      const o = rec.own;
      (before ? updatedRowLines : importRowLines).add(
        `${kab}\t${k.id}\t${rec.measureDate}\t${batchId}\t${rec.row}\t${copyField(content)}\t${copyField(ownZ(o.zwei))}\t${copyField(ownZ(o.zlen))}\t` +
        `${copyField(ownZ(o.zwfl))}\t${copyField(o.bbU || null)}\t${copyField(o.tbU || null)}\t${copyField(o.bbTb || null)}\t${copyField(o.naikBb || null)}\n`,
      );
      measurements.push(rec.desaCode, posyanduId, k.id, k.sex, birthDay, rec.measureDay, rec.weight, rec.height, rec.measure, lila, headc);
    }
    if (importRowLines.count >= 50_000) await flushImportRows();
  };

  function reject(rec: EppgbmRecord, column: string, value: string, reason: string): void {
    extraRejects.push({ row: rec.row, column, value, reason: tBoth(reason) });
    rejectedRows.add(rec.row);
  }

  const report = await importEppgbmFile(path, {
    matcher: options.matcher,
    engine: null,
    today: options.today ?? todayInJakarta(),
    displayName: file,
    sink,
    blockSize: 8192,
    onHeader: (h) => { header = h; },
    onProgress: (rows, fraction) => {
      progressRows = rows;
      progressFraction = fraction;
      options.onProgress?.(rows, fraction);
    },
  });
  await flushChildren();
  for (const def of childIndexes ?? []) await client.query(def);
  await flushImportRows();
  // The matching state is not needed any more: free it before the loader builds its own per child.
  byNik.clear();
  byName.clear();
  seenKeys.clear();
  existingRows.clear();
  if (rejectedRows.size > 0) {
    report.accepted -= rejectedRows.size;
    report.rejected += rejectedRows.size;
    report.rejects = [...report.rejects, ...extraRejects].sort((a, b) => a.row - b.row);
  }

  // Rows a corrected re-export changes: the previous measurement and key row go to the undo log.
  if (replaced.childIds.length > 0) {
    const gone = await client.query<{ desa_code: string; posyandu_id: number | null; month: string }>(
      `WITH u AS (SELECT * FROM unnest($2::bigint[], $3::date[], $4::bigint[]) AS u(c, d, b)),
       m AS (DELETE FROM measurement m USING u WHERE m.kabupaten_code = $1 AND m.child_id = u.c AND m.measured_on = u.d AND m.import_batch_id = u.b RETURNING m.*),
       r AS (DELETE FROM import_row r USING u WHERE r.kabupaten_code = $1 AND r.child_id = u.c AND r.measured_on = u.d RETURNING r.*),
       lm AS (INSERT INTO import_change (batch_id, entity, op, old) SELECT $5, 'measurement', 'replace', to_jsonb(m) FROM m),
       lr AS (INSERT INTO import_change (batch_id, entity, op, old) SELECT $5, 'import_row', 'replace', to_jsonb(r) FROM r)
       SELECT desa_code, posyandu_id, month FROM m`,
      [kab, replaced.childIds, replaced.dates, replaced.batches, batchId],
    );
    for (const g of gone.rows) extraKeys.add(g.desa_code, g.posyandu_id, g.month);
  }
  await copyLinesUnchecked(client, 'import_row', IMPORT_ROW_COLUMNS, updatedRowLines.take());
  for (const def of importRowIndexes ?? []) await client.query(def);
  // The references the COPYs above may have skipped: desa codes of new children (posyandu ids and
  // the batch were created in this transaction, child ids reserved from child's own sequence).
  const missing = await client.query<{ d: string }>(
    'SELECT d FROM unnest($1::text[]) AS d WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = d AND r.kabupaten_code = $2) LIMIT 5',
    [[...childDesas], kab],
  );
  if (missing.rowCount) {
    throw new AppError('db_foreign_key_violation', IM['ingest.store.unknownRegion'], { codes: missing.rows.map((r) => r.d).join(', ') }, { status: 422 });
  }
  const tLoad = performance.now();
  const parseSeconds = (tLoad - t0) / 1000;
  if (measurements.length > 0) {
    // The import inserts measurements only here (replaced ones were deleted above), so the loader
    // may update the rollups by its delta, new children's registration included.
    await loadMeasurements(ctx.pool, measurements.rows(), {
      source: 'import', importBatchId: batchId, deps: ctx.deps, client, expectedRows: measurements.length,
      callerInsertedNoMeasurements: true, registration,
    });
  } else if (registration.size > 0) {
    await applyRollupDelta(kyselyOnClient<Database>(client), { desa: new Map(), posyandu: new Map(), registered: registration.counts() });
  }
  const tFinish = performance.now();
  // Units of replaced measurements: recomputed from raw data (after the delta, which they override).
  await recomputeRollups(kyselyOnClient<Database>(client), extraKeys);

  if (report.rejects.length > 0) {
    const lines = new CopyBuffer();
    const perRow = new Map<number, number>();
    for (const r of report.rejects) {
      const n = (perRow.get(r.row) ?? 0) + 1;
      perRow.set(r.row, n);
      lines.add(`${batchId}\t${r.row}\t${copyField(r.column)}\t${copyField(`reject.${n}`)}\t${copyField(r.reason.id)}\t${copyField(r.reason.en)}\t${copyField(JSON.stringify({ column: r.column, value: r.value }))}\n`);
    }
    await copyLinesUnchecked(client, 'import_row_error', ['batch_id', 'line', 'field', 'code', 'message_id', 'message_en', 'raw'], lines.take());
  }
  const dis = await client.query<{ zwei: number; zlen: number; zwfl: number }>(
    `SELECT count(*) FILTER (WHERE zwei_differs)::int AS zwei, count(*) FILTER (WHERE zlen_differs)::int AS zlen,
       count(*) FILTER (WHERE zwfl_differs)::int AS zwfl
     FROM eppgbm_disagreement WHERE batch_id = $1 AND (eppgbm_zwei IS NOT NULL OR eppgbm_zlen IS NOT NULL OR eppgbm_zwfl IS NOT NULL)`,
    [batchId],
  );
  report.disagreements = dis.rows[0];
  const summary = {
    newChildren, newPosyandu: newPosyandu.map((p) => p.id), disagreements: report.disagreements, warnings: report.warningCount, format: report.format,
  };
  await client.query(
    `UPDATE import_batch SET status = 'done', finished_at = now(), rows_total = $2, rows_loaded = $3, rows_rejected = $4,
       rows_inserted = $5, rows_updated = $6, rows_unchanged = $7, rows_duplicate = $8, summary = $9 WHERE id = $1`,
    [batchId, report.read, report.accepted, report.rejected, inserted, updated, unchanged, duplicates, JSON.stringify(summary)],
  );
  await client.query(
    `INSERT INTO audit_log (user_id, action, entity, entity_id, kabupaten_code, details) VALUES ($1, 'import', 'import_batch', $2, $3, $4)`,
    [options.userId ?? null, String(batchId), kab, JSON.stringify({ kind: 'eppgbm', read: report.read, inserted, updated, unchanged, rejected: report.rejected, newChildren })],
  );
  const end = performance.now();
  return {
    report, batchId, sameFileBatch: null, inserted, updated, unchanged, duplicates, newChildren, newPosyandu,
    seconds: { total: 0, parse: parseSeconds, load: (tFinish - tLoad) / 1000, finish: (end - tFinish) / 1000 },
  };
}

const dayCache = new Map<string, number>();
function dayOf(iso: string): number {
  let d = dayCache.get(iso);
  if (d === undefined) {
    d = Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
    if (dayCache.size < 100_000) dayCache.set(iso, d);
  }
  return d;
}

/** Throws the bilingual "batch not found" error. */
export function batchNotFound(batch: string | number): never {
  throw new AppError('ingest.batchNotFound', IM['ingest.cli.batchNotFound'], { batch }, { status: 404 });
}

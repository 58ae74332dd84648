import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { AppError } from '../common/app-error.js';
import { DB_MESSAGES as M } from './messages.js';
import { LATEST_MIGRATION, MIGRATIONS } from './migrator.js';
import type { NikHasher } from './nik.js';

/**
 * Tumbuh's own logical backup (the embedded package ships no pg_dump): a gzip file holding
 *   line 1   {"format":"tumbuh-backup","version":1,"migration":…,"created_at":…,"tables":[…]}
 *   then per table, parents before children:
 *            #table <name> <columns as JSON array>
 *            <rows in PostgreSQL COPY text format, ordered by primary key>
 *            \.
 * taken from one REPEATABLE READ snapshot. Restore loads it into one transaction.
 * @see docs/OPERATIONS.md "Backup and restore"
 */
export const BACKUP_FORMAT = 'tumbuh-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  migration: string;
  created_at: string;
  tables: { name: string; rows: number }[];
}

interface TableInfo {
  name: string;
  columns: string[];
  orderBy: string;
}

const SKIP = new Set(['tumbuh_migration', 'tumbuh_migration_lock']);

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** User tables of the public schema, parents before children, with their stored (non-generated) columns. */
async function tablesInOrder(client: pg.ClientBase): Promise<TableInfo[]> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  const deps = await client.query<{ child: string; parent: string }>(
    `SELECT cl.relname::text AS child, pl.relname::text AS parent FROM pg_constraint con
     JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class pl ON pl.oid = con.confrelid
     JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE con.contype = 'f' AND n.nspname = 'public' AND cl.oid <> pl.oid`,
  );
  const cols = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
  );
  const pk = await client.query<{ name: string; cols: string[] }>(
    `SELECT cl.relname::text AS name, array_agg(a.attname::text ORDER BY k.ord) AS cols
     FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
     WHERE con.contype = 'p' AND n.nspname = 'public' GROUP BY cl.relname`,
  );
  const names = tables.rows.map((r) => r.name).filter((n) => !SKIP.has(n));
  const parents = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const d of deps.rows) if (parents.has(d.child) && parents.has(d.parent)) parents.get(d.child)?.add(d.parent);
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.filter((n) => !done.has(n) && [...(parents.get(n) ?? [])].every((p) => done.has(p)));
    if (next.length === 0) throw new Error('foreign-key cycle between tables');
    for (const n of next) {
      done.add(n);
      ordered.push(n);
    }
  }
  const pkOf = new Map(pk.rows.map((r) => [r.name, r.cols]));
  return ordered.map((name) => {
    const columns = cols.rows.filter((c) => c.table_name === name).map((c) => c.column_name);
    // Rows referencing rows of the same table must come after them.
    const selfOrder: Record<string, string> = { region: 'length(code), code', facility: 'puskesmas_id IS NOT NULL, id' };
    const key = pkOf.get(name) ?? columns;
    return { name, columns, orderBy: selfOrder[name] ?? key.map(ident).join(', ') };
  });
}

async function writeText(stream: Writable, text: string | Buffer): Promise<void> {
  if (!stream.write(text)) await new Promise((r) => stream.once('drain', r));
}

/**
 * Writes a consistent gzip'd logical backup of the whole database to `file` (mode 0600: it holds
 * personal data). Returns its header.
 */
export async function backupDatabase(pool: pg.Pool, file: string): Promise<BackupHeader> {
  const client = await pool.connect();
  const tmp = `${file}.partial`;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const applied = await client.query<{ name: string }>('SELECT name FROM tumbuh_migration ORDER BY name');
    const migration = applied.rows.at(-1)?.name ?? '';
    const tables = await tablesInOrder(client);
    const counts: { name: string; rows: number }[] = [];
    for (const t of tables) {
      const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)}`);
      counts.push({ name: t.name, rows: Number(r.rows[0].n) });
    }
    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, migration, created_at: new Date().toISOString(), tables: counts };
    const gzip = createGzip({ level: 6 });
    const out = createWriteStream(tmp, { mode: 0o600 });
    const done = pipeline(gzip, out);
    await writeText(gzip, JSON.stringify(header) + '\n');
    for (const t of tables) {
      await writeText(gzip, `#table ${t.name} ${JSON.stringify(t.columns)}\n`);
      const source = client.query(copyStreams.to(
        `COPY (SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)} ORDER BY ${t.orderBy}) TO STDOUT`,
      ));
      const pass = new PassThrough();
      const piped = pipeline(source, pass);
      for await (const chunk of pass) await writeText(gzip, chunk as Buffer);
      await piped;
      await writeText(gzip, '\\.\n');
    }
    gzip.end();
    await done;
    await client.query('COMMIT');
    renameSync(tmp, file);
    return header;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    client.release();
  }
}

/** Reads only the header of a backup file (for `tumbuh db restore` messages and checks). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) return parseHeader(file, line);
    throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: 'empty' });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: (err as Error).message }, { cause: err });
  } finally {
    lines.close();
  }
}

function parseHeader(file: string, line: string): BackupHeader {
  let h: BackupHeader;
  try {
    h = JSON.parse(line) as BackupHeader;
  } catch {
    throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: 'no header' });
  }
  if (h.format !== BACKUP_FORMAT || typeof h.version !== 'number') {
    throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: 'not a tumbuh-backup' });
  }
  if (h.version > BACKUP_VERSION) throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: `format version ${h.version}` });
  if (!(h.migration in MIGRATIONS) && h.migration > LATEST_MIGRATION) {
    throw new AppError('backup_newer', M['db.backup.newerSchema'], { backup: h.migration, current: LATEST_MIGRATION });
  }
  return h;
}

/** Tables holding what users entered (as opposed to reference data loaded at start). */
const USER_DATA = ['child', 'measurement', 'person', 'family', 'service', 'facility', 'app_user', 'import_batch', 'indicator_value', 'evaluation', 'action', 'partner'];

export interface RestoreOptions {
  /** Replace a database that already holds user data. */
  force?: boolean;
  /** The installation's NIK hasher: the backup must have been made with the same key. */
  nik?: NikHasher;
}

/**
 * Restores a backup into the (migrated) database in one transaction: all tables are emptied and
 * loaded with the backup's rows (its column lists, so a backup from an older schema level loads
 * into a newer one), then identity sequences are moved past the restored ids. Refuses a
 * database that holds user data unless `force`.
 */
export async function restoreDatabase(pool: pg.Pool, file: string, options: RestoreOptions = {}): Promise<BackupHeader> {
  const header = await readBackupHeader(file);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const tables = await tablesInOrder(client);
    const known = new Set(tables.map((t) => t.name));
    if (!options.force) {
      for (const name of USER_DATA) {
        if (!known.has(name)) continue;
        const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(name)}`);
        if (Number(r.rows[0].n) > 0) throw new AppError('restore_not_empty', M['db.backup.notEmpty'], { rows: r.rows[0].n, table: name }, { status: 409 });
      }
    }
    await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate');
    await client.query(`TRUNCATE ${tables.map((t) => ident(t.name)).join(', ')} RESTART IDENTITY CASCADE`);
    await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate');

    const input = createReadStream(file).pipe(createGunzip());
    const lines = createInterface({ input, crlfDelay: Infinity });
    let first = true;
    let copy: Writable | null = null;
    let copyDone: Promise<void> | null = null;
    let batch = '';
    const flush = async () => {
      if (copy && batch) await writeText(copy, batch);
      batch = '';
    };
    for await (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      if (copy) {
        if (line === '\\.') {
          await flush();
          copy.end();
          await copyDone;
          copy = null;
        } else {
          batch += line + '\n';
          if (batch.length > 1 << 20) await flush();
        }
        continue;
      }
      const m = /^#table (\S+) (\[.*\])$/.exec(line);
      if (!m) throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: 'corrupt section header' });
      const name = m[1];
      const columns = JSON.parse(m[2]) as string[];
      if (!known.has(name)) throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: `unknown table ${name}` });
      const stream = client.query(copyStreams.from(`COPY ${ident(name)} (${columns.map(ident).join(', ')}) FROM STDIN`));
      copyDone = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      copyDone.catch(() => undefined);
      copy = stream;
    }
    if (copy) {
      // End the COPY with CopyFail so the connection leaves COPY mode before ROLLBACK.
      (copy as Writable).destroy(new Error('truncated backup'));
      await (copyDone as Promise<void>).catch(() => undefined);
      throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: 'truncated' });
    }
    const ids = await client.query<{ t: string; c: string }>(
      // Identity columns and columns owning a sequence (measurement/service ids on PostgreSQL 15–16,
      // where partitioned tables cannot have identity columns); partitions share their parent's.
      `SELECT c.relname AS t, a.attname AS c FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    );
    for (const { t, c } of ids.rows) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(c)}) FROM ${ident(t)}), 0) + 1, false)`,
        [t, c],
      );
    }
    if (options.nik) {
      const fp = await client.query<{ value: string }>(`SELECT value FROM app_setting WHERE key = 'nik_key_fingerprint'`);
      if (fp.rowCount && fp.rows[0].value !== options.nik.fingerprint) throw new AppError('nik_key_mismatch', M['db.nikKeyMismatch'], {}, { status: 409 });
    }
    await client.query('COMMIT');
    return header;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw new AppError('backup_invalid', M['db.backup.badFile'], { file, reason: (err as Error).message }, { cause: err });
  } finally {
    client.release();
  }
}

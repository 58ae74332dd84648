import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { backupDatabase, readBackupHeader, restoreDatabase } from '../../db/backup.js';
import { openDatabase, type DatabaseHandle } from '../../db/connection.js';
import { migrateToLatest, migrationStatus } from '../../db/migrator.js';
import { detachMonth, ensurePartitions, listPartitions } from '../../db/partitions.js';
import { rebuildAllRollups } from '../../db/rollup.js';
import type { Database } from '../../db/schema.js';
import { seedFilesFromEnv, seedReferenceData } from '../../db/seed.js';
import type { CliCommand, CliIO } from '../command.js';
import { optionTokens } from '../options.js';

const M = defineMessages({
  'dbcmd.usage': {
    id: 'Pemakaian: tumbuh db migrate | status | backup BERKAS | restore BERKAS [--force] | rebuild-rollups | partitions [--ahead N] | partitions detach YYYY-MM',
    en: 'Usage: tumbuh db migrate | status | backup FILE | restore FILE [--force] | rebuild-rollups | partitions [--ahead N] | partitions detach YYYY-MM',
  },
  'dbcmd.target': { id: 'Basis data: {target}', en: 'Database: {target}' },
  'dbcmd.migrated': { id: 'Migrasi diterapkan: {list}', en: 'Migrations applied: {list}' },
  'dbcmd.upToDate': { id: 'Skema sudah terbaru ({latest}).', en: 'Schema is up to date ({latest}).' },
  'dbcmd.migration': { id: '  {name}  {state}', en: '  {name}  {state}' },
  'dbcmd.pending': { id: 'belum diterapkan', en: 'pending' },
  'dbcmd.counts': {
    id: 'Isi: {regions} wilayah, {facilities} fasilitas, {children} anak, {measurements} pengukuran, {persons} sasaran lain, {indicators} indikator',
    en: 'Contents: {regions} regions, {facilities} facilities, {children} children, {measurements} measurements, {persons} other target people, {indicators} indicators',
  },
  'dbcmd.backedUp': {
    id: 'Cadangan ditulis ke {file}: {tables} tabel, {rows} baris, skema {migration}. Berkas ini berisi data pribadi: simpan dengan aman.',
    en: 'Backup written to {file}: {tables} tables, {rows} rows, schema {migration}. The file holds personal data: keep it safe.',
  },
  'dbcmd.restored': {
    id: 'Dipulihkan dari {file} (dibuat {created}, skema {migration}): {rows} baris.',
    en: 'Restored from {file} (made {created}, schema {migration}): {rows} rows.',
  },
  'dbcmd.partitionsCreated': { id: 'Partisi bulan dibuat: {list}', en: 'Month partitions created: {list}' },
  'dbcmd.partition': { id: '  {name}  {month}  ±{rows} baris, {mb} MB', en: '  {name}  {month}  ~{rows} rows, {mb} MB' },
  'dbcmd.detached': {
    id: 'Dilepas ke skema archive (di luar kueri dan cadangan tumbuh; ekspor lalu DROP TABLE bila sudah diarsipkan): {list}',
    en: 'Detached into schema archive (outside queries and tumbuh backups; export, then DROP TABLE once archived): {list}',
  },
  'dbcmd.nothingDetached': { id: 'Tidak ada partisi bulan {month}.', en: 'No partition for month {month}.' },
  'dbcmd.rebuilt': { id: 'Rollup desa × bulan dan posyandu × bulan dihitung ulang.', en: 'Desa × month and posyandu × month rollups recomputed.' },
});

function line(io: CliIO, key: string, params?: Record<string, unknown>): void {
  io.stdout.write(bilingualLine(key, params) + '\n');
}

async function withDb<T>(io: CliIO, opts: { migrate: boolean; seed: boolean }, fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ env: io.env, cwd: io.cwd, migrate: opts.migrate, seed: opts.seed });
  try {
    line(io, M['dbcmd.target'], { target: handle.target });
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function count(db: Kysely<Database>, table: 'region' | 'facility' | 'child' | 'measurement' | 'person' | 'indicator'): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** `tumbuh db migrate|status|backup FILE|restore FILE [--force]|rebuild-rollups|partitions [--ahead N]|partitions detach MONTH`. */
export const dbCommand: CliCommand = {
  name: 'db',
  async run(args, io) {
    const [action, ...rest] = args;
    const file = rest.find((a) => !a.startsWith('--'));
    switch (action) {
      case 'migrate':
        return withDb(io, { migrate: false, seed: false }, async (h) => {
          const applied = await migrateToLatest(h.db as unknown as Kysely<unknown>);
          await seedReferenceData(h.db, seedFilesFromEnv(io.env));
          const status = await migrationStatus(h.db as unknown as Kysely<unknown>);
          if (applied.length > 0) line(io, M['dbcmd.migrated'], { list: applied.join(', ') });
          else line(io, M['dbcmd.upToDate'], { latest: status.at(-1)?.name ?? '-' });
          return 0;
        });
      case 'status':
        return withDb(io, { migrate: false, seed: false }, async (h) => {
          const status = await migrationStatus(h.db as unknown as Kysely<unknown>);
          for (const s of status) {
            line(io, M['dbcmd.migration'], { name: s.name, state: s.executedAt ? s.executedAt.toISOString() : bilingualLine(M['dbcmd.pending']) });
          }
          if (status.every((s) => s.executedAt)) {
            line(io, M['dbcmd.counts'], {
              regions: await count(h.db, 'region'), facilities: await count(h.db, 'facility'), children: await count(h.db, 'child'),
              measurements: await count(h.db, 'measurement'), persons: await count(h.db, 'person'), indicators: await count(h.db, 'indicator'),
            });
          }
          return 0;
        });
      case 'backup': {
        if (!file) break;
        const out = resolve(io.cwd, file);
        return withDb(io, { migrate: true, seed: false }, async (h) => {
          const header = await backupDatabase(h.pool, out);
          const rows = header.tables.reduce((a, t) => a + t.rows, 0);
          line(io, M['dbcmd.backedUp'], { file: out, tables: header.tables.length, rows, migration: header.migration });
          return 0;
        });
      }
      case 'restore': {
        if (!file) break;
        const input = resolve(io.cwd, file);
        await readBackupHeader(input);
        return withDb(io, { migrate: true, seed: false }, async (h) => {
          const header = await restoreDatabase(h.pool, input, { force: rest.includes('--force'), nik: h.nik });
          const rows = header.tables.reduce((a, t) => a + t.rows, 0);
          line(io, M['dbcmd.restored'], { file: input, created: header.created_at, migration: header.migration, rows });
          return 0;
        });
      }
      case 'partitions':
        return withDb(io, { migrate: true, seed: false }, async (h) => {
          if (rest[0] === 'detach') {
            const month = rest[1];
            if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError('usage', M['dbcmd.usage'], {}, { status: 400 });
            const archived = await detachMonth(h.db, month);
            line(io, archived.length > 0 ? M['dbcmd.detached'] : M['dbcmd.nothingDetached'], { list: archived.join(', '), month });
            return 0;
          }
          let ahead: number | undefined;
          for (const { arg, value } of optionTokens(rest, () => new AppError('usage', M['dbcmd.usage'], {}, { status: 400 }))) {
            if (arg !== '--ahead') throw new AppError('usage', M['dbcmd.usage'], {}, { status: 400 });
            const v = value();
            if (!/^\d{1,3}$/.test(v) || Number(v) > 120) throw new AppError('usage', M['dbcmd.usage'], {}, { status: 400 });
            ahead = Number(v);
          }
          const created = await ensurePartitions(h.db, { ahead });
          line(io, M['dbcmd.partitionsCreated'], { list: created.length > 0 ? created.join(', ') : '-' });
          for (const p of await listPartitions(h.db)) {
            line(io, M['dbcmd.partition'], { name: p.name, month: p.month?.slice(0, 7) ?? 'DEFAULT', rows: p.rows, mb: (p.bytes / 1048576).toFixed(1) });
          }
          return 0;
        });
      case 'rebuild-rollups':
        return withDb(io, { migrate: true, seed: false }, async (h) => {
          await h.db.transaction().execute((trx) => rebuildAllRollups(trx));
          line(io, M['dbcmd.rebuilt']);
          return 0;
        });
      default:
        break;
    }
    throw new AppError('usage', M['dbcmd.usage'], {}, { status: 400 });
  },
};

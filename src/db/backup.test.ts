import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPosyandu, DESA_A, DESA_B } from '../test-support/fixtures.js';
import { createTestDatabase, testServerKinds, type TestDatabase } from '../test-support/test-db.js';
import { backupDatabase, readBackupHeader, restoreDatabase } from './backup.js';
import { ChildRepo } from './child.repo.js';
import { MeasurementRepo } from './measurement.repo.js';
import { LATEST_MIGRATION } from './migrator.js';
import type { Database } from './schema.js';

/** Every table's full content as one digest per table (row text sorted), generated columns included. */
async function fingerprint(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'tumbuh_migration%' ORDER BY 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: string; h: string | null }>`SELECT count(*) AS n, md5(string_agg(t::text, E'\n' ORDER BY t::text)) AS h FROM ${sql.table(name)} t`.execute(db);
    out[name] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

describe.each(testServerKinds())('backup and restore on %s PostgreSQL', (kind) => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    source = await createTestDatabase(kind);
    target = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'tumbuh-backup-'));
    const p1 = await addPosyandu(source.db, DESA_A, 'Mawar');
    const p2 = await addPosyandu(source.db, DESA_B, "Posyandu \"Kasih\" Ibu\\Anak\tTab");
    const children = new ChildRepo(source.db, source.deps, source.nik);
    const measurements = new MeasurementRepo(source.db, source.deps);
    const actor = { userId: null, requestId: 'test' };
    for (let i = 0; i < 5; i++) {
      const c = await children.create({ desaCode: i % 2 ? DESA_A : DESA_B, posyanduId: i % 2 ? p1 : p2, name: `Anak ${i} — Ñoño`, sex: (1 + (i % 2)) as 1 | 2, birthDate: `2023-0${i + 1}-10`, nik: `620101100123000${i}`, motherName: i === 2 ? null : `Ibu ${i}` }, actor);
      for (let k = 0; k < 4; k++) {
        await measurements.insert({ childId: c.id, measuredOn: `2024-0${k + 3}-1${i}`, weightKg: 8 + k * 0.3 + i * 0.1, lenheiCm: 70 + k + i, position: 'L', muacCm: k === 1 ? 13.5 : null }, actor);
      }
    }
    await source.db.insertInto('family').values({ kabupaten_code: '62.01', desa_code: DESA_A, head_name: 'Keluarga Uji', unsafe_water: true, is_synthetic: true }).execute();
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives identical data, sequences continue after the restored ids', async () => {
    const file = join(dir, 'tumbuh.backup.gz');
    const header = await backupDatabase(source.pool, file);
    expect(header.migration).toBe(LATEST_MIGRATION);
    expect(header.tables.find((t) => t.name === 'measurement')?.rows).toBe(20);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await readBackupHeader(file)).tables).toEqual(header.tables);

    const before = await fingerprint(source.db);
    await restoreDatabase(target.pool, file);
    expect(await fingerprint(target.db)).toEqual(before);

    const maxId = await target.db.selectFrom('child').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
    const next = await new ChildRepo(target.db, target.deps, target.nik).create({ desaCode: DESA_A, name: 'Setelah pulih', sex: 1, birthDate: '2024-05-05' });
    expect(next.id).toBeGreaterThan(Number(maxId.m));
  });

  it('refuses a database holding user data unless forced, and keeps it intact', async () => {
    const file = join(dir, 'again.backup.gz');
    await backupDatabase(source.pool, file);
    const before = await fingerprint(target.db);
    await expect(restoreDatabase(target.pool, file)).rejects.toMatchObject({ code: 'restore_not_empty' });
    expect(await fingerprint(target.db)).toEqual(before);
    await restoreDatabase(target.pool, file, { force: true });
    expect(await fingerprint(target.db)).toEqual(await fingerprint(source.db));
  });

  it('rejects a file that is not a Tumbuh backup, and a truncated one, without changing data', async () => {
    const junk = join(dir, 'junk.gz');
    writeFileSync(junk, gzipSync('hello\n'));
    await expect(restoreDatabase(target.pool, junk, { force: true })).rejects.toMatchObject({ code: 'backup_invalid' });
    const header = JSON.stringify({ format: 'tumbuh-backup', version: 1, migration: LATEST_MIGRATION, created_at: '', tables: [] });
    const cut = join(dir, 'cut.gz');
    writeFileSync(cut, gzipSync(`${header}\n#table region ["code","name","level","parent_code"]\n99\tX\tprovinsi\t\\N\n`));
    const before = await fingerprint(target.db);
    await expect(restoreDatabase(target.pool, cut, { force: true })).rejects.toMatchObject({ code: 'backup_invalid' });
    expect(await fingerprint(target.db)).toEqual(before);
  });
});

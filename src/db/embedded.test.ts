import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase } from '../test-support/test-db.js';
import { openDatabase } from './connection.js';
import { LOCK_FILE, pidAlive } from './data-dir-lock.js';
import { migrateToLatest, migrationStatus, MIGRATIONS } from './migrator.js';
import { createPool } from './pool.js';

const CHILD = ['--import', './src/test-support/register-ts.mjs', './src/test-support/open-db.child.ts'];

function runChild(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...CHILD, dataDir], { env: { ...process.env, TUMBUH_LANG: 'id' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('embedded PostgreSQL data directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tumbuh-embedded-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, keeps its secrets 0600, and a second process gets the clear in-use error', async () => {
    const handle = await openDatabase({ dataDir: dir, durable: false, handleSignals: false });
    try {
      expect(handle.mode).toBe('embedded');
      expect(statSync(join(dir, 'pg-password')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'nik.key')).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      expect(handle.target).not.toContain(handle.embedded?.password ?? '-');
      const regions = await handle.db.selectFrom('region').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(regions.n)).toBe(115);
      await handle.db.insertInto('facility').values({ kind: 'posyandu', name: 'Tetap ada', kabupaten_code: '62.01', desa_code: '62.01.02.1006' }).execute();

      const second = await runChild(dir);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`sedang dipakai oleh proses PID ${process.pid}`);
      expect(second.stderr).toContain(`already in use by PID ${process.pid}`);
      // The first process's database is untouched and still serving.
      const still = await handle.db.selectFrom('facility').select('name').execute();
      expect(still.map((f) => f.name)).toEqual(['Tetap ada']);
    } finally {
      await handle.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('recovers a stale lock and a PostgreSQL orphaned by a killed Tumbuh, with data intact', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    expect(pidAlive(dead)).toBe(false);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, startTime: null, host: (await import('node:os')).hostname(), since: '' }));
    const holder = spawn(process.execPath, [...CHILD, dir, 'hold']);
    const pgPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      holder.stdout.on('data', (d) => {
        out += d;
        const m = /ready (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      holder.on('close', (code) => reject(new Error(`holder exited ${code}`)));
    });
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('close', r));
    expect(pidAlive(pgPid)).toBe(true);

    const handle = await openDatabase({ dataDir: dir, durable: false, handleSignals: false });
    try {
      expect(pidAlive(pgPid)).toBe(false);
      const rows = await handle.db.selectFrom('facility').select('name').execute();
      expect(rows.map((f) => f.name)).toEqual(['Tetap ada']);
      const applied = await migrationStatus(handle.db as unknown as Kysely<unknown>);
      expect(applied.every((m) => m.executedAt !== null)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

describe('migrations', () => {
  it('apply once, are recorded, and running them again changes nothing', async () => {
    const empty = await createEmptyTestDatabase('embedded');
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: createPool(empty.config) }) });
    try {
      expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateToLatest(db)).toEqual([]);
      const status = await migrationStatus(db);
      expect(status.map((s) => s.name)).toEqual(Object.keys(MIGRATIONS));
      expect(status.every((s) => s.executedAt instanceof Date)).toBe(true);
    } finally {
      await db.destroy();
      await empty.drop();
    }
  });
});

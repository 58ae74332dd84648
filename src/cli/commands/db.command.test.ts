import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { main } from '../main.js';

function io(env: Record<string, string | undefined>, cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, env, cwd }, out: () => out, err: () => err };
}

describe('tumbuh db (server mode through DATABASE_URL)', () => {
  let t: TestDatabase;
  let dir: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    t = await createTestDatabase('embedded');
    dir = mkdtempSync(join(tmpdir(), 'tumbuh-dbcmd-'));
    chmodSync(dir, 0o755);
    const c = t.config as { host: string; port: number; user: string; password: string; database: string };
    env = {
      DATABASE_URL: `postgres://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}`,
      TUMBUH_DATA_DIR: dir,
      TUMBUH_NIK_KEY: 'cli-test-nik-key-0123456789abcdef0123456789',
    };
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrate is idempotent and status lists every migration', async () => {
    const a = io(env, dir);
    expect(await main(['db', 'migrate'], a.io)).toBe(0);
    expect(a.out()).toContain('Skema sudah terbaru');
    const b = io(env, dir);
    expect(await main(['db', 'status'], b.io)).toBe(0);
    expect(b.out()).toMatch(/0001_core\s+\d{4}-/);
    expect(b.out()).toMatch(/115 wilayah/);
    expect(b.out()).not.toContain(env.DATABASE_URL?.split(':')[2]?.split('@')[0] ?? 'x');
  });

  it('backup then restore round-trips; restore refuses a non-empty database without --force', async () => {
    const file = join(dir, 'b.tumbuh.gz');
    const a = io(env, dir);
    expect(await main(['db', 'backup', 'b.tumbuh.gz'], a.io)).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(a.out()).toContain('data pribadi');
    const b = io(env, dir);
    expect(await main(['db', 'restore', 'b.tumbuh.gz'], b.io)).toBe(0);
    expect(b.out()).toContain('Dipulihkan dari');
    await t.db.insertInto('facility').values({ kind: 'posyandu', name: 'Baru', kabupaten_code: '62.01', desa_code: '62.01.02.1006' }).execute();
    const c = io(env, dir);
    expect(await main(['db', 'restore', 'b.tumbuh.gz'], c.io)).toBe(2);
    expect(c.err()).toContain('tidak kosong');
    expect(c.err()).toContain('not empty');
    const d = io(env, dir);
    expect(await main(['db', 'restore', 'b.tumbuh.gz', '--force'], d.io)).toBe(0);
    expect(await t.db.selectFrom('facility').selectAll().execute()).toEqual([]);
  });

  it('prints the usage in both languages for a wrong sub-command', async () => {
    const a = io(env, dir);
    expect(await main(['db', 'explode'], a.io)).toBe(2);
    expect(a.err()).toContain('Pemakaian: tumbuh db');
    expect(a.err()).toContain('Usage: tumbuh db');
  });
});

// Killing `tumbuh import eppgbm` with SIGKILL while rows are flowing into the database leaves the
// database exactly as before: the import is one transaction, which the server rolls back when
// the connection dies. Runs the compiled CLI (bin/tumbuh.js → dist/), compiled here first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { writeSyntheticEppgbm } from './eppgbm-synthetic.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const COMPILED = join(ROOT, 'dist/src/ingest/store/eppgbm-store.service.js');

let tdb: TestDatabase;
let dir: string;

beforeAll(async () => {
  // Always (incrementally) compiled: the CLI must run the same migrations as the test template.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  expect(existsSync(COMPILED)).toBe(true);
  tdb = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-kill-'));
  await writeSyntheticEppgbm(join(dir, 'big.csv'), 150_000);
}, 180_000);

afterAll(async () => {
  await tdb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function counts(): Promise<Record<string, number>> {
  const r = await tdb.pool.query(`SELECT (SELECT count(*) FROM child) AS child, (SELECT count(*) FROM measurement) AS measurement,
    (SELECT count(*) FROM import_batch) AS import_batch, (SELECT count(*) FROM import_row) AS import_row,
    (SELECT count(*) FROM import_change) AS import_change, (SELECT count(*) FROM facility) AS facility,
    (SELECT count(*) FROM import_row_error) AS import_row_error, (SELECT count(*) FROM rollup_desa_month) AS rollup_desa_month`);
  return Object.fromEntries(Object.entries(r.rows[0] as Record<string, string>).map(([k, v]) => [k, Number(v)]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tumbuh import eppgbm killed midway', () => {
  it('leaves no partial data', async () => {
    const before = await counts();
    const c = tdb.config;
    const url = `postgres://${encodeURIComponent(String(c.user))}:${encodeURIComponent(String(c.password))}@${c.host}:${c.port}/${c.database}`;
    const child = spawn(process.execPath, [join(ROOT, 'bin/tumbuh.js'), 'import', 'eppgbm', join(dir, 'big.csv'), '--today', '2025-12-31', '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: url, TUMBUH_NIK_KEY: 'test-nik-key-0123456789abcdef0123456789abcdef', TUMBUH_DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // Rows are flowing once the import's connection runs a COPY into the database.
    let copying = '';
    const deadline = Date.now() + 120_000;
    while (!copying && Date.now() < deadline && child.exitCode === null) {
      const q = await tdb.pool.query<{ query: string }>(
        "SELECT query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND query LIKE 'COPY %' AND state = 'active'",
        [c.database],
      );
      if (q.rowCount) copying = q.rows[0].query.slice(0, 20);
      else await sleep(50);
    }
    expect(copying, stderr).toMatch(/^COPY (child|measurement|import_row)/);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The server notices the dead connection and rolls its transaction back.
    for (let i = 0; i < 300; i++) {
      const n = (await tdb.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [c.database])).rows[0].n;
      if (n <= tdb.pool.totalCount) break;
      await sleep(100);
    }
    expect(await counts()).toEqual(before);
  }, 180_000);
});

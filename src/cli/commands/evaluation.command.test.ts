import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import type { CliIO } from '../command.js';
import { evaluationCommand } from './evaluation.command.js';
import { reportCommand } from './report.command.js';

let tdb: TestDatabase;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-evalcli-'));
  const c = tdb.config as { host: string; port: number; user: string; password: string; database: string };
  env = {
    DATABASE_URL: `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}`,
    TUMBUH_DATA_DIR: dir, TUMBUH_NIK_KEY: 'test-nik-key-0123456789abcdef0123456789abcdef', TUMBUH_TODAY: '2025-11-27', TUMBUH_LANG: 'id',
  };
}, 120_000);

afterAll(async () => {
  await tdb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(command: typeof evaluationCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CliIO = { stdout, stderr, env, cwd: dir };
  const code = await command.run(args, io);
  return { code, out, err };
}

describe('tumbuh evaluation / tumbuh report evaluation', () => {
  it('creates a round, records a barrier and an overdue action, freezes it and writes the XLSX report', async () => {
    const created = await cli(evaluationCommand, ['create', '--title', 'Evaluasi Kinerja TPPS Tahun 2025', '--from', '2025-01-01', '--to', '2025-12-31', '--held-on', '2025-11-27', '--participant', 'Sekda;Dinkes']);
    expect(created.code).toBe(0);
    const id = /#(\d+)/.exec(created.out)?.[1] as string;
    expect((await cli(evaluationCommand, ['barrier', 'add', '--round', id, '--level', 'desa', '--region', '62.01.02.2010', '--description', 'Kader kurang'])).code).toBe(0);
    expect((await cli(evaluationCommand, ['barrier', 'add', '--round', id, '--level', 'desa', '--description', 'Tanpa wilayah'])).code).toBe(1);
    const act = await cli(evaluationCommand, ['action', 'add', '--round', id, '--title', 'Sweeping penimbangan', '--stakeholder', 'kader', '--owner', 'Ketua TP-PKK', '--due', '2025-10-31', '--indicator', 'SPE-07', '--region', '62.01.02']);
    expect(act.code).toBe(0);
    const list = await cli(evaluationCommand, ['actions', '--round', id]);
    expect(list.out).toContain('Terlambat (27 hari)');
    expect((await cli(evaluationCommand, ['freeze', id, '--as-of', '2025-11-27'])).code).toBe(0);
    const show = await cli(evaluationCommand, ['show', id, '--format', 'json']);
    const parsed = JSON.parse(show.out) as { round: { status: string }; rows: { indicatorId: string }[] };
    expect(parsed.round.status).toBe('final');
    expect(parsed.rows.map((r) => r.indicatorId)).toContain('OUT-01');
    const rep = await cli(reportCommand, ['evaluation', '--round', id, '--format', 'xlsx', '-o', 'laporan.xlsx']);
    expect(rep.code).toBe(0);
    expect(readFileSync(join(dir, 'laporan.xlsx')).subarray(0, 2).toString()).toBe('PK');
  }, 120_000);

  it('rejects wrong arguments with exit code 2', async () => {
    expect((await cli(reportCommand, ['evaluation', '--round', '1', '--format', 'docx'])).code).toBe(2);
    expect((await cli(evaluationCommand, ['create', '--title', 'x'])).code).toBe(2);
  });
});

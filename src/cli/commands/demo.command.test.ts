import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../command.js';
import { main } from '../main.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function io(cwd: string, env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const value: CliIO = { stdout: out, stderr: err, env, cwd };
  return { value, text: () => ({ stdout, stderr }) };
}

describe('tumbuh demo', () => {
  it('writes one CSV per table with --out and says the data are synthetic', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tumbuh-demo-cli-'));
    dirs.push(cwd);
    const t = io(cwd);
    const code = await main(['demo', '--children', '300', '--months', '3', '--seed', '9', '--out', 'out'], t.value);
    const { stdout, stderr } = t.text();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('DATA SINTETIS / SYNTHETIC DATA');
    expect(stdout).toContain('Kabupaten Kotawaringin Barat (62.01): 6 kecamatan, 94 desa/kelurahan');
    expect(stdout).toMatch(/digit_preference\s+\d{4}-\d{2}\.\.\d{4}-\d{2}/);
    const files = readdirSync(join(cwd, 'out')).sort();
    expect(files).toContain('measurement.csv');
    expect(files).toContain('demo_fault.csv');
    const faults = readFileSync(join(cwd, 'out', 'demo_fault.csv'), 'utf8').trim().split('\n');
    expect(faults.length).toBe(8);
  });

  it('rejects bad options with exit code 2 and a bilingual message', async () => {
    const t = io(tmpdir());
    expect(await main(['demo', '--children', 'many'], t.value)).toBe(2);
    expect(t.text().stderr).toContain('Nilai opsi tidak dapat dipakai');
    expect(t.text().stderr).toContain('Option value cannot be used');
    const t2 = io(tmpdir());
    expect(await main(['demo', '--end-month', '2025-13', '--out', 'x'], t2.value)).toBe(2);
    const t3 = io(tmpdir());
    expect(await main(['demo', '--bogus'], t3.value)).toBe(2);
  });

  it('loads the embedded database without --out, replacing the earlier demo on a second run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tumbuh-demo-cli-db-'));
    dirs.push(cwd);
    // The embedded server runs as an unprivileged user when tests run as root.
    chmodSync(cwd, 0o755);
    const env = { TUMBUH_DATA_DIR: join(cwd, 'var'), TUMBUH_NIK_KEY: 'demo-command-test-key-0123456789abcdef' };
    const t = io(cwd, env);
    expect(await main(['demo', '--children', '200', '--months', '2'], t.value)).toBe(0);
    expect(t.text().stdout).toContain('DATA SINTETIS / SYNTHETIC DATA');
    expect(t.text().stdout).toMatch(/Dimuat ke embedded PostgreSQL .* \(satu transaksi\)/);
    expect(t.text().stdout).toContain('(0 baris dihapus)');
    const t2 = io(cwd, env);
    expect(await main(['demo', '--children', '200', '--months', '2', '--seed', '2'], t2.value)).toBe(0);
    expect(t2.text().stdout).not.toContain('(0 baris dihapus)');
  }, 180_000);

  it('prints help in both languages', async () => {
    const t = io(tmpdir());
    expect(await main(['demo', '--help'], t.value)).toBe(0);
    expect(t.text().stdout).toContain('--children N');
    expect(t.text().stdout).toContain('Builds a deterministic synthetic district');
  });
});

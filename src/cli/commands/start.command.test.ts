import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import type { CliIO } from '../command.js';
import { main } from '../main.js';

function capture(env: Record<string, string | undefined>): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += String(d)));
  stderr.on('data', (d) => (e += String(d)));
  return { io: { stdout, stderr, env, cwd: process.cwd() }, out: () => o, err: () => e };
}

describe('tumbuh start', () => {
  let t: TestDatabase;
  let url: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    await loadDemo(t, { ...loadDemoInputs(), children: 600, months: 2, seed: 9 });
    const c = t.config;
    url = c.connectionString ?? `postgres://${encodeURIComponent(String(c.user))}:${encodeURIComponent(String(c.password))}@${c.host}:${c.port}/${c.database}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prints the district summary from the rollups, marked synthetic, without personal data', async () => {
    const c = capture({ DATABASE_URL: url, TUMBUH_LANG: 'id' });
    const code = await main(['start'], c.io);
    expect(code).toBe(0);
    const out = c.out();
    expect(out).toContain('Ringkasan Kabupaten Kotawaringin Barat, bulan 2025-10');
    expect(out).toContain('DATA SINTETIS');
    expect(out).toContain('Cakupan D/S');
    for (const kec of ['Kumai', 'Arut Selatan', 'Kotawaringin Lama', 'Arut Utara', 'Pangkalan Lada', 'Pangkalan Banteng']) {
      expect(out).toContain(kec);
    }
    // Already loaded: no second demo load.
    expect(c.err()).not.toContain('memuat kabupaten demo');
    // No child's name or NIK reaches the terminal.
    const names = await t.db.selectFrom('child').select(['name']).limit(50).execute();
    for (const n of names) expect(out).not.toContain(n.name);
  });
});

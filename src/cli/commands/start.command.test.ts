import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { runStart } from './start.command.js';

describe('tumbuh start', () => {
  let t: TestDatabase;
  let firstOut = '';
  beforeAll(async () => {
    t = await createTestDatabase();
    await loadDemo(t, { ...loadDemoInputs(), children: 600, months: 2, seed: 9 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prints the district summary from the rollups, marked synthetic, without personal data', async () => {
    const { code, out, err } = await runCli(['start', '--no-serve'], { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_LANG: 'id' });
    firstOut = out;
    expect(code).toBe(0);
    expect(out).toContain('Ringkasan Kabupaten Kotawaringin Barat, bulan 2025-10');
    expect(out).toContain('DATA SINTETIS');
    expect(out).toContain('Cakupan D/S');
    for (const kec of ['Kumai', 'Arut Selatan', 'Kotawaringin Lama', 'Arut Utara', 'Pangkalan Lada', 'Pangkalan Banteng']) {
      expect(out).toContain(kec);
    }
    // Already loaded: no second demo load.
    expect(err).not.toContain('memuat kabupaten demo');
    // No child's name reaches the terminal.
    const names = await t.db.selectFrom('child').select(['name']).limit(50).execute();
    for (const n of names) expect(out).not.toContain(n.name);
  });

  it('creates one demo account per role and prints the passwords only the first time', async () => {
    expect(firstOut).toContain('Akun demo (satu per peran)');
    for (const role of ['admin', 'provinsi', 'tpps', 'opd', 'puskesmas', 'desa', 'kader', 'tpk', 'csr', 'viewer']) {
      expect(firstOut).toMatch(new RegExp(`^  ${role} +demo\\.${role} `, 'm'));
    }
    const users = await t.db.selectFrom('app_user').select(['username']).where('username', 'like', 'demo.%').execute();
    expect(users.length).toBe(10);
    const again = await runCli(['start', '--no-serve'], { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_LANG: 'id' });
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('Akun demo');
    expect(again.out).toContain('Ringkasan Kabupaten Kotawaringin Barat');
  });

  it('serves until stopped: /health answers and a printed demo account can log in', async () => {
    const adminLine = firstOut.split('\n').find((l) => /^ {2}admin +demo\.admin /.test(l))!;
    const password = adminLine.trim().split(/\s+/)[2];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += String(c)));
    stderr.resume();
    let stopNow: () => void = () => undefined;
    const stop = new Promise<void>((r) => (stopNow = r));
    let url = '';
    const listening = new Promise<void>((resolve) => {
      void runStart([], { stdout, stderr, env: { DATABASE_URL: databaseUrlOf(t.config), PORT: '0', TUMBUH_LANG: 'en' }, cwd: process.cwd() }, stop, (_app, u) => {
        url = u;
        resolve();
      }).then((code) => {
        expect(code).toBe(0);
      });
    });
    await listening;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain(`serving at ${url}`);
      const health = await fetch(`${url}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.admin', password }),
      });
      expect(login.status).toBe(200);
      expect(login.headers.get('set-cookie')).toMatch(/tumbuh_sid=[^;]+; .*HttpOnly/i);
    } finally {
      stopNow();
    }
    // After the stop the port is closed.
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });
});

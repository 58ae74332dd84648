import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpRateLimiter, login } from '../../auth/login.service.js';
import { addPosyandu, DESA_A, KOBAR } from '../../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { databaseUrlOf, runCli } from '../../test-support/run-cli.js';
import { usersCommand } from './users.command.js';

let t: TestDatabase;
let env: Record<string, string>;
let posyandu: number;
const dir = mkdtempSync(join(tmpdir(), 'tumbuh-users-cli-'));
const cli = (args: string[]) => runCli(['users', ...args], env, dir);
const limiter = new IpRateLimiter();
const canLogin = async (username: string, password: string) =>
  (await login(t.db, { username, password, ip: '127.0.0.1', userAgent: null }, { limiter })).user.username === username;

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: databaseUrlOf(t.config), TUMBUH_NIK_KEY: 'users-cli-test-key-0123456789abcdef', TUMBUH_DATA_DIR: dir };
  posyandu = await addPosyandu(t.db, DESA_A, 'Posyandu Melati');
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const printedPassword = (out: string) => /: ([A-Za-z2-9]{4}(?:-[A-Za-z2-9]{4}){3})/.exec(out)?.[1] as string;

describe('tumbuh users', () => {
  it('creates an account with a generated password printed once, in both languages', async () => {
    const r = await cli(['create', 'kader.melati', '--role', 'kader', '--posyandu', String(posyandu), '--name', 'Ibu Sari']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Akun kader.melati (kader) dibuat');
    expect(r.out).toContain('Account kader.melati (kader) created');
    expect(r.out).toContain('Kata sandi sementara');
    const pw = printedPassword(r.out);
    expect(await canLogin('kader.melati', pw)).toBe(true);
    const row = await t.db.selectFrom('app_user').select(['must_change_password', 'display_name', 'scope_posyandu_id']).where('username', '=', 'kader.melati').executeTakeFirstOrThrow();
    expect(row).toEqual({ must_change_password: true, display_name: 'Ibu Sari', scope_posyandu_id: posyandu });
  });

  it('takes the password from stdin without printing it', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += String(c)));
    const io = { stdout, stderr: new PassThrough(), env, cwd: dir, stdin: Readable.from(['Sungai-Arut-88\n']) };
    expect(await usersCommand.run(['create', 'tpps.kobar', '--role=tpps', '--region', KOBAR, '--password-stdin'], io)).toBe(0);
    expect(out).not.toContain('Sungai-Arut-88');
    expect(out).toContain('wajib mengganti kata sandi');
    expect(await canLogin('tpps.kobar', 'Sungai-Arut-88')).toBe(true);
  });

  it('refuses a scope that does not fit the role, a weak password and a taken name (exit 2, bilingual)', async () => {
    const r = await cli(['create', 'kader.dua', '--role', 'kader']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Peran kader memerlukan posyandu');
    expect(r.err).toContain('The role kader needs a posyandu');
    expect((await cli(['create', 'desa.x', '--role', 'desa', '--region', KOBAR])).err).toContain('bukan tingkat desa/kelurahan');
    expect((await cli(['create', 'tpps.kobar', '--role', 'tpps', '--region', KOBAR])).err).toContain('sudah dipakai');
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), env, cwd: dir, stdin: Readable.from(['password123\n']) };
    await expect(usersCommand.run(['create', 'tpps.dua', '--role', 'tpps', '--region', KOBAR, '--password-stdin'], io)).rejects.toMatchObject({ code: 'weak_password' });
  });

  it('resets a password (new one printed once, old one dead) and disables an account', async () => {
    const r = await cli(['reset', 'tpps.kobar']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Kata sandi tpps.kobar diatur ulang');
    const pw = printedPassword(r.out);
    expect(await canLogin('tpps.kobar', pw)).toBe(true);
    await expect(canLogin('tpps.kobar', 'Sungai-Arut-88')).rejects.toMatchObject({ status: 401 });
    const d = await cli(['disable', 'tpps.kobar']);
    expect(d.out).toContain('Account tpps.kobar disabled');
    await expect(canLogin('tpps.kobar', pw)).rejects.toMatchObject({ status: 401 });
    expect((await cli(['disable', 'nobody.here'])).err).toContain('Akun nobody.here tidak ada');
  });

  it('lists active accounts (all with --all), as text or JSON without secrets', async () => {
    const text = await cli(['list']);
    expect(text.out).toMatch(/kader\.melati\s+kader\s+posyandu \d+\s+must-change/);
    expect(text.out).not.toContain('tpps.kobar');
    const json = JSON.parse((await cli(['list', '--all', '--format', 'json'])).out);
    expect(json.users.map((u: { username: string }) => u.username)).toEqual(['kader.melati', 'tpps.kobar']);
    expect(JSON.stringify(json)).not.toMatch(/argon2|password_hash|totp_secret/);
    expect((await cli(['list', '--role', 'tpps', '--all'])).out).toContain('62.01');
  });

  it('rejects wrong arguments with exit code 2 and shows help', async () => {
    for (const args of [[], ['create'], ['create', 'x.y.z'], ['create', 'x.y.z', '--role', 'root'], ['reset', 'a.b.c', '--region', KOBAR], ['list', 'extra'], ['disable', 'a.b.c', '--password-stdin']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('Pemakaian: tumbuh users');
    }
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('--posyandu ID');
  });
});

import { crc32, deflateRawSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z, type ZodType } from 'zod';
import { SYSTEM_SCOPE } from '../auth/access.js';
import { createUser } from '../auth/users.service.js';
import { createTestDatabase } from '../test-support/test-db.js';
import { CSRF_HEADER, SESSION_COOKIE } from './app.js';
import { defineRoute, type AnyRouteDef, type MatrixRequest } from './route-def.js';
import { ALL_ROUTES } from './routes/index.js';
import { accountHeaders, sendExample } from './test-support/access-matrix.js';
import { seedMatrixWorld, type MatrixWorld } from './test-support/matrix-world.js';
import { createServerFixture, loginThroughApi, sessionCookieOf, type ServerFixture, type TestAccount } from './test-support/server-fixture.js';

const SQL_PAYLOADS = ["'; DROP TABLE child; --", "1' OR '1'='1", '62.01\' UNION SELECT password_hash FROM app_user --'];
const XSS_PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const PAYLOADS = [...SQL_PAYLOADS, ...XSS_PAYLOADS];

/** A fake import route: records an import_batch row only when the upload passed every check. */
const uploadRoute = defineRoute({
  id: 'test.upload', method: 'POST', path: '/api/v1/test/upload', tag: 'test',
  summary: { id: 'Uji unggah', en: 'Test upload' },
  access: { kind: 'roles', roles: ['admin'] },
  body: z.object({ kind: z.literal('eppgbm') }),
  upload: { maxBytes: 64 * 1024, extensions: ['.csv', '.xlsx', '.xls'] },
  response: z.object({ id: z.number() }),
  matrix: () => ({ body: { kind: 'eppgbm' }, upload: { fileName: 'a.csv', bytes: Buffer.from('a;b\n1;2\n') } }),
  handler: async ({ deps, upload }) => {
    const r = await sql<{ id: number }>`
      INSERT INTO import_batch (kabupaten_code, kind, file_name, file_sha256, file_bytes, status, rows_total, rows_loaded, rows_rejected, finished_at, imported_by)
      VALUES ('62.01', 'eppgbm', ${upload!.fileName}, ${upload!.sha256}, ${upload!.bytes.length}, 'done', 0, 0, 0, now(), 'test') RETURNING id`.execute(deps.db);
    return { id: r.rows[0].id };
  },
});

/** A minimal ZIP writer: entries deflated (or stored), optionally lying about their size. */
function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const comp = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(size, 22); lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(comp.length, 20); ch.writeUInt32LE(size, 24); ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(40)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0')]);

/** Every string-typed top-level property of a zod object schema (from its JSON Schema). */
function stringKeys(schema: ZodType | undefined): string[] {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: unknown; anyOf?: Array<{ type?: unknown }> }> };
  const isString = (s: { type?: unknown; anyOf?: Array<{ type?: unknown }> }): boolean =>
    s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')) || (s.anyOf ?? []).some(isString);
  return Object.entries(js.properties ?? {}).filter(([, s]) => isString(s)).map(([k]) => k);
}

/** String leaves of an example value (paths of nested objects and arrays). */
function stringPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...prefix, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...prefix, k]));
  return [];
}

function setPath(value: unknown, path: Array<string | number>, leaf: string): unknown {
  if (path.length === 0) return leaf;
  const copy: Record<string | number, unknown> = Array.isArray(value) ? [...value] as never : { ...(value as object) };
  copy[path[0]] = setPath(copy[path[0]], path.slice(1), leaf);
  return copy;
}

/** The example with one payload in one text field, for every text field the schemas and the example have. */
function poisonedExamples(route: AnyRouteDef, example: MatrixRequest, payload: string): Array<{ field: string; request: MatrixRequest }> {
  const out: Array<{ field: string; request: MatrixRequest }> = [];
  const bodyPaths = new Map<string, Array<string | number>>();
  for (const p of stringPaths(example.body)) bodyPaths.set(p.join('.'), p);
  for (const k of stringKeys(route.body)) bodyPaths.set(k, [k]);
  for (const [name, p] of bodyPaths) out.push({ field: `body.${name}`, request: { ...example, body: setPath(example.body ?? {}, p, payload) } });
  const queryKeys = new Set([...Object.keys(example.query ?? {}), ...stringKeys(route.query)]);
  for (const k of queryKeys) out.push({ field: `query.${k}`, request: { ...example, query: { ...example.query, [k]: payload } } });
  for (const k of Object.keys(example.params ?? {})) out.push({ field: `params.${k}`, request: { ...example, params: { ...example.params, [k]: payload } } });
  return out;
}

async function auditCount(f: ServerFixture): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log`.execute(f.t.db);
  return Number(r.rows[0].n);
}

async function rowCounts(f: ServerFixture): Promise<Record<string, number>> {
  const r = await sql<{ child: string; measurement: string; app_user: string; import_batch: string; session: string }>`
    SELECT (SELECT count(*) FROM child) AS child, (SELECT count(*) FROM measurement) AS measurement,
           (SELECT count(*) FROM app_user) AS app_user, (SELECT count(*) FROM import_batch) AS import_batch,
           (SELECT count(*) FROM session) AS session`.execute(f.t.db);
  return Object.fromEntries(Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)]));
}

describe('security', () => {
  let f: ServerFixture;
  let world: MatrixWorld;
  let admin: TestAccount;

  beforeAll(async () => {
    const t = await createTestDatabase();
    world = await seedMatrixWorld(t);
    f = await createServerFixture({ routes: [...ALL_ROUTES, uploadRoute as AnyRouteDef], zipLimits: { maxUncompressedBytes: 4 * 1024 * 1024, maxEntries: 100 } }, t);
    admin = await f.account('admin');
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('SQL-injection and XSS payloads in every text field of every route: 4xx or stored inert, never 5xx', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const route of ALL_ROUTES) {
      if (route.id === 'auth.logout' || route.id === 'auth.login') continue; // covered below: they end or start sessions
      const example = route.matrix(world, 'own');
      if (!example) continue;
      for (const payload of PAYLOADS) {
        for (const { field, request } of poisonedExamples(route, example, payload)) {
          const before = route.method === 'GET' ? 0 : await auditCount(f);
          const res = await sendExample(f.app, route, request, admin.headers);
          sent++;
          if (res.status >= 500) failures.push(`${route.id} ${field} ${JSON.stringify(payload)} → ${res.status} ${res.body}`);
          if (res.status >= 400 && route.method !== 'GET' && (await auditCount(f)) !== before) {
            failures.push(`${route.id} ${field}: rejected with ${res.status} but wrote an audit row`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(ALL_ROUTES.length);
    // The injected DROP TABLE did nothing: the tables are there and the admin still works.
    expect((await rowCounts(f)).child).toBeGreaterThan(0);
    const me = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: admin.headers });
    expect(me.statusCode).toBe(200);
  }, 300_000);

  it('a stored XSS payload comes back as inert JSON text (JSON content type, nosniff)', async () => {
    const create = await f.app.inject({
      method: 'POST', url: '/api/v1/admin/users', headers: admin.headers,
      payload: { username: 'xss.viewer', displayName: '<script>alert(1)</script>', role: 'viewer', password: 'Kp7w-Qx9z-Rt4m-Hn2b', regionCodes: ['62.01'] },
    });
    expect(create.statusCode).toBe(201);
    const read = await f.app.inject({ method: 'GET', url: `/api/v1/admin/users/${create.json().id}`, headers: admin.headers });
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    expect(read.json().displayName).toBe('<script>alert(1)</script>');
  });

  it('every state-changing route refuses a missing or forged CSRF token with 403 and writes nothing', async () => {
    const other = await f.account('admin');
    const failures: string[] = [];
    for (const route of [...ALL_ROUTES, uploadRoute as AnyRouteDef]) {
      if (route.method === 'GET' || route.access.kind === 'public') continue;
      const example = route.matrix(world, 'own');
      if (!example) continue;
      for (const [label, csrf] of [['missing', undefined], ['forged', 'A'.repeat(43)], ['another session\'s', other.csrfToken]] as const) {
        const before = await rowCounts(f);
        const audits = await auditCount(f);
        const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${admin.sessionId}` };
        if (csrf) headers[CSRF_HEADER] = csrf;
        const res = await sendExample(f.app, route, example, headers);
        if (res.status !== 403 || !res.body.includes('"csrf"')) failures.push(`${route.id} (${label} token) → ${res.status}`);
        if (JSON.stringify(await rowCounts(f)) !== JSON.stringify(before) || (await auditCount(f)) !== audits) failures.push(`${route.id} (${label} token) wrote rows`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('session fixation: a cookie brought to the login never becomes the session', async () => {
    const victim = await f.account('viewer', { regionCodes: ['62.01'] });
    // An attacker-chosen id (well-formed) and an attacker's own live session planted in the browser.
    const planted = 'Z'.repeat(43);
    const attacker = await f.account('viewer', { regionCodes: ['62.01'] });
    for (const cookie of [planted, attacker.sessionId]) {
      const res = await f.app.inject({
        method: 'POST', url: '/api/v1/auth/login', headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
        payload: { username: victim.username, password: victim.password },
      });
      expect(res.statusCode).toBe(200);
      const issued = sessionCookieOf(res)!;
      expect(issued).not.toBe(cookie);
      const meOld = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
      expect(meOld.statusCode).toBe(401);
      const meNew = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${issued}` } });
      expect(meNew.json().user.username).toBe(victim.username);
    }
  });

  it('logout ends the session on the server, not only the cookie', async () => {
    const user = await f.account('viewer', { regionCodes: ['62.01'] });
    const out = await f.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: user.headers });
    expect(out.statusCode).toBe(200);
    const again = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers });
    expect(again.statusCode).toBe(401);
  });

  it('brute force: the fifth wrong password locks the account (423), even the right one then', async () => {
    const user = await f.account('viewer', { regionCodes: ['62.01'] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await f.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: `wrong-guess-${i}A` }, remoteAddress: '10.9.0.1' });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const right = await f.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: user.password }, remoteAddress: '10.9.0.2' });
    expect(right.statusCode).toBe(423);
    expect(sessionCookieOf(right)).toBeUndefined();
    // An unknown account answers exactly like a wrong password.
    const unknown = await f.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'no.such.user', password: 'whatever-1A' }, remoteAddress: '10.9.0.3' });
    const wrong = await f.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: admin.username, password: 'whatever-1A' }, remoteAddress: '10.9.0.3' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual(wrong.json().error);
  });

  describe('uploads are checked before any importer sees them', () => {
    const cases: Array<[string, string, Buffer, number]> = [
      ['a PNG named .csv', 'foto.csv', PNG, 415],
      ['a program named .xlsx', 'setup.xlsx', EXE, 415],
      ['a zip without [Content_Types].xml named .xlsx', 'arsip.xlsx', zip([{ name: 'a.txt', data: Buffer.from('hello') }]), 415],
      ['a zip bomb .xlsx', 'bom.xlsx', zip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/sheet1.xml', data: Buffer.alloc(16 * 1024 * 1024) }]), 413],
      ['a zip bomb .xlsx that lies about its size', 'bohong.xlsx', zip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/sheet1.xml', data: Buffer.alloc(16 * 1024 * 1024), declaredSize: 1000 }]), 413],
      ['an oversized file', 'besar.csv', Buffer.from('a;b\n'.repeat(40_000)), 413],
      ['a binary Excel 97 file named .xls', 'lama.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]), 415],
      ['a text file that is not an HTML table, named .xls', 'bukan.xls', Buffer.from('nama;umur\nBudi;3\n'), 415],
      ['an executable extension', 'virus.exe', Buffer.from('a;b\n'), 415],
    ];
    for (const [label, fileName, bytes, status] of cases) {
      it(`refuses ${label} (${status}) and writes no import_batch row`, async () => {
        const before = await rowCounts(f);
        const res = await sendExample(f.app, uploadRoute as AnyRouteDef, { body: { kind: 'eppgbm' }, upload: { fileName, bytes } }, admin.headers);
        expect(res.status).toBe(status);
        expect((await rowCounts(f)).import_batch).toBe(before.import_batch);
      });
    }

    it('accepts a real CSV, a real .xlsx and an e-PPGBM HTML .xls', async () => {
      const xlsx = zip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
      const html = Buffer.from('<html><body><table><tr><td>Nama</td></tr></table></body></html>');
      for (const [fileName, bytes] of [['data.csv', Buffer.from('nama;umur\nBudi;3\n')], ['data.xlsx', xlsx], ['eppgbm.xls', html]] as const) {
        const before = (await rowCounts(f)).import_batch;
        const res = await sendExample(f.app, uploadRoute as AnyRouteDef, { body: { kind: 'eppgbm' }, upload: { fileName, bytes } }, admin.headers);
        expect(res.status, res.body).toBe(200);
        expect((await rowCounts(f)).import_batch).toBe(before + 1);
      }
    });

    it('refuses a JSON body on an upload route and a file on a JSON route', async () => {
      const json = await f.app.inject({ method: 'POST', url: '/api/v1/test/upload', headers: admin.headers, payload: { kind: 'eppgbm' } });
      expect(json.statusCode).toBe(415);
      const sneaky = { ...uploadRoute, id: 'x', path: '/api/v1/admin/users', upload: undefined } as AnyRouteDef;
      const file = await sendExample(f.app, sneaky, { upload: { fileName: 'a.csv', bytes: Buffer.from('a\n') } }, admin.headers);
      expect(file.status).toBe(415);
    });
  });

  it('a disabled account\'s session stops working at once', async () => {
    const user = await f.account('viewer', { regionCodes: ['62.01'] });
    const res = await f.app.inject({ method: 'POST', url: `/api/v1/admin/users/${user.userId}/disable`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const me = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers });
    expect(me.statusCode).toBe(401);
  });

  it('an account that must change its password can do nothing else first', async () => {
    const u = await createUser(f.t.db, SYSTEM_SCOPE, { username: 'must.change', displayName: 'Harus Ganti', role: 'viewer', password: 'Sementara-Kata-2025', regionCodes: ['62.01'] });
    expect(u.mustChangePassword).toBe(true);
    const s = await loginThroughApi(f.app, 'must.change', 'Sementara-Kata-2025');
    const blocked = await f.app.inject({ method: 'GET', url: '/api/v1/regions', headers: s.headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const change = await f.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: s.headers, payload: { currentPassword: 'Sementara-Kata-2025', newPassword: 'Baru-Sekali-Kuat-77' } });
    expect(change.statusCode).toBe(200);
    const ok = await f.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers });
    expect(ok.json().mustChangePassword).toBe(false);
    expect(accountHeaders(s)).toEqual(s.headers);
  });
});

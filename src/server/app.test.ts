import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../common/app-error.js';
import { accessDecision, buildApp, CONTENT_SECURITY_POLICY, requestLang } from './app.js';
import { defineRoute, type AnyRouteDef } from './route-def.js';
import { ADMIN_ROUTES } from './routes/admin.route.js';
import { AUTH_ROUTES } from './routes/auth.route.js';
import { SYSTEM_ROUTES } from './routes/system.route.js';
import { createServerFixture, type ServerFixture, type TestAccount } from './test-support/server-fixture.js';

const writes: unknown[] = [];

const echoRoute = defineRoute({
  id: 'test.echo',
  method: 'POST',
  path: '/api/v1/test/echo/:code',
  summary: { id: 'Uji', en: 'Test' },
  tag: 'test',
  access: { kind: 'roles', roles: ['admin', 'tpps'] },
  params: z.object({ code: z.string().regex(/^\d{2}\.\d{2}$/) }),
  query: z.object({ n: z.coerce.number().int().min(1).optional() }),
  body: z.object({ name: z.string().min(2).max(20), weightKg: z.number().positive() }),
  response: z.object({ code: z.string(), name: z.string() }),
  matrix: () => null,
  handler: async ({ params, body }) => {
    writes.push(body);
    // An extra key the schema does not list must not reach the client.
    return { code: params.code, name: body.name, secret: 'internal' } as { code: string; name: string };
  },
});

const boomRoute = defineRoute({
  id: 'test.boom',
  method: 'GET',
  path: '/api/v1/test/boom',
  summary: { id: 'Uji', en: 'Test' },
  tag: 'test',
  access: { kind: 'public' },
  response: z.object({ ok: z.boolean() }),
  matrix: () => null,
  handler: async () => {
    throw new Error('connection to 10.0.0.5 failed for "Siti Aminah"');
  },
});

const appErrorRoute = defineRoute({
  id: 'test.apperror',
  method: 'GET',
  path: '/api/v1/test/conflict',
  summary: { id: 'Uji', en: 'Test' },
  tag: 'test',
  access: { kind: 'session' },
  response: z.object({ ok: z.boolean() }),
  matrix: () => null,
  handler: async () => {
    throw new AppError('conflict', 'server.notFound', { path: '/x' }, { status: 409, details: { field: 'a' } });
  },
});

describe('the app', () => {
  let f: ServerFixture;
  let admin: TestAccount;
  let viewer: TestAccount;
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  beforeAll(async () => {
    f = await createServerFixture({
      routes: [...SYSTEM_ROUTES, ...AUTH_ROUTES, ...ADMIN_ROUTES, echoRoute, boomRoute, appErrorRoute] as AnyRouteDef[],
      logger: { stream: logStream, level: 'info' },
    });
    admin = await f.account('admin');
    viewer = await f.account('viewer', { regionCodes: ['62.01'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('answers /health with the database status and version', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', db: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the security headers on every answer', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('validates params, query and body with bilingual issues and never calls the handler', async () => {
    const before = writes.length;
    const res = await f.app.inject({
      method: 'POST', url: '/api/v1/test/echo/62.1?n=0', headers: admin.headers, payload: { name: 'x', weightKg: -1 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; message: { id: string; en: string }; details: { issues: Array<{ path: string; message: { id: string; en: string } }> } } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message.id).toContain('Permintaan tidak valid');
    const paths = body.error.details.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['body.name', 'body.weightKg', 'params.code', 'query.n']);
    const name = body.error.details.issues.find((i) => i.path === 'body.name')!;
    expect(name.message.en).toMatch(/Too small/);
    expect(name.message.id).toMatch(/Terlalu kecil/);
    expect(JSON.stringify(body)).not.toContain('"input"');
    expect(writes.length).toBe(before);
  });

  it('strips keys the response schema does not list', async () => {
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', headers: admin.headers, payload: { name: 'Budi', weightKg: 9.5 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: '62.01', name: 'Budi' });
  });

  it('answers in the language asked for', async () => {
    const en = await f.app.inject({ method: 'GET', url: '/api/v1/nothing?lang=en' });
    expect(en.statusCode).toBe(404);
    expect(en.json().error.text).toMatch(/^No such address/);
    const id = await f.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { 'accept-language': 'en;q=0.5, id-ID' } });
    expect(id.json().error.text).toMatch(/^Alamat/);
    expect(requestLang({}, 'fr, en-GB;q=0.8')).toBe('en');
    expect(requestLang({}, undefined)).toBe('id');
  });

  it('turns AppErrors into their status and code, with details', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/test/conflict', headers: viewer.headers });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict', details: { field: 'a' } } });
  });

  it('answers anything else with 500 and the request id only, and logs no personal data', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/test/boom?nama=Siti%20Aminah' });
    expect(res.statusCode).toBe(500);
    const body = res.json() as { error: { code: string; requestId: string; message: { en: string } } };
    expect(body.error.code).toBe('internal');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toContain('10.0.0.5');
    expect(res.body).not.toContain('Siti');
    const log = logLines.join('');
    expect(log).toContain(body.error.requestId);
    expect(log).not.toContain('Siti');
  });

  it('never logs request bodies, cookies, CSRF tokens or query strings', async () => {
    await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01?nik=3201234567890001', headers: admin.headers, payload: { name: 'Rahasia Nama', weightKg: 9 } });
    const log = logLines.join('');
    expect(log).not.toContain('Rahasia Nama');
    expect(log).not.toContain('3201234567890001');
    expect(log).not.toContain(admin.sessionId);
    expect(log).not.toContain(admin.csrfToken);
    expect(log).not.toContain(admin.password);
  });

  it('requires a session (401), the CSRF token (403) and a permitted role (403)', async () => {
    const payload = { name: 'Budi', weightKg: 9 };
    const none = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', payload });
    expect(none.statusCode).toBe(401);
    const noCsrf = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', headers: { cookie: admin.headers.cookie }, payload });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf');
    const forged = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', headers: { ...admin.headers, 'x-csrf-token': viewer.csrfToken }, payload });
    expect(forged.statusCode).toBe(403);
    const role = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', headers: viewer.headers, payload });
    expect(role.statusCode).toBe(403);
    expect(role.json().error.code).toBe('forbidden');
  });

  it('refuses bodies over 1 MB, text/plain and multipart where no file is expected', async () => {
    const big = await f.app.inject({
      method: 'POST', url: '/api/v1/test/echo/62.01', headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Budi', weightKg: 9, pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
    const text = await f.app.inject({
      method: 'POST', url: '/api/v1/test/echo/62.01', headers: { ...admin.headers, 'content-type': 'text/plain' }, payload: '{"name":"Budi","weightKg":9}',
    });
    expect(text.statusCode).toBe(415);
    const bad = await f.app.inject({ method: 'POST', url: '/api/v1/test/echo/62.01', headers: { ...admin.headers, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
  });

  it('answers unknown API paths with JSON 404', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/no/such/thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json().error.code).toBe('not_found');
  });

  it('maps access rules to decisions', () => {
    const session = { user: { role: 'csr' } } as Parameters<typeof accessDecision>[1];
    expect(accessDecision({ kind: 'public' }, null)).toBeNull();
    expect(accessDecision({ kind: 'session' }, null)).toBe(401);
    expect(accessDecision({ kind: 'roles', roles: ['csr'] }, session)).toBeNull();
    expect(accessDecision({ kind: 'roles', roles: ['csr'], personal: true }, session)).toBe(403);
    expect(accessDecision({ kind: 'roles', roles: ['admin'] }, session)).toBe(403);
  });

  it('serves the OpenAPI 3.1 document of every route and a script-free docs page', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; security: unknown[] }>>; components: { securitySchemes: object } };
    expect(doc.openapi).toBe('3.1.0');
    const echo = doc.paths['/api/v1/test/echo/{code}'].post;
    expect(echo.operationId).toBe('test.echo');
    expect(echo.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { name: { type: 'string', minLength: 2 } } } } } });
    expect(echo.security).toEqual([{ session: [], csrf: [] }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['csrf', 'session']);
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p)).length;
    expect(ops).toBe(SYSTEM_ROUTES.length + AUTH_ROUTES.length + ADMIN_ROUTES.length + 3);
    const docs = await f.app.inject({ method: 'GET', url: '/api/v1/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.body).toContain('/api/v1/test/echo/{code}');
    expect(docs.body).not.toMatch(/<script|https?:\/\/(?!localhost)/);
  });
});

describe('the web app', () => {
  it('serves dist/web with SPA fallback, and keeps /api 404s as JSON', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tumbuh-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tumbuh</title><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    const f = await createServerFixture({ routes: SYSTEM_ROUTES, webRoot: root });
    try {
      const index = await f.app.inject({ method: 'GET', url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('<div id="root">');
      expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      const deep = await f.app.inject({ method: 'GET', url: '/posyandu/12/anak' });
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('<div id="root">');
      const asset = await f.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
      expect(asset.headers['cache-control']).toContain('immutable');
      const api = await f.app.inject({ method: 'GET', url: '/api/v1/unknown' });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('not_found');
    } finally {
      await f.close();
    }
  });

  it('sends HSTS and Secure cookies when configured for TLS', async () => {
    const f = await createServerFixture({ routes: [...SYSTEM_ROUTES, ...AUTH_ROUTES] });
    const secure = await buildApp({ ...f.deps, config: { secureCookies: true } }, { routes: [...SYSTEM_ROUTES, ...AUTH_ROUTES], webRoot: null });
    try {
      const user = await f.account('viewer', { regionCodes: ['62.01'] });
      const res = await secure.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: user.password } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const cookie = res.cookies.find((c) => c.name === 'tumbuh_sid')!;
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    } finally {
      await secure.close();
      await f.close();
    }
  });
});

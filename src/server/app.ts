import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { ZodType } from 'zod';
import { ACCESS_MESSAGES, PERSONAL_DATA_ROLES, type AccessScope } from '../auth/access.js';
import { csrfTokenMatches, loadSession } from '../auth/session.service.js';
import { AppError } from '../common/app-error.js';
import { tBoth, type Bilingual, type Lang } from '../common/i18n.js';
import type { DatabaseHandle } from '../db/connection.js';
import { packageRoot } from '../reference/who-tables.js';
import { SERVER_MESSAGES as M } from './messages.js';
import { ResponseCache } from './response-cache.js';
import { DEFAULT_SESSION_CACHE_MS, SessionCache } from './session-cache.js';
import {
  isFileResult,
  type AccessRule,
  type AnyRouteDef,
  type RequestSession,
  type RouteContext,
  type ServerConfig,
  type ServerDeps,
  type UploadedFile,
} from './route-def.js';
import { checkUpload, DEFAULT_ZIP_LIMITS, formatBytes, type ZipLimits } from './upload-check.js';
import { parseRequestParts } from './validation.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'tumbuh_sid';
/** The header that must carry the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';
/** Largest JSON body accepted. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Content-Security-Policy of every answer. Scripts only from the app's own origin; inline style
 * attributes stay allowed because ECharts writes its tooltips as HTML with style="…" attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** What the caller of {@link buildApp} provides; the cache and configuration have defaults. */
export type ServerDepsInput = Omit<ServerDeps, 'cache' | 'sessions' | 'config' | 'routes'> & {
  cache?: ResponseCache;
  sessions?: SessionCache;
  config?: Partial<ServerConfig>;
};

export interface BuildAppOptions {
  /** The route table; default ALL_ROUTES of src/server/routes/index.ts. */
  routes?: readonly AnyRouteDef[];
  /** false (tests), true (pino to stdout), or a stream pino writes JSON lines to. */
  logger?: boolean | { stream: NodeJS.WritableStream; level?: string };
  /** The built web app; default dist/web of the package when it exists, null for none. */
  webRoot?: string | null;
  zipLimits?: ZipLimits;
}

/** The scope of a request without a session: no role that could see anything, no regions. */
const ANONYMOUS_SCOPE: AccessScope = Object.freeze({
  userId: null, username: 'anonymous', role: 'viewer', regionCodes: Object.freeze([]) as readonly string[],
  posyanduId: null, puskesmasId: null, sector: null, requestId: null,
});

/** The package version (shown by /health and the OpenAPI document). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Server configuration from the environment (TUMBUH_SECURE_COOKIES, TUMBUH_TRUST_PROXY, TUMBUH_SESSION_CACHE_MS). */
export function serverConfigFromEnv(env: Record<string, string | undefined>, version: string): ServerConfig {
  const cacheMs = Number(env.TUMBUH_SESSION_CACHE_MS);
  return {
    version,
    secureCookies: env.TUMBUH_SECURE_COOKIES === '1',
    trustProxy: env.TUMBUH_TRUST_PROXY === '1',
    // At most a minute: it is how long another process's logout or disable can go unseen here.
    sessionCacheMs: env.TUMBUH_SESSION_CACHE_MS !== undefined && Number.isFinite(cacheMs) && cacheMs >= 0
      ? Math.min(cacheMs, 60_000)
      : DEFAULT_SESSION_CACHE_MS,
  };
}

/** The message language of a request: `?lang=`, else Accept-Language, else Indonesian. */
export function requestLang(query: unknown, acceptLanguage: string | undefined): Lang {
  const q = (query as { lang?: unknown } | undefined)?.lang;
  if (q === 'en' || q === 'id') return q;
  if (acceptLanguage) {
    const prefs = acceptLanguage.split(',').map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const qv = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: qv ? Number(qv.slice(2)) : 1, i };
    }).filter((p) => p.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
    for (const p of prefs) {
      if (p.tag === 'id' || p.tag.startsWith('id-') || p.tag === 'in') return 'id';
      if (p.tag === 'en' || p.tag.startsWith('en-')) return 'en';
    }
  }
  return 'id';
}

/** The error body every failure answers with. */
export interface ErrorBody {
  error: { code: string; message: Bilingual; text: string; details?: unknown; requestId?: string };
}

function errorBody(code: string, message: Bilingual, lang: Lang, details?: unknown, requestId?: string): ErrorBody {
  return { error: { code, message, text: message[lang], ...(details !== undefined ? { details } : {}), ...(requestId ? { requestId } : {}) } };
}

/** The decision of an access rule for a request's session: null = allowed, else the status. */
export function accessDecision(rule: AccessRule, session: RequestSession | null): 401 | 403 | null {
  if (rule.kind === 'public') return null;
  if (!session) return 401;
  if (rule.kind === 'session') return null;
  const role = session.user.role;
  if (!rule.roles.includes(role)) return 403;
  if (rule.personal && !PERSONAL_DATA_ROLES.includes(role)) return 403;
  return null;
}

/** Path without the query string: query strings may carry names or NIK and never reach the log. */
function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** An error as the log sees it: no pg `detail` (it holds row values), quoted values masked. */
function logError(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!(err instanceof Error)) return { type: typeof err, message: '', stack: '' };
  const mask = (s: string | undefined) => (s ?? '').replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'");
  return {
    type: err.name,
    code: (err as { code?: unknown }).code,
    message: mask(err.message),
    stack: mask(err.stack),
    cause: err.cause instanceof Error ? { type: err.cause.name, message: mask(err.cause.message) } : undefined,
  };
}

function fastifyErrorToApp(err: { code?: string; statusCode?: number; message?: string }): AppError | null {
  const status = err.statusCode;
  if (!status || status < 400 || status >= 500) return null;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('body_too_large', M['server.bodyTooLarge'], { limit: formatBytes(JSON_BODY_LIMIT) }, { status: 413 });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('upload_too_large', M['server.tooManyParts'], {}, { status: 413 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', M['server.unsupportedType'], { type: '-' }, { status: 415 });
    default:
      if (status === 413) return new AppError('body_too_large', M['server.bodyTooLarge'], { limit: formatBytes(JSON_BODY_LIMIT) }, { status: 413 });
      if (status === 415) return new AppError('unsupported_media_type', M['server.unsupportedType'], { type: '-' }, { status: 415 });
      return new AppError('bad_request', M['server.badJson'], {}, { status: 400 });
  }
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

async function readUpload(req: FastifyRequest, upload: NonNullable<AnyRouteDef['upload']>, zipLimits: ZipLimits): Promise<{ file: UploadedFile; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('not_multipart', M['server.notMultipart'], {}, { status: 415 });
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: upload.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 22 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          await part.toBuffer().catch(() => undefined);
          throw new AppError('upload_missing', M['server.uploadMissing'], {}, { status: 400 });
        }
        const bytes = await part.toBuffer();
        file = { fileName: part.filename, mimeType: part.mimetype, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('upload_too_large', M['server.uploadTooLarge'], { limit: formatBytes(upload.maxBytes) }, { status: 413, cause: err });
    }
    throw err;
  }
  if (!file) throw new AppError('upload_missing', M['server.uploadMissing'], {}, { status: 400 });
  checkUpload(file.fileName, file.bytes, upload.extensions, zipLimits);
  return { file, fields };
}

/**
 * The Fastify app of Tumbuh: every route of the table with zod validation, session and scope,
 * CSRF check on state-changing requests, access rules, upload checks, one error handler,
 * security headers, redacted logs, and the web app with SPA fallback.
 * @see docs/SECURITY.md
 */
export async function buildApp(input: ServerDepsInput, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config: ServerConfig = {
    version: packageVersion(), secureCookies: false, trustProxy: false, sessionCacheMs: DEFAULT_SESSION_CACHE_MS, ...input.config,
  };
  const routes = options.routes ?? (await import('./routes/index.js')).ALL_ROUTES;
  const deps: ServerDeps = {
    ...input, cache: input.cache ?? new ResponseCache(), sessions: input.sessions ?? new SessionCache(config.sessionCacheMs), config, routes,
  };
  const zipLimits = options.zipLimits ?? DEFAULT_ZIP_LIMITS;

  let logger: FastifyServerOptions['logger'] = false;
  if (options.logger) {
    const base = {
      level: typeof options.logger === 'object' ? (options.logger.level ?? 'info') : (process.env.LOG_LEVEL ?? 'info'),
      redact: { paths: ['req.headers.cookie', 'req.headers.authorization', `req.headers["${CSRF_HEADER}"]`, 'res.headers["set-cookie"]'], censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({ id: req.id, method: req.method, url: pathOnly(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: logError,
      },
    };
    logger = typeof options.logger === 'object' ? { ...base, stream: options.logger.stream } : base;
  }

  const app = Fastify({
    logger,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // Forms of other sites can post text/plain without a CORS preflight: only JSON and multipart here.
  app.removeContentTypeParser(['text/plain']);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: Math.max(1, ...routes.map((r) => r.upload?.maxBytes ?? 0)), files: 1, fields: 20, parts: 22 } });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (config.secureCookies || req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const lang = requestLang(req.query, req.headers['accept-language']);
    reply.header('content-language', lang);
    const appErr = err instanceof AppError ? err : fastifyErrorToApp(err as { code?: string; statusCode?: number });
    if (appErr) {
      if (appErr.status >= 500) req.log.error({ err }, 'request failed');
      return reply.status(appErr.status).send(errorBody(appErr.code, appErr.messages, lang, appErr.details, appErr.status >= 500 ? req.id : undefined));
    }
    req.log.error({ err }, 'internal error');
    return reply.status(500).send(errorBody('internal', tBoth(M['server.internal'], { requestId: req.id }), lang, undefined, req.id));
  });

  for (const route of routes) registerRoute(app, route, deps, zipLimits);

  const webRoot = options.webRoot === undefined ? join(packageRoot(), 'dist', 'web') : options.webRoot;
  const serveWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: ['index.html'],
      setHeaders: (res, path) => {
        if (/[\\/]assets[\\/]/.test(path)) res.header('cache-control', 'public, max-age=31536000, immutable');
        else res.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = pathOnly(req.url);
    if (serveWeb && req.method === 'GET' && !path.startsWith('/api/') && path !== '/api') {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const lang = requestLang(req.query, req.headers['accept-language']);
    return reply.status(404).send(errorBody('not_found', tBoth(M['server.notFound'], { path }), lang));
  });
  return app;
}

/** What an account that must change its password may still do. */
const PASSWORD_CHANGE_ROUTES = new Set(['auth.login', 'auth.me', 'auth.logout', 'auth.password']);

function singleHeader(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function requestSessionId(req: FastifyRequest): string | undefined {
  const v = req.cookies[SESSION_COOKIE];
  return v && v.length <= 200 ? v : undefined;
}

/** Routes after which every cached session is dropped: they start, end or change sessions and accounts. */
function changesAccounts(route: AnyRouteDef): boolean {
  return route.method !== 'GET' && (route.tag === 'auth' || route.tag === 'admin');
}

/**
 * The session of a cookie value: from the session cache while fresh, else loaded (idle and
 * absolute expiry, disabled accounts and the sliding last_seen are loadSession's). Each request
 * gets its own copy carrying its request id.
 */
async function requestSession(deps: ServerDeps, sid: string, requestId: string): Promise<RequestSession | null> {
  const cached = deps.sessions.get(sid);
  if (cached) return { ...cached, scope: { ...cached.scope, requestId } };
  const generation = deps.sessions.mark();
  const loaded = await loadSession(deps.db, sid, { requestId });
  if (loaded) deps.sessions.set(sid, loaded, generation);
  return loaded;
}

/** Checked JSON of GET answers by answer object: a cache hit returns the same object again. */
const serialized = new WeakMap<object, string>();

function registerRoute(app: FastifyInstance, route: AnyRouteDef, deps: ServerDeps, zipLimits: ZipLimits): void {
  const writes = route.method !== 'GET';
  app.route({
    method: route.method,
    url: route.path,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const lang = requestLang(req.query, req.headers['accept-language']);
      reply.header('content-language', lang);
      const sid = requestSessionId(req);
      const session: RequestSession | null = sid ? await requestSession(deps, sid, req.id) : null;

      const denied = accessDecision(route.access, session);
      if (denied === 401) throw new AppError('unauthenticated', M['server.loginRequired'], {}, { status: 401 });
      // A state-changing request with a session must prove it comes from our page: the token is
      // only readable by our own scripts (GET /auth/me), never sent automatically by a browser.
      // Public writes (login) carry no session to abuse; they take JSON only, which a form of
      // another site cannot send without a CORS preflight this server never grants.
      if (writes && route.access.kind !== 'public' && (!session || !csrfTokenMatches(session.csrfToken, singleHeader(req.headers[CSRF_HEADER])))) {
        throw new AppError('csrf', M['server.csrf'], {}, { status: 403 });
      }
      if (session?.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(route.id)) {
        throw new AppError('password_change_required', M['server.mustChangePassword'], {}, { status: 403 });
      }
      if (denied === 403) {
        const role = session?.user.role ?? '-';
        throw new AppError('forbidden', ACCESS_MESSAGES['access.forbiddenRole'], { role }, { status: 403 });
      }

      let upload: UploadedFile | null = null;
      let rawBody: unknown = req.body;
      if (route.upload) {
        const got = await readUpload(req, route.upload, zipLimits);
        upload = got.file;
        rawBody = got.fields;
      } else if (req.isMultipart()) {
        throw new AppError('no_upload_here', M['server.noUploadHere'], {}, { status: 415 });
      }

      const rawQuery = { ...(req.query as Record<string, unknown>) };
      delete rawQuery.lang;
      const { params, query, body } = parseRequestParts([
        { where: 'params', schema: route.params, value: req.params },
        { where: 'query', schema: route.query, value: rawQuery },
        { where: 'body', schema: route.body, value: route.body ? (rawBody ?? {}) : undefined },
      ]);

      const scope: AccessScope = session ? { ...session.scope, requestId: req.id } : { ...ANONYMOUS_SCOPE, requestId: req.id };
      const secure = deps.config.secureCookies || req.protocol === 'https';
      const ctx: RouteContext<unknown, unknown, unknown> = {
        params, query, body, scope, deps, lang, requestId: req.id, upload,
        ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
        session,
        cookies: {
          set: (s) => {
            reply.setCookie(SESSION_COOKIE, s.id, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: s.expiresAt });
          },
          clear: () => {
            reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });
          },
        },
      };
      let result: Awaited<ReturnType<AnyRouteDef['handler']>>;
      try {
        result = await route.handler(ctx);
      } finally {
        // Also after a failure: a password change or logout may have ended sessions before it threw.
        if (changesAccounts(route)) deps.sessions.clear();
      }
      if (writes) deps.cache.invalidate();
      if (isFileResult(result)) {
        reply.header('content-type', result.contentType);
        if (!result.inline) reply.header('content-disposition', contentDisposition(result.fileName));
        return reply.status(route.status ?? 200).send(result.body);
      }
      if (route.status === 204) return reply.status(204).send();
      const schema = route.response as ZodType<unknown> | { kind: 'file' };
      // Cached answers (dashboards) come back as the same object: check and serialise it once.
      const memo = typeof result === 'object' && result !== null ? serialized.get(result) : undefined;
      if (memo !== undefined) return reply.status(route.status ?? 200).type('application/json; charset=utf-8').send(memo);
      let out: unknown = result;
      if ('safeParse' in schema) {
        const checked = schema.safeParse(result);
        if (!checked.success) {
          req.log.error({ route: route.id, issues: checked.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) }, 'response does not match its schema');
          throw new Error(`response of ${route.id} does not match its schema`);
        }
        out = checked.data;
      }
      if (!writes && typeof result === 'object' && result !== null) {
        const json = JSON.stringify(out);
        serialized.set(result, json);
        return reply.status(route.status ?? 200).type('application/json; charset=utf-8').send(json);
      }
      return reply.status(route.status ?? 200).send(out);
    },
  });
}

/** Builds the dependencies of the app from an open database (engine and KBM table read once). */
export async function createServerDeps(handle: DatabaseHandle, env: Record<string, string | undefined> = process.env): Promise<ServerDepsInput> {
  const { loadGrowthEngine, loadKbmTable } = await import('../reference/who-tables.js');
  return {
    handle,
    db: handle.db,
    engine: loadGrowthEngine(),
    kbm: loadKbmTable(),
    config: serverConfigFromEnv(env, packageVersion()),
  };
}

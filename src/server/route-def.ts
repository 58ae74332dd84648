import type { Kysely } from 'kysely';
import type { ZodType } from 'zod';
import type { AccessScope, Role } from '../auth/access.js';
import type { LoadedSession } from '../auth/session.service.js';
import type { Bilingual, Lang } from '../common/i18n.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { GrowthEngine } from '../growth/types.js';
import type { KbmTable } from '../growth/weight-gain.js';
import type { ResponseCache } from './response-cache.js';
import type { SessionCache } from './session-cache.js';
import type { MatrixWorld } from './test-support/matrix-world.js';

/**
 * The route table's vocabulary: every HTTP operation of Tumbuh is one {@link RouteDef}. The app
 * (src/server/app.ts) turns each into a Fastify route with validation, session, CSRF, access rule
 * and error handling; the OpenAPI document and the access-matrix test are generated from the same
 * definitions, so a route cannot exist without a rule and an example.
 */

/** Who may call a route. Regional scope is enforced again in the services on every query. */
export type AccessRule =
  /** Anyone, without a session: health, login, OpenAPI, docs. */
  | { kind: 'public' }
  /** Any logged-in user; the route returns no regional data (me, logout, own password). */
  | { kind: 'session' }
  /** Logged-in users with one of these roles; `personal`: returns or changes personal data. */
  | { kind: 'roles'; roles: readonly Role[]; personal?: boolean };

/** The logged-in user of a request and its session (src/auth/session.service.ts). */
export type { LoadedSession as RequestSession, SessionUser } from '../auth/session.service.js';

/** One uploaded file, already checked against the route's size and type limits. */
export interface UploadedFile {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  /** Hex SHA-256 of the bytes (import batches record it to refuse the same file twice). */
  sha256: string;
}

/** A download (CSV, XLSX, PDF, GeoJSON file) instead of a JSON body. */
export interface FileResult {
  kind: 'file';
  fileName: string;
  contentType: string;
  body: Buffer | string;
  /** Show in the browser (HTML, JSON documents) instead of downloading. */
  inline?: boolean;
}

/** Server configuration the routes may read. */
export interface ServerConfig {
  /** package.json version, shown by /health and the OpenAPI document. */
  version: string;
  /** Set cookies with `Secure` (TUMBUH_SECURE_COOKIES=1, or behind a trusted TLS proxy). */
  secureCookies: boolean;
  /** Trust X-Forwarded-* from the proxy in front (TUMBUH_TRUST_PROXY=1). */
  trustProxy: boolean;
  /** How long a loaded session is reused without a database lookup (TUMBUH_SESSION_CACHE_MS; 0 = never). */
  sessionCacheMs: number;
}

/** What every handler gets besides its request: the database, the growth engine, a cache. */
export interface ServerDeps {
  handle: DatabaseHandle;
  db: Kysely<Database>;
  engine: GrowthEngine;
  /** KBM table (weight-gain judgement); with `engine` this is the write path's WritePathDeps. */
  kbm: KbmTable;
  /**
   * Short-lived cache for expensive aggregate reads (dashboards). Keys must include everything the
   * answer depends on, including the caller's scope; the app clears it after every successful write.
   */
  cache: ResponseCache;
  /** Loaded sessions for {@link ServerConfig.sessionCacheMs}; cleared by every account-changing request. */
  sessions: SessionCache;
  config: ServerConfig;
  /** The route table the app serves (the OpenAPI document and docs page are built from it). */
  routes: readonly AnyRouteDef[];
}

/** Lets a handler of the auth routes start or end the session cookie. */
export interface SessionCookieControl {
  set(session: { id: string; expiresAt: Date }): void;
  clear(): void;
}

/** Everything a handler sees of its request. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller's scope: pass it to every service call. SYSTEM-like scope never appears here. */
  scope: AccessScope;
  deps: ServerDeps;
  lang: Lang;
  requestId: string;
  upload: UploadedFile | null;
  ip: string;
  userAgent: string;
  /** The session, or null on a public route called without one. */
  session: LoadedSession | null;
  /** Only the auth routes need this (login sets, logout clears the cookie). */
  cookies: SessionCookieControl;
}

/** One example request of a route for the access-matrix test. */
export interface MatrixRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  upload?: { fileName: string; bytes: Buffer };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP operation of the API. The type parameters default to `any` so that `RouteDef[]` can
 * hold routes of every shape (a handler's parameter types are otherwise contravariant).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RouteDef<P = any, Q = any, B = any, R = any> {
  /** Stable operation id (OpenAPI operationId), e.g. 'measurements.create'. */
  id: string;
  method: HttpMethod;
  /** Fastify path, e.g. '/api/v1/regions/:code/dashboard'. */
  path: string;
  summary: Bilingual;
  /** OpenAPI tag (feature name). */
  tag: string;
  access: AccessRule;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** The JSON answer's schema (unknown keys are stripped before sending), or a file download. */
  response: ZodType<R> | { kind: 'file'; contentType: string };
  /** Success status (default 200; 201 for creations). */
  status?: 200 | 201 | 202 | 204;
  /** Multipart upload of one file in field `file`; other fields become the body. */
  upload?: { maxBytes: number; extensions: readonly string[] };
  /**
   * An example request for the access-matrix test: 'own' targets rows inside `world.own`, 'foreign'
   * rows outside it. Null only for routes that have no regional target (public/session routes).
   */
  matrix: (world: MatrixWorld, target: 'own' | 'foreign') => MatrixRequest | null;
  handler: (ctx: RouteContext<P, Q, B>) => Promise<R | FileResult>;
}

/** Declares a route with its types inferred from the zod schemas. */
export function defineRoute<P = unknown, Q = unknown, B = unknown, R = unknown>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}

/** A route of any types, as the route table holds it. */
export type AnyRouteDef = RouteDef;

/** True when a handler's answer is a file download. */
export function isFileResult(value: unknown): value is FileResult {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file'
    && 'fileName' in value && 'body' in value;
}

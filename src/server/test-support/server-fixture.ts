// Test helper: a Fastify app over a fresh test database, and accounts logged in through the API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SYSTEM_SCOPE, type Role } from '../../auth/access.js';
import { createUser, type UserScopeInput } from '../../auth/users.service.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { loadGrowthEngine } from '../../reference/who-tables.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.js';
import { buildApp, CSRF_HEADER, SESSION_COOKIE, type BuildAppOptions, type ServerDepsInput } from '../app.js';

/** A logged-in account: send `headers` with each request. */
export interface TestAccount {
  userId: number;
  username: string;
  password: string;
  role: Role;
  sessionId: string;
  csrfToken: string;
  /** cookie + x-csrf-token headers. */
  headers: Record<string, string>;
}

export interface ServerFixture {
  t: TestDatabase;
  handle: DatabaseHandle;
  deps: ServerDepsInput;
  app: FastifyInstance;
  /** Creates an account (via the users service, as the CLI would) and logs it in through the API. */
  account(role: Role, scope?: UserScopeInput, password?: string): Promise<TestAccount>;
  close(): Promise<void>;
}

/** A DatabaseHandle over a test database (the server reads db, pool and nik from it). */
export function handleOf(t: TestDatabase): DatabaseHandle {
  return {
    db: t.db, pool: t.pool, mode: 'server', dataDir: mkdtempSync(join(tmpdir(), 'tumbuh-server-')), target: `test ${t.name}`,
    nik: t.nik, embedded: null, close: async () => undefined,
  };
}

/** The session cookie value a response sets, or undefined. */
export function sessionCookieOf(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((k) => k.name === SESSION_COOKIE);
  return c?.value || undefined;
}

let accountSeq = 0;

/** Logs in through POST /api/v1/auth/login and returns the cookie and CSRF headers. */
export async function loginThroughApi(app: FastifyInstance, username: string, password: string): Promise<{ sessionId: string; csrfToken: string; headers: Record<string, string> }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const sessionId = sessionCookieOf(res);
  if (!sessionId) throw new Error('login set no session cookie');
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return { sessionId, csrfToken, headers: { cookie: `${SESSION_COOKIE}=${sessionId}`, [CSRF_HEADER]: csrfToken } };
}

/** A fresh test database with the app built over it (no logger, no web root unless given). */
export async function createServerFixture(options: BuildAppOptions = {}, t?: TestDatabase): Promise<ServerFixture> {
  const db = t ?? (await createTestDatabase());
  const handle = handleOf(db);
  const deps: ServerDepsInput = { handle, db: db.db, engine: loadGrowthEngine(), kbm: db.deps.kbm };
  const app = await buildApp(deps, { webRoot: null, ...options });
  await app.ready();
  return {
    t: db,
    handle,
    deps,
    app,
    async account(role, scope = {}, password = 'Tumbuh-Uji-2025-aman') {
      const username = `u${++accountSeq}.${role}`;
      const user = await createUser(db.db, SYSTEM_SCOPE, { username, displayName: `Uji ${role}`, role, password, mustChangePassword: false, ...scope });
      const s = await loginThroughApi(app, username, password);
      return { userId: user.id, username, password, role, ...s };
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertRegion, ROLES, type Role } from '../auth/access.js';
import { createSession, loadSession } from '../auth/session.service.js';
import type { UserScopeInput } from '../auth/users.service.js';
import { defineRoute, type AnyRouteDef } from './route-def.js';
import { ALL_ROUTES } from './routes/index.js';
import { runAccessMatrix, routeTableProblems, type MatrixAccount, type MatrixCase } from './test-support/access-matrix.js';
import { seedMatrixWorld, type MatrixWorld } from './test-support/matrix-world.js';
import { createServerFixture, loginThroughApi, type ServerFixture } from './test-support/server-fixture.js';
import { createTestDatabase } from '../test-support/test-db.js';
import { createUser } from '../auth/users.service.js';
import { SYSTEM_SCOPE } from '../auth/access.js';

/** The scope of each role's account, all bound to `world.own`. */
function scopeInput(role: Role, w: MatrixWorld): UserScopeInput {
  switch (role) {
    case 'admin': return {};
    case 'provinsi': return { regionCodes: ['62'] };
    case 'tpps':
    case 'viewer': return { regionCodes: [w.own.kabupatenCode] };
    case 'opd': return { regionCodes: [w.own.kabupatenCode], sector: 'kesehatan' };
    case 'puskesmas': return { puskesmasId: w.own.puskesmasId };
    case 'kader': return { posyanduId: w.own.posyanduId };
    case 'desa':
    case 'tpk':
    case 'csr': return { regionCodes: [w.own.desaCode] };
  }
}

const PASSWORD = 'Matriks-Akses-2025';

function summary(cases: MatrixCase[]): string {
  return cases.filter((c) => !c.ok).map((c) => `${c.route} as ${c.role} (${c.target}): expected ${c.expected}, got ${c.status} ${c.body ?? ''}`).join('\n');
}

describe('access-control matrix (every route × every role × own/foreign)', () => {
  let f: ServerFixture;
  let world: MatrixWorld;
  const accounts = new Map<Role, MatrixAccount>();
  const usernames = new Map<Role, string>();

  const userIds = new Map<Role, number>();
  /** First login through the API; later ones (after the matrix logged out) directly, past the per-address limiter. */
  async function login(role: Role): Promise<MatrixAccount> {
    const s = accounts.has(role)
      ? await createSession(f.t.db, userIds.get(role)!, { ip: '127.0.0.1', userAgent: 'matrix' }).then((n) => ({ sessionId: n.id, csrfToken: n.csrfToken }))
      : await loginThroughApi(f.app, usernames.get(role)!, PASSWORD);
    const loaded = await loadSession(f.t.db, s.sessionId);
    return { role, scope: loaded!.scope, sessionId: s.sessionId, csrfToken: s.csrfToken };
  }

  beforeAll(async () => {
    const t = await createTestDatabase();
    world = await seedMatrixWorld(t);
    f = await createServerFixture({ routes: [...ALL_ROUTES, ...fakeRoutes] }, t);
    for (const role of ROLES) {
      const username = `matrix.${role}`;
      const user = await createUser(t.db, SYSTEM_SCOPE, { username, displayName: `Matriks ${role}`, role, password: PASSWORD, mustChangePassword: false, ...scopeInput(role, world) });
      usernames.set(role, username);
      userIds.set(role, user.id);
      accounts.set(role, await login(role));
    }
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  it('every route of the table has an access rule and a matrix example', () => {
    expect(routeTableProblems(ALL_ROUTES, world)).toEqual([]);
    expect(ALL_ROUTES.length).toBeGreaterThan(10);
  });

  it('a route without an access rule, or without an example for regional roles, fails the table check', () => {
    const noRule = { ...fakeLeakyRoute, id: 'fake.norule', access: undefined } as unknown as AnyRouteDef;
    const noExample = { ...fakeLeakyRoute, id: 'fake.noexample', matrix: () => null } as AnyRouteDef;
    const problems = routeTableProblems([noRule, noExample], world);
    expect(problems).toEqual([
      'GET /api/v1/fake/leaky/:code (fake.norule): no access rule',
      'GET /api/v1/fake/leaky/:code (fake.noexample): no matrix example for regional roles (own)',
      'GET /api/v1/fake/leaky/:code (fake.noexample): no matrix example for regional roles (foreign)',
    ]);
  });

  it('a route that forgets the region check is caught by the matrix', async () => {
    const cases = await runAccessMatrix(f.app, [fakeLeakyRoute], world, accounts, login);
    const wrong = cases.filter((c) => !c.ok);
    // tpps of 62.01 reads 62.02: the rule allows the role, the scope does not — the matrix flags it.
    expect(wrong.some((c) => c.role === 'tpps' && c.target === 'foreign' && c.status === 200)).toBe(true);
    const fixed = await runAccessMatrix(f.app, [fakeCheckedRoute], world, accounts, login);
    expect(summary(fixed)).toBe('');
  });

  it('allows and denies exactly as each route\'s rule and each role\'s scope say', async () => {
    const cases = await runAccessMatrix(f.app, ALL_ROUTES, world, accounts, login);
    expect(summary(cases)).toBe('');
    // Every route ran for every role, and regional routes were denied somewhere.
    const routes = new Set(cases.map((c) => c.route));
    expect(routes.size).toBe(ALL_ROUTES.length);
    expect(cases.filter((c) => c.expected === 'deny').length).toBeGreaterThan(ALL_ROUTES.length);
    expect(cases.filter((c) => c.expected === 'allow' && c.status < 300).length).toBeGreaterThan(ALL_ROUTES.length);
  }, 300_000);
});

const codeParams = z.object({ code: z.string() });
const echo = z.object({ code: z.string() });
/** A route whose handler forgets assertRegion: the matrix must notice. */
const fakeLeakyRoute = defineRoute({
  id: 'fake.leaky', method: 'GET', path: '/api/v1/fake/leaky/:code', tag: 'fake',
  summary: { id: 'Uji', en: 'Test' },
  access: { kind: 'roles', roles: ['admin', 'tpps'] },
  params: codeParams, response: echo,
  matrix: (w, t) => ({ params: { code: (t === 'own' ? w.own : w.foreignKabupaten).desaCode } }),
  handler: async ({ params }) => ({ code: params.code }),
});
/** The same route with the check. */
const fakeCheckedRoute = defineRoute({
  ...fakeLeakyRoute, id: 'fake.checked', path: '/api/v1/fake/checked/:code',
  handler: async ({ params, scope }) => {
    assertRegion(scope, params.code);
    return { code: params.code };
  },
});
const fakeRoutes = [fakeLeakyRoute, fakeCheckedRoute] as AnyRouteDef[];

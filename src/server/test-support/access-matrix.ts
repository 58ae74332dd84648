// The access-control matrix: every route × every role × own and foreign region, the expected
// decision derived from the route's AccessRule and the role's scope, the actual answer of the app.
import type { FastifyInstance } from 'fastify';
import { PERSONAL_DATA_ROLES, regionVisible, ROLES, type AccessScope, type Role } from '../../auth/access.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../app.js';
import type { AnyRouteDef, MatrixRequest } from '../route-def.js';
import type { MatrixWorld, RegionSample } from './matrix-world.js';

/** A logged-in account of the matrix, bound to `world.own`. */
export interface MatrixAccount {
  role: Role;
  scope: AccessScope;
  sessionId: string;
  csrfToken: string;
}

/** What a route table must satisfy before the matrix runs; returns one line per problem. */
export function routeTableProblems(routes: readonly AnyRouteDef[], world: MatrixWorld): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of routes) {
    const name = `${r.method} ${r.path} (${r.id})`;
    if (seen.has(r.id)) problems.push(`${name}: duplicate route id`);
    seen.add(r.id);
    const access = (r as { access?: unknown }).access as AnyRouteDef['access'] | undefined;
    if (!access || !['public', 'session', 'roles'].includes(access.kind)) {
      problems.push(`${name}: no access rule`);
      continue;
    }
    if (access.kind === 'roles') {
      if (access.roles.length === 0) problems.push(`${name}: empty role list`);
      for (const role of access.roles) if (!ROLES.includes(role)) problems.push(`${name}: unknown role ${role}`);
    }
    if (typeof r.matrix !== 'function') {
      problems.push(`${name}: no matrix example`);
      continue;
    }
    if (access.kind === 'roles') {
      for (const target of ['own', 'foreign'] as const) {
        if (r.matrix(world, target) === null) problems.push(`${name}: no matrix example for regional roles (${target})`);
      }
    }
  }
  return problems;
}

/**
 * Runs `matrix` over a world that records which samples it read: the samples a request touches
 * decide whether a role's scope covers it. `swap` exchanges foreignDesa and foreignKabupaten, so a
 * route whose example uses one foreign place is also tried with the other.
 */
export function exampleWithSamples(route: AnyRouteDef, world: MatrixWorld, target: 'own' | 'foreign', swap: boolean): { request: MatrixRequest | null; samples: RegionSample[] } {
  const samples = new Set<RegionSample>();
  const view: MatrixWorld = swap ? { own: world.own, foreignDesa: world.foreignKabupaten, foreignKabupaten: world.foreignDesa } : world;
  const recorder = new Proxy(view, {
    get(obj, key) {
      const v = Reflect.get(obj, key) as unknown;
      if (key === 'own' || key === 'foreignDesa' || key === 'foreignKabupaten') samples.add(v as RegionSample);
      return v;
    },
  });
  const request = route.matrix(recorder, target);
  return { request, samples: [...samples] };
}

/** True when a role's scope covers one place of the world (its desa, and for a kader its posyandu). */
export function scopeCovers(scope: AccessScope, sample: RegionSample): boolean {
  if (!regionVisible(scope, sample.desaCode)) return false;
  if (scope.role === 'kader' && scope.posyanduId !== sample.posyanduId) return false;
  return true;
}

/** The decision the rule and scope call for: 'allow' (any answer but 401/403/5xx) or 'deny' (403). */
export function expectedDecision(route: AnyRouteDef, account: MatrixAccount, samples: readonly RegionSample[]): 'allow' | 'deny' {
  const rule = route.access;
  if (rule.kind === 'public' || rule.kind === 'session') return 'allow';
  if (!rule.roles.includes(account.role)) return 'deny';
  if (rule.personal && !PERSONAL_DATA_ROLES.includes(account.role)) return 'deny';
  return samples.every((s) => scopeCovers(account.scope, s)) ? 'allow' : 'deny';
}

/** One cell of the matrix. */
export interface MatrixCase {
  route: string;
  role: Role;
  target: 'own' | 'foreign' | 'foreign (swapped)';
  expected: 'allow' | 'deny';
  status: number;
  ok: boolean;
  body?: string;
}

function multipart(upload: NonNullable<MatrixRequest['upload']>, fields: unknown): { payload: Buffer; contentType: string } {
  const boundary = `----tumbuhmatrix${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  if (fields && typeof fields === 'object') {
    for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
      if (v === undefined) continue;
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === 'string' ? v : JSON.stringify(v)}\r\n`));
    }
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${upload.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(upload.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The URL of a route with its example's params and query filled in. */
export function exampleUrl(route: AnyRouteDef, request: MatrixRequest): string {
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = request.params?.[name];
    if (v === undefined) throw new Error(`${route.id}: matrix example lacks param ${name}`);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams(request.query ?? {}).toString();
  return q ? `${path}?${q}` : path;
}

/** Sends one example as an account (cookie and CSRF header) through app.inject. */
export async function sendExample(app: FastifyInstance, route: AnyRouteDef, request: MatrixRequest, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = exampleUrl(route, request);
  let payload: string | Buffer | undefined;
  const h = { ...headers };
  if (request.upload) {
    const m = multipart(request.upload, request.body);
    payload = m.payload;
    h['content-type'] = m.contentType;
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    h['content-type'] = 'application/json';
  }
  const res = await app.inject({ method: route.method, url, headers: h, payload });
  return { status: res.statusCode, body: res.body.slice(0, 400) };
}

/** The headers of an account. */
export function accountHeaders(a: { sessionId: string; csrfToken: string }): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${a.sessionId}`, [CSRF_HEADER]: a.csrfToken };
}

/**
 * Runs every route × role × target. Per route the expected denials run first (so an allowed
 * DELETE cannot turn a later expected 403 into a 404). `relogin` is called when a request ended
 * the account's session (logout, own password change) so later cells still run logged in.
 */
export async function runAccessMatrix(
  app: FastifyInstance,
  routes: readonly AnyRouteDef[],
  world: MatrixWorld,
  accounts: Map<Role, MatrixAccount>,
  relogin: (role: Role) => Promise<MatrixAccount>,
): Promise<MatrixCase[]> {
  const cases: MatrixCase[] = [];
  for (const route of routes) {
    const planned: Array<{ role: Role; target: MatrixCase['target']; expected: 'allow' | 'deny'; request: MatrixRequest }> = [];
    for (const role of ROLES) {
      const account = accounts.get(role)!;
      const variants: Array<[MatrixCase['target'], 'own' | 'foreign', boolean]> = [['own', 'own', false], ['foreign', 'foreign', false], ['foreign (swapped)', 'foreign', true]];
      let previous: string | null = null;
      for (const [label, target, swap] of variants) {
        const probe = exampleWithSamples(route, world, target, swap);
        if (probe.request === null) continue;
        const samples = probe.samples;
        const key = JSON.stringify(samples.map((s) => s.desaCode));
        if (swap && key === previous) continue;
        previous = key;
        // Examples that consume rows (DELETE) hand out a fresh one per call: build each once.
        planned.push({ role, target: label, expected: expectedDecision(route, account, samples), request: probe.request });
      }
    }
    planned.sort((a, b) => (a.expected === b.expected ? 0 : a.expected === 'deny' ? -1 : 1));
    for (const p of planned) {
      const request = p.request;
      let account = accounts.get(p.role)!;
      const res = await sendExample(app, route, request, accountHeaders(account));
      // A public route may answer 401 itself (a login with a wrong password): that is not a denial.
      const ok = p.expected === 'deny'
        ? res.status === 403
        : res.status < 500 && (route.access.kind === 'public' || (res.status !== 401 && res.status !== 403));
      cases.push({ route: `${route.method} ${route.path}`, role: p.role, target: p.target, expected: p.expected, status: res.status, ok, ...(ok ? {} : { body: res.body }) });
      if (route.method !== 'GET') {
        const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: accountHeaders(account) });
        if (me.statusCode === 401) {
          account = await relogin(p.role);
          accounts.set(p.role, account);
        }
      }
    }
  }
  return cases;
}

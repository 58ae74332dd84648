// npm run bench:server [-- --children N] [--seconds S] [--connections C] [--mixed-seconds S] [--warmup-seconds S]
// HTTP benchmark of the server with autocannon against a real listening server on loopback, over a
// fresh embedded PostgreSQL (temporary data directory) holding a synthetic demo district. Logged in
// as an admin (cookie + CSRF token, as the web app sends them). Prints JSON lines:
//   server-save-measurement  POST /api/v1/measurements (z-scores, weight-gain series, rollups,
//                            audit; one transaction) — target ≥ 500 req/s with p99 < 100 ms
//   server-dashboard         GET /api/v1/regions/62.01/dashboard — target ≥ 1,000 req/s
//   server-mixed             writes + dashboards + child lists + growth cards for --mixed-seconds
//                            (default 600 = the 10 minutes); afterwards every 2xx write is
//                            looked up in the database; no 5xx allowed
// and last the summary line {"name":"server",…}.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import autocannon, { type Result } from 'autocannon';
import { SYSTEM_SCOPE } from '../src/auth/access.js';
import { createUser } from '../src/auth/users.service.js';
import { openDatabase } from '../src/db/connection.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { loadDemo } from '../src/demo/demo.loader.js';
import { buildApp, createServerDeps, CSRF_HEADER, SESSION_COOKIE } from '../src/server/app.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CHILDREN = arg('--children', 3000);
const SECONDS = arg('--seconds', 15);
const CONNECTIONS = arg('--connections', 16);
const MIXED_SECONDS = arg('--mixed-seconds', 600);
const WARMUP_SECONDS = arg('--warmup-seconds', 3);
const DAY = 86_400_000;

interface Kid { id: number; birthMs: number }

function line(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

function figures(name: string, r: Result, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    seconds: r.duration,
    connections: r.connections,
    requests: r.requests.total,
    req_per_s: Math.round(r.requests.average),
    latency_p50_ms: r.latency.p50,
    latency_p99_ms: r.latency.p99,
    latency_max_ms: r.latency.max,
    status_2xx: r['2xx'],
    non_2xx: r.non2xx,
    status_5xx: r['5xx'],
    errors: r.errors,
    timeouts: r.timeouts,
    // The machine is shared: the 1-minute load average at the end of the phase puts the figure in context.
    load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
    ...extra,
  };
}

/** A measurement body for a child at a date the child has not been measured on yet (per run). */
function measurementFor(kid: Kid, seq: number): Record<string, unknown> {
  // Dates after the demo's months, one new day per request of this child: no replays, no conflicts.
  const measuredMs = Date.UTC(2025, 11, 1) + (seq % 700) * DAY;
  const ageMonths = (measuredMs - kid.birthMs) / (30.4375 * DAY);
  const weightKg = Math.round((3.3 + ageMonths * 0.22 + (seq % 7) * 0.05) * 10) / 10;
  const lenheiCm = Math.round((50 + ageMonths * 1.1 + (seq % 5) * 0.1) * 10) / 10;
  return { childId: kid.id, measuredOn: new Date(measuredMs).toISOString().slice(0, 10), weightKg: Math.min(weightKg, 30), lenheiCm: Math.min(lenheiCm, 120), position: ageMonths < 24 ? 'L' : 'H' };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-server-'));
  // As root the embedded server runs as the `postgres` user, which must reach the directory.
  chmodSync(dataDir, 0o755);
  const handle = await openDatabase({ dataDir, durable: true, env: { TUMBUH_NIK_KEY: 'bench-nik-key-0123456789abcdef0123456789abcdef' }, poolSize: 16 });
  try {
    const t0 = Date.now();
    const demo = await loadDemo(handle, { ...loadDemoInputs(), children: CHILDREN, months: 6, seed: 7 });
    line({ name: 'server-setup-demo', children: CHILDREN, seconds: (Date.now() - t0) / 1000, measurements: (demo as unknown as { measurements?: number }).measurements ?? null });

    const password = 'Uji-Kinerja-Server-2025';
    await createUser(handle.db, SYSTEM_SCOPE, { username: 'bench.admin', displayName: 'Bench', role: 'admin', password, mustChangePassword: false });
    const deps = await createServerDeps(handle, { ...process.env, TUMBUH_SECURE_COOKIES: '0' });
    // Logging stays on (as in production), written to a sink: the cost of pino is part of the figure.
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const app = await buildApp(deps, { logger: { stream: sink, level: 'info' }, webRoot: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench.admin', password }) });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const sid = /tumbuh_sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1];
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const headers = { cookie: `${SESSION_COOKIE}=${sid}`, [CSRF_HEADER]: csrf, 'content-type': 'application/json' };

    const kids: Kid[] = (await handle.db.selectFrom('child').select(['id', 'birth_date']).where('birth_date', '>', '2023-01-01').execute())
      .map((k) => ({ id: k.id, birthMs: Date.parse(`${k.birth_date}T00:00:00Z`) }));
    const perKid = new Map<number, number>();
    let pick = 0;
    const nextBody = () => {
      const kid = kids[(pick++ * 7919) % kids.length];
      const seq = (perKid.get(kid.id) ?? 0) + 1;
      perKid.set(kid.id, seq);
      return JSON.stringify(measurementFor(kid, seq));
    };
    const posyandu = (await handle.db.selectFrom('facility').select('id').where('kind', '=', 'posyandu').limit(50).execute()).map((r) => r.id);

    // Warm-up: JIT, then the same saves and dashboards as measured, over as many connections, so
    // every pooled PostgreSQL connection is open and has its catalog caches before the clock runs
    // (a cold connection plans its first statements over every partition from scratch).
    await autocannon({ url: `${url}/api/v1/health`, connections: 4, duration: 2 });
    await autocannon({
      url, connections: CONNECTIONS, duration: WARMUP_SECONDS,
      requests: [{ method: 'POST', path: '/api/v1/measurements', headers, setupRequest: (req) => ({ ...req, body: nextBody() }) }],
    });
    await autocannon({ url: `${url}/api/v1/regions/62.01/dashboard`, connections: CONNECTIONS, duration: 1, headers });

    const save = await autocannon({
      url, connections: CONNECTIONS, duration: SECONDS,
      requests: [{ method: 'POST', path: '/api/v1/measurements', headers, setupRequest: (req) => ({ ...req, body: nextBody() }) }],
    });
    const saveLine = figures('server-save-measurement', save, { target: '>= 500 req/s, p99 < 100 ms', met: save.requests.average >= 500 && save.latency.p99 < 100 && save['5xx'] === 0 });
    line(saveLine);

    const dash = await autocannon({ url: `${url}/api/v1/regions/62.01/dashboard`, connections: CONNECTIONS, duration: SECONDS, headers });
    const dashLine = figures('server-dashboard', dash, { target: '>= 1000 req/s', met: dash.requests.average >= 1000 && dash['5xx'] === 0 });
    line(dashLine);

    // Mixed load: one write in four, the rest reads a district team and its kader would make.
    const written: number[] = [];
    let writeOk = 0;
    const mixed = await autocannon({
      url, connections: CONNECTIONS, duration: MIXED_SECONDS,
      requests: [
        {
          method: 'POST', path: '/api/v1/measurements', headers,
          setupRequest: (req) => ({ ...req, body: nextBody() }),
          onResponse: (status, body) => {
            if (status >= 200 && status < 300) {
              writeOk++;
              written.push((JSON.parse(body) as { measurement: { id: number } }).measurement.id);
            }
          },
        },
        { method: 'GET', path: '/api/v1/regions/62.01/dashboard', headers },
        { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/api/v1/posyandu/${posyandu[pick % posyandu.length]}/children` }) },
        { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/api/v1/children/${kids[pick % kids.length].id}` }) },
      ],
    });
    let missing = 0;
    for (let i = 0; i < written.length; i += 5000) {
      const ids = written.slice(i, i + 5000);
      const found = await handle.db.selectFrom('measurement').select((eb) => eb.fn.countAll<string>().as('n')).where('id', 'in', ids).executeTakeFirstOrThrow();
      missing += ids.length - Number(found.n);
    }
    const mixedLine = figures('server-mixed', mixed, { writes_2xx: writeOk, writes_missing_in_db: missing, met: missing === 0 && mixed['5xx'] === 0 && mixed.errors === 0 });
    line(mixedLine);

    await app.close();
    line({
      name: 'server', children: CHILDREN, connections: CONNECTIONS,
      save_req_per_s: saveLine.req_per_s, save_p99_ms: saveLine.latency_p99_ms,
      dashboard_req_per_s: dashLine.req_per_s,
      mixed_seconds: MIXED_SECONDS, mixed_writes: writeOk, mixed_writes_missing: missing, mixed_5xx: mixed['5xx'],
      load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
      met: Boolean(saveLine.met && dashLine.met && mixedLine.met),
    });
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

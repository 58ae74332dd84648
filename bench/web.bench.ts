/**
 * Budgets of the web app (issue 9): the dashboard's first load on the demo over loopback (login
 * done, then navigation until the headline cards and the choropleth map are painted) must stay
 * under 2 s, and the JavaScript the first page loads (entry + modulepreload chunks) under 500 KB
 * gzip. Throw-away embedded PostgreSQL with the synthetic district, the real server (buildApp)
 * serving dist/web, Debian Chromium via playwright-core. JSON lines; the last is {"name":"web",…}.
 *
 *   npm run bench:web [-- --children 25000] [--runs 5]
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { runAnalyticsJob } from '../src/analytics/analytics.job.js';
import { SYSTEM_SCOPE } from '../src/auth/access.js';
import { createUser } from '../src/auth/users.service.js';
import { openDatabase } from '../src/db/connection.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { loadDemo } from '../src/demo/demo.loader.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';
import { packageRoot } from '../src/reference/who-tables.js';
import { buildApp, createServerDeps } from '../src/server/app.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const children = arg('--children', DEMO_DEFAULTS.children);
const runs = arg('--runs', 5);
const line = (o: object) => console.log(JSON.stringify(o));
const webRoot = join(packageRoot(), 'dist', 'web');
const BUDGET_LOAD_S = 2;
const BUDGET_JS_KB = 500;

/** Gzip size of the scripts index.html loads before anything else (entry + modulepreload). */
function initialJsGzipBytes(): { files: string[]; bytes: number; gzip: number } {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]);
  let bytes = 0;
  let gzip = 0;
  for (const f of files) {
    const body = readFileSync(join(webRoot, f.replace(/^\//, '')));
    bytes += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files, bytes, gzip };
}

if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`${webRoot}/index.html missing: run npm run build first`);
const js = initialJsGzipBytes();
line({ name: 'web.initial_js', files: js.files.length, bytes: js.bytes, gzip_bytes: js.gzip, gzip_kb: Math.round(js.gzip / 102.4) / 10 });

const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-web-'));
chmodSync(dir, 0o755);
const handle = await openDatabase({ dataDir: dir, durable: false, handleSignals: false, env: { TUMBUH_NIK_KEY: 'bench-web-key-0123456789abcdef0123456789' } });
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: root ? ['--no-sandbox'] : [] });
try {
  const loaded = await loadDemo(handle, { ...loadDemoInputs(), children, months: DEMO_DEFAULTS.months });
  await runAnalyticsJob(handle.db, '62.01');
  line({ name: 'web.demo', children, measurements: loaded.rows.measurement, seconds: loaded.seconds });
  const password = 'Tanjung-Puting-2025';
  await createUser(handle.db, SYSTEM_SCOPE, { username: 'bench.tpps', displayName: 'Bench TPPS', role: 'tpps', password, mustChangePassword: false, regionCodes: ['62.01'] });
  const app = await buildApp(await createServerDeps(handle, {}), { webRoot, logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh context each run: empty HTTP cache, no service worker, a new session.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const login = await context.request.post(`${url}/api/v1/auth/login`, { data: { username: 'bench.tpps', password } });
      if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
      // The app probes /auth/me only when it remembers a session (a login through the page sets this).
      await context.addInitScript({ content: "localStorage.setItem('tumbuh.hasSession', '1')" });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(url);
      await page.locator('[data-testid=cards]').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid=choropleth] path').first().waitFor({ timeout: 60_000 });
      times.push((performance.now() - t0) / 1000);
      await context.close();
    }
    // The same API calls from Node, to tell server time from browser time.
    const api = await browser.newContext();
    await api.request.post(`${url}/api/v1/auth/login`, { data: { username: 'bench.tpps', password } });
    const apiTimes: Record<string, number[]> = { me: [], dashboard: [], boundaries: [] };
    for (let i = 0; i < 3; i++) {
      for (const [name, path] of [['me', '/api/v1/auth/me'], ['dashboard', '/api/v1/regions/62.01/dashboard'], ['boundaries', '/api/v1/regions/62.01/boundaries']] as const) {
        const t = performance.now();
        const res = await api.request.get(`${url}${path}`);
        if (!res.ok()) throw new Error(`${path}: ${res.status()}`);
        await res.body();
        apiTimes[name].push(Math.round(performance.now() - t) / 1000);
      }
    }
    await api.close();
    line({ name: 'web.api', seconds: apiTimes });
    const sorted = [...times].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)];
    line({ name: 'web.first_load', runs, seconds: times.map((s) => Math.round(s * 1000) / 1000) });
    line({
      name: 'web', rows: children, seconds: Math.round(times[0] * 1000) / 1000, rows_per_s: Math.round(children / times[0]),
      first_load_cold_s: Math.round(times[0] * 1000) / 1000, first_load_p50_s: Math.round(p50 * 1000) / 1000, first_load_max_s: Math.round(sorted[sorted.length - 1] * 1000) / 1000,
      initial_js_gzip_kb: Math.round(js.gzip / 102.4) / 10,
      budget_load_ok: sorted[sorted.length - 1] < BUDGET_LOAD_S, budget_js_ok: js.gzip / 1024 < BUDGET_JS_KB,
    });
  } finally {
    await app.close();
  }
} finally {
  await browser.close();
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

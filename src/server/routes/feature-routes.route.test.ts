import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRouteDef } from '../route-def.js';
import { createServerFixture, type ServerFixture, type TestAccount } from '../test-support/server-fixture.js';
import { seedMatrixWorld, type MatrixWorld } from '../test-support/matrix-world.js';
import { EVALUATION_ROUTES } from './evaluation.route.js';
import { IMPORT_ROUTES } from './imports.route.js';
import { POSYANDU_ROUTES } from './posyandu.route.js';
import { QUALITY_ROUTES } from './quality.route.js';
import { REGION_ROUTES } from './regions.route.js';

const ROUTES: AnyRouteDef[] = [...REGION_ROUTES, ...POSYANDU_ROUTES, ...IMPORT_ROUTES, ...QUALITY_ROUTES, ...EVALUATION_ROUTES];

describe('feature routes: own rows answered, the other kabupaten refused', () => {
  let f: ServerFixture;
  let w: MatrixWorld;
  let tpps: TestAccount;
  let viewer: TestAccount;

  beforeAll(async () => {
    f = await createServerFixture();
    w = await seedMatrixWorld(f.t);
    tpps = await f.account('tpps', { regionCodes: [w.own.kabupatenCode] });
    viewer = await f.account('viewer', { regionCodes: [w.own.kabupatenCode] });
  }, 180_000);
  afterAll(async () => f?.close());

  async function send(route: AnyRouteDef, a: TestAccount, target: 'own' | 'foreign') {
    const m = route.matrix(w, target);
    if (!m) throw new Error(`${route.id}: no matrix example`);
    let url = route.path;
    for (const [k, v] of Object.entries(m.params ?? {})) url = url.replace(`:${k}`, encodeURIComponent(v));
    if (m.query) url += `?${new URLSearchParams(m.query).toString()}`;
    if (m.upload) {
      const boundary = '----tumbuhtest';
      const parts = Object.entries((m.body ?? {}) as Record<string, string>).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
      const payload = Buffer.concat([
        Buffer.from(parts.join('')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${m.upload.fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
        m.upload.bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return f.app.inject({ method: route.method, url, headers: { ...a.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    }
    return f.app.inject({ method: route.method, url, headers: a.headers, ...(m.body !== undefined ? { payload: m.body as object } : {}) });
  }

  const tppsRoutes = ROUTES.filter((r) => r.access.kind === 'roles' && r.access.roles.includes('tpps'));

  it.each(tppsRoutes.map((r) => [r.id, r] as const))('%s answers tpps on its own kabupaten', async (_id, route) => {
    const res = await send(route, tpps, 'own');
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(400);
  });

  it.each(tppsRoutes.filter((r) => r.path !== '/api/v1/regions').map((r) => [r.id, r] as const))('%s refuses tpps on the other kabupaten', async (_id, route) => {
    const res = await send(route, tpps, 'foreign');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(403);
  });

  it('serves the evaluation report as a real XLSX and the rejects as CSV, and refuses the rejects to a viewer', async () => {
    const xlsx = await f.app.inject({ method: 'GET', url: `/api/v1/evaluation/rounds/${w.own.roundId}/report?format=xlsx`, headers: tpps.headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csv = await f.app.inject({ method: 'GET', url: `/api/v1/imports/${w.own.importBatchId}/rejects`, headers: tpps.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('31/02/2023');
    expect((await f.app.inject({ method: 'GET', url: `/api/v1/imports/${w.own.importBatchId}/rejects`, headers: viewer.headers })).statusCode).toBe(403);
    expect((await f.app.inject({ method: 'GET', url: `/api/v1/imports/${w.own.importBatchId}`, headers: viewer.headers })).statusCode).toBe(200);
  });
});

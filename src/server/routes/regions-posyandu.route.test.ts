import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGrowthEngine } from '../../reference/who-tables.js';
import { createServerFixture, type ServerFixture, type TestAccount } from '../test-support/server-fixture.js';
import { seedMatrixWorld, type MatrixWorld } from '../test-support/matrix-world.js';

describe('region and posyandu routes, scoped in the services', () => {
  let f: ServerFixture;
  let w: MatrixWorld;
  let kader: TestAccount;
  let puskesmas: TestAccount;
  let csr: TestAccount;
  let viewer: TestAccount;
  let tpps: TestAccount;

  beforeAll(async () => {
    f = await createServerFixture();
    w = await seedMatrixWorld(f.t);
    kader = await f.account('kader', { posyanduId: w.own.posyanduId });
    puskesmas = await f.account('puskesmas', { puskesmasId: w.own.puskesmasId });
    csr = await f.account('csr', { regionCodes: [w.own.desaCode] });
    viewer = await f.account('viewer', { regionCodes: [w.own.kabupatenCode] });
    tpps = await f.account('tpps', { regionCodes: [w.own.kabupatenCode] });
  }, 180_000);
  afterAll(async () => f?.close());

  const get = (a: TestAccount, url: string) => f.app.inject({ method: 'GET', url, headers: a.headers });
  const post = (a: TestAccount, url: string, payload: unknown) => f.app.inject({ method: 'POST', url, headers: a.headers, payload: payload as object });

  it('gives a kader its posyandu\'s children by name and refuses another posyandu', async () => {
    const own = await get(kader, `/api/v1/posyandu/${w.own.posyanduId}/children?date=2025-03-12`);
    expect(own.statusCode).toBe(200);
    const body = own.json() as { children: { id: number; name: string; last: { zlen: number } | null }[] };
    expect(body.children.map((c) => c.id)).toContain(w.own.childId);
    expect(body.children.find((c) => c.id === w.own.childId)?.name).toBe('Anak Matriks A');
    const other = await get(kader, `/api/v1/posyandu/${w.foreignDesa.posyanduId}/children?date=2025-03-12`);
    expect(other.statusCode).toBe(403);
    expect((await get(kader, `/api/v1/children/${w.foreignDesa.childId}`)).statusCode).toBe(403);
    const audit = await f.t.db.selectFrom('audit_log').select(['action', 'entity']).where('user_id', '=', kader.userId).where('entity', '=', 'child').execute();
    expect(audit.some((a) => a.action === 'personal.read')).toBe(true);
  });

  it('gives csr and viewer aggregates but no by-name list', async () => {
    for (const a of [csr, viewer]) {
      expect((await get(a, `/api/v1/regions/${w.own.desaCode}/dashboard`)).statusCode).toBe(200);
      expect((await get(a, `/api/v1/regions/${w.own.desaCode}/skdn`)).statusCode).toBe(200);
      expect((await get(a, `/api/v1/regions/${w.own.desaCode}/alerts`)).statusCode).toBe(403);
      expect((await get(a, `/api/v1/posyandu/${w.own.posyanduId}/children`)).statusCode).toBe(403);
      expect((await get(a, `/api/v1/children/${w.own.childId}`)).statusCode).toBe(403);
    }
  });

  it('lets a puskesmas read its catchment desa and refuses a desa outside it', async () => {
    expect((await get(puskesmas, `/api/v1/regions/${w.own.desaCode}/dashboard`)).statusCode).toBe(200);
    expect((await get(puskesmas, `/api/v1/regions/${w.foreignDesa.desaCode}/dashboard`)).statusCode).toBe(403);
    expect((await get(puskesmas, `/api/v1/regions/${w.foreignDesa.desaCode}/alerts`)).statusCode).toBe(403);
    expect((await get(puskesmas, `/api/v1/regions/${w.own.kabupatenCode}/dashboard`)).statusCode).toBe(403);
    const alerts = await get(puskesmas, `/api/v1/regions/${w.own.desaCode}/alerts?month=${w.own.month}`);
    expect(alerts.statusCode).toBe(200);
    expect((alerts.json() as { alerts: { id: number }[] }).alerts.map((a) => a.id)).toEqual([w.own.alertId]);
    const tree = (await get(puskesmas, '/api/v1/regions')).json() as { regions: { code: string; visible: boolean }[] };
    expect(tree.regions.filter((r) => r.visible).map((r) => r.code)).toEqual([w.own.desaCode]);
    expect(tree.regions.map((r) => r.code)).toContain(w.own.kabupatenCode);
  });

  it('saves a measurement with the engine\'s exact z-scores, updates the rollup and refreshes the cached dashboard', async () => {
    const url = `/api/v1/regions/${w.own.desaCode}/dashboard?month=2025-05`;
    const before = (await get(tpps, url)).json() as { cards: { measuredThisMonth: number } };
    const again = (await get(tpps, url)).json() as { generatedAt: string };
    expect((await get(tpps, url)).json()).toEqual(again);
    const input = { childId: w.own.childId, measuredOn: '2025-05-14', weightKg: 10.9, lenheiCm: 84.4, position: 'H' as const };
    const res = await post(kader, '/api/v1/measurements', input);
    expect(res.statusCode).toBe(201);
    const saved = res.json() as { measurement: { zwei: number; zlen: number; zwfl: number; weightGain: string | null }; weightGain: { code: string; reason: { id: string } }; replayed: boolean };
    const expected = loadGrowthEngine().computeOne({ sex: 1, birthDate: '2023-06-10', measureDate: '2025-05-14', weight: 10.9, lenhei: 84.4, measure: 'H' });
    expect(saved.measurement.zwei).toBe(expected.zwei);
    expect(saved.measurement.zlen).toBe(expected.zlen);
    expect(saved.measurement.zwfl).toBe(expected.zwfl);
    expect(saved.replayed).toBe(false);
    expect(saved.weightGain.code).toBe(saved.measurement.weightGain);
    const rollup = await f.t.db.selectFrom('rollup_posyandu_month').select('measured').where('posyandu_id', '=', w.own.posyanduId).where('month', '=', '2025-05-01').executeTakeFirst();
    expect(rollup?.measured).toBe(1);
    const after = (await get(tpps, url)).json() as { cards: { measuredThisMonth: number } };
    expect(after.cards.measuredThisMonth).toBe(before.cards.measuredThisMonth + 1);
    const replay = (await post(kader, '/api/v1/measurements', input)).json() as { replayed: boolean };
    expect(replay.replayed).toBe(true);
  });

  it('refuses a kader saving for a child of another posyandu and previews without saving', async () => {
    const res = await post(kader, '/api/v1/measurements', { childId: w.foreignDesa.childId, measuredOn: '2025-05-14', weightKg: 10 });
    expect(res.statusCode).toBe(403);
    const count = async () => (await f.t.db.selectFrom('measurement').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const n = await count();
    const preview = await post(kader, '/api/v1/growth/preview', { childId: w.own.childId, measuredOn: '2025-06-11', weightKg: 16.5, lenheiCm: 70, position: 'H' });
    expect(preview.statusCode).toBe(200);
    const p = preview.json() as { warnings: { code: string }[]; zwfl: number | null };
    expect(p.warnings.map((x) => x.code)).toEqual(expect.arrayContaining(['length_decreased', 'weight_jump']));
    expect(await count()).toBe(n);
  });
});

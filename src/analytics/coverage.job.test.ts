import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESA_A, DESA_B, KOBAR } from '../test-support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { readDefaultAnalyticsConfig } from './analytics-config.schema.js';
import { addChild, addFamily, addMeasurement, addPerson, addService } from './analytics-test-data.js';
import { computeCoverage, convergenceTargets, judgePackage, summariseConvergence, type YearWindow } from './coverage.job.js';

const config = readDefaultAnalyticsConfig();
const Y2025: YearWindow = { year: 2025, start: '2025-01-01', end: '2026-01-01', asOf: '2026-01-01' };
let t: TestDatabase;
const id: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  // Baduta: X 18 months at year end (all four items due; no immunisation), Y 4 months (only monitoring), Z too old.
  id.X = await addChild(t.db, { desaCode: DESA_A, birthDate: '2024-06-15' });
  await addService(t.db, { desaCode: DESA_A, code: 'ASI_EKSKLUSIF', servedOn: '2024-12-15', childId: id.X });
  await addService(t.db, { desaCode: DESA_A, code: 'MPASI', servedOn: '2024-12-20', childId: id.X });
  await addMeasurement(t.db, { childId: id.X, measuredOn: '2025-03-10', zlen: -1 });
  id.Y = await addChild(t.db, { desaCode: DESA_A, birthDate: '2025-08-01' });
  await addMeasurement(t.db, { childId: id.Y, measuredOn: '2025-09-10', zlen: -1 });
  id.Z = await addChild(t.db, { desaCode: DESA_A, birthDate: '2022-01-01' });
  // Ibu hamil: P1 KEK, 60 + 40 TTD tablets and PMT; P2 not KEK, 89 tablets; P3 delivers in 2026.
  id.P1 = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2024-09-01', hpht: '2024-07-25', expectedDelivery: '2025-05-01', kek: true });
  await addService(t.db, { desaCode: DESA_A, code: 'TTD_BUMIL', servedOn: '2024-12-01', personId: id.P1, quantity: 60 });
  await addService(t.db, { desaCode: DESA_A, code: 'TTD_BUMIL', servedOn: '2025-04-01', personId: id.P1, quantity: 40 });
  await addService(t.db, { desaCode: DESA_A, code: 'PMT_BUMIL_KEK', servedOn: '2025-01-10', personId: id.P1, quantity: 90 });
  id.P2 = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2025-01-10', hpht: '2024-12-01', expectedDelivery: '2025-09-07', kek: false });
  await addService(t.db, { desaCode: DESA_A, code: 'TTD_BUMIL', servedOn: '2025-09-07', personId: id.P2, quantity: 89 });
  id.P3 = await addPerson(t.db, { desaCode: DESA_A, registeredOn: '2025-10-01', hpht: '2025-08-01', expectedDelivery: '2026-05-08', kek: true });
  // KRS family without safe water: accompanied in 2025, counselled only in 2024; a family not at risk.
  id.F1 = await addFamily(t.db, { desaCode: DESA_B, unsafeWater: true });
  await addService(t.db, { desaCode: DESA_B, code: 'PENDAMPINGAN_KRS', servedOn: '2025-02-02', familyId: id.F1 });
  await addService(t.db, { desaCode: DESA_B, code: 'PENYULUHAN_STUNTING', servedOn: '2024-11-02', familyId: id.F1 });
  id.F2 = await addFamily(t.db, { desaCode: DESA_B });
  // Sector figures for sanitation: S1 50/100, S2 60/100 — the year's latest is used.
  for (const [start, end, n] of [['2025-01-01', '2025-06-30', 50], ['2025-07-01', '2025-12-31', 60]] as const) {
    await t.db.insertInto('indicator_value').values({ indicator_id: 'SEN-05', kabupaten_code: KOBAR, region_code: DESA_B, period_type: 'semester',
      period_start: start, period_end: end, numerator: n, denominator: 100, value: n, source: 'Dinas Perkim' }).execute();
  }
});

afterAll(async () => t?.close());

describe('convergence: which services of the package each target received', () => {
  it('judges due items by age and condition, quantities and the year window', () => {
    const items = config.convergence.ibu_hamil;
    const facts = { age_months: null, kek: true, unsafe_water: null, poor_sanitation: null, poor: null, measured_in_year: false, in_year: {} };
    expect(judgePackage(items, { ...facts, ever: { TTD_BUMIL: 90, PMT_BUMIL_KEK: 1 } })).toEqual({ due: ['TTD_BUMIL', 'PMT_BUMIL_KEK'], received: ['TTD_BUMIL', 'PMT_BUMIL_KEK'], missing: [] });
    expect(judgePackage(items, { ...facts, kek: false, ever: { TTD_BUMIL: 89.9 } })).toEqual({ due: ['TTD_BUMIL'], received: [], missing: ['TTD_BUMIL'] });
  });

  it('baduta: X misses immunisation, Y (4 months) needs only monitoring, Z is past 2 years', async () => {
    const targets = await convergenceTargets(t.db, KOBAR, Y2025, 'baduta', config.convergence.baduta);
    expect(targets.map((x) => [x.id, x.due.length, x.missing, x.complete])).toEqual([
      [id.X, 4, ['IMUNISASI_DASAR_LENGKAP'], false],
      [id.Y, 1, [], true],
    ]);
    expect(summariseConvergence(targets)).toEqual([{ desaCode: DESA_A, group: 'baduta', targets: 2, complete: 1, share: 0.5, missing: { IMUNISASI_DASAR_LENGKAP: 1 } }]);
  });

  it('ibu hamil delivering in the year: 100 tablets over two records count, 89 do not', async () => {
    const targets = await convergenceTargets(t.db, KOBAR, Y2025, 'ibu_hamil', config.convergence.ibu_hamil);
    expect(targets.map((x) => [x.id, x.received, x.missing])).toEqual([
      [id.P1, ['TTD_BUMIL', 'PMT_BUMIL_KEK'], []],
      [id.P2, [], ['TTD_BUMIL']],
    ]);
  });

  it('KRS family: counselling must be in the year; safe water is due because it has none', async () => {
    const [f] = await convergenceTargets(t.db, KOBAR, Y2025, 'krs_family', config.convergence.krs_family);
    expect(f).toMatchObject({ id: id.F1, desaCode: DESA_B, received: ['PENDAMPINGAN_KRS'], missing: ['PENYULUHAN_STUNTING', 'AIR_MINUM_LAYAK'], complete: false });
  });
});

describe('coverage per desa', () => {
  it('by name over the target group, else the sector figure', async () => {
    const rows = await computeCoverage(t.db, KOBAR, Y2025, config.coverage);
    const get = (desa: string, code: string) => rows.find((r) => r.desaCode === desa && r.interventionCode === code);
    // KEK pregnancies during 2025: P1 (PMT) and P3 (none yet).
    expect(get(DESA_A, 'PMT_BUMIL_KEK')).toMatchObject({ source: 'by_name', numerator: 1, denominator: 2 });
    expect(get(DESA_A, 'TTD_BUMIL')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(get(DESA_A, 'MPASI')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(get(DESA_B, 'PENDAMPINGAN_KRS')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(get(DESA_B, 'SANITASI_LAYAK')).toMatchObject({ source: 'sector', numerator: 60, denominator: 100 });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { computeAchievements } from './achievement.service.js';
import { readEvaluationConfig, readIndicatorMethods } from './evaluation-config.js';
import { evalDb } from '../db/schema.js';
import { addAction, carriedActions, listActions, roundRoles, setActionStatus } from './follow-up.service.js';
import { createRound, freezeRound, getRound, roundFigures } from './round.service.js';

let tdb: TestDatabase;
const KAB = '62.01';
const A = '62.01.01.2001'; // Sungai Cabang, Kumai
const B = '62.01.01.2002'; // Teluk Pulai, Kumai
const C = '62.01.02.2010'; // Rangda, Arut Selatan

async function rollup(desa: string, month: string, c: { registered: number; measured: number; stunted: number; stunting_denom: number }): Promise<void> {
  const zero = { weight_up: 0, weight_gain_denom: 0, two_t: 0, severely_stunted: 0, wasted: 0, severely_wasted: 0, overweight: 0, wasting_denom: 0, underweight: 0, underweight_denom: 0, flagged: 0 };
  await tdb.db.insertInto('rollup_desa_month').values({ kabupaten_code: KAB, desa_code: desa, month, ...zero, ...c }).execute();
}

async function child(desa: string, birth: string): Promise<number> {
  const r = await tdb.db.insertInto('child').values({ kabupaten_code: KAB, desa_code: desa, name: 'Anak Uji', sex: 1, birth_date: birth, registered_on: birth }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function service(desa: string, code: string, on: string, who: { child?: number; family?: number }): Promise<void> {
  await tdb.db.insertInto('service').values({ kabupaten_code: KAB, desa_code: desa, intervention_code: code, served_on: on, child_id: who.child ?? null, family_id: who.family ?? null, provider: 'Posyandu', source: 'form' }).execute();
}

async function family(desa: string, atRisk: boolean): Promise<number> {
  const r = await tdb.db.insertInto('family').values({ kabupaten_code: KAB, desa_code: desa, head_name: 'Kepala Keluarga', unsafe_water: atRisk }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  // Routine counts: A 2025-01 (S 50, D 40, 8 stunted of 38), 2025-02 (S 50, D 30, 6 of 30); B 2025-01 (S 20, D 20, 1 of 20);
  // C only in 2024-12 (previous period).
  await rollup(A, '2025-01-01', { registered: 50, measured: 40, stunted: 8, stunting_denom: 38 });
  await rollup(A, '2025-02-01', { registered: 50, measured: 30, stunted: 6, stunting_denom: 30 });
  await rollup(B, '2025-01-01', { registered: 20, measured: 20, stunted: 1, stunting_denom: 20 });
  await rollup(C, '2024-12-01', { registered: 10, measured: 10, stunted: 4, stunting_denom: 10 });
  // ASI eksklusif: in A three infants turn 6 months (birth + 183 d) in Jan–Jun 2025, two recorded; one turns 6 months in July (out).
  const a1 = await child(A, '2024-08-01');
  const a2 = await child(A, '2024-10-15');
  await child(A, '2024-12-01');
  const a4 = await child(A, '2025-01-20');
  await service(A, 'ASI_EKSKLUSIF', '2025-01-31', { child: a1 });
  await service(A, 'ASI_EKSKLUSIF', '2025-04-16', { child: a2 });
  await service(A, 'ASI_EKSKLUSIF', '2025-07-22', { child: a4 });
  // KRS: B has 3 at-risk families (2 visited in the period, one visited only in 2024) and 1 not at risk (visited, not counted).
  const f1 = await family(B, true);
  const f2 = await family(B, true);
  const f3 = await family(B, true);
  const f4 = await family(B, false);
  await service(B, 'PENDAMPINGAN_KRS', '2025-03-03', { family: f1 });
  await service(B, 'PENDAMPINGAN_KRS', '2025-06-30', { family: f2 });
  await service(B, 'PENDAMPINGAN_KRS', '2024-11-03', { family: f3 });
  await service(B, 'PENDAMPINGAN_KRS', '2025-02-03', { family: f4 });
  // Sector figures: SEN-04 per desa (the semester figure replaces an earlier quarter's), SEN-06 for the whole kabupaten.
  const e = evalDb(tdb.db);
  const user = await tdb.db.insertInto('app_user').values({ username: 'pupr.kobar', display_name: 'Operator PUPR', password_hash: 'x'.repeat(40), role: 'opd', scope_region_code: KAB, scope_sector: 'air_sanitasi' }).returning('id').executeTakeFirstOrThrow();
  await e.insertInto('indicator_value').values([
    { indicator_id: 'SEN-04', kabupaten_code: KAB, region_code: A, period_type: 'quarter', period_start: '2025-01-01', period_end: '2025-03-31', numerator: 10, denominator: 100, value: 10, source: 'Dinas PUPR' },
    { indicator_id: 'SEN-04', kabupaten_code: KAB, region_code: A, period_type: 'semester', period_start: '2025-01-01', period_end: '2025-06-30', numerator: 60, denominator: 100, value: 60, source: 'Dinas PUPR', evidence: 'rekap-air-minum-s1.xlsx', entered_by: user.id },
    { indicator_id: 'SEN-04', kabupaten_code: KAB, region_code: C, period_type: 'semester', period_start: '2025-01-01', period_end: '2025-06-30', numerator: 45, denominator: 50, value: 90, source: 'Dinas PUPR' },
    { indicator_id: 'SEN-06', kabupaten_code: KAB, region_code: KAB, period_type: 'semester', period_start: '2025-01-01', period_end: '2025-06-30', numerator: null, denominator: null, value: 120000, source: 'Dinas Sosial', evidence_url: 'https://example.org/pbi.pdf', completeness_percent: 95 },
  ]).execute();
}, 180_000);

afterAll(async () => {
  await tdb?.close();
});

describe('achievements against hand-computed values', () => {
  const period = { start: '2025-01-01', end: '2025-06-30' };
  const indicators = [{ id: 'OUT-01', unit: 'percent' as const }, { id: 'SPE-07', unit: 'percent' as const }, { id: 'SPE-04', unit: 'percent' as const },
    { id: 'SEN-07', unit: 'percent' as const }, { id: 'SEN-04', unit: 'percent' as const }, { id: 'SEN-06', unit: 'persons' as const }];
  let rows: Awaited<ReturnType<typeof computeAchievements>>;
  const get = (id: string, region: string) => rows.find((r) => r.indicatorId === id && r.regionCode === region);
  beforeAll(async () => {
    rows = await computeAchievements(evalDb(tdb.db), KAB, period, indicators, readIndicatorMethods(), readEvaluationConfig());
  });
  it('routine prevalence and D/S sum numerators and denominators up the levels', () => {
    expect(get('OUT-01', A)).toMatchObject({ numerator: 14, denominator: 68, method: 'by_name' });
    expect(get('OUT-01', A)?.value).toBeCloseTo((100 * 14) / 68, 10);
    expect(get('OUT-01', '62.01.01')?.value).toBeCloseTo((100 * 15) / 88, 10);
    expect(get('OUT-01', KAB)?.value).toBeCloseTo((100 * 15) / 88, 10);
    expect(get('OUT-01', C)?.value).toBeNull();
    expect(get('SPE-07', '62.01.01')).toMatchObject({ numerator: 90, denominator: 120 });
    expect(get('SPE-07', '62.01.01')?.value).toBe(75);
    // Completeness: desa-months with children weighed ÷ (desa × months): Kumai 3 of 18 × 6.
    expect(get('SPE-07', '62.01.01')?.completeness).toBeCloseTo((100 * 3) / (18 * 6), 10);
  });
  it('ASI eksklusif and KRS accompaniment come from people, families and services', () => {
    expect(get('SPE-04', A)).toMatchObject({ numerator: 2, denominator: 3 });
    expect(get('SEN-07', B)).toMatchObject({ numerator: 2, denominator: 3 });
    expect(get('SEN-07', KAB)).toMatchObject({ numerator: 2, denominator: 3 });
  });
  it('sector figures: the latest in the period, summed as Σ/Σ, with source, evidence and completeness', () => {
    expect(get('SEN-04', A)).toMatchObject({ value: 60, method: 'sector_figure', source: 'Dinas PUPR', evidenceCount: 1 });
    expect(get('SEN-04', A)?.evidence[0]).toMatchObject({ evidence: 'rekap-air-minum-s1.xlsx', enteredBy: 'Operator PUPR' });
    expect(get('SEN-04', KAB)).toMatchObject({ numerator: 105, denominator: 150, value: 70, unitsReporting: 2, unitsTotal: 94 });
    expect(get('SEN-04', KAB)?.completeness).toBeCloseTo((100 * 2) / 94, 10);
    expect(get('SEN-04', '62.01.03')).toMatchObject({ value: null, completeness: 0 });
    expect(get('SEN-06', KAB)).toMatchObject({ value: 120000, completeness: 95 });
    expect(get('SEN-06', KAB)?.evidence[0].evidenceUrl).toBe('https://example.org/pbi.pdf');
  });
});

describe('evaluation rounds', () => {
  it('a frozen round does not change when the data change later; a draft round does', async () => {
    const frozen = await createRound(tdb.db, { kabupatenCode: KAB, title: 'Evaluasi Semester I 2025', kind: 'semester', period: { start: '2025-01-01', end: '2025-06-30' } });
    const draft = await createRound(tdb.db, { kabupatenCode: KAB, title: 'Draf Semester I 2025', kind: 'semester', period: { start: '2025-01-01', end: '2025-06-30' }, previousId: null });
    await freezeRound(tdb.db, frozen.id, '2025-07-15');
    const r = await getRound(tdb.db, frozen.id);
    expect(r.status).toBe('final');
    const before = await roundFigures(tdb.db, r, '2025-07-20');
    const out = (f: typeof before) => f.scorecard.find((x) => x.indicatorId === 'OUT-01' && x.regionCode === KAB)?.value;
    expect(out(before)).toBeCloseTo((100 * 15) / 88, 10);
    const draftBefore = out(await roundFigures(tdb.db, await getRound(tdb.db, draft.id), '2025-07-20'));
    // The trend comes from the analytics trend service: kabupaten sums per month, the previous period included.
    const month = (f: typeof before, m: string) => f.trend.find((p) => p.month === m);
    expect(before.version).toBe(2);
    expect(month(before, '2025-01')).toMatchObject({ stunted: 9, stuntingDenom: 58, measured: 60, registered: 70 });
    expect(month(before, '2024-12')).toMatchObject({ stunted: 4, stuntingDenom: 10 });
    expect(month(before, '2025-03')).toBeUndefined();

    await rollup(C, '2025-03-01', { registered: 12, measured: 12, stunted: 6, stunting_denom: 12 });
    await evalDb(tdb.db).updateTable('indicator_value').set({ numerator: 99, value: 99 }).where('region_code', '=', A).where('period_type', '=', 'semester').execute();

    const after = await roundFigures(tdb.db, await getRound(tdb.db, frozen.id), '2025-12-01');
    expect(after).toEqual(before);
    const draftAfter = await roundFigures(tdb.db, await getRound(tdb.db, draft.id), '2025-07-20');
    expect(month(draftAfter, '2025-03')).toMatchObject({ stunted: 6, stuntingDenom: 12 });
    expect(out(await roundFigures(tdb.db, await getRound(tdb.db, draft.id), '2025-07-20'))).toBeCloseTo((100 * 21) / 100, 10);
    expect(draftBefore).toBeCloseTo((100 * 15) / 88, 10);
    await expect(freezeRound(tdb.db, frozen.id, '2025-08-01')).rejects.toMatchObject({ code: 'round_frozen' });
    await expect(sql`UPDATE evaluation_snapshot SET as_of = '2026-01-01' WHERE evaluation_id = ${frozen.id}`.execute(tdb.db)).rejects.toThrow(/frozen/);
  });

  it('the next round opens with the previous round’s actions, overdue detected, and shows whether their indicators moved', async () => {
    const first = await createRound(tdb.db, { kabupatenCode: KAB, title: 'Evaluasi 2024 S2', kind: 'semester', period: { start: '2024-07-01', end: '2024-12-31' }, previousId: null });
    const act = await addAction(tdb.db, { evaluationId: first.id, title: 'Kunjungan rumah balita stunting Rangda', stakeholderType: 'tpk', stakeholderName: 'TPK Rangda', owner: 'Koordinator TPK', dueOn: '2025-03-31', indicatorIds: ['OUT-01'], regionCodes: [C] });
    await freezeRound(tdb.db, first.id, '2025-01-10');
    const next = await createRound(tdb.db, { kabupatenCode: KAB, title: 'Evaluasi 2025 S1', kind: 'semester', period: { start: '2025-01-01', end: '2025-06-30' }, previousId: first.id });
    const figures = await roundFigures(tdb.db, next, '2025-07-01');
    const carried = await carriedActions(tdb.db, next, figures, '2025-07-01');
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ id: act, status: 'terlambat', daysOverdue: 92 });
    expect(carried[0].movements[0]).toMatchObject({ indicatorId: 'OUT-01', regionCode: C, before: 40, after: 50, trend: 'memburuk' });
    await setActionStatus(tdb.db, act, 'selesai', '2025-07-02');
    expect((await listActions(tdb.db, [first.id], '2025-07-05'))[0]).toMatchObject({ status: 'selesai', completedOn: '2025-07-02' });

    const roles = await roundRoles(tdb.db, next, figures, '2025-07-05');
    expect(roles.cells.some((c) => c.stakeholder === 'TPK Rangda' && c.indicatorId === 'OUT-01' && c.regionCode === C)).toBe(true);
    const gapsOut = roles.gaps.filter((g) => g.indicatorId === 'OUT-01').map((g) => g.desaCode);
    const offOut = figures.scorecard.filter((r) => r.level === 'desa' && r.indicatorId === 'OUT-01' && r.status === 'belum_tercapai').map((r) => r.regionCode);
    // A: 14/68 = 20.59 % against the provincial 2025 target 20.6 % (no district 2025 target) → tercapai.
    expect(figures.scorecard.find((r) => r.indicatorId === 'OUT-01' && r.regionCode === A)).toMatchObject({ status: 'tercapai', target: { value: 20.6, level: 'provinsi' } });
    expect(offOut).toEqual([C]);
    expect(gapsOut).toEqual([]);
    // SPE-07 in A: D/S 70/100 against the national 90 % carried from 2024 → belum tercapai, and nobody owns it.
    expect(figures.scorecard.find((r) => r.indicatorId === 'SPE-07' && r.regionCode === A)).toMatchObject({ value: 70, status: 'belum_tercapai', target: { value: 90, carriedFrom: 2024 } });
    expect(roles.gaps).toContainEqual({ indicatorId: 'SPE-07', desaCode: A, status: 'belum_tercapai' });
  });
});

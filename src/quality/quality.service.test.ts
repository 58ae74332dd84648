// The data-validity service against the embedded database, on a smaller demo district (the
// planted faults are the same as in the default one: they depend only on the seed).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildValidity } from '../analytics/validity.job.js';
import { AppError } from '../common/app-error.js';
import { loadDemoInputs } from '../demo/demo-inputs.js';
import { loadDemo } from '../demo/demo.loader.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { listCandidates, mergeChildren, rejectCandidate, undoMerge } from './duplicate-merge.service.js';
import { buildQualityReport, QUALITY_REPORT_COLUMNS, qualityReportCsv, renderQualityReportText, renderQualityReportXlsx } from './quality-report.js';
import { demoFaultRecall, eppgbmDisagreementsByPosyandu, refreshDuplicateCandidates, scoreValidity, type ScoreResult } from './quality.service.js';

const CHILDREN = 12_000;

let t: TestDatabase;
let scored: ScoreResult;
let demo: { faults: { posyanduId: number; kind: string; firstMonth: string; lastMonth: string }[]; faultChildren: { childId: number; originalChildId: number | null; kind: string }[] };

beforeAll(async () => {
  t = await createTestDatabase();
  await loadDemo(t, { ...loadDemoInputs(), children: CHILDREN });
  demo = JSON.parse((await sql<{ value: string }>`SELECT value FROM app_setting WHERE key = 'demo'`.execute(t.db)).rows[0].value);
  [scored] = await scoreValidity(t.db, {});
});

afterAll(async () => {
  await t?.close();
});

describe('scoreValidity (batch job)', () => {
  it('stores a score per posyandu, desa and puskesmas for each month', async () => {
    expect(scored.kabupatenCode).toBe('62.01');
    expect(scored.months).toHaveLength(24);
    const n = await sql<{ level: string; rows: number; scored: number; months: number }>`
      SELECT level, count(*)::int AS rows, count(score)::int AS scored, count(DISTINCT month)::int AS months FROM quality_score GROUP BY level ORDER BY level`.execute(t.db);
    expect(n.rows.map((r) => r.level)).toEqual(['desa', 'posyandu', 'puskesmas']);
    for (const r of n.rows) expect(r.months).toBe(24);
    expect(n.rows.find((r) => r.level === 'puskesmas')?.scored).toBe(6 * 24);
    expect(scored.scored.posyandu).toBe(n.rows.find((r) => r.level === 'posyandu')?.scored);
    // Each posyandu-month counts the children measured there that month.
    const check = await sql<{ bad: number }>`
      SELECT count(*)::int AS bad FROM quality_score q
      WHERE q.level = 'posyandu' AND q.children <> (SELECT count(DISTINCT child_id) FROM measurement m
        WHERE m.posyandu_id = q.unit::bigint AND m.month = q.month AND m.age_days <= 1826)`.execute(t.db);
    expect(check.rows[0].bad).toBe(0);
  });

  it('re-scoring one month replaces only that month', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM quality_score`.execute(t.db);
    const [r] = await scoreValidity(t.db, { months: ['2025-10'] });
    expect(r.months).toEqual(['2025-10-01']);
    const after = await sql<{ n: number; newest: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE computed_at > now() - interval '1 minute' AND month = DATE '2025-10-01')::int AS newest FROM quality_score`.execute(t.db);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(after.rows[0].newest).toBe(r.rows);
  });

  it('finds every posyandu with a planted fault and rarely flags a clean one', async () => {
    const report = await demoFaultRecall(t.db);
    expect(report).not.toBeNull();
    if (!report) return;
    // Measured on this demo (12,000 balita): 7/7 found; the definitions are in fault-recall.ts.
    expect(report.posyandu.faulty).toBe(7);
    expect(report.posyandu.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.posyandu.falseAlarmRate).toBeLessThanOrEqual(0.05);
    expect(report.months.falseAlarmRate).toBeLessThanOrEqual(0.05);
  });

  it('feeds the priority index: desa_validity condenses the stored desa months', async () => {
    const result = await rebuildValidity(t.db, '62.01', 2025, 30);
    const desa = result.find((r) => r.score !== null);
    expect(desa).toBeDefined();
    if (!desa) return;
    const months = await sql<{ score: number | null; children: number }>`
      SELECT score, children FROM quality_score WHERE level = 'desa' AND unit = ${desa.desaCode} AND month >= DATE '2025-01-01' AND month <= DATE '2025-12-01'`.execute(t.db);
    const w = months.rows.filter((m) => m.score !== null);
    const mean = w.reduce((a, m) => a + (m.score as number) * m.children, 0) / w.reduce((a, m) => a + m.children, 0);
    expect(desa.score).toBeCloseTo(Math.round(mean * 10) / 10, 6);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM desa_validity WHERE year = 2025`.execute(t.db);
    expect(stored.rows[0].n).toBe(result.length);
    // The faulty desa with heights rounded throughout shows the rounding as its worst problem.
    const digit = demo.faults.find((f) => f.kind === 'digit_preference' && f.firstMonth <= '2025-01');
    const fac = await sql<{ desa_code: string }>`SELECT desa_code FROM facility WHERE id = ${digit?.posyanduId ?? 0}`.execute(t.db);
    const faulty = result.find((r) => r.desaCode === fac.rows[0]?.desa_code);
    expect(faulty?.problems.map((p) => p.component)).toContain('heightDigits');
  });
});

describe('quality report', () => {
  it('lists posyandu least valid first, with problems and fixes in Bahasa Indonesia and English', async () => {
    const report = await buildQualityReport(t.db, { month: '2025-06' });
    expect(report.month).toBe('2025-06');
    expect(report.synthetic).toBe(true);
    const scores = report.rows.map((r) => r.score).filter((s): s is number => s !== null);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const faulty = new Set(demo.faults.filter((f) => f.firstMonth <= '2025-06' && f.lastMonth >= '2025-06').map((f) => f.posyanduId));
    // The least valid posyandu of the month is one with a planted fault.
    expect(faulty.has(report.rows[0].posyanduId)).toBe(true);
    expect(report.rows[0].problems.length).toBeGreaterThan(0);
    const text = renderQualityReportText(report, 'id', 5);
    expect(text).toContain('Laporan validitas data posyandu — 2025-06');
    expect(text).toContain('DATA SINTETIS');
    expect(text).toContain('Saran:');
    expect(text).toContain(report.rows[0].problems[0].fix.id);
    expect(renderQualityReportText(report, 'en', 5)).toContain(report.rows[0].problems[0].fix.en);
    const csv = qualityReportCsv(report).trim().split('\n');
    expect(csv[0]).toBe(QUALITY_REPORT_COLUMNS.join(','));
    expect(csv).toHaveLength(report.rows.length + 1);
    const xlsx = await renderQualityReportXlsx(report, 'id');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  });

  it('says how to score first when a month has no scores', async () => {
    const report = await buildQualityReport(t.db, { month: '2019-01' });
    expect(report.rows).toHaveLength(0);
    expect(renderQualityReportText(report, 'id')).toContain('tumbuh quality score --month 2019-01');
  });
});

describe('e-PPGBM disagreement', () => {
  it('is empty when nothing was imported with e-PPGBM results (the demo)', async () => {
    expect(await eppgbmDisagreementsByPosyandu(t.db, { kabupatenCode: '62.01' })).toEqual([]);
  });
});

describe('duplicates: review, merge, undo, reject', () => {
  const snapshot = async (ids: number[]) => ({
    measurements: (await sql`SELECT id, child_id, birth_date, sex, zlen, zwei, zwfl, weight_gain, two_t FROM measurement WHERE child_id = ANY(${ids}::bigint[]) ORDER BY id`.execute(t.db)).rows,
    services: (await sql`SELECT id, child_id FROM service WHERE child_id = ANY(${ids}::bigint[]) ORDER BY id`.execute(t.db)).rows,
    children: (await sql`SELECT id, exited_on, exit_reason, merged_into FROM child WHERE id = ANY(${ids}::bigint[]) ORDER BY id`.execute(t.db)).rows,
    rollupDesa: (await sql`SELECT * FROM rollup_desa_month ORDER BY desa_code, month`.execute(t.db)).rows,
    rollupPosyandu: (await sql`SELECT * FROM rollup_posyandu_month ORDER BY posyandu_id, month`.execute(t.db)).rows,
    total: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM measurement`.execute(t.db)).rows[0].n,
  });

  it('proposes the planted duplicate pairs for review', async () => {
    const open = await listCandidates(t.db, { status: 'usulan' });
    const planted = demo.faultChildren.filter((c) => c.originalChildId !== null);
    const key = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
    const proposed = new Set(open.map((c) => key(c.childA, c.childB)));
    const found = planted.filter((c) => proposed.has(key(c.childId, c.originalChildId as number)));
    expect(planted.length).toBeGreaterThan(3);
    expect(found.length / planted.length).toBeGreaterThanOrEqual(0.8);
    // Few proposals that are not planted pairs: the officer's list stays short.
    expect(open.length - found.length).toBeLessThanOrEqual(Math.max(5, found.length));
  });

  it('merges a pair without deleting anything, and undo restores every row and rollup', async () => {
    const open = await listCandidates(t.db, { status: 'usulan' });
    const pair = demo.faultChildren.find((c) => c.originalChildId !== null && open.some((o) => o.childA === Math.min(c.childId, c.originalChildId as number) && o.childB === Math.max(c.childId, c.originalChildId as number)));
    expect(pair).toBeDefined();
    if (!pair) return;
    const survivor = pair.originalChildId as number;
    const merged = pair.childId;
    const before = await snapshot([survivor, merged]);
    const movedCount = before.measurements.filter((m) => (m as { child_id: number }).child_id === merged).length;
    expect(movedCount).toBeGreaterThan(0);

    const r = await mergeChildren(t.db, t.deps, survivor, merged, { userId: null });
    expect(r.measurementsMoved).toBe(movedCount);
    const after = await snapshot([survivor, merged]);
    expect(after.total).toBe(before.total);
    expect(after.measurements.every((m) => (m as { child_id: number }).child_id === survivor)).toBe(true);
    expect(after.measurements).toHaveLength(before.measurements.length);
    const mergedRow = after.children.find((c) => (c as { id: number }).id === merged) as { merged_into: number; exit_reason: string };
    expect(mergedRow.merged_into).toBe(survivor);
    const candidate = await listCandidates(t.db, { status: 'digabung' });
    expect(candidate.map((c) => [c.childA, c.childB])).toContainEqual([Math.min(survivor, merged), Math.max(survivor, merged)]);
    // The merged record no longer counts as a registered child (S) anywhere.
    const registered = (rows: unknown[]) => rows.reduce<number>((a, x) => a + (x as { registered: number }).registered, 0);
    const regBefore = registered(before.rollupDesa);
    const regAfter = registered(after.rollupDesa);
    expect(regAfter).toBeLessThan(regBefore);
    const audit = await sql<{ action: string; details: { mergeId: number } }>`SELECT action, details FROM audit_log WHERE action LIKE 'child.merge%' ORDER BY id`.execute(t.db);
    expect(audit.rows.at(-1)).toMatchObject({ action: 'child.merge', details: { mergeId: r.mergeId } });

    await expect(mergeChildren(t.db, t.deps, survivor, merged)).rejects.toBeInstanceOf(AppError);
    await expect(mergeChildren(t.db, t.deps, survivor, survivor)).rejects.toBeInstanceOf(AppError);

    const u = await undoMerge(t.db, t.deps, r.mergeId, { userId: null });
    expect(u.measurementsMoved).toBe(movedCount);
    const restored = await snapshot([survivor, merged]);
    expect(restored).toEqual(before);
    expect((await listCandidates(t.db, { status: 'digabung' })).length).toBe(0);
    await expect(undoMerge(t.db, t.deps, r.mergeId)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('recomputes z-scores when the surviving record has another birth date, and undo puts them back', async () => {
    const pair = demo.faultChildren.find((c) => c.originalChildId !== null);
    if (!pair) throw new Error('no planted pair');
    const kids = await sql<{ id: number; birth_date: string }>`SELECT id, birth_date FROM child WHERE id IN (${pair.childId}, ${pair.originalChildId})`.execute(t.db);
    const survivor = pair.originalChildId as number;
    const before = await snapshot([survivor, pair.childId]);
    const r = await mergeChildren(t.db, t.deps, survivor, pair.childId);
    const sameBirth = kids.rows[0].birth_date === kids.rows[1].birth_date;
    expect(r.growthRecomputed).toBe(!sameBirth);
    const births = await sql<{ n: number }>`SELECT count(DISTINCT birth_date)::int AS n FROM measurement WHERE child_id = ${survivor}`.execute(t.db);
    expect(births.rows[0].n).toBe(1);
    await undoMerge(t.db, t.deps, r.mergeId);
    expect(await snapshot([survivor, pair.childId])).toEqual(before);
  });

  it('rejects a pair for good: a new search does not propose it again', async () => {
    const [first] = await listCandidates(t.db, { status: 'usulan' });
    await rejectCandidate(t.db, first.id, { userId: null });
    await expect(rejectCandidate(t.db, first.id)).rejects.toMatchObject({ code: 'conflict' });
    await refreshDuplicateCandidates(t.db, '62.01');
    const rejected = await listCandidates(t.db, { status: 'ditolak' });
    expect(rejected.map((c) => c.id)).toEqual([first.id]);
    const open = await listCandidates(t.db, { status: 'usulan' });
    expect(open.some((c) => c.childA === first.childA && c.childB === first.childB)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { upgradeFigures } from './figures-upgrade.js';
import { actionStatus, daysOverdue, movement } from './follow-up.js';
import { previousPeriod, monthsOf, weeksOf, clipPeriod } from './period.js';
import { roleGaps, rolesMatrix, type RoleInput } from './roles.js';
import { performanceRatio, scoreStatus, trendOf } from './scorecard.js';
import { resolveTarget, type TargetRow } from './targets.js';

const T = { achievedRatio: 1, nearRatio: 0.9 };

describe('scoreStatus at the threshold edges', () => {
  it('higher is better: on target, 0.9 × target, just below', () => {
    expect(scoreStatus(90, 90, 'higher_better', T)).toBe('tercapai');
    expect(scoreStatus(95, 90, 'higher_better', T)).toBe('tercapai');
    expect(scoreStatus(89.99, 90, 'higher_better', T)).toBe('hampir_tercapai');
    expect(scoreStatus(81, 90, 'higher_better', T)).toBe('hampir_tercapai');
    expect(scoreStatus(80.99, 90, 'higher_better', T)).toBe('belum_tercapai');
    expect(scoreStatus(0, 90, 'higher_better', T)).toBe('belum_tercapai');
  });
  it('lower is better: prevalence and unwanted pregnancies judged target ÷ achievement', () => {
    expect(scoreStatus(14, 14, 'lower_better', T)).toBe('tercapai');
    expect(scoreStatus(12.49, 14, 'lower_better', T)).toBe('tercapai');
    expect(scoreStatus(0, 14, 'lower_better', T)).toBe('tercapai');
    expect(scoreStatus(14.01, 14, 'lower_better', T)).toBe('hampir_tercapai');
    expect(scoreStatus(14 / 0.9, 14, 'lower_better', T)).toBe('hampir_tercapai');
    expect(scoreStatus(15.6, 14, 'lower_better', T)).toBe('belum_tercapai');
    expect(scoreStatus(25, 18.8, 'lower_better', T)).toBe('belum_tercapai');
    expect(performanceRatio(28, 14, 'lower_better')).toBe(0.5);
  });
  it('tidak ada data without an achievement or a target; thresholds are configurable', () => {
    expect(scoreStatus(null, 90, 'higher_better', T)).toBe('tidak_ada_data');
    expect(scoreStatus(50, null, 'higher_better', T)).toBe('tidak_ada_data');
    const strict = { achievedRatio: 1, nearRatio: 0.95 };
    expect(scoreStatus(85, 90, 'higher_better', strict)).toBe('belum_tercapai');
    expect(scoreStatus(85.5, 90, 'higher_better', strict)).toBe('hampir_tercapai');
    expect(scoreStatus(72, 80, 'higher_better', { achievedRatio: 0.9, nearRatio: 0.8 })).toBe('tercapai');
  });
  it('trend follows the direction, with a tolerance', () => {
    expect(trendOf(20, 22, 'lower_better', 0.5)).toEqual({ trend: 'membaik', delta: -2 });
    expect(trendOf(20, 22, 'higher_better', 0.5)).toEqual({ trend: 'memburuk', delta: -2 });
    expect(trendOf(80.4, 80, 'higher_better', 0.5).trend).toBe('tetap');
    expect(trendOf(80.5, 80, 'higher_better', 0.5).trend).toBe('tetap');
    expect(trendOf(80.6, 80, 'higher_better', 0.5).trend).toBe('membaik');
    expect(trendOf(null, 80, 'higher_better', 0.5).trend).toBe('tidak_ada_data');
  });
});

describe('targets', () => {
  const row = (p: Partial<TargetRow>): TargetRow => ({ indicatorId: 'SPE-03', year: 2024, level: 'nasional', regionCode: null, value: 58, sourceKey: 'perpres72-lampiran-a', verified: true, origin: 'catalogue', ...p });
  const rows = [row({}), row({ value: 80, sourceKey: 'ran-pasti-metadata' }), row({ year: 2023, value: 50, sourceKey: 'kemenkes-11-intervensi-2023' })];
  const choice = { preferences: new Map<string, string>(), sourcePriority: ['perpres72-lampiran-a', 'ran-pasti-metadata'], carryForward: true };
  it('keeps both disagreeing documents and chooses by priority, or by the district preference', () => {
    const t = resolveTarget(rows, '62.01.02.2010', 2024, choice);
    expect(t?.value).toBe(58);
    expect(t?.alternatives).toEqual([{ value: 80, sourceKey: 'ran-pasti-metadata', year: 2024, level: 'nasional' }]);
    const p = resolveTarget(rows, '62.01', 2024, { ...choice, preferences: new Map([['SPE-03|2024', 'ran-pasti-metadata']]) });
    expect(p?.value).toBe(80);
    expect(p?.alternatives.map((a) => a.value)).toEqual([58]);
  });
  it('a desa or district target overrides the national one; other desa keep the national', () => {
    const own = [...rows, row({ level: 'desa', regionCode: '62.01.02.2010', value: 65, sourceKey: 'perpres72-lampiran-a', origin: 'district' }),
      row({ level: 'kabupaten', regionCode: '62.01', value: 70, origin: 'district' })];
    expect(resolveTarget(own, '62.01.02.2010', 2024, choice)?.value).toBe(65);
    expect(resolveTarget(own, '62.01.02.2011', 2024, choice)?.value).toBe(70);
    expect(resolveTarget(own, '62.01.02', 2024, choice)?.level).toBe('kabupaten');
  });
  it('carries the latest earlier target forward when the year has none (and says so)', () => {
    const t = resolveTarget(rows, '62.01', 2025, choice);
    expect(t?.value).toBe(58);
    expect(t?.carriedFrom).toBe(2024);
    expect(resolveTarget(rows, '62.01', 2025, { ...choice, carryForward: false })).toBeNull();
    expect(resolveTarget(rows, '62.01', 2022, choice)).toBeNull();
  });
});

describe('follow-up actions: overdue detection', () => {
  it('an unfinished action past its due date is terlambat; on the due date it is not', () => {
    expect(actionStatus({ status: 'open', due_on: '2025-09-30' }, '2025-10-01')).toBe('terlambat');
    expect(daysOverdue({ status: 'in_progress', due_on: '2025-09-30' }, '2025-11-27')).toBe(58);
    expect(actionStatus({ status: 'in_progress', due_on: '2025-09-30' }, '2025-09-30')).toBe('berjalan');
    expect(actionStatus({ status: 'open', due_on: '2025-12-31' }, '2025-11-27')).toBe('direncanakan');
    expect(actionStatus({ status: 'done', due_on: '2025-01-31' }, '2025-11-27')).toBe('selesai');
    expect(actionStatus({ status: 'cancelled', due_on: '2025-01-31' }, '2025-11-27')).toBe('dibatalkan');
    expect(daysOverdue({ status: 'done', due_on: '2025-01-31' }, '2025-11-27')).toBe(0);
  });
  it('reports whether a linked indicator moved', () => {
    expect(movement('SPE-07', '62.01.01', 70, 78, 'higher_better', 0.5)).toMatchObject({ trend: 'membaik', delta: 8 });
    expect(movement('OUT-01', '62.01.01', 20, 22, 'lower_better', 0.5).trend).toBe('memburuk');
  });
});

describe('roles matrix and gaps', () => {
  const inputs: RoleInput[] = [
    { kind: 'action', id: 1, stakeholderType: 'nakes', stakeholder: 'Puskesmas Kumai', indicatorIds: ['SPE-07', 'OUT-01'], regionCodes: ['62.01.01'], active: true },
    { kind: 'commitment', id: 7, stakeholderType: 'csr', stakeholder: 'PT Contoh', indicatorIds: ['SEN-05'], regionCodes: ['62.01.02.2010'], active: true },
    { kind: 'action', id: 2, stakeholderType: 'pemdes', stakeholder: 'Desa Rangda', indicatorIds: ['SPE-07'], regionCodes: ['62.01.02.2010'], active: false },
    { kind: 'action', id: 3, stakeholderType: 'opd', stakeholder: 'DP3APPKB', indicatorIds: ['SEN-07'], regionCodes: [], active: true },
  ];
  const cells = rolesMatrix(inputs, '62.01');
  it('has one cell per stakeholder × indicator × region from active actions and commitments', () => {
    expect(cells.map((c) => `${c.stakeholder}|${c.indicatorId}|${c.regionCode}`)).toEqual([
      'PT Contoh|SEN-05|62.01.02.2010', 'Puskesmas Kumai|OUT-01|62.01.01', 'Puskesmas Kumai|SPE-07|62.01.01', 'DP3APPKB|SEN-07|62.01',
    ]);
    expect(cells.find((c) => c.stakeholder === 'PT Contoh')?.commitments).toEqual([7]);
  });
  it('a gap is an off-track desa × indicator nobody covers (a kecamatan or district action covers its desa)', () => {
    const off = [
      { indicatorId: 'SPE-07', desaCode: '62.01.01.2001', status: 'belum_tercapai' },
      { indicatorId: 'SPE-07', desaCode: '62.01.02.2010', status: 'belum_tercapai' },
      { indicatorId: 'SEN-05', desaCode: '62.01.02.2010', status: 'belum_tercapai' },
      { indicatorId: 'SEN-05', desaCode: '62.01.02.2011', status: 'belum_tercapai' },
      { indicatorId: 'SEN-07', desaCode: '62.01.06.2001', status: 'belum_tercapai' },
    ];
    expect(roleGaps(cells, off)).toEqual([
      { indicatorId: 'SPE-07', desaCode: '62.01.02.2010', status: 'belum_tercapai' },
      { indicatorId: 'SEN-05', desaCode: '62.01.02.2011', status: 'belum_tercapai' },
    ]);
  });
});

describe('periods', () => {
  it('previous period has the same length', () => {
    expect(previousPeriod({ start: '2025-01-01', end: '2025-12-31' })).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    expect(previousPeriod({ start: '2025-01-01', end: '2025-06-30' })).toEqual({ start: '2024-07-01', end: '2024-12-31' });
    expect(monthsOf({ start: '2025-01-01', end: '2025-11-27' })).toHaveLength(11);
    expect(weeksOf({ start: '2025-01-01', end: '2025-01-14' })).toBe(2);
    expect(clipPeriod({ start: '2025-01-01', end: '2025-12-31' }, '2025-11-27').end).toBe('2025-11-27');
  });
});

describe('snapshots frozen by version 1', () => {
  it('are shown as frozen, reshaped: desa map, annual routine from the months, priority reasons in words', () => {
    const v1 = {
      version: 1, regions: [{ code: '62.01.01.2001', name: 'Sungai Cabang' }],
      trend: [
        { month: '2024-12', stunted: 4, stuntingDenom: 10, measured: 10, registered: 20 },
        { month: '2025-01', stunted: 9, stuntingDenom: 58, measured: 60, registered: 70 },
        { month: '2025-02', stunted: 6, stuntingDenom: 30, measured: 30, registered: 50 },
      ],
      desaLatest: [{ desaCode: '62.01.01.2001', month: '2025-02', stunted: 6, stuntingDenom: 30, measured: 30, registered: 50 }],
      priority: [{ desaCode: '62.01.01.2001', rank: 1, score: 100, prevalence: 21.5, rawPrevalence: 20, stunted: 6, coverage: 60, offTrack: 2,
        reasons: [{ code: 'prevalence', value: 21.5, rank: 1 }, { code: 'stunted', value: 6, rank: 2 }] }],
    };
    const f = upgradeFigures(v1);
    expect(f.version).toBe(2);
    expect(f.desaYear).toEqual([{ desaCode: '62.01.01.2001', prevalence: 20, stunted: 6, denominator: 30 }]);
    expect(f.routineYears.map((y) => [y.year, y.prevalencePercent])).toEqual([[2024, 40], [2025, (100 * 15) / 88]]);
    expect(f.trend[0].change).toBeNull();
    expect(f.priority[0]).toMatchObject({ name: 'Sungai Cabang', rank: 1, score: 100, shrunkPrevalence: 21.5, rawPrevalence: 20, status: 'ranked' });
    expect(f.priority[0].reasons.map((r) => r.text.id)).toEqual(['prevalensi 21,5 % (peringkat 1)', '6 balita stunting (peringkat 2)']);
    const v2 = { ...f };
    expect(upgradeFigures(v2)).toBe(v2);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../common/random.js';
import { scoreValidityBatch, type BatchVisit } from './validity-batch.js';

const DAY0 = Date.UTC(2025, 0, 10) / 86_400_000;
const monthOf = (day: number) => `${new Date(day * 86_400_000).toISOString().slice(0, 7)}-01`;

interface Fault { roundHeights?: boolean; copyWeights?: boolean; boardShortFrom?: number; birthOn1st?: boolean }

/** 30 children of one posyandu measured on 4 monthly visits; honest unless a fault is given. */
function posyandu(posyanduId: number, desaCode: string, puskesmasId: number, firstChild: number, seed: number, fault: Fault = {}): BatchVisit[] {
  const rnd = mulberry32(seed);
  // Sum of three uniforms: mean 0, SD 1, close enough to normal for spread checks.
  const normal = () => (rnd() + rnd() + rnd() - 1.5) * 2;
  const out: BatchVisit[] = [];
  for (let c = 0; c < 30; c++) {
    const childId = firstChild + c;
    const ageDays0 = 200 + Math.floor(rnd() * 1400);
    let birthDay = DAY0 - ageDays0;
    if (fault.birthOn1st && c % 4 !== 3) {
      const d = new Date(birthDay * 86_400_000);
      birthDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000;
    }
    const zw = normal();
    const zh = -1 + normal();
    const za = -0.5 + normal();
    let weight = 6 + ageDays0 / 200 + rnd();
    let height = 65 + ageDays0 / 30 + rnd() * 3;
    for (let v = 0; v < 4; v++) {
      const day = DAY0 + v * 30;
      weight += 0.1 + rnd() * 0.3;
      height += 0.6 + rnd() * 0.4;
      let h = Math.round((height + (rnd() - 0.5) * 0.6) * 10) / 10;
      if (fault.roundHeights) h = Math.round(h * 2) / 2;
      if (fault.boardShortFrom !== undefined && v >= fault.boardShortFrom) h -= 2.5;
      const prev = out.at(-1);
      const w = fault.copyWeights && v > 0 && prev ? (prev.weight as number) : Math.round(weight * 10) / 10;
      const age = day - birthDay;
      out.push({
        childId, day, month: monthOf(day), posyanduId, desaCode, puskesmasId, birthDay, sex: (c % 2) + 1, weight: w, height: h,
        position: age < 731 ? 'L' : 'H', muacCm: null, oedema: false,
        whz: zw + 0.2 * normal(), haz: zh + 0.1 * normal(), waz: za + 0.2 * normal(), eppgbmDiffers: null,
      });
    }
  }
  return out;
}

describe('scoreValidityBatch', () => {
  const visits = [
    ...posyandu(1, '62.01.01.1011', 100, 1000, 1),
    ...posyandu(2, '62.01.01.1011', 100, 2000, 2, { roundHeights: true }),
    ...posyandu(3, '62.01.01.2001', 100, 3000, 3, { copyWeights: true }),
    ...posyandu(4, '62.01.01.2001', 100, 4000, 4, { boardShortFrom: 2 }),
    ...posyandu(5, '62.01.01.2002', 101, 5000, 5, { birthOn1st: true }),
  ];
  const rows = scoreValidityBatch(visits, new Set([1000, 1001, 1002, 1003]));
  const pos = (id: number, month: string) => rows.find((r) => r.level === 'posyandu' && r.unit === String(id) && r.month === month);
  const worst = (id: number, month: string) => pos(id, month)?.problems[0]?.component;

  it('scores every posyandu, desa and puskesmas in every month', () => {
    expect(rows.filter((r) => r.level === 'posyandu')).toHaveLength(5 * 4);
    expect(rows.filter((r) => r.level === 'desa')).toHaveLength(3 * 4);
    expect(rows.filter((r) => r.level === 'puskesmas')).toHaveLength(2 * 4);
    const desa = rows.find((r) => r.level === 'desa' && r.unit === '62.01.01.1011' && r.month === '2025-02-01');
    expect(desa).toMatchObject({ children: 60, measurements: 60, desaCode: '62.01.01.1011', puskesmasId: null });
  });

  it('names the planted problem as the worst one, with the fix', () => {
    expect(worst(2, '2025-02-01')).toBe('heightDigits');
    expect(pos(2, '2025-02-01')?.problems[0].fix.id).toContain('Latih ulang pengukuran panjang');
    expect(worst(3, '2025-03-01')).toBe('repeatedWeight');
    expect(pos(3, '2025-03-01')?.problems[0].fix.id).toContain('Timbang setiap anak');
    expect(worst(4, '2025-03-01')).toBe('heightDecrease');
    expect(worst(5, '2025-01-01')).toBe('birthDayHeaping');
    for (const [id, m] of [[2, '2025-02-01'], [3, '2025-03-01'], [4, '2025-03-01'], [5, '2025-01-01']] as const) {
      expect(pos(id, m)?.score).toBeLessThan(95);
    }
  });

  it('leaves honest data alone, apart from the duplicate candidates it is told about', () => {
    for (const m of ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']) {
      const r = pos(1, m);
      expect(r?.duplicateRecords).toBe(4);
      expect(r?.problems.map((p) => p.component)).toEqual(['duplicates']);
    }
    // The falling length shows only at the visit where the board changed.
    expect(pos(4, '2025-04-01')?.problems.map((p) => p.component)).not.toContain('heightDecrease');
  });

  it('does not judge a unit with fewer than the minimum children, but still counts it', () => {
    const few = scoreValidityBatch(visits.filter((v) => v.posyanduId === 2 && v.childId < 2008), new Set());
    const r = few.find((x) => x.level === 'posyandu');
    expect(r).toMatchObject({ children: 8, score: null, problems: [] });
  });

  it('scores only the months asked for, using earlier visits for the series', () => {
    const only = scoreValidityBatch(visits, new Set(), { months: new Set(['2025-03-01']) });
    expect(new Set(only.map((r) => r.month))).toEqual(new Set(['2025-03-01']));
    expect(only.find((r) => r.level === 'posyandu' && r.unit === '4')?.problems[0].component).toBe('heightDecrease');
  });

  it('counts e-PPGBM disagreement where imported results were compared', () => {
    const withImport = visits.map((v, i) => (v.posyanduId === 1 ? { ...v, eppgbmDiffers: i % 3 === 0 } : v));
    const r = scoreValidityBatch(withImport, new Set()).filter((x) => x.level === 'posyandu' && x.unit === '1');
    const total = r.reduce((a, x) => a + x.eppgbmDisagreements, 0);
    expect(total).toBe(withImport.filter((v) => v.posyanduId === 1 && v.eppgbmDiffers).length);
    expect(r[0].figures.eppgbmCompared).toBe(30);
    expect(r.some((x) => x.problems.some((p) => p.component === 'eppgbmDisagreement'))).toBe(true);
  });
});

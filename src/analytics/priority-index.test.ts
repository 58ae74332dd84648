import { describe, expect, it } from 'vitest';
import { readDefaultAnalyticsConfig } from './analytics-config.schema.js';
import { priorityIndex, type PriorityInput } from './priority-index.js';

const config = { ...readDefaultAnalyticsConfig().priority, keyInterventions: ['K1', 'K2'], minValidityScore: 60 };
config.weights = { shrunkPrevalence: 35, stuntedChildren: 25, trend: 10, coverageGap: 30 };

const base = { previousRate: null, coverage: {}, validity: null } as const;
const inputs: PriorityInput[] = [
  { ...base, desaCode: 'A', name: 'Desa A', stunted: 10, denominator: 50, shrunkRate: 0.2, previousRate: 0.15, coverage: { K1: 0.5, K2: 0.7 } },
  { ...base, desaCode: 'B', name: 'Desa B', stunted: 4, denominator: 40, shrunkRate: 0.12, previousRate: 0.1, coverage: { K1: 0.9, K2: null } },
  { ...base, desaCode: 'C', name: 'Desa C', stunted: 2, denominator: 10, shrunkRate: 0.15 },
  { ...base, desaCode: 'D', name: 'Desa D', stunted: 9, denominator: 30, shrunkRate: 0.3, validity: { score: 50, children: 40, problems: [{ problem: { id: 'Berat badan banyak dibulatkan', en: 'Weight often rounded' } }] } },
  { ...base, desaCode: 'E', name: 'Desa E', stunted: 0, denominator: 0, shrunkRate: null },
];

describe('priority index', () => {
  const result = priorityIndex(inputs, config, new Set(['B', 'D']));
  const row = (code: string) => result.rows.find((r) => r.desaCode === code)!;

  it('ranks by the weighted min–max scores (hand-computed)', () => {
    // Ranges over A, B, C: shrunk 0.12–0.20, stunted 2–10, trend 0–5 points (A, B), gap 0.1–0.4 (A, B).
    // A is the maximum of every component: 100. B: stunted (4−2)/8 = 0.25 × 25 % = 6.25.
    // C has no trend or coverage: weights 35 + 25 renormalised; shrunk (0.15−0.12)/0.08 = 0.375 × 35/60 = 21.875.
    expect(row('A').index).toBeCloseTo(100, 12);
    expect(row('B').index).toBeCloseTo(6.25, 12);
    expect(row('C').index).toBeCloseTo(21.875, 12);
    expect(result.rows.filter((r) => r.status === 'ranked').map((r) => [r.desaCode, r.rank])).toEqual([['A', 1], ['C', 2], ['B', 3]]);
  });

  it('explains every rank component by component, and the points add up to the index', () => {
    for (const r of result.rows.filter((x) => x.status === 'ranked')) {
      expect(r.components.reduce((s, c) => s + c.points, 0)).toBeCloseTo(r.index as number, 12);
    }
    const b = row('B').components;
    expect(b.map((c) => c.component)).toEqual(['shrunkPrevalence', 'stuntedChildren', 'trend', 'coverageGap']);
    expect(b[1].text.id).toBe('Jumlah anak stunting 4: skala 0,25 × bobot 25 % = 6,3 poin');
    expect(b[2].text.en).toBe('Change of the raw prevalence since the previous year 0.0 points (10.0 % → 10.0 %): scaled 0.00 × weight 10 % = 0.0 points');
    expect(b[3].value).toBeCloseTo(0.1, 12);
    expect(b[3].scaled).toBe(0);
    expect(b[3].text.id).toContain('(K1 90 %)');
    const c = row('C').components;
    expect(c[2]).toMatchObject({ value: null, points: 0, effectiveWeight: 0 });
    expect(c[2].text.id).toBe('Tren: tidak ada data, komponen tidak dihitung (bobot dibagi ke komponen lain)');
    expect(c[0].effectiveWeight).toBeCloseTo(35 / 60, 12);
    expect(c[0].text.en).toBe('Stunting prevalence (shrunk toward the kecamatan) 15.0 % — raw 20.0 % (2 of 10 children measured): scaled 0.38 × weight 58 % = 21.9 points');
  });

  it('marks a desa failing validity "verifikasi data dulu" instead of ranking it, and one without data', () => {
    expect(row('D')).toMatchObject({ status: 'verify_data', rank: null, index: null });
    expect(row('D').note?.id).toBe('Verifikasi data dulu: skor validitas 50 di bawah 60 (Berat badan banyak dibulatkan)');
    expect(row('E')).toMatchObject({ status: 'no_data', rank: null });
    // D's high prevalence does not stretch the ranked desa's scale.
    expect(row('A').components[0].scaled).toBe(1);
  });

  it('compares with the lokus list: the top N (N = lokus count) against the list', () => {
    expect(result.lokusCount).toBe(2);
    expect(result.lokusInTop).toBe(0);
    expect(['A', 'C', 'B', 'D', 'E'].map((c) => row(c).lokus)).toEqual(['priority_not_lokus', 'priority_not_lokus', 'lokus_not_priority', 'lokus_not_priority', null]);
    const agree = priorityIndex(inputs, config, new Set(['A']));
    expect(agree.rows.find((r) => r.desaCode === 'A')?.lokusText).toEqual({ id: 'lokus dan prioritas', en: 'lokus and priority' });
    expect(agree.lokusInTop).toBe(1);
  });

  it('follows the weights of the configuration', () => {
    const onlyCount = priorityIndex(inputs, { ...config, weights: { shrunkPrevalence: 0, stuntedChildren: 1, trend: 0, coverageGap: 0 } }, new Set());
    expect(onlyCount.rows.filter((r) => r.status === 'ranked').map((r) => [r.desaCode, r.index])).toEqual([['A', 100], ['B', 25], ['C', 0]]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkSeries, summariseIssues, type Visit } from './longitudinal.js';

const BIRTH = 20000; // a day number
const monthly = (n: number, f: (i: number) => Partial<Visit>, startAgeDays = 200): Visit[] =>
  Array.from({ length: n }, (_, i) => ({ id: `v${i}`, day: BIRTH + startAgeDays + i * 30, ...f(i) }));

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('longitudinal checks on one child', () => {
  it('finds nothing in a plausible series', () => {
    const v = monthly(6, (i) => ({ weight: 7.5 + 0.3 * i, height: 66 + 1.1 * i, measure: 'l', whz: -0.5 + 0.1 * i, ageDays: 200 + i * 30 }));
    expect(checkSeries(v, BIRTH)).toEqual([]);
  });

  it('flags length falling by more than the tolerance (default 1.0 cm), configurable', () => {
    const v = monthly(3, (i) => ({ height: [70, 68.5, 70.2][i], measure: 'l' }));
    const issues = checkSeries(v, BIRTH);
    expect(issues).toEqual([{ code: 'height_decrease', visitId: 'v1', previousVisitId: 'v0', value: 1.5 }]);
    expect(checkSeries(v, BIRTH, { heightDropToleranceCm: 2 })).toEqual([]);
    // 0.8 cm less is within measurement error.
    expect(checkSeries(monthly(2, (i) => ({ height: [70, 69.2][i], measure: 'l' })), BIRTH)).toEqual([]);
  });

  it('compares length and height on one scale (standing reads 0.7 cm less)', () => {
    // Switch from length 87.0 to height 86.5 at 2 years: +0.7 → 87.2, no decrease.
    const v = monthly(2, (i) => ({ height: [87, 86.5][i], measure: i === 0 ? 'l' : 'h' }), 715);
    expect(codes(checkSeries(v, BIRTH))).not.toContain('height_decrease');
  });

  it('flags implausible weight velocity for the age', () => {
    const gain = monthly(2, (i) => ({ weight: [9, 11.2][i] }), 400); // +2.2 kg in a month at 13 months
    const issue = checkSeries(gain, BIRTH).find((x) => x.code === 'weight_velocity');
    expect(issue?.detail).toBe('gain');
    expect(issue?.value).toBeGreaterThan(2);
    const loss = monthly(2, (i) => ({ weight: [12, 10.2][i] }), 900);
    expect(checkSeries(loss, BIRTH).find((x) => x.code === 'weight_velocity')?.detail).toBe('loss');
    // An infant gaining 1.2 kg in a month is normal.
    expect(checkSeries(monthly(2, (i) => ({ weight: [4, 5.2][i] }), 30), BIRTH)).toEqual([]);
  });

  it('flags z-score jumps > 2 between monthly visits, not across long gaps', () => {
    const v = monthly(2, (i) => ({ haz: [-1, -3.4][i] }));
    expect(checkSeries(v, BIRTH)).toEqual([{ code: 'z_jump', visitId: 'v1', previousVisitId: 'v0', value: -2.4, detail: 'haz' }]);
    const gap: Visit[] = [
      { id: 'a', day: BIRTH + 200, haz: -1 },
      { id: 'b', day: BIRTH + 400, haz: -3.4 },
    ];
    expect(checkSeries(gap, BIRTH)).toEqual([]);
  });

  it('flags weight and height copied unchanged over 3 or more visits', () => {
    const v = monthly(5, (i) => ({ weight: i < 4 ? 10.2 : 10.6, height: i < 4 ? 80.1 : 81 }));
    expect(checkSeries(v, BIRTH)).toEqual([{ code: 'copied_values', visitId: 'v3', previousVisitId: 'v0', value: 4 }]);
    expect(checkSeries(v.slice(0, 2), BIRTH)).toEqual([]);
  });

  it('flags measuring position inconsistent with age', () => {
    const young = [{ id: 'y', day: BIRTH + 300, height: 72, measure: 'h' as const }];
    const old = [{ id: 'o', day: BIRTH + 900, height: 90, measure: 'l' as const }];
    expect(checkSeries(young, BIRTH)).toEqual([{ code: 'position_age', visitId: 'y', value: 300, detail: 'h' }]);
    expect(codes(checkSeries(old, BIRTH))).toEqual(['position_age']);
    // Without a birth date the recorded age is used.
    expect(codes(checkSeries([{ id: 'r', day: 1, ageDays: 100, measure: 'h' }]))).toEqual(['position_age']);
  });

  it('flags recorded age inconsistent with the birth date', () => {
    const v = [{ id: 'a', day: BIRTH + 400, ageDays: 365 }, { id: 'b', day: BIRTH + 430, ageDays: 430 }];
    expect(checkSeries(v, BIRTH)).toEqual([{ code: 'age_birthdate', visitId: 'a', value: -35 }]);
  });

  it('flags two visits on one day and sorts visits by day first', () => {
    const v: Visit[] = [
      { id: 'late', day: BIRTH + 260, height: 70.5 },
      { id: 'early', day: BIRTH + 230, height: 70 },
      { id: 'dup', day: BIRTH + 260, height: 70.6 },
    ];
    expect(codes(checkSeries(v, BIRTH))).toEqual(['same_day_visits']);
  });

  it('summarises children with each issue', () => {
    const s = summariseIssues([
      [
        { code: 'z_jump', visitId: 'a', value: 3 },
        { code: 'z_jump', visitId: 'b', value: 3 },
      ],
      [],
      [{ code: 'height_decrease', visitId: 'c', value: 2 }],
    ]);
    expect(s.children).toBe(3);
    expect(s.childrenWith.z_jump).toBe(1);
    expect(s.childrenWith.height_decrease).toBe(1);
  });
});

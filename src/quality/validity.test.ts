import { describe, expect, it } from 'vitest';
import { plausibility, type QualityColumns } from './plausibility.js';
import { severityOfP, severityOfShare, validityScore } from './validity.js';
import { mulberry32 } from '../common/random.js';


/** One posyandu-month of ~25 children, optionally with a kader rounding lengths to .0/.5. */
function posyanduMonth(seed: number, roundHeights = false, n = 25): QualityColumns {
  const u = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const cols = { sex: new Uint8Array(n), ageMonths: new Float64Array(n), weight: new Float64Array(n), height: new Float64Array(n), whz: new Float64Array(n), haz: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const a = 60 * Math.pow(u(), 1.1);
    cols.sex[i] = u() < 0.5 ? 1 : 2;
    cols.ageMonths[i] = a;
    cols.weight[i] = Math.round((6 + a / 5 + normal()) * 10) / 10;
    const h = 65 + a * 0.7 + 3 * normal();
    cols.height[i] = roundHeights ? Math.round(h * 2) / 2 : Math.round(h * 10) / 10;
    cols.whz[i] = Math.round((normal() - 0.4) * 100) / 100;
    cols.haz[i] = Math.round((normal() - 1.1) * 100) / 100;
  }
  return cols;
}

describe('severity helpers', () => {
  it('maps p-values and shares onto 0–1', () => {
    expect(severityOfP(0.5)).toBe(0);
    expect(severityOfP(0.01)).toBe(0);
    expect(severityOfP(0.001)).toBeCloseTo(0.5, 12);
    expect(severityOfP(1e-6)).toBe(1);
    expect(severityOfP(NaN)).toBe(0);
    expect(severityOfShare(0.01, 0.02, 0.12)).toBe(0);
    expect(severityOfShare(0.07, 0.02, 0.12)).toBeCloseTo(0.5, 12);
    expect(severityOfShare(0.5, 0.02, 0.12)).toBe(1);
  });
});

describe('validity score per posyandu-month', () => {
  it('rarely flags clean small groups (chance alone is not a problem)', () => {
    let flagged = 0;
    for (let s = 1; s <= 200; s++) if (validityScore({ plausibility: plausibility(posyanduMonth(s)) }).score < 90) flagged++;
    expect(flagged / 200).toBeLessThanOrEqual(0.05);
  });

  it('finds a kader rounding lengths to .0/.5 and says what to do, in Bahasa Indonesia first', () => {
    let found = 0;
    for (let s = 1; s <= 50; s++) {
      const v = validityScore({ plausibility: plausibility(posyanduMonth(s, true)) });
      if (v.score < 90 && v.problems[0]?.component === 'heightDigits') found++;
    }
    expect(found / 50).toBeGreaterThanOrEqual(0.9);
    const v = validityScore({ plausibility: plausibility(posyanduMonth(7, true)) });
    const worst = v.problems[0];
    expect(worst.problem.id).toContain('Panjang/tinggi badan banyak dibulatkan');
    expect(worst.problem.id).toMatch(/angka akhir (0, 5|5, 0)/);
    expect(worst.fix.id).toContain('Latih ulang pengukuran panjang/tinggi badan');
    expect(worst.fix.en).toContain('Retrain length/height measurement');
  });

  it('takes longitudinal problems and duplicates into account, worst first', () => {
    const pl = plausibility(posyanduMonth(3));
    const v = validityScore({
      plausibility: pl,
      longitudinal: {
        children: 25,
        childrenWith: { height_decrease: 4, weight_velocity: 0, z_jump: 0, copied_values: 5, position_age: 0, age_birthdate: 0, same_day_visits: 0 },
      },
      duplicates: { records: 25, inCandidatePairs: 2 },
    });
    // 4/25 children with falling length (16 % ≥ 12 %), 5/25 copied, 2/25 records in duplicate pairs: all full.
    expect(v.problems.map((p) => p.component)).toEqual(['heightDecrease', 'duplicates', 'copiedValues']);
    expect(v.problems.map((p) => p.deduction)).toEqual([10, 10, 8]);
    expect(v.problems[0].problem.id).toContain('4 anak');
    expect(v.problems[1].fix.id).toContain('Gabungkan data ganda');
    expect(v.score).toBe(72);
    expect(v.assessed).toContain('positionAge');
  });

  it('catches data that are too even to be real (SD far below 0.8)', () => {
    const cols = posyanduMonth(11, false, 60);
    for (let i = 0; i < 60; i++) (cols.whz as Float64Array)[i] = -0.5 + 0.3 * Math.sin(i);
    const v = validityScore({ plausibility: plausibility(cols) });
    expect(v.problems.some((p) => p.component === 'spreadNarrow')).toBe(true);
  });

  it('does not judge groups too small to judge', () => {
    const v = validityScore({ plausibility: plausibility(posyanduMonth(5, true, 6)) });
    expect(v.score).toBe(100);
    expect(v.assessed).toEqual([]);
  });
});

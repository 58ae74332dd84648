import { describe, expect, it } from 'vitest';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from './permenkes.js';

const label = (s: { id: string } | null) => s?.id ?? null;

describe('Permenkes 2/2020 status at each cut-off (rounded z)', () => {
  it('BB/U: < −3 | −3 ≤ z < −2 | −2 ≤ z ≤ +1 | > +1', () => {
    expect(label(weightForAgeStatus(-3.01))).toBe('Berat badan sangat kurang');
    expect(label(weightForAgeStatus(-3))).toBe('Berat badan kurang');
    expect(label(weightForAgeStatus(-2.01))).toBe('Berat badan kurang');
    expect(label(weightForAgeStatus(-2))).toBe('Berat badan normal');
    expect(label(weightForAgeStatus(1))).toBe('Berat badan normal');
    expect(label(weightForAgeStatus(1.01))).toBe('Risiko berat badan lebih');
    expect(weightForAgeStatus(-3.5)?.en).toBe('Severely underweight');
    expect(weightForAgeStatus(-2.5)?.en).toBe('Underweight');
  });

  it('PB/U–TB/U: < −3 Sangat pendek | −3 ≤ z < −2 Pendek | −2 ≤ z ≤ +3 Normal | > +3 Tinggi', () => {
    expect(lengthForAgeStatus(-3.01)).toMatchObject({ code: 'severely_stunted', id: 'Sangat pendek', en: 'Severely stunted' });
    expect(lengthForAgeStatus(-3)).toMatchObject({ code: 'stunted', id: 'Pendek', en: 'Stunted' });
    expect(label(lengthForAgeStatus(-2.01))).toBe('Pendek');
    expect(label(lengthForAgeStatus(-2))).toBe('Normal');
    expect(label(lengthForAgeStatus(3))).toBe('Normal');
    expect(lengthForAgeStatus(3.01)).toMatchObject({ code: 'tall', id: 'Tinggi' });
  });

  it('BB/PB–BB/TB: Gizi buruk, Gizi kurang, Gizi baik, Berisiko gizi lebih, Gizi lebih, Obesitas', () => {
    const cases: [number, string, string][] = [
      [-3.01, 'Gizi buruk', 'Severely wasted'],
      [-3, 'Gizi kurang', 'Wasted'],
      [-2.01, 'Gizi kurang', 'Wasted'],
      [-2, 'Gizi baik', 'Normal'],
      [1, 'Gizi baik', 'Normal'],
      [1.01, 'Berisiko gizi lebih', 'Possible risk of overweight'],
      [2, 'Berisiko gizi lebih', 'Possible risk of overweight'],
      [2.01, 'Gizi lebih', 'Overweight'],
      [3, 'Gizi lebih', 'Overweight'],
      [3.01, 'Obesitas', 'Obese'],
    ];
    for (const [z, id, en] of cases) {
      expect(weightForLengthStatus(z)).toMatchObject({ id, en });
      expect(bmiForAgeStatus(z)).toMatchObject({ id, en }); // IMT/U 0–60 months: same labels and cut-offs
    }
  });

  it('missing z → no status; a flagged z keeps its status, marked flagged', () => {
    expect(weightForAgeStatus(null)).toBeNull();
    expect(lengthForAgeStatus(NaN)).toBeNull();
    expect(lengthForAgeStatus(-6.5, 1)).toMatchObject({ id: 'Sangat pendek', flagged: true });
    expect(lengthForAgeStatus(-6.5, 0)).toMatchObject({ id: 'Sangat pendek', flagged: false });
    expect(lengthForAgeStatus(-2.5)?.flagged).toBe(false);
  });
});

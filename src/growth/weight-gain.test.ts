import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { completedMonths, judgeWeightGain, judgeWeightGainSeries, kbmGrams, parseKbmTable, type Weighing } from './weight-gain.js';

// The shipped table (data/kbm.json), validated by the same schema the loader uses.
const kbm = parseKbmTable(JSON.parse(readFileSync(new URL('../../data/kbm.json', import.meta.url), 'utf8')));
const w = (date: string, weightKg: number, ageMonths: number): Weighing => ({ date, weightKg, ageMonths });

describe('KBM table', () => {
  it('matches DOMAIN.md §5.3 by completed month of age', () => {
    const expected = [800, 800, 900, 800, 600, 500, 400, 400, 300, 300, 300, 200, 200];
    expected.forEach((g, age) => expect(kbmGrams(kbm, age)).toBe(g));
    expect(kbmGrams(kbm, 36)).toBe(200);
    expect(kbmGrams(kbm, 60)).toBe(200);
    expect(kbmGrams(kbm, 70)).toBe(200); // beyond the table: nearest row
  });

  it('rejects a table with gaps or bad values', () => {
    expect(() => parseKbmTable({ source: 'x', rows: [{ fromMonth: 0, toMonth: 1, grams: 800 }, { fromMonth: 3, toMonth: 60, grams: 200 }] })).toThrow(/gaps/);
    expect(() => parseKbmTable({ source: 'x', rows: [{ fromMonth: 0, toMonth: 60, grams: -5 }] })).toThrow(/grams/);
    expect(() => parseKbmTable({ rows: [] })).toThrow();
  });
});

describe('completed months of age (calendar)', () => {
  it('counts a month only when the day of the month is reached', () => {
    expect(completedMonths('2024-01-15', '2024-02-14')).toBe(0);
    expect(completedMonths('2024-01-15', '2024-02-15')).toBe(1);
    expect(completedMonths('2023-03-31', '2024-03-30')).toBe(11);
    expect(Number.isNaN(completedMonths('2024-05-01', '2024-04-01'))).toBe(true);
  });
});

describe('N / T / O / B judgement', () => {
  it('N when the gain reaches the KBM, T below it', () => {
    const n = judgeWeightGain(w('2025-02-10', 9.0, 14), w('2025-03-08', 9.2, 15), kbm);
    expect(n).toMatchObject({ code: 'N', gainGrams: 200, kbmGrams: 200, twoT: false });
    expect(n.reason).toEqual({ id: 'naik 200 g, KBM 200 g → N', en: 'gained 200 g, minimum 200 g → N' });
    const t = judgeWeightGain(w('2025-02-10', 8.0, 14), w('2025-03-08', 8.15, 15), kbm);
    expect(t).toMatchObject({ code: 'T', gainGrams: 150 });
    expect(t.reason).toEqual({ id: 'naik 150 g, KBM 200 g → T', en: 'gained 150 g, minimum 200 g → T' });
  });

  it('a loss or no change is T', () => {
    expect(judgeWeightGain(w('2025-02-10', 8.3, 14), w('2025-03-08', 8.2, 15), kbm).reason.id).toBe('turun 100 g, KBM 200 g → T');
    expect(judgeWeightGain(w('2025-02-10', 8.3, 14), w('2025-03-08', 8.3, 15), kbm)).toMatchObject({
      code: 'T',
      gainGrams: 0,
      reason: { id: 'berat tetap (0 g), KBM 200 g → T', en: 'no weight change (0 g), minimum 200 g → T' },
    });
  });

  it('uses the KBM of the age at the current weighing (young infants need more)', () => {
    expect(judgeWeightGain(w('2025-01-05', 5.0, 1), w('2025-02-05', 5.85, 2), kbm)).toMatchObject({ code: 'T', kbmGrams: 900 });
    expect(judgeWeightGain(w('2025-01-05', 5.0, 1), w('2025-02-05', 5.9, 2), kbm)).toMatchObject({ code: 'N', kbmGrams: 900 });
  });

  it('"last month" is the previous calendar month: 31 Jan → 1 Feb is consecutive, Jan → Mar is O', () => {
    expect(judgeWeightGain(w('2025-01-31', 9, 14), w('2025-02-01', 9.3, 15), kbm).code).toBe('N');
    const o = judgeWeightGain(w('2025-01-31', 9, 14), w('2025-03-01', 9.5, 16), kbm);
    expect(o.code).toBe('O');
    expect(o.reason.id).toBe('tidak ditimbang bulan lalu (terakhir 2 bulan lalu) → O');
    expect(judgeWeightGain(w('2024-12-20', 9, 14), w('2025-01-03', 9.3, 15), kbm).code).toBe('N');
  });

  it('B for the first weighing; null (not judged) for invalid data', () => {
    expect(judgeWeightGain(null, w('2025-03-08', 3.4, 0), kbm)).toMatchObject({ code: 'B', reason: { id: 'penimbangan pertama → B', en: 'first weighing → B' } });
    expect(judgeWeightGain(null, w('2025-02-30', 3.4, 0), kbm).code).toBeNull();
    expect(judgeWeightGain(w('2025-01-08', 0, 0), w('2025-02-08', 4, 1), kbm).code).toBeNull();
    expect(judgeWeightGain(w('2025-02-01', 4, 0), w('2025-02-20', 4.2, 1), kbm).code).toBeNull();
  });
});

describe('series and 2T', () => {
  it('gives B, N, T, 2T, O in order and flags 2T for two T months in a row', () => {
    const visits = [
      w('2025-01-10', 9.0, 12),
      w('2025-02-10', 9.3, 13), // N
      w('2025-03-10', 9.35, 14), // T
      w('2025-04-10', 9.3, 15), // T again → 2T
      w('2025-06-10', 9.8, 17), // O
      w('2025-07-10', 9.9, 18), // T, but after O: not 2T
    ];
    const r = judgeWeightGainSeries(visits, kbm);
    expect(r.map((j) => j.code)).toEqual(['B', 'N', 'T', 'T', 'O', 'T']);
    expect(r.map((j) => j.twoT)).toEqual([false, false, false, true, false, false]);
    expect(r[3].reason.id).toBe('turun 50 g, KBM 200 g → T; T dua bulan berturut-turut → 2T, rujuk ke puskesmas');
    expect(r[3].reason.en).toContain('T two months in a row → 2T');
  });

  it('accepts visits in any order and compares a re-weighing with the previous month', () => {
    const visits = [w('2025-03-20', 9.5, 14), w('2025-02-10', 9.0, 13), w('2025-03-05', 9.1, 14)];
    const r = judgeWeightGainSeries(visits, kbm);
    expect(r[1].code).toBe('B');
    expect(r[2]).toMatchObject({ code: 'T', gainGrams: 100 });
    expect(r[0]).toMatchObject({ code: 'N', gainGrams: 500 });
  });
});

import { describe, expect, it } from 'vitest';
import { faultRecall, type PosyanduMonthScore } from './fault-recall.js';

const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const series = (posyanduId: number, scores: (number | null)[]): PosyanduMonthScore[] => scores.map((score, i) => ({ posyanduId, month: months[i], score }));

describe('faultRecall', () => {
  it('counts persistent problems, not single noisy months, and ranks the least valid first', () => {
    const scores = [
      ...series(1, [100, 85, 86, 100, 100, 100]), // faulty: two bad months in a row
      ...series(2, [100, 100, 100, 92, 100, 93]), // faulty from 2025-04: bad in 2 of 3 months
      ...series(3, [100, 90, 100, 100, 100, 100]), // clean, one noisy month: not flagged
      ...series(4, [94, 93, 100, 100, 100, 100]), // clean but persistently low: a false alarm
      ...series(5, [100, 100, 100, 100, 100, null]),
      ...series(6, [100, 99, 100, 98, 100, 100]),
    ];
    const r = faultRecall(scores, [
      { posyanduId: 1, kind: 'digit_preference', firstMonth: '2025-02', lastMonth: '2025-06' },
      { posyanduId: 2, kind: 'copied_weight', firstMonth: '2025-04', lastMonth: '2025-06' },
    ]);
    expect(r.posyandu).toMatchObject({ faulty: 2, found: 2, recall: 1, clean: 4, falseAlarms: 1, falseAlarmRate: 0.25 });
    expect(r.findings.map((f) => [f.posyanduId, f.rank, f.persistentScore])).toEqual([[1, 1, 86], [2, 2, 93]]);
    // month level: faulty months 5 + 3, flagged 2 + 2; clean months 6+6+5+6 = 23, flagged 2 (posyandu 4) + 1 (posyandu 3)
    expect(r.months).toMatchObject({ faulty: 8, flagged: 4, clean: 23, falseAlarms: 3 });
  });

  it('does not count a fault as found when its only bad months are outside the fault', () => {
    const r = faultRecall(series(1, [80, 80, 100, 100, 100, 100]), [{ posyanduId: 1, kind: 'x', firstMonth: '2025-04', lastMonth: '2025-06' }]);
    expect(r.findings[0].found).toBe(false);
    expect(r.posyandu.recall).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, isoDate, isoDayNumber } from './dates.js';

describe('calendar days', () => {
  it('agree with Date.UTC on every day from 1900 to 2100', () => {
    for (let day = Date.UTC(1900, 0, 1) / 86_400_000; day < Date.UTC(2100, 0, 1) / 86_400_000; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const [y, m, d] = civilFromDays(day);
      expect(daysFromCivil(y, m, d)).toBe(day);
      if (isoDate(day) !== iso || isoDayNumber(iso) !== day) expect([isoDate(day), isoDayNumber(iso)]).toEqual([iso, day]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { addMonths, parsePeriod, periodContaining, periodsBetween, samePeriodLastYear } from './periods.js';

describe('reporting periods', () => {
  it('reads month, quarter, semester, year and bulan penimbangan labels', () => {
    expect(parsePeriod('month', '2025-12')).toEqual({ type: 'month', label: '2025-12', start: '2025-12-01', end: '2026-01-01' });
    expect(parsePeriod('quarter', '2025-q4')).toMatchObject({ label: '2025-Q4', start: '2025-10-01', end: '2026-01-01' });
    expect(parsePeriod('semester', '2025-S2')).toMatchObject({ start: '2025-07-01', end: '2026-01-01' });
    expect(parsePeriod('year', '2024')).toMatchObject({ start: '2024-01-01', end: '2025-01-01' });
    expect(parsePeriod('bpb', '2025-08')).toMatchObject({ start: '2025-08-01', end: '2025-09-01' });
    expect(() => parsePeriod('bpb', '2025-03')).toThrow(/2025-03/);
    expect(() => parsePeriod('quarter', '2025-Q5')).toThrow();
  });

  it('finds the period of a day, lists periods and the same period last year', () => {
    expect(periodContaining('semester', '2025-06-30').label).toBe('2025-S1');
    expect(periodContaining('bpb', '2025-01-15').label).toBe('2024-08');
    expect(periodContaining('bpb', '2025-05-15').label).toBe('2025-02');
    expect(periodsBetween('quarter', '2024-11-01', '2025-05-01').map((p) => p.label)).toEqual(['2024-Q4', '2025-Q1', '2025-Q2']);
    expect(periodsBetween('bpb', '2024-03-01', '2025-10-01').map((p) => p.label)).toEqual(['2024-08', '2025-02', '2025-08']);
    expect(samePeriodLastYear(parsePeriod('quarter', '2025-Q1')).start).toBe('2024-01-01');
    expect(addMonths('2025-01-01', -13)).toBe('2023-12-01');
  });
});

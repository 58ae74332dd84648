import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('wilsonInterval', () => {
  // Newcombe (1998), Table I, method 3 (Wilson score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → [%f, %f] (Newcombe 1998)', (x, n, low, high) => {
    const ci = wilsonInterval(x, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('matches the closed form for 2/12 (a small desa)', () => {
    const z = 1.959963984540054;
    const p = 2 / 12;
    const c = (p + (z * z) / 24) / (1 + (z * z) / 12);
    const h = (z / (1 + (z * z) / 12)) * Math.sqrt((p * (1 - p)) / 12 + (z * z) / (4 * 144));
    const ci = wilsonInterval(2, 12);
    expect(ci.low).toBeCloseTo(c - h, 14);
    expect(ci.high).toBeCloseTo(c + h, 14);
    expect(ci.low).toBeCloseTo(0.047, 3);
    expect(ci.high).toBeCloseTo(0.448, 3);
  });

  it('is narrower for the same rate with more children', () => {
    const small = wilsonInterval(2, 12);
    const large = wilsonInterval(40, 240);
    expect(large.estimate).toBeCloseTo(small.estimate as number, 15);
    expect((large.high as number) - (large.low as number)).toBeLessThan((small.high as number) - (small.low as number));
  });

  it('n of n reaches 1, n = 0 gives no estimate, impossible counts throw', () => {
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, low: null, high: null });
    expect(() => wilsonInterval(6, 5)).toThrow(RangeError);
  });
});

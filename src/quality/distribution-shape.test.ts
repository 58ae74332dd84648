import { describe, expect, it } from 'vitest';
import { skewKurt, spread } from './distribution-shape.js';

describe('skewness and kurtosis (DATA-QUALITY.md §5, nipnTK skewKurt)', () => {
  it('is 0 skew for symmetric values and −2 kurtosis for a two-point distribution', () => {
    const r = skewKurt([-1, 1, -1, 1, -1, 1, -1, 1, -1, 1]);
    expect(r.s).toBe(0);
    expect(r.k).toBe(-2);
    expect(r.sP).toBe(1);
  });

  it('has nipnTK’s standard errors (n = 30: SE_s = √(6·30·29/(28·31·33)))', () => {
    const x = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 1.3);
    const r = skewKurt(x);
    expect(r.n).toBe(30);
    expect(r.sSe).toBe(Math.sqrt((6 * 30 * 29) / (28 * 31 * 33)));
    expect(r.sSe).toBe(0.4268923959512381); // nipnTK, expected.csv G01
    expect(r.kSe).toBe(2 * r.sSe * Math.sqrt((30 * 30 - 1) / (27 * 35)));
    expect(r.sZ).toBe(r.s / r.sSe);
  });

  it('detects a long left tail (wasting cases added to a normal-looking sample)', () => {
    const x = Array.from({ length: 100 }, (_, i) => ((i % 10) - 4.5) / 5);
    for (let i = 0; i < 8; i++) x.push(-4 - i / 4);
    const r = skewKurt(x);
    expect(r.s).toBeLessThan(-1);
    expect(r.sP).toBeLessThan(0.001);
    expect(r.k).toBeGreaterThan(1);
  });

  it('drops missing values first', () => {
    expect(skewKurt([1, 2, NaN, 3, 10]).n).toBe(4);
  });
});

describe('spread (SD, adjusted MAD)', () => {
  it('matches R sd() and mad()', () => {
    const r = spread([2, 4, 4, 4, 5, 5, 7, 9, NaN]);
    expect(r.n).toBe(8);
    expect(r.mean).toBe(5);
    expect(r.sd).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expect(r.mad).toBeCloseTo(1.4826 * 0.5, 15);
  });

  it('is NaN when there is nothing to spread', () => {
    expect(Number.isNaN(spread([]).sd)).toBe(true);
    expect(Number.isNaN(spread([1]).sd)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { censorZscores, isWhoFlag, zscoreSpread } from './zscore-checks.js';

describe('WHO flags (DATA-QUALITY.md §4)', () => {
  it('uses the index-specific limits', () => {
    expect(isWhoFlag('whz', -5)).toBe(false);
    expect(isWhoFlag('whz', -5.01)).toBe(true);
    expect(isWhoFlag('whz', 5.01)).toBe(true);
    expect(isWhoFlag('haz', -6.01)).toBe(true);
    expect(isWhoFlag('haz', 5.5)).toBe(false);
    expect(isWhoFlag('waz', 5.01)).toBe(true);
    expect(isWhoFlag('waz', -5.9)).toBe(false);
  });
});

describe('flag rate and censored spread (DATA-QUALITY.md §4–5)', () => {
  const base = Array.from({ length: 96 }, (_, i) => ((i % 12) - 5.5) / 6);

  it('counts WHO flags and leaves them out of SD/skewness/kurtosis', () => {
    const z = [...base, -5.8, 5.3, -7, NaN];
    const r = zscoreSpread('whz', z, 'who');
    expect(r.n).toBe(99);
    expect(r.whoFlags).toBe(3);
    expect(r.flagged).toBe(3);
    expect(r.flagRate).toBeCloseTo((100 * 3) / 99, 12);
    expect(r.nCensored).toBe(96);
    const clean = zscoreSpread('whz', base, 'who');
    expect(r.sd).toBe(clean.sd);
    expect(r.sd).toBeLessThan(1);
  });

  it('SMART flags are relative to the group’s own mean', () => {
    // Mean about −1.5: −4.6 is more than 3 from it, +1.4 is not.
    const z = [...Array(30).fill(-1.5), -4.6, 1.4];
    const r = zscoreSpread('whz', z, 'smart');
    expect(r.smartFlags).toBe(1);
    expect(r.whoFlags).toBe(0);
    expect(r.flagged).toBe(1);
    expect(r.nCensored).toBe(31);
  });

  it('leaves children with oedema out of WHZ only', () => {
    const z = [0.1, 0.2, -0.3, 0.4, -3.5];
    const oedema = [0, 0, 0, 0, 1];
    expect(censorZscores('whz', z, 'who', oedema).keep).toEqual(Uint8Array.from([1, 1, 1, 1, 0]));
    expect(censorZscores('haz', z, 'who', oedema).keep).toEqual(Uint8Array.from([1, 1, 1, 1, 1]));
  });

  it('an SD far above 1 shows up (mixed or careless measurements)', () => {
    const wide = base.map((v) => v * 3);
    expect(zscoreSpread('whz', wide, 'who').sd).toBeGreaterThan(1.2);
  });
});

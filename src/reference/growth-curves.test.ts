import { describe, expect, it } from 'vitest';
import { loadGrowthEngine } from './who-tables.js';
import { growthCurves, lmsValue } from './growth-curves.js';

describe('growthCurves', () => {
  it('puts the engine\'s z = −2 and 0 exactly on the −2 SD and median lines (weight-for-age, boys, day 365)', () => {
    const c = growthCurves('wfa', 1);
    const p = c.points.find((x) => x.x === 364) ?? c.points.find((x) => x.x >= 364);
    expect(p).toBeDefined();
    const engine = loadGrowthEngine();
    const z = (w: number) => engine.computeOne({ sex: 1, age: p!.x, ageUnit: 'days', weight: w }).zwei;
    expect(z(p!.sd[3])).toBeCloseTo(0, 2);
    expect(z(p!.sd[1])).toBeCloseTo(-2, 2);
    expect(p!.sd).toEqual([...p!.sd].sort((a, b) => a - b));
  });

  it('covers 0–60 months and 45–110 cm', () => {
    expect(growthCurves('lhfa', 2).points.at(-1)?.x).toBe(1826);
    const wfl = growthCurves('wfl', 2).points;
    expect(wfl[0].x).toBe(45);
    expect(wfl.at(-1)?.x).toBe(110);
  });

  it('uses the log form when L is 0', () => {
    expect(lmsValue(0, 10, 0.1, 1)).toBeCloseTo(10 * Math.exp(0.1), 3);
  });
});

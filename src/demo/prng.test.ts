import { describe, expect, it } from 'vitest';
import { Rng } from './prng.js';

describe('Rng', () => {
  it('repeats a stream for the same seed and labels, and differs otherwise', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.u32());
    expect(draw(new Rng(1, 'a', 2))).toEqual(draw(new Rng(1, 'a', 2)));
    expect(draw(new Rng(1, 'a', 2))).not.toEqual(draw(new Rng(2, 'a', 2)));
    expect(draw(new Rng(1, 'a', 2))).not.toEqual(draw(new Rng(1, 'a', 3)));
  });

  it('gives uniform floats in [0,1) and standard normals with mean 0, sd 1', () => {
    const r = new Rng(7, 'stats');
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let lo = 1;
    let hi = 0;
    let below = 0;
    for (let i = 0; i < n; i++) {
      const u = r.float();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const z = r.normal();
      sum += z;
      sq += z * z;
      if (z < -1.96) below++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sq / n) - 1)).toBeLessThan(0.01);
    expect(Math.abs(below / n - 0.025)).toBeLessThan(0.002);
  });

  it('draws integers over the whole closed range', () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(2, 6));
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 as mulberry } from '../common/random.js';
import { CopyTextWriter } from './copy-text.js';

const fields = (w: CopyTextWriter): string[] => w.take().toString('latin1').replace(/\n$/, '').split('\t');

describe('CopyTextWriter', () => {
  it('writes every number as text that parses back to the same value', () => {
    const rnd = mulberry(5);
    const values: number[] = [0, -0, 1, -1, 0.1, 0.29, 1.005, -7.995, 12.5, 100, -2.01, 123456.78, 1e-7, 1 / 3, 9007199254740.99];
    for (let i = 0; i < 5000; i++) values.push(Math.round((rnd() - 0.5) * 2e6) / 100, (rnd() - 0.5) * 300, Math.round(rnd() * 1e4) / 10);
    const w = new CopyTextWriter(16);
    for (const v of values) w.num(v);
    w.endRow();
    const out = fields(w);
    expect(out).toHaveLength(values.length);
    out.forEach((text, i) => {
      expect(Number(text)).toBe(values[i] === 0 ? 0 : values[i]);
      expect(text).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
    });
    expect(out.slice(0, 10)).toEqual(['0', '0', '1', '-1', '0.1', '0.29', '1.005', '-7.995', '12.5', '100']);
  });

  it('writes NULL, booleans, integers and strings, one row per line', () => {
    const w = new CopyTextWriter(4);
    w.nul().bool(true).bool(false).int(0).int(-42).int(1234567890123).str('62.01').strOrNull(null).numOrNull(undefined).endRow();
    w.str('x').endRow();
    expect(w.take().toString('latin1')).toBe('\\N\tt\tf\t0\t-42\t1234567890123\t62.01\t\\N\t\\N\nx\n');
    expect(w.length).toBe(0);
  });
});

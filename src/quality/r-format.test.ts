import { describe, expect, it } from 'vitest';
import { formatRNumber } from './r-format.js';

describe('formatRNumber (R as.character of a double)', () => {
  it.each([
    [7.6000000000000005, '7.6000000000000005'],
    [0.45945945945945943, '0.45945945945945943'],
    [2.785045717779164e-7, '2.785045717779164e-07'],
    [3.327245838706697e-5, '3.327245838706697e-05'],
    [0.0001234, '0.0001234'],
    [1e-4, '1e-04'],
    [100000, '1e+05'],
    [123456, '123456'],
    [-0.12910311313862874, '-0.12910311313862874'],
    [8.504411147849588e-41, '8.504411147849588e-41'],
    [1.5e300, '1.5e+300'],
    [0, '0'],
    [30, '30'],
  ])('%d → %s', (x, s) => expect(formatRNumber(x)).toBe(s));

  it('writes NA and infinities as R does', () => {
    expect(formatRNumber(NaN)).toBe('NA');
    expect(formatRNumber(Infinity)).toBe('Inf');
    expect(formatRNumber(-Infinity)).toBe('-Inf');
  });
});

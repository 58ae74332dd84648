import { describe, expect, it } from 'vitest';
import { quantileBreaks } from './components/choropleth.component.js';
import { formatDate, formatNumber, formatPercent, formatZ, parseLocaleDecimal } from './format.js';
import { homeRegion } from './api/home-region.js';
import type { Session } from './api/session.js';

describe('Indonesian formatting', () => {
  it('writes decimals with a comma and thousands with a point in Bahasa Indonesia', () => {
    expect(formatNumber('id', 1234.5, 1)).toBe('1.234,5');
    expect(formatNumber('en', 1234.5, 1)).toBe('1,234.5');
    expect(formatPercent('id', 18.04)).toBe('18,0 %');
    expect(formatZ('id', -2.314)).toBe('−2,31');
    expect(formatZ('id', 0.5)).toBe('+0,50');
    expect(formatNumber('id', null)).toBe('–');
  });

  it('writes dates as 27 Nov 2025', () => {
    expect(formatDate('id', '2025-11-27')).toBe('27 Nov 2025');
    expect(formatDate('id', '2025-08-01')).toBe('1 Agu 2025');
  });

  it('reads what a kader types: comma or point, nothing else', () => {
    expect(parseLocaleDecimal('10,5')).toBe(10.5);
    expect(parseLocaleDecimal(' 9.8 ')).toBe(9.8);
    expect(parseLocaleDecimal('83..9')).toBeNaN();
    expect(parseLocaleDecimal('10,7 kg')).toBeNaN();
    expect(parseLocaleDecimal('')).toBeNaN();
  });
});

describe('map classes', () => {
  it('splits at quintiles and merges repeated or minimum breaks', () => {
    expect(quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([3, 5, 7, 9]);
    expect(quantileBreaks([0, 0, 0, 0, 0, 0, 10, 20, 30, 40])).toEqual([10, 30]);
    expect(quantileBreaks([])).toEqual([]);
  });
});

describe('home region', () => {
  const session = (regionCodes: string[] | null): Session => ({
    user: { id: 1, username: 'u', displayName: 'U', role: 'tpps' },
    scope: { regionCodes, posyanduId: null, puskesmasId: null, sector: null },
    csrfToken: 'x',
  });
  it('opens on the own region, the district for installation-wide or province accounts, the first desa of a list', () => {
    expect(homeRegion(session(['62.01.03.2004']))).toBe('62.01.03.2004');
    expect(homeRegion(session(null))).toBe('62.01');
    expect(homeRegion(session(['62']))).toBe('62.01');
    expect(homeRegion(session(['62.01.02.1003', '62.01.02.1001']))).toBe('62.01.02.1001');
  });
});

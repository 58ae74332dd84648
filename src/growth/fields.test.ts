import { describe, expect, it } from 'vitest';
import { growthIssue, isMissingText, parseDayNumber, parseDecimal, parseMeasureCode, parseOedemaCode, parseSexCode } from './fields.js';

describe('reading input values', () => {
  it('numbers with a decimal point or a decimal comma; anything else is NaN', () => {
    expect(parseDecimal('12.5')).toBe(12.5);
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' 7 ')).toBe(7);
    expect(parseDecimal('-0,7')).toBe(-0.7);
    expect(parseDecimal('1e1')).toBe(10);
    for (const bad of ['abc', '1.234,5', '12 kg', '0x10', 'Infinity', '83..9', '10.7 it']) {
      expect(Number.isNaN(parseDecimal(bad))).toBe(true);
    }
  });

  it('empty, blanks and NA are missing', () => {
    expect(['', '  ', 'NA', 'na', 'NaN'].every(isMissingText)).toBe(true);
    expect(isMissingText('0')).toBe(false);
  });

  it("anthro's codes plus the Indonesian ones", () => {
    expect(['1', 'm', 'M', 'L', 'laki-laki', 1].map(parseSexCode)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(['2', 'f', 'F', 'P', 'Perempuan', 2].map(parseSexCode)).toEqual([2, 2, 2, 2, 2, 2]);
    expect([null, '', ' '].map(parseSexCode)).toEqual([0, 0, 0]);
    expect(['X', '3', 3].map(parseSexCode)).toEqual([255, 255, 255]);
    expect(['L', 'l', 'Telentang', 'H', 'h', 'Berdiri', '', 'duduk'].map(parseMeasureCode)).toEqual([1, 1, 1, 2, 2, 2, 0, 255]);
    expect(['y', 'Y', '1', true, 'n', 'N', '2', null, 'x'].map(parseOedemaCode)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 255]);
  });

  it('dates: ISO and dd/mm/yyyy, impossible dates rejected', () => {
    expect(parseDayNumber('1970-01-02')).toBe(1);
    expect(parseDayNumber('27/11/2025')).toBe(parseDayNumber('2025-11-27'));
    expect(parseDayNumber('27-11-2025')).toBe(parseDayNumber('2025-11-27'));
    expect(parseDayNumber('2024-02-29')).toBe(parseDayNumber('2024-03-01') - 1);
    for (const bad of ['2023-02-29', '2025-13-01', '31/04/2025', 'kemarin', '']) expect(Number.isNaN(parseDayNumber(bad))).toBe(true);
  });

  it('issues are bilingual, Indonesian first, and name the column when given', () => {
    const i = growthIssue('weight', 'not_a_number', 'bb');
    expect(i).toMatchObject({ code: 'not_a_number', field: 'weight' });
    expect(i.id).toBe('berat badan (kolom bb): bukan angka, hasil yang memakai nilai ini dikosongkan');
    expect(i.en).toBe('weight (column bb): not a number, results using this value left empty');
  });
});

import { describe, expect, it } from 'vitest';
import { dateFromExcelSerial, dayNumber, isoFromDay, parseDate, parseMeasure, parseNik, parseNumber, parseNumberValue, parseSex, plainDecimal } from './value-parsers.js';

describe('parseDate', () => {
  it.each([
    ['27/11/2025', '2025-11-27'],
    ['7/1/2025', '2025-01-07'],
    ['27-11-2025', '2025-11-27'],
    ['27.11.2025', '2025-11-27'],
    ['2025-11-27', '2025-11-27'],
    ['2025-11-27 00:00:00', '2025-11-27'],
    ['2025-11-27T08:30:00Z', '2025-11-27'],
    ['27 Nov 2025', '2025-11-27'],
    ['27 Nopember 2025', '2025-11-27'],
    ['27 november 2025', '2025-11-27'],
    ['27-Nov-2025', '2025-11-27'],
    ['3 Pebruari 2024', '2024-02-03'],
    ['3 Februari 2024', '2024-02-03'],
    ['3 Feb 2024', '2024-02-03'],
    ['9 Mei 2024', '2024-05-09'],
    ['9 May 2024', '2024-05-09'],
    ['17 Agustus 2025', '2025-08-17'],
    ['17 Agt 2025', '2025-08-17'],
    ['17 Aug 2025', '2025-08-17'],
    ['1 Okt 2025', '2025-10-01'],
    ['1 Oct 2025', '2025-10-01'],
    ['25 Desember 2024', '2024-12-25'],
    ['25 Des 2024', '2024-12-25'],
    ['25 December 2024', '2024-12-25'],
    ['2 Sept 2025', '2025-09-02'],
    ['1 Maret 2025', '2025-03-01'],
    ['1 Juni 2025', '2025-06-01'],
    ['1 Juli 2025', '2025-07-01'],
    ['Kamis, 27 November 2025', '2025-11-27'],
    ['Nov 27, 2025', '2025-11-27'],
    ['29/02/2024', '2024-02-29'],
    ['45988', '2025-11-27'],
    ['45988.5', '2025-11-27'],
    ['20251127', '2025-11-27'],
    ['27/11/25', '2025-11-27'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseDate(text)?.iso).toBe(iso);
  });

  it.each(['', 'kemarin', '31/02/2025', '29/02/2025', '13/13/2025', '00/01/2025', '2025-13-01', '27 Foo 2025', '12', '1.5', 'x'.repeat(100)])(
    'refuses %j',
    (text) => {
      expect(parseDate(text)).toBeNull();
    },
  );

  it('follows Excel serial numbering on both sides of its 1900 leap-year bug', () => {
    expect(dateFromExcelSerial(1)?.iso).toBe('1900-01-01');
    expect(dateFromExcelSerial(59)?.iso).toBe('1900-02-28');
    expect(dateFromExcelSerial(60)).toBeNull();
    expect(dateFromExcelSerial(61)?.iso).toBe('1900-03-01');
    expect(dateFromExcelSerial(45658)?.iso).toBe('2025-01-01');
  });

  it('day numbers round-trip and count days', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(2025, 11, 27) - dayNumber(2024, 11, 27)).toBe(365);
    for (const d of [-1000, 0, 20000, 20419, 73000]) expect(dayNumber(...(isoFromDay(d).split('-').map(Number) as [number, number, number]))).toBe(d);
  });
});

describe('parseNumber', () => {
  it.each([
    ['10.7', 10.7, ''],
    ['10,7', 10.7, ''],
    ['10.7 kg', 10.7, 'kg'],
    ['83,5 cm', 83.5, 'cm'],
    ['83..9', 83.9, ''],
    ['83,,9', 83.9, ''],
    ['10.7 it', 10.7, 'it'],
    ['10.7kg', 10.7, 'kg'],
    ['1.234,5', 1234.5, ''],
    ['1,234.5', 1234.5, ''],
    [' 9 ', 9, ''],
    ['-5', -5, ''],
    ['10700 gr', 10700, 'gr'],
    ['.5', 0.5, ''],
    ['12.', 12, ''],
    ['1.2E+1', 12, ''],
  ])('reads %j', (text, value, unit) => {
    expect(parseNumber(text)).toEqual({ value, unit });
  });

  it.each(['', 'abc', '1.2.3', '1,2,3', 'kg', '10 kg 5', '--', '1e999'])('refuses %j', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('plainDecimal / parseNumberValue', () => {
  it('reads plain decimals exactly as Number() does and leaves everything else to parseNumber', () => {
    for (const [raw, v] of [['10.7', 10.7], ['-0,5', -0.5], ['83', 83], ['999,99', 999.99], ['0.3', 0.3], ['-1.23', -1.23]] as const) {
      expect(plainDecimal(raw)).toBe(v);
      expect(parseNumberValue(raw)).toBe(v);
    }
    for (const raw of ['', '-', '1.', '.5', '1.2.3', '1,2,3', '10.7 kg', ' 10', '1e5', 'abc', '--1']) expect(plainDecimal(raw)).toBeNaN();
    expect(parseNumberValue('10.7 kg')).toBe(10.7);
    expect(parseNumberValue('1.234,5')).toBe(1234.5);
    expect(parseNumberValue(' 3,5 ')).toBe(3.5);
    expect(parseNumberValue('x')).toBeNull();
  });
});

describe('JK, Cara Ukur, NIK', () => {
  it('reads JK L/P in any case and the spelled-out words, nothing else', () => {
    expect(['L', 'l', ' L ', 'Laki-laki', 'LAKI - LAKI'].map(parseSex)).toEqual([1, 1, 1, 1, 1]);
    expect(['P', 'p', 'Perempuan'].map(parseSex)).toEqual([2, 2, 2]);
    expect(['', 'X', 'M', 'F', '1', 'LP'].map(parseSex)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('reads Cara Ukur Berdiri/Telentang/Terlentang in any case', () => {
    expect(['Berdiri', 'BERDIRI', 'berdiri'].map(parseMeasure)).toEqual(['h', 'h', 'h']);
    expect(['Telentang', 'TERLENTANG', 'terlentang', 'Berbaring'].map(parseMeasure)).toEqual(['l', 'l', 'l', 'l']);
    expect(parseMeasure('duduk')).toBeNull();
  });

  it('keeps a 16-digit NIK as text and never repairs a mangled one', () => {
    expect(parseNik('6201011234560001')).toEqual({ nik: '6201011234560001' });
    expect(parseNik("'0201011234560001")).toEqual({ nik: '0201011234560001' });
    expect(parseNik('6201 0112 3456 0001')).toEqual({ nik: '6201011234560001' });
    expect(parseNik('6201011234560001.0')).toEqual({ nik: '6201011234560001' });
    expect(parseNik('3.2E+15')).toEqual({ problem: 'scientific' });
    expect(parseNik('3,20101E+15')).toEqual({ problem: 'scientific' });
    expect(parseNik('620101123456')).toEqual({ problem: 'length' });
    expect(parseNik('0000000000000000')).toEqual({ problem: 'length' });
    expect(parseNik('')).toEqual({ absent: true });
    expect(parseNik('-')).toEqual({ absent: true });
  });
});

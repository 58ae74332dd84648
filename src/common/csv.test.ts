import { describe, expect, it } from 'vitest';
import { CsvParser, csvLine, detectDelimiter, parseCsv, readCsvRecords } from './csv.js';

describe('csv', () => {
  it('detects comma, semicolon and tab delimiters from the header', () => {
    expect(detectDelimiter('sex,age,weight')).toBe(',');
    expect(detectDelimiter('jk;bb;tb')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"a;b",c')).toBe(',');
  });

  it('strips a BOM, handles CRLF, quotes, doubled quotes and embedded newlines', () => {
    const text = '\ufeffnama;bb\r\n"Siti; ""Ani""";10,5\r\n"Budi\nDua";8\r\n';
    const { records, lines, delimiter } = parseCsv(text);
    expect(delimiter).toBe(';');
    expect(records).toEqual([
      ['nama', 'bb'],
      ['Siti; "Ani"', '10,5'],
      ['Budi\nDua', '8'],
    ]);
    expect(lines).toEqual([1, 2, 3]);
  });

  it('keeps empty fields, skips blank lines and reads a last line without newline', () => {
    const { records, lines } = parseCsv('a,b,c\n1,,3\n\n4,5,\n6,7,8');
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['4', '5', ''],
      ['6', '7', '8'],
    ]);
    expect(lines).toEqual([1, 2, 4, 5]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'x,y\r\n"a,""b""\r\nc",2\r\n3,"4"\r\n5,6';
    const whole = parseCsv(text).records;
    for (let size = 1; size <= text.length; size++) {
      const p = new CsvParser();
      const got: string[][] = [];
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size), (f) => got.push(f));
      p.end((f) => got.push(f));
      expect(got).toEqual(whole);
    }
  });

  it('streams batches from byte chunks, multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('nama,desa\nÅsa,Sungai Bedaun\n', 'utf8');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const all: string[][] = [];
    for await (const batch of readCsvRecords(chunks())) for (const r of batch) all.push(r.fields);
    expect(all).toEqual([
      ['nama', 'desa'],
      ['Åsa', 'Sungai Bedaun'],
    ]);
  });

  it('writes fields that need quoting', () => {
    expect(csvLine(['a', 'b,c', 'd"e', ''])).toBe('a,"b,c","d""e",\n');
    expect(csvLine(['1,5', '2'], ';')).toBe('1,5;2\n');
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { loadGrowthEngine, loadKbmTable, packageRoot, readWhoChecksums, readWhoTables } from './who-tables.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function copyOfTables(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tumbuh-who-'));
  dirs.push(dir);
  cpSync(join(packageRoot(), 'data', 'who'), dir, { recursive: true });
  return dir;
}

describe('WHO tables from data/who', () => {
  it('lists a checksum for each of the nine tables, the same as the README', () => {
    const root = join(packageRoot(), 'data', 'who');
    const sums = readWhoChecksums(root);
    expect(sums.size).toBe(9);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [file, sum] of sums) expect(readme).toContain(`| \`${file}\` | \`${sum}\` |`);
  });

  it('loads typed arrays and a memoised engine', () => {
    const t = readWhoTables();
    expect(t.weightForAge.lms).toBeInstanceOf(Float64Array);
    expect(t.weightForLength.kMin).toBe(450);
    expect(t.weightForHeight.kMax).toBe(1200);
    expect(loadGrowthEngine()).toBe(loadGrowthEngine());
    expect(loadGrowthEngine().computeOne({ sex: 1, age: 0, weight: 3.3464, lenhei: 49.8842, measure: 'L' })).toMatchObject({ zwei: 0, zlen: 0 });
  });

  it('refuses a table whose bytes changed', () => {
    const dir = copyOfTables();
    const file = join(dir, 'weight-for-age.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('3.3464', '3.3465'));
    expect(() => readWhoTables(dir)).toThrow(AppError);
    try {
      readWhoTables(dir);
    } catch (err) {
      expect((err as AppError).code).toBe('who_tables_checksum');
      expect((err as AppError).messages.id).toContain('weight-for-age.csv');
    }
  });

  it('refuses a missing table', () => {
    const dir = copyOfTables();
    rmSync(join(dir, 'bmi-for-age.csv'));
    expect(() => readWhoTables(dir)).toThrow(/not found/);
  });
});

describe('KBM table from data/kbm.json', () => {
  it('validates and memoises the shipped table', () => {
    const t = loadKbmTable();
    expect(t.rows[0]).toEqual({ fromMonth: 0, toMonth: 1, grams: 800 });
    expect(t.source).toMatch(/Buku KIA/);
    expect(loadKbmTable()).toBe(t);
  });

  it('reports an invalid district table with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tumbuh-kbm-'));
    dirs.push(dir);
    const file = join(dir, 'kbm.json');
    writeFileSync(file, JSON.stringify({ source: 'x', rows: [{ fromMonth: 0, toMonth: 60, grams: 'dua ratus' }] }));
    expect(() => loadKbmTable(file)).toThrow(/kbm\.json/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../common/csv.js';
import { AppError } from '../../common/app-error.js';
import type { CliIO } from '../command.js';
import { qualityCommand } from './quality.command.js';

const FIXTURES = resolve(import.meta.dirname, '../../quality/fixtures');
const work = mkdtempSync(join(tmpdir(), 'tumbuh-quality-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A group object of the JSON output, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side view of the JSON document
type Json = any;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const io: CliIO = { stdout, stderr, env: {}, cwd: work };
  const code = await qualityCommand.run(args, io);
  return { code, out, err };
}

async function failure(args: string[]): Promise<AppError> {
  try {
    await run(args);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the command to fail');
}

function file(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

// Chi-square p-values come from R's pgamma, whose own error is up to ~5e-15 relative (checked
// against 40-digit mpmath); ours are closed forms within ~1e-16 of the exact value, so the two
// can differ in the last digits. Every other value must match nipnTK's text exactly.
const CHI_SQUARE_P_TOLERANCE = 1e-13;
const CHI_SQUARE_P = new Set(['ageRatioTest|p', 'sexRatioTest|p', 'ageHeaping|p']);

describe('tumbuh quality — golden test against nipnTK (src/quality/fixtures/expected.csv)', () => {
  it('reproduces every value of expected.csv from cases.csv --by group', async () => {
    const { code, out } = await run([join(FIXTURES, 'cases.csv'), '--by', 'group', '--format', 'csv']);
    expect(code).toBe(0);
    const got = parseCsv(out).records;
    expect(got[0]).toEqual(['group', 'test', 'variable', 'statistic', 'value']);
    const index = new Map(got.slice(1).map((r) => [r.slice(0, 4).join('|'), r[4]]));
    const expected = parseCsv(readFileSync(join(FIXTURES, 'expected.csv'), 'utf8')).records.slice(1);
    expect(expected.length).toBe(630);
    let exact = 0;
    let worst = 0;
    for (const [group, test, variable, statistic, value] of expected) {
      const key = [group, test, variable, statistic].join('|');
      const mine = index.get(key);
      expect(mine, key).toBeDefined();
      if (mine === value) {
        exact++;
        continue;
      }
      expect(CHI_SQUARE_P.has(`${test}|${statistic}`), `${key}: ${mine} ≠ ${value}`).toBe(true);
      const rel = Math.abs(Number(mine) - Number(value)) / Math.abs(Number(value));
      worst = Math.max(worst, rel);
      expect(rel, `${key}: ${mine} vs ${value}`).toBeLessThan(CHI_SQUARE_P_TOLERANCE);
    }
    // All but a few chi-square p-values agree to the last digit.
    expect(exact).toBeGreaterThan(600);
    expect(worst).toBeLessThan(CHI_SQUARE_P_TOLERANCE);
  });

  it('writes the nipnTK tests first, in nipnTK order, then Tumbuh’s own', async () => {
    const { out } = await run([join(FIXTURES, 'cases.csv'), '--by', 'group']);
    const tests = [...new Set(parseCsv(out).records.slice(1).filter((r) => r[0] === 'G01').map((r) => r[1]))];
    expect(tests).toEqual([
      'digitPreference',
      'ageRatioTest',
      'sexRatioTest',
      'skewKurt',
      'ageHeaping',
      'ageHeapingTable',
      'zscoreSpread',
      'grade',
      'validity',
    ]);
  });

  it('gives the same numbers as structured JSON', async () => {
    const { code, out } = await run([join(FIXTURES, 'cases.csv'), '--by', 'group', '--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { groups: Json[] };
    expect(doc.groups.map((g) => g.group)).toEqual(['G01', 'G02', 'G03', 'G04', 'G05', 'G06', 'G07', 'G08', 'G09', 'G10']);
    const g01 = doc.groups[0];
    expect(g01.digitPreference.weight.dps).toBe(21.66);
    expect(g01.digitPreference.weight.dpsClass).toBe('Problematic');
    expect(g01.digitPreference.weight.counts).toEqual([3, 0, 2, 2, 2, 7, 1, 4, 4, 5]);
    expect(g01.ageRatioTest.X2).toBe(0.0943458417849895);
    expect(g01.skewKurt.whz['k.se']).toBe(0.8327456183576328);
    expect(g01.ageHeaping.X2).toBe(7.6000000000000005);
    expect(g01.grade.components).toHaveLength(10);
    // G02 carries deliberate digit preference: the validity score names it with a fix.
    const g02 = doc.groups[1];
    expect(g02.validity.score).toBeLessThan(90);
    expect(g02.validity.problems[0].fix.id).toMatch(/Latih|Kalibrasi/);
  });
});

describe('tumbuh quality — input handling', () => {
  it('reads L/P sex codes, age in days, semicolons and decimal commas', async () => {
    const rows = ['posyandu;jk;age;bb;tb;muac'];
    for (let i = 0; i < 40; i++) {
      rows.push(`Mawar;${i % 2 ? 'L' : 'P'};${200 + i * 30};${8 + (i % 10) / 10};${70 + i / 10};${120 + i}`.replace(/\.(\d)/g, ',$1'));
    }
    const p = file('semicolon.csv', rows.join('\n') + '\n');
    const { code, out } = await run([p, '--by', 'posyandu', '--format', 'json']);
    expect(code).toBe(0);
    const g = (JSON.parse(out) as { groups: Json[] }).groups[0];
    expect(g.group).toBe('Mawar');
    expect(g.sexRatioTest.male).toBe(20);
    expect(g.sexRatioTest.p).toBe(1);
    // 8.0 … 8.9 cycled: every final digit four times → uniform → DPS 0.
    expect(g.digitPreference.weight.counts).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(g.digitPreference.weight.dps).toBe(0);
    expect(g.ageRatioTest.n).toBe(40);
  });

  it('groups by several columns and warns about unreadable cells and rows without a group', async () => {
    const p = file(
      'multi.csv',
      ['desa,month,sex,age_months,weight,height', 'A,2025-01,1,12,9.1,75.0', 'A,2025-02,2,13,x,76.1', 'B,2025-01,2,30,12.0,88.0', ',,1,20,10,80'].join('\n'),
    );
    const { code, out, err } = await run([p, '--by', 'desa,month']);
    expect(code).toBe(0);
    const groups = [...new Set(parseCsv(out).records.slice(1).map((r) => r[0]))];
    expect(groups).toEqual(['A | 2025-01', 'A | 2025-02', 'B | 2025-01']);
    expect(err).toContain('1 sel kolom weight');
    expect(err).toContain('1 cells of column weight');
    expect(err).toContain('1 baris tanpa nilai kolom kelompok');
  });

  it('runs the dispersion test when a cluster column is given', async () => {
    const rows = ['desa,posyandu,sex,age_months,weight,height,whz'];
    // 10 posyandu, all wasted children (WHZ −2.5) in one posyandu: strongly clumped.
    for (let c = 0; c < 10; c++) for (let i = 0; i < 20; i++) rows.push(`D1,P${c},${1 + (i % 2)},${6 + i * 2},10.${i % 10},80.${(i * 3) % 10},${c === 0 ? -2.5 : 0.1 * (i % 5)}`);
    const { out } = await run([file('clusters.csv', rows.join('\n')), '--by', 'desa', '--cluster', 'posyandu', '--format', 'json']);
    const g = (JSON.parse(out) as { groups: Json[] }).groups[0];
    expect(g.dispersion.whz.clusters).toBe(10);
    expect(g.dispersion.whz.cases).toBe(20);
    expect(g.dispersion.whz.pUpper).toBeLessThan(1e-10);
    expect(g.grade.components.find((c: { name: string }) => c.name === 'poissonWhz').class).toBe('Problematic');
  });

  it('exits with code 2 (AppError 400) and a bilingual message on missing columns', async () => {
    const p = file('nosex.csv', 'group,age_months,weight\nA,12,9.1\n');
    const e = await failure([p, '--by', 'group']);
    expect(e.code).toBe('missing_columns');
    expect(e.status).toBe(400);
    expect(e.messages.id).toContain('Kolom wajib tidak ada');
    expect(e.messages.id).toContain('sex');
    expect(e.messages.en).toContain('Required columns missing');
  });

  it('names an unknown --by column', async () => {
    const p = file('ok.csv', 'sex,age_months\n1,12\n');
    const e = await failure([p, '--by', 'posyandu']);
    expect(e.code).toBe('missing_columns');
    expect(e.messages.en).toContain('posyandu');
  });

  it('fails cleanly on a missing file, an empty file and bad arguments', async () => {
    expect((await failure([join(work, 'nope.csv')])).code).toBe('file_unreadable');
    expect((await failure([file('empty.csv', '')])).code).toBe('file_empty');
    expect((await failure([file('x.csv', 'sex\n'), '--format', 'xml'])).code).toBe('usage');
    expect((await failure([])).code).toBe('usage');
  });

  it('prints bilingual help', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Masukan / Input');
  });
});

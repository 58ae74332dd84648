import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../common/csv.js';
import { createGrowthEngine, createBatchInput } from './engine.js';
import { parseMeasureCode, parseOedemaCode, parseSexCode } from './fields.js';
import { readWhoTables } from '../reference/who-tables.js';
import type { GrowthResult } from './types.js';

// Golden test against WHO anthro 1.1.0.9000: src/growth/fixtures/reference-cases.csv (see README
// there). Set TUMBUH_ANTHRO_CASES=/path/to/more-cases.csv (same columns) to run the same comparison
// on further anthro outputs kept outside the repository (the 30,000 acceptance cases).
function readCases(path: string | URL): Record<string, string>[] {
  const { records } = parseCsv(readFileSync(path, 'utf8'));
  const header = records[0];
  return records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
const fixture = readCases(new URL('./fixtures/reference-cases.csv', import.meta.url));
const extra = process.env.TUMBUH_ANTHRO_CASES;
const tables = readWhoTables();
const engine = createGrowthEngine(tables);
const unrounded = createGrowthEngine(tables, { round: false });

const num = (s: string) => (s === '' ? null : Number(s));
const Z = ['zlen', 'zwei', 'zwfl', 'zbmi', 'zhc', 'zac', 'zts', 'zss'] as const;
const F = ['flen', 'fwei', 'fwfl', 'fbmi', 'fhc', 'fac', 'fts', 'fss'] as const;

function input(r: Record<string, string>) {
  return {
    sex: r.sex === '' ? null : r.sex,
    age: num(r.age),
    ageUnit: r.age_unit as 'days' | 'months',
    weight: num(r.weight),
    lenhei: num(r.lenhei),
    measure: r.measure === '' ? null : r.measure,
    oedema: r.oedema === '' ? null : r.oedema,
    headc: num(r.headc),
    armc: num(r.armc),
    triskin: num(r.triskin),
    subskin: num(r.subskin),
  };
}

function relClose(actual: number | null, expected: number | null, tol: number): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (expected === 0) return Math.abs(actual) <= tol;
  return Math.abs(actual - expected) <= tol * Math.abs(expected);
}

function golden(name: string, rows: Record<string, string>[]) {
describe(`golden: WHO anthro reference cases (${name})`, () => {

  it('computeOne reproduces every row exactly (z, flags, clenhei, cmeasure, c9mo_flag, csex; cbmi 1e-12)', () => {
    const mismatches: string[] = [];
    for (const r of rows) {
      const got: GrowthResult = engine.computeOne(input(r));
      const check = (name: string, a: unknown, e: unknown) => {
        if (a !== e) mismatches.push(`case ${r.case_id} (${r.case_type}) ${name}: got ${String(a)} expected ${String(e)}`);
      };
      check('clenhei', got.clenhei, num(r.clenhei));
      check('cmeasure', got.cmeasure, r.cmeasure === '' ? null : r.cmeasure);
      check('c9mo_flag', got.c9moFlag, Number(r.c9mo_flag));
      check('csex', got.csex, num(r.csex));
      if (!relClose(got.cbmi, num(r.cbmi), 1e-12)) check('cbmi', got.cbmi, num(r.cbmi));
      for (const z of Z) check(z, got[z], num(r[z]));
      for (const f of F) check(f, got[f], num(r[f]));
      expect(got.issues).toEqual([]);
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('unrounded z-scores agree with anthro to 1e-12 relative', () => {
    const mismatches: string[] = [];
    for (const r of rows) {
      const got = unrounded.computeOne(input(r));
      for (const z of Z) {
        const e = num(r[`${z}_unrounded`]);
        if (!relClose(got[z], e, 1e-12)) mismatches.push(`case ${r.case_id} ${z}: ${got[z]} vs ${e}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('computeBatch (typed arrays, per-row age unit) reproduces every row too', () => {
    const n = rows.length;
    const days = createBatchInput(n, false);
    rows.forEach((r, i) => {
      days.sex[i] = parseSexCode(r.sex);
      days.age[i] = r.age === '' ? NaN : Number(r.age);
      days.ageIsMonths[i] = r.age_unit === 'months' ? 1 : 2;
      days.weight[i] = r.weight === '' ? NaN : Number(r.weight);
      days.lenhei[i] = r.lenhei === '' ? NaN : Number(r.lenhei);
      days.measure[i] = parseMeasureCode(r.measure);
      days.oedema[i] = parseOedemaCode(r.oedema);
      days.headc[i] = r.headc === '' ? NaN : Number(r.headc);
      days.armc[i] = r.armc === '' ? NaN : Number(r.armc);
      days.triskin[i] = r.triskin === '' ? NaN : Number(r.triskin);
      days.subskin[i] = r.subskin === '' ? NaN : Number(r.subskin);
    });
    const out = engine.computeBatch(days);
    const mismatches: string[] = [];
    rows.forEach((r, i) => {
      for (const z of Z) {
        const e = num(r[z]);
        if (e === null ? !Number.isNaN(out[z][i]) : out[z][i] !== e) mismatches.push(`case ${r.case_id} ${z}: ${out[z][i]} vs ${e}`);
      }
      for (const f of F) if (out[f][i] !== (num(r[f]) ?? -1)) mismatches.push(`case ${r.case_id} ${f}`);
      if (out.c9mo[i] !== Number(r.c9mo_flag)) mismatches.push(`case ${r.case_id} c9mo`);
      if (out.problems![i] !== 0) mismatches.push(`case ${r.case_id} problems`);
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
}

it('the fixture holds the 1,000 reference rows', () => {
  expect(fixture.length).toBe(1000);
});
golden('fixtures/reference-cases.csv', fixture);
if (extra) golden(extra, readCases(extra));

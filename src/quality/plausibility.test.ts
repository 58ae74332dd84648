import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../common/csv.js';
import { groupRows, plausibility, plausibilityByGroup, type QualityColumns } from './plausibility.js';
import { mulberry32 } from '../common/random.js';


function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

interface Faults {
  roundHeights?: boolean;
  roundAges?: boolean;
  boysOnly?: boolean;
  wideWhz?: boolean;
}

function posyandu(n: number, seed: number, faults: Faults = {}): QualityColumns {
  const u = mulberry32(seed);
  const sex = new Uint8Array(n);
  const age = new Float64Array(n);
  const weight = new Float64Array(n);
  const height = new Float64Array(n);
  const muac = new Float64Array(n);
  const whz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sex[i] = faults.boysOnly ? 1 : u() < 0.5 ? 1 : 2;
    // Roughly the under-five age structure: slightly more young children.
    const a = 60 * Math.pow(u(), 1.1);
    age[i] = faults.roundAges ? 12 * Math.max(1, Math.round(a / 12)) : a;
    weight[i] = Math.round((6 + a / 5 + normal(u)) * 10) / 10;
    const h = 65 + a * 0.7 + 3 * normal(u);
    height[i] = faults.roundHeights ? Math.round(h * 2) / 2 : Math.round(h * 10) / 10;
    muac[i] = Math.round(140 + 10 * normal(u));
    whz[i] = Math.round((faults.wideWhz ? 1.8 : 1) * normal(u) * 100) / 100 - 0.4;
  }
  return { sex, ageMonths: age, weight, height, muac, whz };
}

describe('plausibility of one group (DATA-QUALITY.md §1–§7 together)', () => {
  it('grades clean data well and data with planted faults as problematic', () => {
    const clean = plausibility(posyandu(400, 1));
    expect(clean.digitPreference.height?.dpsClass).not.toBe('Problematic');
    expect(clean.sexRatioTest.p).toBeGreaterThan(0.001);
    expect(clean.grade.score).toBeLessThan(15);

    const faulty = plausibility(posyandu(400, 1, { roundHeights: true, roundAges: true, boysOnly: true, wideWhz: true }));
    expect(faulty.digitPreference.height?.dpsClass).toBe('Problematic');
    expect(faulty.ageHeaping.p).toBeLessThan(1e-10);
    expect(faulty.sexRatioTest.p).toBeLessThan(1e-10);
    expect(faulty.zscoreSpread.whz?.sd).toBeGreaterThan(1.2);
    expect(faulty.grade.class).toBe('Problematic');
    const names = faulty.grade.components.filter((c) => c.class === 'Problematic').map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['sexRatio', 'dpsHeight', 'sdWhz']));
  });

  it('skips the checks of absent columns', () => {
    const cols = posyandu(50, 2);
    delete cols.muac;
    delete cols.whz;
    const r = plausibility(cols);
    expect(r.digitPreference.muac).toBeUndefined();
    expect(r.skewKurt.whz).toBeUndefined();
    expect(r.grade.assessed).toBe(4); // sex ratio, age ratio, DPS weight and height
  });
});

describe('grouping', () => {
  it('numbers keys in natural order and leaves out rows without a key', () => {
    const g = groupRows(['P10', 'P2', null, 'P2', 'P1']);
    expect(g.labels).toEqual(['P1', 'P2', 'P10']);
    expect(Array.from(g.groupOf)).toEqual([2, 1, -1, 1, 0]);
  });

  it('per-group results equal the statistics of each group on its own', () => {
    const a = posyandu(60, 3);
    const b = posyandu(45, 4, { roundHeights: true });
    const n = 105;
    const merged: QualityColumns = { sex: new Uint8Array(n), ageMonths: new Float64Array(n), weight: new Float64Array(n), height: new Float64Array(n), muac: new Float64Array(n), whz: new Float64Array(n) };
    const keys: string[] = [];
    // Interleave the rows so the grouping has to gather them.
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < n; i++) {
      const fromA = (i % 7 < 4 && ia < 60) || ib >= 45;
      const src = fromA ? a : b;
      const j = fromA ? ia++ : ib++;
      for (const k of ['sex', 'ageMonths', 'weight', 'height', 'muac', 'whz'] as const) (merged[k] as Float64Array)[i] = (src[k] as ArrayLike<number>)[j];
      keys.push(fromA ? 'A' : 'B');
    }
    const out = plausibilityByGroup(merged, groupRows(keys));
    expect(out.map((o) => o.group)).toEqual(['A', 'B']);
    expect(out[0].result).toEqual(plausibility(a));
    expect(out[1].result).toEqual(plausibility(b));
  });
});

describe('golden values at the service level (fixtures/expected.csv, nipnTK)', () => {
  it('reproduces the DPS, X² and skewness of every group exactly', () => {
    const dir = resolve(import.meta.dirname, 'fixtures');
    const cases = parseCsv(readFileSync(resolve(dir, 'cases.csv'), 'utf8')).records;
    const h = cases[0];
    const rows = cases.slice(1);
    const num = (name: string) => Float64Array.from(rows, (r) => (r[h.indexOf(name)] === '' ? NaN : Number(r[h.indexOf(name)])));
    const cols: QualityColumns = {
      sex: Uint8Array.from(rows, (r) => Number(r[h.indexOf('sex')])),
      ageMonths: num('age_months'),
      weight: num('weight'),
      height: num('height'),
      muac: num('muac'),
      whz: num('whz'),
    };
    const out = plausibilityByGroup(cols, groupRows(rows.map((r) => r[0])));
    const expected = parseCsv(readFileSync(resolve(dir, 'expected.csv'), 'utf8')).records.slice(1);
    const value = (g: string, t: string, v: string, s: string) => Number(expected.find((e) => e[0] === g && e[1] === t && e[2] === v && e[3] === s)?.[4]);
    expect(out).toHaveLength(10);
    for (const { group, result } of out) {
      expect(result.digitPreference.weight?.dps).toBe(value(group, 'digitPreference', 'weight', 'dps'));
      expect(result.digitPreference.height?.dps).toBe(value(group, 'digitPreference', 'height', 'dps'));
      expect(result.digitPreference.muac?.dps).toBe(value(group, 'digitPreference', 'muac', 'dps'));
      expect(result.ageRatioTest.X2).toBe(value(group, 'ageRatioTest', 'age_months[6-59]', 'X2'));
      expect(result.sexRatioTest.X2).toBe(value(group, 'sexRatioTest', 'sex', 'X2'));
      expect(result.ageHeaping.X2).toBe(value(group, 'ageHeaping', 'floor(age_months) %% 12', 'X2'));
      expect(result.skewKurt.whz?.s).toBe(value(group, 'skewKurt', 'whz', 's'));
      expect(result.skewKurt.whz?.k).toBe(value(group, 'skewKurt', 'whz', 'k'));
    }
  });
});

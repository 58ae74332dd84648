import { describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { logistic, qt } from '../common/distributions.js';
import {
  anthroPrevalence,
  PREVALENCE_COLUMNS,
  prevalenceRecords,
  type PrevalenceGrouping,
  type PrevalenceInput,
  type PrevalenceResult,
} from './survey-prevalence.js';

interface Child {
  sex?: 1 | 2 | 0;
  age?: number;
  oedema?: boolean;
  zlen?: number;
  flen?: 0 | 1;
  zwei?: number;
  fwei?: 0 | 1;
  zwfl?: number;
  zbmi?: number;
  w?: number;
  cluster?: string;
  strata?: string;
  region?: string;
}

function input(
  children: Child[],
  opts: { weights?: boolean; cluster?: boolean; strata?: boolean; groupings?: PrevalenceGrouping[] } = {},
): PrevalenceInput {
  const n = children.length;
  const f64 = (get: (c: Child) => number | undefined) => Float64Array.from(children, (c) => get(c) ?? NaN);
  const i8 = (get: (c: Child) => number | undefined, z: (c: Child) => number | undefined) =>
    Int8Array.from(children, (c) => (z(c) === undefined ? -1 : (get(c) ?? 0)));
  return {
    length: n,
    sex: Uint8Array.from(children, (c) => c.sex ?? 1),
    ageDays: f64((c) => c.age ?? 400),
    oedema: Uint8Array.from(children, (c) => (c.oedema ? 1 : 0)),
    zlen: f64((c) => c.zlen),
    flen: i8((c) => c.flen, (c) => c.zlen),
    zwei: f64((c) => c.zwei),
    fwei: i8((c) => c.fwei, (c) => c.zwei),
    zwfl: f64((c) => c.zwfl),
    fwfl: i8(() => 0, (c) => c.zwfl),
    zbmi: f64((c) => c.zbmi),
    fbmi: i8(() => 0, (c) => c.zbmi),
    weights: opts.weights ? f64((c) => c.w) : null,
    cluster: opts.cluster ? children.map((c) => c.cluster ?? null) : null,
    strata: opts.strata ? children.map((c) => c.strata ?? null) : null,
    groupings: opts.groupings,
  };
}

function cell(result: PrevalenceResult, group: string, column: string): number {
  const row = result.rows.find((r) => r.group === group);
  if (!row) throw new Error(`no group ${group}`);
  const idx = PREVALENCE_COLUMNS.indexOf(column);
  if (idx < 1) throw new Error(`no column ${column}`);
  return row.values[idx - 1];
}

describe('anthroPrevalence — simple path, hand-computed', () => {
  // N = 4 rows, 3 usable zlen values of which 1 < −2.
  const kids: Child[] = [{ zlen: -2.5 }, { zlen: -1 }, { zlen: 0.5 }, {}];
  const res = anthroPrevalence(input(kids));

  it('has anthro’s 135 columns and the standard blocks', () => {
    expect(PREVALENCE_COLUMNS).toHaveLength(135);
    expect(PREVALENCE_COLUMNS.slice(0, 4)).toEqual(['Group', 'HAZ_pop', 'HAZ_unwpop', 'HA_3_r']);
    expect(PREVALENCE_COLUMNS.slice(-4)).toEqual(['HA_2_WH2_r', 'HA_2_WH2_se', 'HA_2_WH2_ll', 'HA_2_WH2_ul']);
    expect(res.design).toBe('simple');
    expect(res.rows.map((r) => r.group).slice(0, 2)).toEqual(['All', 'Age group: 00-05 mo']);
    expect(res.rows).toHaveLength(1 + 6 + 2 + 12);
  });

  it('prevalence, SE and logit CI follow §14.3 with N = all rows', () => {
    const r = 1 / 3;
    const se = (Math.sqrt(4 / 3) * Math.sqrt(3 * r * (1 - r))) / 3;
    const t = qt(0.975, 3);
    const s = Math.sqrt(4 / 3 / (3 * r * (1 - r)));
    expect(cell(res, 'All', 'HAZ_unwpop')).toBe(3);
    expect(cell(res, 'All', 'HA_2_r')).toBeCloseTo(100 / 3, 12);
    expect(cell(res, 'All', 'HA_2_se')).toBeCloseTo(se * 100, 12);
    expect(cell(res, 'All', 'HA_2_ll')).toBeCloseTo(logistic(Math.log(0.5) - t * s) * 100, 12);
    expect(cell(res, 'All', 'HA_2_ul')).toBeCloseTo(logistic(Math.log(0.5) + t * s) * 100, 12);
  });

  it('mean, its CI and the SD', () => {
    const mean = (-2.5 - 1 + 0.5) / 3;
    const ss = (-2.5 - mean) ** 2 + (-1 - mean) ** 2 + (0.5 - mean) ** 2;
    const se = (Math.sqrt(4 / 3) * Math.sqrt(ss)) / 3;
    expect(cell(res, 'All', 'HA_r')).toBeCloseTo(mean, 14);
    expect(cell(res, 'All', 'HA_se')).toBeCloseTo(se, 14);
    expect(cell(res, 'All', 'HA_ul')).toBeCloseTo(mean + qt(0.975, 3) * se, 13);
    expect(cell(res, 'All', 'HA_stdev')).toBeCloseTo(Math.sqrt(ss / 2), 14);
  });

  it('0 % and 100 % give a collapsed CI; empty groups give 0 counts and NA', () => {
    expect(cell(res, 'All', 'HA3_r')).toBe(0);
    expect([cell(res, 'All', 'HA3_ll'), cell(res, 'All', 'HA3_ul')]).toEqual([0, 0]);
    expect(cell(res, 'All', 'HA_3_r')).toBe(0);
    expect(cell(res, 'Sex: Female', 'HAZ_unwpop')).toBe(0);
    expect(cell(res, 'Sex: Female', 'HAZ_pop')).toBe(0);
    expect(Number.isNaN(cell(res, 'Sex: Female', 'HA_2_r'))).toBe(true);
    const allStunted = anthroPrevalence(input([{ zlen: -2.5 }, { zlen: -3.5 }]));
    expect(cell(allStunted, 'All', 'HA_2_r')).toBe(100);
    expect([cell(allStunted, 'All', 'HA_2_ll'), cell(allStunted, 'All', 'HA_2_ul')]).toEqual([100, 100]);
  });

  it('a single child: SE 0, CI collapsed, SD NA', () => {
    const one = anthroPrevalence(input([{ zlen: -1.2 }, {}]));
    expect(cell(one, 'All', 'HA_se')).toBe(0);
    expect(cell(one, 'All', 'HA_ll')).toBe(-1.2);
    expect(Number.isNaN(cell(one, 'All', 'HA_stdev'))).toBe(true);
  });
});

describe('anthroPrevalence — which values count (§14.1)', () => {
  it('oedema counts as < −3 for WA/WH/BMI prevalences, even without weight, but not in the mean', () => {
    const res = anthroPrevalence(
      input([{ oedema: true, zlen: -1 }, { zwei: -1, zwfl: 0.5, zbmi: 0.2, zlen: -2.2 }, { zwei: 1.5, zwfl: 2.5, zlen: -2.5 }]),
    );
    expect(cell(res, 'All', 'WAZ_unwpop')).toBe(3);
    expect(cell(res, 'All', 'WA_3_r')).toBeCloseTo(100 / 3, 12);
    expect(cell(res, 'All', 'WA_r')).toBeCloseTo(0.25, 14);
    expect(cell(res, 'All', 'WA1_r')).toBeCloseTo(100 / 3, 12);
    expect(cell(res, 'All', 'WHZ_unwpop')).toBe(3);
    expect(cell(res, 'All', 'WH_2_r')).toBeCloseTo(100 / 3, 12);
    expect(cell(res, 'All', 'BMIZ_unwpop')).toBe(2);
    // HA is not affected by oedema.
    expect(cell(res, 'All', 'HAZ_unwpop')).toBe(3);
    // Combined: stunted & wasted only for the oedema child? It has zlen −1: no. Child 2: WH 0.5: no.
    expect(cell(res, 'All', 'HA_2_WH_2_unwpop')).toBe(3);
    expect(cell(res, 'All', 'HA_2_WH_2_r')).toBe(0);
    // Stunted & overweight: child 3 (zlen −2.5, zwfl 2.5).
    expect(cell(res, 'All', 'HA_2_WH2_r')).toBeCloseTo(100 / 3, 12);
  });

  it('a flagged z-score is excluded from its own indicator only', () => {
    const res = anthroPrevalence(input([{ zlen: -6.5, flen: 1, zwei: -1 }, { zlen: -1, zwei: -2.5 }]));
    expect(cell(res, 'All', 'HAZ_unwpop')).toBe(1);
    expect(cell(res, 'All', 'WAZ_unwpop')).toBe(2);
  });

  it('drops ages above 1826 days (rounded half up), keeps missing ages in All only', () => {
    const res = anthroPrevalence(
      input([
        { age: 1826.4, zwfl: -2.5 },
        { age: 1826.5, zwfl: -2.5 },
        { age: 1900, zwfl: -2.5 },
        { age: NaN, zwfl: 1 },
        { age: 1461, zwfl: 0 },
      ]),
    );
    expect(res.excluded.ageOver1826).toBe(2);
    expect(res.rowsUsed).toBe(3);
    expect(cell(res, 'All', 'WHZ_unwpop')).toBe(3);
    // 1461 d = 48.0 months → 48-59; 1826.4 d = 60.005 months → no age group.
    expect(cell(res, 'Age group: 48-59 mo', 'WHZ_unwpop')).toBe(1);
  });

  it('age groups use unrounded months, left-closed', () => {
    const res = anthroPrevalence(input([{ age: 182, zlen: 0 }, { age: 183, zlen: 0 }, { age: 182.6, zlen: 0 }]));
    expect(cell(res, 'Age group: 00-05 mo', 'HAZ_unwpop')).toBe(2);
    expect(cell(res, 'Age group: 06-11 mo', 'HAZ_unwpop')).toBe(1);
  });
});

describe('anthroPrevalence — groupings', () => {
  const kids: Child[] = [
    { region: 'Kumai', zlen: -2.5 },
    { region: 'Arut Selatan', zlen: 0 },
    { region: 'Kumai', zlen: 0 },
    { region: '', zlen: 0 },
  ];
  const region = (k: Child[]): PrevalenceGrouping => ({ kind: 'region', values: k.map((c) => c.region ?? null) });

  it('simple path lists values in order of appearance, survey path sorted', () => {
    const simple = anthroPrevalence(input(kids, { groupings: [region(kids)] }));
    expect(simple.rows.filter((r) => r.block === 'Geographical region').map((r) => r.group)).toEqual([
      'Geographical region: Kumai',
      'Geographical region: Arut Selatan',
    ]);
    const withClusters = kids.map((k, i) => ({ ...k, cluster: String(i % 2) }));
    const survey = anthroPrevalence(input(withClusters, { cluster: true, groupings: [region(withClusters)] }));
    expect(survey.rows.filter((r) => r.block === 'Geographical region').map((r) => r.level)).toEqual([
      'Arut Selatan',
      'Kumai',
    ]);
    expect(cell(simple, 'Geographical region: Kumai', 'HA_2_r')).toBe(50);
  });

  it('wealth quintiles get anthro’s labels, all five levels, invalid values counted', () => {
    const res = anthroPrevalence(
      input([{ zlen: 0 }, { zlen: 0 }, { zlen: 0 }], {
        groupings: [{ kind: 'wealth', values: ['1', 'Q5', '7'] }],
      }),
    );
    const rows = res.rows.filter((r) => r.block === 'Wealth quintile');
    expect(rows.map((r) => r.group)).toEqual([
      'Wealth quintile: Q1: Poorest',
      'Wealth quintile: Q2',
      'Wealth quintile: Q3',
      'Wealth quintile: Q4',
      'Wealth quintile: Q5: Richest',
    ]);
    expect(res.invalidWealthValues).toBe(1);
  });

  it('custom groupings are labelled with their own name, after anthro’s blocks', () => {
    const res = anthroPrevalence(
      input(kids, {
        groupings: [
          { kind: 'custom', label: 'desa', values: ['A', 'B', 'A', 'B'] },
          { kind: 'area', values: ['Urban', 'Rural', 'Urban', 'Rural'] },
        ],
      }),
    );
    const blocks = [...new Set(res.rows.map((r) => r.block))];
    expect(blocks).toEqual(['All', 'Age group', 'Sex', 'Age + sex', 'Area', 'desa']);
    expect(res.rows.some((r) => r.group === 'desa: A')).toBe(true);
  });
});

describe('anthroPrevalence — design-based paths', () => {
  // Two strata × two clusters; weights vary. Hand computation of the linearised variance.
  const kids: Child[] = [
    { strata: 'a', cluster: '1', w: 2, zlen: -2.5 },
    { strata: 'a', cluster: '1', w: 1, zlen: 0 },
    { strata: 'a', cluster: '2', w: 3, zlen: -1 },
    { strata: 'b', cluster: '1', w: 1, zlen: -3.2 },
    { strata: 'b', cluster: '2', w: 2, zlen: 0.4 },
    { strata: 'b', cluster: '2', w: 1 }, // no zlen
  ];
  const res = anthroPrevalence(input(kids, { weights: true, cluster: true, strata: true }));

  it('uses nested PSUs and df = PSUs − strata', () => {
    expect(res.design).toBe('survey');
    expect(res.psuCount).toBe(4);
    expect(res.df).toEqual({ mean: 2, prevalence: 2 });
  });

  it('stunting: weighted proportion, Taylor SE, logit CI with design df', () => {
    const W = 2 + 1 + 3 + 1 + 2;
    const r = (2 + 1) / W;
    const T = {
      a1: 2 * (1 - r) + 1 * (0 - r),
      a2: 3 * (0 - r),
      b1: 1 * (1 - r),
      b2: 2 * (0 - r),
    };
    const strat = (x: number, y: number) => 2 * ((x - (x + y) / 2) ** 2 + (y - (x + y) / 2) ** 2);
    const se = Math.sqrt(strat(T.a1, T.a2) + strat(T.b1, T.b2)) / W;
    expect(cell(res, 'All', 'HAZ_pop')).toBe(W);
    expect(cell(res, 'All', 'HAZ_unwpop')).toBe(5);
    expect(cell(res, 'All', 'HA_2_r')).toBeCloseTo(r * 100, 12);
    expect(cell(res, 'All', 'HA_2_se')).toBeCloseTo(se * 100, 12);
    const s = se / (r * (1 - r));
    expect(cell(res, 'All', 'HA_2_ul')).toBeCloseTo(logistic(Math.log(r / (1 - r)) + qt(0.975, 2) * s) * 100, 12);
  });

  it('survey SD uses the group’s rows with non-zero weight (missing values included)', () => {
    const z = [-2.5, 0, -1, -3.2, 0.4];
    const w = [2, 1, 3, 1, 2];
    const W = 9;
    const mean = z.reduce((s, v, i) => s + w[i] * v, 0) / W;
    const wv = z.reduce((s, v, i) => s + (w[i] / W) * (v - mean) ** 2, 0);
    expect(cell(res, 'All', 'HA_stdev')).toBeCloseTo(Math.sqrt(wv * (6 / 5)), 13);
    const weighted = anthroPrevalence(input(kids, { weights: true }));
    expect(weighted.design).toBe('weighted');
    expect(cell(weighted, 'All', 'HA_stdev')).toBeCloseTo(Math.sqrt(wv * (5 / 4)), 13);
  });

  it('a lonely stratum (one PSU) enters uncentred, as survey.lonely.psu = "adjust"', () => {
    const lonely = [...kids, { strata: 'c', cluster: '9', w: 1, zlen: -2.1 }];
    const out = anthroPrevalence(input(lonely, { weights: true, cluster: true, strata: true }));
    expect(out.lonelyStrata).toBe(1);
    const W = 10;
    const r = 4 / W;
    const T = [2 * (1 - r) - r, -3 * r, 1 - r, -2 * r, 1 - r];
    const strat = (x: number, y: number) => 2 * ((x - (x + y) / 2) ** 2 + (y - (x + y) / 2) ** 2);
    const se = Math.sqrt(strat(T[0], T[1]) + strat(T[2], T[3]) + T[4] ** 2) / W;
    expect(cell(out, 'All', 'HA_2_se')).toBeCloseTo(se * 100, 12);
  });

  it('drops rows with missing cluster or strata; missing weights become 0', () => {
    const out = anthroPrevalence(
      input([...kids, { strata: 'a', zlen: 1 }, { strata: 'b', cluster: '1', zlen: 1 }], {
        weights: true,
        cluster: true,
        strata: true,
      }),
    );
    expect(out.excluded.missingCluster).toBe(1);
    expect(out.weightsSetToZero).toBe(1);
    expect(cell(out, 'All', 'HAZ_unwpop')).toBe(6);
    expect(cell(out, 'All', 'HAZ_pop')).toBe(9);
  });

  it('does not copy anthro’s [1, 1] CI at exactly 1 % (deliberate difference)', () => {
    const hundred: Child[] = Array.from({ length: 100 }, (_, i) => ({ zlen: i === 0 ? -2.5 : 0, cluster: String(i % 10) }));
    const out = anthroPrevalence(input(hundred, { cluster: true }));
    expect(cell(out, 'All', 'HA_2_r')).toBeCloseTo(1, 12);
    expect(cell(out, 'All', 'HA_2_ll')).toBeLessThan(1);
    expect(cell(out, 'All', 'HA_2_ul')).toBeGreaterThan(1);
  });

  it('rejects negative weights', () => {
    expect(() => anthroPrevalence(input([{ zlen: 0, w: -1 }], { weights: true }))).toThrow(AppError);
  });
});

describe('prevalenceRecords', () => {
  it('gives one record per group × indicator × cut-off plus the combined indicators', () => {
    const res = anthroPrevalence(input([{ zlen: -2.5, zwfl: -2.5 }, { zlen: 0, zwfl: 0 }]));
    const recs = prevalenceRecords(res);
    expect(recs).toHaveLength(res.rows.length * (4 * 7 + 2));
    const stunting = recs.find((r) => r.group === 'All' && r.indicator === 'HA' && r.cutoff === -2);
    expect(stunting).toMatchObject({ prevalence: 50, n: 2, n_weighted: 2, mean_z: -1.25 });
    const both = recs.find((r) => r.group === 'All' && r.indicator === 'HA_2_WH_2');
    expect(both).toMatchObject({ prevalence: 50, n: 2, cutoff: null, mean_z: null });
    const empty = recs.find((r) => r.group === 'Sex: Female' && r.indicator === 'WA' && r.cutoff === null);
    expect(empty).toMatchObject({ n: 0, mean_z: null, se: null });
  });
});

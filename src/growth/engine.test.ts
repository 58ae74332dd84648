import { describe, expect, it } from 'vitest';
import { readWhoTables } from '../reference/who-tables.js';
import { createBatchInput, createGrowthEngine, lmsZ, restrictedZ, roundR2, type WhoTables } from './engine.js';
import { FIELD_BITS } from './fields.js';
import type { MeasurementInput } from './types.js';

const tables: WhoTables = readWhoTables();
const engine = createGrowthEngine(tables);
const one = (input: Partial<MeasurementInput>) => engine.computeOne({ sex: 1, ...input });

/** LMS of an age table row, read straight from the typed arrays (test oracle). */
function ageLms(t: { lms: Float64Array }, sex: 1 | 2, day: number): [number, number, number] {
  const o = ((sex - 1) * 1827 + day) * 3;
  return [t.lms[o], t.lms[o + 1], t.lms[o + 2]];
}
function sizeLms(t: WhoTables['weightForLength'], sex: 1 | 2, k: number): [number, number, number] {
  const o = ((sex - 1) * (t.kMax - t.kMin + 1) + (k - t.kMin)) * 3;
  return [t.lms[o], t.lms[o + 1], t.lms[o + 2]];
}

describe('§10 R round(x, 2)', () => {
  it('rounds ties and near-ties as R does, not as Math.round', () => {
    expect(roundR2(-7.995)).toBe(-8);
    expect(Math.round(-7.995 * 100) / 100).toBe(-7.99); // the JS idiom gets this one wrong
    expect(roundR2(2.675)).toBe(2.67); // 2.675 is 2.67499999… in binary
    expect(roundR2(1.005)).toBe(1);
    expect(roundR2(0.125)).toBe(0.12); // exact tie: even last digit
    expect(roundR2(0.375)).toBe(0.38); // exact tie: 37 is odd, so up
    expect(roundR2(-0.125)).toBe(-0.12); // symmetric around 0
    expect(roundR2(-2.3351)).toBe(-2.34);
    expect(roundR2(3)).toBe(3);
    expect(Number.isNaN(roundR2(NaN))).toBe(true);
  });
});

describe('§2 age', () => {
  it('rounds days half up: 730.49 → 730, 730.5 → 731', () => {
    expect(one({ age: 730.4, weight: 12, lenhei: 85, measure: 'L' }).ageDays).toBe(730);
    expect(one({ age: 730.49, weight: 12, lenhei: 85, measure: 'L' }).ageDays).toBe(730);
    expect(one({ age: 730.5, weight: 12, lenhei: 85, measure: 'L' }).ageDays).toBe(731);
  });

  it('730.5 days is on the height side of the 731-day boundary (rounded days), 730.49 on the length side', () => {
    const before = one({ age: 730.49, weight: 12, lenhei: 85, measure: 'L' });
    const after = one({ age: 730.5, weight: 12, lenhei: 85, measure: 'L' });
    expect(before.clenhei).toBe(85);
    expect(after.clenhei).toBe(85 - 0.7);
  });

  it('months input: months × 30.4375 rounded half up; 24 months → 731 days, 10 months → 304', () => {
    const r24 = one({ age: 24, ageUnit: 'months', weight: 12, lenhei: 87, measure: 'L' });
    expect(r24.ageDays).toBe(731);
    expect(r24.ageMonths).toBe(24);
    expect(r24.clenhei).toBe(87 - 0.7);
    expect(one({ age: 10, ageUnit: 'months', weight: 8, lenhei: 72 }).ageDays).toBe(304);
    // The same child given in days gives the same z-scores.
    const m = one({ age: 10, ageUnit: 'months', weight: 8, lenhei: 72, measure: 'L' });
    const d = one({ age: 304, weight: 8, lenhei: 72, measure: 'L' });
    expect([m.zlen, m.zwei, m.zwfl, m.zbmi]).toEqual([d.zlen, d.zwei, d.zwfl, d.zbmi]);
  });

  it('under-5 rule on unrounded months: 1826 days in, 1826.4 days (60.005 months) out, 60 months out, 59.999 in', () => {
    const base = { weight: 18, lenhei: 110, measure: 'H' };
    expect(one({ age: 1826, ...base }).zlen).not.toBeNull();
    const out = one({ age: 1826.4, ...base });
    expect(out.ageDays).toBe(1826);
    expect([out.zlen, out.zwei, out.zwfl, out.zbmi]).toEqual([null, null, null, null]);
    expect(one({ age: 1827, ...base }).zlen).toBeNull();
    expect(one({ age: 60, ageUnit: 'months', ...base }).zwfl).toBeNull();
    expect(one({ age: 59.999, ageUnit: 'months', ...base }).zwfl).not.toBeNull();
  });

  it('arm circumference and skinfolds start at 91 days', () => {
    const m = { weight: 5, lenhei: 58, armc: 11.5, triskin: 8, subskin: 7 };
    const r90 = one({ age: 90, ...m });
    const r91 = one({ age: 91, ...m });
    expect([r90.zac, r90.zts, r90.zss]).toEqual([null, null, null]);
    expect(r91.zac).not.toBeNull();
    expect(r91.zts).not.toBeNull();
    expect(r91.zss).not.toBeNull();
    expect(r90.zwei).not.toBeNull();
  });

  it('age from birth and measurement dates (in days), overriding the age field', () => {
    const r = one({ birthDate: '2023-01-15', measureDate: '2025-01-15', age: 5, weight: 12, lenhei: 86, measure: 'H' });
    expect(r.ageDays).toBe(731);
    expect(r.ageMonths).toBe(731 / 30.4375);
    expect(r.clenhei).toBe(86);
    expect(r.issues).toEqual([]);
  });

  it('missing age: age-based z-scores missing, weight-for-length still computed', () => {
    const r = one({ weight: 9, lenhei: 75, measure: 'L' });
    expect([r.zlen, r.zwei, r.zbmi]).toEqual([null, null, null]);
    expect(r.zwfl).not.toBeNull();
    expect(r.clenhei).toBe(75);
  });
});

describe('§3 position and the ±0.7 cm adjustment', () => {
  it('731-day boundary: 730 days length-based (+0.7 for standing), 731 height-based (−0.7 for lying)', () => {
    expect(one({ age: 730, weight: 12, lenhei: 85, measure: 'H' }).clenhei).toBe(85 + 0.7);
    expect(one({ age: 730, weight: 12, lenhei: 85, measure: 'L' }).clenhei).toBe(85);
    expect(one({ age: 731, weight: 12, lenhei: 85, measure: 'L' }).clenhei).toBe(85 - 0.7);
    expect(one({ age: 731, weight: 12, lenhei: 85, measure: 'H' }).clenhei).toBe(85);
  });

  it('missing position means "measured as the age requires": no adjustment', () => {
    expect(one({ age: 300, weight: 8, lenhei: 70 }).clenhei).toBe(70);
    expect(one({ age: 900, weight: 12, lenhei: 88 }).clenhei).toBe(88);
  });

  it('standing before 9 months (c9mo_flag): position dropped, no +0.7', () => {
    const r = one({ age: 273, weight: 8, lenhei: 68, measure: 'H' });
    expect(r.cmeasure).toBeNull();
    expect(r.c9moFlag).toBe(1);
    expect(r.clenhei).toBe(68);
    const r274 = one({ age: 274, weight: 8, lenhei: 68, measure: 'H' }); // 9.002 months
    expect(r274.cmeasure).toBe('h');
    expect(r274.c9moFlag).toBe(0);
    expect(r274.clenhei).toBe(68 + 0.7);
    expect(one({ weight: 8, lenhei: 68, measure: 'H' }).c9moFlag).toBe(0); // no age: no flag
  });

  it('accepts the Indonesian position words Telentang/Berdiri', () => {
    expect(one({ age: 800, weight: 12, lenhei: 85, measure: 'Telentang' }).cmeasure).toBe('l');
    expect(one({ age: 800, weight: 12, lenhei: 85, measure: 'berdiri' }).cmeasure).toBe('h');
  });
});

describe('§4 weight-for-length / weight-for-height', () => {
  const wflZ = (sex: 1 | 2, x: number, w: number, useLength: boolean) => {
    const t = useLength ? tables.weightForLength : tables.weightForHeight;
    const k = Math.round(x * 10);
    return roundR2(restrictedZ(w, ...sizeLms(t, sex, k)));
  };

  it('age known: < 731 days uses the length table, ≥ 731 the height table, whatever the position', () => {
    expect(one({ age: 700, weight: 11, lenhei: 80, measure: 'H' }).zwfl).toBe(wflZ(1, 80.7, 11, true));
    expect(one({ age: 731, weight: 11, lenhei: 80, measure: 'H' }).zwfl).toBe(wflZ(1, 80, 11, false));
  });

  it('age missing: the position decides, else 87 cm (< 87 length, ≥ 87 height)', () => {
    expect(one({ weight: 11, lenhei: 80, measure: 'H' }).zwfl).toBe(wflZ(1, 80, 11, false));
    expect(one({ weight: 11, lenhei: 80, measure: 'L' }).zwfl).toBe(wflZ(1, 80, 11, true));
    expect(one({ weight: 12, lenhei: 86.9 }).zwfl).toBe(wflZ(1, 86.9, 12, true));
    expect(one({ weight: 12, lenhei: 87 }).zwfl).toBe(wflZ(1, 87, 12, false));
    expect(one({ weight: 12, lenhei: 87 }).zwfl).not.toBe(wflZ(1, 87, 12, true));
  });

  it('length table 45–110 cm and height table 65–120 cm, inclusive, on the double value', () => {
    const young = { age: 400, weight: 9, measure: 'L' };
    expect(one({ ...young, lenhei: 45 }).zwfl).not.toBeNull();
    expect(one({ ...young, lenhei: 44.9 }).zwfl).toBeNull();
    expect(one({ ...young, lenhei: 110, weight: 18 }).zwfl).not.toBeNull();
    expect(one({ ...young, lenhei: 110.1, weight: 18 }).zwfl).toBeNull();
    expect(one({ ...young, lenhei: 110.00000000000001, weight: 18 }).zwfl).toBeNull();
    const old = { age: 1000, weight: 9, measure: 'H' };
    expect(one({ ...old, lenhei: 65 }).zwfl).not.toBeNull();
    expect(one({ ...old, lenhei: 64.9 }).zwfl).toBeNull();
    expect(one({ ...old, lenhei: 120, weight: 22 }).zwfl).not.toBeNull();
    expect(one({ ...old, lenhei: 120.1, weight: 22 }).zwfl).toBeNull();
    // 65.7 cm lying at 1000 days → 65.0000…1 after −0.7, still ≥ 65.
    expect(one({ age: 1000, weight: 7, lenhei: 65.7, measure: 'L' }).zwfl).not.toBeNull();
  });

  it('interpolates L, M and S linearly between 0.1 cm rows (§4.1)', () => {
    const x = 65.35;
    const lo = Math.trunc(x * 10) / 10;
    const f = (x - lo) / 0.1;
    const a = sizeLms(tables.weightForLength, 2, 653);
    const b = sizeLms(tables.weightForLength, 2, 654);
    const lms = a.map((v, i) => v + f * (b[i] - v)) as [number, number, number];
    const expected = roundR2(restrictedZ(7.1, ...lms));
    const got = engine.computeOne({ sex: 2, weight: 7.1, lenhei: x, measure: 'L' }).zwfl;
    expect(got).toBe(expected);
    expect(got).not.toBe(roundR2(restrictedZ(7.1, ...a)));
  });
});

describe('§5–§6 LMS formula and restricted z beyond ±3', () => {
  it('weight-based indicators extrapolate linearly beyond +3 and −3 SD', () => {
    const [l, m, s] = ageLms(tables.weightForAge, 1, 400);
    const sd = (k: number) => m * Math.pow(1 + l * s * k, 1 / l);
    const heavy = 17;
    const light = 5.5;
    expect(lmsZ(heavy, l, m, s)).toBeGreaterThan(3);
    expect(lmsZ(light, l, m, s)).toBeLessThan(-3);
    const zHeavy = 3 + (heavy - sd(3)) / (sd(3) - sd(2));
    const zLight = -3 + (light - sd(-3)) / (sd(-2) - sd(-3));
    expect(one({ age: 400, weight: heavy, lenhei: 76 }).zwei).toBe(roundR2(zHeavy));
    expect(one({ age: 400, weight: light, lenhei: 76 }).zwei).toBe(roundR2(zLight));
    expect(roundR2(zHeavy)).not.toBe(roundR2(lmsZ(heavy, l, m, s)));
  });

  it('length/height-for-age is not restricted and never clamped: a −4.2 child stays −4.2', () => {
    const [l, m, s] = ageLms(tables.lengthForAge, 2, 600);
    const r = engine.computeOne({ sex: 2, age: 600, lenhei: 69.5, measure: 'L' });
    expect(r.zlen).toBe(roundR2(lmsZ(69.5, l, m, s)));
    expect(r.zlen!).toBeLessThan(-4);
    expect(r.zlen!).toBeGreaterThan(-4.5);
    const extreme = engine.computeOne({ sex: 2, age: 600, lenhei: 62, measure: 'L' });
    expect(extreme.zlen!).toBeLessThan(-6);
    expect(extreme.flen).toBe(1); // flagged but still reported
  });
});

describe('§8 oedema', () => {
  it('blanks zwei, zwfl and zbmi (cbmi kept); zlen and the others are computed', () => {
    for (const oedema of ['y', 'Y', '1', 'ya', true] as const) {
      const r = one({ age: 500, weight: 9, lenhei: 78, measure: 'L', oedema, headc: 46, armc: 14 });
      expect([r.zwei, r.zwfl, r.zbmi, r.fwei]).toEqual([null, null, null, null]);
      expect(r.cbmi).toBe(9 / ((78 / 100) * (78 / 100)));
      expect(r.zlen).not.toBeNull();
      expect(r.zhc).not.toBeNull();
      expect(r.zac).not.toBeNull();
    }
    for (const oedema of ['n', 'N', '2', null, false] as const) {
      expect(one({ age: 500, weight: 9, lenhei: 78, oedema }).zwei).not.toBeNull();
    }
  });
});

describe('§9 missing values', () => {
  it('missing sex: no z-score, cbmi still given', () => {
    const r = engine.computeOne({ sex: null, age: 500, weight: 9, lenhei: 78 });
    expect([r.zlen, r.zwei, r.zwfl, r.zbmi, r.csex]).toEqual([null, null, null, null, null]);
    expect(r.cbmi).not.toBeNull();
    expect(r.issues).toEqual([]);
  });
});

describe('§11 flags on the rounded z', () => {
  it('flags use the rounded z and strict limits: −6.004 rounds to −6.00, not flagged; −6.02 flagged', () => {
    const [l, m, s] = ageLms(tables.weightForAge, 1, 400);
    const sd = (k: number) => m * Math.pow(1 + l * s * k, 1 / l);
    // Below −3 SD the restricted z is −3 − (SD3 − y)/(SD2 − SD3): solve for the weight.
    const weightAt = (z: number) => sd(-3) + (z + 3) * (sd(-2) - sd(-3));
    const at = one({ age: 400, weight: weightAt(-6.004), lenhei: 76 });
    expect(at.zwei).toBe(-6);
    expect(at.fwei).toBe(0);
    const raw = createGrowthEngine(tables, { round: false }).computeOne({ sex: 1, age: 400, weight: weightAt(-6.004), lenhei: 76 });
    expect(raw.zwei!).toBeCloseTo(-6.004, 9);
    expect(raw.fwei).toBe(1); // the unrounded value would be flagged: anthro flags the rounded one
    const below = one({ age: 400, weight: weightAt(-6.02), lenhei: 76 });
    expect(below.zwei).toBe(-6.02);
    expect(below.fwei).toBe(1);
  });
});

describe('bad input never throws: that value is blanked with a bilingual reason', () => {
  it('zero or negative weight: weight-based results empty, length-for-age computed', () => {
    for (const weight of [0, -3]) {
      const r = one({ age: 400, weight, lenhei: 76, measure: 'L' });
      expect([r.zwei, r.zwfl, r.zbmi, r.cbmi]).toEqual([null, null, null, null]);
      expect(r.zlen).not.toBeNull();
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ field: 'weight', code: 'not_positive' });
      expect(r.issues[0].id).toMatch(/^berat badan: harus lebih dari 0/);
      expect(r.issues[0].en).toMatch(/^weight: must be greater than 0/);
    }
  });

  it('unknown sex, position and oedema codes', () => {
    const s = one({ sex: 'X', age: 400, weight: 9, lenhei: 76 });
    expect(s.csex).toBeNull();
    expect(s.zwei).toBeNull();
    expect(s.issues[0]).toMatchObject({ field: 'sex', code: 'unknown_code' });
    const p = one({ age: 400, weight: 9, lenhei: 76, measure: 'duduk' });
    expect([p.zlen, p.zwfl, p.zbmi, p.clenhei]).toEqual([null, null, null, null]);
    expect(p.zwei).not.toBeNull();
    expect(p.issues[0]).toMatchObject({ field: 'measure', code: 'unknown_code' });
    const o = one({ age: 400, weight: 9, lenhei: 76, oedema: 'maybe' });
    expect([o.zwei, o.zwfl, o.zbmi]).toEqual([null, null, null]);
    expect(o.zlen).not.toBeNull();
    expect(o.issues[0]).toMatchObject({ field: 'oedema', code: 'unknown_code' });
  });

  it('negative age, NaN, Infinity and text', () => {
    const neg = one({ age: -1, weight: 9, lenhei: 76 });
    expect([neg.ageDays, neg.zwei, neg.zwfl]).toEqual([null, null, null]);
    expect(neg.issues[0]).toMatchObject({ field: 'age', code: 'negative_age' });
    const nan = one({ age: 400, weight: NaN, lenhei: 76 });
    expect(nan.zwei).toBeNull();
    expect(nan.zlen).not.toBeNull();
    expect(nan.issues[0]).toMatchObject({ field: 'weight', code: 'not_a_number' });
    const inf = one({ age: 400, weight: 9, lenhei: Infinity });
    expect(inf.zlen).toBeNull();
    expect(inf.zwei).not.toBeNull();
    expect(inf.issues[0]).toMatchObject({ field: 'lenhei', code: 'not_finite' });
    const text = engine.computeOne({ sex: 1, age: 400, weight: 'sembilan' as unknown as number, lenhei: '76,5' as unknown as number });
    expect(text.issues.map((i) => i.field)).toEqual(['weight']);
    expect(text.clenhei).toBe(76.5);
  });

  it('impossible dates and a measurement before birth', () => {
    const bad = one({ birthDate: '2024-02-30', measureDate: '2025-01-01', weight: 9, lenhei: 76 });
    expect([bad.ageDays, bad.zwei, bad.zwfl]).toEqual([null, null, null]);
    expect(bad.issues[0]).toMatchObject({ field: 'birthDate', code: 'invalid_date' });
    const order = one({ birthDate: '2025-02-01', measureDate: '2025-01-01', weight: 9, lenhei: 76 });
    expect(order.issues[0]).toMatchObject({ field: 'measureDate', code: 'date_order' });
    expect(order.zwei).toBeNull();
  });

  it('batch: a bad row is blanked and flagged in `problems`, the other rows are computed', () => {
    const inp = createBatchInput(3);
    inp.sex.set([1, 7, 2]);
    inp.age.set([400, 400, 400]);
    inp.weight.set([9, 9, 0]);
    inp.lenhei.set([76, 76, 76]);
    const out = engine.computeBatch(inp);
    expect(out.problems![0]).toBe(0);
    expect(out.problems![1]).toBe(FIELD_BITS.sex);
    expect(out.problems![2]).toBe(FIELD_BITS.weight);
    expect(Number.isNaN(out.zwei[0])).toBe(false);
    expect(Number.isNaN(out.zwei[1])).toBe(true);
    expect(Number.isNaN(out.zwei[2])).toBe(true);
    expect(Number.isNaN(out.zlen[2])).toBe(false);
    expect(out.fwei[1]).toBe(-1);
  });
});

describe('one code path', () => {
  it('computeOne equals computeBatch on the same record', () => {
    const inp = createBatchInput(1);
    inp.sex[0] = 2;
    inp.age[0] = 812.3;
    inp.weight[0] = 10.4;
    inp.lenhei[0] = 83.2;
    inp.measure[0] = 1;
    inp.headc[0] = 46.1;
    const b = engine.computeBatch(inp);
    const o = engine.computeOne({ sex: 2, age: 812.3, weight: 10.4, lenhei: 83.2, measure: 'L', headc: 46.1 });
    expect([o.zlen, o.zwei, o.zwfl, o.zbmi, o.zhc, o.clenhei, o.cbmi]).toEqual([
      b.zlen[0], b.zwei[0], b.zwfl[0], b.zbmi[0], b.zhc[0], b.clenhei[0], b.cbmi[0],
    ]);
  });

  it('batch age unit: the batch flag, overridden per row by ageIsMonths (1 months, 2 days)', () => {
    const inp = createBatchInput(3);
    inp.ageInMonths = true;
    inp.age.set([24, 24, 731]);
    inp.ageIsMonths.set([0, 1, 2]);
    expect(Array.from(engine.computeBatch(inp).ageDays)).toEqual([731, 731, 731]);
  });

  it('gives the Permenkes statuses of the rounded z-scores', () => {
    const r = engine.computeOne({ sex: 2, age: 600, weight: 7, lenhei: 72, measure: 'L' });
    expect(r.zlen!).toBeLessThan(-3);
    expect(r.status.lengthForAge).toMatchObject({ id: 'Sangat pendek', en: 'Severely stunted' });
    expect(r.status.weightForAge?.code).toBe(r.zwei! < -3 ? 'severely_underweight' : 'underweight');
  });
});

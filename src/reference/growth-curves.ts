/**
 * WHO growth-standard curves (−3 … +3 SD) for the charts, from the verified tables in data/who/.
 * Values at z follow the LMS formula y = M·(1 + L·S·z)^(1/L) (y = M·e^(S·z) when L = 0); the
 * charts draw the WHO standard's published SD lines this way.
 * @see who-growth-standards/ALGORITHM.md
 */
import type { AgeLmsTable, SizeLmsTable, WhoTables } from '../growth/engine.js';
import { readWhoTables } from './who-tables.js';

export type CurveIndicator = 'wfa' | 'lhfa' | 'wfl' | 'wfh' | 'bfa' | 'hcfa' | 'acfa';

export interface GrowthCurveSet {
  indicator: CurveIndicator;
  sex: 1 | 2;
  xUnit: 'days' | 'cm';
  yUnit: 'kg' | 'cm' | 'kg/m2';
  points: { x: number; sd: [number, number, number, number, number, number, number] }[];
}

const AGE_DAYS = 1827;
const AGE_STEP = 7;
const SIZE_STEP = 5; // 0.5 cm on the 0.1 cm grid

let tables: WhoTables | undefined;
const memo = new Map<string, GrowthCurveSet>();

/** y at z for one LMS row, rounded to 3 decimals (the charts need no more). */
export function lmsValue(l: number, m: number, s: number, z: number): number {
  const y = Math.abs(l) < 1e-12 ? m * Math.exp(s * z) : m * Math.pow(1 + l * s * z, 1 / l);
  return Math.round(y * 1000) / 1000;
}

const SDS = [-3, -2, -1, 0, 1, 2, 3] as const;
const sdRow = (l: number, m: number, s: number) => SDS.map((z) => lmsValue(l, m, s, z)) as GrowthCurveSet['points'][number]['sd'];

function ageCurve(t: AgeLmsTable, sex: 1 | 2): GrowthCurveSet['points'] {
  const out: GrowthCurveSet['points'] = [];
  for (let day = 0; day < AGE_DAYS; day = day === AGE_DAYS - 1 ? AGE_DAYS : Math.min(day + AGE_STEP, AGE_DAYS - 1)) {
    const i = ((sex - 1) * AGE_DAYS + day) * 3;
    const [l, m, s] = [t.lms[i], t.lms[i + 1], t.lms[i + 2]];
    if (Number.isNaN(m)) continue;
    out.push({ x: day, sd: sdRow(l, m, s) });
  }
  return out;
}

function sizeCurve(t: SizeLmsTable, sex: 1 | 2): GrowthCurveSet['points'] {
  const out: GrowthCurveSet['points'] = [];
  const n = t.kMax - t.kMin + 1;
  const first = Math.ceil(t.kMin / SIZE_STEP) * SIZE_STEP;
  for (let k = first; k <= t.kMax; k += SIZE_STEP) {
    const i = ((sex - 1) * n + (k - t.kMin)) * 3;
    const [l, m, s] = [t.lms[i], t.lms[i + 1], t.lms[i + 2]];
    if (Number.isNaN(m)) continue;
    out.push({ x: k / 10, sd: sdRow(l, m, s) });
  }
  return out;
}

/** The −3 … +3 SD curves of one indicator and sex (age in days every week, or size every 0.5 cm). */
export function growthCurves(indicator: CurveIndicator, sex: 1 | 2): GrowthCurveSet {
  const key = `${indicator}|${sex}`;
  const hit = memo.get(key);
  if (hit) return hit;
  tables ??= readWhoTables();
  const t = tables;
  const set: GrowthCurveSet = (() => {
    switch (indicator) {
      case 'wfa': return { indicator, sex, xUnit: 'days', yUnit: 'kg', points: ageCurve(t.weightForAge, sex) };
      case 'lhfa': return { indicator, sex, xUnit: 'days', yUnit: 'cm', points: ageCurve(t.lengthForAge, sex) };
      case 'bfa': return { indicator, sex, xUnit: 'days', yUnit: 'kg/m2', points: ageCurve(t.bmiForAge, sex) };
      case 'hcfa': return { indicator, sex, xUnit: 'days', yUnit: 'cm', points: ageCurve(t.headCircumferenceForAge, sex) };
      case 'acfa': return { indicator, sex, xUnit: 'days', yUnit: 'cm', points: ageCurve(t.armCircumferenceForAge, sex) };
      case 'wfl': return { indicator, sex, xUnit: 'cm', yUnit: 'kg', points: sizeCurve(t.weightForLength, sex) };
      case 'wfh': return { indicator, sex, xUnit: 'cm', yUnit: 'kg', points: sizeCurve(t.weightForHeight, sex) };
    }
  })();
  memo.set(key, set);
  return set;
}

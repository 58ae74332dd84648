/**
 * The WHO growth engine in the browser: the same pure code as the server (src/growth), with the
 * WHO tables loaded lazily (a separate chunk, cached by the service worker) so the posyandu day
 * previews z-scores, status and N/T without a network.
 */
import { createGrowthEngine, parseWhoTables, type WhoTables } from '../../../src/growth/engine.js';
import type { GrowthEngine, Sex, WhoTableName } from '../../../src/growth/types.js';
import { parseKbmTable, type KbmTable } from '../../../src/growth/weight-gain.js';
import kbmJson from '../../../data/kbm.json';

const tableTexts = import.meta.glob<string>('../../../data/who/*.csv', { query: '?raw', import: 'default' });

export interface BrowserGrowth {
  engine: GrowthEngine;
  tables: WhoTables;
  kbm: KbmTable;
}

let loading: Promise<BrowserGrowth> | null = null;

/** The engine with all nine WHO tables (loaded once). */
export function loadGrowth(): Promise<BrowserGrowth> {
  loading ??= (async () => {
    const entries = await Promise.all(Object.entries(tableTexts).map(async ([path, load]) => {
      const name = path.slice(path.lastIndexOf('/') + 1, -'.csv'.length) as WhoTableName;
      return [name, await load()] as const;
    }));
    const tables = parseWhoTables(Object.fromEntries(entries) as Record<WhoTableName, string>);
    return { engine: createGrowthEngine(tables), tables, kbm: parseKbmTable(kbmJson) };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** The growth chart indices with WHO reference curves. */
export type ChartIndex = 'wfa' | 'lhfa' | 'wfl';

const AGE_ROWS = 1827;
const Z_LINES = [-3, -2, -1, 0, 1, 2, 3] as const;

function valueAt(l: number, m: number, s: number, z: number): number {
  return Math.abs(l) < 1e-9 ? m * Math.exp(s * z) : m * Math.pow(1 + l * s * z, 1 / l);
}

/**
 * WHO reference curves for z = −3…+3: x is age in months (WFA, L/HFA) or length in cm (WFL/WFH,
 * length table under 2 years, height table from 2 years as the engine switches).
 * @see ALGORITHM.md §4 (LMS), WHO Child Growth Standards 2006
 */
export function referenceCurves(tables: WhoTables, index: ChartIndex, sex: Sex, useHeight = false): { z: number; points: [number, number][] }[] {
  const out = Z_LINES.map((z) => ({ z, points: [] as [number, number][] }));
  if (index === 'wfa' || index === 'lhfa') {
    const lms = (index === 'wfa' ? tables.weightForAge : tables.lengthForAge).lms;
    for (let day = 0; day < AGE_ROWS; day += 15) {
      const at = ((sex - 1) * AGE_ROWS + day) * 3;
      const [l, m, s] = [lms[at], lms[at + 1], lms[at + 2]];
      if (!Number.isFinite(m)) continue;
      for (const line of out) line.points.push([Math.round((day / 30.4375) * 100) / 100, Math.round(valueAt(l, m, s, line.z) * 100) / 100]);
    }
    return out;
  }
  const t = useHeight ? tables.weightForHeight : tables.weightForLength;
  const rows = t.kMax - t.kMin + 1;
  for (let k = t.kMin; k <= t.kMax; k += 5) {
    const at = ((sex - 1) * rows + (k - t.kMin)) * 3;
    const [l, m, s] = [t.lms[at], t.lms[at + 1], t.lms[at + 2]];
    if (!Number.isFinite(m)) continue;
    for (const line of out) line.points.push([k / 10, Math.round(valueAt(l, m, s, line.z) * 100) / 100]);
  }
  return out;
}

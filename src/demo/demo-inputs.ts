/**
 * The demo's inputs from the package's reference data: a regions CSV (default
 * data/regions/kobar-regions.csv, read and validated by src/reference/regions.ts) and the
 * verified WHO tables (data/who, through the growth engine's reader).
 */
import { defaultRegionFiles, readRegionsCsv } from '../reference/regions.js';
import { readWhoTables } from '../reference/who-tables.js';
import { demoReferenceFromWhoTables, type DemoGrowthReference } from './demo-growth.js';
import type { RegionRecord } from './demo.types.js';

/** Regions (from `regionsPath`, default Kobar) and WHO tables, ready for {@link DemoOptions}. */
export function loadDemoInputs(regionsPath = defaultRegionFiles().regions): {
  regions: RegionRecord[];
  reference: DemoGrowthReference;
} {
  return {
    regions: readRegionsCsv(regionsPath).map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })),
    reference: demoReferenceFromWhoTables(readWhoTables()),
  };
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../common/csv.js';
import { generateDemo } from './demo.generator.js';
import { loadDemoInputs } from './demo-inputs.js';
import { writeDemoCsv } from './demo-csv.writer.js';
import { DEMO_COLUMNS, DEMO_TABLES, type DemoOptions } from './demo.types.js';

const inputs = loadDemoInputs();
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tumbuh-demo-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function hashes(options: DemoOptions): Promise<Record<string, string>> {
  const dir = tempDir();
  await writeDemoCsv(generateDemo(options), dir);
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
  return out;
}

describe('demo CSV output', () => {
  const small: DemoOptions = { ...inputs, children: 800, months: 6, seed: 42, batchSize: 700 };

  it('is byte-for-byte identical for the same seed, whatever the batch size', async () => {
    const a = await hashes(small);
    const b = await hashes(small);
    const c = await hashes({ ...small, batchSize: 5000 });
    expect(Object.keys(a)).toEqual(DEMO_TABLES.map((t) => `${t}.csv`).sort());
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('changes with the seed', async () => {
    const a = await hashes(small);
    const other = await hashes({ ...small, seed: 43 });
    expect(other['measurement.csv']).not.toBe(a['measurement.csv']);
    expect(other['child.csv']).not.toBe(a['child.csv']);
    // Regions, puskesmas and the set of desa stay the same: only people and posyandu change.
    expect(other['facility.csv']).not.toBe(a['facility.csv']);
  });

  it('writes one parseable file per table with the documented header', async () => {
    const dir = tempDir();
    const counts = await writeDemoCsv(generateDemo(small), dir);
    for (const table of DEMO_TABLES) {
      const { records } = parseCsv(readFileSync(join(dir, `${table}.csv`), 'utf8'));
      expect(records[0]).toEqual([...DEMO_COLUMNS[table]]);
      expect(records.length - 1).toBe(counts[table]);
      for (const r of records) expect(r.length).toBe(DEMO_COLUMNS[table].length);
    }
    expect(counts.measurement).toBeGreaterThan(2000);
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { catalogueSchema, readIndicatorCatalogue, readInterventions } from './indicators.js';
import { defaultRegionFiles, loadRegions, readRegionsCsv, villagesOf } from './regions.js';
import { packageRoot } from './who-tables.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const README = (dir: string) => readFileSync(join(packageRoot(), 'data', dir, 'README.md'), 'utf8');

describe('reference data files', () => {
  it('are the files whose provenance and sha256 the READMEs record', () => {
    const dir = join(packageRoot(), 'data', 'regions');
    for (const f of ['kobar-regions.csv', 'kalteng-regions.csv', 'kobar-boundaries.geojson']) expect(README('regions')).toContain(sha(join(dir, f)));
    const catalogue = join(packageRoot(), 'data', 'indicators', 'catalogue.json');
    expect(readFileSync(join(packageRoot(), 'data', 'indicators', 'catalogue.sha256'), 'utf8').trim()).toBe(sha(catalogue));
  });

  it('Kobar: 6 kecamatan and 94 desa/kelurahan (81 desa + 13 kelurahan), parents first', () => {
    const rows = readRegionsCsv(defaultRegionFiles().regions);
    const kobar = rows.filter((r) => r.code.startsWith('62.01.'));
    expect(kobar.filter((r) => r.level === 'kecamatan')).toHaveLength(6);
    expect(kobar.filter((r) => r.level === 'desa')).toHaveLength(81);
    expect(kobar.filter((r) => r.level === 'kelurahan')).toHaveLength(13);
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.parent_code) expect(seen.has(r.parent_code)).toBe(true);
      seen.add(r.code);
    }
  });

  it("reads any district's file of the same shape and names the bad line", () => {
    const kalteng = readRegionsCsv(join(packageRoot(), 'data', 'regions', 'kalteng-regions.csv'));
    expect(kalteng).toHaveLength(1722);
    const dir = mkdtempSync(join(tmpdir(), 'tumbuh-regions-'));
    try {
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'code,name,level,parent_code\n62,Kalimantan Tengah,provinsi,\n62.01,X,kabupaten,63\n');
      expect(() => readRegionsCsv(bad)).toThrow(/Line 3|Baris 3/);
      writeFileSync(bad, 'kode,nama\n62,X\n');
      expect(() => readRegionsCsv(bad)).toThrow(/missing columns/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the indicator catalogue holds the 20 Lampiran A indicators plus OUT-01, with sourced targets', () => {
    const c = readIndicatorCatalogue();
    expect(c.indicators.filter((i) => i.kind === 'spesifik')).toHaveLength(9);
    expect(c.indicators.filter((i) => i.kind === 'sensitif')).toHaveLength(11);
    const spe03 = c.indicators.find((i) => i.id === 'SPE-03');
    expect(spe03?.targets.filter((t) => t.year === 2024).map((t) => [t.value, t.source])).toEqual([[58, 'perpres72-lampiran-a'], [80, 'ran-pasti-metadata']]);
    expect(c.indicators.find((i) => i.id === 'SEN-02')?.direction).toBe('lower_better');
    expect(readInterventions().interventions.every((iv) => iv.indicator_id === null || c.indicators.some((i) => i.id === iv.indicator_id))).toBe(true);
    const broken = structuredClone(c);
    broken.indicators[0].targets[0].source = 'nowhere';
    expect(catalogueSchema.safeParse(broken).success).toBe(false);
  });
});

describe('loaded reference data', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('embedded');
  });
  afterAll(async () => t?.close());

  it('holds regions, boundaries, indicators with targets and source documents', async () => {
    expect(await villagesOf(t.db, '62.01')).toHaveLength(94);
    const boundaries = await t.db.selectFrom('region_boundary').select('region_code').execute();
    expect(boundaries).toHaveLength(101);
    const out01 = await t.db.selectFrom('target').innerJoin('target_source', 'target_source.key', 'target.source_key')
      .select(['year', 'level', 'value', 'region_code', 'title']).where('indicator_id', '=', 'OUT-01').orderBy('level').orderBy('year').execute();
    expect(out01.find((r) => r.level === 'kabupaten')).toMatchObject({ year: 2024, value: 12.49, region_code: '62.01' });
    expect(out01.filter((r) => r.level === 'nasional').map((r) => r.year)).toContain(2029);
    expect(out01.every((r) => r.title.length > 0)).toBe(true);
  });

  it('reloading the same regions changes nothing (upsert)', async () => {
    const before = await t.db.selectFrom('region').selectAll().orderBy('code').execute();
    await loadRegions(t.db, readRegionsCsv(defaultRegionFiles().regions));
    expect(await t.db.selectFrom('region').selectAll().orderBy('code').execute()).toEqual(before);
  });
});

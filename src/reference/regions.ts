import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../common/app-error.js';
import { parseCsv } from '../common/csv.js';
import { DB_MESSAGES as M } from '../db/messages.js';
import type { Database, RegionLevel } from '../db/schema.js';
import { packageRoot } from './who-tables.js';

/** One row of a regions CSV (`code,name,level,parent_code`, Kemendagri codes). */
export const regionRowSchema = z
  .object({
    code: z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'Kemendagri code PP[.KK[.CC[.DDDD]]]'),
    name: z.string().trim().min(1),
    level: z.enum(['provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa', 'kelurahan']),
    parent_code: z.string().nullable(),
  })
  .refine((r) => (r.level === 'provinsi') === (r.parent_code === null), 'only a provinsi has no parent_code')
  .refine((r) => r.parent_code === null || r.code.startsWith(r.parent_code + '.'), 'parent_code must be the prefix of code');

export type RegionRow = z.infer<typeof regionRowSchema>;

/** Default regions and boundaries shipped in data/regions/ (Kobar and its province). */
export function defaultRegionFiles(): { regions: string; boundaries: string } {
  const dir = join(packageRoot(), 'data', 'regions');
  return { regions: join(dir, 'kobar-regions.csv'), boundaries: join(dir, 'kobar-boundaries.geojson') };
}

/**
 * Reads and validates a regions CSV of any district (same columns as data/regions/*.csv); rows
 * come back parents first. Throws a bilingual AppError naming the first bad line.
 */
export function readRegionsCsv(file: string): RegionRow[] {
  const { records, lines } = parseCsv(readFileSync(file, 'utf8'));
  const header = records[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  const need = ['code', 'name', 'level', 'parent_code'];
  const missing = need.filter((n) => col(n) < 0);
  if (missing.length > 0) {
    throw new AppError('regions_invalid', M['db.regions.badRow'], { line: 1, file: basename(file), reason: `missing columns ${missing.join(', ')}` });
  }
  const rows: RegionRow[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    if (rec.length === 1 && rec[0].trim() === '') continue;
    const parent = (rec[col('parent_code')] ?? '').trim();
    const parsed = regionRowSchema.safeParse({
      code: (rec[col('code')] ?? '').trim(),
      name: rec[col('name')] ?? '',
      level: (rec[col('level')] ?? '').trim().toLowerCase(),
      parent_code: parent === '' ? null : parent,
    });
    if (!parsed.success) {
      const reason = parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ');
      throw new AppError('regions_invalid', M['db.regions.badRow'], { line: lines[i], file: basename(file), reason });
    }
    if (seen.has(parsed.data.code)) {
      throw new AppError('regions_invalid', M['db.regions.badRow'], { line: lines[i], file: basename(file), reason: `duplicate code ${parsed.data.code}` });
    }
    seen.add(parsed.data.code);
    rows.push(parsed.data);
  }
  return rows.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
}

const featureSchema = z.object({
  properties: z.object({ code: z.string(), centroid_lat: z.number(), centroid_lng: z.number() }).passthrough(),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
});

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Upserts a district's regions (parents first; a parent missing from the file must already be
 * stored). Returns the number of rows written.
 */
export async function loadRegions(db: Db, rows: RegionRow[]): Promise<number> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insertInto('region')
      .values(chunk.map((r) => ({ code: r.code, name: r.name.trim(), level: r.level as RegionLevel, parent_code: r.parent_code })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), level: eb.ref('excluded.level'), parent_code: eb.ref('excluded.parent_code') })))
      .execute();
  }
  return rows.length;
}

/** Upserts the boundary polygons of a GeoJSON FeatureCollection for regions already stored; returns how many. */
export async function loadBoundaries(db: Db, file: string): Promise<number> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { features?: unknown[] };
  const known = new Set((await db.selectFrom('region').select('code').execute()).map((r) => r.code));
  const source = `${basename(file)} sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  let n = 0;
  for (const raw of json.features ?? []) {
    const f = featureSchema.parse(raw);
    if (!known.has(f.properties.code)) continue;
    await db
      .insertInto('region_boundary')
      .values({
        region_code: f.properties.code,
        centroid_lat: f.properties.centroid_lat,
        centroid_lng: f.properties.centroid_lng,
        geometry: JSON.stringify(f.geometry),
        source,
      })
      .onConflict((oc) => oc.column('region_code').doUpdateSet((eb) => ({
        centroid_lat: eb.ref('excluded.centroid_lat'), centroid_lng: eb.ref('excluded.centroid_lng'),
        geometry: eb.ref('excluded.geometry'), source: eb.ref('excluded.source'),
      })))
      .execute();
    n++;
  }
  return n;
}

/** The desa/kelurahan of a kabupaten, in code order. */
export async function villagesOf(db: Db, kabupatenCode: string) {
  return db
    .selectFrom('region')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('kabupaten_code', '=', kabupatenCode)
    .where(sql<boolean>`length(code) = 13`)
    .orderBy('code')
    .execute();
}

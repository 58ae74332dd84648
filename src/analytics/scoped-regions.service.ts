/**
 * The region tree, posyandu list and desa boundaries as a caller may see them: every query is
 * limited by the caller's scope (regionCondition), so a route cannot widen it.
 */
import { sql } from 'kysely';
import { assertRegion, regionCondition, type AccessScope } from '../auth/access.js';
import type { Database, RegionLevel } from '../db/schema.js';
import type { Kysely } from 'kysely';

export interface ScopedRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  visible: boolean;
}

/** Every ancestor code of a region code ('62.01.03.2004' → 62, 62.01, 62.01.03). */
export function ancestorCodes(code: string): string[] {
  const parts = code.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

/**
 * The regions the caller may see, with their ancestors (marked not visible) so the tree can be
 * drawn from the root; in code order.
 */
export async function scopedRegionTree(db: Kysely<Database>, scope: AccessScope): Promise<ScopedRegion[]> {
  const cond = regionCondition(scope, 'code');
  const ancestors = [...new Set((scope.regionCodes ?? []).flatMap(ancestorCodes))];
  const rows = await db.selectFrom('region').select(['code', 'name', 'level', 'parent_code'])
    .where((eb) => (cond ? eb.or([cond as never, eb('code', 'in', ancestors.length ? ancestors : ['-'])]) : eb.val(true)))
    .orderBy('code').execute();
  const visible = new Set<string>();
  if (cond) {
    const v = await db.selectFrom('region').select('code').where(cond).execute();
    for (const r of v) visible.add(r.code);
  }
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, visible: cond === null || visible.has(r.code) }));
}

/** The posyandu below a region that the caller may see (a kader: only its own). */
export async function scopedPosyanduList(db: Kysely<Database>, scope: AccessScope, code: string): Promise<{ id: number; name: string; desaCode: string; desaName: string }[]> {
  assertRegion(scope, code);
  let q = db.selectFrom('facility as f').innerJoin('region as r', 'r.code', 'f.desa_code')
    .select(['f.id', 'f.name', 'f.desa_code', 'r.name as desa_name'])
    .where('f.kind', '=', 'posyandu').where('f.active', '=', true)
    .where((eb) => eb.or([eb('f.desa_code', '=', code), eb('f.desa_code', 'like', `${code}.%`)]));
  const cond = regionCondition(scope, 'f.desa_code');
  if (cond) q = q.where(cond);
  if (scope.role === 'kader') q = q.where('f.id', '=', scope.posyanduId ?? -1);
  const rows = await q.orderBy('f.desa_code').orderBy('f.name').orderBy('f.id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, desaCode: r.desa_code, desaName: r.desa_name }));
}

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string; name: string; level: string; centroid: [number, number] }; geometry: unknown }[];
}

/** GeoJSON of the desa/kelurahan below a region (only those the caller may see). */
export async function scopedBoundaries(db: Kysely<Database>, scope: AccessScope, code: string): Promise<BoundaryCollection> {
  assertRegion(scope, code);
  const cond = regionCondition(scope, 'b.region_code');
  const r = await sql<{ code: string; name: string; level: string; lat: number; lng: number; geometry: unknown }>`
    SELECT b.region_code AS code, r.name, r.level, b.centroid_lat AS lat, b.centroid_lng AS lng, b.geometry
    FROM region_boundary b JOIN region r ON r.code = b.region_code
    WHERE r.level IN ('desa', 'kelurahan') AND (b.region_code = ${code} OR b.region_code LIKE ${`${code}.%`})
      ${cond ? sql`AND ${cond}` : sql``}
    ORDER BY b.region_code`.execute(db);
  return {
    type: 'FeatureCollection',
    features: r.rows.map((x) => ({
      type: 'Feature',
      properties: { code: x.code, name: x.name, level: x.level, centroid: [Number(x.lng), Number(x.lat)] },
      geometry: typeof x.geometry === 'string' ? JSON.parse(x.geometry) : x.geometry,
    })),
  };
}

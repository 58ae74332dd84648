/**
 * The province demo (`tumbuh demo --province 62`): every kabupaten and kota of a province built
 * as the single-district demo builds one, from the real kecamatan and desa of a province regions
 * CSV (data/regions/kalteng-regions.csv for Kalimantan Tengah). Children are shared out over the
 * districts in proportion to their villages; each district draws from its own seed, derived
 * from the province seed and its code, so districts do not repeat each other.
 */
import { apportion } from './demo-plan.js';
import { DEMO_DEFAULTS, type DemoOptions, type RegionRecord } from './demo.types.js';

/** Balita of the province demo in any one month (default: about Kalimantan Tengah's under-fives). */
export const PROVINCE_DEFAULT_CHILDREN = 250_000;

/** One district of a province demo: the options its own generator runs with. */
export interface ProvinceDistrict {
  kabupatenCode: string;
  name: string;
  kecamatan: number;
  villages: number;
  options: DemoOptions;
}

/** What a province demo may be asked for; regions and WHO tables as for one district. */
export interface ProvinceDemoOptions extends Omit<DemoOptions, 'kabupatenCode' | 'children'> {
  provinceCode: string;
  /** Balita in the whole province in any one month (default {@link PROVINCE_DEFAULT_CHILDREN}). */
  children?: number;
}

/** The seed of one district: the province seed and the district's two digits, so each draws differently. */
export function districtSeed(seed: number, kabupatenCode: string): number {
  return seed * 100 + Number(kabupatenCode.slice(3, 5));
}

/**
 * The districts (kabupaten and kota) of `provinceCode` found in the regions, in code order, each
 * with its share of the children (by number of desa/kelurahan, at least one child each) and its
 * generator options. Throws when the province has no district with villages.
 */
export function planProvince(options: ProvinceDemoOptions): ProvinceDistrict[] {
  const { provinceCode, regions } = options;
  const { provinceCode: _province, ...generatorOptions } = options;
  void _province;
  const children = options.children ?? PROVINCE_DEFAULT_CHILDREN;
  if (!/^[0-9]{2}$/.test(provinceCode)) throw new RangeError(`province code must be two digits, not ${provinceCode}`);
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const districts = regions
    .filter((r) => (r.level === 'kabupaten' || r.level === 'kota') && r.parentCode === provinceCode)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const kecOf = new Map<string, RegionRecord[]>();
  const villagesOf = new Map<string, number>();
  for (const r of regions) {
    if (r.level === 'kecamatan' && r.parentCode) kecOf.set(r.parentCode, [...(kecOf.get(r.parentCode) ?? []), r]);
  }
  for (const r of regions) {
    if ((r.level === 'desa' || r.level === 'kelurahan') && r.parentCode) {
      const kab = r.parentCode.slice(0, 5);
      villagesOf.set(kab, (villagesOf.get(kab) ?? 0) + 1);
    }
  }
  const usable = districts.filter((d) => (villagesOf.get(d.code) ?? 0) > 0);
  if (usable.length === 0) throw new RangeError(`no district of province ${provinceCode} with villages in the regions`);
  if (children < usable.length) throw new RangeError(`children must be at least one per district (${usable.length})`);
  const shares = apportion(children - usable.length, usable.map((d) => villagesOf.get(d.code) as number)).map((n) => n + 1);
  return usable.map((d, i) => ({
    kabupatenCode: d.code,
    name: d.name,
    kecamatan: kecOf.get(d.code)?.length ?? 0,
    villages: villagesOf.get(d.code) as number,
    options: {
      ...generatorOptions,
      kabupatenCode: d.code,
      children: shares[i],
      seed: districtSeed(seed, d.code),
    },
  }));
}

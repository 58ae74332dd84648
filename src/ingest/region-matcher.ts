import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../common/csv.js';
import { packageRoot } from '../reference/who-tables.js';

/** One row of data/regions/*.csv (Kemendagri code, name, level, parent). */
export interface RegionRecord {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** Reads a regions CSV (`code,name,level,parent_code`), by default data/regions/kobar-regions.csv. */
export function loadRegionRecords(path: string = join(packageRoot(), 'data', 'regions', 'kobar-regions.csv')): RegionRecord[] {
  const { records } = parseCsv(readFileSync(path, 'utf8'));
  const [header, ...rows] = records;
  const at = (name: string): number => header.indexOf(name);
  const [c, n, l, p] = [at('code'), at('name'), at('level'), at('parent_code')];
  return rows.map((r) => ({ code: r[c], name: r[n], level: r[l], parentCode: r[p] ? r[p] : null }));
}

const PREFIXES = new Set(['desa', 'ds', 'kel', 'kelurahan', 'kec', 'kecamatan', 'kab', 'kabupaten', 'kota']);
const FACILITY_PREFIXES = new Set(['posyandu', 'pos', 'psy', 'pkm', 'puskesmas', 'uptd', 'upt', 'pusk']);
const ABBREVIATIONS: Record<string, string> = { sei: 'sungai', sg: 'sungai', sng: 'sungai', tj: 'tanjung', tg: 'tanjung', p: 'pangkalan', kt: 'kota' };

function tokens(name: string): string[] {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0);
}

/**
 * The comparable form of a region name: case, spaces and punctuation ignored, the prefixes
 * "Desa", "Kel.", "Kelurahan", "Kec." dropped, "Sei"/"Tj."/"P." expanded. "Desa Sido Mulyo",
 * "SIDOMULYO" and "sido-mulyo" share one key.
 */
export function regionKey(name: string): string {
  const t = tokens(name);
  while (t.length > 1 && PREFIXES.has(t[0])) t.shift();
  return t.map((w) => ABBREVIATIONS[w] ?? w).join('');
}

/** The comparable form of a posyandu or puskesmas name ("Posyandu Melati 1" → "melati1"). */
export function facilityKey(name: string): string {
  const t = tokens(name);
  while (t.length > 1 && (FACILITY_PREFIXES.has(t[0]) || PREFIXES.has(t[0]))) t.shift();
  return t.map((w) => ABBREVIATIONS[w] ?? w).join('');
}

/** Edit distance with an early exit once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The outcome of matching a row's Kec + Desa/Kel to Kemendagri codes. */
export type DesaMatch =
  | { ok: true; desaCode: string; kecCode: string; warning: 'kecUnknown' | 'kecMismatch' | null; kecName: string }
  | { ok: false; problem: 'unknown' | 'ambiguous'; candidates: string[] };

interface Village {
  code: string;
  name: string;
  kecCode: string;
  key: string;
}

/**
 * Matches region names as exports write them to the Kemendagri codes of one district. Results
 * are memoised per distinct (Desa/Kel, Kec) pair, so a million rows cost a few hundred lookups.
 */
export class RegionMatcher {
  readonly districtName: string;
  private readonly villagesByKey = new Map<string, Village[]>();
  private readonly villages: Village[] = [];
  private readonly kecByKey = new Map<string, string>();
  private readonly kecNames = new Map<string, string>();
  private readonly memo = new Map<string, DesaMatch>();

  constructor(
    regions: readonly RegionRecord[],
    readonly kabupatenCode: string,
  ) {
    const kab = regions.find((r) => r.code === kabupatenCode);
    this.districtName = kab ? kab.name : kabupatenCode;
    for (const r of regions) {
      if (r.level === 'kecamatan' && r.parentCode === kabupatenCode) {
        this.kecByKey.set(regionKey(r.name), r.code);
        this.kecNames.set(r.code, r.name);
      }
    }
    for (const r of regions) {
      if ((r.level === 'desa' || r.level === 'kelurahan') && r.parentCode && this.kecNames.has(r.parentCode)) {
        const v: Village = { code: r.code, name: r.name, kecCode: r.parentCode, key: regionKey(r.name) };
        this.villages.push(v);
        const list = this.villagesByKey.get(v.key) ?? [];
        list.push(v);
        this.villagesByKey.set(v.key, list);
      }
    }
  }

  /** Number of desa/kelurahan in the district. */
  get villageCount(): number {
    return this.villages.length;
  }

  /** Kemendagri code of a kecamatan of the district, or null. */
  matchKec(raw: string): string | null {
    return this.kecByKey.get(regionKey(raw)) ?? null;
  }

  /** Name of a kecamatan by code. */
  kecName(code: string): string {
    return this.kecNames.get(code) ?? code;
  }

  /** Matches Desa/Kel (disambiguated by Kec when a name occurs twice). */
  matchDesa(desaRaw: string, kecRaw: string): DesaMatch {
    const memoKey = `${desaRaw}\u0001${kecRaw}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const result = this.compute(desaRaw, kecRaw);
    if (this.memo.size < 100_000) this.memo.set(memoKey, result);
    return result;
  }

  private compute(desaRaw: string, kecRaw: string): DesaMatch {
    const key = regionKey(desaRaw);
    const kecCode = kecRaw.trim() ? this.matchKec(kecRaw) : null;
    const found = this.villagesByKey.get(key) ?? [];
    let pick: Village | undefined;
    if (found.length === 1) pick = found[0];
    else if (found.length > 1) {
      pick = kecCode ? found.find((v) => v.kecCode === kecCode) : undefined;
      if (!pick) {
        return { ok: false, problem: 'ambiguous', candidates: found.map((v) => `${v.name} (${this.kecName(v.kecCode)})`) };
      }
    }
    if (!pick) return { ok: false, problem: 'unknown', candidates: this.closest(key) };
    const warning = kecRaw.trim() === '' ? null : kecCode === null ? 'kecUnknown' : kecCode !== pick.kecCode ? 'kecMismatch' : null;
    return { ok: true, desaCode: pick.code, kecCode: pick.kecCode, warning, kecName: this.kecName(pick.kecCode) };
  }

  /** The three villages whose names are closest to `key` ("Name (Kecamatan)"). */
  private closest(key: string): string[] {
    const scored = this.villages.map((v) => {
      let d = distance(key, v.key, 64);
      if (key.length >= 4 && (v.key.includes(key) || key.includes(v.key))) d = Math.min(d, 1);
      return { v, d };
    });
    scored.sort((a, b) => a.d - b.d || a.v.name.localeCompare(b.v.name));
    return scored.slice(0, 3).map(({ v }) => `${v.name} (${this.kecName(v.kecCode)})`);
  }
}

/**
 * Which target applies to an indicator in a region and year, pure. National targets can be
 * overridden by provincial, district, kecamatan and desa targets (the most specific level wins);
 * where documents disagree every figure is kept and one is chosen: a district's own target, else
 * the district's preferred source, else the configured source priority.
 */

export type TargetLevel = 'nasional' | 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa';

export interface TargetRow {
  indicatorId: string;
  year: number;
  level: TargetLevel;
  regionCode: string | null;
  value: number;
  sourceKey: string;
  verified: boolean;
  origin: 'catalogue' | 'district';
}

export interface TargetAlternative {
  value: number;
  sourceKey: string;
  year: number;
  level: TargetLevel;
}

export interface ResolvedTarget extends TargetAlternative {
  regionCode: string | null;
  verified: boolean;
  origin: 'catalogue' | 'district';
  /** Set when no target exists for the year asked and an earlier one is used. */
  carriedFrom: number | null;
  /** The other figures for the same level and year (documents that disagree). */
  alternatives: TargetAlternative[];
}

export interface TargetChoice {
  /** Preferred source per indicator and year (target_preference), key `${indicator}|${year}`. */
  preferences: ReadonlyMap<string, string>;
  sourcePriority: readonly string[];
  carryForward: boolean;
}

/** The levels to look at for a region, most specific first: its own code, then its parents. */
export function targetChain(regionCode: string): { level: TargetLevel; code: string | null }[] {
  const out: { level: TargetLevel; code: string | null }[] = [];
  if (regionCode.length === 13) out.push({ level: 'desa', code: regionCode });
  if (regionCode.length >= 8) out.push({ level: 'kecamatan', code: regionCode.slice(0, 8) });
  if (regionCode.length >= 5) out.push({ level: 'kabupaten', code: regionCode.slice(0, 5) });
  out.push({ level: 'provinsi', code: regionCode.slice(0, 2) }, { level: 'nasional', code: null });
  return out;
}

function pick(rows: TargetRow[], year: number, choice: TargetChoice): TargetRow {
  const preferred = choice.preferences.get(`${rows[0].indicatorId}|${year}`);
  const rank = (r: TargetRow): number[] => {
    const p = choice.sourcePriority.indexOf(r.sourceKey);
    return [r.origin === 'district' ? 0 : 1, r.sourceKey === preferred ? 0 : 1, p < 0 ? choice.sourcePriority.length : p, r.verified ? 0 : 1];
  };
  return rows.slice().sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0;
  })[0];
}

/**
 * The target of one indicator for a region and year from all its target rows, or null when there
 * is none (nor an earlier one to carry forward).
 */
export function resolveTarget(rows: readonly TargetRow[], regionCode: string, year: number, choice: TargetChoice): ResolvedTarget | null {
  const chain = targetChain(regionCode);
  const atLevel = (level: TargetLevel, code: string | null) => rows.filter((r) => r.level === level && r.regionCode === code);
  const build = (same: TargetRow[], y: number, carried: boolean): ResolvedTarget => {
    const chosen = pick(same, y, choice);
    return {
      value: chosen.value, sourceKey: chosen.sourceKey, year: chosen.year, level: chosen.level, regionCode: chosen.regionCode,
      verified: chosen.verified, origin: chosen.origin, carriedFrom: carried ? chosen.year : null,
      alternatives: same.filter((r) => r !== chosen).map((r) => ({ value: r.value, sourceKey: r.sourceKey, year: r.year, level: r.level })),
    };
  };
  for (const c of chain) {
    const same = atLevel(c.level, c.code).filter((r) => r.year === year);
    if (same.length > 0) return build(same, year, false);
  }
  if (!choice.carryForward) return null;
  for (const c of chain) {
    const earlier = atLevel(c.level, c.code).filter((r) => r.year < year);
    if (earlier.length === 0) continue;
    const latest = Math.max(...earlier.map((r) => r.year));
    return build(earlier.filter((r) => r.year === latest), latest, true);
  }
  return null;
}

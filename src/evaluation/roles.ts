/**
 * Penyelarasan peran, pure: the stakeholder × indicator × region matrix built from follow-up
 * actions and partner commitments, and the gaps — desa where an indicator is off-track and no
 * active action or commitment covers it.
 */

export type StakeholderType = 'opd' | 'pkk' | 'tpk' | 'kader' | 'nakes' | 'pemdes' | 'csr' | 'lainnya';

export interface RoleInput {
  kind: 'action' | 'commitment';
  id: number;
  stakeholderType: StakeholderType;
  stakeholder: string;
  indicatorIds: string[];
  /** Desa, kecamatan or kabupaten codes; empty = the whole kabupaten. */
  regionCodes: string[];
  active: boolean;
}

export interface RoleCell {
  stakeholderType: StakeholderType;
  stakeholder: string;
  indicatorId: string;
  regionCode: string;
  actions: number[];
  commitments: number[];
}

export interface RoleGap {
  indicatorId: string;
  desaCode: string;
  status: string;
}

/** One matrix cell per stakeholder × indicator × region, listing the actions and commitments behind it. */
export function rolesMatrix(inputs: readonly RoleInput[], kabupatenCode: string): RoleCell[] {
  const cells = new Map<string, RoleCell>();
  for (const r of inputs) {
    if (!r.active) continue;
    const regions = r.regionCodes.length > 0 ? r.regionCodes : [kabupatenCode];
    for (const indicatorId of r.indicatorIds) {
      for (const regionCode of regions) {
        const key = `${r.stakeholderType}|${r.stakeholder}|${indicatorId}|${regionCode}`;
        let cell = cells.get(key);
        if (!cell) {
          cell = { stakeholderType: r.stakeholderType, stakeholder: r.stakeholder, indicatorId, regionCode, actions: [], commitments: [] };
          cells.set(key, cell);
        }
        (r.kind === 'action' ? cell.actions : cell.commitments).push(r.id);
      }
    }
  }
  return [...cells.values()].sort((a, b) =>
    a.stakeholderType.localeCompare(b.stakeholderType) || a.stakeholder.localeCompare(b.stakeholder)
    || a.indicatorId.localeCompare(b.indicatorId) || a.regionCode.localeCompare(b.regionCode));
}

/** Whether a cell's region covers a desa: the desa itself, its kecamatan or its kabupaten. */
export function covers(regionCode: string, desaCode: string): boolean {
  return desaCode.startsWith(regionCode);
}

/**
 * Off-track desa × indicator pairs that no active action or commitment covers, in the order
 * given (callers pass them worst first).
 */
export function roleGaps(cells: readonly RoleCell[], offTrack: readonly RoleGap[]): RoleGap[] {
  const byIndicator = new Map<string, string[]>();
  for (const c of cells) {
    const list = byIndicator.get(c.indicatorId) ?? [];
    list.push(c.regionCode);
    byIndicator.set(c.indicatorId, list);
  }
  return offTrack.filter((g) => !(byIndicator.get(g.indicatorId) ?? []).some((code) => covers(code, g.desaCode)));
}

/**
 * Priority villages for the evaluation report, pure: a weighted index of percentile ranks
 * (routine stunting prevalence after small-area shrinkage, stunted children, low D/S coverage,
 * off-track indicators), with the reasons behind each village's place.
 */
import { shrinkTowardParent } from '../analytics/small-area.js';
import type { ScorecardSettings } from './evaluation-config.js';

export interface PriorityInput {
  desaCode: string;
  stunted: number;
  measured: number;
  registered: number;
  stuntingDenom: number;
  offTrack: number;
}

export interface PriorityVillage {
  desaCode: string;
  rank: number;
  score: number;
  /** Shrunk prevalence and the raw one, percent. */
  prevalence: number | null;
  rawPrevalence: number | null;
  stunted: number;
  coverage: number | null;
  offTrack: number;
  reasons: PriorityReason[];
}

export type PriorityReason =
  | { code: 'prevalence'; value: number; rank: number }
  | { code: 'stunted'; value: number; rank: number }
  | { code: 'coverage'; value: number; rank: number }
  | { code: 'offTrack'; value: number; rank: number };

/** Percentile rank (0–1) of each value, higher value → higher rank; ties share the mean rank. */
function percentiles(values: number[]): number[] {
  const n = values.length;
  if (n <= 1) return values.map(() => 1);
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && idx[j + 1][0] === idx[i][0]) j++;
    const r = (i + j) / 2 / (n - 1);
    for (let k = i; k <= j; k++) out[idx[k][1]] = r;
    i = j + 1;
  }
  return out;
}

function ordinal(values: number[], i: number, higherWorse: boolean): number {
  return 1 + values.filter((v) => (higherWorse ? v > values[i] : v < values[i])).length;
}

/** The priority villages, best first, with the index and the reasons that put them there. */
export function priorityVillages(inputs: readonly PriorityInput[], settings: Pick<ScorecardSettings, 'priorityWeights' | 'priorityCount'>): PriorityVillage[] {
  const list = inputs.filter((d) => d.stuntingDenom > 0 || d.registered > 0);
  if (list.length === 0) return [];
  const shrunk = new Map(
    shrinkTowardParent(list.map((d) => ({ code: d.desaCode, parent: d.desaCode.slice(0, 8), cases: d.stunted, n: d.stuntingDenom })))
      .map((e) => [e.code, e]),
  );
  const prev = list.map((d) => 100 * (shrunk.get(d.desaCode)?.shrunkRate ?? 0));
  const stunted = list.map((d) => d.stunted);
  const gap = list.map((d) => (d.registered > 0 ? 100 - (100 * d.measured) / d.registered : 0));
  const off = list.map((d) => d.offTrack);
  const w = settings.priorityWeights;
  const [pp, ps, pg, po] = [percentiles(prev), percentiles(stunted), percentiles(gap), percentiles(off)];
  const scored = list.map((d, i) => {
    const score = 100 * (w.prevalence * pp[i] + w.stunted * ps[i] + w.coverage * pg[i] + w.offTrack * po[i]) /
      Math.max(1e-12, w.prevalence + w.stunted + w.coverage + w.offTrack);
    const reasons: { r: PriorityReason; weight: number }[] = [
      { r: { code: 'prevalence', value: prev[i], rank: ordinal(prev, i, true) }, weight: w.prevalence * pp[i] },
      { r: { code: 'stunted', value: stunted[i], rank: ordinal(stunted, i, true) }, weight: w.stunted * ps[i] },
      { r: { code: 'coverage', value: 100 - gap[i], rank: ordinal(gap, i, true) }, weight: w.coverage * pg[i] },
      { r: { code: 'offTrack', value: off[i], rank: ordinal(off, i, true) }, weight: w.offTrack * po[i] },
    ];
    return {
      desaCode: d.desaCode, rank: 0, score,
      prevalence: d.stuntingDenom > 0 ? prev[i] : null,
      rawPrevalence: d.stuntingDenom > 0 ? (100 * d.stunted) / d.stuntingDenom : null,
      stunted: d.stunted, coverage: d.registered > 0 ? (100 * d.measured) / d.registered : null, offTrack: d.offTrack,
      reasons: reasons.filter((x) => x.weight > 0).sort((a, b) => b.weight - a.weight).slice(0, 3).map((x) => x.r),
    };
  });
  scored.sort((a, b) => b.score - a.score || a.desaCode.localeCompare(b.desaCode));
  return scored.slice(0, settings.priorityCount).map((v, i) => ({ ...v, rank: i + 1 }));
}

import { createBatchInput, createBatchOutput } from '../growth/engine.js';
import type { GrowthBatchOutput, GrowthEngine } from '../growth/types.js';
import type { EppgbmRecord } from './eppgbm-row.js';

/**
 * How far e-PPGBM's own z-score may be from WHO's before it counts as a disagreement. e-PPGBM
 * prints two decimals, and its age-in-months arithmetic can move a z-score by a few hundredths;
 * beyond 0.1 the numbers tell a different story about the child.
 */
export const Z_DISAGREEMENT_TOLERANCE = 0.1;

/** Bits of {@link GrowthCheck.disagree}: which of e-PPGBM's z-scores differ from WHO's. */
export const DISAGREE_WEI = 1;
export const DISAGREE_LEN = 2;
export const DISAGREE_WFL = 4;

/** WHO results for a block of records plus, per record, where e-PPGBM disagreed. */
export interface GrowthCheck {
  out: GrowthBatchOutput;
  disagree: Uint8Array;
}

/**
 * Recomputes every z-score of a block of accepted rows with the growth engine (columnar batch,
 * ages from the two dates) and compares them with the z-scores the export carried.
 * @see ALGORITHM.md (WHO anthro method), issue 4 §5
 */
export function checkGrowth(engine: GrowthEngine, records: readonly EppgbmRecord[]): GrowthCheck {
  const n = records.length;
  const input = createBatchInput(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    input.sex[i] = r.sex;
    input.age[i] = r.measureDay - r.birthDay;
    input.weight[i] = r.weight;
    input.lenhei[i] = r.height ?? NaN;
    input.measure[i] = r.measure === 'l' ? 1 : r.measure === 'h' ? 2 : 0;
    input.armc[i] = r.lila ?? NaN;
    input.headc[i] = r.headc ?? NaN;
  }
  const out = engine.computeBatch(input, createBatchOutput(n));
  const disagree = new Uint8Array(n);
  const differs = (own: number | null, who: number): boolean =>
    own !== null && !Number.isNaN(who) && Math.abs(own - who) > Z_DISAGREEMENT_TOLERANCE + 1e-9;
  for (let i = 0; i < n; i++) {
    const own = records[i].own;
    let bits = 0;
    if (differs(own.zwei, out.zwei[i])) bits |= DISAGREE_WEI;
    if (differs(own.zlen, out.zlen[i])) bits |= DISAGREE_LEN;
    if (differs(own.zwfl, out.zwfl[i])) bits |= DISAGREE_WFL;
    disagree[i] = bits;
  }
  return { out, disagree };
}

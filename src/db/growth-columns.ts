import { createBatchInput, createBatchOutput } from '../growth/engine.js';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from '../growth/permenkes.js';
import type { GrowthBatchInput, GrowthBatchOutput, GrowthEngine } from '../growth/types.js';
import type { KbmTable } from '../growth/weight-gain.js';
import { loadGrowthEngine, loadKbmTable } from '../reference/who-tables.js';

/** What the write path needs from src/growth: the z-score engine and the KBM table. */
export interface WritePathDeps {
  engine: GrowthEngine;
  kbm: KbmTable;
}

/** The engine and KBM table read (once) from data/. */
export function defaultWritePathDeps(): WritePathDeps {
  return { engine: loadGrowthEngine(), kbm: loadKbmTable() };
}

/** The inputs of one measurement that the growth engine reads. */
export interface GrowthInputs {
  sex: 1 | 2;
  birthDate: string;
  measuredOn: string;
  weightKg: number | null;
  lenheiCm: number | null;
  position: 'L' | 'H' | null;
  oedema: boolean;
  muacCm: number | null;
  headCm: number | null;
}

/** The measurement columns computed from {@link GrowthInputs} (names as in the table). */
export interface GrowthColumns {
  clenhei: number | null;
  cbmi: number | null;
  zlen: number | null; flen: 0 | 1 | null;
  zwei: number | null; fwei: 0 | 1 | null;
  zwfl: number | null; fwfl: 0 | 1 | null;
  zbmi: number | null; fbmi: 0 | 1 | null;
  zac: number | null; fac: 0 | 1 | null;
  zhc: number | null; fhc: 0 | 1 | null;
  status_wfa: string | null;
  status_lfa: string | null;
  status_wfl: string | null;
  status_bfa: string | null;
}

/** Day number (days since 1970-01-01) of an ISO date, NaN when malformed. */
export function dayNumber(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return NaN;
  const ms = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return ms / 86_400_000;
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/**
 * A reusable columnar buffer: `set(i, inputs)` fills row i, `compute(n)` runs the engine on the
 * first n rows; the output arrays are then read with the accessors below.
 */
export class GrowthBatch {
  readonly input: Required<GrowthBatchInput>;
  out: GrowthBatchOutput;

  constructor(
    private readonly engine: GrowthEngine,
    readonly capacity: number,
  ) {
    this.input = createBatchInput(capacity, false);
    this.out = createBatchOutput(capacity);
  }

  set(i: number, m: GrowthInputs): void {
    const inp = this.input;
    inp.sex[i] = m.sex;
    inp.age[i] = dayNumber(m.measuredOn) - dayNumber(m.birthDate);
    inp.weight[i] = num(m.weightKg);
    inp.lenhei[i] = num(m.lenheiCm);
    inp.measure[i] = m.position === 'L' ? 1 : m.position === 'H' ? 2 : 0;
    inp.oedema[i] = m.oedema ? 1 : 0;
    inp.armc[i] = num(m.muacCm);
    inp.headc[i] = num(m.headCm);
    inp.problems[i] = 0;
  }

  compute(n: number): void {
    const inp = this.input;
    inp.length = n;
    this.out.length = n;
    this.out = this.engine.computeBatch(inp, this.out);
  }

  /** The computed columns of row i as a record (for one-row writes). */
  columns(i: number): GrowthColumns {
    const o = this.out;
    const [zlen, flen] = zf(o.zlen[i], o.flen[i]);
    const [zwei, fwei] = zf(o.zwei[i], o.fwei[i]);
    const [zwfl, fwfl] = zf(o.zwfl[i], o.fwfl[i]);
    const [zbmi, fbmi] = zf(o.zbmi[i], o.fbmi[i]);
    const [zac, fac] = zf(o.zac[i], o.fac[i]);
    const [zhc, fhc] = zf(o.zhc[i], o.fhc[i]);
    return {
      clenhei: finite(o.clenhei[i]),
      cbmi: finite(o.cbmi[i]),
      zlen, flen, zwei, fwei, zwfl, fwfl, zbmi, fbmi, zac, fac, zhc, fhc,
      status_wfa: weightForAgeStatus(zwei, fwei)?.code ?? null,
      status_lfa: lengthForAgeStatus(zlen, flen)?.code ?? null,
      status_wfl: weightForLengthStatus(zwfl, fwfl)?.code ?? null,
      status_bfa: bmiForAgeStatus(zbmi, fbmi)?.code ?? null,
    };
  }
}

// Columns are numeric(5,2)/(6,2): a value the column cannot hold is an absurd input, stored as missing.
function finite(v: number): number | null {
  return v === v && Math.abs(v) < 9999.995 ? v : null;
}

function zf(z: number, f: number): [number | null, 0 | 1 | null] {
  if (z !== z || f < 0 || Math.abs(z) >= 999.995) return [null, null];
  return [z, f === 1 ? 1 : 0];
}

/** The computed columns of one measurement (forms): the same kernel as the bulk path. */
export function computeGrowthColumns(engine: GrowthEngine, m: GrowthInputs): GrowthColumns {
  const batch = new GrowthBatch(engine, 1);
  batch.set(0, m);
  batch.compute(1);
  return batch.columns(0);
}

/** Writes a GrowthColumns record's values (COPY text order of {@link GROWTH_COLUMN_NAMES}). */
export const GROWTH_COLUMN_NAMES = [
  'clenhei', 'cbmi', 'zlen', 'flen', 'zwei', 'fwei', 'zwfl', 'fwfl', 'zbmi', 'fbmi', 'zac', 'fac',
  'zhc', 'fhc', 'status_wfa', 'status_lfa', 'status_wfl', 'status_bfa',
] as const satisfies readonly (keyof GrowthColumns)[];

export type { GrowthBatchOutput };

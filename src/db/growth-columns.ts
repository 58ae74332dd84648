import { createBatchInput, createBatchOutput } from '../growth/engine.js';
import { bmiForAgeStatus, lengthForAgeStatus, weightForAgeStatus, weightForLengthStatus } from '../growth/permenkes.js';
import type { GrowthBatchInput, GrowthBatchOutput, GrowthEngine } from '../growth/types.js';
import type { KbmTable } from '../growth/weight-gain.js';
import type { CopyTextWriter } from './copy-text.js';
import { measurementBits } from './rollup-delta.js';
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

  /**
   * Row i's computed columns as COPY text, in {@link GROWTH_COLUMN_NAMES} order: the same values as
   * {@link columns} without building a record (the bulk path writes millions of rows).
   */
  writeCopy(i: number, w: CopyTextWriter): void {
    const o = this.out;
    w.numOrNull(finite(o.clenhei[i])).numOrNull(finite(o.cbmi[i]));
    const zlen = zOrNull(o.zlen[i], o.flen[i]);
    const flen = zlen === null ? null : o.flen[i] === 1 ? 1 : 0;
    const zwei = zOrNull(o.zwei[i], o.fwei[i]);
    const fwei = zwei === null ? null : o.fwei[i] === 1 ? 1 : 0;
    const zwfl = zOrNull(o.zwfl[i], o.fwfl[i]);
    const fwfl = zwfl === null ? null : o.fwfl[i] === 1 ? 1 : 0;
    const zbmi = zOrNull(o.zbmi[i], o.fbmi[i]);
    const fbmi = zbmi === null ? null : o.fbmi[i] === 1 ? 1 : 0;
    w.numOrNull(zlen).numOrNull(flen).numOrNull(zwei).numOrNull(fwei).numOrNull(zwfl).numOrNull(fwfl).numOrNull(zbmi).numOrNull(fbmi);
    const zac = zOrNull(o.zac[i], o.fac[i]);
    w.numOrNull(zac).numOrNull(zac === null ? null : o.fac[i] === 1 ? 1 : 0);
    const zhc = zOrNull(o.zhc[i], o.fhc[i]);
    w.numOrNull(zhc).numOrNull(zhc === null ? null : o.fhc[i] === 1 ? 1 : 0);
    w.strOrNull(weightForAgeStatus(zwei, fwei)?.code)
      .strOrNull(lengthForAgeStatus(zlen, flen)?.code)
      .strOrNull(weightForLengthStatus(zwfl, fwfl)?.code)
      .strOrNull(bmiForAgeStatus(zbmi, fbmi)?.code);
  }
}

/**
 * Row i's rollup indicator bits ({@link measurementBits}) given its weight-gain judgement: what
 * the rollups will count for it if it is its child's latest measurement of the month.
 */
export function rollupBitsOf(batch: GrowthBatch, i: number, weightGain: string | null, twoT: boolean): number {
  const o = batch.out;
  const zlen = zOrNull(o.zlen[i], o.flen[i]);
  const zwfl = zOrNull(o.zwfl[i], o.fwfl[i]);
  const zwei = zOrNull(o.zwei[i], o.fwei[i]);
  return measurementBits({
    zlen, flen: zlen === null ? null : o.flen[i] === 1 ? 1 : 0,
    zwfl, fwfl: zwfl === null ? null : o.fwfl[i] === 1 ? 1 : 0,
    zwei, fwei: zwei === null ? null : o.fwei[i] === 1 ? 1 : 0,
    weightGain, twoT,
  });
}

function zOrNull(z: number, f: number): number | null {
  return z !== z || f < 0 || Math.abs(z) >= 999.995 ? null : z;
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

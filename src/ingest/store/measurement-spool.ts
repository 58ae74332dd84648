import type { BulkMeasurementRow } from '../../db/measurement.loader.js';
import { isoFromDay } from '../value-parsers.js';

const CHUNK = 65_536;

interface Chunk {
  childId: Float64Array;
  posyanduId: Float64Array;
  birthDay: Int32Array;
  measureDay: Int32Array;
  weight: Float64Array;
  height: Float64Array;
  muac: Float64Array;
  head: Float64Array;
  /** bits 0-1 sex, bits 2-3 position (0 none, 1 L, 2 H), bits 4+ index of the desa code */
  packed: Int32Array;
}

function newChunk(): Chunk {
  return {
    childId: new Float64Array(CHUNK), posyanduId: new Float64Array(CHUNK), birthDay: new Int32Array(CHUNK), measureDay: new Int32Array(CHUNK),
    weight: new Float64Array(CHUNK), height: new Float64Array(CHUNK), muac: new Float64Array(CHUNK), head: new Float64Array(CHUNK),
    packed: new Int32Array(CHUNK),
  };
}

const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = isoFromDay(day);
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}

/**
 * Accepted measurements held between reading the file and the COPY, in typed-array columns
 * (about 60 bytes a row instead of an object with strings): a million rows stay within memory.
 * Missing numbers are NaN; a missing posyandu is -1.
 */
export class MeasurementSpool {
  private readonly chunks: Chunk[] = [];
  private readonly desaCodes: string[] = [];
  private readonly desaIndex = new Map<string, number>();
  length = 0;

  constructor(private readonly kabupatenCode: string) {}

  push(
    desaCode: string, posyanduId: number | null, childId: number, sex: 1 | 2, birthDay: number, measureDay: number,
    weightKg: number | null, lenheiCm: number | null, measure: 'l' | 'h' | null, muacCm: number | null, headCm: number | null,
  ): void {
    const at = this.length % CHUNK;
    if (at === 0) this.chunks.push(newChunk());
    const c = this.chunks[this.chunks.length - 1];
    let d = this.desaIndex.get(desaCode);
    if (d === undefined) {
      d = this.desaCodes.length;
      this.desaCodes.push(desaCode);
      this.desaIndex.set(desaCode, d);
    }
    c.childId[at] = childId;
    c.posyanduId[at] = posyanduId ?? -1;
    c.birthDay[at] = birthDay;
    c.measureDay[at] = measureDay;
    c.weight[at] = weightKg ?? NaN;
    c.height[at] = lenheiCm ?? NaN;
    c.muac[at] = muacCm ?? NaN;
    c.head[at] = headCm ?? NaN;
    c.packed[at] = sex | ((measure === 'l' ? 1 : measure === 'h' ? 2 : 0) << 2) | (d << 4);
    this.length++;
  }

  /** The rows again as the bulk loader takes them, one object at a time. */
  *rows(): Generator<BulkMeasurementRow> {
    const num = (v: number): number | null => (Number.isNaN(v) ? null : v);
    for (let i = 0; i < this.length; i++) {
      const c = this.chunks[(i / CHUNK) | 0];
      const at = i % CHUNK;
      const p = c.packed[at];
      const pos = (p >> 2) & 3;
      const posyanduId = c.posyanduId[at];
      yield {
        kabupatenCode: this.kabupatenCode,
        desaCode: this.desaCodes[p >> 4],
        posyanduId: posyanduId < 0 ? null : posyanduId,
        childId: c.childId[at],
        birthDate: iso(c.birthDay[at]),
        sex: (p & 3) as 1 | 2,
        measuredOn: iso(c.measureDay[at]),
        weightKg: num(c.weight[at]),
        lenheiCm: num(c.height[at]),
        position: pos === 1 ? 'L' : pos === 2 ? 'H' : null,
        muacCm: num(c.muac[at]),
        headCm: num(c.head[at]),
      };
    }
  }
}

/**
 * Survey prevalence exactly as WHO's `anthro_prevalence` reports it: for every group (All, age
 * group, sex, age × sex, then area, region, wealth quintile, maternal education, other grouping
 * and any project grouping), for HA, WA, BMI and WH the numbers of children, the prevalences below
 * −3/−2/−1 and above +1/+2/+3 SD with SE and 95 % CI, the mean z-score with SE and CI and the SD,
 * and the combined stunted-and-wasted / stunted-and-overweight prevalences — 135 columns with
 * anthro's names. Pure: z-scores in, table out.
 *
 * One estimator covers anthro's three code paths. With every row its own PSU in one stratum and
 * all weights 1, the Taylor-linearised domain variance reduces to anthro's closed form of the
 * simple path (SE = √(N/(N−1))·√Σ(y−r)²/n; logit CI with s = SE/(r(1−r))); with weights it is the
 * "hybrid" path; with clusters and strata it is R survey's `svymean`/`svyciprop(method = "logit")`
 * on a domain of a design with `nest = TRUE` and `survey.lonely.psu = "adjust"`. What differs
 * between the paths — degrees of freedom, the n in the SD, the order of grouping values — is set
 * per path below.
 *
 * @see ALGORITHM.md §14; prevalence-reference/README.md (copied to fixtures/README.md)
 */
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { logistic, qt } from '../common/distributions.js';

const M = defineMessages({
  'prevalence.negativeWeight': {
    id: 'Bobot sampel negatif tidak diperbolehkan (baris data ke-{row}).',
    en: 'Negative sampling weights are not allowed (data row {row}).',
  },
  'prevalence.lengthMismatch': {
    id: 'Kolom masukan prevalensi tidak sama panjang ({name}).',
    en: 'Prevalence input columns differ in length ({name}).',
  },
});

/** Days per month used by anthro (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

/** Indices in anthro's column order. */
export const PREVALENCE_INDICATORS = ['HA', 'WA', 'BMI', 'WH'] as const;
export type PrevalenceIndicator = (typeof PREVALENCE_INDICATORS)[number];

/** Cut-offs: z < −3, < −2, < −1, > +1, > +2, > +3 (strict), with anthro's column stems. */
export const PREVALENCE_CUTOFFS = [-3, -2, -1, 1, 2, 3] as const;
const CUTOFF_SUFFIX = ['_3', '_2', '_1', '1', '2', '3'] as const;

/** The 135 columns of anthro_prevalence, in anthro's order. */
export const PREVALENCE_COLUMNS: readonly string[] = (() => {
  const cols = ['Group'];
  for (const x of PREVALENCE_INDICATORS) {
    cols.push(`${x}Z_pop`, `${x}Z_unwpop`);
    for (const s of CUTOFF_SUFFIX) cols.push(`${x}${s}_r`, `${x}${s}_se`, `${x}${s}_ll`, `${x}${s}_ul`);
    cols.push(`${x}_r`, `${x}_se`, `${x}_ll`, `${x}_ul`, `${x}_stdev`);
  }
  cols.push('HA_2_WH_2_pop', 'HA_2_WH_2_unwpop', 'HA_2_WH_2_r', 'HA_2_WH_2_se', 'HA_2_WH_2_ll', 'HA_2_WH_2_ul');
  cols.push('HA_2_WH2_r', 'HA_2_WH2_se', 'HA_2_WH2_ll', 'HA_2_WH2_ul');
  return Object.freeze(cols);
})();

/** Offsets inside a row's value vector (which has the 134 numeric columns after `Group`). */
const PER_INDICATOR = 31;
const COMBINED_OFFSET = 4 * PER_INDICATOR;

/** anthro's optional groupings, in anthro's block order, and the labels it prints. */
export const GROUPING_LABELS = {
  area: 'Area',
  region: 'Geographical region',
  wealth: 'Wealth quintile',
  mothered: 'Maternal education',
  other: 'Other grouping',
} as const;
export type AnthroGroupingKind = keyof typeof GROUPING_LABELS;

export const AGE_GROUP_LABELS = ['00-05 mo', '06-11 mo', '12-23 mo', '24-35 mo', '36-47 mo', '48-59 mo'] as const;
export const SEX_LABELS = ['Female', 'Male'] as const;
export const WEALTH_LABELS = ['Q1: Poorest', 'Q2', 'Q3', 'Q4', 'Q5: Richest'] as const;

/** A grouping variable: one of anthro's, or a project column labelled `<label>: <value>`. */
export interface PrevalenceGrouping {
  kind: AnthroGroupingKind | 'custom';
  /** Label printed before the value for `custom` (e.g. the `--by` column name). */
  label?: string;
  /** One value per input row; null or '' = missing. */
  values: readonly (string | null)[];
}

/**
 * Columnar input: the z-scores and flags of `anthro_zscores` (2-decimal z, NaN missing; flag 1
 * flagged, anything else not), the age in days as given (unrounded; for ages in months pass
 * months × 30.4375 as anthro does), sex 1/2 (0 missing), oedema 1/0, and the optional design.
 */
export interface PrevalenceInput {
  length: number;
  sex: Uint8Array;
  ageDays: Float64Array;
  oedema: Uint8Array;
  zlen: Float64Array;
  flen: Int8Array;
  zwei: Float64Array;
  fwei: Int8Array;
  zwfl: Float64Array;
  fwfl: Int8Array;
  zbmi: Float64Array;
  fbmi: Int8Array;
  /** Sampling weights (NaN = missing, set to 0 as anthro does). Omit for an unweighted analysis. */
  weights?: Float64Array | null;
  /** Cluster (PSU) ids; null/'' = missing, such rows are dropped. Giving it selects the survey path. */
  cluster?: readonly (string | null)[] | null;
  /** Stratum ids; null/'' = missing, such rows are dropped. Giving it selects the survey path. */
  strata?: readonly (string | null)[] | null;
  groupings?: readonly PrevalenceGrouping[];
}

/** Which of anthro's estimation paths was used. */
export type PrevalenceDesign = 'simple' | 'weighted' | 'survey';

/** One output row (group). `values` holds the 134 numbers after `Group`, NaN = NA. */
export interface PrevalenceRow {
  group: string;
  /** 'All', 'Age group', 'Sex', 'Age + sex', anthro's grouping label, or a custom label. */
  block: string;
  /** The level within the block (null for All). */
  level: string | null;
  values: Float64Array;
}

export interface PrevalenceResult {
  design: PrevalenceDesign;
  columns: readonly string[];
  rows: PrevalenceRow[];
  /** Rows analysed (after the filters): anthro's N. */
  rowsUsed: number;
  excluded: { ageOver1826: number; missingCluster: number; missingStrata: number };
  /** Rows whose missing weight was set to 0 (they drop out of every weighted estimate). */
  weightsSetToZero: number;
  /** Wealth-quintile values other than 1–5 / Q1–Q5, treated as missing (as anthro does). */
  invalidWealthValues: number;
  /** t degrees of freedom used for mean CIs and prevalence CIs. */
  df: { mean: number; prevalence: number };
  /** PSUs and strata of the design (survey path; rows and 1 otherwise). */
  psuCount: number;
  strataCount: number;
  /** Strata with a single PSU, handled by survey's "adjust" rule. */
  lonelyStrata: number;
}

/** Half-up rounding of a non-negative age in days (anthro's round_up). */
function roundHalfUp(x: number): number {
  const f = Math.floor(x);
  return x - f >= 0.5 ? f + 1 : f;
}

function missing(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === '' || v.trim() === 'NA';
}

interface Block {
  label: string | null;
  levels: string[];
  /** Level index per analysed row, −1 = not in any level. */
  of: Int32Array;
}

const collator = new Intl.Collator('en', { numeric: false, sensitivity: 'variant' });

/** Orders levels as R's `factor()` does for the survey path: numbers numerically, text by collation. */
function sortLevels(levels: string[]): string[] {
  const numeric = levels.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return [...levels].sort(numeric ? (a, b) => Number(a) - Number(b) : collator.compare);
}

function wealthLevel(v: string | null): number {
  if (missing(v)) return -1;
  const s = (v as string).trim();
  const m = /^Q?([1-5])$/.exec(s);
  return m ? Number(m[1]) - 1 : -2;
}

/**
 * Statistics of one variable within the levels of one block: the pass structure of the
 * Taylor-linearised domain estimator (see the file comment).
 */
class DomainEstimator {
  readonly n: Float64Array;
  readonly W: Float64Array;
  readonly A: Float64Array;
  readonly r: Float64Array;
  readonly varR: Float64Array;
  readonly wss: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly cellT: Float64Array | null;
  readonly prevR: Float64Array[] = [];
  readonly prevVar: Float64Array[] = [];

  constructor(
    private readonly d: DesignFrame,
    private readonly block: Block,
    private readonly cells: CellIndex | null,
  ) {
    const k = block.levels.length;
    this.n = new Float64Array(k);
    this.W = new Float64Array(k);
    this.A = new Float64Array(k);
    this.r = new Float64Array(k);
    this.varR = new Float64Array(k);
    this.wss = new Float64Array(k);
    this.s1 = new Float64Array(k * d.strataCount);
    this.s2 = new Float64Array(k * d.strataCount);
    this.cellT = cells ? new Float64Array(cells.count) : null;
  }

  /**
   * mode 0: y = values[i]; mode 1: y = values[i] < c; mode 2: y = values[i] > c. NaN = unusable.
   */
  run(values: Float64Array, mode: 0 | 1 | 2, c: number): void {
    const { n, W, A, r, varR, wss, s1, s2 } = this;
    const g = this.block.of;
    const w = this.d.w;
    const len = g.length;
    const k = n.length;
    n.fill(0);
    W.fill(0);
    A.fill(0);
    wss.fill(0);
    s1.fill(0);
    s2.fill(0);
    for (let i = 0; i < len; i++) {
      const gi = g[i];
      if (gi < 0) continue;
      const v = values[i];
      if (v !== v) continue;
      const y = mode === 0 ? v : mode === 1 ? (v < c ? 1 : 0) : v > c ? 1 : 0;
      const wi = w[i];
      n[gi]++;
      W[gi] += wi;
      A[gi] += wi * y;
    }
    for (let j = 0; j < k; j++) r[j] = A[j] / W[j];
    const H = this.d.strataCount;
    const cellT = this.cellT;
    const stratumOfRow = this.d.stratumOfRow;
    if (cellT) cellT.fill(0);
    const cellOf = this.cells?.cellOfRow;
    for (let i = 0; i < len; i++) {
      const gi = g[i];
      if (gi < 0) continue;
      const v = values[i];
      if (v !== v) continue;
      const y = mode === 0 ? v : mode === 1 ? (v < c ? 1 : 0) : v > c ? 1 : 0;
      const wi = w[i];
      const dev = y - r[gi];
      const t = wi * dev;
      wss[gi] += t * dev;
      if (cellT) {
        cellT[(cellOf as Int32Array)[i]] += t;
      } else {
        const idx = gi * H + stratumOfRow[i];
        s1[idx] += t;
        s2[idx] += t * t;
      }
    }
    if (cellT && this.cells) {
      const { levelOfCell, stratumOfCell, count } = this.cells;
      for (let cIdx = 0; cIdx < count; cIdx++) {
        const t = cellT[cIdx];
        const idx = levelOfCell[cIdx] * H + stratumOfCell[cIdx];
        s1[idx] += t;
        s2[idx] += t * t;
      }
    }
    const nh = this.d.psuPerStratum;
    for (let j = 0; j < k; j++) {
      let v = 0;
      for (let h = 0; h < H; h++) {
        const idx = j * H + h;
        const m = nh[h];
        // A stratum with one PSU: survey's "adjust" centres it at the grand mean of the
        // linearised values, which is 0 for a domain mean, so its square enters unscaled.
        v += m > 1 ? (m / (m - 1)) * (s2[idx] - (s1[idx] * s1[idx]) / m) : s2[idx];
      }
      varR[j] = v / (W[j] * W[j]);
    }
  }
  /**
   * Prevalences for several cut-offs of the same values (cut < 0: y = v < cut; cut > 0:
   * y = v > cut), results in `prevR[k]` / `prevVar[k]`. Without clusters every row is its own PSU
   * and a 0/1 variable's linearised sums follow from per-stratum totals of w, w·y, w² and w²·y, so
   * all cut-offs come out of one pass over the rows; with clusters it runs the general estimator
   * once per cut-off.
   */
  runCutoffs(values: Float64Array, cuts: readonly number[]): void {
    const K = cuts.length;
    while (this.prevR.length < K) {
      this.prevR.push(new Float64Array(this.n.length));
      this.prevVar.push(new Float64Array(this.n.length));
    }
    if (this.cellT) {
      for (let c = 0; c < K; c++) {
        this.run(values, cuts[c] < 0 ? 1 : 2, cuts[c]);
        this.prevR[c].set(this.r);
        this.prevVar[c].set(this.varR);
      }
      return;
    }
    const { n, W } = this;
    const k = n.length;
    const H = this.d.strataCount;
    const cells = k * H;
    const wGH = new Float64Array(cells);
    const qGH = new Float64Array(cells);
    const aGH = new Float64Array(cells * K);
    const q1GH = new Float64Array(cells * K);
    const g = this.block.of;
    const w = this.d.w;
    const stratumOfRow = this.d.stratumOfRow;
    n.fill(0);
    W.fill(0);
    for (let i = 0; i < g.length; i++) {
      const gi = g[i];
      if (gi < 0) continue;
      const v = values[i];
      if (v !== v) continue;
      const wi = w[i];
      const idx = gi * H + stratumOfRow[i];
      n[gi]++;
      W[gi] += wi;
      wGH[idx] += wi;
      qGH[idx] += wi * wi;
      for (let c = 0; c < K; c++) {
        const cut = cuts[c];
        if (cut < 0 ? v < cut : v > cut) {
          aGH[idx * K + c] += wi;
          q1GH[idx * K + c] += wi * wi;
        }
      }
    }
    const nh = this.d.psuPerStratum;
    for (let c = 0; c < K; c++) {
      const rOut = this.prevR[c];
      const vOut = this.prevVar[c];
      for (let j = 0; j < k; j++) {
        let a = 0;
        for (let h = 0; h < H; h++) a += aGH[(j * H + h) * K + c];
        const r = a / W[j];
        let v = 0;
        for (let h = 0; h < H; h++) {
          const idx = j * H + h;
          const q1 = q1GH[idx * K + c];
          const s1 = aGH[idx * K + c] - r * wGH[idx];
          const s2 = (1 - r) * (1 - r) * q1 + r * r * (qGH[idx] - q1);
          const m = nh[h];
          v += m > 1 ? (m / (m - 1)) * (s2 - (s1 * s1) / m) : s2;
        }
        rOut[j] = r;
        vOut[j] = v / (W[j] * W[j]);
      }
    }
  }
}

/** The design after the filters: weights, strata and PSUs of the analysed rows. */
interface DesignFrame {
  N: number;
  w: Float64Array;
  strataCount: number;
  stratumOfRow: Int32Array;
  /** PSU id per row (dense), or null when every row is its own PSU. */
  psuOfRow: Int32Array | null;
  psuCount: number;
  stratumOfPsu: Int32Array | null;
  psuPerStratum: Float64Array;
}

/** Dense ids of the (level, PSU) cells of a block, for clustered designs. */
interface CellIndex {
  cellOfRow: Int32Array;
  levelOfCell: Int32Array;
  stratumOfCell: Int32Array;
  count: number;
}

function buildCells(d: DesignFrame, block: Block): CellIndex | null {
  const psu = d.psuOfRow;
  if (!psu || !d.stratumOfPsu) return null;
  const k = block.levels.length;
  const P = d.psuCount;
  const g = block.of;
  const cellOfRow = new Int32Array(g.length).fill(-1);
  const levelOfCell: number[] = [];
  const stratumOfCell: number[] = [];
  const newCell = (level: number, p: number): number => {
    levelOfCell.push(level);
    stratumOfCell.push((d.stratumOfPsu as Int32Array)[p]);
    return levelOfCell.length - 1;
  };
  if (k * P <= 4_000_000) {
    const lookup = new Int32Array(k * P).fill(-1);
    for (let i = 0; i < g.length; i++) {
      const gi = g[i];
      if (gi < 0) continue;
      const key = gi * P + psu[i];
      let cell = lookup[key];
      if (cell < 0) cell = lookup[key] = newCell(gi, psu[i]);
      cellOfRow[i] = cell;
    }
  } else {
    const lookup = new Map<number, number>();
    for (let i = 0; i < g.length; i++) {
      const gi = g[i];
      if (gi < 0) continue;
      const key = gi * P + psu[i];
      let cell = lookup.get(key);
      if (cell === undefined) {
        cell = newCell(gi, psu[i]);
        lookup.set(key, cell);
      }
      cellOfRow[i] = cell;
    }
  }
  return {
    cellOfRow,
    levelOfCell: Int32Array.from(levelOfCell),
    stratumOfCell: Int32Array.from(stratumOfCell),
    count: levelOfCell.length,
  };
}

function checkLengths(input: PrevalenceInput): void {
  const n = input.length;
  const arrays: [string, { length: number } | null | undefined][] = [
    ['sex', input.sex],
    ['ageDays', input.ageDays],
    ['oedema', input.oedema],
    ['zlen', input.zlen],
    ['flen', input.flen],
    ['zwei', input.zwei],
    ['fwei', input.fwei],
    ['zwfl', input.zwfl],
    ['fwfl', input.fwfl],
    ['zbmi', input.zbmi],
    ['fbmi', input.fbmi],
    ['weights', input.weights],
    ['cluster', input.cluster],
    ['strata', input.strata],
    ...(input.groupings ?? []).map((g): [string, { length: number }] => [g.label ?? g.kind, g.values]),
  ];
  for (const [name, a] of arrays) {
    if (a && a.length !== n) throw new AppError('prevalence.length_mismatch', M['prevalence.lengthMismatch'], { name });
  }
}

/** Strata and PSUs of the analysed rows (nest = TRUE: a PSU is a cluster within its stratum). */
function buildDesignFrame(input: PrevalenceInput, keep: readonly number[], w: Float64Array): DesignFrame {
  const N = keep.length;
  const hasCluster = !!input.cluster;
  const hasStrata = !!input.strata;
  const stratumOfRow = new Int32Array(N);
  let strataCount = 1;
  if (hasStrata) {
    const ids = new Map<string, number>();
    for (let j = 0; j < N; j++) {
      const key = input.strata![keep[j]]!.trim();
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      stratumOfRow[j] = id;
    }
    strataCount = Math.max(1, ids.size);
  }
  let psuOfRow: Int32Array | null = null;
  let stratumOfPsu: Int32Array | null = null;
  let psuCount = N;
  const psuPerStratum = new Float64Array(strataCount);
  const distinctClusters = new Set<string>();
  if (hasCluster) for (let j = 0; j < N; j++) distinctClusters.add(input.cluster![keep[j]]!.trim());
  if (hasCluster && distinctClusters.size > 1) {
    psuOfRow = new Int32Array(N);
    const ids = new Map<string, number>();
    const strataOf: number[] = [];
    for (let j = 0; j < N; j++) {
      const key = `${stratumOfRow[j]}\u0000${input.cluster![keep[j]]!.trim()}`;
      let id = ids.get(key);
      if (id === undefined) {
        ids.set(key, (id = ids.size));
        strataOf.push(stratumOfRow[j]);
      }
      psuOfRow[j] = id;
    }
    psuCount = ids.size;
    stratumOfPsu = Int32Array.from(strataOf);
    for (const h of strataOf) psuPerStratum[h]++;
  } else {
    for (let j = 0; j < N; j++) psuPerStratum[stratumOfRow[j]]++;
  }
  return { N, w, strataCount, stratumOfRow, psuOfRow, psuCount, stratumOfPsu, psuPerStratum };
}

/**
 * The blocks of groups in anthro's order: All, Age group, Sex, Age + sex (each when not entirely
 * missing), then the groupings in anthro's order (area, region, wealth, maternal education,
 * other), then custom ones.
 */
function buildBlocks(
  input: PrevalenceInput,
  keep: readonly number[],
  design: PrevalenceDesign,
): { blocks: Block[]; invalidWealthValues: number } {
  const N = keep.length;
  const blocks: Block[] = [];
  const present = (of: Int32Array) => of.some((v) => v >= 0);
  blocks.push({ label: null, levels: ['All'], of: new Int32Array(N) });
  const ageOf = new Int32Array(N);
  const sexOf = new Int32Array(N);
  const ageSexOf = new Int32Array(N);
  for (let j = 0; j < N; j++) {
    const i = keep[j];
    const months = input.ageDays[i] / DAYS_PER_MONTH;
    let a = -1;
    if (months >= 0 && months < 60) a = months < 6 ? 0 : months < 12 ? 1 : months < 24 ? 2 : months < 36 ? 3 : months < 48 ? 4 : 5;
    ageOf[j] = a;
    const sx = input.sex[i] === 2 ? 0 : input.sex[i] === 1 ? 1 : -1;
    sexOf[j] = sx;
    ageSexOf[j] = a >= 0 && sx >= 0 ? sx * 6 + a : -1;
  }
  const standard: Block[] = [
    { label: 'Age group', levels: [...AGE_GROUP_LABELS], of: ageOf },
    { label: 'Sex', levels: [...SEX_LABELS], of: sexOf },
    {
      label: 'Age + sex',
      levels: SEX_LABELS.flatMap((s) => AGE_GROUP_LABELS.map((a) => `${a}.${s}`)),
      of: ageSexOf,
    },
  ];
  for (const b of standard) if (present(b.of)) blocks.push(b);

  let invalidWealthValues = 0;
  const kinds: (AnthroGroupingKind | 'custom')[] = ['area', 'region', 'wealth', 'mothered', 'other', 'custom'];
  for (const kind of kinds) {
    for (const grouping of input.groupings ?? []) {
      if (grouping.kind !== kind) continue;
      const label = kind === 'custom' ? (grouping.label ?? 'Group') : GROUPING_LABELS[kind];
      const of = new Int32Array(N).fill(-1);
      let levels: string[];
      if (kind === 'wealth') {
        levels = [...WEALTH_LABELS];
        for (let j = 0; j < N; j++) {
          const lv = wealthLevel(grouping.values[keep[j]]);
          if (lv === -2) invalidWealthValues++;
          of[j] = lv >= 0 ? lv : -1;
        }
      } else {
        const seen = new Map<string, number>();
        const raw: string[] = [];
        const rawOf = new Int32Array(N).fill(-1);
        for (let j = 0; j < N; j++) {
          const v = grouping.values[keep[j]];
          if (missing(v)) continue;
          const key = (v as string).trim();
          let id = seen.get(key);
          if (id === undefined) {
            seen.set(key, (id = raw.length));
            raw.push(key);
          }
          rawOf[j] = id;
        }
        // Simple and weighted paths list values in order of appearance, the survey path sorted.
        levels = design === 'survey' ? sortLevels(raw) : raw;
        const pos = new Map(levels.map((v, idx) => [v, idx]));
        const remap = raw.map((v) => pos.get(v) as number);
        for (let j = 0; j < N; j++) of[j] = rawOf[j] >= 0 ? remap[rawOf[j]] : -1;
      }
      if (present(of)) blocks.push({ label, levels, of });
    }
  }

  return { blocks, invalidWealthValues };
}

/**
 * The anthro_prevalence table: one row per group, 135 columns with anthro's names; see the file
 * comment for the estimator and the module README for the one deliberate difference (no [1, 1]
 * CI at exactly 1 %).
 * @see ALGORITHM.md §14.1–14.4
 */
export function anthroPrevalence(input: PrevalenceInput): PrevalenceResult {
  checkLengths(input);
  const total = input.length;
  const hasCluster = !!input.cluster;
  const hasStrata = !!input.strata;

  // 1. Row filter (§14.1): missing design ids, age rounded half-up > 1826 days.
  const keep: number[] = [];
  const excluded = { ageOver1826: 0, missingCluster: 0, missingStrata: 0 };
  for (let i = 0; i < total; i++) {
    let drop = false;
    if (hasCluster && missing(input.cluster![i])) {
      excluded.missingCluster++;
      drop = true;
    }
    if (hasStrata && missing(input.strata![i])) {
      excluded.missingStrata++;
      drop = true;
    }
    const age = input.ageDays[i];
    if (age === age && roundHalfUp(age) > 1826) {
      excluded.ageOver1826++;
      drop = true;
    }
    if (!drop) keep.push(i);
  }
  const N = keep.length;

  // 2. Weights: missing → 0, negative → error, all 1 → unweighted.
  const w = new Float64Array(N);
  let weightsSetToZero = 0;
  let allOne = true;
  for (let j = 0; j < N; j++) {
    const i = keep[j];
    let v = input.weights ? input.weights[i] : 1;
    if (v !== v) {
      v = 0;
      weightsSetToZero++;
    }
    if (v < 0) throw new AppError('prevalence.negative_weight', M['prevalence.negativeWeight'], { row: i + 1 });
    if (v !== 1) allOne = false;
    w[j] = v;
  }
  const design: PrevalenceDesign = hasCluster || hasStrata ? 'survey' : allOne ? 'simple' : 'weighted';

  // 3. Design frame and degrees of freedom.
  const frame = buildDesignFrame(input, keep, w);
  const { stratumOfRow, psuOfRow, psuPerStratum, strataCount } = frame;
  let lonelyStrata = 0;
  for (let h = 0; h < strataCount; h++) if (psuPerStratum[h] === 1) lonelyStrata++;

  // Degrees of freedom: survey's degf() counts PSUs and strata that carry weight.
  const surveyDf = (): number => {
    const psus = new Set<number>();
    const strata = new Set<number>();
    for (let j = 0; j < N; j++) {
      if (w[j] === 0) continue;
      psus.add(psuOfRow ? psuOfRow[j] : j);
      strata.add(stratumOfRow[j]);
    }
    return psus.size - strata.size;
  };
  const df =
    design === 'simple'
      ? { mean: N - 1, prevalence: N - 1 }
      : design === 'weighted'
        ? { mean: N - 1, prevalence: surveyDf() }
        : { mean: surveyDf(), prevalence: surveyDf() };
  const tMean = df.mean > 0 ? qt(0.975, df.mean) : NaN;
  const tPrev = df.prevalence > 0 ? qt(0.975, df.prevalence) : NaN;

  // 4. Values per indicator (§14.1): flagged → missing; oedema → −3.1 for the prevalences of
  // the weight-based indices (even with weight/length missing), missing for their mean and SD.
  const zPrev: Float64Array[] = [];
  const zSumm: Float64Array[] = [];
  const sources: [Float64Array, Int8Array, boolean][] = [
    [input.zlen, input.flen, false],
    [input.zwei, input.fwei, true],
    [input.zbmi, input.fbmi, true],
    [input.zwfl, input.fwfl, true],
  ];
  for (const [z, f, weightBased] of sources) {
    const p = new Float64Array(N);
    const s = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const i = keep[j];
      const oed = weightBased && input.oedema[i] === 1;
      const v = f[i] === 1 || oed ? NaN : z[i];
      s[j] = v;
      p[j] = oed ? -3.1 : v;
    }
    zPrev.push(p);
    zSumm.push(s);
  }
  const combined = [new Float64Array(N), new Float64Array(N)];
  {
    const ha = zPrev[0];
    const wh = zPrev[3];
    for (let j = 0; j < N; j++) {
      if (ha[j] !== ha[j] || wh[j] !== wh[j]) {
        combined[0][j] = NaN;
        combined[1][j] = NaN;
      } else {
        combined[0][j] = ha[j] < -2 && wh[j] < -2 ? 1 : 0;
        combined[1][j] = ha[j] < -2 && wh[j] > 2 ? 1 : 0;
      }
    }
  }

  // 5. Blocks of groups.
  const { blocks, invalidWealthValues } = buildBlocks(input, keep, design);

  // 6. Estimates.
  const rows: PrevalenceRow[] = [];
  for (const block of blocks) {
    const k = block.levels.length;
    const cells = buildCells(frame, block);
    const est = new DomainEstimator(frame, block, cells);
    const out = block.levels.map(() => new Float64Array(PREVALENCE_COLUMNS.length - 1).fill(NaN));
    // Survey path SD: svyvar's n/(n−1) counts the group's rows with non-zero weight, including
    // rows whose value is missing (reproduced on purpose, README quirk 2).
    const mRows = new Float64Array(k);
    for (let j = 0; j < N; j++) if (block.of[j] >= 0 && w[j] !== 0) mRows[block.of[j]]++;

    const writePrev = (vals: Float64Array[], offset: number, rs: Float64Array, vars: Float64Array) => {
      for (let lv = 0; lv < k; lv++) {
        const r = rs[lv];
        if (!(est.n[lv] > 0) || r !== r) continue;
        const se = Math.sqrt(vars[lv]);
        let ll: number;
        let ul: number;
        if (r === 0) ll = ul = 0;
        else if (r === 1) ll = ul = 1;
        else {
          const L = Math.log(r / (1 - r));
          const s = se / (r * (1 - r));
          ll = logistic(L - tPrev * s);
          ul = logistic(L + tPrev * s);
        }
        const v = vals[lv];
        v[offset] = r * 100;
        v[offset + 1] = se * 100;
        v[offset + 2] = ll * 100;
        v[offset + 3] = ul * 100;
      }
    };
    const writeCounts = (vals: Float64Array[], offset: number) => {
      for (let lv = 0; lv < k; lv++) {
        vals[lv][offset] = est.W[lv];
        vals[lv][offset + 1] = est.n[lv];
      }
    };

    for (let x = 0; x < 4; x++) {
      const base = x * PER_INDICATOR;
      est.runCutoffs(zPrev[x], PREVALENCE_CUTOFFS);
      writeCounts(out, base);
      for (let c = 0; c < 6; c++) writePrev(out, base + 2 + 4 * c, est.prevR[c], est.prevVar[c]);
      est.run(zSumm[x], 0, 0);
      const mo = base + 26;
      for (let lv = 0; lv < k; lv++) {
        const r = est.r[lv];
        const n = est.n[lv];
        if (!(n > 0) || r !== r) continue;
        const se = Math.sqrt(est.varR[lv]);
        const v = out[lv];
        v[mo] = r;
        v[mo + 1] = se;
        v[mo + 2] = r - tMean * se;
        v[mo + 3] = r + tMean * se;
        const m = design === 'survey' ? mRows[lv] : n;
        v[mo + 4] = n > 1 && m > 1 ? Math.sqrt((est.wss[lv] / est.W[lv]) * (m / (m - 1))) : NaN;
      }
    }
    // The combined indicators are 0/1 with a common mask: "> 0.5" picks the 1s.
    est.runCutoffs(combined[0], [0.5]);
    writeCounts(out, COMBINED_OFFSET);
    writePrev(out, COMBINED_OFFSET + 2, est.prevR[0], est.prevVar[0]);
    est.runCutoffs(combined[1], [0.5]);
    writePrev(out, COMBINED_OFFSET + 6, est.prevR[0], est.prevVar[0]);

    for (let lv = 0; lv < k; lv++) {
      // Empty levels are reported with zero counts (anthro does the same).
      for (const off of [0, PER_INDICATOR, 2 * PER_INDICATOR, 3 * PER_INDICATOR, COMBINED_OFFSET]) {
        if (out[lv][off] !== out[lv][off]) out[lv][off] = 0;
        if (out[lv][off + 1] !== out[lv][off + 1]) out[lv][off + 1] = 0;
      }
      const level = block.label === null ? null : block.levels[lv];
      rows.push({
        group: block.label === null ? 'All' : `${block.label}: ${block.levels[lv]}`,
        block: block.label ?? 'All',
        level,
        values: out[lv],
      });
    }
  }

  return {
    design,
    columns: PREVALENCE_COLUMNS,
    rows,
    rowsUsed: N,
    excluded,
    weightsSetToZero,
    invalidWealthValues,
    df,
    psuCount: frame.psuCount,
    strataCount,
    lonelyStrata,
  };
}

/** One JSON record per group × indicator × cut-off (prevalence-reference README, "Suggested JSON"). */
export interface PrevalenceRecord {
  group: string;
  indicator: PrevalenceIndicator | 'HA_2_WH_2' | 'HA_2_WH2';
  cutoff: number | null;
  prevalence: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
  n_weighted: number;
  mean_z: number | null;
  sd_z: number | null;
}

const nn = (x: number): number | null => (x === x ? x : null);

/**
 * The table as records: a `cutoff: null` record per indicator carries the mean z-score (its SE
 * and CI) and SD; combined indicators come as `HA_2_WH_2` and `HA_2_WH2`.
 */
export function prevalenceRecords(result: PrevalenceResult): PrevalenceRecord[] {
  const out: PrevalenceRecord[] = [];
  for (const row of result.rows) {
    const v = row.values;
    PREVALENCE_INDICATORS.forEach((indicator, x) => {
      const base = x * PER_INDICATOR;
      const n = v[base + 1];
      const nW = v[base];
      const mean = nn(v[base + 26]);
      const sd = nn(v[base + 30]);
      PREVALENCE_CUTOFFS.forEach((cutoff, c) => {
        const o = base + 2 + 4 * c;
        out.push({
          group: row.group,
          indicator,
          cutoff,
          prevalence: nn(v[o]),
          se: nn(v[o + 1]),
          ci_low: nn(v[o + 2]),
          ci_high: nn(v[o + 3]),
          n,
          n_weighted: nW,
          mean_z: mean,
          sd_z: sd,
        });
      });
      out.push({
        group: row.group,
        indicator,
        cutoff: null,
        prevalence: null,
        se: nn(v[base + 27]),
        ci_low: nn(v[base + 28]),
        ci_high: nn(v[base + 29]),
        n,
        n_weighted: nW,
        mean_z: mean,
        sd_z: sd,
      });
    });
    for (const [indicator, o] of [
      ['HA_2_WH_2', COMBINED_OFFSET + 2],
      ['HA_2_WH2', COMBINED_OFFSET + 6],
    ] as const) {
      out.push({
        group: row.group,
        indicator,
        cutoff: null,
        prevalence: nn(v[o]),
        se: nn(v[o + 1]),
        ci_low: nn(v[o + 2]),
        ci_high: nn(v[o + 3]),
        n: v[COMBINED_OFFSET + 1],
        n_weighted: v[COMBINED_OFFSET],
        mean_z: null,
        sd_z: null,
      });
    }
  }
  return out;
}

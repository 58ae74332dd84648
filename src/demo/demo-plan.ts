/**
 * The district plan: who lives where before anyone is drawn. Desa sizes, each desa's tendency
 * (how stunted, how well served), puskesmas and posyandu, and the faults planted in a few posyandu.
 * Cheap and independent of the number of children except for the head counts, so the fault list
 * can be read without generating the data.
 */
import { Rng } from './prng.js';
import { normalCdf } from '../common/distributions.js';
import { dayInMonth, daysFromCivil, monthLabel, monthOf, parseMonthLabel } from './demo-dates.js';
import { posyanduNames } from './demo-names.js';
import {
  DEMO_DEFAULTS,
  type DemoFault,
  type DemoFaultKind,
  type DemoOptions,
  type RegionRecord,
} from './demo.types.js';

/**
 * Puskesmas of Kotawaringin Barat named in a procurement list (DOMAIN.md §6.4, unverified). A
 * kecamatan's puskesmas takes the name equal to the kecamatan, else one equal to a desa of the
 * kecamatan, else "Puskesmas <kecamatan>".
 */
const KNOWN_PUSKESMAS = [
  'Arut Selatan', 'Arut Utara', 'Ipuh Bangun Jaya', 'Karang Mulya', 'Kotawaringin Lama', 'Kumai',
  'Kumpai Batu Atas', 'Madurejo', 'Mendawai', 'Natai Pelingkau', 'Pandu Sanjaya', 'Pangkalan Lada',
  'Riam Durian', 'Runtu', 'Sambi', 'Semanggang', 'Sungai Rangit', 'Teluk Bogam',
];

/** Sd of the child-level HAZ component; the village mean is solved against it. */
export const HAZ_CHILD_SD = 0.9;
/** How far HAZ falls from birth to 24 months on average (z units), the well-known faltering. */
export const HAZ_DECLINE = 1.0;
export const HAZ_DECLINE_SD = 0.3;
/** Length measurement error of a trained kader (cm, sd), the technical error of measurement. */
export const LENGTH_ERROR_SD = 0.35;

/** Shape of the HAZ curve: 0 at birth, 1 from 24 months, centred on the 0–59 month mean (0.8). */
export function hazShape(ageMonths: number): number {
  return Math.min(ageMonths, 24) / 24 - 0.8;
}

/** Expected share of measured balita with HAZ < −2 when the village mean is `mu` (ages uniform 0–59). */
export function expectedStuntingPrevalence(mu: number): number {
  let sum = 0;
  for (let a = 0; a < 60; a++) {
    const s = hazShape(a + 0.5);
    const sd = Math.sqrt(HAZ_CHILD_SD ** 2 + (HAZ_DECLINE_SD * s) ** 2 + 0.12 ** 2 + 0.02);
    sum += normalCdf((-2 - mu - HAZ_DECLINE * s) / sd);
  }
  return sum / 60;
}

/** The village HAZ mean that gives an expected stunting prevalence `p` (bisection). */
export function hazMeanForPrevalence(p: number): number {
  let lo = -4;
  let hi = 3;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (expectedStuntingPrevalence(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Service and household rates of one desa, all fractions 0–1. */
export interface DesaRates {
  water: number;
  sanitation: number;
  poor: number;
  immunisation: number;
  exclusiveBreastfeeding: number;
  complementaryFeeding: number;
  paud: number;
  ironPregnancy: number;
  pmtPregnancy: number;
  postpartumFp: number;
  catinCheck: number;
  ironAdolescent: number;
  tpkVisit: number;
  unwantedPregnancy: number;
  understanding: number;
}

export interface PosyanduPlan {
  id: string;
  name: string;
  meetingDay: number;
  /** Share of eligible balita who come in a month (0.55–0.82, a little more in Feb/Aug). */
  attendance: number;
  /** Relative size within the desa (drawn 0.6–1.4). */
  share: number;
  /** Children born over the whole span (before and during the window) registered here. */
  births: number;
  faults: DemoFault[];
}

export interface DesaPlan {
  code: string;
  name: string;
  level: string;
  kecamatanCode: string;
  kecamatanName: string;
  puskesmasId: string;
  balita: number;
  births: number;
  targetPrevalence: number;
  /** 0 = best-off village, 1 = worst-off (drives every rate). */
  tendency: number;
  hazMean: number;
  whzMean: number;
  rates: DesaRates;
  posyandu: PosyanduPlan[];
}

export interface PuskesmasPlan {
  id: string;
  name: string;
  kecamatanCode: string;
  kecamatanName: string;
  /** Desa where the building stands (by name match), else the kecamatan's first village. */
  desaCode: string;
}

export interface DemoPlan {
  seed: number;
  children: number;
  months: number;
  kabupatenCode: string;
  firstMonth: number;
  lastMonth: number;
  /** Epoch days of the first and last day of the window. */
  windowStart: number;
  windowEnd: number;
  /** Births are drawn from spanStart (so that the oldest are 59 months at the start) to windowEnd. */
  spanStart: number;
  batchSize: number;
  puskesmas: PuskesmasPlan[];
  desa: DesaPlan[];
  faults: DemoFault[];
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Splits `total` over `weights` with the largest-remainder rule (sums exactly to total). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || weights.length === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

const FAULT_ORDER: DemoFaultKind[] = [
  'digit_preference',
  'age_heaping',
  'shrinking_height',
  'copied_weight',
  'duplicate_child',
  'wrong_position',
  'digit_preference',
];

const FAULT_DETAIL: Record<DemoFaultKind, string> = {
  digit_preference: 'heights rounded to whole or half centimetres (end in .0/.5) in most measurements',
  age_heaping: 'birth dates recorded on the 1st or 15th of the month for most children',
  shrinking_height: 'length board reads 2 cm short from first_month: heights drop between visits',
  copied_weight: 'weight copied from last month for most returning children',
  duplicate_child: 'children registered a second time with a spelling variant of the name and no NIK',
  wrong_position: 'children 9–23 months measured standing (Cara Ukur = Berdiri) instead of lying',
};

/** Checks options, fills defaults and lays out the district. Throws on unusable options. */
export function planDemo(options: DemoOptions): DemoPlan {
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const children = options.children ?? DEMO_DEFAULTS.children;
  const months = options.months ?? DEMO_DEFAULTS.months;
  const batchSize = options.batchSize ?? DEMO_DEFAULTS.batchSize;
  const pMin = options.minDesaPrevalence ?? DEMO_DEFAULTS.minDesaPrevalence;
  const pMax = options.maxDesaPrevalence ?? DEMO_DEFAULTS.maxDesaPrevalence;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');
  if (!Number.isInteger(children) || children < 1) throw new RangeError('children must be a positive integer');
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new RangeError('months must be 1–120');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  if (!(pMin > 0 && pMax < 1 && pMin < pMax)) throw new RangeError('desa prevalence range must be within (0, 1)');
  const lastMonth = parseMonthLabel(options.endMonth ?? DEMO_DEFAULTS.endMonth);
  const firstMonth = lastMonth - months + 1;
  const [fy, fm] = monthOf(firstMonth);
  const [ly, lm] = monthOf(lastMonth + 1);
  const windowStart = daysFromCivil(fy, fm, 1);
  const windowEnd = daysFromCivil(ly, lm, 1) - 1;
  const spanStart = windowStart - 1826;

  const regions = options.regions;
  const kabupatenCode =
    options.kabupatenCode ??
    (() => {
      const kabs = new Set(regions.filter((r) => r.level === 'kecamatan').map((r) => r.parentCode));
      if (kabs.size !== 1) throw new RangeError('regions hold several kabupaten: pass kabupatenCode');
      return [...kabs][0] as string;
    })();
  const kecamatan = regions
    .filter((r) => r.level === 'kecamatan' && r.parentCode === kabupatenCode)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  if (kecamatan.length === 0) throw new RangeError(`no kecamatan under ${kabupatenCode} in the regions`);
  const byParent = new Map<string, RegionRecord[]>();
  for (const r of regions) {
    if ((r.level === 'desa' || r.level === 'kelurahan') && r.parentCode) {
      const list = byParent.get(r.parentCode) ?? [];
      list.push(r);
      byParent.set(r.parentCode, list);
    }
  }

  const rng = new Rng(seed, 'plan');
  const puskesmas: PuskesmasPlan[] = [];
  const villages: { region: RegionRecord; kec: RegionRecord; puskesmasId: string }[] = [];
  for (const kec of kecamatan) {
    const desaList = (byParent.get(kec.code) ?? []).sort((a, b) => (a.code < b.code ? -1 : 1));
    if (desaList.length === 0) continue;
    const byName = KNOWN_PUSKESMAS.find((n) => n === kec.name) ?? KNOWN_PUSKESMAS.find((n) => desaList.some((d) => d.name === n));
    const site = desaList.find((d) => d.name === byName) ?? desaList[0];
    const p: PuskesmasPlan = {
      id: `PKM-${kec.code}`,
      name: `Puskesmas ${byName ?? kec.name}`,
      kecamatanCode: kec.code,
      kecamatanName: kec.name,
      desaCode: site.code,
    };
    puskesmas.push(p);
    for (const d of desaList) villages.push({ region: d, kec, puskesmasId: p.id });
  }
  if (villages.length === 0) throw new RangeError(`no desa/kelurahan under ${kabupatenCode} in the regions`);

  // Village sizes: lognormal, towns (kelurahan) bigger. Tendencies: stratified over the range so
  // that every seed spans it, then shuffled over villages.
  const weights = villages.map((v) => Math.exp(rng.gauss(0, 0.55)) * (v.region.level === 'kelurahan' ? 2.2 : 1));
  const balita = apportion(children, weights);
  const birthFactor = (windowEnd - spanStart + 1) / 1826;
  const births = apportion(Math.round(children * birthFactor), weights);
  const ranks = rng.shuffled(villages.map((_, i) => i));
  const sortedWeights = weights.slice().sort((a, b) => a - b);

  const desa: DesaPlan[] = villages.map((v, i) => {
    const r = new Rng(seed, 'desa-plan', v.region.code);
    const u = (ranks[i] + r.float()) / villages.length;
    const targetPrevalence = pMin + (pMax - pMin) * u;
    const t = u;
    const hazMean = hazMeanForPrevalence(targetPrevalence);
    const whzMean = -0.3 - 0.4 * t + r.gauss(0, 0.08);
    const rate = (base: number, slope: number, sd: number, lo = 0.05, hi = 0.99): number =>
      clamp(base - slope * t + r.gauss(0, sd), lo, hi);
    const rates: DesaRates = {
      water: rate(0.95, 0.35, 0.04, 0.3),
      sanitation: rate(0.9, 0.4, 0.05, 0.25),
      poor: rate(0.08, -0.22, 0.03, 0.03, 0.5),
      immunisation: rate(0.94, 0.2, 0.03, 0.5),
      exclusiveBreastfeeding: rate(0.78, 0.25, 0.05, 0.3),
      complementaryFeeding: rate(0.92, 0.15, 0.03, 0.5),
      paud: rate(0.62, 0.3, 0.06, 0.1),
      ironPregnancy: rate(0.88, 0.3, 0.05, 0.3),
      pmtPregnancy: rate(0.9, 0.25, 0.05, 0.3),
      postpartumFp: rate(0.72, 0.3, 0.06, 0.2),
      catinCheck: rate(0.93, 0.3, 0.05, 0.3),
      ironAdolescent: rate(0.72, 0.35, 0.06, 0.15),
      tpkVisit: rate(0.93, 0.3, 0.04, 0.3),
      unwantedPregnancy: rate(0.08, -0.1, 0.02, 0.02, 0.4),
      understanding: rate(0.8, 0.3, 0.06, 0.2),
    };
    // Bigger villages get more posyandu: 2–6 by size rank, give or take one.
    const q = sortedWeights.indexOf(weights[i]) / Math.max(1, villages.length - 1);
    const nPos = clamp(Math.round(2 + 4 * q + r.gauss(0, 0.6)), 2, 6);
    const names = posyanduNames(r, nPos);
    const shares = names.map(() => r.uniform(0.6, 1.4));
    const posBirths = apportion(births[i], shares);
    const posyandu: PosyanduPlan[] = names.map((name, k) => ({
      id: `PSY-${v.region.code}-${String(k + 1).padStart(2, '0')}`,
      name,
      meetingDay: r.int(3, 25),
      attendance: r.uniform(0.55, 0.82),
      share: shares[k],
      births: posBirths[k],
      faults: [],
    }));
    return {
      code: v.region.code,
      name: v.region.name,
      level: v.region.level,
      kecamatanCode: v.kec.code,
      kecamatanName: v.kec.name,
      puskesmasId: v.puskesmasId,
      balita: balita[i],
      births: births[i],
      targetPrevalence,
      tendency: t,
      hazMean,
      whzMean,
      rates,
      posyandu,
    };
  });

  // Faults go to the biggest posyandu of villages drawn from the larger half, one per village.
  const faults: DemoFault[] = [];
  const medianWeight = sortedWeights[Math.floor(sortedWeights.length / 2)];
  const candidates = rng.shuffled(desa.filter((_, i) => weights[i] >= medianWeight));
  const fr = new Rng(seed, 'faults');
  FAULT_ORDER.slice(0, candidates.length).forEach((kind, k) => {
    const d = candidates[k];
    const pos = d.posyandu.reduce((a, b) => (b.share > a.share ? b : a));
    let first = firstMonth;
    let last = lastMonth;
    if (kind === 'digit_preference') first = firstMonth + fr.int(0, Math.floor(months / 3));
    if (kind === 'shrinking_height') first = firstMonth + fr.int(Math.floor(months / 3), Math.floor((2 * months) / 3));
    if (kind === 'copied_weight') {
      first = firstMonth + fr.int(Math.floor(months / 4), Math.floor(months / 2));
      last = Math.min(lastMonth, first + 5);
    }
    if (kind === 'duplicate_child') first = firstMonth + Math.min(months - 1, 1);
    first = Math.min(first, lastMonth);
    const fault: DemoFault = {
      faultId: k + 1,
      posyanduId: pos.id,
      desaCode: d.code,
      kind,
      firstMonth: monthLabel(first),
      lastMonth: monthLabel(last),
      detail: FAULT_DETAIL[kind],
    };
    pos.faults.push(fault);
    faults.push(fault);
  });

  return {
    seed,
    children,
    months,
    kabupatenCode,
    firstMonth,
    lastMonth,
    windowStart,
    windowEnd,
    spanStart,
    batchSize,
    puskesmas,
    desa,
    faults,
  };
}

/** The planted faults for these options (posyandu, kind, months), without generating any data. */
export function demoFaults(options: DemoOptions): DemoFault[] {
  return planDemo(options).faults;
}

/** Epoch day of a posyandu's meeting in a month. */
export function meetingDate(pos: PosyanduPlan, month: number): number {
  return dayInMonth(month, pos.meetingDay);
}

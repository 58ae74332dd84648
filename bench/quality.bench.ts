/**
 * Benchmark of the plausibility statistics: a deterministic synthetic district of 600 posyandu
 * (6 per desa) × 24 months with about 25 children measured per posyandu-month (≈ 360,000
 * measurements). Times every statistic per posyandu × month (14,400 groups), then per desa × month
 * with posyandu as clusters for the dispersion test, then the validity score of every
 * posyandu-month. Prints one JSON line last.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { groupRows, plausibilityByGroup, type QualityColumns } from '../src/quality/plausibility.js';
import { validityScore } from '../src/quality/validity.js';
import { mulberry32 } from '../src/common/random.js';

const POSYANDU = 600;
const PER_DESA = 6;
const MONTHS = 24;
const MEAN_CHILDREN = 25;


function build(): { cols: QualityColumns; posyanduMonth: string[]; desaMonth: string[] } {
  const u = mulberry32(6201);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const sex: number[] = [];
  const age: number[] = [];
  const weight: number[] = [];
  const height: number[] = [];
  const muac: number[] = [];
  const whz: number[] = [];
  const haz: number[] = [];
  const waz: number[] = [];
  const cluster: number[] = [];
  const posyanduMonth: string[] = [];
  const desaMonth: string[] = [];
  for (let p = 0; p < POSYANDU; p++) {
    const careless = p % 20 === 0; // one posyandu in twenty rounds heights to .0/.5
    for (let m = 0; m < MONTHS; m++) {
      const month = `2024-${String((m % 12) + 1).padStart(2, '0')}${m >= 12 ? 'b' : ''}`;
      const n = MEAN_CHILDREN - 5 + Math.floor(u() * 11);
      for (let i = 0; i < n; i++) {
        const a = 60 * Math.pow(u(), 1.1);
        sex.push(u() < 0.5 ? 1 : 2);
        age.push(a);
        weight.push(Math.round((6 + a / 5 + normal()) * 10) / 10);
        const h = 65 + a * 0.7 + 3 * normal();
        height.push(careless ? Math.round(h * 2) / 2 : Math.round(h * 10) / 10);
        muac.push(Math.round(140 + 10 * normal()));
        whz.push(Math.round((normal() - 0.4) * 100) / 100);
        haz.push(Math.round((normal() - 1.1) * 100) / 100);
        waz.push(Math.round((normal() - 0.8) * 100) / 100);
        cluster.push(p);
        posyanduMonth.push(`P${p}|${month}`);
        desaMonth.push(`D${Math.floor(p / PER_DESA)}|${month}`);
      }
    }
  }
  const f = (a: number[]) => Float64Array.from(a);
  return {
    cols: {
      sex: Uint8Array.from(sex),
      ageMonths: f(age),
      weight: f(weight),
      height: f(height),
      muac: f(muac),
      whz: f(whz),
      haz: f(haz),
      waz: f(waz),
      cluster: Int32Array.from(cluster),
    },
    posyanduMonth,
    desaMonth,
  };
}

const { cols, posyanduMonth, desaMonth } = build();
const rows = posyanduMonth.length;

// Collect the generator's garbage first so that the timing is of the statistics alone.
v8.setFlagsFromString('--expose-gc');
(vm.runInNewContext('gc') as () => void)();

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { cluster: _cluster, ...withoutCluster } = cols;
const byPosyandu = plausibilityByGroup(withoutCluster, groupRows(posyanduMonth));
const t1 = performance.now();
const byDesa = plausibilityByGroup(cols, groupRows(desaMonth));
const validity = byPosyandu.map((g) => validityScore({ plausibility: g.result }).score);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

const problematic = byPosyandu.filter((g) => g.result.grade.class === 'Problematic').length;
// Planted fault: every 20th posyandu rounds heights. How many of its months score < 90, and of the others?
let faultyLow = 0;
let faulty = 0;
let cleanLow = 0;
byPosyandu.forEach((g, i) => {
  const isFaulty = Number(g.group.slice(1, g.group.indexOf('|'))) % 20 === 0;
  const low = validity[i] < 90;
  if (isFaulty) {
    faulty++;
    if (low) faultyLow++;
  } else if (low) cleanLow++;
});
console.log(
  `validity < 90: ${faultyLow}/${faulty} posyandu-months with planted rounding, ` +
    `${cleanLow}/${byPosyandu.length - faulty} clean ones (ENA grade 'Problematic' in ${problematic}: too noisy for 25 children)`,
);
console.log(
  `posyandu × month: ${byPosyandu.length} groups in ${((t1 - t0) / 1000).toFixed(3)} s; ` +
    `desa × month with dispersion + validity scores: ${byDesa.length} + ${validity.length} groups in ${((t2 - t1) / 1000).toFixed(3)} s; ` +
    `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s`,
);
const seconds = (t2 - t0) / 1000;
console.log(JSON.stringify({ name: 'quality', rows, seconds: Number(seconds.toFixed(3)), rows_per_s: Math.round(rows / seconds) }));

/**
 * Benchmark of the plausibility statistics. By default on the measurements of the default demo
 * district (`tumbuh demo`: 374 posyandu × 24 months, ≈ 428,000 measurements, z-scores from the
 * growth engine), generated in memory; with `--synthetic`, on a simpler synthetic district of 600
 * posyandu × 24 months with one posyandu in twenty rounding heights. Times every statistic per
 * posyandu × month, then per desa × month with posyandu as clusters for the dispersion test, then
 * the validity score of every posyandu-month. Prints one JSON line last.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { groupRows, plausibilityByGroup, type QualityColumns } from '../src/quality/plausibility.js';
import { validityScore } from '../src/quality/validity.js';
import { mulberry32 } from '../src/common/random.js';
import { isoDayNumber } from '../src/common/dates.js';
import { createBatchInput } from '../src/growth/engine.js';
import { loadGrowthEngine } from '../src/reference/who-tables.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { generateDemo } from '../src/demo/demo.generator.js';

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

/** The default demo district's measurements as quality columns (z-scores computed here). */
async function buildFromDemo(): Promise<{ cols: QualityColumns; posyanduMonth: string[]; desaMonth: string[] }> {
  const rows: (string | number | boolean | null)[][] = [];
  let columns: readonly string[] = [];
  for await (const batch of generateDemo({ ...loadDemoInputs() })) {
    if (batch.table !== 'measurement') continue;
    columns = batch.columns;
    for (const r of batch.rows) rows.push(r);
  }
  const c = (name: string) => columns.indexOf(name);
  const [iPos, iDesa, iBirth, iSex, iOn, iW, iL, iPosn, iOed, iMuac] = ['posyandu_id', 'desa_code', 'birth_date', 'sex', 'measured_on', 'weight_kg', 'lenhei_cm', 'position', 'oedema', 'muac_cm'].map(c);
  const n = rows.length;
  const input = createBatchInput(n);
  const muac = new Float64Array(n).fill(NaN);
  const posyanduMonth: string[] = new Array(n);
  const desaMonth: string[] = new Array(n);
  const cluster = new Int32Array(n);
  const clusterIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    input.sex[i] = Number(r[iSex]);
    input.age[i] = isoDayNumber(String(r[iOn])) - isoDayNumber(String(r[iBirth]));
    input.weight[i] = r[iW] === null ? NaN : Number(r[iW]);
    input.lenhei[i] = r[iL] === null ? NaN : Number(r[iL]);
    input.measure[i] = r[iPosn] === 'L' ? 1 : r[iPosn] === 'H' ? 2 : 0;
    input.oedema[i] = r[iOed] === true ? 1 : 0;
    if (r[iMuac] !== null) muac[i] = Math.round(Number(r[iMuac]) * 10);
    const month = String(r[iOn]).slice(0, 7);
    const pos = String(r[iPos]);
    posyanduMonth[i] = `${pos}|${month}`;
    desaMonth[i] = `${String(r[iDesa])}|${month}`;
    let id = clusterIds.get(pos);
    if (id === undefined) clusterIds.set(pos, (id = clusterIds.size));
    cluster[i] = id;
  }
  const z = loadGrowthEngine().computeBatch(input);
  const ageMonths = Float64Array.from(input.age, (d) => d / 30.4375);
  return {
    cols: { sex: input.sex, ageMonths, weight: input.weight, height: z.clenhei, muac, whz: z.zwfl, haz: z.zlen, waz: z.zwei, cluster },
    posyanduMonth,
    desaMonth,
  };
}

const synthetic = process.argv.includes('--synthetic');
const { cols, posyanduMonth, desaMonth } = synthetic ? build() : await buildFromDemo();
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
  if (!synthetic) return;
  const isFaulty = Number(g.group.slice(1, g.group.indexOf('|'))) % 20 === 0;
  const low = validity[i] < 90;
  if (isFaulty) {
    faulty++;
    if (low) faultyLow++;
  } else if (low) cleanLow++;
});
if (synthetic) console.log(
  `validity < 90: ${faultyLow}/${faulty} posyandu-months with planted rounding, ` +
    `${cleanLow}/${byPosyandu.length - faulty} clean ones (ENA grade 'Problematic' in ${problematic}: too noisy for 25 children)`,
);
console.log(
  `posyandu × month: ${byPosyandu.length} groups in ${((t1 - t0) / 1000).toFixed(3)} s; ` +
    `desa × month with dispersion + validity scores: ${byDesa.length} + ${validity.length} groups in ${((t2 - t1) / 1000).toFixed(3)} s; ` +
    `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s`,
);
const seconds = (t2 - t0) / 1000;
console.log(JSON.stringify({ name: 'quality', source: synthetic ? 'synthetic' : 'demo-district', groups: byPosyandu.length, rows, seconds: Number(seconds.toFixed(3)), rows_per_s: Math.round(rows / seconds) }));

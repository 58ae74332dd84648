/**
 * Benchmark of the growth engine: `npm run bench:growth -- --rows N [--cli [--cli-rows M]]`.
 *
 * 1. Batch API: N synthetic, deterministic records (sex, age in days, weight, length/height,
 *    position; no head/arm/skinfold, so zlen, zwei, zwfl and zbmi are computed) through
 *    computeBatch in blocks of 65,536 rows (the blocks are generated before timing starts and
 *    reused cyclically, so memory stays small while N can be large).
 * 2. With --cli: writes an M-row CSV (default 1,000,000) to os.tmpdir() and times
 *    `node bin/tumbuh.js zscore IN.csv -o OUT.csv` end to end (process start included).
 *
 * Prints one JSON line per measurement; the batch line is the last one:
 * {"name":"growth","rows":N,"seconds":…,"rows_per_s":…}
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchInput, createBatchOutput } from '../src/growth/engine.js';
import { loadGrowthEngine, packageRoot } from '../src/reference/who-tables.js';
import { mulberry32 } from '../src/common/random.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
}


/** A plausible child: age 0–1856 days, length/height and BMI near the WHO medians with noise. */
function child(r: () => number) {
  const sex = r() < 0.5 ? 1 : 2;
  const age = Math.floor(r() * 1857);
  const months = age / 30.4375;
  const median = months < 24 ? 50 + 25 * Math.sqrt(months / 12) : 87 + (months - 24) * 0.6;
  const lenhei = Math.round((median + (r() - 0.5) * 16) * 10) / 10;
  const bmi = (months < 1 ? 13.5 : months < 12 ? 16.5 : 15.8) + (r() - 0.5) * 5;
  const weight = Math.round(bmi * (lenhei / 100) * (lenhei / 100) * 10) / 10;
  const measure = r() < 0.1 ? 0 : age < 731 ? (r() < 0.9 ? 1 : 2) : r() < 0.9 ? 2 : 1;
  return { sex, age, weight: Math.max(weight, 1.5), lenhei, measure };
}

function benchBatch(rows: number): void {
  const engine = loadGrowthEngine();
  const BLOCK = 65_536;
  const blocks = Math.min(16, Math.ceil(rows / BLOCK));
  const r = mulberry32(20260611);
  const inputs = Array.from({ length: blocks }, () => {
    const inp = createBatchInput(BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const c = child(r);
      inp.sex[i] = c.sex;
      inp.age[i] = c.age;
      inp.weight[i] = c.weight;
      inp.lenhei[i] = c.lenhei;
      inp.measure[i] = c.measure;
    }
    // Only the four indicators of the benchmark: leave the optional measurements out.
    return { length: BLOCK, ageInMonths: false, sex: inp.sex, age: inp.age, weight: inp.weight, lenhei: inp.lenhei, measure: inp.measure, oedema: inp.oedema };
  });
  const out = createBatchOutput(BLOCK);
  // Warm-up so the timing is of optimised code.
  for (let k = 0; k < 4; k++) engine.computeBatch(inputs[k % blocks], out);
  let checksum = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let b = 0; done < rows; b++) {
    const inp = inputs[b % blocks];
    const n = Math.min(BLOCK, rows - done);
    engine.computeBatch(n === BLOCK ? inp : { ...inp, length: n }, out);
    checksum += out.zlen[0] + out.zwfl[n - 1];
    done += n;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (Number.isNaN(checksum) && rows > 1e9) console.log(checksum); // keeps the results observable
  console.log(
    JSON.stringify({
      name: 'growth',
      rows,
      seconds: +seconds.toFixed(4),
      rows_per_s: Math.round(rows / seconds),
      cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(4),
    }),
  );
}

/**
 * User + system CPU seconds of finished child processes (Linux /proc; NaN elsewhere). Reported
 * beside wall time because the machine's cores are shared and wall time alone misleads.
 */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks
  } catch {
    return NaN;
  }
}

async function benchCli(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-'));
  const inPath = join(dir, 'in.csv');
  const outPath = join(dir, 'out.csv');
  try {
    const file = createWriteStream(inPath);
    const r = mulberry32(42);
    file.write('id,sex,age,weight,lenhei,measure,oedema\n');
    let chunk = '';
    for (let i = 1; i <= rows; i++) {
      const c = child(r);
      chunk += `${i},${c.sex},${c.age},${c.weight},${c.lenhei},${c.measure === 1 ? 'L' : c.measure === 2 ? 'H' : ''},n\n`;
      if (i % 10_000 === 0) {
        if (!file.write(chunk)) await once(file, 'drain');
        chunk = '';
      }
    }
    file.end(chunk);
    await once(file, 'finish');
    const cpu0 = childCpuSeconds();
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'tumbuh.js'), 'zscore', inPath, '-o', outPath], {
      encoding: 'utf8',
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = childCpuSeconds() - cpu0;
    if (res.status !== 0) throw new Error(`tumbuh zscore failed (${res.status}): ${res.stderr}`);
    process.stderr.write(res.stderr);
    console.log(
      JSON.stringify({
        name: 'growth-zscore-cli',
        rows,
        seconds: +seconds.toFixed(3),
        rows_per_s: Math.round(rows / seconds),
        cpu_seconds: Number.isNaN(cpu) ? undefined : +cpu.toFixed(3),
        input_mb: +(statSync(inPath).size / 1e6).toFixed(1),
        output_mb: +(statSync(outPath).size / 1e6).toFixed(1),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = arg('--rows', 5_000_000);
if (process.argv.includes('--cli')) await benchCli(arg('--cli-rows', 1_000_000));
benchBatch(rows);

/**
 * Benchmark of `anthroPrevalence` with the z-score step included (as anthro_prevalence runs
 * anthro_zscores first), on deterministic synthetic children:
 * 1. the survey path on 100,000 rows with 4,000 clusters, 7 strata and weights (the issue's
 *    comparison with anthro: 151 s there on this kind of machine);
 * 2. the simple path on 1,000,000 rows — the last line, the one `npm run bench:prevalence` reports.
 * Each prints one JSON line: {"name", "rows", "seconds", "rows_per_s", …}.
 */
import { anthroPrevalence, DAYS_PER_MONTH, type PrevalenceInput } from '../src/analytics/survey-prevalence.js';
import type { GrowthBatchInput } from '../src/growth/types.js';
import { loadGrowthEngine } from '../src/reference/who-tables.js';
import { mulberry32 } from '../src/common/random.js';


function children(n: number, seed: number): GrowthBatchInput {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const batch: GrowthBatchInput = {
    length: n,
    ageInMonths: false,
    sex: new Uint8Array(n),
    age: new Float64Array(n),
    weight: new Float64Array(n),
    lenhei: new Float64Array(n),
    measure: new Uint8Array(n),
    oedema: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const days = Math.floor(rand() * 1827);
    const months = days / DAYS_PER_MONTH;
    const height = (50 + 37 * (1 - Math.exp(-months / 14)) + 0.3 * months) * (1 + 0.045 * normal()) - 2;
    batch.sex[i] = rand() < 0.5 ? 1 : 2;
    batch.age[i] = days;
    batch.lenhei[i] = rand() < 0.015 ? NaN : Math.round(height * 10) / 10;
    batch.weight[i] = rand() < 0.01 ? NaN : Math.round(3.3 * (height / 50) ** 2.2 * (1 + 0.1 * normal()) * 10) / 10;
    batch.measure[i] = rand() < 0.015 ? 0 : months < 24 ? 1 : 2;
    batch.oedema[i] = rand() < 0.01 ? 1 : 0;
  }
  return batch;
}

function measure(
  name: string,
  batch: GrowthBatchInput,
  design: Pick<PrevalenceInput, 'weights' | 'cluster' | 'strata' | 'groupings'>,
): string {
  const engine = loadGrowthEngine();
  const started = process.hrtime.bigint();
  const z = engine.computeBatch(batch);
  const zDone = process.hrtime.bigint();
  const result = anthroPrevalence({
    length: batch.length,
    sex: batch.sex,
    ageDays: batch.age,
    oedema: batch.oedema,
    zlen: z.zlen,
    flen: z.flen,
    zwei: z.zwei,
    fwei: z.fwei,
    zwfl: z.zwfl,
    fwfl: z.fwfl,
    zbmi: z.zbmi,
    fbmi: z.fbmi,
    ...design,
  });
  const done = process.hrtime.bigint();
  const seconds = Number(done - started) / 1e9;
  const all = result.rows[0].values;
  return JSON.stringify({
    name,
    rows: batch.length,
    seconds: Number(seconds.toFixed(3)),
    rows_per_s: Math.round(batch.length / seconds),
    zscore_seconds: Number((Number(zDone - started) / 1e9).toFixed(3)),
    prevalence_seconds: Number((Number(done - zDone) / 1e9).toFixed(3)),
    design: result.design,
    groups: result.rows.length,
    stunting_percent: Number(all[8].toFixed(2)),
  });
}

const REGIONS = ['Arut Selatan', 'Arut Utara', 'Kotawaringin Lama', 'Kumai', 'Pangkalan Banteng', 'Pangkalan Lada'];

{
  const n = 100_000;
  const batch = children(n, 20260517);
  const rand = mulberry32(7);
  const cluster: string[] = new Array(n);
  const strata: string[] = new Array(n);
  const region: string[] = new Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 4000);
    cluster[i] = String(c);
    strata[i] = String(c % 7);
    region[i] = REGIONS[c % REGIONS.length];
    weights[i] = 50 + (c % 13) * 10 + rand() * 5;
  }
  console.log(
    measure('prevalence-survey-100k', batch, { weights, cluster, strata, groupings: [{ kind: 'region', values: region }] }),
  );
}
{
  const n = 1_000_000;
  const batch = children(n, 1);
  console.log(measure('prevalence', batch, {}));
}

// npm run bench:quality-recall [-- --data-dir DIR] [--children N] [--seed S]
// Loads the demo district (default size, seed 6201) into an embedded PostgreSQL — once: a data
// directory that already holds the same demo is reused — runs the validity batch job
// (`tumbuh quality score --all`) and measures how well the stored posyandu scores find the
// planted faults. Prints one JSON line: {"name":"quality-recall", recall, falseAlarmRate, …,
// findings per fault, seconds}. Definitions: src/quality/fault-recall.ts and docs/QUALITY.md.
import { chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { DEMO_SETTING_KEY, loadDemo } from '../src/demo/demo.loader.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';
import { demoFaultRecall, scoreValidity } from '../src/quality/quality.service.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dataDir = arg('--data-dir') ?? join(tmpdir(), 'tumbuh-quality-recall');
const children = Number(arg('--children') ?? DEMO_DEFAULTS.children);
const seed = Number(arg('--seed') ?? DEMO_DEFAULTS.seed);
mkdirSync(dataDir, { recursive: true });
// The embedded server runs as an unprivileged user when started as root: it must traverse the folder.
chmodSync(dataDir, 0o755);

const handle = await openDatabase({
  dataDir: join(dataDir, 'data'),
  env: { TUMBUH_NIK_KEY: 'quality-recall-key-0123456789abcdef0123' },
  durable: false,
  handleSignals: false,
});
try {
  const t0 = performance.now();
  const existing = await sql<{ value: string }>`SELECT value FROM app_setting WHERE key = ${DEMO_SETTING_KEY}`.execute(handle.db);
  const current = existing.rows[0] ? (JSON.parse(existing.rows[0].value) as { children: number; seed: number }) : null;
  let loadSeconds = 0;
  if (!current || current.children !== children || current.seed !== seed) {
    await loadDemo(handle, { ...loadDemoInputs(), children, seed });
    loadSeconds = (performance.now() - t0) / 1000;
  }
  const [scored] = await scoreValidity(handle.db, {});
  const report = await demoFaultRecall(handle.db);
  if (!report) throw new Error('no demo loaded');
  console.log(JSON.stringify({
    name: 'quality-recall',
    children,
    seed,
    posyanduMonthsScored: scored.scored.posyandu,
    recall: report.posyandu.recall,
    falseAlarmRate: report.posyandu.falseAlarmRate,
    faulty: report.posyandu.faulty,
    found: report.posyandu.found,
    clean: report.posyandu.clean,
    falseAlarms: report.posyandu.falseAlarms,
    faultyInLowestFivePercent: report.posyandu.faultyInLowestFivePercent,
    monthRecall: report.months.recall,
    monthFalseAlarmRate: report.months.falseAlarmRate,
    findings: report.findings,
    definition: report.definition,
    seconds: { demoLoad: loadSeconds, scoring: scored.seconds },
  }));
} finally {
  await handle.close();
}

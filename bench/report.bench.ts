// npm run bench:report [-- --children N]
// The full evaluation report of the demo district: a fresh embedded PostgreSQL in a temporary data
// directory, the default demo district (25,000 balita, 24 months) loaded, an annual round for 2025
// with barriers and follow-up actions, then timed: freezing the round (every indicator × region
// computed and stored), the PDF (tpps template, Bahasa Indonesia) and the XLSX from the snapshot.
// Before the timed part the analytics batch job runs for 2024–2025 (period rollups, coverage,
// validity; alerts of the last month), as it does after every import: the round reads the
// trend, the routine-versus-survey panel and the priority villages through the analytics services.
// Prints one line per step and last {"name":"report","rows":<scorecard rows>,"seconds":…,"rows_per_s":…}.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { runAnalyticsJob } from '../src/analytics/analytics.job.js';
import { openDatabase } from '../src/db/connection.js';
import { loadDemoInputs } from '../src/demo/demo-inputs.js';
import { loadDemo } from '../src/demo/demo.loader.js';
import { DEMO_DEFAULTS } from '../src/demo/demo.types.js';
import { addAction, addBarrier } from '../src/evaluation/follow-up.service.js';
import { createRound, freezeRound, getRound, roundFigures } from '../src/evaluation/round.service.js';
import { renderEvaluationReport } from '../src/report/report.service.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CHILDREN = arg('--children', DEMO_DEFAULTS.children);
const dataDir = mkdtempSync(join(tmpdir(), 'tumbuh-bench-report-'));
chmodSync(dataDir, 0o755);
const h = await openDatabase({ dataDir, env: { TUMBUH_NIK_KEY: 'bench-report-key-0123456789abcdef0123' }, durable: false, handleSignals: false });
try {
  const demo = await loadDemo(h, { ...loadDemoInputs(), children: CHILDREN });
  console.log(JSON.stringify({ name: 'report-demo-load', children: CHILDREN, seconds: Number(demo.seconds.toFixed(2)) }));
  const job = await runAnalyticsJob(h.db, '62.01', { years: [2024, 2025] });
  console.log(JSON.stringify({ name: 'report-analytics-batch', seconds: Number(job.seconds.total.toFixed(2)) }));
  const round = await createRound(h.db, {
    kabupatenCode: '62.01', title: 'Evaluasi Kinerja TPPS Tahun 2025', kind: 'annual', period: { start: '2025-01-01', end: '2025-12-31' },
    heldOn: '2025-11-27', place: 'Aula Sangga Banua, Pangkalan Bun', participants: ['Sekretaris Daerah', 'Bappedalitbang', 'Dinas Kesehatan', 'DP3APPKB', 'TP-PKK'],
  });
  await addBarrier(h.db, { evaluationId: round.id, level: 'kecamatan', regionCode: '62.01.06', description: 'Koordinasi desa–kecamatan untuk intervensi spesifik belum kuat', interventionLine: 'spesifik' });
  await addBarrier(h.db, { evaluationId: round.id, level: 'sektor', sector: 'Dinas PUPR', indicatorId: 'SEN-05', description: 'Anggaran jamban sehat terlambat cair', interventionLine: 'sensitif' });
  await addAction(h.db, { evaluationId: round.id, title: 'Pelatihan ulang kader pengukuran', stakeholderType: 'nakes', owner: 'Kepala Dinas Kesehatan', dueOn: '2026-03-31', indicatorIds: ['SPE-07', 'OUT-01'], regionCodes: ['62.01.06'] });
  const t0 = performance.now();
  await freezeRound(h.db, round.id, '2025-11-27');
  const t1 = performance.now();
  // The draft computation of a second round runs on fresh planner statistics (as on any day after the load).
  const again = await createRound(h.db, { kabupatenCode: '62.01', title: 'Evaluasi Semester II 2025', kind: 'semester', period: { start: '2025-07-01', end: '2025-12-31' }, previousId: null });
  const tDraft = performance.now();
  await roundFigures(h.db, again, '2025-11-27');
  console.log(JSON.stringify({ name: 'report-draft-figures', seconds: Number(((performance.now() - tDraft) / 1000).toFixed(2)) }));
  const tPdf = performance.now();
  const pdf = await renderEvaluationReport(h.db, round.id, { format: 'pdf', lang: 'id', today: '2025-11-27' });
  const t2 = performance.now();
  const xlsxStart = performance.now();
  const xlsx = await renderEvaluationReport(h.db, round.id, { format: 'xlsx', lang: 'id', today: '2025-11-27' });
  const t3 = performance.now();
  const rows = (await roundFigures(h.db, await getRound(h.db, round.id), '2025-11-27')).scorecard.length;
  console.log(JSON.stringify({ name: 'report-freeze', seconds: Number(((t1 - t0) / 1000).toFixed(2)) }));
  console.log(JSON.stringify({ name: 'report-pdf', bytes: pdf.bytes.length, seconds: Number(((t2 - tPdf) / 1000).toFixed(2)), model: Number(pdf.seconds.model.toFixed(2)), render: Number(pdf.seconds.render.toFixed(2)) }));
  console.log(JSON.stringify({ name: 'report-xlsx', bytes: xlsx.bytes.length, seconds: Number(((t3 - xlsxStart) / 1000).toFixed(2)) }));
  // Freeze (data → frozen figures) + PDF + XLSX; the draft computation above is not counted.
  const seconds = (t1 - t0 + (t2 - tPdf) + (t3 - xlsxStart)) / 1000;
  console.log(JSON.stringify({ name: 'report', rows, seconds: Number(seconds.toFixed(2)), rows_per_s: Math.round(rows / seconds), goal_s: 10, loadavg_1m: Number(loadavg()[0].toFixed(2)) }));
} finally {
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
}

import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { runAnalyticsJob } from '../../analytics/analytics.job.js';
import { districtSummary, type DistrictSummary } from '../../analytics/district-summary.service.js';
import { ensureDemoAccounts, type DemoAccount } from '../../auth/demo-accounts.js';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import { listenOptionsFromEnv, serveUntil, untilSignal } from '../../server/serve.js';
import type { CliCommand, CliIO } from '../command.js';

const M = defineMessages({
  'start.opening': { id: 'Membuka basis data ({mode})…', en: 'Opening the database ({mode})…' },
  'start.ready': { id: 'Basis data siap: {target}', en: 'Database ready: {target}' },
  'start.firstRun': {
    id: 'Basis data masih kosong: memuat kabupaten demo DATA SINTETIS (wilayah Kobar asli, orang buatan komputer)…',
    en: 'The database is empty: loading the demo district, SYNTHETIC DATA (real Kobar regions, computer-made people)…',
  },
  'start.demoLoaded': { id: 'Demo dimuat dalam {seconds} detik.', en: 'Demo loaded in {seconds} s.' },
  'start.analyticsRunning': {
    id: 'Menghitung peringatan, cakupan dan validitas data {kab} di latar belakang (±1 menit); dasbor terisi setelahnya.',
    en: 'Computing alerts, coverage and data validity of {kab} in the background (about 1 minute); dashboards fill in afterwards.',
  },
  'start.analyticsDone': { id: 'Analitik {kab} selesai dalam {seconds} detik.', en: 'Analytics of {kab} done in {seconds} s.' },
  'start.analyticsFailed': { id: 'Analitik {kab} gagal: {reason}', en: 'Analytics of {kab} failed: {reason}' },
  'start.noData': {
    id: 'Belum ada data pengukuran. Impor berkas e-PPGBM: tumbuh import eppgbm BERKAS',
    en: 'No measurements yet. Import an e-PPGBM file: tumbuh import eppgbm FILE',
  },
  'start.title': { id: 'Ringkasan {name}, bulan {month}', en: 'Summary of {name}, month {month}' },
  'start.synthetic': { id: '*** DATA SINTETIS — bukan data anak sungguhan ***', en: '*** SYNTHETIC DATA — not real children ***' },
  'start.children': { id: 'Balita terdaftar (S)', en: 'Under-fives registered (S)' },
  'start.measured': { id: 'Ditimbang/diukur bulan ini (D)', en: 'Measured this month (D)' },
  'start.coverage': { id: 'Cakupan D/S', en: 'Coverage D/S' },
  'start.stunting': {
    id: 'Stunting rutin (TB/U < −2 SD, di antara anak dengan ukuran valid)',
    en: 'Routine stunting (HAZ < −2 SD, among validly measured children)',
  },
  'start.byKecamatan': { id: 'Stunting per kecamatan', en: 'Stunting by kecamatan' },
  'start.note': {
    id: 'Angka rutin posyandu, bukan angka survei (SSGI/SKI); selalu baca bersama cakupan D/S.',
    en: 'Routine posyandu figures, not survey figures (SSGI/SKI); always read them with coverage D/S.',
  },
  'start.accounts': {
    id: 'Akun demo (satu per peran) — kata sandi ini hanya ditampilkan SEKALI ini, simpan sekarang:',
    en: 'Demo accounts (one per role) — these passwords are shown only THIS once, keep them now:',
  },
  'start.badOption': { id: 'Opsi tidak dikenal: {arg}. Pemakaian: tumbuh start [--no-serve]', en: 'Unknown option: {arg}. Usage: tumbuh start [--no-serve]' },
  'start.next': {
    id: 'Lanjut: tumbuh help (semua perintah), tumbuh priority --year 2025, tumbuh quality report, tumbuh report evaluation …',
    en: 'Next: tumbuh help (every command), tumbuh priority --year 2025, tumbuh quality report, tumbuh report evaluation …',
  },
});

/** Indonesian-style number: thousands with '.', decimals with ','. */
function idNumber(n: number, digits = 0): string {
  return n.toLocaleString('id-ID', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(v: number | null): string {
  return v === null ? '–' : `${idNumber(100 * v, 1)} %`;
}

function printSummary(io: CliIO, s: DistrictSummary): void {
  const w = (line: string) => io.stdout.write(line + '\n');
  w('');
  w(bilingualLine(M['start.title'], { name: s.kabupatenName, month: s.month }));
  if (s.synthetic) w(bilingualLine(M['start.synthetic']));
  const d = s.district;
  w(`  ${bilingualLine(M['start.children'])}: ${idNumber(d.registered)}`);
  w(`  ${bilingualLine(M['start.measured'])}: ${idNumber(d.measured)}`);
  w(`  ${bilingualLine(M['start.coverage'])}: ${pct(d.coverage)}`);
  w(`  ${bilingualLine(M['start.stunting'])}: ${pct(d.prevalence)} (${idNumber(d.numerator)}/${idNumber(d.denominator)}; IK 95 % / 95 % CI ${pct(d.ciLow)}–${pct(d.ciHigh)})`);
  w(`  ${bilingualLine(M['start.byKecamatan'])}:`);
  const width = Math.max(...s.byKecamatan.map((k) => k.name.length), 10);
  for (const k of s.byKecamatan) {
    const st = k.stunting;
    w(`    ${k.name.padEnd(width)}  ${pct(st.prevalence).padStart(8)}  (${idNumber(st.numerator)}/${idNumber(st.denominator)}, D/S ${pct(st.coverage)})`);
  }
  w(bilingualLine(M['start.note']));
}

function printAccounts(io: CliIO, accounts: DemoAccount[]): void {
  const w = (line: string) => io.stdout.write(line + '\n');
  w('');
  w(bilingualLine(M['start.accounts']));
  const width = Math.max(...accounts.map((a) => a.username.length));
  for (const a of accounts) w(`  ${a.role.padEnd(10)} ${a.username.padEnd(width)}  ${a.password}  ${a.scopeLabel}`);
}

/**
 * `tumbuh start` (what `npm start` runs): opens the database (embedded unless DATABASE_URL),
 * migrates, loads the synthetic demo district on first use, prints the district summary read
 * from the rollups, creates the demo accounts once (printing their passwords that one time), and
 * serves the API and web app until SIGINT/SIGTERM. `--no-serve` stops after the summary. No
 * personal data is printed. `stop`/`onListening` are for tests.
 */
export async function runStart(
  args: string[],
  io: CliIO,
  stop?: Promise<unknown>,
  onListening?: (app: FastifyInstance, url: string) => void,
): Promise<number> {
  let serve = true;
  for (const arg of args) {
    if (arg === '--no-serve') serve = false;
    else throw new AppError('bad_option', M['start.badOption'], { arg }, { status: 400 });
  }
  const listen = serve ? listenOptionsFromEnv(io.env) : null;
  const err = (line: string) => io.stderr.write(line + '\n');
  err(bilingualLine(M['start.opening'], { mode: io.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL' }));
  // When serving, this command owns SIGINT/SIGTERM: before the server listens a signal closes the
  // database and exits (as openDatabase would); afterwards it shuts the server down cleanly.
  const signalled = serve && !stop ? untilSignal() : null;
  let serving = false;
  let stopping = false;
  let background: Promise<void> = Promise.resolve();
  const handle = await openDatabase({ env: io.env, cwd: io.cwd, handleSignals: !serve });
  void signalled?.then((s) => {
    if (!serving) void handle.close().finally(() => process.exit(s === 'SIGINT' ? 130 : 143));
  });
  try {
    err(bilingualLine(M['start.ready'], { target: handle.target }));
    const any = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM child LIMIT 1) c`.execute(handle.db);
    if (any.rows[0].n === 0) {
      err(bilingualLine(M['start.firstRun']));
      const result = await loadDemo(handle, { ...loadDemoInputs() });
      err(bilingualLine(M['start.demoLoaded'], { seconds: idNumber(result.seconds, 1) }));
    }
    const summary = await districtSummary(handle.db);
    if (summary) printSummary(io, summary);
    else io.stdout.write(bilingualLine(M['start.noData']) + '\n');
    const accounts = await ensureDemoAccounts(handle.db);
    if (accounts.created.length > 0) printAccounts(io, accounts.created);
    io.stdout.write('\n' + bilingualLine(M['start.next']) + '\n');
    if (listen) {
      serving = true;
      const whenListening = (app: FastifyInstance, url: string) => {
        background = analyticsInBackground(handle.db, err, () => stopping);
        onListening?.(app, url);
      };
      const stopped = (stop ?? (signalled as Promise<unknown>)).finally(() => { stopping = true; });
      await serveUntil(handle, io, listen, stopped, whenListening);
      stopping = true;
    }
  } finally {
    // Closing the pool ends a background analytics step after its current statement (rolled back).
    await handle.close();
    await background;
  }
  return 0;
}

/**
 * The nightly analytics (alerts, coverage, validity, period rollups) for every kabupaten whose
 * rollups have never had them — after the first demo load, say — run once the server listens,
 * so health answers at once and the dashboards fill in about a minute later. A stop in the middle
 * rolls the step back (each step is one transaction) and is not reported as a failure.
 */
async function analyticsInBackground(db: Kysely<Database>, err: (line: string) => void, stopping: () => boolean): Promise<void> {
  try {
    const behind = await sql<{ k: string }>`
      SELECT DISTINCT r.kabupaten_code AS k FROM rollup_desa_month r
      WHERE NOT EXISTS (SELECT 1 FROM desa_validity v WHERE v.kabupaten_code = r.kabupaten_code) ORDER BY 1`.execute(db);
    for (const { k } of behind.rows) {
      if (stopping()) return;
      err(bilingualLine(M['start.analyticsRunning'], { kab: k }));
      const result = await runAnalyticsJob(db, k);
      err(bilingualLine(M['start.analyticsDone'], { kab: k, seconds: idNumber(result.seconds.total, 1) }));
    }
  } catch (e) {
    if (!stopping()) err(bilingualLine(M['start.analyticsFailed'], { kab: '-', reason: e instanceof Error ? e.message : String(e) }));
  }
}

export const startCommand: CliCommand = {
  name: 'start',
  run: (args, io) => runStart(args, io),
};

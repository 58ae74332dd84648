import { sql } from 'kysely';
import { districtSummary, type DistrictSummary } from '../../analytics/district-summary.service.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { loadDemoInputs } from '../../demo/demo-inputs.js';
import { loadDemo } from '../../demo/demo.loader.js';
import type { CliCommand, CliIO } from '../command.js';

const M = defineMessages({
  'start.opening': { id: 'Membuka basis data ({mode})…', en: 'Opening the database ({mode})…' },
  'start.ready': { id: 'Basis data siap: {target}', en: 'Database ready: {target}' },
  'start.firstRun': {
    id: 'Basis data masih kosong: memuat kabupaten demo DATA SINTETIS (wilayah Kobar asli, orang buatan komputer)…',
    en: 'The database is empty: loading the demo district, SYNTHETIC DATA (real Kobar regions, computer-made people)…',
  },
  'start.demoLoaded': { id: 'Demo dimuat dalam {seconds} detik.', en: 'Demo loaded in {seconds} s.' },
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

/**
 * `tumbuh start` (what `npm start` runs): opens the database (embedded unless DATABASE_URL),
 * migrates, loads the synthetic demo district on first use, and prints the district summary read
 * from the rollups. No personal data is printed.
 */
export const startCommand: CliCommand = {
  name: 'start',
  async run(_args, io) {
    const err = (line: string) => io.stderr.write(line + '\n');
    err(bilingualLine(M['start.opening'], { mode: io.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL' }));
    const handle = await openDatabase({ env: io.env, cwd: io.cwd });
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
      io.stdout.write('\n' + bilingualLine(M['start.next']) + '\n');
    } finally {
      await handle.close();
    }
    return 0;
  },
};

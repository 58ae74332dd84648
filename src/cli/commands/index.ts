import type { Bilingual } from '../../common/i18n.js';
import type { CliCommand } from '../command.js';

/**
 * One `tumbuh` sub-command as the overview lists it. The module behind it is imported only when
 * the command runs, so `tumbuh help` or `tumbuh zscore` do not pay for loading the database,
 * spreadsheet and PDF code of every other command.
 */
export interface CommandEntry {
  name: string;
  usage: string;
  summary: Bilingual;
  load(): Promise<CliCommand>;
}

/** Every sub-command, in the order the overview lists them. A feature adds one entry here. */
export const commands: CommandEntry[] = [
  {
    name: 'start',
    usage: 'start [--no-serve]',
    summary: {
      id: 'Menjalankan Tumbuh: basis data, demo dan akun demo pada pemakaian pertama, ringkasan kabupaten, lalu server',
      en: 'Run Tumbuh: database, the demo and demo accounts on first use, the district summary, then the server',
    },
    load: async () => (await import('./start.command.js')).startCommand,
  },
  {
    name: 'serve',
    usage: 'serve   (PORT=8080 HOST=127.0.0.1)',
    summary: {
      id: 'Menjalankan server API dan aplikasi web sampai dihentikan (Ctrl+C)',
      en: 'Serve the API and the web app until stopped (Ctrl+C)',
    },
    load: async () => (await import('./serve.command.js')).serveCommand,
  },
  {
    name: 'zscore',
    usage: 'zscore IN.csv [-o OUT.csv] [--age-unit days|months]',
    summary: {
      id: 'Menghitung z-score WHO (seperti WHO anthro) dari berkas CSV',
      en: 'Compute WHO z-scores (as WHO anthro does) for a CSV file',
    },
    load: async () => (await import('./zscore.command.js')).zscoreCommand,
  },
  {
    name: 'quality',
    usage: 'quality IN.csv --by COL [--format csv|json] | score | report | duplicates …',
    summary: {
      id: 'Kelayakan data: statistik SMART/nipnTK per kelompok, skor validitas per posyandu, data ganda',
      en: 'Data validity: SMART/nipnTK statistics per group, validity score per posyandu, duplicates',
    },
    load: async () => (await import('./quality.command.js')).qualityCommand,
  },
  {
    name: 'prevalence',
    usage: 'prevalence IN.csv [--by COL] [--cluster COL] [--strata COL] [--weights COL] [--format csv|json]',
    summary: {
      id: 'Prevalensi survei seperti WHO anthro_prevalence (tabel 135 kolom)',
      en: 'Survey prevalence as WHO anthro_prevalence (the 135-column table)',
    },
    load: async () => (await import('./prevalence.command.js')).prevalenceCommand,
  },
  {
    name: 'import',
    usage: 'import eppgbm|KIND|template|undo …',
    summary: {
      id: 'Mengimpor ekspor e-PPGBM, data sasaran, keluarga, dan capaian sektor; templat; batalkan batch',
      en: 'Import e-PPGBM exports, target groups, families and sector figures; templates; undo a batch',
    },
    load: async () => (await import('./import.command.js')).importCommand,
  },
  {
    name: 'demo',
    usage: 'demo [--children N] [--months M] [--seed S] [--out DIR]',
    summary: {
      id: 'Membuat kabupaten sintetis (wilayah Kobar asli, orang sintetis) ke basis data atau berkas CSV',
      en: 'Build a synthetic district (real Kobar regions, synthetic people) into the database or CSV files',
    },
    load: async () => (await import('./demo.command.js')).demoCommand,
  },
  {
    name: 'db',
    usage: 'db migrate|status|backup FILE|restore FILE|rebuild-rollups',
    summary: {
      id: 'Mengelola basis data: migrasi, status, cadangan dan pemulihan',
      en: 'Manage the database: migrations, status, backup and restore',
    },
    load: async () => (await import('./db.command.js')).dbCommand,
  },
  {
    name: 'alerts',
    usage: 'alerts --desa CODE [--month YYYY-MM]',
    summary: {
      id: 'Daftar peringatan anak per nama (T, 2T, BGM, stunting baru, gizi buruk, tidak ditimbang, ibu hamil KEK tanpa PMT) — RAHASIA',
      en: 'By-name alert list (T, 2T, BGM, newly stunted, wasting, not weighed, KEK without PMT) — CONFIDENTIAL',
    },
    load: async () => (await import('./alerts.command.js')).alertsCommand,
  },
  {
    name: 'priority',
    usage: 'priority --year Y [--kabupaten CODE]',
    summary: {
      id: 'Indeks desa prioritas per tahun, tiap peringkat dijelaskan, dibandingkan dengan daftar lokus',
      en: 'Priority-village index for a year, every rank explained, compared with the lokus list',
    },
    load: async () => (await import('./priority.command.js')).priorityCommand,
  },
  {
    name: 'evaluation',
    usage: 'evaluation <create|list|show|freeze|barrier|action|actions|roles|target> …',
    summary: {
      id: 'Evaluasi kinerja TPPS: putaran, kartu skor, hambatan, rencana tindak lanjut, matriks peran',
      en: 'TPPS performance evaluation: rounds, scorecard, barriers, follow-up actions, roles matrix',
    },
    load: async () => (await import('./evaluation.command.js')).evaluationCommand,
  },
  {
    name: 'report',
    usage: 'report evaluation --round ID --format pdf|xlsx [--lang id|en]',
    summary: {
      id: 'Laporan evaluasi kinerja TPPS (PDF/XLSX) dan laporan semester ke gubernur',
      en: 'TPPS performance evaluation report (PDF/XLSX) and the semester report to the gubernur',
    },
    load: async () => (await import('./report.command.js')).reportCommand,
  },
  {
    name: 'users',
    usage: 'users create|reset|disable|list …',
    summary: {
      id: 'Akun server: membuat, mengatur ulang kata sandi, menonaktifkan, mendaftar (peran dan wilayah kerja)',
      en: 'Server accounts: create, reset password, disable, list (roles and their areas)',
    },
    load: async () => (await import('./users.command.js')).usersCommand,
  },
];

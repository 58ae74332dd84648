import { defineMessages } from '../common/i18n.js';

/** Bilingual messages of the storage layer (Indonesian first). */
export const DB_MESSAGES = defineMessages({
  'db.inUse': {
    id: 'Basis data di {dir} sedang dipakai oleh proses PID {pid} ({what}). Hentikan proses itu dulu, atau pakai TUMBUH_DATA_DIR lain. Data tidak diubah.',
    en: 'The database in {dir} is already in use by PID {pid} ({what}). Stop that process first, or use another TUMBUH_DATA_DIR. Nothing was changed.',
  },
  'db.startFailed': {
    id: 'PostgreSQL bawaan tidak dapat dijalankan: {reason}',
    en: 'The embedded PostgreSQL could not be started: {reason}',
  },
  'db.passwordMissing': {
    id: 'Direktori data {dir} berisi klaster PostgreSQL tetapi berkas kata sandinya ({file}) hilang. Pulihkan berkas itu dari cadangan, atau pindahkan direktori data dan mulai dari cadangan (tumbuh db restore).',
    en: 'The data directory {dir} holds a PostgreSQL cluster but its password file ({file}) is missing. Restore that file from a backup, or move the data directory away and start from a backup (tumbuh db restore).',
  },
  'db.badUrl': {
    id: 'DATABASE_URL tidak valid: harus berbentuk postgres://pengguna:sandi@host:port/basisdata',
    en: 'DATABASE_URL is not valid: it must look like postgres://user:password@host:port/database',
  },
  'db.versionTooOld': {
    id: 'Server PostgreSQL versi {version} terlalu lama; Tumbuh memerlukan PostgreSQL 15 atau lebih baru.',
    en: 'PostgreSQL server version {version} is too old; Tumbuh needs PostgreSQL 15 or newer.',
  },
  'db.connectFailed': {
    id: 'Tidak dapat terhubung ke PostgreSQL ({target}): {reason}',
    en: 'Cannot connect to PostgreSQL ({target}): {reason}',
  },
  'db.nikKeyMismatch': {
    id: 'Kunci NIK instalasi ini berbeda dengan kunci yang dipakai saat data disimpan. Pasang kembali kunci yang benar (berkas nik.key di direktori data atau TUMBUH_NIK_KEY); pencocokan NIK tidak akan berfungsi dengan kunci lain.',
    en: 'This installation\'s NIK key differs from the key the data were stored with. Put the right key back (nik.key in the data directory or TUMBUH_NIK_KEY); NIK matching cannot work with another key.',
  },
  'db.nikKeyTooShort': {
    id: 'TUMBUH_NIK_KEY terlalu pendek: minimal 32 karakter acak.',
    en: 'TUMBUH_NIK_KEY is too short: use at least 32 random characters.',
  },
  'db.constraint': {
    id: 'Data ditolak oleh aturan basis data {constraint} pada tabel {table}: {detail}',
    en: 'Data rejected by database rule {constraint} on table {table}: {detail}',
  },
  'db.notFound': {
    id: '{entity} dengan id {id} tidak ditemukan.',
    en: '{entity} with id {id} was not found.',
  },
  'db.backup.badFile': {
    id: 'Berkas {file} bukan cadangan Tumbuh yang valid: {reason}',
    en: 'File {file} is not a valid Tumbuh backup: {reason}',
  },
  'db.backup.newerSchema': {
    id: 'Cadangan dibuat dengan skema yang lebih baru ({backup}) daripada versi Tumbuh ini ({current}). Perbarui Tumbuh dulu.',
    en: 'The backup was made with a newer schema ({backup}) than this Tumbuh ({current}). Upgrade Tumbuh first.',
  },
  'db.backup.notEmpty': {
    id: 'Basis data tujuan tidak kosong ({rows} baris data di tabel {table}). Pemulihan hanya ke basis data baru/kosong; pakai --force untuk mengganti semua data.',
    en: 'The target database is not empty ({rows} data rows in table {table}). Restore only into a new/empty database; use --force to replace all data.',
  },
  'db.regions.badRow': {
    id: 'Baris {line} berkas wilayah {file} tidak valid: {reason}',
    en: 'Line {line} of region file {file} is not valid: {reason}',
  },
});

import { defineMessages } from '../common/i18n.js';

/** Every user-facing text of the importers, Bahasa Indonesia first. */
export const IM = defineMessages({
  // file-level errors
  'ingest.file.notFound': { id: 'Berkas tidak ditemukan: {file}', en: 'File not found: {file}' },
  'ingest.file.empty': { id: 'Berkas kosong: {file}', en: 'The file is empty: {file}' },
  'ingest.file.biffXls': {
    id: '{file} adalah berkas Excel 97-2003 (.xls biner) yang tidak didukung. Buka di Excel/LibreOffice lalu simpan sebagai .xlsx atau .csv.',
    en: '{file} is an Excel 97-2003 binary .xls file, which is not supported. Open it in Excel/LibreOffice and save it as .xlsx or .csv.',
  },
  'ingest.file.binary': {
    id: '{file} bukan tabel yang bisa dibaca (CSV, XLSX atau tabel HTML .xls): isinya data biner.',
    en: '{file} is not a readable table (CSV, XLSX or HTML-table .xls): it contains binary data.',
  },
  'ingest.file.unsupportedZip': {
    id: '{file} adalah arsip ZIP tetapi bukan buku kerja Excel .xlsx.',
    en: '{file} is a ZIP archive but not an Excel .xlsx workbook.',
  },
  'ingest.file.corruptXlsx': {
    id: 'Berkas .xlsx {file} rusak atau terpotong: {detail}',
    en: 'The .xlsx file {file} is damaged or truncated: {detail}',
  },
  'ingest.file.zipBomb': {
    id: 'Berkas .xlsx {file} ditolak: isi terkompresinya terlalu besar ({detail}). Ini bisa berupa "zip bomb"; pecah berkas atau simpan sebagai .csv.',
    en: 'The .xlsx file {file} was refused: its compressed content is too large ({detail}). This may be a "zip bomb"; split the file or save it as .csv.',
  },
  'ingest.file.cellTooLong': {
    id: 'Baris {row} berisi sel yang terlalu panjang (lebih dari {max} karakter). Berkas rusak atau bukan ekspor tabel.',
    en: 'Row {row} holds a cell that is too long (more than {max} characters). The file is damaged or not a table export.',
  },
  'ingest.file.rowTooLong': {
    id: 'Sebuah baris melebihi {max} karakter (mungkin tanda kutip tidak ditutup) di sekitar baris fisik {line}.',
    en: 'A row exceeds {max} characters (perhaps an unclosed quote) around physical line {line}.',
  },
  'ingest.file.tooManyColumns': {
    id: 'Baris {row} memiliki lebih dari {max} kolom. Berkas rusak atau bukan ekspor tabel.',
    en: 'Row {row} has more than {max} columns. The file is damaged or not a table export.',
  },
  'ingest.file.noTable': {
    id: 'Tidak ada tabel dalam berkas HTML {file}.',
    en: 'No table was found in the HTML file {file}.',
  },
  'ingest.file.noHeader': {
    id: 'Baris judul kolom tidak ditemukan di {file}. Kolom wajib: {columns}.',
    en: 'No header row was found in {file}. Required columns: {columns}.',
  },
  'ingest.file.missingColumns': {
    id: 'Kolom wajib tidak ada di {file}: {columns}. Kolom yang terbaca: {found}.',
    en: 'Required columns are missing in {file}: {columns}. Columns found: {found}.',
  },
  'ingest.file.encoding': {
    id: 'Berkas {file} memakai pengodean UTF-16 tanpa BOM atau pengodean lain yang tidak dikenali. Simpan sebagai CSV UTF-8.',
    en: 'The file {file} uses UTF-16 without a BOM or another unrecognised encoding. Save it as UTF-8 CSV.',
  },
  'ingest.file.readError': {
    id: 'Berkas {file} tidak bisa dibaca: {detail}',
    en: 'The file {file} could not be read: {detail}',
  },

  // row rejections
  'ingest.row.missing': { id: 'kosong (wajib diisi)', en: 'missing (required)' },
  'ingest.row.dateUnparseable': {
    id: 'tanggal tidak dikenali (pakai dd/mm/yyyy, yyyy-mm-dd atau "27 Nov 2025")',
    en: 'unrecognised date (use dd/mm/yyyy, yyyy-mm-dd or "27 Nov 2025")',
  },
  'ingest.row.dateFuture': { id: 'tanggal di masa depan (setelah {today})', en: 'date in the future (after {today})' },
  'ingest.row.beforeBirth': {
    id: 'tanggal pengukuran sebelum tanggal lahir ({birth})',
    en: 'measurement date before the birth date ({birth})',
  },
  'ingest.row.sex': { id: 'JK harus L atau P', en: 'sex (JK) must be L or P' },
  'ingest.row.notNumber': { id: 'bukan angka', en: 'not a number' },
  'ingest.row.weightRange': {
    id: 'berat harus lebih dari 0 dan paling banyak 60 kg',
    en: 'weight must be more than 0 and at most 60 kg',
  },
  'ingest.row.heightRange': {
    id: 'tinggi/panjang harus lebih dari 0 dan paling banyak 150 cm',
    en: 'height/length must be more than 0 and at most 150 cm',
  },
  'ingest.row.desaUnknown': {
    id: 'desa/kelurahan tidak ada di {district}; yang paling mirip: {candidates}',
    en: 'no desa/kelurahan of {district} has this name; closest: {candidates}',
  },
  'ingest.row.desaAmbiguous': {
    id: 'nama desa/kelurahan ada di beberapa kecamatan ({candidates}); isi kolom Kec dengan benar',
    en: 'this desa/kelurahan name exists in several kecamatan ({candidates}); fill in the Kec column correctly',
  },
  'ingest.row.required': { id: 'kolom wajib kosong', en: 'required column is empty' },
  'ingest.row.choice': { id: 'nilai harus salah satu dari: {choices}', en: 'value must be one of: {choices}' },
  'ingest.row.periodUnparseable': {
    id: 'periode tidak dikenali (pakai yyyy-mm, mm/yyyy, "Nov 2025" atau yyyy)',
    en: 'unrecognised period (use yyyy-mm, mm/yyyy, "Nov 2025" or yyyy)',
  },
  'ingest.row.indicatorUnknown': {
    id: 'kode indikator tidak dikenal',
    en: 'unknown indicator code',
  },
  'ingest.row.range': { id: 'harus antara {min} dan {max}', en: 'must be between {min} and {max}' },
  'ingest.row.integer': { id: 'harus bilangan bulat', en: 'must be a whole number' },
  'ingest.row.tooLong': { id: 'terlalu panjang (lebih dari {max} karakter)', en: 'too long (more than {max} characters)' },
  'ingest.row.yesNo': { id: 'isi Ya atau Tidak', en: 'write Ya (yes) or Tidak (no)' },
  'ingest.row.code': { id: 'kode tidak sesuai format ({hint})', en: 'code does not have the expected form ({hint})' },
  'ingest.row.noFigure': { id: 'isi Pembilang atau Nilai', en: 'fill in Pembilang (numerator) or Nilai (value)' },
  'ingest.row.dateOrder': { id: 'tanggal ini harus setelah {other}', en: 'this date must be after {other}' },
  'ingest.row.numeratorAboveDenominator': {
    id: 'pembilang lebih besar dari penyebut',
    en: 'numerator is larger than the denominator',
  },

  // warnings (row accepted)
  'ingest.warn.nikScientific': {
    id: 'NIK rusak oleh Excel (notasi ilmiah); anak dicocokkan dengan nama + tanggal lahir + nama ibu',
    en: 'NIK mangled by Excel (scientific notation); the child is matched by name + birth date + mother',
  },
  'ingest.warn.nikNumber': {
    id: 'NIK disimpan Excel sebagai angka (digit terakhir hilang); anak dicocokkan dengan nama + tanggal lahir + nama ibu',
    en: 'NIK stored by Excel as a number (last digit lost); the child is matched by name + birth date + mother',
  },
  'ingest.warn.nikLength': {
    id: 'NIK bukan 16 angka; anak dicocokkan dengan nama + tanggal lahir + nama ibu',
    en: 'NIK is not 16 digits; the child is matched by name + birth date + mother',
  },
  'ingest.warn.unit': { id: 'satuan "{unit}" tidak dikenal; angkanya tetap dipakai', en: 'unknown unit "{unit}"; the number is used' },
  'ingest.warn.measure': {
    id: 'Cara Ukur tidak dikenali (Berdiri/Telentang); ditentukan dari umur',
    en: 'Cara Ukur not recognised (Berdiri/Telentang); decided from age',
  },
  'ingest.warn.kecUnknown': { id: 'kecamatan tidak dikenali', en: 'kecamatan not recognised' },
  'ingest.warn.kecMismatch': {
    id: 'desa/kelurahan berada di kecamatan {kec}, bukan yang tertulis',
    en: 'the desa/kelurahan lies in kecamatan {kec}, not the one written',
  },

  // summary / CLI
  'ingest.summary.read': { id: 'Baris dibaca', en: 'Rows read' },
  'ingest.summary.accepted': { id: 'Diterima', en: 'Accepted' },
  'ingest.summary.rejected': { id: 'Ditolak', en: 'Rejected' },
  'ingest.summary.inserted': { id: 'Pengukuran baru', en: 'New measurements' },
  'ingest.summary.updated': { id: 'Diperbarui', en: 'Updated' },
  'ingest.summary.unchanged': { id: 'Tidak berubah', en: 'Unchanged' },
  'ingest.summary.warnings': { id: 'Peringatan', en: 'Warnings' },
  'ingest.summary.newPosyandu': { id: 'Posyandu baru', en: 'New posyandu' },
  'ingest.summary.posyandu': { id: 'Posyandu dalam berkas', en: 'Posyandu in the file' },
  'ingest.summary.disagree': {
    id: 'Z-score e-PPGBM berbeda dari hitungan WHO',
    en: 'e-PPGBM z-scores that differ from the WHO computation',
  },
  'ingest.summary.dryRun': { id: 'Uji coba: tidak ada yang disimpan.', en: 'Dry run: nothing was saved.' },
  'ingest.summary.batch': { id: 'Batch impor {batch} disimpan.', en: 'Import batch {batch} saved.' },
  'ingest.summary.sameFile': {
    id: 'Berkas yang sama sudah pernah diimpor (batch {batch}); tidak ada yang berubah.',
    en: 'The same file was imported before (batch {batch}); nothing changed.',
  },
  'ingest.summary.rejectsReport': { id: 'Laporan baris ditolak: {files}', en: 'Rejected-rows report: {files}' },
  'ingest.summary.rejectLine': { id: 'baris {row}, kolom {column}', en: 'row {row}, column {column}' },
  'ingest.summary.moreRejects': {
    id: '… dan {n} penolakan lagi (pakai --format json atau laporan)',
    en: '… and {n} more rejections (use --format json or the report)',
  },
  'ingest.progress': { id: 'Mengimpor', en: 'Importing' },

  'ingest.cli.usage': {
    id: 'Pemakaian: tumbuh import eppgbm BERKAS… [--dry-run] [--format text|json] [--kabupaten KODE] [--rejects BERKAS] [--user NAMA]\n           tumbuh import KIND BERKAS… [--dry-run] [--format text|json]   (KIND: {kinds})\n           tumbuh import template KIND [-o FOLDER]\n           tumbuh import undo BATCH',
    en: 'Usage: tumbuh import eppgbm FILE… [--dry-run] [--format text|json] [--kabupaten CODE] [--rejects FILE] [--user NAME]\n       tumbuh import KIND FILE… [--dry-run] [--format text|json]   (KIND: {kinds})\n       tumbuh import template KIND [-o DIR]\n       tumbuh import undo BATCH',
  },
  'ingest.cli.badOption': { id: 'Opsi tidak dikenal atau tidak lengkap: {option}', en: 'Unknown or incomplete option: {option}' },
  'ingest.cli.noFiles': { id: 'Sebutkan paling sedikit satu berkas.', en: 'Name at least one file.' },
  'ingest.cli.unknownKind': { id: 'Jenis tidak dikenal: {kind}. Pilihan: {kinds}', en: 'Unknown kind: {kind}. Choices: {kinds}' },
  'ingest.cli.templateWritten': { id: 'Templat ditulis: {files}', en: 'Template written: {files}' },
  'ingest.cli.noDatabase': {
    id: 'Basis data belum tersedia di versi ini; pakai --dry-run untuk memeriksa berkas.',
    en: 'The database is not available in this build; use --dry-run to check the file.',
  },
  'ingest.cli.undone': { id: 'Batch {batch} dibatalkan: {n} baris dihapus.', en: 'Batch {batch} undone: {n} rows removed.' },
  'ingest.cli.batchNotFound': { id: 'Batch tidak ditemukan: {batch}', en: 'Batch not found: {batch}' },
  'ingest.cli.fileHeader': { id: 'Berkas', en: 'File' },
  'ingest.cli.undoBlocked': {
    id: 'Batch {batch} tidak bisa dibatalkan: batch {later} kemudian mengubah baris yang sama. Batalkan batch {later} dulu.',
    en: 'Batch {batch} cannot be undone: batch {later} later changed the same rows. Undo batch {later} first.',
  },
  'ingest.cli.notUndoable': {
    id: 'Batch {batch} berstatus {status}; hanya batch yang selesai yang bisa dibatalkan.',
    en: 'Batch {batch} is {status}; only a finished batch can be undone.',
  },
  'ingest.cli.undoneDetail': {
    id: 'Batch {batch} dibatalkan: {removed} baris data dihapus, {restored} dipulihkan, {children} anak dan {posyandu} posyandu dihapus.',
    en: 'Batch {batch} undone: {removed} data rows removed, {restored} restored, {children} children and {posyandu} posyandu removed.',
  },
  'ingest.summary.duplicates': { id: 'Baris ganda (anak dan tanggal ukur sama) dilewati', en: 'Duplicate rows (same child and date) skipped' },
  'ingest.summary.newChildren': { id: 'Anak baru', en: 'New children' },
  'ingest.summary.importedBy': { id: 'Diimpor oleh', en: 'Imported by' },
  'ingest.store.heightTooSmall': {
    id: 'tinggi di bawah 20 cm tidak bisa disimpan',
    en: 'a height below 20 cm cannot be stored',
  },
  'ingest.store.unknownRegion': {
    id: 'Kode desa {codes} tidak ada di basis data wilayah; muat ulang data wilayah (TUMBUH_REGIONS_FILE) lalu ulangi.',
    en: 'Desa codes {codes} are not in the region table; reload the region data (TUMBUH_REGIONS_FILE) and retry.',
  },
  'ingest.store.unknownCode': {
    id: 'kode {code} tidak ada di katalog Tumbuh',
    en: 'code {code} is not in Tumbuh\'s catalogue',
  },
  'ingest.store.tooOld': {
    id: 'umur saat ukur lebih dari 60 bulan: bukan balita, tidak disimpan',
    en: 'age at measurement over 60 months: not a balita, not stored',
  },
  'ingest.store.storedBirthDate': {
    id: 'anak sudah terdaftar dengan tanggal lahir lain; dengan tanggal itu umur saat ukur di luar 0–60 bulan',
    en: 'the child is registered with another birth date; with it the age at measurement is outside 0–60 months',
  },
});

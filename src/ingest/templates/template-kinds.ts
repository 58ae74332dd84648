import type { ColumnSpec } from '../header-map.js';

/** How a template column's text is read and checked. */
export type FieldType =
  | { type: 'text'; maxLength?: number }
  | { type: 'nik' }
  | { type: 'date'; notFuture?: boolean }
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  | { type: 'yesno' }
  | { type: 'choice'; choices: readonly string[] }
  | { type: 'desa' }
  | { type: 'kec' }
  | { type: 'period' }
  | { type: 'code'; pattern: RegExp; hint: string };

/** A template column: header, spellings, whether required, how it is read, what to write. */
export type TemplateColumn<K extends string = string> = ColumnSpec<K> & { field: FieldType };

/** The template kinds `tumbuh import template KIND` writes and `tumbuh import KIND FILE` reads. */
export type TemplateKind = 'ibu-hamil' | 'ibu-nifas' | 'remaja-putri' | 'catin' | 'keluarga' | 'kunjungan-tpk' | 'sektor';

/** A template: its kind, sheet title, purpose and columns. */
export interface TemplateSpec {
  kind: TemplateKind;
  title: { id: string; en: string };
  purpose: string;
  columns: readonly TemplateColumn[];
}

const INTERVENTION = { type: 'code', pattern: /^[A-Z0-9_]{2,40}$/, hint: 'TTD, PMT, ANC, KB_PASCA, …' } as const;

const PERSON: readonly TemplateColumn[] = [
  { key: 'nik', header: 'NIK', aliases: ['No NIK'], field: { type: 'nik' }, description: { id: 'NIK 16 angka, ketik sebagai teks (awali dengan \')', en: '16-digit NIK, typed as text (prefix \')' }, example: "'6201014101990001" },
  { key: 'nama', header: 'Nama', required: true, aliases: ['Nama Lengkap'], field: { type: 'text', maxLength: 200 }, description: { id: 'Nama lengkap', en: 'Full name' }, example: 'Siti Aminah' },
  { key: 'tglLahir', header: 'Tgl Lahir', aliases: ['Tanggal Lahir'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal lahir (dd/mm/yyyy)', en: 'Birth date (dd/mm/yyyy)' }, example: '01/01/1999' },
  { key: 'kec', header: 'Kec', aliases: ['Kecamatan'], field: { type: 'kec' }, description: { id: 'Kecamatan', en: 'Kecamatan' }, example: 'Arut Selatan' },
  { key: 'desa', header: 'Desa/Kel', required: true, aliases: ['Desa', 'Kelurahan', 'Desa/Kelurahan'], field: { type: 'desa' }, description: { id: 'Desa atau kelurahan tempat tinggal', en: 'Desa or kelurahan of residence' }, example: 'Madurejo' },
  { key: 'posyandu', header: 'Posyandu', field: { type: 'text', maxLength: 200 }, description: { id: 'Nama posyandu (boleh kosong)', en: 'Posyandu name (may be empty)' }, example: 'Melati' },
  { key: 'tglDaftar', header: 'Tgl Daftar', required: true, aliases: ['Tanggal Daftar', 'Tanggal Registrasi'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal tercatat sebagai sasaran', en: 'Date registered as a target person' }, example: '05/01/2025' },
];

const SERVICE: readonly TemplateColumn[] = [
  { key: 'layanan', header: 'Kode Layanan', aliases: ['Layanan', 'Intervensi'], field: INTERVENTION, description: { id: 'Kode intervensi yang diberikan (kosong bila belum ada)', en: 'Code of the intervention given (empty when none)' }, example: 'TTD' },
  { key: 'tglLayanan', header: 'Tgl Layanan', aliases: ['Tanggal Layanan'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal layanan', en: 'Date of the service' }, example: '10/01/2025' },
  { key: 'jumlah', header: 'Jumlah', field: { type: 'number', min: 0, max: 100000 }, description: { id: 'Jumlah (tablet, kg PMT, kunjungan…)', en: 'Quantity (tablets, kg of food, visits…)' }, example: '30' },
  { key: 'pemberi', header: 'Pemberi Layanan', aliases: ['Petugas', 'Pemberi'], field: { type: 'text', maxLength: 200 }, description: { id: 'Bidan/puskesmas/petugas yang memberi', en: 'Midwife/puskesmas/worker who gave it' }, example: 'Bidan Desa' },
];

const KRS_FLAGS: readonly TemplateColumn[] = (
  [
    ['punyaPus', 'Ada PUS', 'Ada pasangan usia subur (istri 15–49 th)', 'Has a couple of reproductive age'],
    ['adaBumil', 'Ada Ibu Hamil', 'Ada ibu hamil', 'Has a pregnant woman'],
    ['adaBaduta', 'Ada Baduta', 'Ada anak 0–23 bulan', 'Has a child 0–23 months'],
    ['adaBalita', 'Ada Balita', 'Ada anak 24–59 bulan', 'Has a child 24–59 months'],
    ['airTidakLayak', 'Air Minum Tidak Layak', 'Sumber air minum utama tidak layak', 'No improved drinking-water source'],
    ['jambanTidakLayak', 'Jamban Tidak Layak', 'Tidak ada jamban layak', 'No improved latrine'],
    ['terlaluMuda', 'Istri < 20 Tahun', 'Terlalu muda: istri di bawah 20 tahun', 'Too young: wife under 20'],
    ['terlaluTua', 'Istri 35-40 Tahun', 'Terlalu tua: istri 35–40 tahun', 'Too old: wife 35–40'],
    ['terlaluDekat', 'Jarak Lahir < 2 Tahun', 'Terlalu dekat: jarak kelahiran kurang dari 2 tahun', 'Too close: birth spacing under 2 years'],
    ['terlaluBanyak', 'Anak > 3', 'Terlalu banyak: lebih dari 3 anak', 'Too many: more than 3 children'],
    ['miskin', 'Keluarga Miskin', 'Keluarga miskin', 'Poor family'],
  ] as const
).map(([key, header, id, en]) => ({ key, header, field: { type: 'yesno' } as const, description: { id: `${id} (Ya/Tidak)`, en: `${en} (Ya/Tidak)` }, example: 'Tidak' }));

/** Every template, in the order `tumbuh import template` lists them. */
export const TEMPLATES: readonly TemplateSpec[] = [
  {
    kind: 'ibu-hamil',
    title: { id: 'Ibu hamil', en: 'Pregnant women' },
    purpose: 'Daftar ibu hamil dengan skrining gizi (LiLA/KEK, Hb) dan layanan yang diterima (TTD, PMT, ANC).',
    columns: [
      ...PERSON,
      { key: 'hpht', header: 'HPHT', aliases: ['Tgl HPHT'], field: { type: 'date', notFuture: true }, description: { id: 'Hari pertama haid terakhir', en: 'First day of last menstrual period' }, example: '01/10/2024' },
      { key: 'hpl', header: 'HPL', aliases: ['Tgl HPL', 'Taksiran Persalinan'], field: { type: 'date' }, description: { id: 'Hari perkiraan lahir', en: 'Expected delivery date' }, example: '08/07/2025' },
      { key: 'gravida', header: 'Kehamilan Ke', aliases: ['Gravida'], field: { type: 'number', min: 1, max: 20, integer: true }, description: { id: 'Kehamilan ke berapa', en: 'Gravida' }, example: '2' },
      { key: 'lila', header: 'LiLA (cm)', aliases: ['LiLA'], field: { type: 'number', min: 10, max: 50 }, description: { id: 'Lingkar lengan atas, cm', en: 'Mid-upper arm circumference, cm' }, example: '22,5' },
      { key: 'kek', header: 'KEK', field: { type: 'yesno' }, description: { id: 'Kurang energi kronik (Ya/Tidak)', en: 'Chronic energy deficiency (Ya/Tidak)' }, example: 'Ya' },
      { key: 'hb', header: 'Hb (g/dL)', aliases: ['Hb'], field: { type: 'number', min: 2, max: 25 }, description: { id: 'Kadar hemoglobin', en: 'Haemoglobin' }, example: '10,8' },
      ...SERVICE,
    ],
  },
  {
    kind: 'ibu-nifas',
    title: { id: 'Ibu nifas', en: 'Post-partum mothers' },
    purpose: 'Daftar ibu nifas (sampai 42 hari setelah persalinan) dan layanan, termasuk KB pascapersalinan.',
    columns: [
      ...PERSON,
      { key: 'tglPersalinan', header: 'Tgl Persalinan', required: true, aliases: ['Tanggal Persalinan', 'Tgl Melahirkan'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal persalinan', en: 'Delivery date' }, example: '02/01/2025' },
      { key: 'kbPasca', header: 'KB Pascapersalinan', aliases: ['KB Pasca Persalinan'], field: { type: 'yesno' }, description: { id: 'Ber-KB setelah persalinan (Ya/Tidak)', en: 'Post-partum family planning (Ya/Tidak)' }, example: 'Ya' },
      ...SERVICE,
    ],
  },
  {
    kind: 'remaja-putri',
    title: { id: 'Remaja putri', en: 'Adolescent girls' },
    purpose: 'Daftar remaja putri, skrining anemia dan tablet tambah darah (TTD) mingguan.',
    columns: [
      ...PERSON,
      { key: 'sekolah', header: 'Sekolah', field: { type: 'text', maxLength: 200 }, description: { id: 'Nama sekolah/madrasah', en: 'School' }, example: 'SMPN 1 Pangkalan Bun' },
      { key: 'hb', header: 'Hb (g/dL)', aliases: ['Hb'], field: { type: 'number', min: 2, max: 25 }, description: { id: 'Kadar hemoglobin', en: 'Haemoglobin' }, example: '11,5' },
      { key: 'anemia', header: 'Anemia', field: { type: 'yesno' }, description: { id: 'Anemia (Ya/Tidak)', en: 'Anaemia (Ya/Tidak)' }, example: 'Tidak' },
      ...SERVICE,
    ],
  },
  {
    kind: 'catin',
    title: { id: 'Calon pengantin', en: 'Couples about to marry' },
    purpose: 'Daftar calon pengantin, hasil Elsimil dan pemeriksaan kesehatan pranikah.',
    columns: [
      ...PERSON,
      { key: 'jk', header: 'JK', required: true, aliases: ['Jenis Kelamin'], field: { type: 'choice', choices: ['L', 'P'] }, description: { id: 'L atau P', en: 'L (male) or P (female)' }, example: 'P' },
      { key: 'rencanaNikah', header: 'Rencana Tgl Nikah', aliases: ['Tanggal Nikah', 'Rencana Nikah'], field: { type: 'date' }, description: { id: 'Rencana tanggal pernikahan', en: 'Planned wedding date' }, example: '14/02/2025' },
      { key: 'elsimil', header: 'Hasil Elsimil', aliases: ['Elsimil'], field: { type: 'choice', choices: ['Ideal', 'Berisiko'] }, description: { id: 'Ideal atau Berisiko', en: 'Ideal or Berisiko (at risk)' }, example: 'Ideal' },
      { key: 'lila', header: 'LiLA (cm)', aliases: ['LiLA'], field: { type: 'number', min: 10, max: 50 }, description: { id: 'Lingkar lengan atas, cm', en: 'MUAC, cm' }, example: '24' },
      { key: 'hb', header: 'Hb (g/dL)', aliases: ['Hb'], field: { type: 'number', min: 2, max: 25 }, description: { id: 'Kadar hemoglobin', en: 'Haemoglobin' }, example: '12,1' },
      ...SERVICE,
    ],
  },
  {
    kind: 'keluarga',
    title: { id: 'Keluarga sasaran & KRS', en: 'Target families & at-risk factors' },
    purpose: 'Keluarga sasaran hasil pendataan keluarga / verval KRS (BKKBN) dengan faktor risiko stunting.',
    columns: [
      { key: 'noKk', header: 'Nomor KK', aliases: ['No KK'], field: { type: 'nik' }, description: { id: 'Nomor kartu keluarga 16 angka, sebagai teks', en: '16-digit family-card number, as text' }, example: "'6201010101250001" },
      { key: 'kepala', header: 'Nama Kepala Keluarga', required: true, aliases: ['Kepala Keluarga', 'Nama KK'], field: { type: 'text', maxLength: 200 }, description: { id: 'Nama kepala keluarga', en: 'Head of family' }, example: 'Ahmad' },
      { key: 'kec', header: 'Kec', aliases: ['Kecamatan'], field: { type: 'kec' }, description: { id: 'Kecamatan', en: 'Kecamatan' }, example: 'Kumai' },
      { key: 'desa', header: 'Desa/Kel', required: true, aliases: ['Desa', 'Kelurahan'], field: { type: 'desa' }, description: { id: 'Desa atau kelurahan', en: 'Desa or kelurahan' }, example: 'Candi' },
      { key: 'rt', header: 'RT', field: { type: 'text', maxLength: 10 }, description: { id: 'RT', en: 'RT' }, example: '003' },
      { key: 'rw', header: 'RW', field: { type: 'text', maxLength: 10 }, description: { id: 'RW', en: 'RW' }, example: '001' },
      { key: 'alamat', header: 'Alamat', field: { type: 'text', maxLength: 500 }, description: { id: 'Alamat', en: 'Address' }, example: 'Jl. Pelabuhan' },
      ...KRS_FLAGS,
      { key: 'tglPendataan', header: 'Tgl Pendataan', aliases: ['Tanggal Pendataan', 'Tgl Verval'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal pendataan / verval', en: 'Date assessed' }, example: '15/03/2025' },
    ],
  },
  {
    kind: 'kunjungan-tpk',
    title: { id: 'Kunjungan TPK', en: 'TPK family visits' },
    purpose: 'Pendampingan keluarga oleh Tim Pendamping Keluarga (bidan, kader PKK, kader KB).',
    columns: [
      { key: 'noKk', header: 'Nomor KK', aliases: ['No KK'], field: { type: 'nik' }, description: { id: 'Nomor KK keluarga yang dikunjungi', en: 'Family-card number of the family visited' }, example: "'6201010101250001" },
      { key: 'kepala', header: 'Nama Kepala Keluarga', required: true, aliases: ['Kepala Keluarga'], field: { type: 'text', maxLength: 200 }, description: { id: 'Nama kepala keluarga', en: 'Head of family' }, example: 'Ahmad' },
      { key: 'kec', header: 'Kec', aliases: ['Kecamatan'], field: { type: 'kec' }, description: { id: 'Kecamatan', en: 'Kecamatan' }, example: 'Kumai' },
      { key: 'desa', header: 'Desa/Kel', required: true, aliases: ['Desa', 'Kelurahan'], field: { type: 'desa' }, description: { id: 'Desa atau kelurahan', en: 'Desa or kelurahan' }, example: 'Candi' },
      { key: 'tglKunjungan', header: 'Tgl Kunjungan', required: true, aliases: ['Tanggal Kunjungan'], field: { type: 'date', notFuture: true }, description: { id: 'Tanggal kunjungan', en: 'Visit date' }, example: '20/03/2025' },
      { key: 'sasaran', header: 'Sasaran', required: true, field: { type: 'choice', choices: ['Catin', 'Ibu Hamil', 'Ibu Nifas', 'Baduta', 'Balita'] }, description: { id: 'Catin / Ibu Hamil / Ibu Nifas / Baduta / Balita', en: 'Who was accompanied' }, example: 'Ibu Hamil' },
      { key: 'kegiatan', header: 'Kegiatan', required: true, field: { type: 'choice', choices: ['Penyuluhan', 'Rujukan', 'Bantuan Sosial', 'Surveilans'] }, description: { id: 'Penyuluhan / Rujukan / Bantuan Sosial / Surveilans', en: 'Counselling / Referral / Social assistance / Surveillance' }, example: 'Penyuluhan' },
      { key: 'petugas', header: 'Petugas TPK', required: true, aliases: ['Nama TPK', 'Pendamping'], field: { type: 'text', maxLength: 200 }, description: { id: 'Nama anggota/tim TPK', en: 'TPK member or team' }, example: 'TPK Candi 1' },
    ],
  },
  {
    kind: 'sektor',
    title: { id: 'Capaian sektor', en: 'Sector figures' },
    purpose: 'Capaian indikator yang tidak berbasis nama, per desa per periode, diisi oleh OPD/sektor.',
    columns: [
      { key: 'indikator', header: 'Kode Indikator', required: true, aliases: ['Indikator', 'ID Indikator'], field: { type: 'code', pattern: /^[A-Z]{2,4}-[0-9]{2,3}$/, hint: 'SEN-04, SPE-09, …' }, description: { id: 'Kode indikator (mis. SEN-04)', en: 'Indicator code (e.g. SEN-04)' }, example: 'SEN-04' },
      { key: 'kec', header: 'Kec', aliases: ['Kecamatan'], field: { type: 'kec' }, description: { id: 'Kecamatan', en: 'Kecamatan' }, example: 'Kumai' },
      { key: 'desa', header: 'Desa/Kel', required: true, aliases: ['Desa', 'Kelurahan'], field: { type: 'desa' }, description: { id: 'Desa atau kelurahan', en: 'Desa or kelurahan' }, example: 'Candi' },
      { key: 'periode', header: 'Periode', required: true, field: { type: 'period' }, description: { id: 'Bulan (2025-03), triwulan (2025-T1), semester (2025-S1) atau tahun (2025)', en: 'Month (2025-03), quarter (2025-T1), semester (2025-S1) or year (2025)' }, example: '2025-S1' },
      { key: 'pembilang', header: 'Pembilang', field: { type: 'number', min: 0 }, description: { id: 'Pembilang (jumlah yang memenuhi)', en: 'Numerator' }, example: '812' },
      { key: 'penyebut', header: 'Penyebut', field: { type: 'number', min: 0 }, description: { id: 'Penyebut (jumlah sasaran)', en: 'Denominator' }, example: '1020' },
      { key: 'nilai', header: 'Nilai', field: { type: 'number', min: 0 }, description: { id: 'Nilai bila bukan rasio (jumlah orang/keluarga)', en: 'Value when not a ratio (count)' }, example: '' },
      { key: 'sumber', header: 'Sumber', required: true, aliases: ['OPD', 'Sumber Data'], field: { type: 'text', maxLength: 200 }, description: { id: 'OPD/sumber data', en: 'Agency / data source' }, example: 'Dinas PUPR' },
      { key: 'bukti', header: 'Bukti', aliases: ['Keterangan'], field: { type: 'text', maxLength: 1000 }, description: { id: 'Dokumen bukti atau tautan', en: 'Evidence document or link' }, example: 'Laporan STBM S1 2025' },
    ],
  },
];

/** The template of a kind, or undefined. */
export function templateFor(kind: string): TemplateSpec | undefined {
  return TEMPLATES.find((t) => t.kind === kind);
}

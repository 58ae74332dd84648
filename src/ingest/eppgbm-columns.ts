import type { ColumnSpec } from './header-map.js';

/** Keys of the e-PPGBM measurement-export columns Tumbuh reads. */
export type EppgbmKey =
  | 'nik' | 'nama' | 'jk' | 'tglLahir' | 'bbLahir' | 'tbLahir' | 'namaOrtu'
  | 'prov' | 'kabKota' | 'kec' | 'puskesmas' | 'desa' | 'posyandu' | 'rt' | 'rw' | 'alamat'
  | 'usiaSaatUkur' | 'tglUkur' | 'berat' | 'tinggi' | 'caraUkur' | 'lila' | 'lingkarKepala'
  | 'bbU' | 'zsBbU' | 'tbU' | 'zsTbU' | 'bbTb' | 'zsBbTb' | 'naikBb'
  | 'pmt' | 'vitA' | 'kpsp' | 'kia' | 'detail'
  | 'kelasIbuBalita' | 'mbg' | 'anakKe' | 'nomorKk' | 'nikOrtu' | 'hpOrtu' | 'usiaKehamilan' | 'imd' | 'lkLahir';

/**
 * The e-PPGBM "measurement list" export, in the order e-PPGBM writes it (DOMAIN.md §5.1), with
 * the spellings seen in other exports and hand-made sheets. Required: the columns whose absence
 * would reject every row under the row rules.
 */
export const EPPGBM_COLUMNS: readonly ColumnSpec<EppgbmKey>[] = [
  { key: 'nik', header: 'NIK', aliases: ['NIK Anak', 'NIK Balita'] },
  { key: 'nama', header: 'Nama', aliases: ['Nama Anak', 'Nama Balita'] },
  { key: 'jk', header: 'JK', required: true, aliases: ['Jenis Kelamin', 'L/P', 'Kelamin'] },
  { key: 'tglLahir', header: 'Tgl Lahir', required: true, aliases: ['Tanggal Lahir', 'Tgl Lhr', 'Tgl. Lahir Anak', 'Tanggal Lahir Anak'] },
  { key: 'bbLahir', header: 'BB Lahir', aliases: ['Berat Lahir', 'Berat Badan Lahir'] },
  { key: 'tbLahir', header: 'TB Lahir', aliases: ['PB Lahir', 'Panjang Lahir', 'Panjang Badan Lahir', 'Tinggi Lahir'] },
  { key: 'namaOrtu', header: 'Nama Ortu', aliases: ['Nama Orang Tua', 'Nama Ibu', 'Nama Ibu Kandung', 'Ortu', 'Nama Orangtua'] },
  { key: 'prov', header: 'Prov', aliases: ['Provinsi'] },
  { key: 'kabKota', header: 'Kab/Kota', aliases: ['Kabupaten', 'Kabupaten/Kota', 'Kab'] },
  { key: 'kec', header: 'Kec', aliases: ['Kecamatan'] },
  { key: 'puskesmas', header: 'Pukesmas', aliases: ['Puskesmas', 'PKM', 'Nama Puskesmas'] },
  { key: 'desa', header: 'Desa/Kel', required: true, aliases: ['Desa', 'Kelurahan', 'Desa/Kelurahan', 'Kel/Desa', 'Kelurahan/Desa', 'Kel'] },
  { key: 'posyandu', header: 'Posyandu', aliases: ['Nama Posyandu'] },
  { key: 'rt', header: 'RT' },
  { key: 'rw', header: 'RW' },
  { key: 'alamat', header: 'Alamat' },
  { key: 'usiaSaatUkur', header: 'Usia Saat Ukur', aliases: ['Usia', 'Umur', 'Usia Ukur', 'Umur Saat Ukur'] },
  {
    key: 'tglUkur',
    header: 'Tanggal Pengukuran',
    required: true,
    aliases: ['Tgl Pengukuran', 'Tgl Ukur', 'Tanggal Ukur', 'Tanggal Penimbangan', 'Tgl Penimbangan', 'Tgl Timbang'],
  },
  { key: 'berat', header: 'Berat', required: true, aliases: ['BB', 'Berat Badan', 'BB Ukur'] },
  { key: 'tinggi', header: 'Tinggi', aliases: ['TB', 'Tinggi Badan', 'PB/TB', 'TB/PB', 'Panjang Badan', 'PB', 'Panjang/Tinggi', 'Tinggi/Panjang'] },
  { key: 'caraUkur', header: 'Cara Ukur', aliases: ['Cara Pengukuran', 'Posisi Ukur'] },
  { key: 'lila', header: 'LiLA', aliases: ['Lingkar Lengan Atas'] },
  { key: 'lingkarKepala', header: 'LK', aliases: ['Lingkar Kepala'] },
  { key: 'bbU', header: 'BB/U' },
  { key: 'zsBbU', header: 'ZS BB/U', aliases: ['Z BB/U', 'ZScore BB/U', 'Z-Score BB/U'] },
  { key: 'tbU', header: 'TB/U', aliases: ['PB/U', 'PB/TB/U', 'TB/PB/U'] },
  { key: 'zsTbU', header: 'ZS TB/U', aliases: ['Z TB/U', 'ZS PB/U', 'ZScore TB/U', 'Z-Score TB/U', 'ZS PB/TB/U'] },
  { key: 'bbTb', header: 'BB/TB', aliases: ['BB/PB', 'BB/PB/TB'] },
  { key: 'zsBbTb', header: 'ZS BB/TB', aliases: ['Z BB/TB', 'ZS BB/PB', 'ZScore BB/TB', 'Z-Score BB/TB'] },
  { key: 'naikBb', header: 'Naik Berat Badan', aliases: ['Naik BB', 'N/T'] },
  { key: 'pmt', header: 'PMT Diterima (kg)', aliases: ['PMT Diterima', 'PMT'] },
  { key: 'vitA', header: 'Jml Vit A', aliases: ['Vit A', 'Vitamin A', 'Jumlah Vit A'] },
  { key: 'kpsp', header: 'KPSP' },
  { key: 'kia', header: 'KIA', aliases: ['Buku KIA'] },
  { key: 'detail', header: 'Detail' },
  { key: 'kelasIbuBalita', header: 'Kelas Ibu Balita' },
  { key: 'mbg', header: 'MBG' },
  { key: 'anakKe', header: 'Anak Ke' },
  { key: 'nomorKk', header: 'Nomor KK', aliases: ['No KK', 'No. KK'] },
  { key: 'nikOrtu', header: 'NIK Orang Tua', aliases: ['NIK Ortu', 'NIK Ibu'] },
  { key: 'hpOrtu', header: 'No HP Orang Tua', aliases: ['No HP Ortu', 'No HP'] },
  { key: 'usiaKehamilan', header: 'Usia Kehamilan (minggu)', aliases: ['Usia Kehamilan'] },
  { key: 'imd', header: 'IMD' },
  { key: 'lkLahir', header: 'Lingkar Kepala Lahir (cm)', aliases: ['Lingkar Kepala Lahir', 'LK Lahir'] },
];

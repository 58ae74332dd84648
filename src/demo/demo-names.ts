/**
 * Name material for synthetic people and places: common Indonesian given names (Banjar, Dayak,
 * Javanese and Malay usage seen in Kalimantan Tengah), posyandu names of the kind kader choose,
 * and the spelling variants a second registration of the same child typically shows.
 */
import type { Rng } from './prng.js';

export const BOY_NAMES = [
  'Muhammad', 'Ahmad', 'Rizki', 'Fajar', 'Aditya', 'Bima', 'Dimas', 'Raka', 'Arkan', 'Alif', 'Farhan',
  'Galih', 'Hafiz', 'Ilham', 'Kenzo', 'Naufal', 'Raffi', 'Satria', 'Yusuf', 'Zidan', 'Abdul', 'Arya',
  'Bayu', 'Daffa', 'Gilang', 'Hendra', 'Irfan', 'Jaya', 'Lutfi', 'Rafa', 'Rendi', 'Syahrul', 'Teguh',
  'Wahyu', 'Yoga', 'Agus', 'Andika', 'Fikri', 'Habib', 'Iqbal', 'Reza', 'Ridho', 'Akbar', 'Aldi',
  'Elang', 'Nando', 'Rangga', 'Sandi', 'Tegar', 'Umar',
] as const;

export const GIRL_NAMES = [
  'Siti', 'Nur', 'Aisyah', 'Putri', 'Anisa', 'Dewi', 'Fitri', 'Intan', 'Kirana', 'Laila', 'Nabila',
  'Rahma', 'Salsabila', 'Zahra', 'Aulia', 'Azzahra', 'Cahaya', 'Dinda', 'Fatimah', 'Hana', 'Indah',
  'Khansa', 'Mawar', 'Naura', 'Qirani', 'Ratna', 'Sari', 'Tiara', 'Wulan', 'Yuliana', 'Amelia', 'Bunga',
  'Citra', 'Desi', 'Eka', 'Fadhila', 'Gita', 'Humaira', 'Kayla', 'Lestari', 'Maya', 'Nadia', 'Rina',
  'Syifa', 'Tania', 'Vina', 'Yasmin', 'Zaskia', 'Alya', 'Meylani',
] as const;

export const SECOND_NAMES = [
  'Pratama', 'Saputra', 'Ramadhan', 'Hidayat', 'Nugroho', 'Santoso', 'Wijaya', 'Kurniawan', 'Firmansyah',
  'Setiawan', 'Maulana', 'Rahman', 'Akbar', 'Syahputra', 'Anggraini', 'Lestari', 'Rahmawati', 'Wulandari',
  'Permatasari', 'Safitri', 'Ningsih', 'Handayani', 'Kusuma', 'Aprilia', 'Oktaviani', 'Nurhaliza',
  'Ramadhani', 'Febriani', 'Utami', 'Azzahra', 'Hakim', 'Fauzan', 'Al Fatih', 'Ardiansyah', 'Putra',
] as const;

export const WOMAN_NAMES = [
  'Sri Wahyuni', 'Siti Aminah', 'Nur Hasanah', 'Rina Marlina', 'Dewi Sartika', 'Eka Susanti', 'Fitriani',
  'Hairunnisa', 'Juliana', 'Kartini', 'Lina Marlina', 'Mariana', 'Norhayati', 'Rusmiati', 'Salmah',
  'Yuliani', 'Rahmawati', 'Noor Jannah', 'Masitah', 'Rabiatul Adawiyah', 'Halimah', 'Misnawati',
  'Suryani', 'Ernawati', 'Wartini', 'Sumiati', 'Endang Lestari', 'Tri Wahyuni', 'Yanti', 'Herlina',
  'Nurlaila', 'Asmah', 'Rosita', 'Mulyani', 'Ida Royani', 'Sulastri', 'Paramita', 'Novita Sari',
  'Anita', 'Melati', 'Debora', 'Yohana', 'Elisabet', 'Sinta Dewi', 'Lusiana',
] as const;

export const MAN_NAMES = [
  'Ahmad Yani', 'Budi Santoso', 'Joko Susilo', 'Agus Salim', 'Hendri', 'Rahmadi', 'Syahrani', 'Norhadi',
  'Slamet Riyadi', 'Suparno', 'Yanto', 'Riduan', 'Mahmud', 'Abdul Karim', 'Fauzi', 'Herman', 'Imam',
  'Junaidi', 'Kasiran', 'Mulyadi', 'Rusdi', 'Sugianto', 'Taufik', 'Usman', 'Wagiman', 'Yohanes',
  'Markus', 'Hamdani', 'Saipul', 'Darmawan',
] as const;

const POSYANDU_BASES = [
  'Melati', 'Mawar', 'Anggrek', 'Kenanga', 'Dahlia', 'Cempaka', 'Teratai', 'Flamboyan', 'Seroja',
  'Tunas Harapan', 'Bina Sehat', 'Kasih Ibu', 'Sehati', 'Harapan Bunda', 'Cendana', 'Bougenville',
  'Nusa Indah', 'Kemuning', 'Tanjung', 'Pelangi', 'Sejahtera', 'Permata Hati', 'Buah Hati', 'Tunas Bangsa',
  'Lestari', 'Bunga Rampai', 'Manggis', 'Rambutan', 'Ceria', 'Bakti Ibu',
] as const;

/** `count` different posyandu names for one desa, e.g. "Posyandu Melati II". */
export function posyanduNames(rng: Rng, count: number): string[] {
  const bases = rng.shuffled(POSYANDU_BASES);
  const roman = ['', ' I', ' II', ' III'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length];
    const suffix = rng.chance(0.3) ? roman[1 + rng.int(0, 2)] : '';
    const name = `Posyandu ${base}${suffix}`;
    out.push(out.includes(name) ? `${name} ${i + 1}` : name);
  }
  return out;
}

/** A child's full name: a given name and, usually, a second name. */
export function childName(rng: Rng, sex: 1 | 2): string {
  const first = rng.pick(sex === 1 ? BOY_NAMES : GIRL_NAMES);
  return rng.chance(0.8) ? `${first} ${rng.pick(SECOND_NAMES)}` : first;
}

const VARIANT_RULES: ReadonlyArray<[RegExp, string]> = [
  [/Muhammad/, 'Muhamad'],
  [/Muhammad/, 'M.'],
  [/Ahmad/, 'Achmad'],
  [/Siti/, 'St.'],
  [/Nur /, 'Nurul '],
  [/Putri/, 'Putry'],
  [/Rizki/, 'Rizky'],
  [/ya/, 'ia'],
  [/y\b/, 'i'],
  [/i\b/, 'y'],
  [/dh/, 'd'],
  [/ff/, 'f'],
  [/kh/, 'k'],
  [/sy/, 'sj'],
  [/ph/, 'f'],
  [/aa/, 'a'],
];

/**
 * How the same name comes out when a kader types it again: a common alternative spelling, or
 * failing that a dropped second name or one changed vowel. Always different from `name`.
 */
export function spellingVariant(rng: Rng, name: string): string {
  const applicable = VARIANT_RULES.filter(([re]) => re.test(name));
  if (applicable.length > 0) {
    const [re, to] = rng.pick(applicable);
    const out = name.replace(re, to);
    if (out !== name) return out;
  }
  const parts = name.split(' ');
  if (parts.length > 1 && rng.chance(0.5)) return parts[0];
  const vowels = 'aiueo';
  const positions: number[] = [];
  for (let i = 1; i < name.length; i++) if (vowels.includes(name[i])) positions.push(i);
  if (positions.length === 0) return `${name}h`;
  const at = rng.pick(positions);
  const current = name[at];
  const replacement = current === 'e' ? 'a' : current === 'a' ? 'e' : current === 'i' ? 'e' : 'a';
  return name.slice(0, at) + replacement + name.slice(at + 1);
}

/** Fictional CSR partners (the names are made up; any likeness to a real company is accidental). */
export const PARTNER_PROFILES = [
  { name: 'PT Sawit Lestari Nusantara (fiktif)', kind: 'csr', sector: 'perkebunan kelapa sawit' },
  { name: 'PT Borneo Agro Mandiri (fiktif)', kind: 'csr', sector: 'perkebunan kelapa sawit' },
  { name: 'Yayasan Peduli Anak Kalimantan (fiktif)', kind: 'ngo', sector: 'lembaga swadaya masyarakat' },
  { name: 'Bank Daerah Sejahtera (fiktif)', kind: 'csr', sector: 'perbankan' },
  { name: 'PT Pelabuhan Kumai Jaya (fiktif)', kind: 'csr', sector: 'logistik' },
  { name: 'Koperasi Nelayan Teluk (fiktif)', kind: 'other', sector: 'perikanan' },
] as const;

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { loadRegionRecords } from '../region-matcher.js';
import { dayNumber, isoFromDay } from '../value-parsers.js';

export const SYNTHETIC_HEADER = [
  'NIK', 'Nama', 'JK', 'Tgl Lahir', 'BB Lahir', 'TB Lahir', 'Nama Ortu', 'Prov', 'Kab/Kota', 'Kec', 'Pukesmas', 'Desa/Kel',
  'Posyandu', 'RT', 'RW', 'Alamat', 'Usia Saat Ukur', 'Tanggal Pengukuran', 'Berat', 'Tinggi', 'Cara Ukur', 'LiLA', 'BB/U',
  'ZS BB/U', 'TB/U', 'ZS TB/U', 'BB/TB', 'ZS BB/TB', 'Naik Berat Badan', 'PMT Diterima (kg)', 'Jml Vit A', 'KPSP', 'KIA', 'Detail',
];
const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/**
 * Writes a synthetic e-PPGBM export of `rows` rows (semicolons, decimal commas, three date styles,
 * "Desa " prefixes, e-PPGBM's 999,99 placeholder): every row valid, one child per row, measured in
 * November 2025, spread over the district's villages and nine posyandu each. For benchmarks and
 * the kill test; names are "Anak N", never real data.
 */
export async function writeSyntheticEppgbm(path: string, rows: number): Promise<void> {
  const all = loadRegionRecords();
  const regions = all.filter((r) => r.level === 'desa' || r.level === 'kelurahan');
  const kec = new Map(all.filter((r) => r.level === 'kecamatan').map((r) => [r.code, r.name]));
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(SYNTHETIC_HEADER.join(';') + '\n');
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const measureBase = dayNumber(2025, 11, 1);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const desa = regions[i % regions.length];
    const ageDays = Math.floor(rand() * 1800);
    const mday = measureBase + Math.floor(rand() * 28);
    const birth = isoFromDay(mday - ageDays).split('-');
    const measured = isoFromDay(mday).split('-');
    const ageM = ageDays / 30.4375;
    const height = (49 + ageM * 1.1 + rand() * 6).toFixed(1).replace('.', ',');
    const weight = (3.3 + ageM * 0.22 + rand() * 2).toFixed(1).replace('.', ',');
    const dateStyle = i % 3;
    const birthText = dateStyle === 0 ? `${birth[2]}/${birth[1]}/${birth[0]}` : dateStyle === 1 ? `${birth[0]}-${birth[1]}-${birth[2]}` : `${+birth[2]} ${BULAN[+birth[1] - 1]} ${birth[0]}`;
    const measureText = `${measured[2]}/${measured[1]}/${measured[0]}`;
    buf +=
      [
        `62010${String(1000000 + (i % 8999999)).padStart(11, '0')}`, `Anak ${i}`, i % 2 ? 'L' : 'P', birthText, '3,1', '49', `Ibu ${i % 50000}`,
        'KALIMANTAN TENGAH', 'KOTAWARINGIN BARAT', kec.get(desa.parentCode ?? '') ?? '', 'Puskesmas', i % 7 === 0 ? `Desa ${desa.name}` : desa.name,
        `Posyandu ${(i % 9) + 1}`, '001', '002', 'Jl. Contoh', '1 Tahun - 2 Bulan - 3 Hari', measureText, weight, height,
        ageDays < 730 ? 'Telentang' : 'Berdiri', '', 'Normal', '-0,5', 'Normal', '-1,1', 'Gizi Baik', i % 50 === 0 ? '999,99' : '0,2', 'N', '0', '1', '', 'Ya', '',
      ].join(';') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

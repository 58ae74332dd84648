import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoInputs } from '../demo/demo-inputs.js';
import { loadDemo } from '../demo/demo.loader.js';
import { addAction, addActionNote, addBarrier, setActionStatus } from '../evaluation/follow-up.service.js';
import { loadAnalyticsConfig } from '../analytics/analytics.repo.js';
import { parsePeriod } from '../analytics/periods.js';
import { regionPrevalence } from '../analytics/prevalence.service.js';
import { priorityReport } from '../analytics/priority.service.js';
import { monthlyTrend } from '../analytics/trends.service.js';
import { addRoundNote, createRound, freezeRound, roundFigures, type EvaluationFigures } from '../evaluation/round.service.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { fmtNumber } from './report-format.js';
import { renderEvaluationReport } from './report.service.js';

const hasPoppler = spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
let tdb: TestDatabase;
let dir: string;
let roundId: number;
let figures: EvaluationFigures;
let pdf: Buffer;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tumbuh-report-'));
  await loadDemo(tdb, { ...loadDemoInputs(), children: 1200, months: 24, seed: 62 });
  const prev = await createRound(tdb.db, { kabupatenCode: '62.01', title: 'Evaluasi Kinerja TPPS Tahun 2024', kind: 'annual', period: { start: '2024-01-01', end: '2024-12-31' } });
  await addAction(tdb.db, { evaluationId: prev.id, title: 'Sweeping penimbangan balita di posyandu Kumai', stakeholderType: 'kader', stakeholderName: 'Kader posyandu Kumai', owner: 'Ketua TP-PKK Kumai', dueOn: '2025-03-31', indicatorIds: ['SPE-07'], regionCodes: ['62.01.01'] });
  await freezeRound(tdb.db, prev.id, '2025-01-15');
  const round = await createRound(tdb.db, {
    kabupatenCode: '62.01', title: 'Evaluasi Kinerja TPPS Tahun 2025', kind: 'annual', period: { start: '2025-01-01', end: '2025-12-31' },
    heldOn: '2025-11-27', place: 'Aula Sangga Banua, Pangkalan Bun', participants: ['Sekretaris Daerah', 'Dinas Kesehatan', 'DP3APPKB', 'TP-PKK'],
  });
  roundId = round.id;
  expect(round.previousId).toBe(prev.id);
  await addBarrier(tdb.db, { evaluationId: roundId, level: 'desa', regionCode: '62.01.02.2010', indicatorId: 'SPE-07', description: 'Kader posyandu Rangda hanya dua orang, penimbangan sering tertunda' });
  await addBarrier(tdb.db, { evaluationId: roundId, level: 'kecamatan', regionCode: '62.01.06', description: 'Koordinasi desa dan kecamatan untuk intervensi spesifik belum kuat', interventionLine: 'spesifik' });
  await addBarrier(tdb.db, { evaluationId: roundId, level: 'sektor', sector: 'Dinas PUPR', indicatorId: 'SEN-05', description: 'Anggaran jamban sehat terlambat cair', interventionLine: 'sensitif' });
  const a1 = await addAction(tdb.db, { evaluationId: roundId, title: 'Pelatihan ulang kader pengukuran panjang badan', stakeholderType: 'nakes', stakeholderName: 'Puskesmas Arut Selatan', owner: 'Kepala Puskesmas Arut Selatan', dueOn: '2025-09-30', indicatorIds: ['OUT-01', 'SPE-07'], regionCodes: ['62.01.02'] });
  await addAction(tdb.db, { evaluationId: roundId, title: 'PMT lokal balita gizi kurang Pangkalan Banteng', stakeholderType: 'pemdes', owner: 'Kepala Desa Pangkalan Banteng', dueOn: '2026-03-31', indicatorIds: ['SPE-08'], regionCodes: ['62.01.06.2001'] });
  await addActionNote(tdb.db, a1, { note: 'Pelatihan gelombang 1 selesai', progressPercent: 40, evidence: 'daftar-hadir.pdf' });
  await setActionStatus(tdb.db, a1, 'berjalan', '2025-08-01');
  await addRoundNote(tdb.db, roundId, 'fgd', 'Data e-PPGBM dan Elsimil belum dipadankan', 'Kelompok 1');
  await freezeRound(tdb.db, roundId, '2025-11-27');
  figures = await roundFigures(tdb.db, (await import('../evaluation/round.service.js').then((m) => m.getRound(tdb.db, roundId))), '2025-11-27');
  pdf = (await renderEvaluationReport(tdb.db, roundId, { format: 'pdf', lang: 'id', today: '2025-11-27' })).bytes;
  writeFileSync(join(dir, 'report.pdf'), pdf);
}, 600_000);

afterAll(async () => {
  await tdb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The text of the PDF (or one page), table cells that wrap joined back: runs of white space become one space. */
function pageText(page?: number): string {
  const args = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...args, join(dir, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Pixels of one page (PPM P6) rendered at `dpi`. */
function renderPage(page: number, dpi: number): { w: number; h: number; px: Buffer } {
  const prefix = join(dir, `pg${page}x`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), join(dir, 'report.pdf'), prefix]);
  const file = readdirSync(dir).find((f) => f.startsWith(`pg${page}x-`) && f.endsWith('.ppm')) as string;
  const buf = readFileSync(join(dir, file));
  const header = buf.subarray(0, 40).toString('latin1').split(/\s+/);
  const w = Number(header[1]);
  const h = Number(header[2]);
  return { w, h, px: buf.subarray(buf.length - w * h * 3) };
}

function countPixels(img: { w: number; h: number; px: Buffer }, region: { x0: number; y0: number; x1: number; y1: number }, match: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let y = Math.floor(region.y0 * img.h); y < region.y1 * img.h; y++) {
    for (let x = Math.floor(region.x0 * img.w); x < region.x1 * img.w; x++) {
      const i = 3 * (y * img.w + x);
      if (match(img.px[i], img.px[i + 1], img.px[i + 2])) n++;
    }
  }
  return n;
}

function pageOf(heading: string, pages: number): number {
  for (let p = 1; p <= pages; p++) if (pageText(p).includes(heading)) return p;
  throw new Error(`heading not found: ${heading}`);
}

describe.skipIf(!hasPoppler)('evaluation report PDF of the demo district (poppler pdftotext/pdftoppm)', () => {
  it('contains every section with the district numbers', () => {
    const text = pageText();
    for (const h of ['Evaluasi Kinerja Tim Percepatan Penurunan Stunting', '1. Ringkasan eksekutif', '2. Tren stunting', '3. Peta prevalensi stunting',
      '4. Kartu skor capaian indikator', '5. Ringkasan validitas data', '6. Desa/kelurahan prioritas', '7. Hambatan', '8. Rencana tindak lanjut',
      '9. Matriks peran', 'Kesenjangan peran', 'DATA SINTETIS', 'Kotawaringin Barat']) expect(text).toContain(h);
    const out = figures.scorecard.find((r) => r.indicatorId === 'OUT-01' && r.level === 'kabupaten');
    expect(out?.value).toBeGreaterThan(0);
    expect(text).toContain(`${fmtNumber(out?.value as number, 1, 'id')} %`);
    const ds = figures.scorecard.find((r) => r.indicatorId === 'SPE-07' && r.level === 'kabupaten');
    expect(text).toContain(`${fmtNumber(ds?.value as number, 1, 'id')} %`);
    expect(figures.priority.length).toBeGreaterThan(0);
    expect(figures.priority[0].reasons.length).toBeGreaterThan(0);
    const top = figures.regions.find((r) => r.code === figures.priority[0].desaCode)?.name as string;
    expect(text).toContain(top);
    expect(text).toContain('Kader posyandu Rangda hanya dua orang');
    expect(text).toContain('Kepala Puskesmas Arut Selatan');
    expect(text).toContain('30 Sep 2025');
    expect(text).toContain('Terlambat');
    expect(text).toContain('Sweeping penimbangan balita');
    expect(text).toContain('SSGI 2021');
    expect(figures.validity.length).toBe(6);
  });

  it('renders pages with a non-empty choropleth map and charts', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(dir, 'report.pdf')], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(5);
    const mapPage = pageOf('3. Peta prevalensi stunting', pages);
    const map = renderPage(mapPage, 40);
    const bands = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const near = (r: number, g: number, b: number, c: number[]) => Math.abs(r - c[0]) + Math.abs(g - c[1]) + Math.abs(b - c[2]) < 30;
    const filled = countPixels(map, { x0: 0.05, y0: 0.08, x1: 0.75, y1: 0.65 }, (r, g, b) => bands.some((c) => near(r, g, b, c)));
    // The map box covers ~480 × 430 pt; at 40 dpi that is ~ 270 × 240 px: the desa polygons fill a good part of it.
    expect(filled).toBeGreaterThan(5000);
    const colours = new Set(bands.map((c, i) => (countPixels(map, { x0: 0.05, y0: 0.08, x1: 0.75, y1: 0.65 }, (r, g, b) => near(r, g, b, c)) > 20 ? i : -1)));
    colours.delete(-1);
    expect(colours.size).toBeGreaterThanOrEqual(2);
    // The trend section (prevalence line, D/S line, routine-vs-survey bars, coverage bars) spans up to two pages.
    const trendPage = pageOf('2. Tren stunting', pages);
    const charts = [renderPage(trendPage, 72), renderPage(trendPage + 1, 72)];
    const all = { x0: 0, y0: 0, x1: 1, y1: 1 };
    // Thin lines are anti-aliased into lighter shades: match by hue, not by exact colour.
    const red = charts.reduce((s, c) => s + countPixels(c, all, (r, g, b) => r > g + 60 && r > b + 60 && g < 150), 0);
    const blue = charts.reduce((s, c) => s + countPixels(c, all, (r, g, b) => b > r + 50 && b > g + 10), 0);
    const purple = charts.reduce((s, c) => s + countPixels(c, all, (r, g, b) => r > g + 40 && b > g + 40), 0);
    expect(purple).toBeGreaterThan(30);
    expect(red).toBeGreaterThan(100);
    expect(blue).toBeGreaterThan(50);
  });

  it('writes the English edition and the semester template', async () => {
    const en = await renderEvaluationReport(tdb.db, roundId, { format: 'pdf', lang: 'en', today: '2025-11-27' });
    writeFileSync(join(dir, 'en.pdf'), en.bytes);
    const text = execFileSync('pdftotext', [join(dir, 'en.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Executive summary');
    expect(text).toContain('Stakeholder roles matrix');
    const sem = await renderEvaluationReport(tdb.db, roundId, { format: 'pdf', lang: 'id', template: 'semester', today: '2025-11-27' });
    writeFileSync(join(dir, 'sem.pdf'), sem.bytes);
    const st = execFileSync('pdftotext', [join(dir, 'sem.pdf'), '-'], { encoding: 'utf8' });
    expect(st).toContain('Laporan Semester');
    expect(st).toContain('Blok 1A');
    expect(st).toContain('Blok 1B');
    expect(st).toContain('Gubernur Kalimantan Tengah');
  });
});

describe('evaluation report XLSX', () => {
  it('holds the same tables with the same numbers', async () => {
    const x = await renderEvaluationReport(tdb.db, roundId, { format: 'xlsx', lang: 'id', today: '2025-11-27' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    for (const n of ['Ringkasan', 'Skor kabupaten', 'Skor kecamatan', 'Skor desa', 'Tren bulanan', 'Validitas data', 'Desa prioritas', 'Hambatan', 'Rencana tindak lanjut', 'Matriks peran', 'Kesenjangan peran']) expect(names).toContain(n);
    const kab = wb.getWorksheet('Skor kabupaten') as ExcelJS.Worksheet;
    const row = kab.getRows(2, kab.rowCount - 1)?.find((r) => r.getCell(2).value === 'OUT-01');
    const out = figures.scorecard.find((r) => r.indicatorId === 'OUT-01' && r.level === 'kabupaten');
    expect(row?.getCell(7).value).toBe(Math.round((out?.value as number) * 10) / 10);
    expect((wb.getWorksheet('Skor desa') as ExcelJS.Worksheet).rowCount - 1).toBe(figures.scorecard.filter((r) => r.level === 'desa').length);
  });
});

describe('the report reads the analytics services', () => {
  it('priority villages, the routine year figure and the trend are those of src/analytics', async () => {
    const config = await loadAnalyticsConfig(tdb.db, '62.01');
    const direct = await priorityReport(tdb.db, '62.01', 2025, config);
    const ranked = direct.rows.filter((r) => r.status === 'ranked').sort((a, b) => (a.rank as number) - (b.rank as number));
    const mine = figures.priority.filter((p) => p.status === 'ranked');
    expect(mine.map((p) => p.desaCode)).toEqual(ranked.slice(0, mine.length).map((r) => r.desaCode));
    expect(mine[0].score).toBeCloseTo(ranked[0].index as number, 10);
    expect(mine[0].reasons.map((r) => r.text.id)).toEqual(expect.arrayContaining(ranked[0].components.filter((c) => c.points > 0).map((c) => c.text.id)));
    const [year] = await regionPrevalence(tdb.db, '62.01', '62.01', 'stunting', [parsePeriod('year', '2025')]);
    expect(figures.routineYears.find((y) => y.year === 2025)?.prevalencePercent).toBeCloseTo(100 * (year.prevalence as number), 10);
    const trend = await monthlyTrend(tdb.db, '62.01', '62.01', 'stunting', '2025-06', '2025-06');
    expect(figures.trend.find((p) => p.month === '2025-06')).toMatchObject({ stunted: trend[0].numerator, stuntingDenom: trend[0].denominator });
  });
});

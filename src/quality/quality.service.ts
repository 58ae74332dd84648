/**
 * The data-validity service: the batch job that scores every posyandu, desa and puskesmas per
 * month and stores the result (quality_score), the duplicate-candidate search that feeds the
 * review list (duplicate_candidate), and the readers the report, the priority index and the
 * evaluation use. The only place validity scores are computed from the database.
 */
import { sql } from 'kysely';
import { monthsBetween } from '../db/rollup.js';
import { DEMO_SETTING_KEY } from '../demo/demo.loader.js';
import { DEFAULT_DUPLICATE_OPTIONS, findDuplicateCandidates, type DuplicateCandidate, type DuplicateOptions } from './duplicates.js';
import {
  childrenInOpenCandidates,
  kabupatenWithMeasurements,
  loadBatchVisits,
  loadIdentities,
  measurementMonthRange,
  replaceScores,
  scoresStale,
  syncCandidates,
  type QualityDb,
} from './quality.repo.js';
import { statusDiffers } from './eppgbm-status.js';
import { faultRecall, type RecallOptions, type RecallReport } from './fault-recall.js';
import { scoreValidityBatch, type ValidityBatchOptions } from './validity-batch.js';

/** What to score. */
export interface ScoreRequest {
  /** Default: every kabupaten with measurements. */
  kabupatenCode?: string;
  /** Months yyyy-mm or yyyy-mm-01; default: every month with measurements. */
  months?: readonly string[];
  /** Months of history before the first scored month read for the longitudinal checks (default 12). */
  historyMonths?: number;
  batch?: Partial<ValidityBatchOptions>;
  duplicates?: DuplicateOptions;
}

/** What a scoring run did, with its timings. */
export interface ScoreResult {
  kabupatenCode: string;
  months: string[];
  rows: number;
  scored: { posyandu: number; desa: number; puskesmas: number };
  duplicateCandidates: number;
  measurementsRead: number;
  seconds: { duplicates: number; read: number; score: number; write: number; total: number };
}

const toMonthStart = (m: string) => (m.length === 7 ? `${m}-01` : m);

function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}-01`;
}

/**
 * Finds the duplicate candidates of a kabupaten (or one desa) and stores them for review: the
 * same NIK hash, or a similar name + birth date + mother scored (src/quality/duplicates.ts).
 * Decided pairs keep their decision.
 */
export async function refreshDuplicateCandidates(
  db: QualityDb,
  kabupatenCode: string,
  options: { desaCode?: string; duplicates?: DuplicateOptions } = {},
): Promise<{ open: number; added: number; removed: number; found: number }> {
  const ids = await loadIdentities(db, kabupatenCode, options.desaCode);
  const byId = new Map(ids.map((x) => [x.id, x]));
  const opt = options.duplicates ?? DEFAULT_DUPLICATE_OPTIONS;
  // Fuzzy matches only inside one desa: a child is registered twice where the family lives.
  // Across a whole district, common names and shared birth dates make far more look-alikes than
  // duplicates (on the demo district: 1,036 false pairs across desa against 34 pairs inside).
  // The same NIK is a duplicate wherever it is.
  const byDesa = new Map<string, typeof ids>();
  for (const x of ids) {
    const list = byDesa.get(x.desaCode);
    if (list) list.push(x);
    else byDesa.set(x.desaCode, [x]);
  }
  const pairs = new Map<string, DuplicateCandidate>();
  for (const list of byDesa.values()) for (const c of findDuplicateCandidates(list, opt)) pairs.set(`${c.a}|${c.b}`, c);
  const withNik = ids.filter((x) => x.nikHash).map((x) => ({ id: x.id, nikHash: x.nikHash, name: x.id }));
  for (const c of findDuplicateCandidates(withNik, opt)) {
    const key = `${c.a}|${c.b}`;
    if (c.level === 'same_nik' && !pairs.has(key)) pairs.set(key, c);
  }
  const found = [...pairs.values()].map((c) => {
    const first = byId.get(Number(c.a) < Number(c.b) ? c.a : c.b);
    return { ...c, desaCode: first?.desaCode ?? '', posyanduId: first?.posyanduId ?? null };
  });
  const r = await syncCandidates(db, kabupatenCode, found, options.desaCode);
  return { ...r, found: found.length };
}

/**
 * The batch job: validity of every posyandu, desa and puskesmas in each requested month, computed
 * from the measurements (plausibility per unit-month, longitudinal checks over each child's
 * series, duplicate candidates, birth-date heaping, repeated weights, e-PPGBM disagreement) and
 * stored in quality_score, replacing the months' earlier scores.
 * @see src/quality/README.md "Validity score"
 */
export async function scoreValidity(db: QualityDb, request: ScoreRequest = {}): Promise<ScoreResult[]> {
  const kabs = request.kabupatenCode ? [request.kabupatenCode] : await kabupatenWithMeasurements(db);
  const out: ScoreResult[] = [];
  for (const kab of kabs) out.push(await scoreKabupaten(db, kab, request));
  return out;
}

async function scoreKabupaten(db: QualityDb, kab: string, request: ScoreRequest): Promise<ScoreResult> {
  const t0 = performance.now();
  const range = await measurementMonthRange(db, kab);
  const months = request.months
    ? [...new Set(request.months.map(toMonthStart))].sort()
    : range ? monthsBetween(range.first, range.last) : [];
  const empty = { kabupatenCode: kab, months, rows: 0, scored: { posyandu: 0, desa: 0, puskesmas: 0 }, duplicateCandidates: 0, measurementsRead: 0 };
  if (months.length === 0 || !range) {
    return { ...empty, seconds: { duplicates: 0, read: 0, score: 0, write: 0, total: (performance.now() - t0) / 1000 } };
  }
  const dup = await refreshDuplicateCandidates(db, kab, { duplicates: request.duplicates });
  const inPairs = await childrenInOpenCandidates(db, kab);
  const t1 = performance.now();
  const from = addMonths(months[0], -(request.historyMonths ?? 12));
  const visits = await loadBatchVisits(db, kab, from, months[months.length - 1]);
  const t2 = performance.now();
  const rows = scoreValidityBatch(visits, inPairs, { ...request.batch, months: new Set(months) });
  const t3 = performance.now();
  await replaceScores(db, kab, months, rows);
  const t4 = performance.now();
  const scored = { posyandu: 0, desa: 0, puskesmas: 0 };
  for (const r of rows) if (r.score !== null) scored[r.level]++;
  return {
    ...empty,
    rows: rows.length,
    scored,
    duplicateCandidates: dup.open,
    measurementsRead: visits.length,
    seconds: { duplicates: (t1 - t0) / 1000, read: (t2 - t1) / 1000, score: (t3 - t2) / 1000, write: (t4 - t3) / 1000, total: (t4 - t0) / 1000 },
  };
}

/** Scores the months of a period when their stored scores are missing or older than the data. */
export async function ensureScored(db: QualityDb, kabupatenCode: string, fromMonth: string, toMonth: string): Promise<boolean> {
  const range = await measurementMonthRange(db, kabupatenCode);
  if (!range) return false;
  const from = fromMonth > range.first ? fromMonth : range.first;
  const to = toMonth < range.last ? toMonth : range.last;
  if (from > to) return false;
  if (!(await scoresStale(db, kabupatenCode, from, to))) return false;
  await scoreValidity(db, { kabupatenCode, months: monthsBetween(from, to) });
  return true;
}

/**
 * Recall and false alarms of the stored posyandu scores against the faults planted by `tumbuh
 * demo` (app_setting `demo`); null when no demo is loaded.
 * @see fault-recall.ts for the definitions
 */
export async function demoFaultRecall(db: QualityDb, options: Partial<RecallOptions> = {}): Promise<RecallReport | null> {
  const setting = await sql<{ value: string }>`SELECT value FROM app_setting WHERE key = ${DEMO_SETTING_KEY}`.execute(db);
  if (setting.rows.length === 0) return null;
  const demo = JSON.parse(setting.rows[0].value) as { faults: { posyanduId: number; kind: string; firstMonth: string; lastMonth: string }[] };
  const posyandu = new Set(demo.faults.map((f) => f.posyanduId));
  const kab = await sql<{ k: string }>`SELECT kabupaten_code AS k FROM facility WHERE id = ANY(${[...posyandu]}::bigint[]) LIMIT 1`.execute(db);
  if (kab.rows.length === 0) return null;
  const rows = await sql<{ unit: string; month: string; score: number | null }>`
    SELECT unit, to_char(month, 'YYYY-MM') AS month, score FROM quality_score
    WHERE kabupaten_code = ${kab.rows[0].k} AND level = 'posyandu'`.execute(db);
  return faultRecall(
    rows.rows.map((r) => ({ posyanduId: Number(r.unit), month: r.month, score: r.score })),
    demo.faults.map((f) => ({ posyanduId: f.posyanduId, kind: f.kind, firstMonth: f.firstMonth, lastMonth: f.lastMonth })),
    options,
  );
}

/** e-PPGBM disagreement of one posyandu: imported measurements compared and how many differ, by index. */
export interface EppgbmDisagreementRow {
  posyanduId: number | null;
  posyandu: string;
  desaCode: string;
  desa: string;
  compared: number;
  disagreements: number;
  zweiDiffers: number;
  zlenDiffers: number;
  zwflDiffers: number;
  statusDiffers: number;
  /** The measurements that differ (ids only: no personal data). */
  measurementIds: number[];
}

/**
 * Where an imported e-PPGBM file's own z-score or status differs from WHO's (view
 * eppgbm_disagreement of migration 0005; z-scores beyond ±0.1, statuses by label), counted per
 * posyandu, most disagreements first.
 */
export async function eppgbmDisagreementsByPosyandu(db: QualityDb, filter: { kabupatenCode?: string; month?: string } = {}): Promise<EppgbmDisagreementRow[]> {
  const month = filter.month ? (filter.month.length === 7 ? `${filter.month}-01` : filter.month) : null;
  const r = await sql<{
    measurement_id: number; posyandu_id: number | null; posyandu: string | null; desa_code: string; desa: string | null;
    zwei_differs: boolean; zlen_differs: boolean; zwfl_differs: boolean;
    eppgbm_bbu: string | null; who_status_wfa: string | null; eppgbm_tbu: string | null; who_status_lfa: string | null; eppgbm_bbtb: string | null; who_status_wfl: string | null;
  }>`
    SELECT d.measurement_id, d.posyandu_id, f.name AS posyandu, d.desa_code, g.name AS desa, d.zwei_differs, d.zlen_differs, d.zwfl_differs,
      d.eppgbm_bbu, d.who_status_wfa, d.eppgbm_tbu, d.who_status_lfa, d.eppgbm_bbtb, d.who_status_wfl
    FROM eppgbm_disagreement d LEFT JOIN facility f ON f.id = d.posyandu_id LEFT JOIN region g ON g.code = d.desa_code
    WHERE (${filter.kabupatenCode ?? null}::text IS NULL OR d.kabupaten_code = ${filter.kabupatenCode ?? null})
      AND (${month}::date IS NULL OR date_trunc('month', d.measured_on)::date = ${month}::date)
    ORDER BY d.measurement_id`.execute(db);
  const byPosyandu = new Map<string, EppgbmDisagreementRow>();
  for (const x of r.rows) {
    const key = `${x.posyandu_id ?? ''}|${x.desa_code}`;
    let row = byPosyandu.get(key);
    if (!row) {
      row = {
        posyanduId: x.posyandu_id, posyandu: x.posyandu ?? '–', desaCode: x.desa_code, desa: x.desa ?? x.desa_code,
        compared: 0, disagreements: 0, zweiDiffers: 0, zlenDiffers: 0, zwflDiffers: 0, statusDiffers: 0, measurementIds: [],
      };
      byPosyandu.set(key, row);
    }
    row.compared++;
    const status = statusDiffers('wfa', x.eppgbm_bbu, x.who_status_wfa) || statusDiffers('lfa', x.eppgbm_tbu, x.who_status_lfa)
      || statusDiffers('wfl', x.eppgbm_bbtb, x.who_status_wfl);
    if (x.zwei_differs) row.zweiDiffers++;
    if (x.zlen_differs) row.zlenDiffers++;
    if (x.zwfl_differs) row.zwflDiffers++;
    if (status) row.statusDiffers++;
    if (x.zwei_differs || x.zlen_differs || x.zwfl_differs || status) {
      row.disagreements++;
      row.measurementIds.push(x.measurement_id);
    }
  }
  return [...byPosyandu.values()].sort((a, b) => b.disagreements - a.disagreements || b.compared - a.compared || a.posyandu.localeCompare(b.posyandu));
}

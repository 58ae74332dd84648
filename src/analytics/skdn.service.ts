/**
 * SKDN per posyandu and month (issue 6 §5; DOMAIN.md §5.3), read from rollup_posyandu_month:
 * S = under-fives in the posyandu's register, K = those with a KMS/Buku KIA, D = weighed this
 * month, N = weight went up (code N). Ratios K/S, D/S, N/D and N/S. The N/D denominator is
 * configuration: by the field convention only children weighed this month and last month
 * (codes N + T; O and B left out), or every child weighed this month (D).
 *
 * Tumbuh's register is the list of children with a growth record (KMS/Buku KIA) at the
 * posyandu, and it holds no separate KMS-ownership field: K is reported equal to S.
 */
import { listPosyandu, unitCounts, type UnitCounts } from './analytics.repo.js';
import type { AnalyticsConfig } from './analytics-config.schema.js';
import type { AnyDb } from './analytics.tables.js';
import type { Period } from './periods.js';

export type NdDenominator = AnalyticsConfig['skdn']['ndDenominator'];

export interface SkdnCounts {
  S: number;
  K: number;
  D: number;
  N: number;
  /** The N/D denominator under the convention in force (N + T, or D). */
  ndDenominator: number;
  /** Children with 2T (T twice in a row) this month. */
  twoT: number;
}

export interface SkdnRatios {
  KS: number | null;
  DS: number | null;
  ND: number | null;
  NS: number | null;
}

export interface SkdnRow extends SkdnCounts, SkdnRatios {
  posyanduId: number;
  posyanduName: string;
  desaCode: string;
  month: string;
  convention: NdDenominator;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * SKDN counts of one rollup row under an N/D convention.
 * @see DOMAIN.md §5.3
 */
export function skdnCounts(row: Pick<UnitCounts, 'registered' | 'measured' | 'weight_up' | 'weight_gain_denom' | 'two_t'>, convention: NdDenominator): SkdnCounts {
  const N = row.weight_up ?? 0;
  return {
    S: row.registered,
    K: row.registered,
    D: row.measured,
    N,
    ndDenominator: convention === 'weighed_both_months' ? (row.weight_gain_denom ?? 0) : row.measured,
    twoT: row.two_t ?? 0,
  };
}

/** K/S, D/S, N/D (on the convention's denominator) and N/S; null where a denominator is 0. */
export function skdnRatios(c: SkdnCounts): SkdnRatios {
  return { KS: ratio(c.K, c.S), DS: ratio(c.D, c.S), ND: ratio(c.N, c.ndDenominator), NS: ratio(c.N, c.S) };
}

/** SKDN of every posyandu of a kabupaten (or of one desa) in one month. */
export async function skdnByPosyandu(
  db: AnyDb,
  kabupatenCode: string,
  month: Period,
  convention: NdDenominator,
  desaCode?: string,
): Promise<SkdnRow[]> {
  const [rows, posyandu] = await Promise.all([
    unitCounts(db, kabupatenCode, 'posyandu', 'month', [month.start], desaCode),
    listPosyandu(db, kabupatenCode),
  ]);
  const names = new Map(posyandu.map((p) => [String(p.id), p.name]));
  return rows
    .map((r) => {
      const c = skdnCounts(r, convention);
      return { posyanduId: Number(r.unit), posyanduName: names.get(r.unit) ?? r.unit, desaCode: r.desaCode, month: month.start, convention, ...c, ...skdnRatios(c) };
    })
    .sort((a, b) => a.desaCode.localeCompare(b.desaCode) || a.posyanduName.localeCompare(b.posyanduName) || a.posyanduId - b.posyanduId);
}

/** The SKDN of a desa (or any set of posyandu rows): counts summed, ratios recomputed. */
export function sumSkdn(rows: readonly SkdnCounts[]): SkdnCounts & SkdnRatios {
  const s: SkdnCounts = { S: 0, K: 0, D: 0, N: 0, ndDenominator: 0, twoT: 0 };
  for (const r of rows) {
    s.S += r.S;
    s.K += r.K;
    s.D += r.D;
    s.N += r.N;
    s.ndDenominator += r.ndDenominator;
    s.twoT += r.twoT;
  }
  return { ...s, ...skdnRatios(s) };
}

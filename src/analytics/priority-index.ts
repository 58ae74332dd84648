/**
 * The priority-village index (issue 6 §8), pure: a transparent score per desa from four
 * components, each scaled 0–1 across the desa being ranked (min–max) and weighted by
 * configuration:
 * - shrunkPrevalence: stunting prevalence shrunk toward the kecamatan (empirical Bayes), so a
 *   desa with few children measured does not top the list by chance;
 * - stuntedChildren: the number of stunted children (where the most children can be helped);
 * - trend: change of the raw prevalence against the previous year, in percentage points;
 * - coverageGap: mean of (1 − coverage) over the key interventions with data.
 * index = 100 × Σ wᵢ·scaledᵢ / Σ wᵢ over the components the desa has data for, so the points of
 * the components add up to the index exactly. A desa whose data fail the validity check is
 * marked "verifikasi data dulu" and not ranked; a desa with no child measured is not ranked.
 * The ranking is compared with the district's own lokus list.
 * @see DOMAIN.md §3.5 (lokus chosen on case counts, prevalence and coverage)
 */
import type { Bilingual } from '../common/i18n.js';
import { defineMessages } from '../common/i18n.js';
import { bilingual, num, percent } from './analytics-format.js';
import type { AnalyticsConfig } from './analytics-config.schema.js';

export type PriorityComponent = 'shrunkPrevalence' | 'stuntedChildren' | 'trend' | 'coverageGap';
export const PRIORITY_COMPONENTS: readonly PriorityComponent[] = ['shrunkPrevalence', 'stuntedChildren', 'trend', 'coverageGap'];

const M = defineMessages({
  'analytics.priority.shrunkPrevalence': {
    id: 'Prevalensi stunting (dihaluskan ke kecamatan) {value} % — angka mentah {raw} % ({cases} dari {n} anak diukur)',
    en: 'Stunting prevalence (shrunk toward the kecamatan) {value} % — raw {raw} % ({cases} of {n} children measured)',
  },
  'analytics.priority.stuntedChildren': { id: 'Jumlah anak stunting {value}', en: 'Number of stunted children {value}' },
  'analytics.priority.trend': {
    id: 'Perubahan prevalensi mentah dari tahun sebelumnya {value} poin ({before} % → {now} %)',
    en: 'Change of the raw prevalence since the previous year {value} points ({before} % → {now} %)',
  },
  'analytics.priority.coverageGap': {
    id: 'Rata-rata kesenjangan cakupan intervensi kunci {value} % ({details})',
    en: 'Mean coverage gap of key interventions {value} % ({details})',
  },
  'analytics.priority.points': {
    id: '{text}: skala {scaled} × bobot {weight} = {points} poin',
    en: '{text}: scaled {scaled} × weight {weight} = {points} points',
  },
  'analytics.priority.missing': {
    id: '{component}: tidak ada data, komponen tidak dihitung (bobot dibagi ke komponen lain)',
    en: '{component}: no data, component left out (its weight shared by the others)',
  },
  'analytics.priority.verify': {
    id: 'Verifikasi data dulu: skor validitas {score} di bawah {min} ({problems})',
    en: 'Verify the data first: validity score {score} below {min} ({problems})',
  },
  'analytics.priority.noData': {
    id: 'Tidak ada anak yang diukur tahun ini',
    en: 'No child measured this year',
  },
  'analytics.priority.name.shrunkPrevalence': { id: 'Prevalensi stunting', en: 'Stunting prevalence' },
  'analytics.priority.name.stuntedChildren': { id: 'Jumlah anak stunting', en: 'Stunted children' },
  'analytics.priority.name.trend': { id: 'Tren', en: 'Trend' },
  'analytics.priority.name.coverageGap': { id: 'Kesenjangan cakupan', en: 'Coverage gap' },
  'analytics.priority.lokus.agree': { id: 'lokus dan prioritas', en: 'lokus and priority' },
  'analytics.priority.lokus.notPriority': { id: 'lokus, tetapi tidak di urutan teratas', en: 'lokus, but not among the top ranks' },
  'analytics.priority.lokus.notLokus': { id: 'prioritas menurut data, tetapi bukan lokus', en: 'priority by the data, but not a lokus' },
});

/** What the index needs of one desa (counts of the year, previous year, coverage, validity). */
export interface PriorityInput {
  desaCode: string;
  name: string;
  /** Stunted children and children with a usable HAZ in the year (the raw rate). */
  stunted: number;
  denominator: number;
  /** Empirical-Bayes rate toward the kecamatan (null without children measured). */
  shrunkRate: number | null;
  /** Raw rate of the previous year (null without data). */
  previousRate: number | null;
  /** Coverage (0–1) of each key intervention; null or absent = no data. */
  coverage: Record<string, number | null>;
  /** null = not judged (no validity computed). */
  validity: { score: number | null; children: number; problems: { problem: Bilingual }[] } | null;
}

export interface ComponentExplanation {
  component: PriorityComponent;
  /** The raw value (rate, count, points of change, mean gap); null = no data. */
  value: number | null;
  /** Min–max scaled across the ranked desa, 0–1. */
  scaled: number | null;
  /** Configured weight, and the share of the index it carries for this desa. */
  weight: number;
  effectiveWeight: number;
  /** Contribution to the index; the contributions add up to the index. */
  points: number;
  text: Bilingual;
}

export type PriorityStatus = 'ranked' | 'verify_data' | 'no_data';
export type LokusAgreement = 'agree' | 'lokus_not_priority' | 'priority_not_lokus' | null;

export interface PriorityRow {
  desaCode: string;
  name: string;
  status: PriorityStatus;
  rank: number | null;
  index: number | null;
  components: ComponentExplanation[];
  inLokus: boolean;
  lokus: LokusAgreement;
  lokusText: Bilingual | null;
  /** Why it is not ranked (verify data / no data). */
  note: Bilingual | null;
}

export interface PriorityResult {
  rows: PriorityRow[];
  /** Ranks compared with the lokus list: the top N (N = lokus count) against the list. */
  lokusCount: number;
  lokusInTop: number;
}

function values(input: PriorityInput, keyInterventions: readonly string[]): Record<PriorityComponent, number | null> {
  const gaps = keyInterventions.map((k) => input.coverage[k]).filter((c): c is number => c !== null && c !== undefined);
  return {
    shrunkPrevalence: input.shrunkRate,
    stuntedChildren: input.denominator > 0 ? input.stunted : null,
    trend: input.previousRate !== null && input.denominator > 0 ? 100 * (input.stunted / input.denominator - input.previousRate) : null,
    coverageGap: gaps.length > 0 ? gaps.reduce((s, c) => s + (1 - Math.min(1, c)), 0) / gaps.length : null,
  };
}

/**
 * Ranks the desa (see the file comment). `lokus` = desa codes of the district's lokus list for
 * the year. Ties are broken by the number of stunted children, then by code.
 */
export function priorityIndex(inputs: readonly PriorityInput[], config: AnalyticsConfig['priority'], lokus: ReadonlySet<string>): PriorityResult {
  const w = config.weights;
  const status = (i: PriorityInput): PriorityStatus => {
    if (i.denominator === 0) return 'no_data';
    if (i.validity && i.validity.score !== null && i.validity.score < config.minValidityScore) return 'verify_data';
    return 'ranked';
  };
  const ranked = inputs.filter((i) => status(i) === 'ranked');
  const vals = new Map(inputs.map((i) => [i.desaCode, values(i, config.keyInterventions)]));
  const range = {} as Record<PriorityComponent, [number, number] | null>;
  for (const c of PRIORITY_COMPONENTS) {
    const vs = ranked.map((i) => (vals.get(i.desaCode) as Record<PriorityComponent, number | null>)[c]).filter((v): v is number => v !== null);
    range[c] = vs.length > 0 ? [Math.min(...vs), Math.max(...vs)] : null;
  }
  const rows: PriorityRow[] = inputs.map((input) => {
    const st = status(input);
    const v = vals.get(input.desaCode) as Record<PriorityComponent, number | null>;
    const components: ComponentExplanation[] = [];
    let index: number | null = null;
    let note: Bilingual | null = null;
    if (st === 'ranked') {
      const available = PRIORITY_COMPONENTS.filter((c) => v[c] !== null && w[c] > 0);
      const total = available.reduce((s, c) => s + w[c], 0);
      index = 0;
      for (const c of PRIORITY_COMPONENTS) {
        const value = v[c];
        if (value === null || w[c] === 0) {
          components.push({
            component: c, value, scaled: null, weight: w[c], effectiveWeight: 0, points: 0,
            text: bilingual(M['analytics.priority.missing'], (lang) => ({ component: bilingual(M[`analytics.priority.name.${c}`], () => ({}))[lang] })),
          });
          continue;
        }
        const [lo, hi] = range[c] as [number, number];
        const scaled = hi > lo ? (value - lo) / (hi - lo) : 0;
        const effectiveWeight = total > 0 ? w[c] / total : 0;
        const points = 100 * effectiveWeight * scaled;
        index += points;
        components.push({
          component: c, value, scaled, weight: w[c], effectiveWeight, points,
          text: bilingual(M['analytics.priority.points'], (lang) => ({
            text: componentText(c, value, input, config.keyInterventions, lang),
            scaled: num(scaled, 2, lang), weight: num(100 * effectiveWeight, 0, lang) + ' %', points: num(points, 1, lang),
          })),
        });
      }
    } else if (st === 'verify_data') {
      const val = input.validity as NonNullable<PriorityInput['validity']>;
      note = bilingual(M['analytics.priority.verify'], (lang) => ({
        score: num(val.score, 0, lang), min: num(config.minValidityScore, 0, lang),
        problems: val.problems.slice(0, 3).map((p) => p.problem[lang]).join('; '),
      }));
    } else {
      note = bilingual(M['analytics.priority.noData'], () => ({}));
    }
    return { desaCode: input.desaCode, name: input.name, status: st, rank: null, index, components, inLokus: lokus.has(input.desaCode), lokus: null, lokusText: null, note };
  });
  const order = rows.filter((r) => r.status === 'ranked').sort((a, b) =>
    (b.index as number) - (a.index as number) ||
    ((vals.get(b.desaCode) as Record<PriorityComponent, number | null>).stuntedChildren ?? 0) - ((vals.get(a.desaCode) as Record<PriorityComponent, number | null>).stuntedChildren ?? 0) ||
    a.desaCode.localeCompare(b.desaCode));
  order.forEach((r, i) => (r.rank = i + 1));
  const topN = lokus.size;
  let lokusInTop = 0;
  for (const r of rows) {
    const top = r.rank !== null && r.rank <= topN;
    if (r.inLokus && top) lokusInTop++;
    r.lokus = topN === 0 ? null : r.inLokus && top ? 'agree' : r.inLokus ? 'lokus_not_priority' : top ? 'priority_not_lokus' : null;
    const key = r.lokus === 'agree' ? 'agree' : r.lokus === 'lokus_not_priority' ? 'notPriority' : r.lokus === 'priority_not_lokus' ? 'notLokus' : null;
    r.lokusText = key ? bilingual(M[`analytics.priority.lokus.${key}`], () => ({})) : null;
  }
  const statusOrder: Record<PriorityStatus, number> = { ranked: 0, verify_data: 1, no_data: 2 };
  rows.sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || (a.rank ?? 0) - (b.rank ?? 0) || a.desaCode.localeCompare(b.desaCode));
  return { rows, lokusCount: topN, lokusInTop };
}

function componentText(c: PriorityComponent, value: number, input: PriorityInput, keys: readonly string[], lang: 'id' | 'en'): string {
  const raw = input.denominator > 0 ? input.stunted / input.denominator : null;
  const params: Record<string, unknown> = {};
  switch (c) {
    case 'shrunkPrevalence':
      Object.assign(params, { value: percent(value, 1, lang), raw: percent(raw, 1, lang), cases: input.stunted, n: input.denominator });
      break;
    case 'stuntedChildren':
      params.value = value;
      break;
    case 'trend':
      Object.assign(params, { value: (value > 0 ? '+' : '') + num(value, 1, lang), before: percent(input.previousRate, 1, lang), now: percent(raw, 1, lang) });
      break;
    case 'coverageGap':
      Object.assign(params, {
        value: percent(value, 0, lang),
        details: keys.filter((k) => input.coverage[k] !== null && input.coverage[k] !== undefined)
          .map((k) => `${k} ${percent(input.coverage[k] as number, 0, lang)} %`).join(', '),
      });
      break;
  }
  return bilingual(M[`analytics.priority.${c}`], () => params)[lang];
}

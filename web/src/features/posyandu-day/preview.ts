/**
 * The instant preview of one entry on the posyandu day, computed in the browser with the same WHO
 * engine and KBM rule as the server, so it works offline.
 */
import type { GrowthResult, PermenkesStatus } from '../../../../src/growth/types.js';
import { completedMonths, judgeWeightGain, type WeightGainJudgement } from '../../../../src/growth/weight-gain.js';
import type { Bilingual, MessageKey } from '../../i18n/i18n.js';
import type { BrowserGrowth } from '../../growth/who-engine.js';

export interface EntryValues {
  weightKg: number | null;
  lenheiCm: number | null;
  position: 'L' | 'H' | null;
  muacCm: number | null;
  oedema: boolean;
}

export interface PreviousWeighing {
  measuredOn: string;
  weightKg: number | null;
  lenheiCm: number | null;
}

/** A warning to confirm before saving: a message key with parameters, or a message of the engine. */
export interface EntryWarning {
  field: string;
  key: MessageKey | null;
  params?: Record<string, string | number>;
  message?: Bilingual;
}

export interface EntryPreview {
  result: GrowthResult;
  gain: WeightGainJudgement | null;
  warnings: EntryWarning[];
  statuses: { index: 'wfa' | 'lhfa' | 'wfl'; z: number | null; status: PermenkesStatus | null }[];
}

/** Computes z-scores, Permenkes statuses, N/T with its reason and the warnings for one entry. */
export function previewEntry(g: BrowserGrowth, child: { sex: 1 | 2; birthDate: string }, date: string, v: EntryValues, previous: PreviousWeighing | null): EntryPreview {
  const result = g.engine.computeOne({
    sex: child.sex,
    birthDate: child.birthDate,
    measureDate: date,
    weight: v.weightKg,
    lenhei: v.lenheiCm,
    measure: v.position,
    oedema: v.oedema,
    armc: v.muacCm,
  });
  const warnings: EntryWarning[] = [];
  for (const issue of result.issues) warnings.push({ field: issue.field, key: null, message: { id: issue.id, en: issue.en } });
  if (result.fwei === 1) warnings.push({ field: 'weight', key: 'day.warn.flagWeight' });
  if (result.flen === 1) warnings.push({ field: 'lenhei', key: 'day.warn.flagLength' });
  if (result.fwfl === 1) warnings.push({ field: 'weight', key: 'day.warn.flagWfl' });
  if (result.fac === 1) warnings.push({ field: 'muac', key: 'day.warn.flagMuac' });
  let gain: WeightGainJudgement | null = null;
  if (v.weightKg !== null) {
    const ageMonths = completedMonths(child.birthDate, date);
    const prev = previous && previous.weightKg !== null && previous.measuredOn < date
      ? { date: previous.measuredOn, weightKg: previous.weightKg, ageMonths: completedMonths(child.birthDate, previous.measuredOn) }
      : null;
    gain = judgeWeightGain(prev, { date, weightKg: v.weightKg, ageMonths }, g.kbm);
    if (previous?.weightKg && Math.abs(v.weightKg - previous.weightKg) / previous.weightKg > 0.2) {
      warnings.push({ field: 'weight', key: 'day.warn.bigWeightChange', params: { before: previous.weightKg, now: v.weightKg } });
    }
  }
  if (v.lenheiCm !== null && previous?.lenheiCm && previous.measuredOn < date && v.lenheiCm < previous.lenheiCm - 1.5) {
    warnings.push({ field: 'lenhei', key: 'day.warn.shorter', params: { before: previous.lenheiCm, now: v.lenheiCm } });
  }
  if (v.lenheiCm !== null && v.position === null) warnings.push({ field: 'position', key: 'day.warn.noPosition' });
  return {
    result,
    gain,
    warnings,
    statuses: [
      { index: 'wfa', z: result.zwei, status: result.status.weightForAge },
      { index: 'lhfa', z: result.zlen, status: result.status.lengthForAge },
      { index: 'wfl', z: result.zwfl, status: result.status.weightForLength },
    ],
  };
}

/** A status the kader must act on (below −2 SD or above +2 SD for BB/PB). */
export function isAlarming(code: string | undefined): boolean {
  return code !== undefined && ['severely_underweight', 'underweight', 'severely_stunted', 'stunted', 'severely_wasted', 'wasted', 'overweight', 'obese'].includes(code);
}

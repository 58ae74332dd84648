/**
 * Evaluation rounds (e.g. "Evaluasi Kinerja TPPS Tahun 2025"): create, list, and freeze. A frozen
 * round keeps the figures it had at freezing in evaluation_snapshot — its report is reproduced
 * from them however the data change later. A draft round's figures are computed when asked.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../common/app-error.js';
import { writeAudit, type Actor } from '../db/audit.js';
import type { Kysely } from 'kysely';
import { mergeSettings, readEvaluationConfig, readIndicatorMethods, readKemenkesSet, scorecardSettingsSchema, type ScorecardSettings } from './evaluation-config.js';
import { evalDb, type Database, type EvalDb, type EvaluationDatabase } from '../db/schema.js';
import { roundAnalytics, type MonthPoint, type PriorityVillage, type RoutineYear, type SurveyPoint } from './round-analytics.service.js';
import { validityByKecamatan, type ValidityRow } from './validity-summary.repo.js';
import { ensurePlannerStatistics, regionsOf, type RegionInfo } from './achievement.repo.js';
import { upgradeFigures } from './figures-upgrade.js';
import { EVAL_MESSAGES as M } from './messages.js';
import { clipPeriod, previousPeriod, type Period } from './period.js';
import { routinePrevalenceRows } from '../analytics/prevalence.service.js';
import { parsePeriod } from '../analytics/periods.js';
import { buildScorecard, type IndicatorMeta, type ScorecardRow } from './scorecard.service.js';

export type RoundKind = 'annual' | 'semester' | 'other';

export interface Round {
  id: number;
  kabupatenCode: string;
  title: string;
  kind: RoundKind;
  period: Period;
  heldOn: string | null;
  place: string | null;
  participants: string[];
  notes: string | null;
  status: 'draft' | 'final';
  frozenAt: string | null;
  asOf: string | null;
  previousId: number | null;
  settings: ScorecardSettings;
}

export interface KemenkesRow {
  id: string;
  nameId: string;
  nameEn: string;
  mapsTo: string | null;
  target2023: number | null;
  opd: string;
  value: number | null;
}

/**
 * Everything a round's report shows that comes from data (frozen in the snapshot). Version 2:
 * trend, routine-versus-survey panel and priority villages come from the analytics services.
 */
export type { MonthPoint, PriorityVillage, RoutineYear, SurveyPoint };

export interface EvaluationFigures {
  version: 2;
  kabupaten: { code: string; name: string };
  period: Period;
  previousPeriod: Period;
  asOf: string;
  targetYear: number;
  settings: ScorecardSettings;
  indicators: IndicatorMeta[];
  regions: RegionInfo[];
  scorecard: ScorecardRow[];
  trend: MonthPoint[];
  /** Routine prevalence of the period's final year per desa (the map). */
  desaYear: { desaCode: string; prevalence: number | null; stunted: number; denominator: number }[];
  survey: SurveyPoint[];
  routineYears: RoutineYear[];
  validity: ValidityRow[];
  priority: PriorityVillage[];
  kemenkes: KemenkesRow[];
  targetSources: { key: string; title: string; url: string | null }[];
  computedAt: string;
}

type RoundRow = Awaited<ReturnType<typeof selectRound>>;

function selectRound(db: EvalDb, id: number) {
  return db.selectFrom('evaluation').selectAll().where('id', '=', id).executeTakeFirst();
}

function toRound(r: NonNullable<RoundRow>, base: ScorecardSettings): Round {
  return {
    id: r.id, kabupatenCode: r.kabupaten_code, title: r.title, kind: r.kind, period: { start: r.period_start, end: r.period_end },
    heldOn: r.held_on, place: r.place, participants: (r.participants as string[]) ?? [], notes: r.notes, status: r.status,
    frozenAt: r.frozen_at ? r.frozen_at.toISOString() : null, asOf: r.as_of, previousId: r.previous_evaluation_id,
    settings: mergeSettings(base, r.settings),
  };
}

export interface CreateRoundInput {
  kabupatenCode: string;
  title: string;
  kind: RoundKind;
  period: Period;
  heldOn?: string | null;
  place?: string | null;
  participants?: string[];
  notes?: string | null;
  /** The round whose actions this one follows up; default the latest earlier round of the kabupaten. */
  previousId?: number | null;
  /** Changes to the shipped scorecard settings for this round. */
  settings?: Partial<ScorecardSettings>;
}

/** Creates a draft round and returns it. */
export async function createRound(dbIn: Kysely<Database>, input: CreateRoundInput, actor?: Actor): Promise<Round> {
  const db = evalDb(dbIn);
  const { period } = input;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period.start) || !/^\d{4}-\d{2}-\d{2}$/.test(period.end) || period.end < period.start) {
    throw new AppError('bad_period', M['evaluation.badPeriod'], { from: period.start, to: period.end });
  }
  const kab = await db.selectFrom('region').select('code').where('code', '=', input.kabupatenCode).executeTakeFirst();
  if (!kab) throw new AppError('unknown_region', M['evaluation.unknownRegion'], { code: input.kabupatenCode }, { status: 404 });
  const base = readEvaluationConfig();
  const check = scorecardSettingsSchema.safeParse({ ...base, ...(input.settings ?? {}), thresholds: { ...base.thresholds, ...(input.settings?.thresholds ?? {}) } });
  if (!check.success) throw new AppError('bad_settings', M['evaluation.badSettings'], { reason: check.error.issues.map((i) => i.message).join('; ') });
  let previousId = input.previousId ?? null;
  if (input.previousId === undefined) {
    const prev = await db.selectFrom('evaluation').select('id').where('kabupaten_code', '=', input.kabupatenCode)
      .where('period_end', '<', period.start).orderBy('period_end', 'desc').orderBy('id', 'desc').executeTakeFirst();
    previousId = prev?.id ?? null;
  } else if (previousId !== null && !(await selectRound(db, previousId))) {
    throw new AppError('round_not_found', M['evaluation.roundNotFound'], { id: previousId }, { status: 404 });
  }
  const row = await db.insertInto('evaluation').values({
    kabupaten_code: input.kabupatenCode, title: input.title, kind: input.kind, period_start: period.start, period_end: period.end,
    held_on: input.heldOn ?? null, place: input.place ?? null, participants: JSON.stringify(input.participants ?? []),
    notes: input.notes ?? null, previous_evaluation_id: previousId, settings: JSON.stringify(input.settings ?? {}),
  }).returningAll().executeTakeFirstOrThrow();
  await writeAudit(dbIn, actor, { action: 'evaluation.create', entity: 'evaluation', entityId: row.id, kabupatenCode: input.kabupatenCode, details: { kind: input.kind, period } });
  return toRound(row, base);
}

/** One round, or an AppError 404. */
export async function getRound(dbIn: Kysely<Database>, id: number): Promise<Round> {
  const row = await selectRound(evalDb(dbIn), id);
  if (!row) throw new AppError('round_not_found', M['evaluation.roundNotFound'], { id }, { status: 404 });
  return toRound(row, readEvaluationConfig());
}

/** The rounds of a kabupaten (or all), newest period first. */
export async function listRounds(dbIn: Kysely<Database>, kabupatenCode?: string): Promise<Round[]> {
  let q = evalDb(dbIn).selectFrom('evaluation').selectAll();
  if (kabupatenCode) q = q.where('kabupaten_code', '=', kabupatenCode);
  const base = readEvaluationConfig();
  return (await q.orderBy('period_end', 'desc').orderBy('id', 'desc').execute()).map((r) => toRound(r, base));
}

/**
 * Computes a round's figures from the database now, counting data up to `asOf` (default: the
 * period's end).
 */
export async function computeFigures(dbIn: Kysely<Database>, round: Round, asOf: string): Promise<EvaluationFigures> {
  const db = evalDb(dbIn);
  const kab = round.kabupatenCode;
  const methods = readIndicatorMethods();
  const period = clipPeriod(round.period, asOf);
  await ensurePlannerStatistics(db);
  const { scorecard, indicators } = await buildScorecard(db, kab, period, round.settings, methods);
  const regions = await regionsOf(db, kab);
  const prev = previousPeriod(period);
  const analytics = await roundAnalytics(dbIn, kab, period, prev, round.settings.priorityCount);
  const desaYear = await desaYearPrevalence(dbIn, kab, Number(period.end.slice(0, 4)));
  const kabRows = new Map(scorecard.rows.filter((r) => r.level === 'kabupaten').map((r) => [r.indicatorId, r.value]));
  const kemenkes = readKemenkesSet().indicators.map((k) => ({
    id: k.id, nameId: k.name_id, nameEn: k.name_en, mapsTo: k.maps_to, target2023: k.target_2023, opd: k.opd,
    value: k.maps_to ? (kabRows.get(k.maps_to) ?? null) : null,
  }));
  const sources = await db.selectFrom('target_source').selectAll().orderBy('key').execute();
  const kabName = regions.find((r) => r.code === kab)?.name ?? kab;
  return {
    version: 2, kabupaten: { code: kab, name: kabName }, period, previousPeriod: prev, asOf, targetYear: scorecard.targetYear,
    settings: round.settings, indicators, regions, scorecard: scorecard.rows, trend: analytics.trend, desaYear,
    survey: analytics.survey, routineYears: analytics.routineYears, validity: await validityByKecamatan(db, kab, period), priority: analytics.priority, kemenkes,
    targetSources: sources.map((s) => ({ key: s.key, title: s.title, url: s.url })), computedAt: new Date().toISOString(),
  };
}

/** The routine stunting prevalence of each desa in a year (the report's map), from the prevalence service. */
async function desaYearPrevalence(db: Kysely<Database>, kab: string, year: number): Promise<EvaluationFigures['desaYear']> {
  const rows = await routinePrevalenceRows(db, { kabupatenCode: kab, level: 'desa', indicator: 'stunting', periods: [parsePeriod('year', String(year))], shrunkInterval: false });
  return rows.map((r) => ({ desaCode: r.code, prevalence: r.prevalence === null ? null : 100 * r.prevalence, stunted: r.numerator, denominator: r.denominator }));
}

/**
 * A round's figures: the frozen snapshot of a final round, otherwise computed now up to
 * `today` (or the period's end when that comes first).
 */
export async function roundFigures(dbIn: Kysely<Database>, round: Round, today: string): Promise<EvaluationFigures> {
  if (round.status === 'final') {
    const snap = await evalDb(dbIn).selectFrom('evaluation_snapshot').select('payload').where('evaluation_id', '=', round.id).executeTakeFirstOrThrow();
    return upgradeFigures(snap.payload);
  }
  return computeFigures(dbIn, round, today < round.period.end ? today : round.period.end);
}

/**
 * Freezes a round: computes its figures with data up to `asOf`, stores them as the round's
 * snapshot and marks the round final. A frozen round cannot be frozen again.
 */
export async function freezeRound(dbIn: Kysely<Database>, id: number, asOf: string, actor?: Actor): Promise<Round> {
  const round = await getRound(dbIn, id);
  if (round.status === 'final') throw new AppError('round_frozen', M['evaluation.roundFrozen'], { id, at: round.frozenAt }, { status: 409 });
  const figures = await computeFigures(dbIn, round, asOf);
  const payload = JSON.stringify(figures);
  const sha = createHash('sha256').update(payload).digest('hex');
  await dbIn.transaction().execute(async (trxIn) => {
    const trx = trxIn as unknown as Kysely<EvaluationDatabase>;
    const now = new Date();
    const updated = await trx.updateTable('evaluation').set({ status: 'final', frozen_at: now, as_of: asOf })
      .where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('round_frozen', M['evaluation.roundFrozen'], { id, at: '-' }, { status: 409 });
    await trx.insertInto('evaluation_snapshot').values({ evaluation_id: id, frozen_at: now, as_of: asOf, payload, payload_sha256: sha }).execute();
    await writeAudit(trxIn, actor, { action: 'evaluation.freeze', entity: 'evaluation', entityId: id, kabupatenCode: round.kabupatenCode, details: { asOf, sha256: sha } });
  });
  return getRound(dbIn, id);
}

/** Adds an FGD note (per group) or an improvement opportunity to a round. */
export async function addRoundNote(dbIn: Kysely<Database>, id: number, kind: 'fgd' | 'opportunity', note: string, groupName: string | null = null): Promise<number> {
  await getRound(dbIn, id);
  const r = await evalDb(dbIn).insertInto('evaluation_note').values({ evaluation_id: id, kind, note, group_name: groupName }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A round's FGD notes and improvement opportunities, in entry order. */
export async function roundNotes(dbIn: Kysely<Database>, id: number): Promise<{ kind: 'fgd' | 'opportunity'; groupName: string | null; note: string }[]> {
  const r = await evalDb(dbIn).selectFrom('evaluation_note').selectAll().where('evaluation_id', '=', id).orderBy('id').execute();
  return r.map((x) => ({ kind: x.kind, groupName: x.group_name, note: x.note }));
}

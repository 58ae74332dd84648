/**
 * Barriers (hambatan) and follow-up actions (rencana tindak lanjut) of a round, the actions the
 * next round opens with (did their indicators move?), and the roles matrix with its gaps.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { writeAudit, type Actor } from '../db/audit.js';
import { evalDb, type Database, type EvalDb } from '../db/schema.js';
import { actionStatus, ACTION_STATUS_FROM_INPUT, daysOverdue, movement, type ActionStatus, type IndicatorMovement, type StoredActionStatus } from './follow-up.js';
import { EVAL_MESSAGES as M } from './messages.js';
import { roleGaps, rolesMatrix, type RoleCell, type RoleGap, type RoleInput, type StakeholderType } from './roles.js';
import { getRound, roundFigures, type EvaluationFigures, type Round } from './round.service.js';

export type BarrierLevel = 'desa' | 'kecamatan' | 'sektor' | 'kabupaten';
export type InterventionLine = 'spesifik' | 'sensitif' | 'tata_kelola' | 'data';

export interface BarrierInput {
  evaluationId: number;
  level: BarrierLevel;
  description: string;
  category?: string | null;
  indicatorId?: string | null;
  regionCode?: string | null;
  sector?: string | null;
  interventionLine?: InterventionLine | null;
}

export interface Barrier extends Required<Omit<BarrierInput, 'evaluationId'>> {
  id: number;
  evaluationId: number;
}

async function checkIndicator(db: EvalDb, id: string): Promise<void> {
  if (!(await db.selectFrom('indicator').select('id').where('id', '=', id).executeTakeFirst())) {
    throw new AppError('unknown_indicator', M['evaluation.unknownIndicator'], { id });
  }
}

async function checkRegion(db: EvalDb, code: string, kab: string): Promise<string> {
  const r = await db.selectFrom('region').select(['code', 'level']).where('code', '=', code).executeTakeFirst();
  if (!r) throw new AppError('unknown_region', M['evaluation.unknownRegion'], { code });
  if (!code.startsWith(kab)) throw new AppError('region_outside', M['evaluation.regionOutside'], { code, kab });
  return r.level;
}

/** Records a barrier of a round (a desa/kecamatan barrier names its region). */
export async function addBarrier(dbIn: Kysely<Database>, input: BarrierInput, actor?: Actor): Promise<Barrier> {
  const db = evalDb(dbIn);
  const round = await getRound(dbIn, input.evaluationId);
  if (input.indicatorId) await checkIndicator(db, input.indicatorId);
  if (input.regionCode) await checkRegion(db, input.regionCode, round.kabupatenCode);
  const need = input.level === 'desa' ? 13 : input.level === 'kecamatan' ? 8 : 0;
  if (need > 0 && input.regionCode?.length !== need) throw new AppError('level_needs_region', M['evaluation.levelNeedsRegion'], { level: input.level });
  const row = await db.insertInto('barrier').values({
    evaluation_id: input.evaluationId, level: input.level, description: input.description, category: input.category ?? null,
    indicator_id: input.indicatorId ?? null, region_code: input.regionCode ?? null, sector: input.sector ?? null,
    intervention_line: input.interventionLine ?? null,
  }).returningAll().executeTakeFirstOrThrow();
  await writeAudit(dbIn, actor, { action: 'barrier.create', entity: 'barrier', entityId: row.id, kabupatenCode: round.kabupatenCode });
  return toBarrier(row);
}

function toBarrier(r: { id: number; evaluation_id: number; level: BarrierLevel; description: string; category: string | null; indicator_id: string | null; region_code: string | null; sector: string | null; intervention_line: InterventionLine | null }): Barrier {
  return {
    id: r.id, evaluationId: r.evaluation_id, level: r.level, description: r.description, category: r.category, indicatorId: r.indicator_id,
    regionCode: r.region_code, sector: r.sector, interventionLine: r.intervention_line,
  };
}

/** A round's barriers by level (desa, kecamatan, sektor, kabupaten), in entry order. */
export async function listBarriers(dbIn: Kysely<Database>, evaluationId: number): Promise<Barrier[]> {
  const rows = await evalDb(dbIn).selectFrom('barrier').selectAll().where('evaluation_id', '=', evaluationId).orderBy('id').execute();
  const order: Record<BarrierLevel, number> = { desa: 0, kecamatan: 1, sektor: 2, kabupaten: 3 };
  return rows.map(toBarrier).sort((a, b) => order[a.level] - order[b.level] || a.id - b.id);
}

export interface ActionInput {
  evaluationId: number;
  barrierId?: number | null;
  title: string;
  description?: string | null;
  stakeholderType: StakeholderType;
  stakeholderName?: string | null;
  owner: string;
  dueOn: string;
  indicatorIds?: string[];
  regionCodes?: string[];
  partnerId?: number | null;
}

export interface ActionNote {
  notedAt: string;
  progressPercent: number | null;
  note: string;
  evidence: string | null;
  evidenceUrl: string | null;
}

export interface FollowUpAction {
  id: number;
  evaluationId: number | null;
  barrierId: number | null;
  title: string;
  description: string | null;
  stakeholderType: StakeholderType;
  stakeholderName: string | null;
  owner: string;
  dueOn: string;
  storedStatus: StoredActionStatus;
  status: ActionStatus;
  daysOverdue: number;
  completedOn: string | null;
  indicatorIds: string[];
  regionCodes: string[];
  partnerId: number | null;
  notes: ActionNote[];
}

/** Records a follow-up action of a round, linked to its indicators and regions. */
export async function addAction(dbIn: Kysely<Database>, input: ActionInput, actor?: Actor): Promise<number> {
  const db = evalDb(dbIn);
  const round = await getRound(dbIn, input.evaluationId);
  const indicators = [...new Set(input.indicatorIds ?? [])];
  const regions = [...new Set(input.regionCodes ?? [])];
  for (const i of indicators) await checkIndicator(db, i);
  for (const r of regions) await checkRegion(db, r, round.kabupatenCode);
  if (input.barrierId != null) {
    const b = await db.selectFrom('barrier').select('id').where('id', '=', input.barrierId).where('evaluation_id', '=', input.evaluationId).executeTakeFirst();
    if (!b) throw new AppError('barrier_not_found', M['evaluation.barrierNotFound'], { id: input.barrierId, round: input.evaluationId }, { status: 404 });
  }
  if (input.partnerId != null && !(await db.selectFrom('partner').select('id').where('id', '=', input.partnerId).executeTakeFirst())) {
    throw new AppError('partner_not_found', M['evaluation.partnerNotFound'], { id: input.partnerId }, { status: 404 });
  }
  return dbIn.transaction().execute(async (trxIn) => {
    const trx = evalDb(trxIn as unknown as Kysely<Database>);
    const row = await trx.insertInto('action').values({
      kabupaten_code: round.kabupatenCode, evaluation_id: input.evaluationId, barrier_id: input.barrierId ?? null, title: input.title,
      description: input.description ?? null, stakeholder_type: input.stakeholderType, stakeholder_name: input.stakeholderName ?? null,
      owner: input.owner, due_on: input.dueOn, indicator_id: indicators[0] ?? null, region_code: regions[0] ?? null,
      partner_id: input.partnerId ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    if (indicators.length) await trx.insertInto('action_indicator').values(indicators.map((i) => ({ action_id: row.id, indicator_id: i }))).execute();
    if (regions.length) await trx.insertInto('action_region').values(regions.map((r) => ({ action_id: row.id, region_code: r }))).execute();
    await writeAudit(trxIn, actor, { action: 'action.create', entity: 'action', entityId: row.id, kabupatenCode: round.kabupatenCode, details: { indicators, regions: regions.length } });
    return row.id;
  });
}

/** Sets an action's status (direncanakan, berjalan, selesai, dibatalkan); selesai records the day. */
export async function setActionStatus(dbIn: Kysely<Database>, id: number, status: string, on: string, actor?: Actor): Promise<void> {
  const stored = ACTION_STATUS_FROM_INPUT[status.toLowerCase()];
  if (!stored) throw new AppError('bad_status', M['evaluation.badStatus'], { status });
  const db = evalDb(dbIn);
  const r = await db.updateTable('action').set({ status: stored, completed_on: stored === 'done' ? on : null, updated_at: new Date() })
    .where('id', '=', id).returning('kabupaten_code').executeTakeFirst();
  if (!r) throw new AppError('action_not_found', M['evaluation.actionNotFound'], { id }, { status: 404 });
  await writeAudit(dbIn, actor, { action: 'action.status', entity: 'action', entityId: id, kabupatenCode: r.kabupaten_code, details: { status: stored } });
}

/** Adds a progress note (with evidence: a file name or link) to an action. */
export async function addActionNote(dbIn: Kysely<Database>, id: number, note: { note: string; progressPercent?: number | null; evidence?: string | null; evidenceUrl?: string | null; userId?: number | null }): Promise<void> {
  const db = evalDb(dbIn);
  if (!(await db.selectFrom('action').select('id').where('id', '=', id).executeTakeFirst())) {
    throw new AppError('action_not_found', M['evaluation.actionNotFound'], { id }, { status: 404 });
  }
  await db.insertInto('action_note').values({
    action_id: id, note: note.note, progress_percent: note.progressPercent ?? null, evidence: note.evidence ?? null,
    evidence_url: note.evidenceUrl ?? null, user_id: note.userId ?? null,
  }).execute();
}

/** The actions of the given rounds with their links, notes and status on `today` (overdue detected). */
export async function listActions(dbIn: Kysely<Database>, evaluationIds: number[], today: string): Promise<FollowUpAction[]> {
  if (evaluationIds.length === 0) return [];
  const db = evalDb(dbIn);
  const rows = await db.selectFrom('action').selectAll().where('evaluation_id', 'in', evaluationIds).orderBy('due_on').orderBy('id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const inds = await db.selectFrom('action_indicator').selectAll().where('action_id', 'in', ids).orderBy('indicator_id').execute();
  const regs = await db.selectFrom('action_region').selectAll().where('action_id', 'in', ids).orderBy('region_code').execute();
  const notes = await db.selectFrom('action_note').selectAll().where('action_id', 'in', ids).orderBy('noted_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, evaluationId: r.evaluation_id, barrierId: r.barrier_id, title: r.title, description: r.description,
    stakeholderType: r.stakeholder_type, stakeholderName: r.stakeholder_name, owner: r.owner, dueOn: r.due_on,
    storedStatus: r.status, status: actionStatus(r, today), daysOverdue: daysOverdue(r, today), completedOn: r.completed_on,
    indicatorIds: inds.filter((x) => x.action_id === r.id).map((x) => x.indicator_id),
    regionCodes: regs.filter((x) => x.action_id === r.id).map((x) => x.region_code),
    partnerId: r.partner_id,
    notes: notes.filter((n) => n.action_id === r.id).map((n) => ({
      notedAt: n.noted_at.toISOString(), progressPercent: n.progress_percent, note: n.note, evidence: n.evidence, evidenceUrl: n.evidence_url,
    })),
  }));
}

export interface CarriedAction extends FollowUpAction {
  movements: IndicatorMovement[];
}

/**
 * The previous round's actions as the next round opens with them: their status now and, for each
 * linked indicator × region (the kabupaten when none), the value then and now.
 */
export async function carriedActions(dbIn: Kysely<Database>, round: Round, figures: EvaluationFigures, today: string): Promise<CarriedAction[]> {
  if (round.previousId === null) return [];
  const prevRound = await getRound(dbIn, round.previousId);
  const before = await roundFigures(dbIn, prevRound, today);
  const valueIn = (f: EvaluationFigures) => new Map(f.scorecard.map((r) => [`${r.indicatorId}|${r.regionCode}`, r.value]));
  const then = valueIn(before);
  const now = valueIn(figures);
  const direction = new Map(figures.indicators.map((i) => [i.id, i.direction]));
  const actions = await listActions(dbIn, [prevRound.id], today);
  return actions.map((a) => {
    const regions = a.regionCodes.length ? a.regionCodes : [round.kabupatenCode];
    const movements = a.indicatorIds.flatMap((ind) => regions.map((reg) =>
      movement(ind, reg, then.get(`${ind}|${reg}`) ?? null, now.get(`${ind}|${reg}`) ?? null, direction.get(ind) ?? 'higher_better', figures.settings.trendTolerance)));
    return { ...a, movements };
  });
}

export interface RolesResult {
  cells: RoleCell[];
  gaps: RoleGap[];
  offTrack: number;
}

/**
 * The roles matrix of a round: actions of this round and of the previous one (not cancelled)
 * and the partner commitments active in the period; gaps = off-track desa × indicator nobody covers.
 */
export async function roundRoles(dbIn: Kysely<Database>, round: Round, figures: EvaluationFigures, today: string): Promise<RolesResult> {
  const db = evalDb(dbIn);
  const ids = [round.id, ...(round.previousId !== null ? [round.previousId] : [])];
  const actions = await listActions(dbIn, ids, today);
  const inputs: RoleInput[] = actions.map((a) => ({
    kind: 'action', id: a.id, stakeholderType: a.stakeholderType, stakeholder: a.stakeholderName ?? a.owner,
    indicatorIds: a.indicatorIds, regionCodes: a.regionCodes, active: a.storedStatus !== 'cancelled',
  }));
  const commitments = await db.selectFrom('partner_commitment as c').innerJoin('partner as p', 'p.id', 'c.partner_id')
    .leftJoin('intervention as i', 'i.code', 'c.intervention_code')
    .select(['c.id', 'p.name', 'p.kind', 'c.region_code', 'i.indicator_id', 'c.status'])
    .where('c.kabupaten_code', '=', round.kabupatenCode).where('c.period_start', '<=', figures.period.end)
    .where('c.period_end', '>=', figures.period.start).orderBy('c.id').execute();
  for (const c of commitments) {
    if (!c.indicator_id) continue;
    inputs.push({
      kind: 'commitment', id: c.id, stakeholderType: c.kind === 'csr' ? 'csr' : 'lainnya', stakeholder: c.name,
      indicatorIds: [c.indicator_id], regionCodes: c.region_code ? [c.region_code] : [], active: c.status !== 'cancelled',
    });
  }
  const cells = rolesMatrix(inputs, round.kabupatenCode);
  const off = figures.scorecard
    .filter((r) => r.level === 'desa' && figures.settings.offTrackStatuses.includes(r.status as never))
    .sort((a, b) => a.indicatorId.localeCompare(b.indicatorId) || (a.ratio ?? -1) - (b.ratio ?? -1) || a.regionCode.localeCompare(b.regionCode))
    .map((r) => ({ indicatorId: r.indicatorId, desaCode: r.regionCode, status: r.status }));
  return { cells, gaps: roleGaps(cells, off), offTrack: off.length };
}

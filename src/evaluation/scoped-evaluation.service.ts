/**
 * Evaluation for the HTTP API, scoped: a round belongs to one kabupaten and the caller must see
 * that kabupaten (assertRegion) before anything of the round is read or changed; lists are
 * limited to the kabupaten in scope. Also the district's targets and analytics configuration.
 */
import { sql, type Kysely } from 'kysely';
import { ZodError } from 'zod';
import { assertRegion, regionVisible, type AccessScope } from '../auth/access.js';
import { loadAnalyticsConfig, saveAnalyticsConfig } from '../analytics/analytics.repo.js';
import { bumpDashboardGeneration } from '../analytics/dashboard-cache.js';
import { AppError } from '../common/app-error.js';
import { defineMessages, type Lang } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import { actorOf } from '../db/personal-read-audit.js';
import type { Database } from '../db/schema.js';
import { renderEvaluationReport } from '../report/report.service.js';
import {
  addAction, addActionNote, addBarrier, listActions, listBarriers, roundRoles, setActionStatus, type ActionInput, type BarrierInput,
} from './follow-up.service.js';
import { createRound, getRound, listRounds, roundFigures, type CreateRoundInput, type Round } from './round.service.js';

const M = defineMessages({
  'evaluation.api.actionMissing': { id: 'Tindak lanjut {id} tidak ada', en: 'Action {id} does not exist' },
  'evaluation.api.kabupaten': { id: 'Pilih satu kabupaten (bukan {code})', en: 'Choose one kabupaten (not {code})' },
  'evaluation.api.indicatorUnknown': { id: 'Indikator {id} tidak ada dalam katalog', en: 'Indicator {id} is not in the catalogue' },
  'evaluation.api.configInvalid': {
    id: 'Konfigurasi analitik tidak sah di {path}: {reason}',
    en: 'Invalid analytics configuration at {path}: {reason}',
  },
});

const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** A round the caller may see (its kabupaten in scope), or 403/404. */
export async function roundInScope(db: Kysely<Database>, scope: AccessScope, id: number): Promise<Round> {
  const round = await getRound(db, id);
  assertRegion(scope, round.kabupatenCode);
  return round;
}

/** Rounds of the kabupaten the caller may see (optionally one kabupaten, which must be in scope). */
export async function scopedRounds(db: Kysely<Database>, scope: AccessScope, kabupatenCode?: string): Promise<Round[]> {
  if (kabupatenCode) assertRegion(scope, kabupatenCode);
  return (await listRounds(db, kabupatenCode)).filter((r) => regionVisible(scope, r.kabupatenCode));
}

/** Creates a round of a kabupaten in scope. */
export async function scopedCreateRound(db: Kysely<Database>, scope: AccessScope, input: CreateRoundInput): Promise<Round> {
  if (input.kabupatenCode.length !== 5) throw new AppError('bad_region_level', M['evaluation.api.kabupaten'], { code: input.kabupatenCode });
  assertRegion(scope, input.kabupatenCode);
  return createRound(db, input, actorOf(scope));
}

/** The scorecard of a round, rows filtered by level, sector and region. */
export async function scopedScorecard(db: Kysely<Database>, scope: AccessScope, id: number, filter: { level?: string; sector?: string; region?: string }) {
  const round = await roundInScope(db, scope, id);
  if (filter.region) assertRegion(scope, filter.region);
  const figures = await roundFigures(db, round, today());
  const sectorOf = new Map(figures.indicators.map((i) => [i.id, i.sector]));
  const rows = figures.scorecard.filter((r) =>
    (!filter.level || r.level === filter.level) && (!filter.sector || (sectorOf.get(r.indicatorId) ?? r.sector) === filter.sector) &&
    (!filter.region || r.regionCode === filter.region || r.regionCode.startsWith(`${filter.region}.`)));
  return {
    roundId: round.id, period: figures.period, targetYear: figures.targetYear,
    indicators: figures.indicators.map((i) => ({ id: i.id, nameId: i.nameId, nameEn: i.nameEn, unit: i.unit, direction: i.direction, sector: i.sector, opd: i.opd })),
    rows: rows.map((r) => ({
      indicatorId: r.indicatorId, regionCode: r.regionCode, level: r.level, sector: r.sector, method: r.method, value: r.value, numerator: r.numerator,
      denominator: r.denominator, target: r.target?.value ?? null, targetSource: r.target?.sourceKey ?? null, status: r.status, ratio: Number.isFinite(r.ratio) ? r.ratio : null,
      previous: r.previous, trend: r.trend, delta: r.delta, completeness: r.completeness, source: r.source,
    })),
  };
}

/** Barriers of a round in scope. */
export async function scopedBarriers(db: Kysely<Database>, scope: AccessScope, id: number) {
  await roundInScope(db, scope, id);
  return listBarriers(db, id);
}

/** Adds a barrier to a round in scope (its region, when given, must be in scope too). */
export async function scopedAddBarrier(db: Kysely<Database>, scope: AccessScope, input: BarrierInput) {
  await roundInScope(db, scope, input.evaluationId);
  if (input.regionCode) assertRegion(scope, input.regionCode);
  return addBarrier(db, input, actorOf(scope));
}

/** The actions board of a round in scope, optionally one status or stakeholder type. */
export async function scopedActions(db: Kysely<Database>, scope: AccessScope, id: number, filter: { status?: string; stakeholderType?: string }) {
  await roundInScope(db, scope, id);
  return (await listActions(db, [id], today())).filter((a) => (!filter.status || a.status === filter.status) && (!filter.stakeholderType || a.stakeholderType === filter.stakeholderType));
}

/** Adds an action to a round in scope; returns it. */
export async function scopedAddAction(db: Kysely<Database>, scope: AccessScope, input: ActionInput) {
  await roundInScope(db, scope, input.evaluationId);
  for (const r of input.regionCodes ?? []) assertRegion(scope, r);
  const id = await addAction(db, input, actorOf(scope));
  return (await listActions(db, [input.evaluationId], today())).find((a) => a.id === id);
}

/** Changes an action's status and/or adds a progress note; the action's kabupaten must be in scope. */
export async function scopedUpdateAction(
  db: Kysely<Database>,
  scope: AccessScope,
  id: number,
  change: { status?: string; note?: string; progressPercent?: number | null; evidence?: string | null; evidenceUrl?: string | null },
) {
  const a = await db.selectFrom('action').select(['id', 'kabupaten_code', 'evaluation_id']).where('id', '=', id).executeTakeFirst();
  if (!a) throw new AppError('not_found', M['evaluation.api.actionMissing'], { id }, { status: 404 });
  assertRegion(scope, a.kabupaten_code);
  if (change.status) await setActionStatus(db, id, change.status, today(), actorOf(scope));
  if (change.note) {
    await addActionNote(db, id, { note: change.note, progressPercent: change.progressPercent, evidence: change.evidence, evidenceUrl: change.evidenceUrl, userId: scope.userId });
    await writeAudit(db, actorOf(scope), { action: 'action.note', entity: 'action', entityId: id, kabupatenCode: a.kabupaten_code });
  }
  bumpDashboardGeneration(a.kabupaten_code);
  const list = a.evaluation_id === null ? [] : await listActions(db, [a.evaluation_id], today());
  return list.find((x) => x.id === id);
}

/** The roles matrix of a round in scope. */
export async function scopedRoles(db: Kysely<Database>, scope: AccessScope, id: number) {
  const round = await roundInScope(db, scope, id);
  const figures = await roundFigures(db, round, today());
  return roundRoles(db, round, figures, today());
}

/** The round's report (PDF or XLSX) in scope; audited as an export. */
export async function scopedReport(db: Kysely<Database>, scope: AccessScope, id: number, format: 'pdf' | 'xlsx', lang: Lang) {
  const round = await roundInScope(db, scope, id);
  const r = await renderEvaluationReport(db, id, { format, lang, today: today() });
  await writeAudit(db, actorOf(scope), { action: 'report.export', entity: 'evaluation', entityId: id, kabupatenCode: round.kabupatenCode, details: { format } });
  return r;
}

const LEVEL_BY_LENGTH: Record<number, 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa'> = { 2: 'provinsi', 5: 'kabupaten', 8: 'kecamatan', 13: 'desa' };

/** Targets of the catalogue and of the kabupaten (in scope), optionally one year. */
export async function scopedTargets(db: Kysely<Database>, scope: AccessScope, kabupatenCode: string, year?: number) {
  assertRegion(scope, kabupatenCode);
  let q = db.selectFrom('target').selectAll()
    .where((eb) => eb.or([eb('region_code', 'is', null), eb('region_code', '=', kabupatenCode), eb('region_code', 'like', `${kabupatenCode}.%`), eb('level', 'in', ['nasional', 'provinsi'])]));
  if (year) q = q.where('year', '=', year);
  const rows = await q.orderBy('indicator_id').orderBy('year').orderBy('level').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, indicatorId: r.indicator_id, year: r.year, level: r.level, regionCode: r.region_code, value: Number(r.value), sourceKey: r.source_key,
    verified: r.verified, note: r.note, origin: r.origin,
  }));
}

/** Sets district targets (replacing the district's own target of the same indicator, year, region and source); audited. */
export async function scopedPutTargets(
  db: Kysely<Database>,
  scope: AccessScope,
  kabupatenCode: string,
  targets: readonly { indicatorId: string; year: number; regionCode: string; value: number; sourceKey: string; note?: string | null }[],
): Promise<number> {
  assertRegion(scope, kabupatenCode);
  for (const t of targets) {
    if (!(t.regionCode === kabupatenCode || t.regionCode.startsWith(`${kabupatenCode}.`))) assertRegion({ ...scope, regionCodes: [kabupatenCode] }, t.regionCode);
  }
  const wanted = [...new Set(targets.map((t) => t.indicatorId))];
  if (wanted.length > 0) {
    const known = new Set((await db.selectFrom('indicator').select('id').where('id', 'in', wanted).execute()).map((r) => r.id));
    const unknown = wanted.find((id) => !known.has(id));
    if (unknown !== undefined) throw new AppError('invalid_input', M['evaluation.api.indicatorUnknown'], { id: unknown }, { status: 400 });
  }
  await db.transaction().execute(async (trx) => {
    await sql`INSERT INTO target_source (key, title, url) VALUES ('district', 'Target daerah (ditetapkan TPPS kabupaten)', NULL) ON CONFLICT (key) DO NOTHING`.execute(trx);
    for (const t of targets) {
      const level = LEVEL_BY_LENGTH[t.regionCode.length];
      await trx.deleteFrom('target').where('indicator_id', '=', t.indicatorId).where('year', '=', t.year).where('region_code', '=', t.regionCode)
        .where('source_key', '=', t.sourceKey).where('origin', '=', 'district').execute();
      await trx.insertInto('target').values({
        indicator_id: t.indicatorId, year: t.year, level, region_code: t.regionCode, value: t.value, source_key: t.sourceKey, verified: true,
        note: t.note ?? null, origin: 'district',
      }).execute();
    }
    await writeAudit(trx, actorOf(scope), { action: 'target.set', entity: 'target', entityId: null, kabupatenCode, details: { count: targets.length } });
  });
  return targets.length;
}

/** The analytics configuration in force for a kabupaten in scope. */
export async function scopedConfig(db: Kysely<Database>, scope: AccessScope, kabupatenCode: string) {
  assertRegion(scope, kabupatenCode);
  return loadAnalyticsConfig(db, kabupatenCode);
}

/** Changes a kabupaten's analytics configuration (validated, audited); dashboards recompute. */
export async function scopedPutConfig(db: Kysely<Database>, scope: AccessScope, kabupatenCode: string, patch: Record<string, unknown>) {
  assertRegion(scope, kabupatenCode);
  let config;
  try {
    config = await saveAnalyticsConfig(db, kabupatenCode, patch, actorOf(scope));
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const issue = err.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : '-';
    throw new AppError('invalid_input', M['evaluation.api.configInvalid'], { path, reason: issue?.message ?? '-' }, { status: 400, details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  bumpDashboardGeneration(kabupatenCode);
  return config;
}

/**
 * Data validity and duplicate review for the HTTP API, scoped: the ranking is limited to the
 * posyandu below a region in scope; duplicate pairs (names and birth dates) only to roles that
 * may see personal data, only in scope, audited; a merge or its undo only when both children are
 * in scope.
 */
import { sql, type Kysely } from 'kysely';
import { assertPersonalData, assertPosyandu, assertRegion, regionVisible, type AccessScope } from '../auth/access.js';
import { bumpDashboardGeneration } from '../analytics/dashboard-cache.js';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import type { WritePathDeps } from '../db/growth-columns.js';
import { actorOf, auditPersonalRead } from '../db/personal-read-audit.js';
import type { Database } from '../db/schema.js';
import { listCandidates, listMerges, mergeChildren, undoMerge } from './duplicate-merge.service.js';
import { buildQualityReport } from './quality-report.js';

const M = defineMessages({
  'quality.api.missing': { id: '{entity} {id} tidak ditemukan', en: '{entity} {id} not found' },
  'quality.api.kabupaten': { id: 'Pilih kabupaten, kecamatan atau desa (bukan {code})', en: 'Choose a kabupaten, kecamatan or desa (not {code})' },
});

const within = (code: string, region: string) => code === region || code.startsWith(`${region}.`);
const inScope = (scope: AccessScope, code: string) => regionVisible(scope, code);

function kabOf(code: string): string {
  if (code.length < 5) throw new AppError('bad_region_level', M['quality.api.kabupaten'], { code });
  return code.slice(0, 5);
}

/** Posyandu validity ranking of a month (latest scored by default) below a region in scope. */
export async function scopedQualityRanking(db: Kysely<Database>, scope: AccessScope, code: string, month?: string) {
  assertRegion(scope, code);
  const kab = kabOf(code);
  let m = month;
  if (!m) {
    const r = await sql<{ m: string | null }>`SELECT to_char(max(month), 'YYYY-MM') AS m FROM quality_score WHERE kabupaten_code = ${kab} AND level = 'posyandu'`.execute(db);
    m = r.rows[0]?.m ?? undefined;
  }
  if (!m) return { month: null, threshold: 95, rows: [] };
  const report = await buildQualityReport(db, { month: m, kabupatenCode: kab });
  const rows = report.rows.filter((r) => within(r.desaCode, code) && inScope(scope, r.desaCode) && (scope.role !== 'kader' || r.posyanduId === scope.posyanduId));
  return { month: report.month, threshold: report.threshold, rows: rows.map((r, i) => ({ ...r, rank: i + 1, score: r.score === null ? null : Number(r.score) })) };
}

/** Duplicate candidate pairs and merges below a region in scope (CONFIDENTIAL, audited). */
export async function scopedDuplicates(db: Kysely<Database>, scope: AccessScope, code: string, status?: 'usulan' | 'digabung' | 'ditolak') {
  assertPersonalData(scope);
  assertRegion(scope, code);
  const kab = kabOf(code);
  const candidates = (await listCandidates(db, { kabupatenCode: kab, desaCode: code.length === 13 ? code : undefined, status }))
    .filter((c) => within(c.desaCode, code) && inScope(scope, c.desaCode) && (scope.role !== 'kader' || c.posyanduId === scope.posyanduId));
  const merges = await listMerges(db, kab);
  const survivors = merges.length === 0 ? [] : await db.selectFrom('child').select(['id', 'desa_code', 'posyandu_id']).where('id', 'in', merges.map((x) => x.survivorId)).execute();
  const where = new Map(survivors.map((s) => [s.id, s]));
  const visibleMerges = merges.filter((x) => {
    const s = where.get(x.survivorId);
    return s !== undefined && within(s.desa_code, code) && inScope(scope, s.desa_code) && (scope.role !== 'kader' || s.posyandu_id === scope.posyanduId);
  });
  await auditPersonalRead(db, scope, { entity: 'duplicate_candidate', ids: candidates.map((c) => c.id), purpose: 'duplicate_review', kabupatenCode: kab });
  return {
    candidates: candidates.map((c) => ({ ...c, score: Number(c.score), reasons: c.reasons.map(String) })),
    merges: visibleMerges.map((x) => ({ ...x, mergedAt: new Date(x.mergedAt).toISOString(), undoneAt: x.undoneAt ? new Date(x.undoneAt).toISOString() : null })),
  };
}

async function childrenInScope(db: Kysely<Database>, scope: AccessScope, ids: readonly number[]): Promise<string> {
  let kab = '';
  for (const id of ids) {
    const c = await db.selectFrom('child').select(['kabupaten_code', 'desa_code', 'posyandu_id']).where('id', '=', id).executeTakeFirst();
    if (!c) throw new AppError('not_found', M['quality.api.missing'], { entity: 'child', id }, { status: 404 });
    assertRegion(scope, c.desa_code);
    assertPosyandu(scope, c.posyandu_id);
    kab = c.kabupaten_code;
  }
  return kab;
}

/** Merges child `mergedId` into `survivorId` when both are in scope. */
export async function scopedMerge(db: Kysely<Database>, deps: WritePathDeps, scope: AccessScope, survivorId: number, mergedId: number) {
  assertPersonalData(scope);
  const kab = await childrenInScope(db, scope, [survivorId, mergedId]);
  const r = await mergeChildren(db, deps, survivorId, mergedId, actorOf(scope));
  bumpDashboardGeneration(kab);
  return r;
}

/** Undoes a merge whose two children are in scope. */
export async function scopedUndoMerge(db: Kysely<Database>, deps: WritePathDeps, scope: AccessScope, mergeId: number) {
  assertPersonalData(scope);
  const m = await sql<{ survivor_id: number; merged_id: number }>`SELECT survivor_id, merged_id FROM child_merge WHERE id = ${mergeId}`.execute(db);
  const row = m.rows[0];
  if (!row) throw new AppError('not_found', M['quality.api.missing'], { entity: 'merge', id: mergeId }, { status: 404 });
  const kab = await childrenInScope(db, scope, [Number(row.survivor_id), Number(row.merged_id)]);
  const r = await undoMerge(db, deps, mergeId, actorOf(scope));
  bumpDashboardGeneration(kab);
  return r;
}

/**
 * Evaluation rounds, scorecard, barriers, actions board, roles matrix and report downloads; the
 * district's targets and analytics configuration. Scope is checked in
 * src/evaluation/scoped-evaluation.service.ts (a round's kabupaten must be in scope).
 */
import { idParamsSchema } from '../../api/common.schema.js';
import {
  actionCreateSchema, actionListQuerySchema, actionListSchema, actionSchema, actionUpdateSchema, barrierCreateSchema, barrierListSchema, barrierSchema,
  configPutSchema, configQuerySchema, configSchema, reportQuerySchema, rolesSchema, roundCreateSchema, roundListQuerySchema, roundListSchema,
  roundSchema, scorecardQuerySchema, scorecardSchema, targetListQuerySchema, targetListSchema, targetPutSchema,
} from '../../api/evaluation.schema.js';
import type { AccessScope } from '../../auth/access.js';
import { AppError } from '../../common/app-error.js';
import type { Round } from '../../evaluation/round.service.js';
import {
  roundInScope, scopedActions, scopedAddAction, scopedAddBarrier, scopedBarriers, scopedConfig, scopedCreateRound, scopedPutConfig, scopedPutTargets,
  scopedReport, scopedRoles, scopedRounds, scopedScorecard, scopedTargets, scopedUpdateAction,
} from '../../evaluation/scoped-evaluation.service.js';
import { defineMessages } from '../../common/i18n.js';
import { defineRoute } from '../route-def.js';
import { sampleOf } from '../test-support/matrix-world.js';
import { DISTRICT_READ_ROLES, DISTRICT_WRITE_ROLES } from './route-roles.js';

const view = ({ settings: _s, ...r }: Round) => r;
const roundOf = (w: Parameters<typeof sampleOf>[0], t: 'own' | 'foreign') => ({ params: { id: String(sampleOf(w, t).roundId) } });

const M = defineMessages({
  'evaluation.route.kabupatenRequired': { id: 'Sebutkan kabupatenCode', en: 'Give kabupatenCode' },
});

/** The caller's own kabupaten when it has exactly one (tpps, opd, viewer), for optional query fields. */
function defaultKabupaten(scope: AccessScope, given: string | undefined): string {
  if (given) return given;
  const kabs = [...new Set((scope.regionCodes ?? []).filter((c) => c.length >= 5).map((c) => c.slice(0, 5)))];
  if (kabs.length === 1) return kabs[0];
  throw new AppError('kabupaten_required', M['evaluation.route.kabupatenRequired'], {}, { status: 400 });
}

export const roundListRoute = defineRoute({
  id: 'evaluation.rounds.list', method: 'GET', path: '/api/v1/evaluation/rounds', tag: 'evaluation',
  summary: { id: 'Daftar putaran evaluasi', en: 'Evaluation rounds' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  query: roundListQuerySchema, response: roundListSchema,
  matrix: (w, t) => ({ query: { kabupatenCode: sampleOf(w, t).kabupatenCode } }),
  handler: async ({ deps, scope, query }) => ({ rounds: (await scopedRounds(deps.db, scope, query.kabupatenCode)).map(view) }),
});

export const roundCreateRoute = defineRoute({
  id: 'evaluation.rounds.create', method: 'POST', path: '/api/v1/evaluation/rounds', tag: 'evaluation', status: 201,
  summary: { id: 'Buat putaran evaluasi', en: 'Create an evaluation round' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  body: roundCreateSchema, response: roundSchema,
  matrix: (w, t) => ({ body: { kabupatenCode: sampleOf(w, t).kabupatenCode, title: 'Evaluasi Semester Uji', kind: 'semester', periodStart: '2025-01-01', periodEnd: '2025-06-30' } }),
  handler: async ({ deps, scope, body }) => view(await scopedCreateRound(deps.db, scope, {
    kabupatenCode: body.kabupatenCode, title: body.title, kind: body.kind, period: { start: body.periodStart, end: body.periodEnd },
    heldOn: body.heldOn, place: body.place, participants: body.participants, notes: body.notes,
  })),
});

export const roundGetRoute = defineRoute({
  id: 'evaluation.rounds.get', method: 'GET', path: '/api/v1/evaluation/rounds/:id', tag: 'evaluation',
  summary: { id: 'Satu putaran evaluasi', en: 'One evaluation round' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, response: roundSchema, matrix: roundOf,
  handler: async ({ deps, scope, params }) => view(await roundInScope(deps.db, scope, params.id)),
});

export const scorecardRoute = defineRoute({
  id: 'evaluation.scorecard', method: 'GET', path: '/api/v1/evaluation/rounds/:id/scorecard', tag: 'evaluation',
  summary: { id: 'Kartu skor per tingkat dan sektor', en: 'Scorecard by level and sector' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, query: scorecardQuerySchema, response: scorecardSchema, matrix: roundOf,
  handler: async ({ deps, scope, params, query }) => scopedScorecard(deps.db, scope, params.id, query),
});

export const barrierListRoute = defineRoute({
  id: 'evaluation.barriers.list', method: 'GET', path: '/api/v1/evaluation/rounds/:id/barriers', tag: 'evaluation',
  summary: { id: 'Hambatan putaran evaluasi', en: 'Barriers of a round' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, response: barrierListSchema, matrix: roundOf,
  handler: async ({ deps, scope, params }) => ({ barriers: await scopedBarriers(deps.db, scope, params.id) }),
});

export const barrierCreateRoute = defineRoute({
  id: 'evaluation.barriers.create', method: 'POST', path: '/api/v1/evaluation/rounds/:id/barriers', tag: 'evaluation', status: 201,
  summary: { id: 'Catat hambatan', en: 'Record a barrier' },
  access: { kind: 'roles', roles: ['admin', 'tpps', 'opd'] },
  params: idParamsSchema, body: barrierCreateSchema, response: barrierSchema,
  matrix: (w, t) => ({ ...roundOf(w, t), body: { level: 'kabupaten', description: 'Hambatan uji matriks' } }),
  handler: async ({ deps, scope, params, body }) => scopedAddBarrier(deps.db, scope, { evaluationId: params.id, ...body }),
});

export const actionListRoute = defineRoute({
  id: 'evaluation.actions.list', method: 'GET', path: '/api/v1/evaluation/rounds/:id/actions', tag: 'evaluation',
  summary: { id: 'Papan tindak lanjut', en: 'Follow-up actions board' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, query: actionListQuerySchema, response: actionListSchema, matrix: roundOf,
  handler: async ({ deps, scope, params, query }) => ({ actions: await scopedActions(deps.db, scope, params.id, query) }),
});

export const actionCreateRoute = defineRoute({
  id: 'evaluation.actions.create', method: 'POST', path: '/api/v1/evaluation/rounds/:id/actions', tag: 'evaluation', status: 201,
  summary: { id: 'Tambah tindak lanjut', en: 'Add a follow-up action' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  params: idParamsSchema, body: actionCreateSchema, response: actionSchema,
  matrix: (w, t) => ({ ...roundOf(w, t), body: { title: 'Tindak lanjut uji', stakeholderType: 'opd', owner: 'Dinas Kesehatan', dueOn: '2025-09-30' } }),
  handler: async ({ deps, scope, params, body }) => {
    const a = await scopedAddAction(deps.db, scope, { evaluationId: params.id, ...body });
    if (!a) throw new Error('action vanished after insert');
    return a;
  },
});

export const actionUpdateRoute = defineRoute({
  id: 'evaluation.actions.update', method: 'PATCH', path: '/api/v1/evaluation/actions/:id', tag: 'evaluation',
  summary: { id: 'Ubah status atau tambah catatan kemajuan', en: 'Change status or add a progress note' },
  access: { kind: 'roles', roles: ['admin', 'tpps', 'opd'] },
  params: idParamsSchema, body: actionUpdateSchema, response: actionSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).actionId) }, body: { status: 'berjalan', note: 'Sudah dimulai', progressPercent: 20 } }),
  handler: async ({ deps, scope, params, body }) => {
    const a = await scopedUpdateAction(deps.db, scope, params.id, body);
    if (!a) throw new Error('action without round');
    return a;
  },
});

export const rolesRoute = defineRoute({
  id: 'evaluation.roles', method: 'GET', path: '/api/v1/evaluation/rounds/:id/roles', tag: 'evaluation',
  summary: { id: 'Matriks penyelarasan peran', en: 'Roles matrix' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, response: rolesSchema, matrix: roundOf,
  handler: async ({ deps, scope, params }) => scopedRoles(deps.db, scope, params.id),
});

export const reportRoute = defineRoute({
  id: 'evaluation.report', method: 'GET', path: '/api/v1/evaluation/rounds/:id/report', tag: 'evaluation',
  summary: { id: 'Unduh laporan evaluasi (PDF atau XLSX)', en: 'Download the evaluation report (PDF or XLSX)' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  params: idParamsSchema, query: reportQuerySchema, response: { kind: 'file', contentType: 'application/pdf' },
  matrix: (w, t) => ({ ...roundOf(w, t), query: { format: 'xlsx' } }),
  handler: async ({ deps, scope, params, query, lang }) => {
    const r = await scopedReport(deps.db, scope, params.id, query.format, lang);
    return { kind: 'file' as const, fileName: r.fileName, contentType: r.contentType, body: r.bytes };
  },
});

export const targetListRoute = defineRoute({
  id: 'config.targets.list', method: 'GET', path: '/api/v1/config/targets', tag: 'config',
  summary: { id: 'Target indikator', en: 'Indicator targets' },
  access: { kind: 'roles', roles: DISTRICT_READ_ROLES },
  query: targetListQuerySchema, response: targetListSchema,
  matrix: (w, t) => ({ query: { kabupatenCode: sampleOf(w, t).kabupatenCode } }),
  handler: async ({ deps, scope, query }) => ({ targets: await scopedTargets(deps.db, scope, defaultKabupaten(scope, query.kabupatenCode), query.year) }),
});

export const targetPutRoute = defineRoute({
  id: 'config.targets.put', method: 'PUT', path: '/api/v1/config/targets', tag: 'config',
  summary: { id: 'Tetapkan target daerah', en: 'Set district targets' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  body: targetPutSchema, response: targetListSchema,
  matrix: (w, t) => {
    const s = sampleOf(w, t);
    return { body: { kabupatenCode: s.kabupatenCode, targets: [{ indicatorId: 'SPE-01', year: 2025, regionCode: s.kabupatenCode, value: 14 }] } };
  },
  handler: async ({ deps, scope, body }) => {
    await scopedPutTargets(deps.db, scope, body.kabupatenCode, body.targets);
    return { targets: await scopedTargets(deps.db, scope, body.kabupatenCode) };
  },
});

export const configGetRoute = defineRoute({
  id: 'config.analytics.get', method: 'GET', path: '/api/v1/config/analytics', tag: 'config',
  summary: { id: 'Konfigurasi analitik kabupaten', en: 'The kabupaten\'s analytics configuration' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  query: configQuerySchema, response: configSchema,
  matrix: (w, t) => ({ query: { kabupatenCode: sampleOf(w, t).kabupatenCode } }),
  handler: async ({ deps, scope, query }) => {
    const kab = defaultKabupaten(scope, query.kabupatenCode);
    return { kabupatenCode: kab, config: (await scopedConfig(deps.db, scope, kab)) as unknown as Record<string, unknown> };
  },
});

export const configPutRoute = defineRoute({
  id: 'config.analytics.put', method: 'PUT', path: '/api/v1/config/analytics', tag: 'config',
  summary: { id: 'Ubah konfigurasi analitik', en: 'Change the analytics configuration' },
  access: { kind: 'roles', roles: DISTRICT_WRITE_ROLES },
  body: configPutSchema, response: configSchema,
  matrix: (w, t) => ({ body: { kabupatenCode: sampleOf(w, t).kabupatenCode, patch: { skdn: { ndDenominator: 'weighed_this_month' } } } }),
  handler: async ({ deps, scope, body }) => ({
    kabupatenCode: body.kabupatenCode, config: (await scopedPutConfig(deps.db, scope, body.kabupatenCode, body.patch)) as unknown as Record<string, unknown>,
  }),
});

export const EVALUATION_ROUTES = [
  roundListRoute, roundCreateRoute, roundGetRoute, scorecardRoute, barrierListRoute, barrierCreateRoute, actionListRoute, actionCreateRoute,
  actionUpdateRoute, rolesRoute, reportRoute, targetListRoute, targetPutRoute, configGetRoute, configPutRoute,
];

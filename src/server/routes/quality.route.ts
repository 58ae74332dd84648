/** Data validity ranking and duplicate review (scoped in src/quality/scoped-quality.service.ts). */
import type { Role } from '../../auth/access.js';
import { idParamsSchema, regionParamsSchema } from '../../api/common.schema.js';
import { duplicateListSchema, duplicatesQuerySchema, mergeBodySchema, mergeResultSchema, qualityQuerySchema, qualityRankingSchema } from '../../api/quality.schema.js';
import { scopedDuplicates, scopedMerge, scopedQualityRanking, scopedUndoMerge } from '../../quality/scoped-quality.service.js';
import { defineRoute } from '../route-def.js';
import { sampleOf } from '../test-support/matrix-world.js';
import { ALL_ROLES } from './route-roles.js';

/** Who reviews and merges duplicates: the officers who clean data (names shown). */
const REVIEW_ROLES: readonly Role[] = ['admin', 'tpps', 'puskesmas', 'desa'];

export const qualityRankingRoute = defineRoute({
  id: 'quality.ranking', method: 'GET', path: '/api/v1/regions/:code/quality', tag: 'quality',
  summary: { id: 'Peringkat validitas posyandu dengan masalah dan saran', en: 'Posyandu validity ranking with problems and suggested fixes' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, query: qualityQuerySchema, response: qualityRankingSchema,
  matrix: (w, t) => ({ params: { code: sampleOf(w, t).desaCode } }),
  handler: async ({ deps, scope, params, query }) => scopedQualityRanking(deps.db, scope, params.code, query.month),
});

export const duplicatesRoute = defineRoute({
  id: 'quality.duplicates', method: 'GET', path: '/api/v1/regions/:code/duplicates', tag: 'quality',
  summary: { id: 'Usulan data ganda dan penggabungan (data pribadi)', en: 'Duplicate candidates and merges (personal data)' },
  access: { kind: 'roles', roles: REVIEW_ROLES, personal: true },
  params: regionParamsSchema, query: duplicatesQuerySchema, response: duplicateListSchema,
  matrix: (w, t) => ({ params: { code: sampleOf(w, t).desaCode } }),
  handler: async ({ deps, scope, params, query }) => scopedDuplicates(deps.db, scope, params.code, query.status),
});

export const mergeRoute = defineRoute({
  id: 'quality.merge', method: 'POST', path: '/api/v1/duplicates/merge', tag: 'quality', status: 201,
  summary: { id: 'Gabungkan dua data anak', en: 'Merge two child records' },
  access: { kind: 'roles', roles: REVIEW_ROLES, personal: true },
  body: mergeBodySchema, response: mergeResultSchema,
  matrix: (w, t) => {
    const [a, b] = sampleOf(w, t).duplicateChildIds;
    return { body: { survivorId: a, mergedId: b } };
  },
  handler: async ({ deps, scope, body }) => scopedMerge(deps.db, { engine: deps.engine, kbm: deps.kbm }, scope, body.survivorId, body.mergedId),
});

export const undoMergeRoute = defineRoute({
  id: 'quality.undoMerge', method: 'POST', path: '/api/v1/duplicates/merges/:id/undo', tag: 'quality',
  summary: { id: 'Batalkan penggabungan', en: 'Undo a merge' },
  access: { kind: 'roles', roles: REVIEW_ROLES, personal: true },
  params: idParamsSchema, response: mergeResultSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).mergeId) } }),
  handler: async ({ deps, scope, params }) => scopedUndoMerge(deps.db, { engine: deps.engine, kbm: deps.kbm }, scope, params.id),
});

export const QUALITY_ROUTES = [qualityRankingRoute, duplicatesRoute, mergeRoute, undoMergeRoute];

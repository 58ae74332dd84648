/**
 * Regions, map, dashboard, SKDN, alerts and priority villages. Handlers are thin: the scoped
 * services check the caller's regions themselves.
 */
import { idParamsSchema, okSchema, regionParamsSchema } from '../../api/common.schema.js';
import {
  alertFollowUpBodySchema, alertListSchema, alertsQuerySchema, boundariesSchema, dashboardQuerySchema, dashboardSchema, posyanduListSchema,
  priorityQuerySchema, prioritySchema, regionTreeSchema, skdnQuerySchema, skdnSchema,
} from '../../api/regions.schema.js';
import { scopedAlertList, scopedFollowUpAlert, scopedPriority, scopedSkdn } from '../../analytics/scoped-alerts.service.js';
import { scopedDashboard } from '../../analytics/scoped-dashboard.service.js';
import { scopedBoundaries, scopedPosyanduList, scopedRegionTree } from '../../analytics/scoped-regions.service.js';
import { defineRoute } from '../route-def.js';
import { sampleOf } from '../test-support/matrix-world.js';
import { ALL_ROLES, PERSONAL_ROLES } from './route-roles.js';

const desaOf = (w: Parameters<typeof sampleOf>[0], t: 'own' | 'foreign') => ({ params: { code: sampleOf(w, t).desaCode } });

export const regionTreeRoute = defineRoute({
  id: 'regions.tree', method: 'GET', path: '/api/v1/regions', tag: 'regions',
  summary: { id: 'Pohon wilayah yang boleh dilihat', en: 'The region tree the caller may see' },
  access: { kind: 'roles', roles: ALL_ROLES },
  response: regionTreeSchema,
  matrix: () => ({}),
  handler: async ({ deps, scope }) => ({ regions: await scopedRegionTree(deps.db, scope) }),
});

export const posyanduListRoute = defineRoute({
  id: 'regions.posyandu', method: 'GET', path: '/api/v1/regions/:code/posyandu', tag: 'regions',
  summary: { id: 'Posyandu di wilayah', en: 'Posyandu of a region' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, response: posyanduListSchema,
  matrix: desaOf,
  handler: async ({ deps, scope, params }) => ({ posyandu: await scopedPosyanduList(deps.db, scope, params.code) }),
});

export const boundariesRoute = defineRoute({
  id: 'regions.boundaries', method: 'GET', path: '/api/v1/regions/:code/boundaries', tag: 'regions',
  summary: { id: 'Batas desa (GeoJSON) di bawah wilayah', en: 'Desa boundaries (GeoJSON) below a region' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, response: boundariesSchema,
  matrix: desaOf,
  handler: async ({ deps, scope, params }) => scopedBoundaries(deps.db, scope, params.code),
});

export const dashboardRoute = defineRoute({
  id: 'regions.dashboard', method: 'GET', path: '/api/v1/regions/:code/dashboard', tag: 'regions',
  summary: { id: 'Dasbor wilayah: kartu utama, tren, peta, desa prioritas, validitas', en: 'Region dashboard: headline cards, trend, map, priority villages, validity' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, query: dashboardQuerySchema, response: dashboardSchema,
  matrix: desaOf,
  handler: async ({ deps, scope, params, query, lang }) =>
    scopedDashboard(deps.db, scope, { code: params.code, month: query.month, indicator: query.indicator, months: query.months, lang }),
});

export const skdnRoute = defineRoute({
  id: 'regions.skdn', method: 'GET', path: '/api/v1/regions/:code/skdn', tag: 'regions',
  summary: { id: 'SKDN per posyandu', en: 'SKDN per posyandu' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, query: skdnQuerySchema, response: skdnSchema,
  matrix: desaOf,
  handler: async ({ deps, scope, params, query }) => scopedSkdn(deps.db, scope, params.code, query.month),
});

export const alertListRoute = defineRoute({
  id: 'regions.alerts', method: 'GET', path: '/api/v1/regions/:code/alerts', tag: 'regions',
  summary: { id: 'Daftar peringatan by-name (data pribadi)', en: 'By-name alert list (personal data)' },
  access: { kind: 'roles', roles: PERSONAL_ROLES, personal: true },
  params: regionParamsSchema, query: alertsQuerySchema, response: alertListSchema,
  matrix: (w, t) => ({ params: { code: sampleOf(w, t).desaCode }, query: { month: sampleOf(w, t).month } }),
  handler: async ({ deps, scope, params, query }) => {
    const r = await scopedAlertList(deps.db, scope, params.code, query);
    return { month: r.month, alerts: r.alerts.map((a) => ({ ...a, followedUpAt: a.followedUpAt ? new Date(a.followedUpAt).toISOString() : null })) };
  },
});

export const alertFollowUpRoute = defineRoute({
  id: 'alerts.followUp', method: 'POST', path: '/api/v1/alerts/:id/follow-up', tag: 'regions',
  summary: { id: 'Catat tindak lanjut peringatan', en: 'Record the follow-up of an alert' },
  access: { kind: 'roles', roles: PERSONAL_ROLES, personal: true },
  params: idParamsSchema, body: alertFollowUpBodySchema, response: okSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).alertId) }, body: { status: 'followed_up', by: 'Petugas Uji', note: 'kunjungan rumah' } }),
  handler: async ({ deps, scope, params, body }) => {
    await scopedFollowUpAlert(deps.db, scope, params.id, body);
    return { ok: true as const };
  },
});

export const priorityRoute = defineRoute({
  id: 'regions.priority', method: 'GET', path: '/api/v1/regions/:code/priority', tag: 'regions',
  summary: { id: 'Desa prioritas dengan alasannya', en: 'Priority villages with their reasons' },
  access: { kind: 'roles', roles: ALL_ROLES },
  params: regionParamsSchema, query: priorityQuerySchema, response: prioritySchema,
  matrix: desaOf,
  handler: async ({ deps, scope, params, query }) => scopedPriority(deps.db, scope, params.code, query.year),
});

export const REGION_ROUTES = [
  regionTreeRoute, posyanduListRoute, boundariesRoute, dashboardRoute, skdnRoute, alertListRoute, alertFollowUpRoute, priorityRoute,
];

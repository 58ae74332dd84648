/**
 * The posyandu day: children of a posyandu, measurements (save, correct, delete), the growth
 * preview, registering a child, the child profile, the printable growth card and WHO curves.
 */
import { idParamsSchema, okSchema } from '../../api/common.schema.js';
import {
  childCreateSchema, childProfileSchema, childSummarySchema, growthCardQuerySchema, growthCurvesQuerySchema, growthCurvesSchema,
  growthPreviewBodySchema, growthValuesSchema, measurementCreateSchema, measurementPatchSchema, measurementSavedSchema,
  posyanduChildrenQuerySchema, posyanduChildrenSchema,
} from '../../api/posyandu.schema.js';
import {
  childProfile, correctMeasurement, deleteMeasurement, posyanduChildren, previewGrowth, registerChild, saveMeasurement,
} from '../../db/scoped-posyandu.service.js';
import { growthCurves } from '../../reference/growth-curves.js';
import { renderGrowthCardHtml, renderGrowthCardPdf } from '../../report/growth-card.js';
import { defineRoute, type ServerDeps } from '../route-def.js';
import { sampleOf } from '../test-support/matrix-world.js';
import { ENTRY_ROLES, PERSONAL_ROLES } from './route-roles.js';

const writeDeps = (deps: ServerDeps) => ({ engine: deps.engine, kbm: deps.kbm });
/** Today in Asia/Jakarta (UTC+7), the posyandu's calendar day. */
const jakartaToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

export const posyanduChildrenRoute = defineRoute({
  id: 'posyandu.children', method: 'GET', path: '/api/v1/posyandu/:id/children', tag: 'posyandu',
  summary: { id: 'Daftar anak posyandu dengan pengukuran terakhir (data pribadi)', en: 'Children of a posyandu with their last measurement (personal data)' },
  access: { kind: 'roles', roles: PERSONAL_ROLES, personal: true },
  params: idParamsSchema, query: posyanduChildrenQuerySchema, response: posyanduChildrenSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).posyanduId) }, query: { date: '2025-03-12' } }),
  handler: async ({ deps, scope, params, query }) => posyanduChildren(deps.db, scope, params.id, query.date ?? jakartaToday()),
});

export const measurementCreateRoute = defineRoute({
  id: 'measurements.create', method: 'POST', path: '/api/v1/measurements', tag: 'posyandu', status: 201,
  summary: { id: 'Simpan satu pengukuran (z-score, status, N/T dihitung)', en: 'Save one measurement (z-scores, status, N/T computed)' },
  access: { kind: 'roles', roles: ENTRY_ROLES, personal: true },
  body: measurementCreateSchema, response: measurementSavedSchema,
  matrix: (w, t) => ({ body: { childId: sampleOf(w, t).childId, measuredOn: '2025-04-10', weightKg: 10.6, lenheiCm: 83.6, position: 'H' } }),
  handler: async ({ deps, scope, body }) => saveMeasurement(deps.db, writeDeps(deps), scope, body),
});

export const measurementUpdateRoute = defineRoute({
  id: 'measurements.update', method: 'PUT', path: '/api/v1/measurements/:id', tag: 'posyandu',
  summary: { id: 'Koreksi pengukuran', en: 'Correct a measurement' },
  access: { kind: 'roles', roles: ENTRY_ROLES, personal: true },
  params: idParamsSchema, body: measurementPatchSchema, response: measurementSavedSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).measurementId) }, body: { weightKg: 10.35 } }),
  handler: async ({ deps, scope, params, body }) => correctMeasurement(deps.db, writeDeps(deps), scope, params.id, body),
});

export const measurementDeleteRoute = defineRoute({
  id: 'measurements.delete', method: 'DELETE', path: '/api/v1/measurements/:id', tag: 'posyandu',
  summary: { id: 'Hapus pengukuran', en: 'Delete a measurement' },
  access: { kind: 'roles', roles: ENTRY_ROLES, personal: true },
  params: idParamsSchema, response: okSchema,
  // Each request removes a row: every call takes the next spare measurement of the sample.
  matrix: (w, t) => {
    const s = sampleOf(w, t);
    const id = s.deletableMeasurementIds.shift() ?? s.measurementId;
    return { params: { id: String(id) } };
  },
  handler: async ({ deps, scope, params }) => {
    await deleteMeasurement(deps.db, writeDeps(deps), scope, params.id);
    return { ok: true as const };
  },
});

export const growthPreviewRoute = defineRoute({
  id: 'growth.preview', method: 'POST', path: '/api/v1/growth/preview', tag: 'posyandu',
  summary: { id: 'Pratinjau z-score, status, N/T dan peringatan tanpa menyimpan', en: 'Preview z-scores, status, N/T and warnings without saving' },
  access: { kind: 'roles', roles: ENTRY_ROLES, personal: true },
  body: growthPreviewBodySchema, response: growthValuesSchema,
  matrix: (w, t) => ({ body: { childId: sampleOf(w, t).childId, measuredOn: '2025-04-10', weightKg: 10.6, lenheiCm: 83.6, position: 'H' } }),
  handler: async ({ deps, scope, body }) => previewGrowth(deps.db, writeDeps(deps), scope, body),
});

export const childCreateRoute = defineRoute({
  id: 'children.create', method: 'POST', path: '/api/v1/children', tag: 'posyandu', status: 201,
  summary: { id: 'Daftarkan anak baru', en: 'Register a new child' },
  access: { kind: 'roles', roles: ENTRY_ROLES, personal: true },
  body: childCreateSchema, response: childSummarySchema,
  matrix: (w, t) => {
    const s = sampleOf(w, t);
    return { body: { desaCode: s.desaCode, posyanduId: s.posyanduId, name: 'Anak Baru Uji', sex: 2, birthDate: '2024-11-05', motherName: 'Ibu Uji' } };
  },
  handler: async ({ deps, scope, body }) => {
    const { kabupatenCode: _k, ...child } = await registerChild(deps.db, writeDeps(deps), deps.handle.nik, scope, body);
    return child;
  },
});

export const childProfileRoute = defineRoute({
  id: 'children.get', method: 'GET', path: '/api/v1/children/:id', tag: 'posyandu',
  summary: { id: 'Profil anak: riwayat, peringatan, layanan, faktor risiko keluarga', en: 'Child profile: history, alerts, services, family risk factors' },
  access: { kind: 'roles', roles: PERSONAL_ROLES, personal: true },
  params: idParamsSchema, response: childProfileSchema,
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).childId) } }),
  handler: async ({ deps, scope, params }) => childProfile(deps.db, scope, params.id),
});

export const growthCardRoute = defineRoute({
  id: 'children.growthCard', method: 'GET', path: '/api/v1/children/:id/growth-card', tag: 'posyandu',
  summary: { id: 'Kartu pertumbuhan untuk dicetak (HTML atau PDF)', en: 'Printable growth card (HTML or PDF)' },
  access: { kind: 'roles', roles: PERSONAL_ROLES, personal: true },
  params: idParamsSchema, query: growthCardQuerySchema, response: { kind: 'file', contentType: 'application/pdf' },
  matrix: (w, t) => ({ params: { id: String(sampleOf(w, t).childId) }, query: { format: 'pdf' } }),
  handler: async ({ deps, scope, params, query, lang }) => {
    const p = await childProfile(deps.db, scope, params.id, 'print');
    const card = { child: p.child, measurements: p.measurements };
    if (query.format === 'pdf') {
      return { kind: 'file' as const, fileName: `kartu-pertumbuhan-${params.id}.pdf`, contentType: 'application/pdf', body: await renderGrowthCardPdf(card, lang) };
    }
    return { kind: 'file' as const, fileName: `kartu-pertumbuhan-${params.id}.html`, contentType: 'text/html; charset=utf-8', body: renderGrowthCardHtml(card, lang) };
  },
});

export const growthCurvesRoute = defineRoute({
  id: 'growth.curves', method: 'GET', path: '/api/v1/growth/curves', tag: 'posyandu',
  summary: { id: 'Kurva standar WHO −3…+3 SD', en: 'WHO standard curves −3…+3 SD' },
  access: { kind: 'session' },
  query: growthCurvesQuerySchema, response: growthCurvesSchema,
  matrix: () => ({ query: { indicator: 'wfa', sex: '1' } }),
  handler: async ({ query }) => growthCurves(query.indicator, query.sex),
});

export const POSYANDU_ROUTES = [
  posyanduChildrenRoute, measurementCreateRoute, measurementUpdateRoute, measurementDeleteRoute, growthPreviewRoute,
  childCreateRoute, childProfileRoute, growthCardRoute, growthCurvesRoute,
];

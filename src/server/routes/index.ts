import type { RouteDef } from '../route-def.js';
import { ADMIN_ROUTES } from './admin.route.js';
import { AUTH_ROUTES } from './auth.route.js';
import { EVALUATION_ROUTES } from './evaluation.route.js';
import { IMPORT_ROUTES } from './imports.route.js';
import { POSYANDU_ROUTES } from './posyandu.route.js';
import { QUALITY_ROUTES } from './quality.route.js';
import { REGION_ROUTES } from './regions.route.js';
import { SYSTEM_ROUTES } from './system.route.js';

/** Every route of the API: the app, the OpenAPI document and the access-matrix test read this list. */
export const ALL_ROUTES: RouteDef[] = [
  ...SYSTEM_ROUTES,
  ...AUTH_ROUTES,
  ...ADMIN_ROUTES,
  ...REGION_ROUTES,
  ...POSYANDU_ROUTES,
  ...IMPORT_ROUTES,
  ...QUALITY_ROUTES,
  ...EVALUATION_ROUTES,
];

import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../common/app-error.js';
import { SERVER_MESSAGES as M } from '../messages.js';
import { buildOpenApi, renderDocsPage } from '../openapi.js';
import { defineRoute, type AnyRouteDef, type ServerDeps } from '../route-def.js';

const healthSchema = z.object({ status: z.literal('ok'), db: z.literal('ok'), version: z.string() });

const documents = new WeakMap<ServerDeps, { json: string; html: string }>();

function documentsOf(deps: ServerDeps): { json: string; html: string } {
  let d = documents.get(deps);
  if (!d) {
    const doc = buildOpenApi(deps.routes, deps.config.version);
    d = { json: JSON.stringify(doc), html: renderDocsPage(doc) };
    documents.set(deps, d);
  }
  return d;
}

/** GET /api/v1/health: 200 once the database answers, 503 otherwise. */
export const healthRoute = defineRoute({
  id: 'system.health',
  method: 'GET',
  path: '/api/v1/health',
  summary: { id: 'Status server dan basis data', en: 'Server and database status' },
  tag: 'system',
  access: { kind: 'public' },
  response: healthSchema,
  matrix: () => ({}),
  handler: async ({ deps }) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
    } catch (err) {
      throw new AppError('db_unavailable', M['server.dbDown'], {}, { status: 503, cause: err });
    }
    return { status: 'ok' as const, db: 'ok' as const, version: deps.config.version };
  },
});

/** GET /api/v1/openapi.json: the OpenAPI 3.1 document generated from the route table. */
export const openApiRoute = defineRoute({
  id: 'system.openapi',
  method: 'GET',
  path: '/api/v1/openapi.json',
  summary: { id: 'Dokumen OpenAPI 3.1 dari API ini', en: 'The OpenAPI 3.1 document of this API' },
  tag: 'system',
  access: { kind: 'public' },
  response: { kind: 'file', contentType: 'application/json; charset=utf-8' },
  matrix: () => ({}),
  handler: async ({ deps }) => ({ kind: 'file', fileName: 'openapi.json', contentType: 'application/json; charset=utf-8', body: documentsOf(deps).json, inline: true }),
});

/** GET /api/v1/docs: a readable HTML list of every operation (no scripts, no CDN). */
export const docsRoute = defineRoute({
  id: 'system.docs',
  method: 'GET',
  path: '/api/v1/docs',
  summary: { id: 'Dokumentasi API (HTML)', en: 'API documentation (HTML)' },
  tag: 'system',
  access: { kind: 'public' },
  response: { kind: 'file', contentType: 'text/html; charset=utf-8' },
  matrix: () => ({}),
  handler: async ({ deps }) => ({ kind: 'file', fileName: 'api-docs.html', contentType: 'text/html; charset=utf-8', body: documentsOf(deps).html, inline: true }),
});

/** The system routes (health, OpenAPI, docs). */
export const SYSTEM_ROUTES: AnyRouteDef[] = [healthRoute, openApiRoute, docsRoute];

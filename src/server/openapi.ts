import { z, type ZodType } from 'zod';
import { SESSION_COOKIE, CSRF_HEADER } from './app.js';
import type { AccessRule, AnyRouteDef } from './route-def.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the route table's zod schemas (the same
 * schemas that validate requests), so the document cannot drift from the code.
 */

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'text'],
      properties: {
        code: { type: 'string', description: 'Stable machine code (forbidden, invalid_request, csrf, …)' },
        message: {
          type: 'object', required: ['id', 'en'],
          properties: { id: { type: 'string', description: 'Bahasa Indonesia' }, en: { type: 'string', description: 'English' } },
        },
        text: { type: 'string', description: 'The message in the language asked for (?lang=id|en or Accept-Language)' },
        details: { description: 'For invalid_request: {issues: [{path, message: {id, en}}]}' },
        requestId: { type: 'string', description: 'Only on 5xx: quote it to the administrator' },
      },
    },
  },
};

/** "/api/v1/regions/:code/dashboard" → "/api/v1/regions/{code}/dashboard". */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function accessText(rule: AccessRule): string {
  if (rule.kind === 'public') return 'Public / Publik';
  if (rule.kind === 'session') return 'Any logged-in user / Semua pengguna yang masuk';
  return `Roles / Peran: ${rule.roles.join(', ')}${rule.personal ? ' — personal data, audited / data pribadi, dicatat' : ''}`;
}

function parametersOf(schema: ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name, in: where, required: where === 'path' ? true : required.has(name), schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

/** The OpenAPI 3.1 document of these routes. */
export function buildOpenApi(routes: readonly AnyRouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const r of routes) {
    tags.add(r.tag);
    const op: Record<string, unknown> = {
      operationId: r.id,
      tags: [r.tag],
      summary: `${r.summary.id} / ${r.summary.en}`,
      description: `${r.summary.id}\n\n${r.summary.en}\n\n${accessText(r.access)}`,
      'x-summary': r.summary,
      'x-access': r.access,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query'),
        { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['id', 'en'] }, description: 'Message language' }],
      security: r.access.kind === 'public' ? [] : (r.method === 'GET' ? [{ session: [] }] : [{ session: [], csrf: [] }]),
      responses: {} as Record<string, unknown>,
    };
    if (r.upload) {
      const fields = r.body ? jsonSchema(r.body, 'input') : { type: 'object', properties: {} };
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              ...fields,
              type: 'object',
              properties: { ...((fields.properties ?? {}) as object), file: { type: 'string', format: 'binary', description: `${r.upload.extensions.join(', ')}; at most ${r.upload.maxBytes} bytes` } },
              required: [...((fields.required ?? []) as string[]), 'file'],
            },
          },
        },
      };
    } else if (r.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    }
    const responses = op.responses as Record<string, unknown>;
    const status = String(r.status ?? 200);
    if (r.status === 204) responses[status] = { description: 'No content' };
    else if ('kind' in r.response && r.response.kind === 'file') {
      responses[status] = { description: 'File', content: { [r.response.contentType]: { schema: { type: 'string', format: 'binary' } } } };
    } else {
      responses[status] = { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response as ZodType, 'output') } } };
    }
    const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    if (r.params || r.query || r.body || r.upload) responses['400'] = err('Invalid request / Permintaan tidak valid');
    if (r.access.kind !== 'public') {
      responses['401'] = err('Not logged in / Belum masuk');
      responses['403'] = err('Forbidden (role, region or CSRF) / Ditolak (peran, wilayah atau CSRF)');
    }
    if (r.upload) {
      responses['413'] = err('File too large / Berkas terlalu besar');
      responses['415'] = err('File type or content not accepted / Jenis atau isi berkas tidak diterima');
    }
    responses['500'] = err('Server error / Kesalahan server');
    const path = openApiPath(r.path);
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tumbuh API',
      version,
      description: 'API Tumbuh — sistem data TPPS untuk percepatan penurunan stunting.\n\nTumbuh API — the data system of a district stunting-reduction team.',
    },
    servers: [{ url: '/' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Session cookie set by POST /api/v1/auth/login (HttpOnly, SameSite=Strict)' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'The csrfToken of GET /api/v1/auth/me or the login answer; required on every state-changing request' },
      },
      schemas: { Error: errorSchema },
    },
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A self-contained HTML page (no script, no CDN) listing the operations of an OpenAPI document. */
export function renderDocsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string };
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags as string[])[0];
      const summary = op['x-summary'] as { id: string; en: string };
      const access = op['x-access'] as AccessRule;
      const params = (op.parameters as Array<{ name: string; in: string; required: boolean }>).filter((p) => p.name !== 'lang')
        .map((p) => `<code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', wajib/required' : ''})`).join(', ');
      const body = op.requestBody ? Object.keys((op.requestBody as { content: object }).content).join(', ') : '';
      const row = `<tr><td class="m m-${esc(method)}">${esc(method.toUpperCase())}</td><td><code>${esc(path)}</code></td>`
        + `<td lang="id">${esc(summary.id)}</td><td lang="en">${esc(summary.en)}</td><td>${esc(accessText(access))}</td>`
        + `<td>${params}${body ? `${params ? '<br>' : ''}body: ${esc(body)}` : ''}</td></tr>`;
      const rows = byTag.get(tag) ?? [];
      rows.push(row);
      byTag.set(tag, rows);
    }
  }
  const sections = [...byTag.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, rows]) =>
    `<section><h2 id="${esc(tag)}">${esc(tag)}</h2><table><thead><tr><th>Metode</th><th>Alamat / Path</th><th>Ringkasan</th><th>Summary</th><th>Akses / Access</th><th>Parameter</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}th{background:#f2f2f2}
.m{font-weight:700;font-family:monospace}.m-get{color:#0b6e2e}.m-post{color:#1a4f9c}.m-put,.m-patch{color:#8a5a00}.m-delete{color:#a31515}
</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>Dokumen mesin: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<p>Masuk dengan POST /api/v1/auth/login; setiap permintaan yang mengubah data membawa header <code>${esc(CSRF_HEADER)}</code>.
Log in with POST /api/v1/auth/login; every state-changing request carries the <code>${esc(CSRF_HEADER)}</code> header.</p>
<nav>${[...byTag.keys()].sort().map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join(' · ')}</nav>
${sections}
</body></html>
`;
}

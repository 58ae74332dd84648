import type { Bilingual } from '../i18n/i18n.js';

/** Base path of the HTTP API; the web app talks to nothing else. */
export const API_BASE = '/api/v1';

/** An error answer of the API (`{error: {code, message: {id, en}, details?}}`) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly bilingual: Bilingual | null,
    readonly details: unknown = null,
  ) {
    super(bilingual?.en ?? code);
  }

  /** True when the request never reached the server (offline, DNS, refused). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

let csrfToken: string | null = null;

/** Remembers the session's CSRF token (from login or `GET /auth/me`). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** `/api/v1{path}?{query}` with empty values left out. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function failure(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status only
  }
  const err = (body as { error?: { code?: string; message?: Bilingual; details?: unknown } } | null)?.error;
  return new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? null, err?.details ?? null);
}

/** Sends one API request with the session cookie and, for writes, the CSRF header. */
export async function request(method: string, path: string, options: { query?: Query; body?: unknown; form?: FormData; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', null, String(cause));
  }
  if (!res.ok) throw await failure(res);
  return res;
}

/** GET and parse JSON. */
export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const res = await request('GET', path, { query, signal });
  return (await res.json()) as T;
}

/** POST/PUT/PATCH/DELETE with a JSON body; the parsed answer (null for 204). */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, { body: body ?? (method === 'DELETE' ? undefined : {}) });
  if (res.status === 204) return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** Downloads a file answer of the API and hands it to the browser as a download. */
export async function downloadFile(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  const res = await request('GET', path, { query });
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  saveBlob(await res.blob(), name);
  return name;
}

/** Offers a blob to the user as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Uploads a file with progress (fetch cannot report upload progress, XMLHttpRequest can). */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void, query?: Query): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', null));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // leave null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        const err = (body as { error?: { code?: string; message?: Bilingual; details?: unknown } } | null)?.error;
        reject(new ApiError(xhr.status, err?.code ?? `http_${xhr.status}`, err?.message ?? null, err?.details ?? null));
      }
    };
    xhr.send(form);
  });
}

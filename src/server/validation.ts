import { z, type ZodType } from 'zod';
import { AppError } from '../common/app-error.js';
import type { Bilingual } from '../common/i18n.js';
import { SERVER_MESSAGES as M } from './messages.js';

/** One problem of a request, as the client shows it next to the field. */
export interface ValidationIssue {
  /** Dotted path of the field ('body.weightKg', 'query.month'). */
  path: string;
  message: Bilingual;
}

const locales = { id: z.locales.id(), en: z.locales.en() };

type RawIssue = Parameters<(typeof locales)['en']['localeError']>[0];

function localeText(locale: { localeError: (issue: RawIssue) => unknown }, issue: RawIssue): string | undefined {
  const out = locale.localeError(issue);
  if (typeof out === 'string') return out;
  if (out && typeof out === 'object' && 'message' in out && typeof out.message === 'string') return out.message;
  return undefined;
}

/**
 * The bilingual form of zod issues: zod's own Indonesian and English texts, or, where a schema
 * set its own message, that message in both places. Inputs are never echoed back.
 */
export function bilingualIssues(where: string, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const raw = issue as unknown as RawIssue;
    const en = localeText(locales.en, raw);
    const custom = en === undefined || en !== issue.message;
    const id = custom ? issue.message : (localeText(locales.id, raw) ?? issue.message);
    const path = [where, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path, message: { id, en: issue.message } };
  });
}

type Part = 'params' | 'query' | 'body';

/**
 * Parses the parts of a request that have a schema; a part without one passes through unchanged.
 * Throws one 400 AppError listing every issue of every part (path and bilingual message).
 */
export function parseRequestParts(parts: Array<{ where: Part; schema: ZodType | undefined; value: unknown }>): Record<Part, unknown> {
  const out: Record<Part, unknown> = { params: undefined, query: undefined, body: undefined };
  const issues: ValidationIssue[] = [];
  for (const p of parts) {
    if (!p.schema) {
      out[p.where] = p.value;
      continue;
    }
    const result = p.schema.safeParse(p.value, { reportInput: true });
    if (result.success) out[p.where] = result.data;
    else issues.push(...bilingualIssues(p.where, result.error.issues));
  }
  if (issues.length > 0) {
    throw new AppError('invalid_request', M['server.invalidRequest'], {}, { status: 400, details: { issues } });
  }
  return out;
}

import { tBoth, type Bilingual } from './i18n.js';

/**
 * The one error type of Tumbuh: an HTTP status, a stable machine code, a bilingual message and
 * the cause. CLI and server render it; nothing else is shown to a user.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: Bilingual;
  readonly details?: unknown;

  constructor(
    code: string,
    messageKey: string,
    params?: Record<string, unknown>,
    options?: { status?: number; cause?: unknown; details?: unknown },
  ) {
    const messages = tBoth(messageKey, params);
    super(messages.en, { cause: options?.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options?.status ?? 400;
    this.messages = messages;
    this.details = options?.details;
  }
}

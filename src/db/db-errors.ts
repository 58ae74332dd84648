import { AppError } from '../common/app-error.js';
import { DB_MESSAGES as M } from './messages.js';

interface PgError {
  code?: string;
  table?: string;
  constraint?: string;
  column?: string;
  detail?: string;
  message?: string;
}

const INTEGRITY: Record<string, string> = {
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '23000': 'integrity_constraint_violation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22P02': 'invalid_text_representation',
};

/**
 * An integrity error from PostgreSQL as the bilingual AppError users see (status 422, code
 * `db_<condition>`), naming the rule and table; other errors are returned unchanged. PostgreSQL's
 * DETAIL ("Failing row contains …", "Key (…)=(…)") is never copied: it can hold names.
 */
export function translateDbError(err: unknown): unknown {
  const e = err as PgError;
  if (!e || typeof e.code !== 'string' || !(e.code in INTEGRITY)) return err;
  const constraint = e.constraint ?? e.column ?? '?';
  const detail = (e.message ?? '').trim();
  return new AppError(`db_${INTEGRITY[e.code]}`, M['db.constraint'], { constraint, table: e.table ?? '?', detail }, {
    status: 422,
    cause: err,
    details: { constraint: e.constraint ?? null, table: e.table ?? null, column: e.column ?? null, sqlstate: e.code },
  });
}

/** Runs `fn`, turning integrity errors into AppErrors. */
export async function withDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateDbError(err);
  }
}

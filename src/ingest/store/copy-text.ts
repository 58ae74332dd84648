import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value as a field of COPY's text format (`\N` for null; backslash, tab and newlines escaped). */
export function copyField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : v;
}

/** Runs `COPY table (columns) FROM STDIN` on the client (inside its transaction) with these lines (text or UTF-8). */
export async function copyLines(client: pg.PoolClient, table: string, columns: readonly string[], chunks: readonly (string | Buffer)[]): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}

/**
 * Collects COPY lines as UTF-8 buffers of about 256 KiB. Strings built by `+=` and template
 * literals are trees of small pieces until flattened; kept as strings, a million lines would hold
 * tens of millions of pieces (gigabytes). Encoding each chunk when full keeps 1 byte a character.
 */
export class CopyBuffer {
  private chunks: Buffer[] = [];
  private current = '';
  count = 0;

  add(line: string): void {
    this.current += line;
    this.count++;
    if (this.current.length > 1 << 18) {
      this.chunks.push(Buffer.from(this.current, 'utf8'));
      this.current = '';
    }
  }

  /** The collected text, emptying the buffer. */
  take(): Buffer[] {
    if (this.current) this.chunks.push(Buffer.from(this.current, 'utf8'));
    const out = this.chunks;
    this.chunks = [];
    this.current = '';
    this.count = 0;
    return out;
  }
}

/**
 * COPY without per-row foreign-key trigger calls where the role may set `session_replication_role`
 * (the embedded server's owner), as the measurement loader does; the caller must hold locks on
 * the referenced tables and verify the references set-based afterwards. Elsewhere the ordinary
 * triggers run. Returns true when the triggers were skipped.
 */
export async function copyLinesUnchecked(client: pg.PoolClient, table: string, columns: readonly string[], chunks: readonly (string | Buffer)[]): Promise<boolean> {
  if (chunks.length === 0) return false;
  let replica = false;
  await client.query('SAVEPOINT tumbuh_copy');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT tumbuh_copy');
    replica = true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT tumbuh_copy');
    await client.query('RELEASE SAVEPOINT tumbuh_copy');
  }
  await copyLines(client, table, columns, chunks);
  if (replica) await client.query('SET LOCAL session_replication_role = origin');
  return replica;
}

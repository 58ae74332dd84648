import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

const { types } = pg;
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Parsers for one pool: bigint and numeric as number, date as the 'yyyy-mm-dd' text itself. */
export const TYPE_PARSERS = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      // Ids stay below 2^53 (a national register holds ~10^9 rows); numerics are measurements.
      if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
      // A date is a calendar day; turning it into a JS Date would shift it by the time zone.
      if (oid === DATE) return (v: string) => v;
    }
    return types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A connection pool with Tumbuh's type parsers. */
export function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ max: 8, ...config, types: TYPE_PARSERS });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A Kysely instance that runs on one already-checked-out client (inside its open transaction),
 * for code that mixes raw COPY streams with typed queries. Destroying it leaves the client open.
 */
export function kyselyOnClient<DB>(client: pg.PoolClient): Kysely<DB> {
  const single = {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
    end: async () => undefined,
  };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }) });
}

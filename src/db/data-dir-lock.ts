import { closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../common/app-error.js';
import { DB_MESSAGES as M } from './messages.js';

/** Contents of `tumbuh.lock`: who holds the data directory. */
export interface LockOwner {
  pid: number;
  /** Kernel start time of the process (Linux /proc), so a recycled PID is not mistaken for the owner. */
  startTime: string | null;
  host: string;
  since: string;
}

export const LOCK_FILE = 'tumbuh.lock';

/** Start time of a process from /proc/PID/stat (field 22), or null where /proc is unavailable. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields resume after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

/** True when a process with this PID exists (EPERM means it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // a shared disk: never steal another machine's lock
  if (!pidAlive(owner.pid)) return false;
  if (owner.startTime === null) return true;
  const now = processStartTime(owner.pid);
  return now === null || now === owner.startTime;
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      startTime: typeof parsed.startTime === 'string' ? parsed.startTime : null,
      host: typeof parsed.host === 'string' ? parsed.host : hostname(),
      since: typeof parsed.since === 'string' ? parsed.since : '',
    };
  } catch {
    return null;
  }
}

/** The postmaster PID recorded in a PostgreSQL data directory, when that process is alive. */
export function livePostmaster(pgDir: string): number | null {
  const file = join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  if (!pidAlive(pid)) return null;
  // A recycled PID belonging to another program does not hold the cluster.
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmd.includes('postgres')) return null;
  } catch {
    /* no /proc: trust the PID */
  }
  return pid;
}

export interface DataDirLock {
  file: string;
  /** A previous Tumbuh that died left its lock (and maybe its PostgreSQL) behind. */
  recoveredFrom: LockOwner | null;
  release(): void;
}

/**
 * Takes the exclusive lock of a data directory for this process, or throws the bilingual
 * "database already in use by PID …" AppError. A lock left by a dead process is recovered.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    since: new Date().toISOString(),
  };
  let recoveredFrom: LockOwner | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      const check = readOwner(file);
      if (!check || check.pid !== me.pid) continue;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        const current = readOwner(file);
        if (current && current.pid === me.pid) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
        process.removeListener('exit', release);
      };
      process.on('exit', release);
      return { file, recoveredFrom, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && ownerAlive(owner) && owner.pid !== process.pid) {
      throw new AppError('db_in_use', M['db.inUse'], { dir: dataDir, pid: owner.pid, what: 'Tumbuh' }, { status: 409 });
    }
    // Stale (dead owner or unreadable half-written file): move it aside atomically, then retry.
    recoveredFrom = owner;
    try {
      renameSync(file, `${file}.stale-${process.pid}`);
      unlinkSync(`${file}.stale-${process.pid}`);
    } catch {
      /* another process recovered it first */
    }
  }
  throw new AppError('db_in_use', M['db.inUse'], { dir: dataDir, pid: readOwner(file)?.pid ?? '?', what: 'Tumbuh' }, { status: 409 });
}

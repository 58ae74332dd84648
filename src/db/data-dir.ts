import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** Where Tumbuh keeps its state: TUMBUH_DATA_DIR, or ./var below the working directory. */
export function resolveDataDir(env: Record<string, string | undefined>, cwd: string): string {
  const configured = env.TUMBUH_DATA_DIR?.trim();
  if (configured) return isAbsolute(configured) ? configured : resolve(cwd, configured);
  return join(cwd, 'var');
}

/** Creates the data directory (0755: the unprivileged postgres user must be able to traverse it). */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
}

/**
 * The secret stored in `file` (mode 0600), created with `bytes` random bytes (hex) when absent.
 * Creation uses O_EXCL so two processes racing on a fresh directory end with one secret.
 */
export function readOrCreateSecret(file: string, bytes = 32): string {
  if (!existsSync(file)) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(bytes).toString('hex') + '\n');
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  // A copy restored from elsewhere may come back world-readable; secrets stay 0600.
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

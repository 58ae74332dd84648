// Test helper: runs `tumbuh ARGS…` in-process and captures its output.
import { PassThrough } from 'node:stream';
import type pg from 'pg';
import { main } from '../cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI with its own stdout/stderr, environment and working directory. */
export async function runCli(args: string[], env: Record<string, string | undefined>, cwd: string = process.cwd()): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const code = await main(args, { stdout, stderr, env, cwd });
  return { code, out, err };
}

/** The postgres:// URL of a test database's connection settings (for DATABASE_URL). */
export function databaseUrlOf(config: pg.PoolConfig): string {
  if (config.connectionString) return config.connectionString;
  return `postgres://${encodeURIComponent(String(config.user))}:${encodeURIComponent(String(config.password))}@${config.host}:${config.port}/${config.database}`;
}

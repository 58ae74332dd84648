import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../db/connection.js';
import { listenOptionsFromEnv, serveUntil, untilSignal } from '../../server/serve.js';
import type { CliCommand, CliIO } from '../command.js';

/**
 * `tumbuh serve`: opens the database (migrating it) and serves the API and web app on PORT
 * (default 8080) of HOST (default 127.0.0.1) until SIGINT/SIGTERM, then shuts down cleanly.
 * `stop` and `onListening` are for tests, which cannot send themselves a signal.
 */
export async function runServe(
  io: CliIO,
  stop: Promise<unknown> = untilSignal(),
  onListening?: (app: FastifyInstance, url: string) => void,
): Promise<number> {
  const listen = listenOptionsFromEnv(io.env);
  const handle = await openDatabase({ env: io.env, cwd: io.cwd, handleSignals: false });
  try {
    await serveUntil(handle, io, listen, stop, onListening);
  } finally {
    await handle.close();
  }
  return 0;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  async run(_args, io) {
    return runServe(io);
  },
};

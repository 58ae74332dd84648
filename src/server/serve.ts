import type { FastifyInstance } from 'fastify';
import type { CliIO } from '../cli/command.js';
import { bilingualLine, defineMessages } from '../common/i18n.js';
import type { DatabaseHandle } from '../db/connection.js';
import { buildApp, createServerDeps } from './app.js';

const M = defineMessages({
  'serve.listening': { id: 'Tumbuh melayani di {url} (API: {url}/api/v1/docs). Hentikan dengan Ctrl+C.', en: 'Tumbuh is serving at {url} (API: {url}/api/v1/docs). Stop with Ctrl+C.' },
  'serve.stopping': { id: 'Menghentikan server…', en: 'Stopping the server…' },
  'serve.stopped': { id: 'Server berhenti.', en: 'The server stopped.' },
  'serve.badPort': { id: 'PORT tidak valid: {port}', en: 'Invalid PORT: {port}' },
});

export const SERVE_MESSAGES = M;

/** Where to listen: PORT (default 8080) and HOST (default 127.0.0.1: not reachable from the network). */
export interface ListenOptions {
  port: number;
  host: string;
}

/** The listen address from the environment. */
export function listenOptionsFromEnv(env: Record<string, string | undefined>): ListenOptions {
  const raw = env.PORT?.trim();
  const port = raw === undefined || raw === '' ? 8080 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(bilingualLine(M['serve.badPort'], { port: raw }));
  return { port, host: env.HOST?.trim() || '127.0.0.1' };
}

/** A promise that settles on the first SIGINT or SIGTERM (the listeners are removed afterwards). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.removeListener('SIGINT', on);
      process.removeListener('SIGTERM', on);
      resolve(s);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

/**
 * Serves the API (and the web app when built) over an open database until `stop` settles, then
 * closes cleanly: no new connections, running requests finish, then the caller closes the database.
 * `onListening` gets the app and its URL (tests and benchmarks use it).
 */
export async function serveUntil(
  handle: DatabaseHandle,
  io: CliIO,
  listen: ListenOptions,
  stop: Promise<unknown>,
  onListening?: (app: FastifyInstance, url: string) => void,
): Promise<void> {
  const deps = await createServerDeps(handle, io.env);
  const app = await buildApp(deps, { logger: { stream: io.stderr, level: io.env.LOG_LEVEL ?? 'info' } });
  await app.listen({ port: listen.port, host: listen.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const url = `http://${host}:${port}`;
  io.stdout.write(bilingualLine(M['serve.listening'], { url }) + '\n');
  onListening?.(app, url);
  await stop;
  io.stderr.write(bilingualLine(M['serve.stopping']) + '\n');
  await app.close();
  io.stderr.write(bilingualLine(M['serve.stopped']) + '\n');
}

import type { Bilingual } from '../common/i18n.js';

/** One `tumbuh` sub-command. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: Bilingual;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Where a command writes; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

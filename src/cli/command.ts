/**
 * One `tumbuh` sub-command. `run` returns the process exit code. Its name, usage line and summary
 * for the overview are listed in commands/index.ts, so the module loads only when it runs.
 */
export interface CliCommand {
  name: string;
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

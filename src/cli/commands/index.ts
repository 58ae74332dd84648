import type { CliCommand } from '../command.js';

/**
 * Every `tumbuh` sub-command, in the order the overview lists them. A feature adds its command
 * here; `help` and `start` are added by main.ts.
 */
export const commands: CliCommand[] = [];

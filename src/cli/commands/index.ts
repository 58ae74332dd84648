import type { CliCommand } from '../command.js';
import { zscoreCommand } from './zscore.command.js';
import { qualityCommand } from './quality.command.js';
import { prevalenceCommand } from './prevalence.command.js';
import { importCommand } from './import.command.js';
import { demoCommand } from './demo.command.js';
import { dbCommand } from './db.command.js';
import { alertsCommand } from './alerts.command.js';
import { priorityCommand } from './priority.command.js';
import { evaluationCommand } from './evaluation.command.js';
import { reportCommand } from './report.command.js';

/**
 * Every `tumbuh` sub-command, in the order the overview lists them. A feature adds its command
 * here (one import, one entry); `help` and `start` are handled by main.ts.
 */
export const commands: CliCommand[] = [zscoreCommand, qualityCommand, prevalenceCommand, importCommand, demoCommand, dbCommand, alertsCommand, priorityCommand, evaluationCommand, reportCommand];

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../common/app-error.js';
import { bilingualLine, defineMessages } from '../../common/i18n.js';
import { openDatabase } from '../../db/connection.js';
import { renderEvaluationReport } from '../../report/report.service.js';
import type { CliCommand } from '../command.js';
import { ParsedArgs, todayOf } from './evaluation-args.js';

const M = defineMessages({
  'reportcli.written': { id: 'Laporan ditulis ke {file} ({kb} kB, {seconds} detik)', en: 'Report written to {file} ({kb} kB, {seconds} s)' },
  'reportcli.unknownKind': { id: 'Jenis laporan tidak dikenal: {kind} (yang ada: evaluation).', en: 'Unknown report kind: {kind} (available: evaluation).' },
});

const HELP = `tumbuh report evaluation --round ID --format pdf|xlsx [--lang id|en] [--template tpps|semester] [-o BERKAS]

Laporan evaluasi kinerja TPPS dari satu putaran (angka beku bila putaran final): PDF atau XLSX.
--template semester: laporan semester bupati kepada gubernur. Hari acuan status: TUMBUH_TODAY.
The TPPS performance evaluation report of one round (frozen figures for a final round): PDF or XLSX.
--template semester: the bupati's semester report to the gubernur. Status day: TUMBUH_TODAY.`;

export const reportCommand: CliCommand = {
  name: 'report',
  async run(args, io) {
    try {
      const a = new ParsedArgs(args);
      if (a.flags.size > 0 || a.positional.length === 0) { io.stdout.write(`${HELP}\n`); return a.flags.size > 0 ? 0 : 2; }
      if (a.positional[0] !== 'evaluation') throw new AppError('usage', M['reportcli.unknownKind'], { kind: a.positional[0] });
      const round = a.int('--round', true) as number;
      const format = a.oneOf('--format', ['pdf', 'xlsx'] as const);
      const lang = a.oneOf('--lang', ['id', 'en'] as const, 'id');
      const template = a.oneOf('--template', ['tpps', 'semester'] as const, 'tpps');
      const h = await openDatabase({ env: io.env, cwd: io.cwd, handleSignals: false });
      try {
        const t0 = performance.now();
        const r = await renderEvaluationReport(h.db, round, { format, lang, template, today: todayOf(io.env) });
        const file = resolve(io.cwd, a.get('-o') ?? a.get('--out') ?? r.fileName);
        writeFileSync(file, r.bytes);
        io.stdout.write(`${bilingualLine(M['reportcli.written'], { file, kb: Math.round(r.bytes.length / 1024), seconds: ((performance.now() - t0) / 1000).toFixed(1) })}\n`);
        return 0;
      } finally {
        await h.close();
      }
    } catch (err) {
      if (err instanceof AppError) {
        io.stderr.write(`${err.messages.id} / ${err.messages.en}\n`);
        return err.code === 'usage' || err.code === 'bad_option' ? 2 : 1;
      }
      throw err;
    }
  },
};

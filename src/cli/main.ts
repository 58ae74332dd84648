import { bilingualLine, currentLang, defineMessages } from '../common/i18n.js';
import { AppError } from '../common/app-error.js';
import { processIO, type CliIO } from './command.js';
import { commands, type CommandEntry } from './commands/index.js';

const M = defineMessages({
  'cli.unknownCommand': {
    id: 'Perintah tidak dikenal: {name}. Jalankan `tumbuh help`.',
    en: 'Unknown command: {name}. Run `tumbuh help`.',
  },
  'cli.overview.title': {
    id: 'Tumbuh — sistem data TPPS untuk percepatan penurunan stunting',
    en: 'Tumbuh — the data system of a district stunting-reduction team (TPPS)',
  },
  'cli.overview.usage': { id: 'Pemakaian', en: 'Usage' },
  'cli.overview.commands': { id: 'Perintah', en: 'Commands' },
  'cli.overview.more': {
    id: 'Bantuan per perintah: tumbuh <perintah> --help. Bahasa: TUMBUH_LANG=id|en.',
    en: 'Help per command: tumbuh <command> --help. Language: TUMBUH_LANG=id|en.',
  },
});

function overview(io: CliIO): void {
  const lang = currentLang();
  const all = [...commands, helpEntry];
  const lines = [
    bilingualLine(M['cli.overview.title']),
    '',
    `${bilingualLine(M['cli.overview.usage'])}: tumbuh <${lang === 'id' ? 'perintah' : 'command'}> [opsi/options]`,
    '',
    `${bilingualLine(M['cli.overview.commands'])}:`,
    ...all.map((c) => `  tumbuh ${c.usage}\n      ${c.summary.id}\n      ${c.summary.en}`),
    '',
    bilingualLine(M['cli.overview.more']),
  ];
  io.stdout.write(lines.join('\n') + '\n');
}

const helpEntry: Pick<CommandEntry, 'usage' | 'summary'> = {
  usage: 'help',
  summary: { id: 'Menampilkan ringkasan perintah ini', en: 'Show this overview of commands' },
};

/** Runs `tumbuh ARGS…` and returns the exit code; AppErrors are printed in both languages. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    overview(io);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(bilingualLine(M['cli.unknownCommand'], { name }) + '\n');
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof AppError) {
      io.stderr.write(`${err.messages.id}\n${err.messages.en}\n`);
      return err.status >= 500 ? 1 : 2;
    }
    throw err;
  }
}

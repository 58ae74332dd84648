/** A small parser for the evaluation and report commands: `--name value` (repeatable), `--name=value`, positionals. */
import { AppError } from '../../common/app-error.js';
import { defineMessages } from '../../common/i18n.js';

const M = defineMessages({
  'evalcli.missingValue': { id: 'Opsi {name} memerlukan nilai.', en: 'Option {name} needs a value.' },
  'evalcli.missingOption': { id: 'Opsi {name} wajib diisi.', en: 'Option {name} is required.' },
  'evalcli.badValue': { id: 'Nilai {name} tidak dapat dipakai: {value}', en: 'Value of {name} cannot be used: {value}' },
});

export class ParsedArgs {
  readonly positional: string[] = [];
  private readonly options = new Map<string, string[]>();
  readonly flags = new Set<string>();

  constructor(args: string[], flagNames: readonly string[] = ['-h', '--help']) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (flagNames.includes(a)) { this.flags.add(a); continue; }
      if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
        const eq = a.indexOf('=');
        const name = eq > 0 ? a.slice(0, eq) : a;
        let value: string;
        if (eq > 0) value = a.slice(eq + 1);
        else {
          if (i + 1 >= args.length) throw new AppError('usage', M['evalcli.missingValue'], { name });
          value = args[++i];
        }
        this.options.set(name, [...(this.options.get(name) ?? []), value]);
      } else this.positional.push(a);
    }
  }

  get(name: string): string | undefined { return this.options.get(name)?.at(-1); }
  all(name: string): string[] { return (this.options.get(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean); }
  require(name: string): string {
    const v = this.get(name);
    if (v === undefined || v.trim() === '') throw new AppError('usage', M['evalcli.missingOption'], { name });
    return v;
  }
  int(name: string, required = false): number | undefined {
    const v = required ? this.require(name) : this.get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new AppError('bad_option', M['evalcli.badValue'], { name, value: v });
    return Number(v);
  }
  num(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = Number(v.replace(',', '.'));
    if (!Number.isFinite(n)) throw new AppError('bad_option', M['evalcli.badValue'], { name, value: v });
    return n;
  }
  date(name: string, required = false): string | undefined {
    const v = required ? this.require(name) : this.get(name);
    if (v === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new AppError('bad_option', M['evalcli.badValue'], { name, value: v });
    return v;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const v = this.get(name) ?? fallback;
    if (v === undefined) throw new AppError('usage', M['evalcli.missingOption'], { name });
    if (!allowed.includes(v as T)) throw new AppError('bad_option', M['evalcli.badValue'], { name, value: v });
    return v as T;
  }
}

/** The day statuses are judged on: TUMBUH_TODAY (yyyy-mm-dd, for reproducible runs) or today. */
export function todayOf(env: Record<string, string | undefined>): string {
  const v = env.TUMBUH_TODAY?.trim();
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : new Date().toISOString().slice(0, 10);
}

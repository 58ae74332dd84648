/** One command-line argument as an option scanner sees it. */
export interface OptionToken {
  /** The argument, with any `=value` of a `--name=value` removed. */
  arg: string;
  /** The option's value: the part after `=`, else the next argument (consumed); `missing()` when there is none. */
  value(): string;
}

/**
 * Walks the arguments of a command, accepting both `--name value` and `--name=value`. The caller
 * dispatches on `arg` and calls `value()` only for options that take one.
 */
export function* optionTokens(args: readonly string[], missing: () => Error): Generator<OptionToken> {
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    yield {
      arg,
      value: () => {
        if (inline !== undefined) return inline;
        if (i + 1 >= args.length) throw missing();
        return args[++i];
      },
    };
  }
}

import { describe, expect, it } from 'vitest';
import { optionTokens } from './options.js';

describe('optionTokens', () => {
  it('reads --name value and --name=value, and leaves positional arguments alone', () => {
    const seen: [string, string | null][] = [];
    for (const t of optionTokens(['in.csv', '--by', 'desa', '--format=json', '-o', 'out.csv'], () => new Error('missing'))) {
      seen.push([t.arg, t.arg.startsWith('-') ? t.value() : null]);
    }
    expect(seen).toEqual([
      ['in.csv', null],
      ['--by', 'desa'],
      ['--format', 'json'],
      ['-o', 'out.csv'],
    ]);
  });

  it('reports an option whose value is missing', () => {
    const run = () => {
      for (const t of optionTokens(['--by'], () => new Error('missing value'))) t.value();
    };
    expect(run).toThrow('missing value');
  });
});

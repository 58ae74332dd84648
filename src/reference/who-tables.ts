/**
 * The I/O side of the growth engine: reads the WHO tables from data/who/ (checking each file's
 * sha256 against data/who/SHA256SUMS) and the KBM table from data/kbm.json, once per process.
 * Paths are relative to the package root, found from this file's location, so it works from
 * src/ under vitest and from dist/src/ when compiled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { createGrowthEngine, parseWhoTables, WHO_TABLE_NAMES, type WhoTables } from '../growth/engine.js';
import { parseKbmTable, type KbmTable } from '../growth/weight-gain.js';
import type { GrowthEngine, WhoTableName } from '../growth/types.js';

const M = defineMessages({
  'whoTables.notFound': {
    id: 'Tabel WHO tidak ditemukan: {file}. Pasang ulang paket tumbuh.',
    en: 'WHO table not found: {file}. Reinstall the tumbuh package.',
  },
  'whoTables.checksum': {
    id: 'Checksum tabel WHO {file} tidak cocok (berkas rusak atau diubah).',
    en: 'Checksum of WHO table {file} does not match (file corrupt or changed).',
  },
  'whoTables.invalid': {
    id: 'Tabel WHO {file} tidak dapat dibaca: {reason}',
    en: 'WHO table {file} cannot be read: {reason}',
  },
  'kbm.invalid': {
    id: 'Tabel KBM {file} tidak valid: {reason}',
    en: 'KBM table {file} is invalid: {reason}',
  },
});

/** The package root: the nearest folder upwards holding data/who/SHA256SUMS. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'data', 'who', 'SHA256SUMS'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new AppError('who_tables_missing', M['whoTables.notFound'], { file: 'data/who/SHA256SUMS' }, { status: 500 });
    dir = up;
  }
}

/** The sha256 of each table as listed in data/who/SHA256SUMS (`sha256sum` format). */
export function readWhoChecksums(dir: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'SHA256SUMS'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m) sums.set(m[2], m[1]);
  }
  return sums;
}

/**
 * Reads and verifies the nine WHO tables from a folder (default data/who/); throws an AppError
 * (status 500) when a file is missing, altered or malformed.
 */
export function readWhoTables(dir = join(packageRoot(), 'data', 'who')): WhoTables {
  const sums = readWhoChecksums(dir);
  const texts = {} as Record<WhoTableName, string>;
  for (const name of WHO_TABLE_NAMES) {
    const file = `${name}.csv`;
    const path = join(dir, file);
    if (!existsSync(path)) throw new AppError('who_tables_missing', M['whoTables.notFound'], { file }, { status: 500 });
    const bytes = readFileSync(path);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (sums.get(file) !== digest) {
      throw new AppError('who_tables_checksum', M['whoTables.checksum'], { file }, { status: 500 });
    }
    texts[name] = bytes.toString('utf8');
  }
  try {
    return parseWhoTables(texts);
  } catch (err) {
    throw new AppError('who_tables_invalid', M['whoTables.invalid'], { file: dir, reason: (err as Error).message }, { status: 500, cause: err });
  }
}

let engine: GrowthEngine | undefined;

/**
 * The process-wide growth engine built from the verified tables in data/who/ (read on first
 * call, then memoised).
 * @see ALGORITHM.md, data/who/README.md
 */
export function loadGrowthEngine(): GrowthEngine {
  engine ??= createGrowthEngine(readWhoTables());
  return engine;
}

let kbm: KbmTable | undefined;

/**
 * The KBM (minimum monthly weight gain) table from data/kbm.json, validated with its zod schema
 * (or from `path`, for a district's own table); the default file is read once.
 * @see DOMAIN.md §5.3
 */
export function loadKbmTable(path?: string): KbmTable {
  if (path === undefined && kbm) return kbm;
  const file = path ?? join(packageRoot(), 'data', 'kbm.json');
  let table: KbmTable;
  try {
    table = parseKbmTable(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new AppError('kbm_invalid', M['kbm.invalid'], { file, reason: (err as Error).message }, { status: 500, cause: err });
  }
  if (path === undefined) kbm = table;
  return table;
}

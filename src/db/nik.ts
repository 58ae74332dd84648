import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../common/app-error.js';
import { readOrCreateSecret } from './data-dir.js';
import { DB_MESSAGES as M } from './messages.js';

export const NIK_KEY_FILE = 'nik.key';

/** Keyed hashing of NIK (Nomor Induk Kependudukan): the only form in which a NIK is stored. */
export interface NikHasher {
  /** HMAC-SHA256 of the normalised 16-digit NIK, or null when the text is not a valid NIK. */
  hash(nik: string | null | undefined): Buffer | null;
  /** A short public fingerprint of the key, stored in the database to detect a swapped key. */
  readonly fingerprint: string;
}

/**
 * The 16 digits of a NIK as typed or exported (spaces, dots, a leading apostrophe from Excel
 * removed), or null when it is not 16 digits or is a placeholder such as all zeros.
 */
export function normalizeNik(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const digits = String(text).replace(/^'/, '').replace(/[\s.-]/g, '');
  if (!/^[0-9]{16}$/.test(digits)) return null;
  if (/^(\d)\1{15}$/.test(digits)) return null;
  return digits;
}

/** The last four digits of a valid NIK, the only part ever shown; null for an invalid NIK. */
export function nikLast4(text: string | null | undefined): string | null {
  const nik = normalizeNik(text);
  return nik === null ? null : nik.slice(12);
}

/** A hasher for one installation key (hex or any string of at least 32 characters). */
export function createNikHasher(key: string): NikHasher {
  if (key.length < 32) throw new AppError('nik_key_too_short', M['db.nikKeyTooShort'], {}, { status: 500 });
  const fingerprint = createHmac('sha256', key).update('tumbuh-nik-key-fingerprint').digest('hex').slice(0, 16);
  return {
    fingerprint,
    hash(nik) {
      const normal = normalizeNik(nik);
      if (normal === null) return null;
      return createHmac('sha256', key).update(normal).digest();
    },
  };
}

/**
 * The installation's NIK hasher: TUMBUH_NIK_KEY when set (server mode), else the key file in the
 * data directory (mode 0600, created on first use).
 */
export function loadNikHasher(env: Record<string, string | undefined>, dataDir: string): NikHasher {
  const fromEnv = env.TUMBUH_NIK_KEY?.trim();
  return createNikHasher(fromEnv ? fromEnv : readOrCreateSecret(join(dataDir, NIK_KEY_FILE), 32));
}

/** True when two fingerprints are equal (constant time). */
export function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

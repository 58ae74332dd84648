import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { defineMessages, tBoth, type Bilingual } from '../common/i18n.js';
import { AppError } from '../common/app-error.js';
import { packageRoot } from '../reference/who-tables.js';
import { AUTH_CONFIG } from './auth-config.js';

export const PASSWORD_MESSAGES = defineMessages({
  'auth.password.tooShort': { id: 'Kata sandi minimal {min} karakter.', en: 'The password needs at least {min} characters.' },
  'auth.password.tooLong': { id: 'Kata sandi maksimal {max} karakter.', en: 'The password may have at most {max} characters.' },
  'auth.password.needsLettersDigits': {
    id: 'Kata sandi harus berisi huruf dan angka.',
    en: 'The password must contain letters and digits.',
  },
  'auth.password.containsUsername': {
    id: 'Kata sandi tidak boleh memuat nama pengguna.',
    en: 'The password must not contain the username.',
  },
  'auth.password.common': {
    id: 'Kata sandi ini terlalu umum dan mudah ditebak.',
    en: 'This password is too common and easy to guess.',
  },
  'auth.password.weak': {
    id: 'Kata sandi tidak memenuhi aturan: {problems}',
    en: 'The password does not meet the rules: {problems}',
  },
});
const M = PASSWORD_MESSAGES;

// Argon2id = 2 in @node-rs/argon2's const enum (not importable as a value under isolatedModules).
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, ...AUTH_CONFIG.argon2 };

/**
 * The argon2id hash (PHC string, random salt) of a password, with the OWASP cost of
 * {@link AUTH_CONFIG}.argon2.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's (re-hash it at the next login). */
export function hashNeedsUpgrade(passwordHash: string): boolean {
  const a = AUTH_CONFIG.argon2;
  return !passwordHash.startsWith('$argon2id$') || !passwordHash.includes(`$m=${a.memoryCost},t=${a.timeCost},p=${a.parallelism}$`);
}

let common: Set<string> | null = null;

/** The refused passwords of data/auth/common-passwords.txt (lower case), read once. */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const text = readFileSync(join(packageRoot(), 'data', 'auth', 'common-passwords.txt'), 'utf8');
    common = new Set(text.split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l !== '' && !l.startsWith('#')));
  }
  return common;
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  // "Sayang2024!", "123password": a listed word dressed with digits and symbols.
  const stem = lower.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  return stem.length >= 4 && list.has(stem);
}

/**
 * What is wrong with a new password (empty = acceptable): length 10–128, letters and digits, not
 * containing the username, not a common password or a common word dressed with digits.
 * @see data/auth/README.md
 */
export function passwordPolicyProblems(password: string, username: string): Bilingual[] {
  const problems: Bilingual[] = [];
  const length = [...password].length;
  if (length < AUTH_CONFIG.passwordMinLength) problems.push(tBoth(M['auth.password.tooShort'], { min: AUTH_CONFIG.passwordMinLength }));
  if (length > AUTH_CONFIG.passwordMaxLength) problems.push(tBoth(M['auth.password.tooLong'], { max: AUTH_CONFIG.passwordMaxLength }));
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) problems.push(tBoth(M['auth.password.needsLettersDigits']));
  const user = username.trim().toLowerCase();
  const lower = password.toLowerCase();
  const userParts = [user, ...user.split(/[._-]+/).filter((p) => p.length >= 4)];
  if (user !== '' && userParts.some((p) => lower.includes(p))) problems.push(tBoth(M['auth.password.containsUsername']));
  if (isCommon(password)) problems.push(tBoth(M['auth.password.common']));
  return problems;
}

/** Throws a 400 AppError `weak_password` (problems in `details`) unless the password meets the policy. */
export function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordPolicyProblems(password, username);
  if (problems.length === 0) return;
  throw new AppError('weak_password', M['auth.password.weak'], { problems: problems.map((p) => p.en).join(' ') }, {
    status: 400,
    details: { problems },
  });
}

// No 0/O, 1/l/I: generated passwords are read from a terminal and typed on a phone.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/**
 * A random password that meets the policy: 16 characters from a crypto RNG (≈ 93 bits), letters
 * of both cases and digits, in groups of four for reading aloud (`Kp7w-…`).
 */
export function generatePassword(): string {
  const all = LOWER + UPPER + DIGITS;
  for (;;) {
    const chars = Array.from({ length: 16 }, () => all[randomInt(all.length)]);
    const pw = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
    if (/[a-z]/.test(pw) && /[A-Z]/.test(pw) && /[0-9]/.test(pw) && passwordPolicyProblems(pw, '').length === 0) return pw;
  }
}

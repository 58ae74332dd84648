import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../common/app-error.js';
import { defineMessages } from '../common/i18n.js';
import { writeAudit } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import { assertRole, type AccessScope } from './access.js';
import { AUTH_CONFIG } from './auth-config.js';
import type { AuthDb } from './scope.repo.js';

export const TOTP_MESSAGES = defineMessages({
  'auth.totp.adminsOnly': {
    id: 'Faktor kedua (TOTP) hanya untuk akun admin yang sedang masuk.',
    en: 'The second factor (TOTP) is for the logged-in admin account only.',
  },
  'auth.totp.alreadyOn': { id: 'TOTP sudah aktif untuk akun ini. Nonaktifkan dahulu.', en: 'TOTP is already on for this account. Turn it off first.' },
  'auth.totp.notPending': { id: 'Belum ada pendaftaran TOTP yang menunggu konfirmasi.', en: 'No TOTP enrolment is waiting for confirmation.' },
  'auth.totp.badCode': { id: 'Kode autentikator salah.', en: 'The authenticator code is wrong.' },
});
const M = TOTP_MESSAGES;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding): how authenticator apps take a secret. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32 (case, spaces and padding ignored); throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error('invalid base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HOTP value (RFC 4226 §5.3) of a counter: dynamic truncation, `digits` decimal digits. */
export function hotp(secret: Buffer, counter: bigint | number, digits: number = AUTH_CONFIG.totpDigits, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step of a moment (Unix seconds / 30). */
export function totpStep(timeMs: number, stepSeconds: number = AUTH_CONFIG.totpStepSeconds): number {
  return Math.floor(timeMs / 1000 / stepSeconds);
}

/** The TOTP code (RFC 6238) at a moment. */
export function generateTotp(secret: Buffer, timeMs: number, options: { digits?: number; algorithm?: TotpAlgorithm } = {}): string {
  return hotp(secret, totpStep(timeMs), options.digits ?? AUTH_CONFIG.totpDigits, options.algorithm ?? 'sha1');
}

/**
 * The time step whose code equals `code` within ±`window` steps of `timeMs` (clock drift,
 * RFC 6238 §5.2), or null. Compared in constant time.
 */
export function verifyTotp(secret: Buffer, code: string, timeMs: number, window: number = AUTH_CONFIG.totpWindow): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const now = totpStep(timeMs);
  let match: number | null = null;
  for (let d = -window; d <= window; d++) {
    const candidate = Buffer.from(hotp(secret, now + d));
    if (timingSafeEqual(candidate, Buffer.from(code)) && match === null) match = now + d;
  }
  return match;
}

/** The otpauth:// URI authenticator apps read from a QR code (Key Uri Format). */
export function otpauthUri(username: string, secretBase32: string): string {
  const issuer = AUTH_CONFIG.totpIssuer;
  const label = encodeURIComponent(`${issuer}:${username}`);
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${AUTH_CONFIG.totpDigits}&period=${AUTH_CONFIG.totpStepSeconds}`;
}

const KEY_SETTING = 'totp_key';

/**
 * The key that encrypts TOTP secrets at rest, created on first use and kept in app_setting:
 * apart from app_user, so an export of the accounts table alone carries no usable secret.
 */
async function secretKey(db: AuthDb): Promise<Buffer> {
  await db.insertInto('app_setting').values({ key: KEY_SETTING, value: randomBytes(32).toString('hex') }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', KEY_SETTING).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'hex');
}

function seal(key: Buffer, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

function open(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

function assertSelfAdmin(scope: AccessScope): number {
  assertRole(scope, ['admin']);
  if (scope.role !== 'admin' || scope.userId === null) throw new AppError('forbidden', M['auth.totp.adminsOnly'], {}, { status: 403 });
  return scope.userId;
}

/**
 * Starts TOTP enrolment for the calling admin: a new 160-bit secret stored encrypted, returned
 * once as base32 and as an otpauth:// URI. It takes effect after {@link confirmTotp}.
 */
export async function enableTotp(db: Kysely<Database>, scope: AccessScope): Promise<{ secret: string; uri: string }> {
  const userId = assertSelfAdmin(scope);
  const user = await db.selectFrom('app_user').select(['username', 'totp_enabled']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (user.totp_enabled) throw new AppError('totp_already_enabled', M['auth.totp.alreadyOn'], {}, { status: 409 });
  const secret = randomBytes(20);
  const sealed = seal(await secretKey(db), secret);
  await db.updateTable('app_user').set({ totp_secret: sealed, totp_last_step: null, updated_at: new Date() }).where('id', '=', userId).execute();
  await writeAudit(db, { userId, requestId: scope.requestId }, { action: 'totp.enrol', entity: 'app_user', entityId: userId, kabupatenCode: null });
  const b32 = base32Encode(secret);
  return { secret: b32, uri: otpauthUri(user.username, b32) };
}

/** Confirms enrolment with a code from the app; from then on login asks for a code. */
export async function confirmTotp(db: Kysely<Database>, scope: AccessScope, code: string, now: Date = new Date()): Promise<void> {
  const userId = assertSelfAdmin(scope);
  const user = await db.selectFrom('app_user').select(['totp_secret', 'totp_enabled']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (user.totp_enabled) throw new AppError('totp_already_enabled', M['auth.totp.alreadyOn'], {}, { status: 409 });
  if (!user.totp_secret) throw new AppError('totp_not_pending', M['auth.totp.notPending'], {}, { status: 409 });
  const step = verifyTotp(open(await secretKey(db), user.totp_secret), code.replace(/\s+/g, ''), now.getTime());
  if (step === null) throw new AppError('totp_invalid', M['auth.totp.badCode'], {}, { status: 400 });
  await db.updateTable('app_user').set({ totp_enabled: true, totp_last_step: step, updated_at: now }).where('id', '=', userId).execute();
  await writeAudit(db, { userId, requestId: scope.requestId }, { action: 'totp.enable', entity: 'app_user', entityId: userId, kabupatenCode: null });
}

/** Turns TOTP off for an account (admin only: one's own, or another admin's who lost the phone). */
export async function disableTotp(db: Kysely<Database>, scope: AccessScope, userId: number): Promise<void> {
  assertRole(scope, ['admin']);
  await db.updateTable('app_user').set({ totp_enabled: false, totp_secret: null, totp_last_step: null, updated_at: new Date() }).where('id', '=', userId).execute();
  await writeAudit(db, { userId: scope.userId, requestId: scope.requestId }, { action: 'totp.disable', entity: 'app_user', entityId: userId, kabupatenCode: null });
}

/**
 * Checks a login's TOTP code for an account and consumes its time step, so the same code cannot be
 * used twice (RFC 6238 §5.2). False for a wrong, replayed or unreadable code.
 */
export async function checkTotpForLogin(db: Kysely<Database>, userId: number, code: string, now: Date): Promise<boolean> {
  const user = await db.selectFrom('app_user').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).executeTakeFirst();
  if (!user?.totp_secret) return false;
  let secret: Buffer;
  try {
    secret = open(await secretKey(db), user.totp_secret);
  } catch {
    return false;
  }
  const step = verifyTotp(secret, code, now.getTime());
  if (step === null) return false;
  const r = await db
    .updateTable('app_user')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

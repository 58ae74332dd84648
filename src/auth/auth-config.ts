/**
 * The security settings of accounts and sessions, in one place (docs/SECURITY.md cites them).
 * Values follow OWASP ASVS 4.0.3 level 2 and the OWASP Password Storage / Session Management
 * cheat sheets.
 */
export const AUTH_CONFIG = Object.freeze({
  /** Argon2id cost (OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1). */
  argon2: Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
  /** A session ends after this much inactivity (ASVS 3.3.2: 30 minutes idle). */
  sessionIdleMs: 30 * 60_000,
  /** A session ends this long after login, however active (ASVS 3.3.2: re-authenticate every 12 h). */
  sessionAbsoluteMs: 12 * 3_600_000,
  /** last_seen_at is written at most this often per session: one UPDATE a minute, not per request. */
  sessionTouchMs: 60_000,
  /** Wrong passwords in a row before the account is locked (stored in app_user). */
  lockoutThreshold: 5,
  /** How long a locked account stays locked. */
  lockoutMs: 15 * 60_000,
  /** Failed logins per client address per window before further attempts get 429 (per process). */
  ipFailureLimit: 20,
  ipWindowMs: 5 * 60_000,
  /** Password length: 10 as issue 8 asks (ASVS 2.1.1 asks 12: raise it here to meet it), at most 128 (ASVS 2.1.2). */
  passwordMinLength: 10,
  passwordMaxLength: 128,
  /** TOTP (RFC 6238): 30-second steps, 6 digits, ±1 step of clock drift. */
  totpStepSeconds: 30,
  totpDigits: 6,
  totpWindow: 1,
  /** The issuer shown by authenticator apps. */
  totpIssuer: 'Tumbuh',
});

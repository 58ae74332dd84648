import { describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { assertPasswordPolicy, commonPasswords, generatePassword, hashNeedsUpgrade, hashPassword, passwordPolicyProblems, verifyPassword } from './password.js';

const en = (pw: string, user = 'siti.rahma') => passwordPolicyProblems(pw, user).map((p) => p.en);

describe('password hashing (argon2id)', () => {
  it('hashes with argon2id at the OWASP cost and verifies only the right password', async () => {
    const h = await hashPassword('Kelor-2025-posyandu');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hashNeedsUpgrade(h)).toBe(false);
    expect(await verifyPassword(h, 'Kelor-2025-posyandu')).toBe(true);
    expect(await verifyPassword(h, 'kelor-2025-posyandu')).toBe(false);
    // A fresh salt every time.
    expect(await hashPassword('Kelor-2025-posyandu')).not.toBe(h);
  });

  it('treats a malformed or foreign hash as a mismatch, and flags old parameters for re-hashing', async () => {
    expect(await verifyPassword('not-a-hash-at-all-xxxxxxxx', 'whatever1')).toBe(false);
    expect(hashNeedsUpgrade('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(hashNeedsUpgrade('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });
});

describe('password policy', () => {
  it('accepts a long password with letters and digits', () => {
    expect(en('Kelor-2025-posyandu')).toEqual([]);
    expect(passwordPolicyProblems('jalan raya 17 agustus pagi', 'budi')).toEqual([]);
  });

  it('names each problem in Indonesian and English', () => {
    const p = passwordPolicyProblems('abc1', 'siti.rahma');
    expect(p.map((x) => x.id)).toContain('Kata sandi minimal 10 karakter.');
    expect(p.map((x) => x.en)).toContain('The password needs at least 10 characters.');
  });

  it('refuses short, letters-only, digits-only and over-long passwords', () => {
    expect(en('Ab3defgh9')).toContain('The password needs at least 10 characters.');
    expect(en('onlylettersherepls')).toContain('The password must contain letters and digits.');
    expect(en('20250817123456')).toContain('The password must contain letters and digits.');
    expect(en(`a1${'x'.repeat(127)}`)).toContain('The password may have at most 128 characters.');
  });

  it('refuses a password containing the username or a part of it', () => {
    expect(en('siti.rahma2025x')).toContain('The password must not contain the username.');
    expect(en('Rahma-posyandu-7')).toContain('The password must not contain the username.');
    expect(en('Rahma-posyandu-7', 'budi')).toEqual([]);
  });

  it('refuses listed common passwords and listed words dressed with digits and symbols', () => {
    expect(commonPasswords().has('bismillah')).toBe(true);
    expect(commonPasswords().size).toBeGreaterThan(1000);
    expect(en('password123')).toContain('This password is too common and easy to guess.');
    expect(en('Bismillah2024!')).toContain('This password is too common and easy to guess.');
    expect(en('2024sayangku')).toContain('This password is too common and easy to guess.');
    expect(en('Indonesia123')).toContain('This password is too common and easy to guess.');
  });

  it('assertPasswordPolicy throws a 400 weak_password carrying the problems', () => {
    try {
      assertPasswordPolicy('short1', 'budi');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.status).toBe(400);
      expect(err.code).toBe('weak_password');
      expect((err.details as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
    }
  });

  it('generates random passwords that meet the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
      expect(passwordPolicyProblems(pw, 'demo.kader')).toEqual([]);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});

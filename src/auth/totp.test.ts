import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotp, hotp, otpauthUri, totpStep, verifyTotp } from './totp.js';

// RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to the hash's key length.
const SEED1 = Buffer.from('12345678901234567890', 'ascii');
const SEED256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('reproduces the RFC 6238 test vectors at T=%i', (t, sha1, sha256, sha512) => {
    expect(generateTotp(SEED1, t * 1000, { digits: 8 })).toBe(sha1);
    expect(generateTotp(SEED256, t * 1000, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(generateTotp(SEED512, t * 1000, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });

  it('reproduces the RFC 4226 HOTP vectors (6 digits)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(SEED1, i))).toEqual(expected);
  });

  it('accepts the code of the current step and one step either side, nothing further', () => {
    const t = 1_700_000_000_000;
    const step = totpStep(t);
    expect(verifyTotp(SEED1, generateTotp(SEED1, t), t)).toBe(step);
    expect(verifyTotp(SEED1, generateTotp(SEED1, t - 30_000), t)).toBe(step - 1);
    expect(verifyTotp(SEED1, generateTotp(SEED1, t + 30_000), t)).toBe(step + 1);
    expect(verifyTotp(SEED1, generateTotp(SEED1, t - 60_000), t)).toBeNull();
    expect(verifyTotp(SEED1, generateTotp(SEED1, t + 90_000), t)).toBeNull();
    expect(verifyTotp(SEED1, '12345', t)).toBeNull();
    expect(verifyTotp(SEED1, 'abcdef', t)).toBeNull();
  });

  it('encodes base32 as RFC 4648 and round-trips', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(SEED1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('mzxw 6ytb oi==').toString()).toBe('foobar');
    expect(() => base32Decode('01')).toThrow();
  });

  it('builds the otpauth URI authenticator apps read', () => {
    expect(otpauthUri('admin.kobar', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Tumbuh%3Aadmin.kobar?secret=JBSWY3DPEHPK3PXP&issuer=Tumbuh&algorithm=SHA1&digits=6&period=30',
    );
  });
});

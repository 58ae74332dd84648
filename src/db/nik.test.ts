import { describe, expect, it } from 'vitest';
import { createNikHasher, nikLast4, normalizeNik } from './nik.js';

describe('NIK handling', () => {
  const a = createNikHasher('installation-a-0123456789abcdef0123456789abcdef');
  const b = createNikHasher('installation-b-0123456789abcdef0123456789abcdef');

  it('normalises what exports and Excel do to a NIK, and rejects non-NIKs', () => {
    expect(normalizeNik("'6201011501240001")).toBe('6201011501240001');
    expect(normalizeNik('6201 0115 0124 0001')).toBe('6201011501240001');
    expect(normalizeNik('6.20101150124E+15')).toBeNull();
    expect(normalizeNik('620101150124000')).toBeNull();
    expect(normalizeNik('0000000000000000')).toBeNull();
    expect(nikLast4('6201011501240001')).toBe('0001');
  });

  it('hashes with the installation key: same NIK matches, other keys and NIKs do not', () => {
    const h = a.hash('6201011501240001');
    expect(h?.length).toBe(32);
    expect(a.hash('6201 0115 0124 0001')?.equals(h as Buffer)).toBe(true);
    expect(b.hash('6201011501240001')?.equals(h as Buffer)).toBe(false);
    expect(a.hash('6201011501240002')?.equals(h as Buffer)).toBe(false);
    expect(a.hash('bukan nik')).toBeNull();
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(() => createNikHasher('short')).toThrow();
  });
});

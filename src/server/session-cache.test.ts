import { describe, expect, it } from 'vitest';
import type { LoadedSession } from '../auth/session.service.js';
import { SessionCache } from './session-cache.js';

const T0 = Date.parse('2025-06-01T08:00:00Z');

function session(overrides: Partial<LoadedSession> = {}): LoadedSession {
  return {
    sessionId: 'sid',
    csrfToken: 'csrf',
    user: { id: 7, username: 'kader.mawar', displayName: 'Kader', role: 'kader' },
    scope: { userId: 7, username: 'kader.mawar', role: 'kader', regionCodes: ['62.01.01.2001'], posyanduId: 3, puskesmasId: null, sector: null, requestId: null },
    expiresAt: new Date(T0 + 12 * 3_600_000),
    idleExpiresAt: new Date(T0 + 30 * 60_000),
    mustChangePassword: false,
    ...overrides,
  };
}

describe('SessionCache', () => {
  it('serves a stored session until its TTL passes', () => {
    const c = new SessionCache(5_000);
    c.set('a', session(), c.mark(), T0);
    expect(c.get('a', T0 + 4_999)?.user.username).toBe('kader.mawar');
    expect(c.get('a', T0 + 5_000)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('never serves a session past its idle or absolute end, whatever the TTL', () => {
    const c = new SessionCache(60_000);
    c.set('idle', session({ idleExpiresAt: new Date(T0 + 1_000) }), c.mark(), T0);
    c.set('absolute', session({ expiresAt: new Date(T0 + 2_000) }), c.mark(), T0);
    expect(c.get('idle', T0 + 999)).toBeDefined();
    expect(c.get('idle', T0 + 1_000)).toBeUndefined();
    expect(c.get('absolute', T0 + 1_999)).toBeDefined();
    expect(c.get('absolute', T0 + 2_000)).toBeUndefined();
  });

  it('forgets everything on clear, and does not store a load that overlapped a clear', () => {
    const c = new SessionCache(5_000);
    c.set('a', session(), c.mark(), T0);
    const before = c.mark();
    c.clear();
    expect(c.get('a', T0 + 1)).toBeUndefined();
    // A lookup that started before a logout finished must not bring the ended session back.
    c.set('b', session(), before, T0 + 1);
    expect(c.get('b', T0 + 2)).toBeUndefined();
    c.set('b', session(), c.mark(), T0 + 1);
    expect(c.get('b', T0 + 2)).toBeDefined();
  });

  it('stores nothing with a TTL of 0 and stays within its size bound', () => {
    const off = new SessionCache(0);
    off.set('a', session(), off.mark(), T0);
    expect(off.get('a', T0)).toBeUndefined();
    const small = new SessionCache(5_000, 3);
    for (let i = 0; i < 10; i++) small.set(`s${i}`, session(), small.mark(), T0);
    expect(small.size).toBeLessThanOrEqual(3);
    expect(small.get('s9', T0 + 1)).toBeDefined();
  });
});

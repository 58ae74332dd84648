/**
 * The dashboard answer cache of the service layer. An entry lives until its TTL passes or a write
 * changes the rollups of its kabupaten: every write path of this process bumps the kabupaten's
 * generation, which turns the entry stale at once; the short TTL bounds how long a write made by
 * another process (a CLI import, a second server) stays unseen.
 */

const generations = new Map<string, number>();
const entries = new Map<string, { kabupatenCode: string; generation: number; expires: number; value: Promise<unknown> }>();
const MAX_ENTRIES = 5_000;
let ttlMs = 10_000;

/** The current generation of a kabupaten's rollups in this process. */
export function dashboardGeneration(kabupatenCode: string): number {
  return generations.get(kabupatenCode) ?? 0;
}

/** Marks the cached dashboards of a kabupaten stale (call after a write that changes its rollups). */
export function bumpDashboardGeneration(kabupatenCode: string): void {
  generations.set(kabupatenCode, dashboardGeneration(kabupatenCode) + 1);
}

/** Sets the time-to-live of new entries (tests); returns the previous value. */
export function setDashboardCacheTtl(ms: number): number {
  const before = ttlMs;
  ttlMs = ms;
  return before;
}

/**
 * The cached value of `key` for a kabupaten, or `compute()` stored under the kabupaten's current
 * generation. Concurrent misses share one computation; a failed one is not kept.
 */
export function cachedDashboard<T>(kabupatenCode: string, key: string, compute: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const generation = dashboardGeneration(kabupatenCode);
  const hit = entries.get(key);
  if (hit && hit.generation === generation && hit.expires > now) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) {
    for (const [k, e] of entries) if (e.expires <= now || e.generation !== dashboardGeneration(e.kabupatenCode)) entries.delete(k);
    if (entries.size >= MAX_ENTRIES) entries.clear();
  }
  const value = compute();
  entries.set(key, { kabupatenCode, generation, expires: now + ttlMs, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

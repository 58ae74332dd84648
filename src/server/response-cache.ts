/**
 * A small in-process cache for expensive aggregate answers (district dashboards). Entries live for
 * a few seconds at most and the app clears the whole cache after every successful write, so a
 * kader's new measurement shows on the next dashboard read. Concurrent misses of one key share a
 * single computation instead of stampeding the database.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { expires: number; generation: number; value: Promise<unknown> }>();
  private generation = 0;

  constructor(private readonly maxEntries = 2_000) {}

  /** The cached value of `key`, or the value of `compute()` stored for `ttlMs`. */
  async get<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now && hit.generation === this.generation) return hit.value as Promise<T>;
    const generation = this.generation;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { expires: now + ttlMs, generation, value });
    // A failed computation must not be served from the cache.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets every entry (after a write); computations still running are not stored. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Number of live entries (for tests). */
  get size(): number {
    return this.entries.size;
  }
}

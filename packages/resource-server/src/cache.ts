/**
 * The verification result cache: a bounded LRU map with per-entry expiry,
 * keyed by a SHA-256 of the token (raw tokens are never kept as keys), plus
 * single-flight de-duplication of concurrent work for the same key.
 *
 * A hit costs one hash, one `Map.get`, and a delete + set to refresh recency.
 *
 * @module
 */
import { hash } from 'node:crypto';

/**
 * The cache key of a token: its SHA-256 digest as a 32-character latin1 ("binary")
 * string (the raw digest bytes; cheaper to produce than hex or base64url, and
 * never shown to anyone).
 */
export function tokenKey(token: string): string {
  return hash('sha256', token, 'binary');
}

interface Entry<V> {
  readonly value: V;
  /** Epoch milliseconds after which the entry is dead. */
  readonly expiresAt: number;
}

/**
 * A least-recently-used map of at most `max` entries, each with its own
 * absolute expiry time. Expired entries are dropped when read, or evicted
 * like any other when the bound is reached.
 */
export class LruTtlCache<V> {
  readonly #max: number;
  readonly #map = new Map<string, Entry<V>>();

  /**
   * @param max Upper bound on the number of entries (a positive integer).
   */
  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError('cache max must be a positive integer');
    this.#max = max;
  }

  /** Number of entries held, including not-yet-swept expired ones. */
  get size(): number {
    return this.#map.size;
  }

  /**
   * The live value under `key`, marking it most recently used; `undefined`
   * when absent or expired (an expired entry is removed).
   *
   * @param now Current time in epoch milliseconds.
   */
  get(key: string, now: number): V | undefined {
    const map = this.#map;
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    map.delete(key);
    if (entry.expiresAt <= now) return undefined;
    map.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` under `key` until `expiresAt` (epoch ms), evicting the least
   * recently used entry when the bound is exceeded. Values already dead at
   * `now` are not stored.
   */
  set(key: string, value: V, expiresAt: number, now: number): void {
    if (expiresAt <= now) return;
    const map = this.#map;
    map.delete(key);
    map.set(key, { value, expiresAt });
    if (map.size > this.#max) {
      const oldest = map.keys().next();
      if (oldest.done !== true) map.delete(oldest.value);
    }
  }

  /** Whether a (possibly expired) entry exists under `key`, without touching recency. */
  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Removes the entry under `key`. */
  delete(key: string): void {
    this.#map.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
  }
}

/**
 * Shares one in-flight promise among concurrent callers asking for the same
 * key; the key is forgotten as soon as the promise settles.
 */
export class SingleFlight<V> {
  readonly #inflight = new Map<string, Promise<V>>();

  /** Number of keys currently in flight. */
  get size(): number {
    return this.#inflight.size;
  }

  /**
   * Returns the in-flight promise for `key`, or starts `work()` and shares it.
   */
  run(key: string, work: () => Promise<V>): Promise<V> {
    const inflight = this.#inflight;
    const pending = inflight.get(key);
    if (pending !== undefined) return pending;
    const promise = work();
    inflight.set(key, promise);
    const forget = (): void => {
      if (inflight.get(key) === promise) inflight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }
}

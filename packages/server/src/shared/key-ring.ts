/**
 * One key ring for everything Propusk signs or seals with the cookie-signing keys: form tokens
 * (CSRF), the one-time-secret cookie, and any later per-purpose key. Each purpose gets its own keys,
 * derived as HMAC-SHA256(cookie key, purpose label), so a value made for one purpose never verifies
 * for another. The first key is the newest: values are always made with it and checked under every
 * key, so rotating the cookie keys does not break what browsers already hold. Checks are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Longest base64url MAC we try to decode. */
const MAX_MAC_LENGTH = 128;

export class KeyRing {
  readonly #keys: readonly Buffer[];

  private constructor(keys: readonly Buffer[]) {
    this.#keys = keys;
  }

  /** The keys of `purpose`, derived from the configured cookie-signing keys (newest first). */
  static derive(secrets: readonly string[], purpose: string): KeyRing {
    if (secrets.length === 0) throw new Error(`${purpose}: at least one key is needed`);
    return new KeyRing(secrets.map((k) => createHmac('sha256', k).update(purpose).digest()));
  }

  /** The newest key (32 bytes): what new values are made with, e.g. as an AES-256 key. */
  get current(): Buffer {
    return this.#keys[0]!;
  }

  /** Every key, newest first: what values are checked or opened with. */
  get all(): readonly Buffer[] {
    return this.#keys;
  }

  /** HMAC-SHA256 of `data` under the newest key, base64url. */
  mac(data: string): string {
    return createHmac('sha256', this.current).update(data).digest('base64url');
  }

  /** True when `presented` is the MAC of `data` under any key (constant-time, every key tried). */
  verify(data: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > MAX_MAC_LENGTH) return false;
    const given = Buffer.from(presented, 'base64url');
    // Only the MAC as issued: Buffer's decoder skips characters outside the alphabet and ignores
    // the unused low bits of the last character, so other strings can decode to the same bytes.
    if (given.toString('base64url') !== presented) return false;
    let ok = false;
    for (const key of this.#keys) {
      const expected = createHmac('sha256', key).update(data).digest();
      if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
    }
    return ok;
  }
}

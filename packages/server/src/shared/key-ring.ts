/**
 * One key ring for everything Propusk signs or seals with the cookie keys:
 *
 *   - `KeyRing.derive(secrets, purpose)`: keys of their own per purpose, HMAC-SHA256(cookie key,
 *     purpose label), so a value made for one purpose never verifies for another — form tokens
 *     (CSRF), the one-time-secret cookie (whose AES-256 key is the derived key);
 *   - `KeyRing.direct(secrets, 'sha1')`: the cookie keys themselves, for oidc-provider's signed
 *     cookies, whose signatures (HMAC-SHA1, base64url) are Koa's Keygrip's, so cookies set before an
 *     upgrade stay valid.
 *
 * The first key is the newest: values are made with it and checked under every key, so rotating
 * the cookie keys does not break what browsers hold. A presented MAC is compared as the exact
 * string issued (constant-time), so other spellings of the same bytes are refused. Keys are
 * KeyObjects made once: Node prepares a Buffer HMAC key about 5× slower, and signed cookies are
 * read on every page request.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Longest MAC we compare. */
const MAX_MAC_LENGTH = 128;

export class KeyRing {
  private constructor(
    readonly keys: readonly KeyObject[],
    private readonly algorithm: 'sha1' | 'sha256',
  ) {}

  /** Keys of `purpose`, derived from the configured cookie keys (newest first); HMAC-SHA256. */
  static derive(secrets: readonly string[], purpose: string): KeyRing {
    if (secrets.length === 0) throw new Error(`${purpose}: at least one key is needed`);
    return new KeyRing(
      secrets.map((k) => createSecretKey(createHmac('sha256', k).update(purpose).digest())),
      'sha256',
    );
  }

  /** The cookie keys themselves (newest first). */
  static direct(secrets: readonly string[], algorithm: 'sha1' | 'sha256', what: string): KeyRing {
    if (secrets.length === 0) throw new Error(`${what}: at least one key is needed`);
    return new KeyRing(
      secrets.map((k) => createSecretKey(Buffer.from(k, 'utf8'))),
      algorithm,
    );
  }

  /** The newest key: what new values are made with (for a derived ring, 32 bytes: an AES-256 key). */
  get current(): KeyObject {
    return this.keys[0]!;
  }

  /** The MAC of `data` under the newest key, base64url. */
  mac(data: string): string {
    return this.#mac(this.current, data);
  }

  /** Which key made `presented` for `data`: its position, or -1 when none did (or it is not a string). */
  index(data: string, presented: unknown): number {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > MAX_MAC_LENGTH) return -1;
    const given = Buffer.from(presented, 'utf8');
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.#mac(this.keys[i]!, data), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i;
    }
    return -1;
  }

  /** True when `presented` is the MAC of `data` under any key. */
  verify(data: string, presented: unknown): boolean {
    return this.index(data, presented) > -1;
  }

  #mac(key: KeyObject, data: string): string {
    return createHmac(this.algorithm, key).update(data).digest('base64url');
  }
}

/**
 * CSRF tokens of the interaction forms: HMAC-SHA256 of the interaction uid under a key derived from
 * the cookie-signing keys (shared by every instance). The uid is random and only reaches the browser
 * that holds the interaction cookie, so the token is per interaction and bound to it; checks are
 * constant-time and accept every configured key, so a cookie-key rotation does not break open forms.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const LABEL = 'propusk interaction csrf v1';

export class CsrfTokens {
  readonly #keys: Buffer[];

  constructor(cookieKeys: readonly string[]) {
    if (cookieKeys.length === 0) throw new Error('CSRF tokens need at least one key');
    this.#keys = cookieKeys.map((k) => createHmac('sha256', k).update(LABEL).digest());
  }

  #sign(key: Buffer, uid: string): Buffer {
    return createHmac('sha256', key).update(uid).digest();
  }

  /** The token for an interaction (always made with the newest key). */
  issue(uid: string): string {
    return this.#sign(this.#keys[0]!, uid).toString('base64url');
  }

  /** True when `presented` is the token of `uid` under any configured key. */
  verify(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 128) return false;
    const given = Buffer.from(presented, 'base64url');
    // Only the token as issued: Buffer's decoder skips characters outside the alphabet and ignores
    // the unused low bits of the last character, so other strings can decode to the same bytes.
    if (given.toString('base64url') !== presented) return false;
    let ok = false;
    for (const key of this.#keys) {
      const expected = this.#sign(key, uid);
      if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
    }
    return ok;
  }
}

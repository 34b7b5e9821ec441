/**
 * Signs and checks oidc-provider's cookies (`_session`, `_interaction`, `_interaction_resume` and
 * their `.sig` companions) with the cookie keys: what Koa's Keygrip does, with the same
 * signatures (HMAC-SHA1, base64url), so cookies set before an upgrade stay valid and key rotation
 * works as before (the first key signs, every key verifies).
 *
 * Keygrip compares through `tsscmp`, which draws a random Buffer key and HMACs both values once
 * more per comparison; Node 24 prepares a Buffer HMAC key ~5× slower than a KeyObject, so every
 * signed cookie read cost ~25 µs, about 7 % of the event loop's time in a sign-in flow (profile in
 * bench/README.md). Here the keys are KeyObjects made once and signatures are compared with
 * `crypto.timingSafeEqual` (their length is public: always 27 characters).
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export class CookieSigner {
  readonly #keys: KeyObject[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('cookie signing needs at least one key');
    this.#keys = keys.map((k) => createSecretKey(Buffer.from(k, 'utf8')));
  }

  /** The signature of `data` with the newest key. */
  sign(data: string): string {
    return hmac(this.#keys[0]!, data);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** Which key signed `data` with `digest`: its position, or -1 when none did. */
  index(data: string, digest: string): number {
    const given = Buffer.from(String(digest), 'utf8');
    for (let i = 0; i < this.#keys.length; i++) {
      const expected = Buffer.from(hmac(this.#keys[i]!, data), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i;
    }
    return -1;
  }
}

function hmac(key: KeyObject, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64url');
}

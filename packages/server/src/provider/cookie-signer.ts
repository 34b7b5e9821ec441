/**
 * Signs and checks oidc-provider's cookies (`_session`, `_interaction`, `_interaction_resume` and
 * their `.sig` companions) with the cookie keys, in the shape oidc-provider asks of `cookies.keys`
 * (Keygrip's `sign`, `verify`, `index`) and with Keygrip's signatures (HMAC-SHA1, base64url), over
 * the one key ring (shared/key-ring.ts).
 *
 * Keygrip compares through `tsscmp`, which draws a random Buffer key and HMACs both values once
 * more per comparison; Node 24 prepares a Buffer HMAC key ~5× slower than a KeyObject, so every
 * signed cookie read cost ~25 µs, about 7 % of the event loop's time in a sign-in flow (profile in
 * bench/journal.md).
 */
import { KeyRing } from '../shared/key-ring.ts';

export class CookieSigner {
  readonly #ring: KeyRing;

  constructor(keys: readonly string[]) {
    this.#ring = KeyRing.direct(keys, 'sha1', 'cookie signing');
  }

  /** The signature of `data` with the newest key. */
  sign(data: string): string {
    return this.#ring.mac(data);
  }

  verify(data: string, digest: string): boolean {
    return this.#ring.verify(data, String(digest));
  }

  /** Which key signed `data` with `digest`: its position, or -1 when none did. */
  index(data: string, digest: string): number {
    return this.#ring.index(data, String(digest));
  }
}

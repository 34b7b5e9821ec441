/**
 * Values sealed for the browser to carry (the one-time-secret cookie, the console's cookies):
 * JSON encrypted and authenticated with AES-256-GCM under a key derived from the cookie keys for
 * one purpose (key-ring.ts), so every instance can open it, a value sealed for one purpose never
 * opens for another, and rotating the cookie keys keeps what browsers hold readable. The sealed
 * form is `iv.tag.ciphertext`, each base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyRing } from './key-ring.ts';

export class SealedBox {
  readonly #ring: KeyRing;

  constructor(cookieKeys: readonly string[], purpose: string) {
    this.#ring = KeyRing.derive(cookieKeys, purpose);
  }

  /** `value` as JSON, sealed under the newest key. */
  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#ring.current, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** What `seal` sealed, under any key; undefined for anything else (or longer than `maxLength`). */
  open(sealed: string | undefined, maxLength: number): unknown {
    if (!sealed || sealed.length > maxLength) return undefined;
    const parts = sealed.split('.');
    if (parts.length !== 3) return undefined;
    const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    for (const key of this.#ring.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as unknown;
      } catch {
        // Another key, or not ours.
      }
    }
    return undefined;
  }
}

/**
 * A secret shown once on a GET page (post/redirect/get): "Issue key" and "invite another owner"
 * create the secret in their POST and answer 303 to a page that shows it. The secret travels to that
 * page in a cookie of its own, encrypted (AES-256-GCM under a key derived from the cookie-signing
 * keys, so every instance can read it), bound to the browser session and to the page it belongs to,
 * HttpOnly, SameSite=Strict, path `/integrations`, for at most 10 minutes. Reloading the page or
 * switching its language shows the same secret again and creates nothing; leaving for any other
 * portal page deletes the cookie, so the secret cannot be brought back (not even with Back).
 * Nothing is stored on the server: the database keeps only the secret's hash, as before.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { KeyRing } from '../../shared/key-ring.ts';
import { PORTAL_PATH } from './paths.ts';

export const SECRET_COOKIE = 'propusk.portal.secret';
/** How long the page may show the secret after it was created. */
export const SECRET_TTL_MS = 10 * 60_000;
const LABEL = 'propusk portal one-time secret v1';
const MAX_COOKIE_LENGTH = 2048;

export interface OneTimeSecret {
  /** The page that shows it (a portal path). */
  page: string;
  /** Id of the browser session it was created in. */
  sid: string;
  /** What the page shows (the api-key, or the invitation link), with its details. */
  values: Record<string, string | null>;
}

export class OneTimeSecrets {
  readonly #ring: KeyRing;

  constructor(cookieKeys: readonly string[]) {
    this.#ring = KeyRing.derive(cookieKeys, LABEL);
  }

  /** Puts `secret` in the cookie for its page. */
  keep(ctx: Context, secret: OneTimeSecret): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#ring.current, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify({ ...secret, exp: Date.now() + SECRET_TTL_MS }), 'utf8'), cipher.final()]);
    const value = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    this.#set(ctx, value, SECRET_TTL_MS);
  }

  /** The secret kept for `page` in session `sid`, while it is fresh; undefined otherwise. */
  read(ctx: Context, page: string, sid: string | undefined): OneTimeSecret['values'] | undefined {
    const value = ctx.cookies.get(SECRET_COOKIE, { signed: false });
    if (!value || value.length > MAX_COOKIE_LENGTH || !sid) return undefined;
    const parts = value.split('.');
    if (parts.length !== 3) return undefined;
    const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    for (const key of this.#ring.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        const data = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as OneTimeSecret & { exp: number };
        if (data.page !== page || data.sid !== sid || !(data.exp > Date.now())) return undefined;
        return data.values;
      } catch {
        // Another key, or not ours.
      }
    }
    return undefined;
  }

  /** Deletes the cookie (on any other portal page). */
  forget(ctx: Context): void {
    if (ctx.cookies.get(SECRET_COOKIE, { signed: false })) this.#set(ctx, '', 0);
  }

  #set(ctx: Context, value: string, maxAge: number): void {
    ctx.cookies.set(SECRET_COOKIE, value || null, { path: PORTAL_PATH, httpOnly: true, sameSite: 'strict', signed: false, overwrite: true, ...(value ? { maxAge } : {}) });
  }
}

/**
 * The form tokens (CSRF) of every page, one HMAC (shared/key-ring.ts) over a named binding:
 *
 *   - `interaction`: the sign-in and consent forms of the authorize flow, bound to the interaction
 *     uid (random, and only reaches the browser that holds the interaction cookie);
 *   - `session`: every form of a signed-in page (`/account`, the integrator portal), bound to the
 *     browser session id (web/shared/browser-session.ts), so a new token follows a new session id;
 *   - `console`: every form of the operator console, bound to the random id of the console's own
 *     sealed session cookie (web/console/session.ts), new at each sign-in;
 *   - `sign-in`: the forms shown before there is a session (the sign-in forms of `/account` and the
 *     portal, an invitation's sign-up), bound to a random value in a signed, HttpOnly,
 *     SameSite=Lax cookie of its own (double submit), so that no row is stored for a visitor who
 *     never signs in.
 *
 * A token of one binding never verifies for another. Checks are constant-time and accept every
 * configured cookie key, so a key rotation does not break open forms.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { KeyRing } from '../../shared/key-ring.ts';

export type FormBinding = 'interaction' | 'session' | 'console' | 'sign-in';

/** Cookie holding the `sign-in` binding's random value. */
export const SIGN_IN_COOKIE = 'propusk.csrf';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{22}$/;
const PURPOSE = 'propusk form token v2';

export class FormTokens {
  readonly #ring: KeyRing;

  constructor(cookieKeys: readonly string[]) {
    this.#ring = KeyRing.derive(cookieKeys, PURPOSE);
  }

  /** The token of a form bound to `value` (an interaction uid, a session id or a console session id). */
  issue(binding: Exclude<FormBinding, 'sign-in'>, value: string): string {
    return this.#ring.mac(`${binding}:${value}`);
  }

  /** True when `presented` is the token of `binding` and `value`. */
  verify(binding: Exclude<FormBinding, 'sign-in'>, value: string, presented: unknown): boolean {
    return value.length > 0 && this.#ring.verify(`${binding}:${value}`, presented);
  }

  /** The token of a form shown before sign-in; sets the binding cookie when the browser has none yet. */
  forSignIn(ctx: Context): string {
    let value = ctx.cookies.get(SIGN_IN_COOKIE, { signed: true });
    if (!value || !COOKIE_VALUE.test(value)) {
      value = randomBytes(16).toString('base64url');
      ctx.cookies.set(SIGN_IN_COOKIE, value, { httpOnly: true, sameSite: 'lax', signed: true, overwrite: true });
    }
    return this.#ring.mac(`sign-in:${value}`);
  }

  /** True when `presented` is the sign-in token of this browser's binding cookie. */
  verifySignIn(ctx: Context, presented: unknown): boolean {
    const value = ctx.cookies.get(SIGN_IN_COOKIE, { signed: true });
    return value !== undefined && COOKIE_VALUE.test(value) && this.#ring.verify(`sign-in:${value}`, presented);
  }
}

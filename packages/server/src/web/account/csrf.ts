/**
 * CSRF tokens of the account forms, checked in constant time (web/shared/csrf.ts does the HMAC):
 * when signed in, bound to the browser session (a new token after the session id rotates); on the
 * sign-in form, bound to a random value in a signed, HttpOnly, SameSite=Lax cookie of its own
 * (double submit), so that no session row is stored for a visitor who never signs in.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { CsrfTokens } from '../shared/csrf.ts';
import { ACCOUNT_PATH } from './deps.ts';

/** Cookie holding the sign-in form's CSRF binding (only sent to the account pages). */
export const SIGN_IN_CSRF_COOKIE = 'propusk.account.csrf';
const VALUE = /^[A-Za-z0-9_-]{22}$/;

export class AccountCsrf {
  constructor(private readonly tokens: CsrfTokens) {}

  forSession(sessionId: string): string {
    return this.tokens.issue(`account-session:${sessionId}`);
  }

  verifySession(sessionId: string, presented: unknown): boolean {
    return this.tokens.verify(`account-session:${sessionId}`, presented);
  }

  /** The sign-in form's token; sets its cookie when the browser has none yet. */
  forSignIn(ctx: Context): string {
    let value = ctx.cookies.get(SIGN_IN_CSRF_COOKIE, { signed: true });
    if (!value || !VALUE.test(value)) {
      value = randomBytes(16).toString('base64url');
      ctx.cookies.set(SIGN_IN_CSRF_COOKIE, value, { httpOnly: true, sameSite: 'lax', signed: true, path: ACCOUNT_PATH, overwrite: true });
    }
    return this.tokens.issue(`account-sign-in:${value}`);
  }

  verifySignIn(ctx: Context, presented: unknown): boolean {
    const value = ctx.cookies.get(SIGN_IN_CSRF_COOKIE, { signed: true });
    return value !== undefined && VALUE.test(value) && this.tokens.verify(`account-sign-in:${value}`, presented);
  }
}

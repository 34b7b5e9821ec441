/**
 * A secret shown once on a GET page (post/redirect/get): the integrator portal's "Issue key" and
 * "invite another owner", the console's new api-keys, invitation links, set-password links and
 * introspection secrets are created in a POST that answers 303 to a page that shows them. The
 * secret travels to that page in a cookie of its own, sealed (shared/sealed-box.ts, so every
 * instance can read it), bound to the browser's session and to the page it belongs to, HttpOnly,
 * SameSite=Strict, limited to its surface's path, for at most 10 minutes. Reloading the page or
 * switching its language shows the same secret again and creates nothing; leaving for any other
 * page of the surface deletes the cookie, so the secret cannot be brought back (not even with
 * Back). Nothing is stored on the server: the database keeps only the secret's hash, as before.
 */
import type { Context } from 'koa';
import { SealedBox } from '../../shared/sealed-box.ts';

/** How long the page may show the secret after it was created. */
export const SECRET_TTL_MS = 10 * 60_000;
const MAX_COOKIE_LENGTH = 2048;

/** Where a surface keeps its secrets: the cookie's name and path, and the sealing purpose. */
export interface SecretScope {
  cookie: string;
  path: string;
  purpose: string;
}

/** The account pages' scope (new recovery codes). */
export const ACCOUNT_SECRETS: SecretScope = { cookie: 'propusk.account.secret', path: '/account', purpose: 'propusk account one-time secret v1' };

/** The integrator portal's scope. */
export const PORTAL_SECRETS: SecretScope = { cookie: 'propusk.portal.secret', path: '/integrations', purpose: 'propusk portal one-time secret v1' };

export interface OneTimeSecret {
  /** The page that shows it (a path of the surface). */
  page: string;
  /** Id of the browser session it was created in. */
  sid: string;
  /** What the page shows (the api-key, or the invitation link), with its details. */
  values: Record<string, string | null>;
}

export class OneTimeSecrets {
  readonly #box: SealedBox;

  constructor(
    cookieKeys: readonly string[],
    readonly scope: SecretScope = PORTAL_SECRETS,
  ) {
    this.#box = new SealedBox(cookieKeys, scope.purpose);
  }

  /** Puts `secret` in the cookie for its page. */
  keep(ctx: Context, secret: OneTimeSecret): void {
    this.#set(ctx, this.#box.seal({ ...secret, exp: Date.now() + SECRET_TTL_MS }), SECRET_TTL_MS);
  }

  /** The secret kept for `page` in session `sid`, while it is fresh; undefined otherwise. */
  read(ctx: Context, page: string, sid: string | undefined): OneTimeSecret['values'] | undefined {
    if (!sid) return undefined;
    const data = this.#box.open(ctx.cookies.get(this.scope.cookie, { signed: false }), MAX_COOKIE_LENGTH) as (OneTimeSecret & { exp: number }) | undefined;
    if (!data || data.page !== page || data.sid !== sid || !(data.exp > Date.now())) return undefined;
    return data.values;
  }

  /** Deletes the cookie (on any other page of the surface). */
  forget(ctx: Context): void {
    if (ctx.cookies.get(this.scope.cookie, { signed: false })) this.#set(ctx, '', 0);
  }

  #set(ctx: Context, value: string, maxAge: number): void {
    ctx.cookies.set(this.scope.cookie, value || null, { path: this.scope.path, httpOnly: true, sameSite: 'strict', signed: false, overwrite: true, ...(value ? { maxAge } : {}) });
  }
}

/**
 * A password typed again before a sensitive change on the account pages (removing the last second
 * factor, new recovery codes): remembered for 5 minutes in `propusk.reauth`, a sealed HttpOnly
 * SameSite=Strict cookie bound to this browser session, path `/account`. A sign-in within the last
 * 5 minutes counts as well.
 */
import type { Context } from 'koa';
import { SealedBox } from '../../shared/sealed-box.ts';
import type { SignedIn } from '../shared/browser-session.ts';

/** How long a typed password allows a sensitive change. */
export const REAUTH_TTL_MS = 5 * 60_000;
const REAUTH_COOKIE = 'propusk.reauth';

export class RecentPasswords {
  readonly #box: SealedBox;

  constructor(cookieKeys: readonly string[]) {
    this.#box = new SealedBox(cookieKeys, 'propusk account re-authentication v1');
  }

  /** True when this session signed in, or its password was typed again, within the last 5 minutes. */
  recent(ctx: Context, signedIn: SignedIn): boolean {
    const loginTs = (signedIn.session as { loginTs?: number }).loginTs;
    if (typeof loginTs === 'number' && Date.now() - loginTs * 1000 < REAUTH_TTL_MS) return true;
    const data = this.#box.open(ctx.cookies.get(REAUTH_COOKIE, { signed: false }), 512) as { sid?: unknown; at?: unknown } | undefined;
    return data?.sid === signedIn.session.jti && typeof data.at === 'number' && Date.now() - data.at < REAUTH_TTL_MS;
  }

  remember(ctx: Context, signedIn: SignedIn): void {
    ctx.cookies.set(REAUTH_COOKIE, this.#box.seal({ sid: signedIn.session.jti, at: Date.now() }), { path: '/account', httpOnly: true, sameSite: 'strict', signed: false, overwrite: true, maxAge: REAUTH_TTL_MS });
  }
}


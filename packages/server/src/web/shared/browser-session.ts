/**
 * The one browser session of every page: the sign-in and consent pages, the device pages, `/account`
 * and the integrator portal all use oidc-provider's session (`provider.Session`: cookie `_session`,
 * signed, HttpOnly, SameSite=Lax, Secure when the issuer is https). Signing in anywhere signs the
 * browser in everywhere; signing out anywhere signs it out everywhere. Session rows carry the
 * account id, so every revocation of an account's sessions (sign out everywhere, a password change,
 * an operator's revoke-tokens or disable; accounts/revocation.ts) reaches every page at once, on
 * every instance: there is no other session to remember.
 */
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Session } from 'oidc-provider';
import type { Account, AccountRepository } from '../../accounts/types.ts';
import { isStoredSession } from '../../provider/seam/session.ts';
import { acrOf, amrOf, type SignInMethod } from '../../mfa/types.ts';

export interface SignedIn {
  session: Session;
  account: Account;
}

/** Cookie options of the provider's session cookie (provider/index.ts `cookies.long`). */
const SESSION_COOKIE = { httpOnly: true, sameSite: 'lax', signed: true, overwrite: true } as const;

export class BrowserSessions {
  constructor(
    private readonly provider: Provider,
    private readonly accounts: Pick<AccountRepository, 'findById'>,
    /** Lifetime of a session started on our pages, in seconds (the provider's `ttl.Session`). */
    private readonly ttlSeconds: number,
  ) {}

  /** The signed-in account of this browser, or undefined (no session, a revoked or expired one, a disabled account). */
  async signedIn(ctx: Context): Promise<SignedIn | undefined> {
    const session = await this.provider.Session.get(ctx);
    if (!session.accountId) return undefined;
    const account = await this.accounts.findById(session.accountId);
    if (!account || account.disabled) return undefined;
    return { session, account };
  }

  /**
   * Starts a new session for the account (never reusing the browser's previous session id) and sets
   * its cookie; `method` is how the person signed in (the session's `acr` and `amr`).
   */
  async start(ctx: Context, accountId: string, method: SignInMethod = { kind: 'password' }): Promise<Session> {
    const previous = await this.provider.Session.get(ctx);
    if (isStoredSession(previous)) await previous.destroy();
    const session = new this.provider.Session();
    session.loginAccount({ accountId, acr: acrOf(method), amr: amrOf(method) });
    await session.save(this.ttlSeconds);
    this.#setCookie(ctx, session);
    return session;
  }

  /** Gives the session a new id (the old row and cookie stop working), keeping its expiry. */
  async rotate(ctx: Context, session: Session): Promise<void> {
    session.resetIdentifier();
    await session.persist();
    this.#setCookie(ctx, session);
  }

  /** Ends this browser's session (the row, and the cookie). */
  async end(ctx: Context, session: Session): Promise<void> {
    await session.destroy();
    this.clearCookie(ctx);
  }

  /** Removes the session cookie (when the row is already gone: revoked with the account's others). */
  clearCookie(ctx: Context): void {
    ctx.cookies.set(this.provider.cookieName('session'), null, { ...SESSION_COOKIE });
  }

  #setCookie(ctx: Context, session: Session): void {
    ctx.cookies.set(this.provider.cookieName('session'), session.jti, { ...SESSION_COOKIE, expires: new Date(session.exp * 1000) });
  }
}

/**
 * The account pages share oidc-provider's browser session (`provider.Session`): signing in through
 * an application's authorize flow signs the user in here too, and signing in here starts the same
 * kind of session (cookie `_session`, signed, HttpOnly, SameSite=Lax, Secure behind https). Session
 * rows carry the account id, so "sign out everywhere" and a password change reach them with the
 * rest of the account's artefacts (accounts/revocation.ts).
 */
import type { Context } from 'koa';
import type { Session } from 'oidc-provider';
import type { Account } from '../../accounts/types.ts';
import type { AccountPortalDeps } from './deps.ts';
import { isStoredSession } from '../../provider/seam/session.ts';

export interface SignedIn {
  session: Session;
  account: Account;
}

/** Cookie options of the provider's session cookie (provider/index.ts `cookies.long`). */
const SESSION_COOKIE = { httpOnly: true, sameSite: 'lax', signed: true, overwrite: true } as const;

/** The signed-in account of this browser, or undefined (no session, a revoked or expired one, a disabled account). */
export async function signedInAccount(ctx: Context, deps: AccountPortalDeps): Promise<SignedIn | undefined> {
  const session = await deps.provider.Session.get(ctx);
  if (!session.accountId) return undefined;
  const account = await deps.accountRepository.findById(session.accountId);
  if (!account || account.disabled) return undefined;
  return { session, account };
}

function setSessionCookie(ctx: Context, deps: AccountPortalDeps, session: Session): void {
  ctx.cookies.set(deps.provider.cookieName('session'), session.jti, { ...SESSION_COOKIE, expires: new Date(session.exp * 1000) });
}

/** Starts a new session for the account (never reusing the browser's previous session id) and sets its cookie. */
export async function startSession(ctx: Context, deps: AccountPortalDeps, accountId: string): Promise<Session> {
  const previous = await deps.provider.Session.get(ctx);
  if (isStoredSession(previous)) await previous.destroy();
  const session = new deps.provider.Session();
  session.loginAccount({ accountId, amr: ['pwd'] });
  await session.save(deps.sessionTtlSeconds);
  setSessionCookie(ctx, deps, session);
  return session;
}

/** Gives the session a new id (the old row and cookie stop working), keeping its expiry. */
export async function rotateSession(ctx: Context, deps: AccountPortalDeps, session: Session): Promise<void> {
  session.resetIdentifier();
  await session.persist();
  setSessionCookie(ctx, deps, session);
}

/** Removes the session cookie (the row is removed by the caller, or already revoked). */
export function clearSessionCookie(ctx: Context, deps: AccountPortalDeps): void {
  ctx.cookies.set(deps.provider.cookieName('session'), null, { ...SESSION_COOKIE });
}

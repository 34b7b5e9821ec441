/**
 * The portal's own session: a signed cookie (HMAC-SHA256 under a key derived from the cookie-signing
 * keys, so every instance accepts it) holding a random session id, the signed-in account and an
 * expiry. HttpOnly, SameSite=Lax, path `/integrations`, Secure when the issuer is https. An
 * anonymous session (no account) exists only to bind the CSRF token of the sign-in forms; signing
 * in always starts a new session id (no fixation). A signed-in session is also recorded with the
 * account's other sessions (PortalSessionStore): every request checks the record, so signing out,
 * and everything that revokes the account's sessions (password change, sign out everywhere, an
 * operator's revoke-tokens or disable), ends it at once, on every instance.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { PORTAL_PATH } from './paths.ts';
import type { PortalSessionStore } from '../../integrations/types.ts';

export const PORTAL_COOKIE = 'propusk.portal';
/** Lifetime of a signed-in portal session: 8 hours from sign-in. */
export const SIGNED_IN_TTL_MS = 8 * 3600_000;
/** Lifetime of an anonymous session (the CSRF binding of the sign-in forms): 1 hour. */
export const ANONYMOUS_TTL_MS = 3600_000;
/** Longest cookie value we try to verify. */
const MAX_COOKIE_LENGTH = 1024;
const LABEL = 'propusk integrator portal session v1';

export interface PortalSession {
  /** Random id; the CSRF token is derived from it. */
  sid: string;
  /** Account id when signed in. */
  accountId?: string | undefined;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

export class PortalSessions {
  readonly #keys: Buffer[];

  constructor(
    cookieKeys: readonly string[],
    private readonly store: PortalSessionStore,
  ) {
    if (cookieKeys.length === 0) throw new Error('portal sessions need at least one key');
    this.#keys = cookieKeys.map((k) => createHmac('sha256', k).update(LABEL).digest());
  }

  #mac(key: Buffer, payload: string): Buffer {
    return createHmac('sha256', key).update(payload).digest();
  }

  encode(session: PortalSession): string {
    const payload = Buffer.from(JSON.stringify({ s: session.sid, a: session.accountId, e: session.expiresAt })).toString('base64url');
    return `${payload}.${this.#mac(this.#keys[0]!, payload).toString('base64url')}`;
  }

  /** The session in a cookie value when its signature is valid under any key and it has not expired. */
  decode(value: string | undefined, now = Date.now()): PortalSession | undefined {
    if (!value || value.length > MAX_COOKIE_LENGTH) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    const given = Buffer.from(signature, 'base64url');
    // Only the signature as issued (Buffer's decoder also takes other spellings of the same bytes).
    if (given.toString('base64url') !== signature) return undefined;
    let valid = false;
    for (const key of this.#keys) {
      const expected = this.#mac(key, payload);
      if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
    }
    if (!valid) return undefined;
    let data: { s?: unknown; a?: unknown; e?: unknown };
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof data;
    } catch {
      return undefined;
    }
    if (typeof data.s !== 'string' || typeof data.e !== 'number' || data.e <= now) return undefined;
    if (data.a !== undefined && typeof data.a !== 'string') return undefined;
    return { sid: data.s, accountId: data.a, expiresAt: data.e };
  }

  /** The request's session; a signed-in one only while it is still recorded (not signed out or revoked). */
  async read(ctx: Context): Promise<PortalSession | undefined> {
    const session = this.decode(ctx.cookies.get(PORTAL_COOKIE, { signed: false }));
    if (session?.accountId && !(await this.store.isLive(session.sid, session.accountId))) return undefined;
    return session;
  }

  /** Starts an anonymous session (new id) and sets the cookie. */
  startAnonymous(ctx: Context): PortalSession {
    const session: PortalSession = { sid: randomBytes(16).toString('base64url'), expiresAt: Date.now() + ANONYMOUS_TTL_MS };
    this.#set(ctx, this.encode(session), ANONYMOUS_TTL_MS);
    return session;
  }

  /** Starts a signed-in session (new id) as `accountId`, records it and sets the cookie. */
  async start(ctx: Context, accountId: string): Promise<PortalSession> {
    const session: PortalSession = { sid: randomBytes(16).toString('base64url'), accountId, expiresAt: Date.now() + SIGNED_IN_TTL_MS };
    await this.store.create(session.sid, accountId, session.expiresAt);
    this.#set(ctx, this.encode(session), SIGNED_IN_TTL_MS);
    return session;
  }

  /** Ends the request's session (when it has one) and clears the cookie. */
  async end(ctx: Context, session: PortalSession | undefined): Promise<void> {
    if (session?.accountId) await this.store.end(session.sid);
    this.#set(ctx, '', 0);
  }

  /** `Secure` follows the issuer's scheme, as for every cookie (http/issuer-origin.ts). */
  #set(ctx: Context, value: string, maxAge: number): void {
    ctx.cookies.set(PORTAL_COOKIE, value || null, {
      path: PORTAL_PATH,
      httpOnly: true,
      sameSite: 'lax',
      signed: false,
      overwrite: true,
      ...(value ? { maxAge } : {}),
    });
  }
}

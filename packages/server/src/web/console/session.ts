/**
 * The console's two cookies, both sealed (shared/sealed-box.ts: AES-256-GCM under a key derived
 * from the cookie keys, one purpose each), HttpOnly, SameSite=Lax, path `/console`, Secure behind
 * https (the issuer's scheme, http/issuer-origin.ts):
 *
 *   - `propusk.console.signin`: the state, nonce and PKCE code_verifier of a sign-in on its way
 *     through the authorization endpoint, and the console page to return to; 10 minutes;
 *   - `propusk.console`: after the callback, the operator's `propusk.admin` access token, its
 *     expiry, the ID token (the hint of RP-initiated logout) and a random id that the console's
 *     form tokens are bound to. It lives as long as the browser session; the token inside expires
 *     on its own (15 minutes), and a new sign-in replaces it.
 *
 * The token never appears in a URL or a page, and nothing of it is stored on the server.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { SealedBox } from '../../shared/sealed-box.ts';
import { CONSOLE_PATH } from './paths.ts';

export const SESSION_COOKIE = 'propusk.console';
export const SIGN_IN_COOKIE = 'propusk.console.signin';
/** How long a sign-in may take between the redirect to the authorization endpoint and the callback. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
const MAX_COOKIE_LENGTH = 3800;

export interface ConsoleSession {
  /** Random id of this console session (form tokens are bound to it). */
  sid: string;
  /** The `propusk.admin` access token. */
  token: string;
  /** When the token expires (ms since the epoch). */
  exp: number;
  /** The ID token of the sign-in, for RP-initiated logout. */
  idToken?: string | undefined;
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** The console page to return to. */
  next: string;
  exp: number;
}

const COOKIE = { path: CONSOLE_PATH, httpOnly: true, sameSite: 'lax', signed: false, overwrite: true } as const;

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export class ConsoleCookies {
  readonly #session: SealedBox;
  readonly #signIn: SealedBox;

  constructor(cookieKeys: readonly string[]) {
    this.#session = new SealedBox(cookieKeys, 'propusk console session v1');
    this.#signIn = new SealedBox(cookieKeys, 'propusk console sign-in v1');
  }

  /** The console session of this browser, or undefined. */
  session(ctx: Context): ConsoleSession | undefined {
    const data = this.#session.open(ctx.cookies.get(SESSION_COOKIE, { signed: false }), MAX_COOKIE_LENGTH) as Partial<ConsoleSession> | undefined;
    if (!data || !isString(data.sid) || !isString(data.token) || typeof data.exp !== 'number') return undefined;
    return { sid: data.sid, token: data.token, exp: data.exp, idToken: isString(data.idToken) ? data.idToken : undefined };
  }

  /** Starts a console session with a new id for `token`. */
  start(ctx: Context, token: { token: string; exp: number; idToken?: string | undefined }): ConsoleSession {
    const session: ConsoleSession = { sid: randomBytes(16).toString('base64url'), ...token };
    let sealed = this.#session.seal(session);
    // An unusually large ID token is left out rather than losing the cookie (logout then asks without a hint).
    if (sealed.length > MAX_COOKIE_LENGTH) sealed = this.#session.seal({ ...session, idToken: undefined });
    ctx.cookies.set(SESSION_COOKIE, sealed, COOKIE);
    return session;
  }

  end(ctx: Context): void {
    ctx.cookies.set(SESSION_COOKIE, null, COOKIE);
  }

  /** The sign-in this browser started, while it is fresh. */
  pending(ctx: Context): PendingSignIn | undefined {
    const data = this.#signIn.open(ctx.cookies.get(SIGN_IN_COOKIE, { signed: false }), MAX_COOKIE_LENGTH) as Partial<PendingSignIn> | undefined;
    if (!data || !isString(data.state) || !isString(data.nonce) || !isString(data.verifier) || !isString(data.next) || !(typeof data.exp === 'number' && data.exp > Date.now())) return undefined;
    return data as PendingSignIn;
  }

  startSignIn(ctx: Context, pending: Omit<PendingSignIn, 'exp'>): void {
    ctx.cookies.set(SIGN_IN_COOKIE, this.#signIn.seal({ ...pending, exp: Date.now() + SIGN_IN_TTL_MS }), { ...COOKIE, maxAge: SIGN_IN_TTL_MS });
  }

  endSignIn(ctx: Context): void {
    if (ctx.cookies.get(SIGN_IN_COOKIE, { signed: false })) ctx.cookies.set(SIGN_IN_COOKIE, null, COOKIE);
  }
}

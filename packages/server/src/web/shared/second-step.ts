/**
 * What the sign-in forms (the authorize flow's, `/account`'s and the portal's) share for the
 * second factor:
 *
 *  - `PendingSignIns`: after a correct password, the account waits for its second factor in a
 *    cookie of its own (`propusk.2fa`), sealed (shared/sealed-box.ts), HttpOnly, SameSite=Lax, for
 *    at most 10 minutes, bound to the form it belongs to (an interaction uid, `account` or
 *    `portal`). The second-step page is a GET (post/redirect/get), so a reload or the back button
 *    shows it again instead of posting the password twice. Nothing is stored on the server.
 *  - `WebAuthnCeremonies`: the challenge of a passkey ceremony travels sealed in the page's form
 *    with its purpose, binding and expiry; when the answer comes back, the challenge is recorded
 *    once (the replay table of the trusted grant's JWT ids), so an answer cannot be posted twice.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { SealedBox } from '../../shared/sealed-box.ts';
import type { TrustedJtiRepository } from '../../grants/trusted/jti-repository.ts';
import type { PasskeyCeremony } from '../../views/index.ts';
import type { SignInMethod } from '../../mfa/types.ts';

export const PENDING_COOKIE = 'propusk.2fa';
/** How long the second step may take after the password. */
export const PENDING_TTL_MS = 10 * 60_000;
const MAX_COOKIE_LENGTH = 2048;

export interface PendingSignIn {
  accountId: string;
  /** Which form: `interaction:<uid>`, `account` or `portal`. */
  binding: string;
  /** When the password was checked (ms). */
  at: number;
  /** Set once a factor was just enrolled: how the sign-in is finished after the recovery codes are shown. */
  method?: SignInMethod | undefined;
  /** The first recovery codes, shown on the next page until the person continues. */
  codes?: string[] | undefined;
}

export class PendingSignIns {
  readonly #box: SealedBox;

  constructor(cookieKeys: readonly string[]) {
    this.#box = new SealedBox(cookieKeys, 'propusk pending second step v1');
  }

  start(ctx: Context, accountId: string, binding: string, enrolled?: { method: SignInMethod; codes?: string[] | undefined; at: number }): void {
    const at = enrolled?.at ?? Date.now();
    ctx.cookies.set(PENDING_COOKIE, this.#box.seal({ a: accountId, b: binding, at, exp: at + PENDING_TTL_MS, m: enrolled?.method, c: enrolled?.codes }), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      signed: false,
      overwrite: true,
      maxAge: PENDING_TTL_MS,
    });
  }

  /** The account waiting for its second factor on this form, while fresh. */
  read(ctx: Context, binding: string): PendingSignIn | undefined {
    const data = this.#box.open(ctx.cookies.get(PENDING_COOKIE, { signed: false }), MAX_COOKIE_LENGTH) as { a?: unknown; b?: unknown; at?: unknown; exp?: unknown; m?: SignInMethod; c?: string[] } | undefined;
    if (!data || typeof data.a !== 'string' || data.b !== binding || typeof data.at !== 'number' || !(typeof data.exp === 'number' && data.exp > Date.now())) return undefined;
    return { accountId: data.a, binding, at: data.at, method: data.m, codes: data.c };
  }

  clear(ctx: Context): void {
    if (ctx.cookies.get(PENDING_COOKIE, { signed: false })) ctx.cookies.set(PENDING_COOKIE, null, { path: '/', httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  }
}

/** What a passkey ceremony is for. */
export type CeremonyPurpose = 'register' | 'second-factor' | 'passwordless';

/** How long a page's passkey ceremony may take. */
export const CEREMONY_TTL_MS = 10 * 60_000;
const MAX_STATE_LENGTH = 1024;
/** The replay table's issuer column for used challenges. */
const USED_CHALLENGES = 'urn:propusk:webauthn';

export class WebAuthnCeremonies {
  readonly #box: SealedBox;

  constructor(
    cookieKeys: readonly string[],
    private readonly used: TrustedJtiRepository,
  ) {
    this.#box = new SealedBox(cookieKeys, 'propusk webauthn ceremony v1');
  }

  /** A form's ceremony: its options, and the state sealing their challenge for `purpose` and `binding`. */
  begin(action: string, options: { challenge: string }, purpose: CeremonyPurpose, binding: string): PasskeyCeremony {
    return { action, options, state: this.#box.seal({ c: options.challenge, p: purpose, b: binding, n: randomBytes(6).toString('base64url'), exp: Date.now() + CEREMONY_TTL_MS }) };
  }

  /** The challenge of a posted state, used up; undefined when it is not ours, expired, for something else, or used before. */
  async finish(state: string | null, purpose: CeremonyPurpose, binding: string): Promise<string | undefined> {
    const data = this.#box.open(state ?? undefined, MAX_STATE_LENGTH) as { c?: unknown; p?: unknown; b?: unknown; exp?: unknown } | undefined;
    if (!data || typeof data.c !== 'string' || data.p !== purpose || data.b !== binding || typeof data.exp !== 'number' || data.exp <= Date.now()) return undefined;
    return (await this.used.recordOnce(USED_CHALLENGES, data.c, new Date(data.exp))) ? data.c : undefined;
  }
}

/** The browser's WebAuthn answer posted in `credential` (JSON); undefined when it is not a JSON object. */
export function postedCredential<T>(form: URLSearchParams): T | undefined {
  const raw = form.get('credential');
  if (!raw || raw.length > 16_384) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A QR code of `text` as a data URI for an `<img>` (qrcode is loaded on first use). */
export async function qrDataUri(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

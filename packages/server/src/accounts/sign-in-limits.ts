/**
 * Brute-force limits of every password check (the sign-in pages, the account pages, the integrator
 * portal, a password change). Attempts are counted per login — normalised and hashed, whether or not an
 * account has it, so a lock tells nothing about existence — and per client IP address:
 *
 *   const attempt = await context.limits.signIn.check(login, ctx.ip); // before verifying the password
 *   if (!attempt.allowed) → "locked" page (429, Retry-After: attempt.retryAfterSeconds)
 *   account ? await attempt.succeed()                  // resets the login's counter
 *           : await attempt.fail();                    // progressive delay; `lockedNow` → audit
 *
 * An attempt is counted up front (in `check`), so parallel guesses cannot slip past the limit
 * while passwords are being verified; `succeed` takes it back.
 */
import { createHash } from 'node:crypto';
import { normalizePhone } from '../linking/phone.ts';

/**
 * An attempt counter per key over a window, as the limit store provides it (in memory, Redis or
 * PostgreSQL; http/limits.ts): counts are atomic, so parallel attempts each see their own number.
 */
export interface AttemptCounter {
  /** Counts one attempt; `attempts` is the number within the window, this one included. */
  count(key: string): Promise<{ attempts: number; retryAfterSeconds: number }>;
  /** Blocks the key for `lockSeconds`. */
  lock(key: string, lockSeconds: number): Promise<void>;
  /** Takes one attempt back. */
  forgive(key: string): Promise<void>;
  /** Forgets the key's attempts. */
  reset(key: string): Promise<void>;
  /** Seconds the key stays blocked; 0 when it is not. */
  blockedFor(key: string): Promise<number>;
}

export interface SignInLimitSettings {
  /** Failures per login before it is locked. */
  perAccount: number;
  /** Lock duration and counting window of a login, in seconds. */
  lockSeconds: number;
  /** Failures per client IP address per `ipWindowSeconds`. */
  perIp: number;
  ipWindowSeconds: number;
  /** The n-th failure in a row is answered after (n − 1) × delayMs (at most MAX_DELAY_MS). */
  delayMs: number;
}

export type SignInScope = 'account' | 'ip';

export interface SignInFailure {
  /** Set when this failure locked the login or the IP address (audit it). */
  lockedNow?: SignInScope;
  /** Seconds until the login (or address) may try again; 0 while not locked. */
  retryAfterSeconds: number;
}

/** A counted attempt that may go on to verify the password; report how it ended. */
export interface SignInAttempt {
  allowed: true;
  /** After a wrong password (or unknown login): locks the login or address when this was its last allowed failure, then waits the progressive delay. */
  fail(): Promise<SignInFailure>;
  /** After a correct password: the login's failures are forgotten, and this attempt no longer counts against the address. */
  succeed(): Promise<void>;
}

/** An attempt refused before any password check: the login or the address is locked. */
export interface SignInRefusal {
  allowed: false;
  scope: SignInScope;
  retryAfterSeconds: number;
}

export interface SignInLimitHooks {
  /** An attempt refused because its login or address is locked. */
  refused?(scope: SignInScope): void;
  /** A wrong password (or unknown login). */
  failed?(): void;
}

/** Longest progressive delay. */
export const MAX_DELAY_MS = 10_000;

/**
 * The counter key of a login: e-mail logins lower-cased, phone numbers in their normal form,
 * anything else trimmed and lower-cased; then hashed, so the counter store holds no addresses.
 */
export function signInKey(login: string): string {
  return createHash('sha256').update(normalLogin(login)).digest('base64url');
}

/** A login as one spelling: `phone:<10 digits>` for a phone number in any usual form, else `login:<trimmed, lower-cased>`. */
export function normalLogin(login: string): string {
  const trimmed = login.trim();
  const phone = trimmed.includes('@') ? undefined : normalizePhone(trimmed);
  return phone ? `phone:${phone}` : `login:${trimmed.toLowerCase()}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SignInLimits {
  constructor(
    private readonly account: AttemptCounter,
    private readonly ip: AttemptCounter,
    readonly settings: SignInLimitSettings,
    private readonly hooks: SignInLimitHooks = {},
  ) {}


  /** Counts an attempt of `login` from `ip`; refused when the login or the address is locked (then do not verify the password). */
  async check(login: string, ip: string): Promise<SignInAttempt | SignInRefusal> {
    const key = signInKey(login);
    const [account, address] = await Promise.all([this.account.count(key), this.ip.count(ip)]);
    let refusal: SignInRefusal | undefined;
    if (account.attempts > this.settings.perAccount) refusal = { allowed: false, scope: 'account', retryAfterSeconds: account.retryAfterSeconds };
    else if (address.attempts > this.settings.perIp) refusal = { allowed: false, scope: 'ip', retryAfterSeconds: address.retryAfterSeconds };
    if (refusal) {
      this.hooks.refused?.(refusal.scope);
      return refusal;
    }
    return {
      allowed: true,
      fail: () => this.#fail(key, ip, account.attempts, address.attempts),
      succeed: async () => {
        await Promise.all([this.account.reset(key), this.ip.forgive(ip)]);
      },
    };
  }

  async #fail(key: string, ip: string, accountAttempt: number, ipAttempt: number): Promise<SignInFailure> {
    this.hooks.failed?.();
    let result: SignInFailure = { retryAfterSeconds: 0 };
    // Exactly one attempt is the last allowed one (counts are atomic), so a lock is set and audited once.
    if (accountAttempt === this.settings.perAccount) {
      await this.account.lock(key, this.settings.lockSeconds);
      result = { lockedNow: 'account', retryAfterSeconds: this.settings.lockSeconds };
    } else if (ipAttempt === this.settings.perIp) {
      result = { lockedNow: 'ip', retryAfterSeconds: await this.ip.blockedFor(ip) };
    }
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, accountAttempt - 1) * this.settings.delayMs);
    if (delay > 0) await sleep(delay);
    return result;
  }
}

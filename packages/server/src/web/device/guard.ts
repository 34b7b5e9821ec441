/**
 * Guards the device verification page (`/device`) against user-code guessing, in front of
 * oidc-provider: wrong codes are counted per client IP and per browser session (the provider's
 * session cookie); past either limit the page answers 429 with `Retry-After` and a plain
 * explanation, before any code is looked up. Also takes the code of a link
 * (`?user-code=` or `?user_code=`) out of the query for the device pages (web/device/pages.ts), so
 * that oidc-provider does not auto-post it with a script, and keeps every answer out of caches.
 */
import type { Context, Middleware } from 'koa';
import type { RateLimiterAttempts } from '../../http/limits.ts';
import type { DevicePageState } from './page-state.ts';
import { REFUSALS, refuse } from '../shared/refusal.ts';

export interface DeviceCodeLimits {
  perIp: RateLimiterAttempts;
  perSession: RateLimiterAttempts;
}

const LINK_PARAMS = ['user-code', 'user_code'] as const;
/** Longest cookie value used as a counter key (a forged longer one counts as no session). */
const MAX_SESSION_ID = 128;

/** Renders the 429 page: too many wrong codes from this IP address or browser. */
export function tooManyCodes(ctx: Context, retryAfterSeconds: number): void {
  ctx.set('Retry-After', String(retryAfterSeconds));
  refuse(ctx, REFUSALS.tooManyDeviceCodes, { params: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) } });
}

type LimitKey = [limiter: keyof DeviceCodeLimits, key: string];

/** Counter keys of a request: its IP address, and its browser session when it has one. */
export function limitKeys(ctx: Context, sessionId?: string): LimitKey[] {
  const keys: LimitKey[] = [['perIp', ctx.ip]];
  if (sessionId && sessionId.length <= MAX_SESSION_ID) keys.push(['perSession', sessionId]);
  return keys;
}

/**
 * Counts one guess under every key before the code is looked up (so that parallel guesses cannot
 * all pass one check); `wait` > 0 when a key is past its limit: then the code must not be looked up.
 * `forgive()` takes the guess back when the code turned out right.
 */
export async function countGuess(limits: DeviceCodeLimits, keys: LimitKey[]): Promise<{ wait: number; forgive(): Promise<void> }> {
  const taken = await Promise.all(keys.map(([name, key]) => limits[name].take(key)));
  const forgive = async () => void (await Promise.all(keys.map(([name, key]) => limits[name].forgive(key))));
  const wait = Math.max(0, ...taken.map((t) => (t.allowed ? 0 : t.retryAfterSeconds)));
  // A refused guess is not looked up, so it does not count as one.
  if (wait > 0) await forgive();
  return { wait, forgive };
}

export async function recordWrongCode(limits: DeviceCodeLimits, keys: LimitKey[]): Promise<void> {
  await Promise.all(keys.map(([name, key]) => limits[name].recordFailure(key)));
}

export function deviceCodeGuard(options: { path: string; sessionCookie: string; limits: DeviceCodeLimits }): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== options.path) return next();
    const state = ctx.state as DevicePageState;
    if (ctx.method === 'GET') {
      const query = new URLSearchParams(ctx.querystring);
      const linked = LINK_PARAMS.map((p) => query.get(p)).find((v) => v !== null);
      if (linked !== undefined) {
        state.deviceLinkCode = linked;
        for (const p of LINK_PARAMS) query.delete(p);
        ctx.querystring = query.toString();
      }
    }
    const looksUp = ctx.method === 'POST' || state.deviceLinkCode !== undefined;
    if (!looksUp) return next();

    const cookieSession = ctx.cookies.get(options.sessionCookie, { signed: false });
    const guess = await countGuess(options.limits, limitKeys(ctx, cookieSession));
    if (guess.wait > 0) return tooManyCodes(ctx, guess.wait);

    await next();
    if (!state.deviceCodeRejected) return guess.forgive();
    // A new browser gets its session during this request: count the wrong code under that id too.
    const session = (ctx as { oidc?: { session?: { id?: string } } }).oidc?.session?.id;
    if (session && session !== cookieSession) await recordWrongCode(options.limits, limitKeys(ctx, session).slice(1));
  };
}

/**
 * The limits of one instance, built from configuration on one limit store (http/limit-store.ts):
 * sign-in brute-force limits for every password form, the per-client token rate limiter, and the
 * factory the device flow's wrong-code counters come from. Hits are counted in /metrics.
 */
import type pg from 'pg';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config/index.ts';
import type { Metrics } from '../metrics/index.ts';
import { RateLimiterAttempts, type AttemptLimiterFactory } from './limits.ts';
import { ATTEMPT_STORE_TIMEOUT_MS, openLimitStore, type LimitStore } from './limit-store.ts';
import { SignInLimits } from '../accounts/sign-in-limits.ts';

/** Attempt counters whose refusals (a blocked key asking again) are counted in /metrics. */
class CountedAttempts extends RateLimiterAttempts {
  constructor(limiter: RateLimiterAbstract, private readonly onRefused: () => void) {
    super(limiter);
  }

  override async blockedFor(key: string): Promise<number> {
    const wait = await super.blockedFor(key);
    if (wait > 0) this.onRefused();
    return wait;
  }

  override async take(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const taken = await super.take(key);
    if (!taken.allowed) this.onRefused();
    return taken;
  }
}

export interface AppLimits {
  store: LimitStore;
  /** `check(login, ip)` before verifying a password; see accounts/sign-in-limits.ts. */
  signIn: SignInLimits;
  /** Token requests per client; undefined when PROPUSK_TOKEN_RATE_LIMIT=0. */
  tokenRate: RateLimiterAbstract | undefined;
  /** Attempt counters in the same store (device-flow wrong user codes). */
  attempts: AttemptLimiterFactory;
  close(): Promise<void>;
}

export async function createLimits(
  config: Pick<Config, 'redisUrl' | 'signInLimits' | 'tokenRateLimit'>,
  deps: { pgPool?: pg.Pool | undefined; metrics: Metrics; onError(err: unknown): void },
): Promise<AppLimits> {
  const store = await openLimitStore({ redisUrl: config.redisUrl, pgPool: deps.pgPool, onError: deps.onError });
  const { metrics } = deps;
  const settings = config.signInLimits;
  const signIn = new SignInLimits(
    store.attempts({ name: 'sign-in-account', attempts: settings.perAccount, windowSeconds: settings.lockSeconds }),
    store.attempts({ name: 'sign-in-ip', attempts: settings.perIp, windowSeconds: settings.ipWindowSeconds }),
    settings,
    {
      refused: (scope) => {
        metrics.rateLimitHits.inc({ limit: `sign_in_${scope}` });
        metrics.signInFailures.inc({ reason: 'locked' });
      },
      failed: () => metrics.signInFailures.inc({ reason: 'invalid_credentials' }),
    },
  );
  const { points, windowSeconds } = config.tokenRateLimit;
  return {
    store,
    signIn,
    tokenRate: points > 0 ? store.limiter({ name: 'token-client', points, durationSeconds: windowSeconds }) : undefined,
    attempts: (o) => new CountedAttempts(store.limiter({ name: o.name, points: o.attempts, durationSeconds: o.windowSeconds, timeoutMs: ATTEMPT_STORE_TIMEOUT_MS }), () => metrics.rateLimitHits.inc({ limit: o.name })),
    close: () => store.close(),
  };
}

/**
 * Per-client rate limit of the token endpoint: every grant handler first counts one request of the
 * authenticated client (so nobody can spend another client's budget by naming its client_id);
 * past the limit the answer is 429 with `Retry-After` and the OAuth error body
 * `{"error":"temporarily_unavailable","error_description":"rate limit exceeded; retry after N s"}`
 * (RFC 6749 has no rate-limit error code; `temporarily_unavailable` is its "try again later").
 * The counter is in memory for one instance, or the shared limit store (http/limit-store.ts).
 */
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { wrapGrantHandler } from './seam/configuration.ts';

export class TokenRateLimited extends errors.OIDCProviderError {
  static readonly code = 'ERR_TOKEN_RATE_LIMITED';
  readonly code = TokenRateLimited.code;

  constructor(readonly retryAfterSeconds: number) {
    super(429, 'temporarily_unavailable');
    this.error_description = `rate limit exceeded; retry after ${retryAfterSeconds} s`;
  }
}

export interface TokenRateLimitOptions {
  limiter: RateLimiterAbstract;
  /** Every grant type the provider serves. */
  grantTypes: Iterable<string>;
  onLimited?(clientId: string): void;
  /** The counter store failed (the request is served: limits fail open). */
  onError?(err: unknown): void;
}

export function limitTokenRequests(provider: Provider, options: TokenRateLimitOptions): void {
  for (const grantType of options.grantTypes) {
    wrapGrantHandler(provider, grantType, (original) => async (ctx) => {
      const clientId = ctx.oidc.client!.clientId;
      try {
        await options.limiter.consume(clientId);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) {
          options.onError?.(res);
          return original(ctx);
        }
        const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        options.onLimited?.(clientId);
        ctx.set('Retry-After', String(retryAfter));
        throw new TokenRateLimited(retryAfter);
      }
      return original(ctx);
    });
  }
}

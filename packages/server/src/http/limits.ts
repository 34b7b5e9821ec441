/**
 * Counters of failed attempts per key (an IP address, a browser session), behind a small interface
 * so that a shared store can replace the in-process one: any rate-limiter-flexible limiter works
 * (`RateLimiterPostgres`, `RateLimiterRedis` when several instances run; `RateLimiterMemory` now).
 */
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface AttemptLimiter {
  /** Seconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string): Promise<number>;
  /** Counts one failed attempt of `key`; returns the seconds it is now blocked for (0 while under the limit). */
  recordFailure(key: string): Promise<number>;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** An AttemptLimiter over a rate-limiter-flexible limiter: `points` failures per `duration` seconds. */
export class RateLimiterAttempts implements AttemptLimiter {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async blockedFor(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    return state && state.consumedPoints >= this.limiter.points ? seconds(state.msBeforeNext) : 0;
  }

  async recordFailure(key: string): Promise<number> {
    const state = await this.limiter.penalty(key, 1);
    return state.consumedPoints >= this.limiter.points ? seconds(state.msBeforeNext) : 0;
  }

  /**
   * Counts one attempt of `key` before it is tried, so that parallel attempts cannot all pass one
   * check: `allowed` is false once the attempts counted in the window exceed the limit.
   */
  async take(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const state = await this.limiter.penalty(key, 1);
    return { allowed: state.consumedPoints <= this.limiter.points, retryAfterSeconds: seconds(state.msBeforeNext) };
  }

  /** Counts one attempt of `key` up front; returns the attempts counted in the window and the seconds until the window (or a lock) ends. */
  async count(key: string): Promise<{ attempts: number; retryAfterSeconds: number }> {
    const state = await this.limiter.penalty(key, 1);
    return { attempts: state.consumedPoints, retryAfterSeconds: seconds(state.msBeforeNext) };
  }

  /** Blocks `key` for `lockSeconds` from now, whatever its count. */
  async lock(key: string, lockSeconds: number): Promise<void> {
    await this.limiter.block(key, lockSeconds);
  }

  /** Takes one counted attempt back (a success that had been counted up front). */
  async forgive(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  /** Forgets every attempt of `key`. */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

/** Builds an AttemptLimiter; the limit store (http/limit-store.ts) makes them for memory, PostgreSQL or Redis. */
export type AttemptLimiterFactory = (options: { attempts: number; windowSeconds: number; name: string }) => RateLimiterAttempts;

/** In-process limiter: `attempts` failures per key within `windowSeconds` (counted from the first failure). */
export function memoryAttemptLimiter(options: { attempts: number; windowSeconds: number; name: string }): RateLimiterAttempts {
  return new RateLimiterAttempts(new RateLimiterMemory({ keyPrefix: options.name, points: options.attempts, duration: options.windowSeconds }));
}

/**
 * The Prometheus metrics of one Propusk instance (prom-client), on a registry of its own so that
 * several servers in one process (tests) do not mix. Label values are bounded: routes are
 * templates (never raw paths), grant types are the registered ones, statuses are HTTP codes.
 * Every update is O(1); nothing here does I/O.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogEvent } from 'kysely';
import { PASSWORD_HASHING_SLOTS, passwordHashingLoad } from '../accounts/passwords.ts';

/** Latency buckets in seconds (HTTP requests). */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Latency buckets in seconds (database statements). */
const DB_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 3];
const STATEMENTS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback']);

/** Numbers of a PostgreSQL pool (pg.Pool has them as properties). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'propusk_http_requests_total',
    help: 'HTTP requests by route template, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'propusk_http_request_duration_seconds',
    help: 'HTTP request latency by route template, from the first middleware to the response body being set.',
    labelNames: ['route'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'propusk_tokens_issued_total',
    help: 'Successful token endpoint responses by grant type.',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  });

  readonly signatureDuration = new Histogram({
    name: 'propusk_jws_signature_seconds',
    help: 'CPU time of one JWS signature (ID tokens, JWT access tokens) by algorithm; signatures are made in batches at the end of an event-loop turn.',
    labelNames: ['alg'] as const,
    buckets: [25e-6, 50e-6, 100e-6, 200e-6, 400e-6, 800e-6, 0.0016, 0.0032],
    registers: [this.registry],
  });

  readonly signInFailures = new Counter({
    name: 'propusk_sign_in_failures_total',
    help: 'Failed password sign-ins: invalid_credentials (wrong password or unknown login) or locked (refused by the brute-force limit).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimitHits = new Counter({
    name: 'propusk_rate_limit_hits_total',
    help: 'Requests refused by a rate or brute-force limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly dbDuration = new Histogram({
    name: 'propusk_db_query_duration_seconds',
    help: 'Database statement latency by statement kind and outcome (statements run through Kysely).',
    labelNames: ['statement', 'outcome'] as const,
    buckets: DB_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'propusk_' });
    new Gauge({
      name: 'propusk_password_hashing',
      help: `argon2id hashes and verifications running (at most ${PASSWORD_HASHING_SLOTS} at once, one per usable CPU) and waiting for their turn.`,
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const load = passwordHashingLoad();
        this.set({ state: 'running' }, load.running);
        this.set({ state: 'waiting' }, load.waiting);
      },
    });
  }

  /** Kysely's `log` hook: times every statement. */
  readonly observeQuery = (event: LogEvent): void => {
    const word = /^\s*(\w+)/.exec(event.query.sql)?.[1]?.toLowerCase() ?? 'other';
    this.dbDuration.observe({ statement: STATEMENTS.has(word) ? word : 'other', outcome: event.level === 'error' ? 'error' : 'ok' }, event.queryDurationMillis / 1000);
  };

  /** Publishes a PostgreSQL pool's connection counts, read when /metrics is scraped. */
  watchPool(pool: PoolStats): void {
    new Gauge({
      name: 'propusk_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}

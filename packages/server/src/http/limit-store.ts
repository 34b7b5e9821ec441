/**
 * Where every rate-limit and brute-force counter lives — one factory for the whole app:
 * - Redis when `REDIS_URL` is set (several instances, cheapest shared store);
 * - else PostgreSQL when the database is PostgreSQL (the app's pool, table `propusk_rate_limit`);
 * - else process memory (one instance on SQLite).
 * A shared store that fails falls back to per-instance memory counters (rate-limiter-flexible's
 * insurance limiter), so an outage of Redis never blocks sign-ins or tokens.
 */
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { RLWrapperTimeouts, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterAttempts, type AttemptLimiterFactory } from './limits.ts';

/** Table of the PostgreSQL counters (created on first use; rows expire by themselves). */
export const POSTGRES_LIMIT_TABLE = 'propusk_rate_limit';
/** A shared-store operation slower than this is answered by the in-memory insurance instead (a hung database must not slow every token request). */
export const STORE_TIMEOUT_MS = 250;
/**
 * The same for attempt counters (sign-in, device user codes). Each guards a lookup in the same
 * database, so waiting for the counter costs nothing the lookup would not; answering from process
 * memory after 250 ms instead would let a flood of parallel guesses past the shared limit (the
 * database is slowest exactly then).
 */
export const ATTEMPT_STORE_TIMEOUT_MS = 5_000;

export interface LimiterSpec {
  /** Counter namespace (the key prefix), e.g. `sign-in-account`. */
  name: string;
  points: number;
  durationSeconds: number;
  /** Default: STORE_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface LimitStore {
  readonly kind: 'memory' | 'postgres' | 'redis';
  /** A rate-limiter-flexible limiter of `points` per `durationSeconds` in this store. */
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  /** An attempt counter (http/limits.ts) in this store; same shape as `memoryAttemptLimiter`. */
  attempts: AttemptLimiterFactory;
  close(): Promise<void>;
}

export interface LimitStoreOptions {
  redisUrl?: string | undefined;
  /** The app's PostgreSQL pool when the database is PostgreSQL. */
  pgPool?: pg.Pool | undefined;
  /** Store errors (logged by the caller; the insurance limiter has already answered). */
  onError?: (err: unknown) => void;
}

const memory = (spec: LimiterSpec) => new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationSeconds });

/** A store limiter whose operations give up after STORE_TIMEOUT_MS (then its insurance answers). */
function withTimeout(limiter: RateLimiterAbstract, spec: LimiterSpec): RateLimiterAbstract {
  const wrapped = new RLWrapperTimeouts({ limiter, timeoutMs: spec.timeoutMs ?? STORE_TIMEOUT_MS });
  // The wrapper has no limit of its own; callers read `points` (http/limits.ts).
  wrapped.points = spec.points;
  wrapped.duration = spec.durationSeconds;
  return wrapped;
}

function withAttempts(kind: LimitStore['kind'], limiter: (spec: LimiterSpec) => RateLimiterAbstract, close: () => Promise<void>): LimitStore {
  return {
    kind,
    limiter,
    attempts: (o) => new RateLimiterAttempts(limiter({ name: o.name, points: o.attempts, durationSeconds: o.windowSeconds, timeoutMs: ATTEMPT_STORE_TIMEOUT_MS })),
    close,
  };
}

async function createPostgresTable(pool: pg.Pool): Promise<void> {
  try {
    await pool.query(`create table if not exists ${POSTGRES_LIMIT_TABLE} (key varchar(255) primary key, points integer not null default 0, expire bigint)`);
  } catch (err) {
    // Two instances creating the table at once: the loser sees a duplicate type.
    if ((err as { code?: string }).code !== '23505') throw err;
  }
}

async function openRedis(url: string, onError: (err: unknown) => void): Promise<Redis> {
  // Loaded only when REDIS_URL is set: ioredis (and the net/tls/dns modules it pulls in) costs
  // ~5 MiB of memory and ~60 ms of start-up on every instance that does not use it.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let reported = false;
  redis.on('error', (err: unknown) => {
    // Reported once per outage; ioredis reconnects by itself.
    if (!reported) onError(err);
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

export async function openLimitStore(options: LimitStoreOptions = {}): Promise<LimitStore> {
  const onError = options.onError ?? (() => undefined);
  if (options.redisUrl) {
    const redis = await openRedis(options.redisUrl, onError);
    const limiter = (spec: LimiterSpec) =>
      withTimeout(new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `propusk:${spec.name}`,
        points: spec.points,
        duration: spec.durationSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory(spec),
      }), spec);
    return withAttempts('redis', limiter, async () => {
      redis.disconnect();
    });
  }
  if (options.pgPool) {
    const pool = options.pgPool;
    await createPostgresTable(pool);
    const limiter = (spec: LimiterSpec) =>
      withTimeout(new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: POSTGRES_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: spec.name,
        points: spec.points,
        duration: spec.durationSeconds,
        insuranceLimiter: memory(spec),
      }), spec);
    // Expired counters are deleted every 5 minutes (one statement for every limiter).
    const sweep = setInterval(() => {
      pool.query(`delete from ${POSTGRES_LIMIT_TABLE} where expire < $1`, [Date.now() - 3_600_000]).catch(onError);
    }, 300_000);
    sweep.unref();
    return withAttempts('postgres', limiter, async () => clearInterval(sweep));
  }
  return withAttempts('memory', memory, async () => undefined);
}

/**
 * What the storage layer's modules share about an open database — its type, the handle
 * `openDatabase` returns, and its errors — in a module of its own, so that the SQLite and PostgreSQL
 * openers and the change feeds depend on it rather than on `database.ts`, which depends on them.
 */
import type { Kysely, LogConfig } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import type { ChangeFeed } from '../shared/changes.ts';

export type Db = Kysely<Database>;

/** A ChangeFeed this process runs: `start()` begins delivering other processes' changes, `stop()` ends it. */
export interface RunningChangeFeed extends ChangeFeed {
  start(): Promise<void>;
  stop(): void | Promise<void>;
}

export interface OpenedDatabase {
  db: Db;
  kind: 'sqlite' | 'postgres';
  /** The cross-process change feed suited to this database: polling on SQLite, LISTEN/NOTIFY on PostgreSQL. */
  createChangeFeed(options?: { onError?: (err: unknown) => void }): RunningChangeFeed;
  /** The `pg` pool on PostgreSQL (shared rate-limit counters, pool metrics); undefined on SQLite. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Kysely's query log hook (statement timings for /metrics). */
  log?: LogConfig;
}

export class DatabaseUrlError extends Error {
  static readonly code = 'ERR_DATABASE_URL';
  readonly code = DatabaseUrlError.code;
}

/**
 * The database cannot be reached right now (refused, dropped or timed-out connection, server
 * shutting down). Thrown by the storage layer instead of the driver's error so that callers can
 * answer 503 `temporarily_unavailable` and retry later; `cause` holds the driver's error. Shaped
 * like an exposed OAuth error so that oidc-provider's own error handler renders it as such.
 */
export class DatabaseUnavailableError extends Error {
  static readonly code = 'ERR_DATABASE_UNAVAILABLE';
  readonly code = DatabaseUnavailableError.code;
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;
  readonly error = 'temporarily_unavailable';
  readonly error_description = 'the database is unreachable; try again shortly';

  constructor(options?: { cause?: unknown }) {
    // oidc-provider uses an exposed error's message as the OAuth `error` code.
    super('temporarily_unavailable', options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * PostgreSQL connection via `pg`, for several instances on one database. Connection-level failures
 * (refused, dropped, timed out, server shutting down) surface as DatabaseUnavailableError so that
 * requests fail fast with 503; the pool replaces broken connections by itself when the server is back.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Database } from './schema.ts';
import { DatabaseUnavailableError, type OpenDatabaseOptions, type OpenedDatabase } from './db.ts';
import { PgChangeFeed } from './pg-changes.ts';

// BIGINT columns hold epoch milliseconds, well within Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Connections per instance. */
const POOL_MAX = 10;
/** A connection attempt (or a wait for a free pooled connection) gives up after this long: requests fail fast while the server is unreachable. */
const CONNECT_TIMEOUT_MS = 3000;
/** Idle pooled connections are closed after this long. */
const IDLE_TIMEOUT_MS = 30_000;

/** Socket error codes that mean "the server is not reachable now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** SQLSTATEs that mean the same: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg and pg-pool report these without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** Whether a `pg` error means the database is unreachable (as opposed to a bad query or a constraint). */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
  }
  return UNAVAILABLE_MESSAGES.some((m) => err.message.startsWith(m));
}

function mapError(err: unknown): unknown {
  return isConnectionError(err) ? new DatabaseUnavailableError({ cause: err }) : err;
}

/**
 * The pool as Kysely sees it, with connection-level errors (on checkout and on every query,
 * including transaction control) mapped to DatabaseUnavailableError.
 */
function unavailabilityMappingPool(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect().catch((err: unknown) => {
        throw mapError(err);
      });
      let wrapped = clients.get(client);
      if (!wrapped) {
        wrapped = {
          query: ((text: string, parameters: unknown[]) =>
            client.query(text, parameters).catch((err: unknown) => {
              throw mapError(err);
            })) as unknown as PostgresPoolClient['query'],
          // pg-pool installs a new `release` on every checkout: look it up at call time.
          release: (destroy?: boolean) => client.release(destroy),
        };
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

/** Opens a pool on `url` (`postgres://user:password@host:port/database`, optionally `?options=-c search_path=<schema>`). */
export async function openPostgres(url: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const connection: pg.ClientConfig = { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
  const pool = new pg.Pool({ ...connection, max: POOL_MAX, idleTimeoutMillis: IDLE_TIMEOUT_MS });
  pool.on('error', () => {
    // An idle client lost its connection; the pool has dropped it and opens a new one on the next checkout.
  });
  pool.on('connect', (client) => {
    // A checked-out client whose connection drops emits 'error' besides failing its query; without
    // a listener that would crash the process. The failed query reports it; the pool discards the client.
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: unavailabilityMappingPool(pool) }), ...(options.log ? { log: options.log } : {}) });
  return {
    db,
    kind: 'postgres',
    pool,
    createChangeFeed: (options) => new PgChangeFeed(db, { ...options, connect: () => new pg.Client(connection) }),
    close: () => db.destroy(),
  };
}

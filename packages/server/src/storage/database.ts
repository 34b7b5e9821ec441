/** Opens the database named by DATABASE_URL and runs pending migrations. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, sql, type LogConfig } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase, attachDirectSqlite, createSqliteDialect } from './sqlite-dialect.ts';
import { migrationProvider } from './migrations/index.ts';
import { PollingChangeFeed } from './changes.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import { isSqlite, withSqliteMigrationLock } from './dialect.ts';

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

export interface DatabaseState {
  /** Where it is: the SQLite file's absolute path, or the PostgreSQL URL without its password. */
  location: string;
  /** False when the SQLite file does not exist (opening it would create an empty one). */
  exists: boolean;
  /** Migrations applied (0: not a Propusk database yet). */
  migrations: number;
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** What is at `url`, without creating anything: for tools that must not open an empty database by mistake. */
export async function inspectDatabase(url: string): Promise<DatabaseState> {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : undefined;
  const location = file === undefined ? withoutPassword(url) : file === ':memory:' ? file : resolve(file);
  if (file !== undefined && file !== ':memory:' && !existsSync(location)) return { location, exists: false, migrations: 0 };
  const opened = await openDatabase(url);
  try {
    const found = isSqlite(opened.db)
      ? await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'propusk_migration'`.execute(opened.db)
      : await sql<{ n: number }>`select count(to_regclass('propusk_migration')) as n`.execute(opened.db);
    if (Number(found.rows[0]?.n ?? 0) === 0) return { location, exists: true, migrations: 0 };
    const applied = await sql<{ n: number }>`select count(*) as n from propusk_migration`.execute(opened.db);
    return { location, exists: true, migrations: Number(applied.rows[0]?.n ?? 0) };
  } finally {
    await opened.close();
  }
}

/** Opens a database from a `sqlite:<file>` or `postgres://` URL. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new DatabaseUrlError('DATABASE_URL: sqlite: needs a file name, e.g. sqlite:./data/propusk.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new NodeSqliteDatabase(file);
    const db = new Kysely<Database>({ dialect: withSqliteMigrationLock(createSqliteDialect(sqlite)), ...(options.log ? { log: options.log } : {}) });
    attachDirectSqlite(db, { database: sqlite, ...(typeof options.log === 'function' ? { log: options.log } : {}) });
    return { db, kind: 'sqlite', createChangeFeed: (options) => new PollingChangeFeed(db, { ...options }), close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(url, options);
  }
  throw new DatabaseUrlError(`DATABASE_URL: unsupported scheme in ${JSON.stringify(url)} (use sqlite: or postgres://)`);
}

/**
 * Applies pending migrations; throws with the failing migration's name. Safe when several
 * processes start at once: the migrator holds a lock (on PostgreSQL an advisory lock, and each run
 * is one transaction) and re-reads what is applied once it has it.
 */
export async function migrate(db: Db): Promise<void> {
  // On PostgreSQL the migration tables live in the connection's current schema (search_path). Named
  // explicitly because, unnamed, Kysely looks for them in every schema and would skip creating them
  // in a fresh schema when another schema of the database already has them.
  const schema = isSqlite(db) ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'propusk_migration',
    migrationLockTableName: 'propusk_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its tables among every schema's: a schema another process drops meanwhile
  // (PostgreSQL 3F000, e.g. test suites sharing one server) fails that look-up, not our migration.
  for (let attempt = 1; attempt < 5 && error && (error as { code?: string }).code === '3F000'; attempt++) {
    await new Promise((r) => setTimeout(r, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

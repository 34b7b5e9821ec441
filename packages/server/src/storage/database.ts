/** Opens the database named by DATABASE_URL and runs pending migrations. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, sql } from 'kysely';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase, attachDirectSqlite, createSqliteDialect } from './sqlite-dialect.ts';
import { migrationProvider } from './migrations/index.ts';
import { PollingChangeFeed } from './changes.ts';
import { DatabaseUrlError, type Db, type OpenDatabaseOptions, type OpenedDatabase } from './db.ts';
import { isSqlite, withSqliteMigrationLock } from './dialect.ts';

export { DatabaseUnavailableError, DatabaseUrlError, type Db, type OpenDatabaseOptions, type OpenedDatabase, type RunningChangeFeed } from './db.ts';

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
    // Kysely's default, localeCompare, pages in ICU's collation data (~2 MiB of RSS for the life of
    // the server) to order names that are plain ASCII ("0006-partial-indexes"): code-unit order is the same.
    nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
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

/** Opens the database named by DATABASE_URL and runs pending migrations. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator } from 'kysely';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase, createSqliteDialect } from './sqlite-dialect.ts';
import { migrationProvider } from './migrations/index.ts';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {
  static readonly code = 'ERR_DATABASE_URL';
  readonly code = DatabaseUrlError.code;
}

/** Opens a database from a `sqlite:<file>` or `postgres://` URL. */
export async function openDatabase(url: string): Promise<OpenedDatabase> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new DatabaseUrlError('DATABASE_URL: sqlite: needs a file name, e.g. sqlite:./data/propusk.sqlite');
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new NodeSqliteDatabase(file);
    const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
    return { db, kind: 'sqlite', close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(url);
  }
  throw new DatabaseUrlError(`DATABASE_URL: unsupported scheme in ${JSON.stringify(url)} (use sqlite: or postgres://)`);
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'propusk_migration', migrationLockTableName: 'propusk_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

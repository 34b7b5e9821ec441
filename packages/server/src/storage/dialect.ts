/** The few places where SQLite and PostgreSQL differ, isolated here. */
import { SqliteAdapter, sql, type ColumnDefinitionBuilder, type Dialect, type Kysely } from 'kysely';

export function isSqlite(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-incrementing integer primary key: SQLite's rowid alias, PostgreSQL's identity column. */
export function autoIncrementId(db: Kysely<unknown>) {
  const sqlite = isSqlite(db);
  return (c: ColumnDefinitionBuilder) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity());
}

/**
 * Kysely's SQLite adapter takes no migration lock (it assumes one process). Ours holds SQLite's
 * write lock (BEGIN IMMEDIATE) from before the migrator reads what is applied until it is done,
 * so that several processes starting at once on one file migrate one after the other (the others
 * wait up to the busy timeout, then find nothing left to do).
 */
class MigrationLockingSqliteAdapter extends SqliteAdapter {
  #locked = false;

  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin immediate`.execute(db);
    this.#locked = true;
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    if (!this.#locked) return; // BEGIN failed: its error is the one to report
    this.#locked = false;
    await sql`commit`.execute(db);
  }
}

/** `dialect` with the migration lock above. */
export function withSqliteMigrationLock(dialect: Dialect): Dialect {
  return {
    createDriver: () => dialect.createDriver(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => new MigrationLockingSqliteAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** The few places where SQLite and PostgreSQL differ, isolated here. */
import { SqliteAdapter, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

export function isSqlite(db: Kysely<unknown> | Kysely<never>): boolean {
  return (db as Kysely<unknown>).getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-incrementing integer primary key: SQLite's rowid alias, PostgreSQL's identity column. */
export function autoIncrementId(db: Kysely<unknown>) {
  const sqlite = isSqlite(db);
  return (c: ColumnDefinitionBuilder) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity());
}

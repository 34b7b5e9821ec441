/**
 * Audit rows that stand for several events: repeated failures of one kind from one source within
 * a window are one row (`count`, first time `at`, last time `last_at`), found by `aggregate_key`
 * (unique; NULL for events recorded one per row). `source_ip` is the client address of the request.
 * Portable SQL only (SQLite and PostgreSQL; both allow many NULLs under a unique index).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_event').addColumn('count', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('audit_event').addColumn('last_at', 'bigint').execute();
  await db.schema.alterTable('audit_event').addColumn('source_ip', 'varchar(64)').execute();
  await db.schema.alterTable('audit_event').addColumn('aggregate_key', 'varchar(300)').execute();
  await db.schema.createIndex('audit_event_aggregate_key').unique().on('audit_event').column('aggregate_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_event_aggregate_key').execute();
  for (const column of ['aggregate_key', 'source_ip', 'last_at', 'count']) await db.schema.alterTable('audit_event').dropColumn(column).execute();
}

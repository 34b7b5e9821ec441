/**
 * Device-flow polling pace (RFC 8628 §3.5, `slow_down`): per device code, when it was last polled
 * and its current interval. Rows expire with their device code and are swept. Portable SQL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The device code's id is the primary key, so the first poll is one atomic INSERT ... ON CONFLICT.
  await db.schema
    .createTable('device_poll')
    .addColumn('id', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('last_poll_at', 'bigint', (c) => c.notNull())
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_poll_expires_at').on('device_poll').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('device_poll').execute();
}

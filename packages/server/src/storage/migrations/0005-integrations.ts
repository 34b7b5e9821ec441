/**
 * Integrator portal: one-time invitation links (only the token's SHA-256 is stored) and the
 * accounts that own a client. Portable SQL only (SQLite and PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invitation')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(320)')
    .addColumn('allow_signup', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by', 'varchar(64)', (c) => c.references('account.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('invitation_client_id').on('invitation').column('client_id').execute();

  await db.schema
    .createTable('client_owner')
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('invitation_id', 'varchar(64)')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_owner_pk', ['client_id', 'account_id'])
    .execute();
  await db.schema.createIndex('client_owner_account_id').on('client_owner').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('client_owner').execute();
  await db.schema.dropTable('invitation').execute();
}

/**
 * Remembered consents: what an account allowed an application, kept apart from oidc-provider's
 * grants (which end with the browser session that made them). One row per account and client;
 * deleting the account or the client deletes its rows. Portable SQL only (SQLite and PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consent')
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    // JSON: { openid: { scope, claims }, resources: { <indicator>: <scope> } }, as in a Grant.
    .addColumn('granted', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consent_pk', ['account_id', 'client_id'])
    .execute();
  await db.schema.createIndex('consent_client_id').on('consent').column('client_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('consent').execute();
}

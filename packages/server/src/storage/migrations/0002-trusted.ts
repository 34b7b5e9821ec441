/**
 * Trusted grant: partner signing keys, links from a partner's user id to an account, and the
 * single-use records of trusted-grant JWTs. Portable SQL only (SQLite and PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner_key')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    .addColumn('kid', 'varchar(256)', (c) => c.notNull())
    .addColumn('x5t', 'varchar(64)')
    .addColumn('x5t_s256', 'varchar(64)')
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('not_before', 'bigint')
    .addColumn('not_after', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One kid per client: a JWT header `kid` selects exactly one key. Also serves lookups by client.
  await db.schema.createIndex('partner_key_client_kid').on('partner_key').columns(['client_id', 'kid']).unique().execute();

  await db.schema
    .createTable('external_link')
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    .addColumn('service_user_id', 'varchar(200)', (c) => c.notNull())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('created_by', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_link_pk', ['client_id', 'service_user_id'])
    .execute();
  await db.schema.createIndex('external_link_account_id').on('external_link').column('account_id').execute();

  // (issuer, jti) is the primary key so that recording a JWT is one atomic INSERT ... ON CONFLICT.
  await db.schema
    .createTable('trusted_jti')
    .addColumn('issuer', 'varchar(200)', (c) => c.notNull())
    .addColumn('jti', 'varchar(200)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trusted_jti_pk', ['issuer', 'jti'])
    .execute();
  await db.schema.createIndex('trusted_jti_expires_at').on('trusted_jti').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trusted_jti').execute();
  await db.schema.dropTable('external_link').execute();
  await db.schema.dropTable('partner_key').execute();
}

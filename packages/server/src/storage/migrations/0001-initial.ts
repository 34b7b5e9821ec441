/** Initial schema: the generic oidc-provider model table and the domain tables. Portable SQL only. */
import type { Kysely } from 'kysely';
import { autoIncrementId, isSqlite } from '../dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oidc_model')
    .addColumn('model', 'varchar(40)', (c) => c.notNull())
    .addColumn('id', 'varchar(200)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'varchar(200)')
    .addColumn('user_code', 'varchar(40)')
    .addColumn('uid', 'varchar(200)')
    .addColumn('account_id', 'varchar(200)')
    .addColumn('client_id', 'varchar(200)')
    .addColumn('expires_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .addPrimaryKeyConstraint('oidc_model_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_model_grant_id').on('oidc_model').column('grant_id').execute();
  await db.schema.createIndex('oidc_model_user_code').on('oidc_model').columns(['model', 'user_code']).execute();
  await db.schema.createIndex('oidc_model_uid').on('oidc_model').columns(['model', 'uid']).execute();
  await db.schema.createIndex('oidc_model_account_id').on('oidc_model').column('account_id').execute();
  await db.schema.createIndex('oidc_model_client_id').on('oidc_model').column('client_id').execute();
  await db.schema.createIndex('oidc_model_expires_at').on('oidc_model').column('expires_at').execute();

  await db.schema
    .createTable('account')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('login', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(320)')
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phone', 'varchar(10)')
    .addColumn('given_name', 'varchar(200)')
    .addColumn('family_name', 'varchar(200)')
    .addColumn('middle_name', 'varchar(200)')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_phone').on('account').column('phone').execute();

  await db.schema
    .createTable('client')
    .addColumn('client_id', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_key')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(200)', (c) => c.notNull().references('client.client_id').onDelete('cascade'))
    .addColumn('hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('label', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_key_client_id').on('api_key').column('client_id').execute();

  await db.schema
    .createTable('resource')
    .addColumn('indicator', 'varchar(400)', (c) => c.primaryKey())
    .addColumn('scope', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('access_token_format', 'varchar(10)', (c) => c.notNull().defaultTo('opaque'))
    .addColumn('access_token_ttl', 'integer')
    .addColumn('introspection_client_id', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('signing_key')
    .addColumn('kid', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('alg', 'varchar(10)', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();

  await db.schema
    .createTable('secret')
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('change')
    .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', autoIncrementId(db))
    .addColumn('topic', 'varchar(40)', (c) => c.notNull())
    .addColumn('key', 'varchar(400)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', autoIncrementId(db))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'varchar(60)', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)')
    .addColumn('client_id', 'varchar(200)')
    .addColumn('account_id', 'varchar(64)')
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_event_at').on('audit_event').column('at').execute();
  await db.schema.createIndex('audit_event_type').on('audit_event').columns(['type', 'at']).execute();
}

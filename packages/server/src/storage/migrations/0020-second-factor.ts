/**
 * Second factors (mfa/): an account's authenticator app (TOTP: its secret sealed with the master
 * key, whether enrolment was confirmed, and the last time step accepted, so a code works once),
 * its passkeys (WebAuthn credentials: public key, signature counter, name, last use) and its
 * recovery codes (only a keyed hash of each, and when it was used). Clients get `require_mfa`:
 * every sign-in for them takes a second factor. Everything goes with its account. Portable SQL
 * only (SQLite and PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_totp')
    .addColumn('account_id', 'varchar(64)', (c) => c.primaryKey().references('account.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_step', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema
    .createTable('account_passkey')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('credential_id', 'varchar(1400)', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('device_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('account_passkey_account_id').on('account_passkey').column('account_id').execute();
  await db.schema
    .createTable('account_recovery_code')
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('account_recovery_code_pk', ['account_id', 'code_hash'])
    .execute();
  await db.schema.alterTable('client').addColumn('require_mfa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').dropColumn('require_mfa').execute();
  await db.schema.dropTable('account_recovery_code').execute();
  await db.schema.dropTable('account_passkey').execute();
  await db.schema.dropTable('account_totp').execute();
}

/**
 * API resources get `access_token_signing_alg`: the signature algorithm of their JWT access tokens
 * (`RS256`, `ES256` or `EdDSA`). Existing JWT resources keep RS256, what they were signed with so
 * far; opaque ones have none (NULL). Portable SQL only (SQLite and PostgreSQL).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resource').addColumn('access_token_signing_alg', 'varchar(10)').execute();
  await sql`update resource set access_token_signing_alg = 'RS256' where access_token_format = 'jwt'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resource').dropColumn('access_token_signing_alg').execute();
}

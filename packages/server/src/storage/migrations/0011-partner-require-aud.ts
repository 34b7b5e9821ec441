/**
 * A partner setting of the trusted grant: `partner_require_aud` = 1 makes the partner's JWTs
 * carry `aud` (the issuer or the token endpoint URL). Existing clients keep 0 (aud optional).
 * Portable SQL only (SQLite and PostgreSQL).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').addColumn('partner_require_aud', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').dropColumn('partner_require_aud').execute();
}

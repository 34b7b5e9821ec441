/**
 * Clients get `require_dpop`: 1 makes oidc-provider refuse the client's token requests without a
 * DPoP proof, so every access token it gets is DPoP-bound (`dpop_bound_access_tokens`,
 * RFC 9449 §5.2). Existing clients keep 0 (DPoP optional). Portable SQL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').addColumn('require_dpop', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('client').dropColumn('require_dpop').execute();
}

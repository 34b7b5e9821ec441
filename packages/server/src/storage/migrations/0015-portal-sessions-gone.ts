/**
 * The integrator portal signs in with the browser session every page shares (the provider's
 * `Session`), so the rows of its former session of its own (model `PortalSession` in the artefact
 * table) are deleted: such a cookie no longer signs anyone in. Portable SQL.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM oidc_model WHERE model = 'PortalSession'`.execute(db);
}

/** Nothing to restore: those sessions ended. */
export async function down(): Promise<void> {}

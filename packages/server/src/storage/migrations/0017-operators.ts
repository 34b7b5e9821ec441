/**
 * Operators: roles granted to accounts and machine clients (`operator_role`), the management API
 * as an API resource of Propusk itself (`propusk.admin`, audience `urn:propusk:api:propusk.admin`,
 * introspected by its own client `rs.propusk.admin`), and the console's first-party client
 * `propusk-console` (public, PKCE, authorization code; its redirect URIs follow the issuer and are
 * set at each start). Portable SQL only.
 */
import type { Kysely } from 'kysely';

/** The tables this migration writes, as they are at this migration. */
interface Tables {
  client: {
    client_id: string;
    name: string;
    grant_types: string;
    redirect_uris: string;
    post_logout_redirect_uris: string;
    scopes: string;
    public: number;
    application_type: string;
    permissions: string;
    disabled: number;
    created_at: number;
    updated_at: number;
  };
  resource: { indicator: string; scope: string; name: string; access_token_format: string; access_token_ttl: number | null; introspection_client_id: string | null; created_at: number };
}

export async function up(schemaDb: Kysely<unknown>): Promise<void> {
  const db = schemaDb as unknown as Kysely<Tables>;
  await db.schema
    .createTable('operator_role')
    .addColumn('subject', 'varchar(250)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('operator_role_pk', ['subject', 'role'])
    .execute();

  const now = Date.now();
  const client = (clientId: string, name: string, fields: { grant_types: string[]; scopes: string[]; public: 0 | 1; application_type: string }) => ({
    client_id: clientId,
    name,
    grant_types: JSON.stringify(fields.grant_types),
    redirect_uris: '[]',
    post_logout_redirect_uris: '[]',
    scopes: fields.scopes.join(' '),
    public: fields.public,
    application_type: fields.application_type,
    permissions: '[]',
    disabled: 0,
    created_at: now,
    updated_at: now,
  });
  const existing = new Set((await db.selectFrom('client').select('client_id').where('client_id', 'in', ['rs.propusk.admin', 'propusk-console']).execute()).map((r) => r.client_id));
  if (!existing.has('rs.propusk.admin')) {
    await db.insertInto('client').values(client('rs.propusk.admin', 'Propusk management API (introspection)', { grant_types: [], scopes: [], public: 0, application_type: 'web' })).execute();
  }
  if (!existing.has('propusk-console')) {
    await db.insertInto('client').values(client('propusk-console', 'Propusk console', { grant_types: ['authorization_code'], scopes: ['openid', 'profile', 'propusk.admin'], public: 1, application_type: 'web' })).execute();
  }
  const resource = await db.selectFrom('resource').select('scope').where('scope', '=', 'propusk.admin').executeTakeFirst();
  if (!resource) {
    await db
      .insertInto('resource')
      .values({
        indicator: 'urn:propusk:api:propusk.admin',
        scope: 'propusk.admin',
        name: 'Propusk management API',
        access_token_format: 'opaque',
        access_token_ttl: 900,
        introspection_client_id: 'rs.propusk.admin',
        created_at: now,
      })
      .execute();
  }
}

export async function down(schemaDb: Kysely<unknown>): Promise<void> {
  const db = schemaDb as unknown as Kysely<Tables>;
  await db.deleteFrom('resource').where('scope', '=', 'propusk.admin').execute();
  await db.deleteFrom('client').where('client_id', 'in', ['rs.propusk.admin', 'propusk-console']).execute();
  await db.schema.dropTable('operator_role').execute();
}

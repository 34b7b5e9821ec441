/**
 * Clients as oidc-provider sees them: metadata built from our clients table (cached in the
 * ClientDirectory), and client-secret checks against the api-key hashes instead of a stored secret.
 */
import { randomBytes } from 'node:crypto';
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Client } from '../clients/types.ts';
import type { ClientDirectory } from '../clients/directory.ts';
import { jwtBearerGrantType as JWT_BEARER_GRANT } from '../grants/trusted/handler.ts';

/**
 * oidc-provider requires a `client_secret` for secret-authenticated clients. It is never compared
 * (compareClientSecret is replaced below) and never used as a key (HMAC algorithms are disabled);
 * this random per-process value only satisfies the schema.
 */
const UNUSED_SECRET = randomBytes(32).toString('base64url');

export function toClientMetadata(client: Client, supportedGrants: ReadonlySet<string>): ClientMetadata {
  const grantTypes: string[] = client.grantTypes.filter((g) => supportedGrants.has(g));
  // A client registered for `trusted` may use the grant under its RFC 7523 name too.
  if (grantTypes.includes('trusted') && supportedGrants.has(JWT_BEARER_GRANT)) grantTypes.push(JWT_BEARER_GRANT);
  const usesRedirects = grantTypes.includes('authorization_code');
  const metadata: ClientMetadata = {
    client_id: client.clientId,
    client_name: client.name,
    grant_types: grantTypes,
    response_types: usesRedirects ? ['code'] : [],
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    token_endpoint_auth_method: client.public ? 'none' : 'client_secret_post',
    // Only native apps may use any port on a loopback redirect URI (RFC 8252 §7.3); web clients match exactly.
    application_type: client.applicationType,
    // RFC 9449 §5.2: token requests without a DPoP proof are refused, so every access token is DPoP-bound.
    dpop_bound_access_tokens: client.requireDpop === true,
  };
  if (client.scopes.length > 0) metadata.scope = client.scopes.join(' ');
  if (!client.public) metadata.client_secret = UNUSED_SECRET;
  return metadata;
}

/** The `Client` model adapter: read-only view of the clients table. */
export class ClientAdapter implements Adapter {
  constructor(private readonly directory: ClientDirectory, private readonly supportedGrants: ReadonlySet<string>) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.directory.find(id);
    return client && (toClientMetadata(client, this.supportedGrants) as AdapterPayload);
  }

  async upsert(): Promise<void> {
    throw new Error('clients are managed with the admin CLI');
  }
  async destroy(): Promise<void> {
    throw new Error('clients are managed with the admin CLI');
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

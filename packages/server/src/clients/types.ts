/** Clients (integrator applications) and their api-keys; the one list of grant types. */
import type { AuditActor, AuditDetails } from '../audit/types.ts';

/** The device authorization grant (RFC 8628). */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Propusk's trusted grant: a partner's signed JWT names its user. */
export const TRUSTED_GRANT = 'trusted';
/** The trusted grant under its RFC 7523 name; a client registered for `trusted` may use either. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Grant types a client may be registered for. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT, TRUSTED_GRANT] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** Grant types the token endpoint serves: every registrable one, and the trusted grant's RFC 7523 name. */
export const SERVED_GRANT_TYPES = [...GRANT_TYPES, JWT_BEARER_GRANT] as const;

export const PERMISSIONS = ['trusted', 'link-by-phone'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * OpenID Connect's application types: a `native` app (desktop, mobile, command line) may use any
 * port on a loopback redirect URI (RFC 8252 §7.3) and private-use schemes; a `web` application
 * gets exactly its registered redirect URIs.
 */
export const APPLICATION_TYPES = ['web', 'native'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/**
 * What a client is for: an integrator's application or a machine operator (`client`), the client an
 * API resource introspects tokens with (`introspection`, `rs.<scope>`), or Propusk's own console
 * (`first-party`). Propusk manages the registration of the last two.
 */
export const CLIENT_KINDS = ['client', 'introspection', 'first-party'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export interface Client {
  clientId: string;
  name: string;
  grantTypes: GrantType[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Scopes the client may ask for. */
  scopes: string[];
  /** Public clients (no api-key) must use PKCE; confidential ones authenticate with an api-key. */
  public: boolean;
  /** Default: `native` for public clients, `web` for confidential ones. */
  applicationType: ApplicationType;
  permissions: Permission[];
  disabled: boolean;
  /** Trusted grant: the partner's JWTs must carry `aud` (the issuer or the token endpoint URL). Default false. */
  partnerRequireAud?: boolean;
  /**
   * Every token request must carry a DPoP proof (RFC 9449), so every access token is DPoP-bound
   * (oidc-provider's `dpop_bound_access_tokens`). Default false: DPoP is the client's choice.
   */
  requireDpop?: boolean;
  /** Every sign-in for this client takes a second factor (acr `urn:propusk:acr:mfa`). Default false. */
  requireMfa?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiKey {
  id: string;
  clientId: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ClientRepository {
  create(client: Omit<Client, 'createdAt' | 'updatedAt'>): Promise<Client>;
  find(clientId: string): Promise<Client | undefined>;
  list(): Promise<Client[]>;
  update(clientId: string, changes: Partial<Pick<Client, 'name' | 'grantTypes' | 'redirectUris' | 'postLogoutRedirectUris' | 'scopes' | 'permissions' | 'disabled' | 'partnerRequireAud' | 'requireDpop' | 'requireMfa'>>): Promise<Client | undefined>;
}

export interface ApiKeyRepository {
  create(key: Omit<ApiKey, 'lastUsedAt' | 'revokedAt'>): Promise<ApiKey>;
  listByClient(clientId: string): Promise<ApiKey[]>;
  /** Active (not revoked) key hashes of a client. */
  activeHashes(clientId: string): Promise<{ id: string; hash: string }[]>;
  revoke(clientId: string, id: string, at: Date): Promise<boolean>;
  touch(ids: string[], at: Date): Promise<void>;
}

/** Deletes every grant, code and token issued to a client and forgets its consents; returns how many artefacts went. */
export interface ClientTokenRevoker {
  revokeClient(clientId: string, options: { actor: AuditActor; reason: AuditDetails<'client.tokens_revoked'>['reason'] }): Promise<number>;
}

/** An owner of the client in the integrator portal, by account id: audited as `account:<id>`, with that account. */
export interface PortalOwner {
  portalOwner: string;
}

/**
 * Who asks for a change to a client, as its audit event records them: an actor (`admin-cli`, …),
 * or an owner in the integrator portal.
 */
export type Requester = AuditActor | PortalOwner;

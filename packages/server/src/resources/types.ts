import type { SigningAlg } from '../keys/types.ts';

/**
 * API resources: each product API is a resource with its own scope, audience (the resource
 * indicator), token format and lifetime. A token issued for one resource is refused by another.
 */
export interface Resource {
  /** Resource indicator (RFC 8707): an absolute URI, also the token's audience. */
  indicator: string;
  /** The scope that selects this resource, e.g. `extern.api`. */
  scope: string;
  name: string;
  accessTokenFormat: 'opaque' | 'jwt';
  /** The signature algorithm of the API's JWT access tokens (RS256 unless chosen); null for opaque tokens. */
  accessTokenSigningAlg: SigningAlg | null;
  /** Access-token lifetime in seconds; null uses the configured default (24 h). */
  accessTokenTtl: number | null;
  /** The client the API uses to call introspection, if it has its own credentials. */
  introspectionClientId: string | null;
  createdAt: Date;
}

export interface ResourceRepository {
  create(resource: Omit<Resource, 'createdAt'>): Promise<Resource>;
  list(): Promise<Resource[]>;
  findByScope(scope: string): Promise<Resource | undefined>;
  findByIndicator(indicator: string): Promise<Resource | undefined>;
}

/** Scopes that are not API resources: OpenID Connect identity scopes. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'] as const;

/** Resources a fresh instance starts with. */
export const DEFAULT_RESOURCES: Omit<Resource, 'createdAt'>[] = [
  { indicator: 'urn:propusk:api:extern.api', scope: 'extern.api', name: 'Extern API', accessTokenFormat: 'opaque', accessTokenSigningAlg: null, accessTokenTtl: null, introspectionClientId: null },
  { indicator: 'urn:propusk:api:extern.test-tools', scope: 'extern.test-tools', name: 'Extern test tools', accessTokenFormat: 'opaque', accessTokenSigningAlg: null, accessTokenTtl: null, introspectionClientId: null },
];

/**
 * The helpers oidc-provider gives its own grant handlers (bound to the provider), as far as our
 * grants use them. provider/seam/configuration.ts obtains them; grants receive them in their deps.
 */
import type { ResourceServerInstance, TokenEndpointGrantContext } from 'oidc-provider';

export interface GrantHelpers {
  /** Resource servers the request asks for: `resource` parameters, else `defaultResource` (our API scopes). */
  resolveRequestedResources(ctx: TokenEndpointGrantContext): Promise<ResourceServerInstance[]>;
  /** Throws `invalid_scope` for a known scope the client is not registered for; returns the requested scopes. */
  validateClientScope(ctx: TokenEndpointGrantContext, scopes?: string | Iterable<string>): Set<string>;
  /** The token endpoint's JSON body. */
  buildTokenResponse(options: { accessToken: string; expiresIn?: number | undefined; scope?: string | undefined; tokenType: string }): object;
}

/**
 * Registers Propusk's own grant types with the provider, from one place. Each grant
 * is a module with `grantType`, `parameters` and `buildHandler(deps)`.
 */
import type Provider from 'oidc-provider';
import type { GrantHelpers } from './helpers.ts';
import * as trusted from './trusted/handler.ts';

export type GrantDeps = Omit<trusted.TrustedGrantDeps, 'helpers'>;

export function registerGrants(provider: Provider, deps: GrantDeps, helpers: GrantHelpers): void {
  const handler = trusted.buildHandler({ ...deps, helpers });
  provider.registerGrantType(trusted.grantType, handler, trusted.parameters, trusted.duplicates);
  provider.registerGrantType(trusted.jwtBearerGrantType, handler, trusted.jwtBearerParameters, trusted.duplicates);
  provider.on('grant.error', trusted.auditEarlyRejection(deps.audit));
}

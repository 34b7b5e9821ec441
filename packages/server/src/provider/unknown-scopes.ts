/**
 * A request that names a scope which does not exist is refused with `invalid_scope`. oidc-provider
 * checks only the scopes it knows against the client's registered ones and passes any other
 * through (dynamic scopes), so an unknown scope reached the consent and device pages as if it
 * were a permission. Called from the resource-indicator hooks (provider/resources.ts), which run
 * for every authorization, device authorization and token request after the redirect_uri is
 * checked, so the error goes to the client's redirect_uri as RFC 6749 §4.1.2.1 asks.
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ResourceDirectory } from '../resources/directory.ts';
import { OIDC_SCOPES } from '../resources/types.ts';

const OIDC = new Set<string>(OIDC_SCOPES);

export async function refuseUnknownScopes(ctx: KoaContextWithOIDC, resources: ResourceDirectory): Promise<void> {
  const scope = ctx.oidc.params?.scope;
  if (typeof scope !== 'string') return;
  for (const s of scope.split(' ')) {
    if (s === '' || OIDC.has(s)) continue;
    if (!(await resources.byScope(s))) throw new errors.InvalidScope(`unknown scope ${s}`, s);
  }
}

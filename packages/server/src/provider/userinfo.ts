/**
 * Userinfo for API tokens: an access token bound to an API (the code exchange's usual token) is
 * accepted at `/connect/userinfo` when its grant includes `openid`, as in IdentityServer, and
 * answers with the OpenID scopes of that grant. Introspection is untouched: the token stays
 * visible to its own API only. A token whose grant lacks `openid` is refused as before.
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { replaceUserinfoTokenChecks, type UserinfoAccessToken } from './internals.ts';

/** Tokens (in memory, for this request) given their grant's OpenID scopes for userinfo. */
const grantScoped = new WeakSet<UserinfoAccessToken>();

async function openidFromGrant(ctx: KoaContextWithOIDC, token: UserinfoAccessToken): Promise<void> {
  if (token.scopes.has('openid')) return;
  if (token.aud !== undefined && token.grantId) {
    const grant = await ctx.oidc.provider.Grant.find(token.grantId);
    const oidcScopes = grant && grant.clientId === token.clientId ? (grant.getOIDCScope() ?? '').split(' ').filter(Boolean) : [];
    if (oidcScopes.includes('openid')) {
      token.scope = [...new Set([...oidcScopes, ...token.scopes])].join(' ');
      grantScoped.add(token);
      return;
    }
  }
  throw new errors.InsufficientScope('access token missing openid scope', 'openid');
}

/** Installs the checks; call before constructing a Provider. */
export function acceptApiTokensAtUserinfo(): void {
  replaceUserinfoTokenChecks(openidFromGrant, (_ctx, token) => grantScoped.has(token));
}

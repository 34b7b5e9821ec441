/**
 * The token response's `scope` is what the grant allows, not only the scopes of the access token
 * in it (oidc-provider answers with the API token's `extern.api`): the OpenID scopes and the API
 * scopes asked for and granted, and `offline_access` when it was asked for and a refresh token is
 * in the response.
 * Strict clients (oauthlib's "Scope has changed") compare it with what they asked for, and it is
 * how a client learns whether it got offline access (RFC 6749 §5.1).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { wrapGrantHandler } from './internals.ts';

/** The exchanges whose tokens come from a user's grant. */
const USER_GRANTS = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];

/** The scopes this exchange was for: the request's `scope`, else those of the code or token presented. */
function askedFor(ctx: KoaContextWithOIDC): string[] {
  const e = ctx.oidc.entities;
  const source = (ctx.oidc.params?.scope as string | undefined) ?? e.AuthorizationCode?.scope ?? e.DeviceCode?.scope ?? e.RotatedRefreshToken?.scope ?? e.RefreshToken?.scope ?? '';
  return source.split(' ').filter(Boolean);
}

export function answerGrantedScope(provider: Provider): void {
  for (const grantType of USER_GRANTS) {
    wrapGrantHandler(provider, grantType, (original) => async (ctx) => {
      await original(ctx);
      const body = ctx.body as { scope?: string; refresh_token?: string } | undefined;
      const grant = ctx.oidc.entities.Grant;
      if (!body || !grant) return;
      const asked = askedFor(ctx);
      const filter = new Set(asked);
      const allowed = new Set((grant.getOIDCScopeFiltered(filter) ?? '').split(' '));
      for (const resource of Object.keys(grant.resources ?? {})) {
        for (const s of (grant.getResourceScopeFiltered(resource, filter) ?? '').split(' ')) allowed.add(s);
      }
      const scope = asked.filter((s) => allowed.has(s));
      // offline_access is not an API's nor a claim scope: it was granted when asked and a refresh token came.
      if (body.refresh_token !== undefined && asked.includes('offline_access') && !scope.includes('offline_access')) scope.push('offline_access');
      if (scope.length > 0) body.scope = scope.join(' ');
    });
  }
}

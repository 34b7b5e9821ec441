/**
 * The `scope` of a token response says what the grant allows, not only the API the access token is
 * for. oidc-provider answers a code, refresh or device-code exchange whose access token is bound to
 * an API with that API's scope alone (`"scope": "extern.api"`), though the grant also holds
 * `openid profile email offline_access` and the token works at userinfo. Strict clients compare the
 * answer with what they asked for (oauthlib: "Scope has changed"), and a client reads from it
 * whether it got offline access. So the answer lists the OpenID scopes granted (of those the
 * request asked for) with the access token's own API scopes.
 */
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { routes } from './routes.ts';

export function grantedScopeInTokenResponse(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 200 || ctx.method !== 'POST' || ctx.path !== routes.token) return;
    const body = ctx.body as { access_token?: unknown; scope?: unknown } | undefined;
    if (!body || typeof body !== 'object' || typeof body.access_token !== 'string') return;
    const oidc = (ctx as unknown as KoaContextWithOIDC).oidc;
    const entities = oidc?.entities;
    const accessToken = entities?.AccessToken;
    const grant = entities?.Grant;
    // A token without an audience (the userinfo token) already answers with its OpenID scopes.
    if (!accessToken || !grant || accessToken.aud === undefined) return;
    const source = entities.AuthorizationCode ?? entities.RefreshToken ?? entities.DeviceCode;
    if (!source) return;
    const asked = typeof oidc.params?.scope === 'string' ? new Set(oidc.params.scope.split(' ')) : source.scopes;
    const granted = [...grant.getOIDCScopeFiltered(asked).split(' '), ...(accessToken.scope ?? '').split(' ')].filter(Boolean);
    body.scope = [...new Set(granted)].join(' ');
  };
}

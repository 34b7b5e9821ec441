/**
 * API scopes as resources (RFC 8707): a request that names an API scope gets a token for that
 * API's resource indicator, so a token is only accepted by the API it was issued for.
 */
import { errors, type KoaContextWithOIDC, type ResourceServer, type Client as OidcClient } from 'oidc-provider';
import type { ResourceDirectory } from '../resources/directory.ts';
import type { Resource } from '../resources/types.ts';
import { DEFAULT_SIGNING_ALG, type SigningAlg } from '../keys/types.ts';
import { refuseUnknownScopes } from './unknown-scopes.ts';

export interface ResourceIndicatorOptions {
  resources: ResourceDirectory;
  defaultAccessTokenTtl: number;
  /**
   * Resolves once the provider holds a signing key of `alg` (undefined when there is nothing to
   * wait for): a key added moments ago by another process (for a new API) may not have reached
   * this one through the change feed yet.
   */
  signingKeyLoaded?: (alg: SigningAlg) => Promise<void> | undefined;
}

function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = (ctx.oidc.params?.scope as string | undefined) ?? '';
  return scope.split(' ').filter(Boolean);
}

export function resourceIndicators({ resources, defaultAccessTokenTtl, signingKeyLoaded }: ResourceIndicatorOptions) {
  // JWT access tokens (RFC 9068) are signed with the API's algorithm; oidc-provider takes the first
  // key of that algorithm in its keystore, the newest (KeyService.privateJwks).
  const info = (r: Resource): ResourceServer => ({
    scope: r.scope,
    audience: r.indicator,
    accessTokenTTL: r.accessTokenTtl ?? defaultAccessTokenTtl,
    accessTokenFormat: r.accessTokenFormat,
    ...(r.accessTokenFormat === 'jwt' ? { jwt: { sign: { alg: r.accessTokenSigningAlg ?? DEFAULT_SIGNING_ALG } } } : {}),
  });

  return {
    enabled: true,

    /** No `resource` parameter: the API scopes asked for select the resources. */
    async defaultResource(ctx: KoaContextWithOIDC, _client: OidcClient, oneOf?: readonly string[]) {
      await refuseUnknownScopes(ctx, resources);
      const scopes = requestedScopes(ctx);
      const indicators: string[] = [];
      for (const s of scopes) {
        const r = await resources.byScope(s);
        if (r) indicators.push(r.indicator);
      }
      if (oneOf) {
        // Several resources were granted and one access token is needed: the first one asked for
        // in this request, else the single granted one.
        const pick = indicators.find((i) => oneOf.includes(i));
        return pick ?? (oneOf.length === 1 ? oneOf[0] : undefined);
      }
      if (indicators.length === 0 && ctx.oidc.params?.grant_type === 'client_credentials') {
        const known = (await resources.all()).map((r) => r.scope).join(' ');
        throw new errors.InvalidScope(`scope must name the API the token is for (one of: ${known})`, ctx.oidc.params?.scope as string ?? '');
      }
      return indicators.length <= 1 ? indicators[0] : indicators;
    },

    async getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string, client: OidcClient): Promise<ResourceServer> {
      // With an explicit `resource` parameter defaultResource is not asked: the scopes are checked here.
      await refuseUnknownScopes(ctx, resources);
      const r = await resources.byIndicator(indicator);
      if (!r) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
      const allowed = new Set((client.scope ?? '').split(' '));
      if (!allowed.has(r.scope)) {
        throw new errors.InvalidScope(`requested scope is not allowed: the client is not registered for the API ${r.scope}`, r.scope);
      }
      if (r.accessTokenSigningAlg) {
        const loading = signingKeyLoaded?.(r.accessTokenSigningAlg);
        if (loading) await loading;
      }
      return info(r);
    },

    /**
     * A code/refresh/device exchange without `resource` yields a token for the API that was granted
     * — unless the request itself names scopes and none of them is an API's (a refresh with
     * `scope=openid profile email`): then the token has no audience and is the userinfo token.
     */
    async useGrantedResource(ctx: KoaContextWithOIDC) {
      if (ctx.oidc.params?.scope === undefined) return true;
      for (const s of requestedScopes(ctx)) {
        if (await resources.byScope(s)) return true;
      }
      return false;
    },
  };
}

/**
 * `offline_access` without `prompt=consent`: oidc-provider drops the scope from an authorization
 * request that does not also say `prompt=consent`; IdentityServer (and our clients) do not need it.
 * The request's `offline_access` is noted in a parameter of ours before oidc-provider reads the
 * request (a client cannot set it: it is replaced), rides with the request through sign-in and
 * consent, and is put back into the scope of the code when the code is issued — so the refresh
 * token is offline access (it outlives the browser session, as with `prompt=consent`) and the token
 * response's `scope` says `offline_access`. A client without the refresh grant never gets it.
 */
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { routes } from './routes.ts';

/** The authorization parameter that carries "offline_access was asked" (provider `extraParams`). */
export const OFFLINE_ACCESS_ASKED = 'propusk_offline_access';

/** Notes `offline_access` of GET /connect/authorize (POST is answered as GET, authorize-post.ts). */
export function noteOfflineAccessAsked(): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === routes.authorization && ctx.querystring) {
      const query = new URLSearchParams(ctx.querystring);
      const asked = (query.get('scope') ?? '').split(' ').includes('offline_access');
      if (query.has(OFFLINE_ACCESS_ASKED) || asked) {
        query.delete(OFFLINE_ACCESS_ASKED);
        if (asked) query.set(OFFLINE_ACCESS_ASKED, '1');
        ctx.querystring = query.toString();
      }
    }
    await next();
  };
}

/**
 * oidc-provider's `expiresWithSession`, called as a code is issued: a code whose request asked for
 * `offline_access` (and whose client has the refresh grant) gets the scope back, and like every
 * offline_access code it does not expire with the session.
 */
export async function expiresWithSession(ctx: KoaContextWithOIDC, code: { scope?: string | undefined; readonly scopes: Set<string> }): Promise<boolean> {
  const asked = ctx.oidc.params?.[OFFLINE_ACCESS_ASKED] === '1' && ctx.oidc.client?.grantTypeAllowed('refresh_token') === true;
  if (asked && !code.scopes.has('offline_access')) code.scope = code.scope ? `${code.scope} offline_access` : 'offline_access';
  return !code.scopes.has('offline_access');
}

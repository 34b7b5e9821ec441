/**
 * Nothing Propusk answers is stored by a browser or a shared cache unless its route says so:
 * token, introspection, revocation, device authorization, userinfo and linking responses, and
 * every page (they carry personal data or one-time form secrets) get `Cache-Control: no-store`.
 * Routes that may be cached set their own header (assets); discovery and JWKS are left to
 * oidc-provider (public documents).
 */
import type { Middleware } from 'koa';

const PUBLIC_ROUTES = new Set(['discovery', 'jwks']);

export function noStoreByDefault(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.response.get('Cache-Control')) return;
    if (PUBLIC_ROUTES.has((ctx as { oidc?: { route?: string } }).oidc?.route ?? '')) return;
    ctx.set('Cache-Control', 'no-store');
  };
}

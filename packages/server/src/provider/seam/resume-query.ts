/**
 * `/connect/authorize/:uid` (oidc-provider's `resume`, where the interaction pages send the browser
 * back) reads everything from the stored interaction; a query string there is never ours. It is
 * dropped before oidc-provider sees it: oidc-provider 9's error handler for this route reads a
 * `client_id` from the query and then fails on parameters it never parsed (TypeError → 500).
 */
import type { Middleware } from 'koa';
import { routes } from '../routes.ts';

const RESUME = new RegExp(`^${routes.authorization}/[^/]+$`);

export function resumeWithoutQuery(): Middleware {
  return async (ctx, next) => {
    if (ctx.querystring && RESUME.test(ctx.path)) ctx.querystring = '';
    await next();
  };
}

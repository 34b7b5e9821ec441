/**
 * Seam: a workaround for an upstream 500. `/connect/authorize/:uid` (oidc-provider's `resume`,
 * where the interaction pages send the browser back) reads everything from the stored interaction;
 * a query string there is never ours. It is dropped before oidc-provider sees it: oidc-provider 9's
 * error handler for this route reads a `client_id` from the query and then fails on parameters it
 * never parsed (TypeError → 500).
 * Upstream: lib/shared/authorization_error_handler.js:55 (parameters taken from `ctx.query` when
 * the route parsed none). Remove when that handler no longer reads an unparsed query.
 */
import type { Middleware } from 'koa';
import { routes } from '../routes.ts';
import type { Assumption } from './assumption.ts';

const RESUME = new RegExp(`^${routes.authorization}/[^/]+$`);

export function resumeWithoutQuery(): Middleware {
  return async (ctx, next) => {
    if (ctx.querystring && RESUME.test(ctx.path)) ctx.querystring = '';
    await next();
  };
}

export const assumptions: Assumption[] = [
  {
    name: 'authorization error handler: parameters from the raw query when none were parsed',
    file: 'lib/shared/authorization_error_handler.js',
    line: 55,
    text: "const { params = (ctx.method === 'POST' ? oidc.body : ctx.query) || {} } = oidc;",
    why: 'a query string on the resume URL would turn any error there into a 500',
    removeWhen: 'the authorization error handler no longer reads an unparsed query',
  },
];

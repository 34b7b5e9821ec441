/**
 * POST /connect/authorize (OIDC Core §3.1.2.1) without SameSite=None cookies: the urlencoded form is
 * answered with 303 to GET /connect/authorize carrying the same parameters. oidc-provider's own POST
 * support (`enableHttpPostMethods`) requires the session cookie to be SameSite=None — dropped by
 * browsers on http, and weaker against CSRF — whereas the browser follows a 303 with a top-level
 * GET, which carries our SameSite=Lax session cookie, so single sign-on works for POSTed requests.
 */
import type { Middleware } from 'koa';
import { sendError } from '../http/errors.ts';
import { FormBodyError, readForm } from '../web/shared/form-body.ts';
import { routes } from './routes.ts';

export function authorizePostAsGet(): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== routes.authorization) return next();
    let form: URLSearchParams;
    try {
      form = await readForm(ctx);
    } catch (err) {
      if (err instanceof FormBodyError) return sendError(ctx, err.status, 'invalid_request', err.message);
      throw err;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(`${routes.authorization}?${form.toString()}`);
  };
}

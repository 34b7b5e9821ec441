/**
 * Every 401 carries `WWW-Authenticate` (RFC 9110 §15.5.2). The OAuth endpoints and our APIs send
 * their own challenges (`Basic`, `Bearer`); what is left are the HTML sign-in forms answering a
 * wrong password, which get `Form realm="…"`: a scheme of their own that names how to authenticate
 * (the form on the page) and that browsers do not answer with a password dialog, as they would
 * `Basic`.
 */
import type { Middleware } from 'koa';

export function challengeFormSignIns(realm: string): Middleware {
  const challenge = `Form realm="${realm.replace(/["\\]/g, '')}"`;
  return async (ctx, next) => {
    await next();
    if (ctx.status === 401 && !ctx.response.get('WWW-Authenticate') && !ctx.res.headersSent) ctx.set('WWW-Authenticate', challenge);
  };
}

/**
 * Security headers on every response: a strict CSP for our pages (no inline scripts or styles),
 * no framing, no sniffing, no referrer leaks, HSTS behind https.
 */
import type { Middleware } from 'koa';
import { routes } from '../provider/routes.ts';

// form-action must allow the redirect after a form post (consent → client's redirect_uri).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self' https: http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** oidc-provider's authorization endpoint (and its resume URLs). */
const AUTHORIZATION_PATH = routes.authorization;

/** An HTML response (what `ctx.response.is('html')` says, without parsing the header on every response). */
const HTML = /^\s*text\/html\s*(;|$)/i;

export function securityHeaders(options: { https: boolean }): Middleware {
  const always: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
  ];
  if (options.https) always.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  return async (ctx, next) => {
    // The authorization endpoint may answer with oidc-provider's form_post page, whose one inline
    // script oidc-provider allows by adding its hash to a policy it finds already set
    // (helpers/script_src_sha.js): set ours first there (and drop it again if no page follows).
    const early = ctx.path.startsWith(AUTHORIZATION_PATH);
    if (early) ctx.res.setHeader('Content-Security-Policy', CSP);
    await next();
    const res = ctx.res;
    if (res.headersSent) return;
    for (const [name, value] of always) res.setHeader(name, value);
    const type = res.getHeader('Content-Type');
    const html = typeof type === 'string' && HTML.test(type);
    if (html && !res.hasHeader('Content-Security-Policy')) res.setHeader('Content-Security-Policy', CSP);
    else if (early && !html && res.getHeader('Content-Security-Policy') === CSP) res.removeHeader('Content-Security-Policy');
  };
}

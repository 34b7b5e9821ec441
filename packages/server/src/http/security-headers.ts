/**
 * Security headers on every response: a strict CSP for our pages (no inline scripts or styles),
 * no framing, no sniffing, no referrer leaks, HSTS behind https.
 */
import type { Middleware } from 'koa';
import { routes } from '../provider/routes.ts';

/** Every page: no inline scripts or styles, no framing; forms post to this origin only. */
const BASE = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const CSP = `${BASE}; form-action 'self'`;
/**
 * The pages whose forms end in a redirect to the client (sign-in and consent → the client's
 * redirect_uri; the sign-out confirmation → its post_logout_redirect_uri; the authorization
 * endpoint's `form_post` page → the redirect_uri) carry no `form-action`:
 * browsers check it on every redirect that follows a form post, and no source list can name what
 * native apps register (a private-use scheme like `com.example.app:/cb` as a scheme is possible,
 * but not an IPv6 loopback `http://[::1]:8768/cb`: CSP has no syntax for IPv6 hosts). Those
 * redirects are to URIs registered for the client, checked by oidc-provider.
 */
const CLIENT_REDIRECT_CSP = BASE;

/** Paths of the pages whose forms end in a redirect to the client (canonical spelling). */
function redirectsToClient(path: string): boolean {
  return path.startsWith('/interaction/') || path === routes.end_session;
}

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
    if (early) ctx.res.setHeader('Content-Security-Policy', CLIENT_REDIRECT_CSP);
    await next();
    const res = ctx.res;
    if (res.headersSent) return;
    for (const [name, value] of always) res.setHeader(name, value);
    const type = res.getHeader('Content-Type');
    const html = typeof type === 'string' && HTML.test(type);
    if (html && !res.hasHeader('Content-Security-Policy')) res.setHeader('Content-Security-Policy', redirectsToClient(ctx.path) ? CLIENT_REDIRECT_CSP : CSP);
    else if (early && !html && res.getHeader('Content-Security-Policy') === CLIENT_REDIRECT_CSP) res.removeHeader('Content-Security-Policy');
  };
}

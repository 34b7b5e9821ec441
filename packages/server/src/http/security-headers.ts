/**
 * Security headers on every response: a strict CSP for our pages (no inline scripts or styles),
 * no framing, no sniffing, no referrer leaks, HSTS behind https.
 */
import type { Middleware } from 'koa';

export function securityHeaders(options: { https: boolean }): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.https) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (ctx.response.is('html') && !ctx.response.get('Content-Security-Policy')) {
      // form-action must allow the redirect after a form post (consent → client's redirect_uri).
      ctx.set(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self' https: http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
      );
    }
  };
}

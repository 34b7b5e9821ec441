/**
 * The request's origin is the issuer's. Koa derives `ctx.host`, `ctx.origin` and `ctx.href` from
 * the `Host` header (or `X-Forwarded-Host` behind a trusted proxy, or an absolute-form request
 * target), and oidc-provider builds every absolute URL it hands out (discovery, the device
 * `verification_uri`, redirects) from `ctx.href`: a client could choose the host of those URLs.
 * Pinned here, before anything else runs, they always name the configured issuer. The scheme Koa
 * detected (`ctx.protocol`, `ctx.secure`: X-Forwarded-Proto behind a trusted proxy) is left as is,
 * since it says how this hop was reached and decides whether cookies are `Secure`.
 */
import type { Middleware } from 'koa';

/** `originalUrl` without scheme and authority when the request target was in absolute form. */
function pathAndQuery(originalUrl: string): string {
  if (!/^https?:\/\//i.test(originalUrl)) return originalUrl;
  const url = new URL(originalUrl);
  return `${url.pathname}${url.search}`;
}

export function issuerOrigin(issuer: string): Middleware {
  const { host, hostname, origin } = new URL(issuer);
  return async (ctx, next) => {
    const request = ctx.request;
    Object.defineProperties(request, {
      host: { get: () => host, configurable: true },
      hostname: { get: () => hostname, configurable: true },
      origin: { get: () => origin, configurable: true },
      href: { get: () => `${origin}${pathAndQuery(request.originalUrl)}`, configurable: true },
    });
    await next();
  };
}

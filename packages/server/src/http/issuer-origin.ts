/**
 * The request's origin is the issuer's. Koa derives `ctx.host`, `ctx.origin` and `ctx.href` from
 * the `Host` header (or `X-Forwarded-Host` behind a trusted proxy, or an absolute-form request
 * target), and oidc-provider builds every absolute URL it hands out (discovery, the device
 * `verification_uri`, redirects) from `ctx.href`: a client could choose the host of those URLs.
 * Pinned here, on the app's request prototype (once, not per request), they always name the
 * configured issuer. So does the scheme (`ctx.protocol`, `ctx.secure`): browsers reach Propusk at
 * the issuer, so with an https issuer every cookie is `Secure` — behind a TLS-terminating proxy
 * too, whether or not PROPUSK_TRUST_PROXY is set — and with an http issuer (development) none is.
 * oidc-provider's own contexts (`provider.createContext`, its cookies) share the prototype.
 */
import type Koa from 'koa';

/** `originalUrl` without scheme and authority when the request target was in absolute form. */
function pathAndQuery(originalUrl: string): string {
  if (!/^https?:\/\//i.test(originalUrl)) return originalUrl;
  const url = new URL(originalUrl);
  return `${url.pathname}${url.search}`;
}

export function pinIssuerOrigin(app: Pick<Koa, 'request'>, issuer: string): void {
  const { host, hostname, origin, protocol } = new URL(issuer);
  const scheme = protocol.slice(0, -1);
  const secure = scheme === 'https';
  Object.defineProperties(app.request, {
    host: { get: () => host, configurable: true },
    hostname: { get: () => hostname, configurable: true },
    origin: { get: () => origin, configurable: true },
    protocol: { get: () => scheme, configurable: true },
    secure: { get: () => secure, configurable: true },
    href: {
      get(this: Koa.Request) {
        return `${origin}${pathAndQuery(this.originalUrl)}`;
      },
      configurable: true,
    },
  });
}

/**
 * Discovery and JWKS answered from memory. oidc-provider rebuilds and re-serialises both documents
 * on every request, although they change only when the signing keys rotate or an API resource is
 * added; this middleware keeps the first answer (body, type and the headers oidc-provider set) and
 * serves it until `clear()`, which app.ts calls once the provider has applied such a change. Each
 * answer carries a strong ETag, so a client that revalidates (`If-None-Match`) gets a 304.
 *
 * oidc-provider derives the documents' URLs from the request's origin, which http/issuer-origin.ts
 * pins to the issuer's; answers are still kept per origin, for a few origins at most.
 * CORS is the one per-request part: `Access-Control-Allow-Origin` echoes the request's `Origin`
 * (else `*`), as oidc-provider's open CORS policy for these endpoints does.
 */
import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';

/** Origins remembered per path; requests for further origins are answered by oidc-provider (a Host header is the client's to choose). */
const MAX_ORIGINS_PER_PATH = 8;

/** Discovery documents revalidate on every use (keys rotate, APIs are added); the ETag makes that a 304. */
const CACHE_CONTROL = 'no-cache';

const ACAO = 'access-control-allow-origin';

/** oidc-provider's OpenID discovery path (not configurable). */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

interface Entry {
  body: Buffer;
  etag: string;
  /** Headers oidc-provider set (content-type, vary, CORS), Access-Control-Allow-Origin excepted. */
  headers: [string, string | string[]][];
  /** Whether oidc-provider's answer allowed every origin (echoing the request's). */
  cors: boolean;
}

/** The origin oidc-provider builds the documents' URLs on: that of `ctx.href` (the issuer's, http/issuer-origin.ts). */
function requestOrigin(ctx: Context): string {
  return new URL(ctx.href).origin;
}

export class DiscoveryCache {
  readonly #paths: ReadonlySet<string>;
  /** path → origin → answer; replaced (not emptied) by clear(), so that an answer begun before it is not kept. */
  #entries = new Map<string, Map<string, Entry>>();

  /** `paths`: the GET endpoints to cache, e.g. routes.jwks and /.well-known/openid-configuration. */
  constructor(paths: Iterable<string>) {
    this.#paths = new Set(paths);
  }

  /** Forgets every answer: call after the provider's signing keys or scopes have changed. */
  clear(): void {
    this.#entries = new Map();
  }

  middleware(): Middleware {
    return async (ctx, next) => {
      if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !this.#paths.has(ctx.path)) return next();
      const origin = requestOrigin(ctx);
      const byOrigin = this.#entries.get(ctx.path);
      let entry = byOrigin?.get(origin);

      if (!entry) {
        const before = new Set(Object.keys(ctx.response.headers));
        const generation = this.#entries;
        await next();
        if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body) || typeof (ctx.body as { pipe?: unknown }).pipe === 'function') return;
        const body = Buffer.from(JSON.stringify(ctx.body));
        const set = Object.entries(ctx.response.headers).filter(([name]) => !before.has(name) && name !== 'content-length') as [string, string | string[]][];
        const acao = set.find(([name]) => name === ACAO)?.[1];
        entry = {
          body,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
          headers: set.filter(([name]) => name !== ACAO),
          cors: acao === (ctx.get('Origin') || '*'),
        };
        // Not kept when a clear() came while oidc-provider was answering: the answer may predate the change.
        if (generation === this.#entries && (acao === undefined || entry.cors)) {
          const origins = generation.get(ctx.path) ?? new Map<string, Entry>();
          if (origins.size < MAX_ORIGINS_PER_PATH) {
            origins.set(origin, entry);
            generation.set(ctx.path, origins);
          }
        }
      } else {
        for (const [name, value] of entry.headers) ctx.set(name, value);
        if (entry.cors) ctx.set('Access-Control-Allow-Origin', ctx.get('Origin') || '*');
        ctx.status = 200;
      }

      ctx.set('ETag', entry.etag);
      ctx.set('Cache-Control', CACHE_CONTROL);
      if (ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
        return;
      }
      ctx.body = entry.body;
    };
  }
}

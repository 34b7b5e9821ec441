/**
 * One middleware in place of a long chain: a request goes only through the middleware of its part
 * of the site, chosen once by the first segment of its path (`/connect/token` → `connect`). A token
 * or introspection request thus skips the page routers, and a page request skips the adjustments
 * made to oidc-provider's endpoints. Whatever a part does not answer goes on (`next`) to
 * oidc-provider, as before.
 *
 * The segment is compared case-insensitively, as both @koa/router (`sensitive: false`) and
 * oidc-provider's router match paths; neither decodes percent-escapes before matching, so neither
 * does this. (Node decodes a raw request line as latin1, and no latin1 character case-folds to an
 * ASCII letter, so lower-casing cannot miss a route either.)
 */
import type { Middleware } from 'koa';
import compose from 'koa-compose';

/** Koa's own composition of a part's middleware; a single middleware runs as it is. */
const chain = (middleware: Middleware[]): Middleware => (middleware.length === 1 ? middleware[0]! : (compose(middleware) as Middleware));

/** `/connect/token` → `connect`; `/` → ``; a path that does not start with `/` (e.g. `*`) → undefined. */
export function firstSegment(path: string): string | undefined {
  if (path.charCodeAt(0) !== 0x2f) return undefined;
  const end = path.indexOf('/', 1);
  return (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/**
 * A part whose middleware is built on its first request: `load` imports the part's modules (e.g.
 * the sign-in or portal pages) and builds its middleware, so that an instance that only serves
 * tokens never loads or compiles them (start-up time and memory). Requests arriving while it loads
 * wait for it; a failed load answers those requests with its error and is tried again on the next.
 */
export function lazyPart(load: () => Promise<Middleware[]>): Middleware {
  let built: Promise<Middleware> | undefined;
  return async (ctx, next) => {
    built ??= load().then(chain, (err: unknown) => {
      built = undefined;
      throw err;
    });
    await (await built)(ctx, next);
  };
}

export interface DispatchOptions {
  /** Middleware for every other path. */
  otherwise: Middleware[];
  /**
   * Methods the page routers implement (`router.methods`). Until this dispatcher, every request
   * passed every router's `allowedMethods()`, which answers a method outside this list with an
   * empty 501 on any path nobody answered (errorHandler turns it into 405): kept for every path.
   */
  implementedMethods: readonly string[];
}

/**
 * `parts`: path prefix of one segment (`/connect`, `/account`) → its middleware, in order. Throws
 * on a prefix of more than one segment, which this dispatcher could never match.
 */
export function dispatchByPrefix(parts: Record<string, Middleware[]>, options: DispatchOptions): Middleware {
  const table = new Map<string, Middleware>();
  for (const [prefix, middleware] of Object.entries(parts)) {
    const segment = firstSegment(prefix);
    if (segment === undefined || prefix.length !== segment.length + 1) throw new Error(`dispatchByPrefix: ${JSON.stringify(prefix)} is not one path segment`);
    if (table.has(segment)) throw new Error(`dispatchByPrefix: ${prefix} given twice`);
    table.set(segment, chain(middleware));
  }
  const otherwise = chain(options.otherwise);
  const implemented = new Set(options.implementedMethods);
  return async (ctx, next) => {
    const segment = firstSegment(ctx.path);
    await ((segment !== undefined && table.get(segment)) || otherwise)(ctx, next);
    if (ctx.status === 404 && !implemented.has(ctx.method.toUpperCase())) {
      ctx.status = 501;
      ctx.set('Allow', '');
    }
  };
}
